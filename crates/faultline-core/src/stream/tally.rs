//! What a log held whole learns by counting its lines — line count, md5, impossible timestamps, the
//! first over-long line, where the first undecodable bytes are — counted by the events pass as it
//! reads each line, so no pass of its own decodes, splits and parses the log for them.

use super::lines::Line;
use super::{Decoded, Pass};
use crate::logline::incremental::BadStamps;
use crate::warning::{Warning, WarningKind};

/// Files up to this size get an md5, as in the in-memory path.
const MD5_MAX_BYTES: u64 = 64 << 20;

pub(crate) struct Tally {
    max_line_chars: usize,
    lines: u64,
    long_line: Option<u32>,
    /// The first replaced sequence's (line, column).
    located: Option<(u32, u32)>,
    bad_stamps: BadStamps,
    /// Places the quoted lines may be read from.
    marks: Vec<Mark>,
    /// The text offset of the last mark.
    last_mark: Option<usize>,
}

/// A line start the quoted-lines pass, and a viewer, may read from instead of the file's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mark {
    /// 1-based line number.
    pub line: u32,
    /// The file's byte where it starts.
    pub offset: u64,
    /// The time an untimed line here inherits: the last one the lines above it had.
    pub time_before: Option<i64>,
}

/// Text between marks: two thousand for a 2 GB log, and a viewer reads at most this much to show any
/// line. Small in unit tests, so their small logs get marks and every read starts from one.
const MARK_BYTES: usize = if cfg!(test) { 64 } else { 1 << 20 };

/// The counts, once the pass is done.
pub(crate) struct Counted {
    pub bytes: u64,
    pub lines: u64,
    pub md5: Option<String>,
    /// The first line longer than the clipping limit.
    pub long_line: Option<u32>,
    /// Decoding warnings: they belong where the file was read, among the other files' warnings.
    pub decode_warnings: Vec<Warning>,
    /// The bad-timestamp warning: it belongs where `read_log` would have given it.
    pub bad_stamps: Vec<Warning>,
    /// Where lines start, every MiB (none unless the file is UTF-8; past an invalid sequence, the first
    /// line that starts in a chunk of the file decoded after it).
    pub marks: Vec<Mark>,
    /// The time lines above the first timestamped one inherit.
    pub head_time: Option<i64>,
}

impl Tally {
    pub(crate) fn new(max_line_chars: usize) -> Tally {
        Tally {
            max_line_chars,
            lines: 0,
            long_line: None,
            located: None,
            bad_stamps: BadStamps::default(),
            marks: Vec::new(),
            last_mark: None,
        }
    }

    /// The next line (`clean` is it without ANSI), with what the decoder knows of it; `untimed` as [`crate::logline::incremental::Parsed::untimed`]; `time_before` the
    /// time an untimed line here would inherit.
    pub(crate) fn line(
        &mut self,
        line: &Line<'_>,
        clean: &str,
        decoded: Decoded,
        untimed: bool,
        time_before: Option<i64>,
    ) {
        self.lines += 1;
        let n = u32::try_from(self.lines).unwrap_or(u32::MAX);
        if self.located.is_none()
            && let Some(at) = decoded.first_bad
            && (line.start..=line.end).contains(&at)
        {
            let col = line.text.get(..at - line.start).map_or(0, |t| t.chars().count()) + 1;
            self.located = Some((n, u32::try_from(col).unwrap_or(u32::MAX)));
        }
        if self.long_line.is_none()
            && line.text.len() > self.max_line_chars
            && line.text.chars().nth(self.max_line_chars).is_some()
        {
            self.long_line = Some(n);
        }
        self.bad_stamps.line(n, clean, untimed);
        if line.start >= self.last_mark.map_or(MARK_BYTES, |at| at + MARK_BYTES)
            && let Some(offset) = decoded.file_at
        {
            self.marks.push(Mark { line: n, offset, time_before });
            self.last_mark = Some(line.start);
        }
    }

    pub(crate) fn finish(self, name: &str, pass: Pass, digest: Digest, head_time: Option<i64>) -> Counted {
        let mut decode_warnings = pass.decode_warnings;
        if let Some(bad) = pass.bad {
            let (line, col) = self.located.unwrap_or((1, 1));
            decode_warnings.push(Warning::new(WarningKind::InvalidEncoding, name, bad.message).at(line, col));
        }
        let mut bad_stamps = Vec::new();
        self.bad_stamps.finish(name, &mut bad_stamps);
        let bytes = pass.bytes;
        let md5 = digest.0.filter(|_| bytes <= MD5_MAX_BYTES).map(|m| format!("{:x}", m.finalize()));
        Counted {
            bytes,
            lines: self.lines,
            md5,
            long_line: self.long_line,
            decode_warnings,
            bad_stamps,
            marks: self.marks,
            head_time,
        }
    }
}

/// The md5 of a file's raw bytes, fed chunk by chunk (for files up to [`MD5_MAX_BYTES`]).
pub(crate) struct Digest(Option<md5::Context>);

impl Digest {
    pub(crate) fn new(size: u64) -> Digest {
        Digest((size <= MD5_MAX_BYTES).then(md5::Context::new))
    }

    pub(crate) fn chunk(&mut self, chunk: &[u8]) {
        if let Some(m) = self.0.as_mut() {
            m.consume(chunk);
        }
    }
}
