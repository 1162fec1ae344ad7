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

    /// The text the index is over.
    pub fn text(&self) -> &'a str {
        self.text
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

/// [`LineIndex`] for a reader whose offsets only move forward: it keeps the current line and scans on
/// from there, so a whole document costs one pass and no index (a 40 MB report has a million lines:
/// 8 MB of starts). An offset behind the current line starts the scan again from the top (only error
/// positions can be).
pub struct LineCursor<'a> {
    text: &'a str,
    /// Bytes before this have been scanned for line ends.
    scanned: usize,
    /// 0-based index and start of the line holding `scanned`.
    line: usize,
    start: usize,
}

impl<'a> LineCursor<'a> {
    pub fn new(text: &'a str) -> Self {
        Self { text, scanned: 0, line: 0, start: 0 }
    }

    /// Moves to the line holding `offset` (already clamped to the text).
    fn seek(&mut self, offset: usize) {
        if offset < self.start {
            *self = Self::new(self.text);
        }
        if offset <= self.scanned {
            return;
        }
        let bytes = self.text.as_bytes();
        for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[self.scanned..offset]) {
            let i = self.scanned + i;
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            self.line += 1;
            self.start = i + 1;
        }
        self.scanned = offset;
    }

    /// 1-based line and column (in characters), as [`LineIndex::line_col`].
    pub fn line_col(&mut self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        self.seek(offset);
        let col =
            self.text.get(self.start..offset).map(|s| s.chars().count()).unwrap_or(offset - self.start) + 1;
        (u32::try_from(self.line + 1).unwrap_or(u32::MAX), u32::try_from(col).unwrap_or(u32::MAX))
    }

    /// The line holding `offset`, as [`LineIndex::source`].
    pub fn source(&mut self, file: &str, offset: usize) -> SourceRef {
        let offset = offset.min(self.text.len());
        self.seek(offset);
        let bytes = self.text.as_bytes();
        // The line ends where the next one starts, less its terminator (a CR before LF is not one).
        let mut end = bytes.len();
        for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[offset..]) {
            let i = offset + i;
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            end = i;
            break;
        }
        let start = self.start;
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        SourceRef::new(file, u32::try_from(self.line + 1).unwrap_or(u32::MAX), start as u64, end as u64)
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

    /// The cursor gives what the index gives, for offsets in order and for one that goes back.
    #[test]
    fn cursor_agrees_with_the_index() {
        let text = "ab\ncd\r\nef\rg\r\r\n\nhé\n";
        let idx = LineIndex::new(text);
        let mut cur = LineCursor::new(text);
        let offsets: Vec<usize> = (0..=text.len() + 2).chain([3, 0, 9, 1]).collect();
        for o in offsets {
            assert_eq!(cur.line_col(o), idx.line_col(o), "line_col({o})");
            assert_eq!(cur.source("f", o), idx.source("f", o), "source({o})");
        }
    }

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
