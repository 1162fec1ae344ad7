//! Plain logs: split into lines, timestamps normalised to UTC ms, format and level recognised,
//! console framing (which test printed which lines) detected.
//!
//! Lines are ranges into one decoded `String` per file, never copies: a 1 GB log stays one allocation.

mod ansi;
mod framing;
mod stamp;

pub use framing::detect_frames;

use std::borrow::Cow;

use serde::Serialize;

use crate::source::SourceRef;
use crate::warning::Warning;

/// Recognised line formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineFormat {
    Logrus,
    Klog,
    Jenkins,
    Rfc3339,
    Robot,
    Syslog,
    Dmesg,
    Kubectl,
    Plain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// 1-based line number.
    pub line: u32,
    /// Byte range of the line in `LogFile::text`, without the terminator.
    pub start: usize,
    pub end: usize,
    pub time_ms: Option<i64>,
    /// True when `time_ms` was inherited from a neighbouring line.
    pub time_inherited: bool,
    pub format: LineFormat,
    pub level: Option<Level>,
}

#[derive(Debug, Clone)]
pub struct LogFile {
    pub name: String,
    pub text: String,
    pub lines: Vec<LogLine>,
}

impl LogFile {
    pub fn raw(&self, idx: usize) -> &str {
        let l = &self.lines[idx];
        &self.text[l.start..l.end]
    }

    /// The line without ANSI escape sequences (what patterns match against).
    pub fn clean(&self, idx: usize) -> Cow<'_, str> {
        ansi::strip(self.raw(idx))
    }

    pub fn source_ref(&self, idx: usize) -> SourceRef {
        let l = &self.lines[idx];
        SourceRef::new(self.name.clone(), l.line, l.start as u64, l.end as u64)
    }
}

/// Splits and classifies a decoded log. `year_hint` supplies the year for formats that omit it (klog,
/// syslog); without it the year of the first full timestamp in the file is used, else 1970. Lines without
/// a timestamp inherit the previous line's (or, at the top of a file, the first one that follows).
pub fn read_log(name: &str, text: String, year_hint: Option<i32>, warnings: &mut Vec<Warning>) -> LogFile {
    let _ = warnings;
    let mut lines = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0usize;
    let mut n = 0u32;
    // `\n`, `\r\n` and lone `\r` (old Mac and some consoles) all end a line.
    while start < bytes.len() {
        let end = memchr::memchr2(b'\n', b'\r', &bytes[start..]).map(|i| start + i).unwrap_or(bytes.len());
        let next = match bytes.get(end) {
            Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
            Some(_) => end + 1,
            None => end,
        };
        n = n.saturating_add(1);
        lines.push(LogLine {
            line: n,
            start,
            end,
            time_ms: None,
            time_inherited: false,
            format: LineFormat::Plain,
            level: None,
        });
        start = next;
    }
    let year = year_hint.or_else(|| stamp::first_year(&text, &lines));
    for l in &mut lines {
        let raw = &text[l.start..l.end];
        let clean = ansi::strip(raw);
        let parsed = stamp::parse(&clean, year);
        l.time_ms = parsed.time_ms;
        l.format = parsed.format;
        l.level = parsed.level;
    }
    inherit_times(&mut lines);
    LogFile { name: name.to_string(), text, lines }
}

fn inherit_times(lines: &mut [LogLine]) {
    let mut last = None;
    for l in lines.iter_mut() {
        match l.time_ms {
            Some(t) => last = Some(t),
            None if last.is_some() => {
                l.time_ms = last;
                l.time_inherited = true;
            }
            None => {}
        }
    }
    let first = lines.iter().find(|l| !l.time_inherited && l.time_ms.is_some()).and_then(|l| l.time_ms);
    for l in lines.iter_mut().take_while(|l| l.time_ms.is_none()) {
        l.time_ms = first;
        l.time_inherited = first.is_some();
    }
}

/// How a console shows which test printed a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FrameStyle {
    RobotConsole,
    PytestConsole,
}

/// A run of console lines printed while one test ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub style: FrameStyle,
    /// The test name as printed (Robot truncates long names with `...`; then `name_truncated` is set
    /// and `test_name` holds the visible prefix without the dots).
    pub test_name: String,
    pub name_truncated: bool,
    /// Robot: the suite header (`Tests.Negative.Component Resilience`); pytest: the module path.
    pub suite: Option<String>,
    /// Index (0-based, into `LogFile::lines`) of the first and last line of the frame, inclusive.
    pub first: usize,
    pub last: usize,
    pub status: Option<crate::model::TestStatus>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(text: &str) -> LogFile {
        read_log("x.log", text.to_string(), None, &mut Vec::new())
    }

    #[test]
    fn splits_on_every_line_ending() {
        let f = log("a\r\nb\rc\nd");
        let texts: Vec<&str> = (0..f.lines.len()).map(|i| f.raw(i)).collect();
        assert_eq!(texts, ["a", "b", "c", "d"]);
        assert_eq!(f.lines[3].line, 4);
    }

    #[test]
    fn times_are_inherited_both_ways() {
        let f = log("no time\n[2024-11-16T10:15:03.123Z] x\nplain\n");
        assert_eq!(f.lines[0].time_ms, Some(1_731_752_103_123));
        assert!(f.lines[0].time_inherited);
        assert!(!f.lines[1].time_inherited);
        assert_eq!(f.lines[2].time_ms, Some(1_731_752_103_123));
    }

    #[test]
    fn ansi_is_kept_raw_and_stripped_clean() {
        let f = log("\x1b[31mERROR\x1b[0m boom");
        assert_eq!(f.raw(0), "\x1b[31mERROR\x1b[0m boom");
        assert_eq!(f.clean(0), "ERROR boom");
        assert_eq!(f.lines[0].level, Some(Level::Error));
    }

    #[test]
    fn klog_year_comes_from_the_file() {
        let f = log("2024-11-16T10:00:00Z start\nI1116 10:15:03.123456   123 controller.go:42] synced");
        assert_eq!(f.lines[1].time_ms, Some(1_731_752_103_123));
        assert_eq!(f.lines[1].format, LineFormat::Klog);
    }
}
