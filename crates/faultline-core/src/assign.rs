//! Which test printed which log line.
//!
//! A console log, a component log and a kernel log know nothing about tests; the diagnosis needs every
//! line tied to the test that was running. Three kinds of evidence are used, strongest first:
//! 1. console framing (Robot's `| PASS |`/`| FAIL |` frames, pytest `-v` lines) names the test outright;
//! 2. Robot output.xml gives each test's exact start and end;
//! 3. JUnit `timestamp` + `time` give a window. Cases that share one suite timestamp (most dialects only
//!    stamp the suite) are laid out one after the other in document order, which is how runners execute
//!    them.
//!
//! Lines that fall in no window stay run-level. The reason for each assignment is recorded so a user can
//! see why a line was attributed to a test.

use serde::{Deserialize, Serialize};

use crate::fast_hash::FastMap;
use crate::logline::{Frame, FrameStyle, LogFile};
use crate::model::TestCase;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssignReason {
    ConsoleFrame,
    OutputXmlWindow,
    JunitWindow,
}

/// A run of consecutive lines of one file attributed to one test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Assignment {
    pub file: String,
    pub first_line: u32,
    pub last_line: u32,
    pub test: String,
    pub reason: AssignReason,
}

/// A test's time window in UTC ms, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub test: usize,
    pub start: i64,
    pub end: i64,
    pub reason: AssignReason,
}

/// Builds the windows: output.xml windows where known (`exact`), JUnit ones for the rest.
pub fn windows(tests: &[TestCase], exact: &[Option<(i64, i64)>]) -> Vec<Window> {
    let mut out = Vec::new();
    // JUnit cases sharing a start (a suite timestamp) are laid out sequentially in document order.
    // Keyed by borrowed file names (a copy per test was 100k allocations on a 100k-case report).
    let mut cursor: FastMap<(&str, i64), i64> = FastMap::default();
    for (i, t) in tests.iter().enumerate() {
        if let Some(Some((start, end))) = exact.get(i) {
            out.push(Window {
                test: i,
                start: *start,
                end: (*end).max(*start),
                reason: AssignReason::OutputXmlWindow,
            });
            continue;
        }
        let (Some(start), Some(dur)) = (t.start_ms, t.duration_ms) else { continue };
        if !dur.is_finite() || dur < 0.0 {
            continue;
        }
        let key = (t.source.file.as_str(), start);
        let begin = *cursor.get(&key).unwrap_or(&start);
        let end = begin.saturating_add(dur.ceil() as i64);
        cursor.insert(key, end);
        out.push(Window { test: i, start: begin, end, reason: AssignReason::JunitWindow });
    }
    crate::sort::sort_by_key(&mut out, |w| (w.start, w.end));
    out
}

/// Per line of `file`: the index of its test and why, or `None` for run-level lines.
pub fn assign_lines(
    file: &LogFile,
    frames: &[Frame],
    tests: &[TestCase],
    windows: &[Window],
) -> Vec<Option<(usize, AssignReason)>> {
    let mut out: Vec<Option<(usize, AssignReason)>> = vec![None; file.lines.len()];
    for frame in frames {
        let Some(test) = match_frame(frame, tests) else { continue };
        let last = frame.last.min(file.lines.len().saturating_sub(1));
        for slot in out.iter_mut().take(last + 1).skip(frame.first) {
            *slot = Some((test, AssignReason::ConsoleFrame));
        }
    }
    if windows.is_empty() {
        return out;
    }
    for (slot, line) in out.iter_mut().zip(&file.lines) {
        if slot.is_some() {
            continue;
        }
        let Some(t) = line.time_ms else { continue };
        if let Some(w) = window_at(windows, t) {
            *slot = Some((w.test, w.reason));
        }
    }
    out
}

/// The most specific window containing `t`: of those that contain it, the one that started last.
pub(crate) fn window_at(windows: &[Window], t: i64) -> Option<&Window> {
    let upto = windows.partition_point(|w| w.start <= t);
    // Windows are short and mostly disjoint, so a handful of steps back finds the answer; the bound keeps
    // a pathological input (thousands of overlapping windows) linear.
    windows[..upto].iter().rev().take(64).find(|w| w.end >= t)
}

/// The test each console frame belongs to, if any.
pub(crate) fn frame_tests(frames: &[Frame], tests: &[TestCase]) -> Vec<Option<usize>> {
    frames.iter().map(|f| match_frame(f, tests)).collect()
}

/// Finds the test a console frame belongs to.
fn match_frame(frame: &Frame, tests: &[TestCase]) -> Option<usize> {
    let name_ok = |t: &TestCase| {
        if frame.name_truncated { t.name.starts_with(&frame.test_name) } else { t.name == frame.test_name }
    };
    let suite_ok = |t: &TestCase| match (&frame.suite, frame.style) {
        (None, _) => true,
        (Some(s), FrameStyle::RobotConsole) => t.suite == *s || t.suite.ends_with(&format!(".{s}")),
        (Some(s), FrameStyle::PytestConsole) => {
            let dotted =
                s.replace(".py::", "::").trim_end_matches(".py").replace("::", ".").replace(['/', '\\'], ".");
            t.suite == dotted || t.suite.ends_with(&format!(".{dotted}")) || dotted.ends_with(&t.suite)
        }
    };
    let mut fallback = None;
    for (i, t) in tests.iter().enumerate() {
        if name_ok(t) {
            if suite_ok(t) {
                return Some(i);
            }
            fallback.get_or_insert(i);
        }
    }
    fallback
}

/// Collapses per-line assignments into runs for the report.
pub fn runs(
    file: &LogFile,
    per_line: &[Option<(usize, AssignReason)>],
    tests: &[TestCase],
) -> Vec<Assignment> {
    let mut runs = RunBuilder::default();
    for (slot, line) in per_line.iter().zip(&file.lines) {
        runs.push(*slot, line.line, &file.name, tests);
    }
    runs.finish(&file.name, tests)
}

/// [`runs`] a line at a time, for a log read as a stream: only the open run is held.
#[derive(Default)]
pub(crate) struct RunBuilder {
    out: Vec<Assignment>,
    open: Option<(usize, AssignReason, u32, u32)>,
}

impl RunBuilder {
    /// Line `line` (1-based) of `file` went to `slot`.
    pub(crate) fn push(
        &mut self,
        slot: Option<(usize, AssignReason)>,
        line: u32,
        file: &str,
        tests: &[TestCase],
    ) {
        match (slot, self.open) {
            (Some((t, r)), Some((ot, or, first, _))) if t == ot && r == or => {
                self.open = Some((ot, or, first, line))
            }
            (cur, prev) => {
                if let Some((ot, or, first, last)) = prev {
                    self.out.push(make(file, tests, ot, or, first, last));
                }
                self.open = cur.map(|(t, r)| (t, r, line, line));
            }
        }
    }

    pub(crate) fn finish(mut self, file: &str, tests: &[TestCase]) -> Vec<Assignment> {
        if let Some((ot, or, first, last)) = self.open.take() {
            self.out.push(make(file, tests, ot, or, first, last));
        }
        self.out
    }
}

fn make(file: &str, tests: &[TestCase], t: usize, reason: AssignReason, first: u32, last: u32) -> Assignment {
    Assignment {
        file: file.to_string(),
        first_line: first,
        last_line: last,
        test: tests.get(t).map(|t| t.id.clone()).unwrap_or_default(),
        reason,
    }
}
