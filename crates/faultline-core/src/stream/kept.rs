//! The last pass over a streamed log: once the diagnoses are made, only the lines the report quotes
//! (each cited line with the context an HTML excerpt shows) are read back and kept.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use super::LogSource;
use super::tally::Mark;
use crate::logline::incremental;

/// The quoted lines of a log read as a stream: without ANSI codes, clipped to the line limit (what
/// evidence and excerpts show of a line, so quoting them again gives the same text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeptLines {
    pub name: String,
    /// Lines in the whole log.
    pub total: u32,
    /// 1-based line number → text.
    pub lines: BTreeMap<u32, String>,
}

impl KeptLines {
    /// Line `n` (1-based), if it was kept.
    pub fn line(&self, n: u32) -> Option<&str> {
        self.lines.get(&n).map(String::as_str)
    }
}

/// Lines of context kept either side of a cited line: what the HTML report's excerpts show.
pub(crate) const RADIUS: u32 = crate::export::html::EXCERPT_RADIUS;

/// Reads the lines in `wanted` (inclusive 1-based ranges) back from `source`.
/// Reads from the last of `marks` before the first wanted line, if any.
pub(crate) fn read(
    source: &mut dyn LogSource,
    total: u32,
    mut wanted: Vec<(u32, u32)>,
    marks: &[Mark],
    max_line_chars: usize,
) -> (KeptLines, Option<crate::warning::Warning>) {
    let name = source.name().to_string();
    wanted.sort_unstable();
    let mut kept = KeptLines { name: name.clone(), total, lines: BTreeMap::new() };
    let last_wanted = wanted.iter().map(|w| w.1).max().unwrap_or(0);
    let first_wanted = wanted.first().map_or(0, |w| w.0);
    let mark = marks.iter().take_while(|m| m.line <= first_wanted).last();
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
            kept.lines.insert(n, crate::export::clip(&clean, max_line_chars).into_owned());
        }
        if n >= last_wanted { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    });
    (kept, result.err().map(|e| super::survey::read_error(&name, &e)))
}
