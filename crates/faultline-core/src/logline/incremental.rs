//! The per-line rules of [`read_log`](super::read_log) for a log read as a stream, one line at a time
//! with bounded state. A whole log resolves its year and its bad-stamp warning in one pass over lines it
//! keeps; a stream cannot keep them, so it takes two looks: [`YearScan`] (first pass) finds where the
//! file reveals its year, and [`TimePolicy`] (later passes) then parses every line exactly as `read_log`
//! would have after re-reading the year-less lines above that point; [`BadStamps`] counts what
//! `read_log`'s first parse of each line would have counted.

use super::{ansi, stamp};
use crate::warning::Warning;

pub(crate) use super::framing::{PYTEST_MARK, ROBOT_MARK, StreamFramer};

/// True when a line read before the year was known must be parsed again once it is.
pub(super) fn year_less(parsed: &stamp::Parsed, clean: &str) -> bool {
    stamp::needs_year(parsed.format)
        || (parsed.time_ms.is_none() && clean.as_bytes().first().is_some_and(u8::is_ascii_uppercase))
}

/// The line's text as patterns see it: without ANSI escape sequences.
pub(crate) fn clean(raw: &str) -> std::borrow::Cow<'_, str> {
    ansi::strip(raw)
}

/// The first look at a streamed log: where its year comes from, when no hint gives it.
pub(crate) struct YearScan {
    hint: Option<i32>,
    year: Option<i32>,
    /// 0-based index of the line that revealed the year.
    found_at: Option<usize>,
    lines: usize,
}

impl YearScan {
    pub(crate) fn new(year_hint: Option<i32>) -> YearScan {
        YearScan { hint: year_hint, year: year_hint, found_at: None, lines: 0 }
    }

    /// True once the year is known: later lines cannot change how any line is parsed.
    pub(crate) fn known(&self) -> bool {
        self.year.is_some()
    }

    /// The next line, without ANSI sequences.
    pub(crate) fn line(&mut self, clean: &str) {
        if self.year.is_some() {
            return;
        }
        let parsed = stamp::parse(clean, None);
        if !year_less(&parsed, clean)
            && let Some(ms) = parsed.time_ms
        {
            self.year = stamp::year_of(ms);
            if self.year.is_some() {
                self.found_at = Some(self.lines);
            }
        }
        self.lines += 1;
    }

    /// How later passes parse each line.
    pub(crate) fn finish(self) -> TimePolicy {
        match (self.hint, self.year, self.found_at) {
            (None, Some(year), Some(at)) => TimePolicy::Found { year, at },
            _ => TimePolicy::Fixed(self.hint),
        }
    }
}

/// Lines that look timestamped but whose time is impossible, counted as `read_log` counts them: the
/// warning it gives.
#[derive(Default)]
pub(crate) struct BadStamps {
    /// (count, first line, its stamp).
    seen: (u64, u32, String),
}

impl BadStamps {
    /// Line `n` (1-based), without ANSI; `untimed` when its first parse (see [`Parsed::untimed`]) found no
    /// time.
    pub(crate) fn line(&mut self, n: u32, clean: &str, untimed: bool) {
        if untimed && let Some(shown) = stamp::impossible_stamp(clean) {
            if self.seen.0 == 0 {
                self.seen = (0, n, shown.to_string());
            }
            self.seen.0 += 1;
        }
    }

    pub(crate) fn finish(self, name: &str, warnings: &mut Vec<Warning>) {
        let (count, first, shown) = self.seen;
        if count > 0 {
            warnings.push(super::bad_stamps_warning(name, count, first, &shown));
        }
    }
}

/// A line of a streamed log as `read_log` records it before times are inherited.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parsed {
    pub time_ms: Option<i64>,
    pub format: super::LineFormat,
    pub level: Option<super::Level>,
    /// The parse `read_log` makes as it reads the line (before the year is known, if it was not) found
    /// no time: the bad-stamp check applies.
    pub untimed: bool,
}

/// How each line of a streamed log is parsed, once its first pass is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimePolicy {
    /// The year hint (or none at all) for every line.
    Fixed(Option<i32>),
    /// No hint; line `at` revealed `year`. Lines after it use it; year-less lines above it are parsed
    /// again with it, as `read_log` does once it knows the year.
    Found { year: i32, at: usize },
}

impl Default for TimePolicy {
    fn default() -> TimePolicy {
        TimePolicy::Fixed(None)
    }
}

impl TimePolicy {
    /// Line `idx` (0-based), without ANSI: its time, format and level as `read_log` records them
    /// before times are inherited.
    pub(crate) fn parse(&self, idx: usize, clean: &str) -> Parsed {
        let (first, p) = match *self {
            TimePolicy::Fixed(year) => {
                let p = stamp::parse(clean, year);
                (p.time_ms, p)
            }
            TimePolicy::Found { year, at } if idx < at => {
                let p = stamp::parse(clean, None);
                (p.time_ms, if year_less(&p, clean) { stamp::parse(clean, Some(year)) } else { p })
            }
            TimePolicy::Found { at, .. } if idx == at => {
                let p = stamp::parse(clean, None);
                (p.time_ms, p)
            }
            TimePolicy::Found { year, .. } => {
                let p = stamp::parse(clean, Some(year));
                (p.time_ms, p)
            }
        };
        Parsed { time_ms: p.time_ms, format: p.format, level: p.level, untimed: first.is_none() }
    }
}
