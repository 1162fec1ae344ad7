//! Plain logs: split into lines, timestamps normalised to UTC ms, format and level recognised,
//! console framing (which test printed which lines) detected.
//!
//! Lines are ranges into one decoded `String` per file, never copies: a 1 GB log stays one allocation.

mod ansi;
mod framing;
pub(crate) mod incremental;
mod stamp;

pub use framing::detect_frames;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::source::SourceRef;
use crate::warning::{Warning, WarningKind};

/// Recognised line formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}

impl Level {
    /// Every level, least severe first.
    pub const ALL: [Level; 6] =
        [Level::Trace, Level::Debug, Level::Info, Level::Warn, Level::Error, Level::Fatal];

    /// The level's name in the report and in a viewer's query (`"warn"`), as serde writes it; a front end
    /// can read a query's levels without linking a JSON reader.
    pub fn name(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
            Level::Fatal => "fatal",
        }
    }

    /// The level a [`Level::name`] names.
    pub fn from_name(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.name() == name)
    }
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
/// syslog); without it the year of the first full timestamp anywhere in the file is used, else 1970 (so
/// year-less lines still order correctly among themselves). Lines without a timestamp inherit the
/// previous line's (or, at the top of a file, the first one that follows).
pub fn read_log(name: &str, text: String, year_hint: Option<i32>, warnings: &mut Vec<Warning>) -> LogFile {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(bytes.len() / 128 + 1);
    let mut year = year_hint;
    // Year-less lines read before the file revealed its year; re-read once it is known. Only the lines
    // above the first full timestamp can land here, so the second look is bounded and usually empty.
    let mut pending: Vec<usize> = Vec::new();
    let mut start = 0usize;
    let mut n = 0u32;
    // Lines that look timestamped but whose time is impossible: (count, first line, its stamp).
    let mut bad_stamps: (u64, u32, String) = (0, 0, String::new());
    // `\n`, `\r\n` and lone `\r` (old Mac and some consoles) all end a line.
    while start < bytes.len() {
        let end = memchr::memchr2(b'\n', b'\r', &bytes[start..]).map(|i| start + i).unwrap_or(bytes.len());
        let next = match bytes.get(end) {
            Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
            Some(_) => end + 1,
            None => end,
        };
        n = n.saturating_add(1);
        let clean = ansi::strip(&text[start..end]);
        let parsed = stamp::parse(&clean, year);
        if parsed.time_ms.is_none()
            && let Some(shown) = stamp::impossible_stamp(&clean)
        {
            if bad_stamps.0 == 0 {
                bad_stamps = (0, n, shown.to_string());
            }
            bad_stamps.0 += 1;
        }
        if year.is_none() {
            if incremental::year_less(&parsed, &clean) {
                pending.push(lines.len());
            } else if let Some(ms) = parsed.time_ms {
                year = stamp::year_of(ms);
            }
        }
        lines.push(LogLine {
            line: n,
            start,
            end,
            time_ms: parsed.time_ms,
            time_inherited: false,
            format: parsed.format,
            level: parsed.level,
        });
        start = next;
    }
    if year_hint.is_none()
        && let Some(y) = year
    {
        for i in pending {
            let l = &mut lines[i];
            let parsed = stamp::parse(&ansi::strip(&text[l.start..l.end]), Some(y));
            l.time_ms = parsed.time_ms;
            l.format = parsed.format;
            l.level = parsed.level;
        }
    }
    inherit_times(&mut lines);
    let (count, first, shown) = bad_stamps;
    if count > 0 {
        warnings.push(bad_stamps_warning(name, count, first, &shown));
    }
    LogFile { name: name.to_string(), text, lines }
}

/// One warning per log for its lines whose timestamp is no real time: how many, and the first.
fn bad_stamps_warning(name: &str, count: u64, first: u32, shown: &str) -> Warning {
    let message = format!(
        "{count} line(s) start with a timestamp that is no real time (first: `{}`); they take the \
         time of the line before",
        crate::export::clip(shown, 60)
    );
    Warning::new(WarningKind::BadTimestamp, name, message).at(first, 1)
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

    #[test]
    fn level_names_are_serdes() {
        for level in Level::ALL {
            assert_eq!(serde_json::to_value(level).ok(), Some(serde_json::Value::from(level.name())));
            assert_eq!(Level::from_name(level.name()), Some(level));
        }
        assert_eq!(Level::from_name("WARN"), None);
        assert_eq!(Level::from_name("warning"), None);
    }

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
    fn cr_only_files_and_byte_ranges_without_terminators() {
        let f = log("one\rtwo\r\rfour\r\n");
        let texts: Vec<&str> = (0..f.lines.len()).map(|i| f.raw(i)).collect();
        assert_eq!(texts, ["one", "two", "", "four"]);
        assert_eq!((f.lines[1].start, f.lines[1].end), (4, 7));
        assert!(log("").lines.is_empty());
        assert_eq!(log("\n").lines.len(), 1);
    }

    #[test]
    fn clean_borrows_without_escapes() {
        let f = log("plain\n\x1b]0;title\x07osc");
        assert!(matches!(f.clean(0), Cow::Borrowed("plain")));
        assert_eq!(f.clean(1), "osc");
    }

    #[test]
    fn year_hint_wins_and_a_late_full_timestamp_still_counts() {
        let klog = "I0229 10:15:03.123456   1 x.go:1] leap day\n";
        let mut text = klog.repeat(3000);
        text.push_str("2024-11-16T10:00:00Z first full timestamp\n");
        let f = log(&text);
        // 2024-02-29T10:15:03.123Z: only a leap year has the date, so the year must come from the file.
        assert_eq!(f.lines[0].time_ms, Some(1_709_201_703_123));
        assert_eq!(f.lines[2999].format, LineFormat::Klog);
        let f = read_log("x", text, Some(2020), &mut Vec::new());
        assert_eq!(f.lines[0].time_ms, Some(1_582_971_303_123));
    }

    #[test]
    fn without_any_year_klog_falls_back_to_1970() {
        let f = log("I1116 10:15:03.123456   1 x.go:1] m\nplain");
        assert_eq!(f.lines[0].time_ms, Some(27_598_503_123));
        assert_eq!(f.lines[1].time_ms, Some(27_598_503_123));
        assert!(f.lines[1].time_inherited);
        let f = log("no time at all\nnone here either");
        assert!(f.lines.iter().all(|l| l.time_ms.is_none() && !l.time_inherited));
    }

    #[test]
    fn any_bytes_are_safe() {
        // Decoded text can hold anything: every char class the parsers branch on, cut at every length.
        let alphabet: Vec<char> = "0123456789-:.TZ+ []IWEFNov\x1b\r\n\"=time level é→🦀 ".chars().collect();
        let mut seed: u64 = 42;
        for _ in 0..3000 {
            let mut s = String::new();
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let len = (seed >> 58) as usize;
            for _ in 0..len {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                s.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            let f = log(&s);
            for i in 0..f.lines.len() {
                let _ = f.clean(i);
            }
            let _ = detect_frames(&f);
        }
        for prefix in [
            "[2024-11-16T10:15:03.123Z",
            "time=\"2024-11-16T10:",
            "I1116 10:1",
            "[Sat Nov 16 10:1",
            "Nov 16 1",
        ] {
            for cut in 0..=prefix.len() {
                if prefix.is_char_boundary(cut) {
                    let _ = log(&prefix[..cut]);
                }
            }
        }
    }

    #[test]
    fn klog_year_comes_from_the_file() {
        let f = log("2024-11-16T10:00:00Z start\nI1116 10:15:03.123456   123 controller.go:42] synced");
        assert_eq!(f.lines[1].time_ms, Some(1_731_752_103_123));
        assert_eq!(f.lines[1].format, LineFormat::Klog);
    }
}
