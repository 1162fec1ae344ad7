//! The last pass over a streamed log: once the diagnoses are made, only the lines the report quotes
//! (each cited line with the context an HTML excerpt shows) are read back and kept.

use std::ops::ControlFlow;

use super::LogSource;
use super::tally::Mark;
use crate::logline::incremental::{self, TimePolicy};

/// The quoted lines of a log read as a stream: without ANSI codes, clipped to the line limit (what
/// evidence and excerpts show of a line, so quoting them again gives the same text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeptLines {
    pub name: String,
    /// Lines in the whole log.
    pub total: u32,
    /// (1-based line number, text), by line number: read in order, so a sorted list (a map type
    /// would compile another B-tree into the wasm module).
    pub lines: Vec<(u32, String)>,
    /// How to read any of its lines again, for a viewer that can reach the source.
    pub index: LineIndex,
}

/// How a viewer reads a streamed log's lines again from its source ([`crate::logview`]): where lines
/// start, and how each is timed, exactly as the analysis timed it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    pub(crate) marks: Vec<Mark>,
    pub(crate) policy: TimePolicy,
    pub(crate) head_time: Option<i64>,
}

impl LineIndex {
    pub(crate) fn new(marks: Vec<Mark>, policy: TimePolicy, head_time: Option<i64>) -> LineIndex {
        LineIndex { marks, policy, head_time }
    }

    /// How many places it can be read from besides the start.
    pub fn marks(&self) -> usize {
        self.marks.len()
    }

    /// The last mark at or before line `n` (1-based), if any: reading for line `n` starts there.
    pub(crate) fn mark_for(&self, n: u32) -> Option<&Mark> {
        let i = self.marks.partition_point(|m| m.line <= n);
        i.checked_sub(1).and_then(|i| self.marks.get(i))
    }
}

impl KeptLines {
    /// Line `n` (1-based), if it was kept.
    pub fn line(&self, n: u32) -> Option<&str> {
        let i = self.lines.binary_search_by_key(&n, |(k, _)| *k).ok()?;
        self.lines.get(i).map(|(_, text)| text.as_str())
    }
}

/// Lines of context kept either side of a cited line: what the HTML report's excerpts show.
pub(crate) const RADIUS: u32 = crate::export::html::EXCERPT_RADIUS;

/// Reads the lines in `wanted` (inclusive 1-based ranges) back from `source`.
/// Reads from the index's last mark before the first wanted line, if any.
pub(crate) fn read(
    source: &mut dyn LogSource,
    total: u32,
    mut wanted: Vec<(u32, u32)>,
    index: LineIndex,
    max_line_chars: usize,
) -> (KeptLines, Option<crate::warning::Warning>) {
    let name = source.name().to_string();
    crate::sort::sort_pairs(&mut wanted);
    let last_wanted = wanted.iter().map(|w| w.1).max().unwrap_or(0);
    let first_wanted = wanted.first().map_or(0, |w| w.0);
    let mark = index.mark_for(first_wanted).copied();
    let mut kept = KeptLines { name: name.clone(), total, lines: Vec::new(), index };
    let mut n = mark.map_or(0, |m| m.line.saturating_sub(1));
    let mut next = 0usize;
    let from = mark.map(|m| m.offset);
    let (_, result) = super::lines_from(source, from, &mut |_| {}, &mut |line, _| {
        n = n.saturating_add(1);
        while wanted.get(next).is_some_and(|w| w.1 < n) {
            next += 1;
        }
        if wanted.get(next).is_some_and(|w| w.0 <= n) {
            let clean = incremental::clean(line.text);
            kept.lines.push((n, crate::export::clip(&clean, max_line_chars).into_owned()));
        }
        if n >= last_wanted { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    });
    (kept, result.err().map(|e| super::survey::read_error(&name, &e)))
}
