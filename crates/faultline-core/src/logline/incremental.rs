//! The per-line rules of [`read_log`](super::read_log) for a log read as a stream, one line at a time
//! with bounded state. A whole log resolves its year, the time its untimed head inherits and its
//! bad-stamp warning in one pass over lines it keeps; a stream cannot keep them. [`TimingScan`] learns
//! the year and the head's time as the events pass reads, and [`TimePolicy`] parses every line exactly
//! as `read_log` would have after re-reading the year-less lines above the year; only when what a line
//! reveals changes how lines already read should have been parsed is the log read again from the top,
//! as far as that line. [`BadStamps`] counts what `read_log`'s first parse of each line would have
//! counted.

use std::ops::ControlFlow;

use super::{ansi, stamp};
use crate::warning::Warning;

pub(crate) use super::framing::{PYTEST_MARK, ROBOT_MARK, StreamFramer};

/// True when a line read before the year was known must be parsed again once it is.
pub(super) fn year_less(parsed: &stamp::Parsed, clean: &str) -> bool {
    year_less_line(parsed.time_ms, parsed.format, clean)
}

fn year_less_line(time_ms: Option<i64>, format: super::LineFormat, clean: &str) -> bool {
    stamp::needs_year(format)
        || (time_ms.is_none() && clean.as_bytes().first().is_some_and(u8::is_ascii_uppercase))
}

/// The line's text as patterns see it: without ANSI escape sequences.
pub(crate) fn clean(raw: &str) -> std::borrow::Cow<'_, str> {
    ansi::strip(raw)
}

/// How a streamed log's lines get their times, as far as the reads of it have learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timing {
    pub policy: TimePolicy,
    /// No hint, and no line read so far revealed the year: lines are parsed without one.
    year_pending: bool,
    /// The time the lines above the first timed one inherit, once a read has met that line.
    head: Option<i64>,
}

impl Timing {
    pub(crate) fn new(year_hint: Option<i32>) -> Timing {
        Timing { policy: TimePolicy::Fixed(year_hint), year_pending: year_hint.is_none(), head: None }
    }

    /// The time lines above the first timed one inherit: none until a read has met that line, and none
    /// for a log without one.
    pub(crate) fn head_time(&self) -> Option<i64> {
        self.head
    }
}

/// Learns a log's [`Timing`] line by line, from its first line, in the pass that needs it (no pass of
/// its own: a log without a year or a timestamp used to be read to its end for them, twice).
pub(crate) struct TimingScan {
    timing: Timing,
    /// A line read without the year that would parse differently with it.
    needs_year: bool,
}

impl TimingScan {
    pub(crate) fn new(timing: Timing) -> TimingScan {
        TimingScan { timing, needs_year: false }
    }

    /// Line `idx` (0-based; every line from the first, in order), without ANSI: its parse. Or, when this
    /// line shows that lines above it should have been parsed otherwise (the year they lacked, the time
    /// their head inherits), the timing to read the log again with, from the top.
    pub(crate) fn line(&mut self, idx: usize, clean: &str) -> ControlFlow<Timing, Parsed> {
        let parsed = self.timing.policy.parse(idx, clean);
        if self.timing.year_pending {
            if year_less_line(parsed.time_ms, parsed.format, clean) {
                self.needs_year = self.needs_year || changes_with_a_year(&parsed, clean);
            } else if let Some(year) = parsed.time_ms.and_then(stamp::year_of) {
                // As `read_log`: lines from here on are parsed with the year, year-less lines above
                // again with it.
                self.timing.policy = TimePolicy::Found { year, at: idx };
                self.timing.year_pending = false;
                if self.needs_year {
                    return ControlFlow::Break(Timing { head: None, ..self.timing });
                }
            }
        }
        if self.timing.head.is_none()
            && let Some(t) = parsed.time_ms
        {
            self.timing.head = Some(t);
            if idx > 0 {
                // The lines above were read as untimed: they inherit this time.
                return ControlFlow::Break(self.timing);
            }
        }
        ControlFlow::Continue(parsed)
    }

    /// What the lines read so far taught.
    pub(crate) fn timing(&self) -> Timing {
        self.timing
    }
}

/// A year-less line read before the year was known: with the year (any year: 2000 is a leap year, so
/// every date is valid in it), would its parse change?
fn changes_with_a_year(parsed: &Parsed, clean: &str) -> bool {
    if stamp::needs_year(parsed.format) {
        return true;
    }
    let with = stamp::parse(clean, Some(2000));
    with.time_ms.is_some() != parsed.time_ms.is_some()
        || with.format != parsed.format
        || with.level != parsed.level
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
