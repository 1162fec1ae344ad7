//! Byte offset → line and column, computed once per document so positions cost a binary search.

use crate::source::SourceRef;

pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self { text, starts }
    }

    /// 0-based index of the line holding `offset`.
    fn index(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }

    /// 1-based line and column (in characters).
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let i = self.index(offset);
        let start = self.starts[i];
        let col = self.text.get(start..offset).map(|s| s.chars().count()).unwrap_or(offset - start) + 1;
        (u32::try_from(i + 1).unwrap_or(u32::MAX), u32::try_from(col).unwrap_or(u32::MAX))
    }

    /// The line holding `offset` as a [`SourceRef`] (byte range without the terminator).
    pub fn source(&self, file: &str, offset: usize) -> SourceRef {
        let i = self.index(offset.min(self.text.len()));
        let start = self.starts[i];
        let mut end = self.starts.get(i + 1).map(|e| e - 1).unwrap_or(self.text.len());
        if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        SourceRef::new(file, u32::try_from(i + 1).unwrap_or(u32::MAX), start as u64, end as u64)
    }
}
