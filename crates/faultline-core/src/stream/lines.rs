//! Decoded text arriving in pieces, cut into lines exactly as [`crate::logline::read_log`] cuts a whole
//! text: `\n`, `\r\n` and a lone `\r` end a line, a last line without terminator counts, offsets are byte
//! offsets into the decoded text. Only a line still being read is held.

/// One line: its text (without terminator) and its byte range in the decoded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

#[derive(Default)]
pub(crate) struct LineSplitter {
    /// The start of a line whose end has not arrived yet.
    partial: String,
    /// Offset where the current line starts.
    line_start: usize,
    /// Decoded bytes seen so far.
    offset: usize,
    /// The last piece ended on `\r`: a `\n` opening the next belongs to it.
    after_cr: bool,
}

impl LineSplitter {
    pub(crate) fn feed(&mut self, text: &str, on_line: &mut dyn FnMut(Line<'_>)) {
        let bytes = text.as_bytes();
        let mut pos = 0;
        if self.after_cr && !bytes.is_empty() {
            self.after_cr = false;
            if bytes[0] == b'\n' {
                pos = 1;
                self.line_start += 1;
            }
        }
        while pos < bytes.len() {
            let Some(i) = memchr::memchr2(b'\n', b'\r', &bytes[pos..]) else {
                self.partial.push_str(&text[pos..]);
                break;
            };
            let end = pos + i;
            let line = if self.partial.is_empty() {
                &text[pos..end]
            } else {
                self.partial.push_str(&text[pos..end]);
                self.partial.as_str()
            };
            on_line(Line { text: line, start: self.line_start, end: self.offset + end });
            self.partial.clear();
            let next = match bytes.get(end + 1) {
                _ if bytes[end] == b'\n' => end + 1,
                Some(b'\n') => end + 2,
                Some(_) => end + 1,
                None => {
                    self.after_cr = true;
                    end + 1
                }
            };
            self.line_start = self.offset + next;
            pos = next;
        }
        self.offset += bytes.len();
    }

    /// The end of the text: a last line without terminator.
    pub(crate) fn finish(&mut self, on_line: &mut dyn FnMut(Line<'_>)) {
        if self.line_start < self.offset {
            on_line(Line { text: &self.partial, start: self.line_start, end: self.offset });
        }
        self.partial.clear();
        self.line_start = self.offset;
    }
}
