//! Byte offset → line and column, computed once per document so positions cost a binary search.

use crate::source::SourceRef;

pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        Self { text, starts: line_starts(text.as_bytes()) }
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

    /// The line holding `offset` as a [`SourceRef`] (byte range without the terminator: `\n`, `\r\n`
    /// or a lone `\r`).
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

/// Byte offsets where lines start. `\n`, `\r\n` and a lone `\r` all end a line, as in logs (XML itself
/// treats a lone CR as a line end too), so a CR-only file is not one line with huge columns.
pub fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        starts.push(i + 1);
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_ending_counts() {
        let text = "a\nb\r\nc\rd";
        assert_eq!(line_starts(text.as_bytes()), vec![0, 2, 5, 7]);
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(8), (4, 2));
        assert_eq!(idx.line_col(6), (3, 2));
        let src = idx.source("f", 3);
        assert_eq!((src.line, src.byte_start, src.byte_end), (2, 2, 3));
        let src = idx.source("f", 5);
        assert_eq!((src.line, src.byte_start, src.byte_end), (3, 5, 6));
    }
}
