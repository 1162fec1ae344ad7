//! The log scan: one search of a block of log text for every log pattern's gate literals (see `gate`),
//! and the full per-line check only on the lines a gate literal occurs in.
//!
//! The block is lowercased once (ASCII only, as the pack's matching is) so the search is an exact one,
//! which lets the Aho-Corasick automaton use its SIMD prefilter (Teddy) natively; in wasm, without the
//! prefilters, it is the automaton alone. Lines holding an escape byte (ANSI colours) are checked the
//! straightforward way, since a literal may be split by an escape sequence in the raw text.

use aho_corasick::MatchKind;

use super::automata::Automata;

use super::{Candidate, Origin, Pack, Pattern};
use crate::event::Event;
use crate::logline::LogFile;

/// The union of the log patterns' gates.
#[derive(Debug, Clone)]
pub(crate) struct Gate {
    /// Automata over the lowercase gate literals, case-sensitive (the text searched is lowercased).
    /// With the SIMD prefilter, one per 32 literals (see `PER_SEARCH`): a few fast passes beat one
    /// pass of the bare automaton. Without it, one.
    searches: Automata,
    /// For each gate literal (numbered across the searches), the patterns it gates.
    patterns_of: Vec<Vec<usize>>,
    #[cfg(test)]
    pub(super) lits: Vec<String>,
}

/// Most literals per automaton: what Teddy's narrow variant takes with the prefilters, else all in one.
const PER_SEARCH: usize = if cfg!(feature = "literal-prefilters") { 32 } else { usize::MAX };

impl Gate {
    /// `None` when no pattern reads log lines.
    pub(crate) fn build(patterns: &[Pattern]) -> Option<Gate> {
        let mut lits: Vec<&[u8]> = Vec::new();
        let mut patterns_of: Vec<Vec<usize>> = Vec::new();
        for (pi, p) in patterns.iter().enumerate() {
            for l in &p.gate {
                match lits.iter().position(|x| *x == l.as_slice()) {
                    Some(i) => patterns_of[i].push(pi),
                    None => {
                        lits.push(l);
                        patterns_of.push(vec![pi]);
                    }
                }
            }
        }
        if lits.is_empty() {
            return None;
        }
        // A literal holding another is dropped and its patterns gated by the shorter one, which occurs
        // wherever it does: fewer literals, fewer passes.
        for i in 0..lits.len() {
            if let Some(j) = (0..lits.len()).find(|&j| {
                j != i
                    && !patterns_of[j].is_empty()
                    && lits[j].len() < lits[i].len()
                    && holds(lits[i], lits[j])
            }) {
                let moved = std::mem::take(&mut patterns_of[i]);
                patterns_of[j].extend(moved);
            }
        }
        let (lits, patterns_of): (Vec<&[u8]>, Vec<Vec<usize>>) =
            lits.into_iter().zip(patterns_of).filter(|(_, ps)| !ps.is_empty()).unzip();
        // Even parts: Teddy's narrow (32 bytes a step) variant takes up to 32 literals, the wide one
        // (16 bytes a step) 64, so three parts of 26 search faster than 64 and 13.
        let searches = Automata::build(&lits, MatchKind::LeftmostFirst, false, PER_SEARCH)?;
        Some(Gate {
            searches,
            patterns_of,
            #[cfg(test)]
            lits: lits.iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect(),
        })
    }
}

fn holds(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// `needle` occurs in `line`: memchr for one of its bytes (the first that is not a space or a common
/// letter, as those would stop memchr on nearly every word), then a comparison. Lines and the pack's
/// literals are short, and memchr's single-byte search is already in the wasm module (`memmem` added
/// several KB).
fn occurs(line: &[u8], needle: &[u8]) -> bool {
    let at = needle.iter().position(|b| !b" etaoinsrhdl".contains(b)).unwrap_or(0);
    let Some(&probe) = needle.get(at) else { return true };
    // Compared byte by byte: the literals are a few bytes, and a call to memcmp per probe cost more.
    memchr::memchr_iter(probe, line).any(|i| {
        i >= at
            && line
                .get(i - at..i - at + needle.len())
                .is_some_and(|w| w.iter().zip(needle).all(|(a, b)| a == b))
    })
}

/// Marks a line with an escape byte rather than a gate literal.
const ESCAPE: u32 = u32::MAX;

impl Pack {
    /// [`Pack::extract_log_lines`] through the gate search.
    pub(super) fn scan_log_lines(
        &self,
        log: &LogFile,
        lines: std::ops::Range<usize>,
        out: &mut Vec<Event>,
        on_line: &mut dyn FnMut(usize, &mut [Event]),
    ) {
        let end = lines.end.min(log.lines.len());
        let (Some(gate), Some(ac)) = (&self.gate, &self.automaton) else { return };
        if lines.start >= end {
            return;
        }
        let base = log.lines[lines.start].start;
        let block = &log.text.as_bytes()[base..log.lines[end - 1].end];
        let lower = block.to_ascii_lowercase();

        // (line, gate literal or ESCAPE) for every hit. Each search restarts one byte after the start of
        // its last match, so it reports every position a gate literal starts at: two literals can only
        // start at the same place when one is a prefix of the other, and `Gate::build` dropped the
        // longer. Leftmost-first (not overlapping) search is what Teddy serves. The line holding byte
        // `at` is found by a cursor that only moves forward, once per search.
        let line_from = |cursor: &mut usize, at: usize| {
            while *cursor + 1 < end && log.lines[*cursor + 1].start - base <= at {
                *cursor += 1;
            }
            *cursor
        };
        // One run of (line, gate literal or ESCAPE) for the escapes and one for each search, each in
        // line order; merged below (a sort would add another copy of the standard sort to wasm).
        let mut runs: Vec<Vec<(usize, u32)>> = Vec::with_capacity(gate.searches.parts().len() + 1);
        let mut cursor = lines.start;
        runs.push(memchr::memchr_iter(0x1b, block).map(|e| (line_from(&mut cursor, e), ESCAPE)).collect());
        for search in gate.searches.parts() {
            let mut cursor = lines.start;
            let mut run = Vec::new();
            let mut at = 0;
            while let Some((start, lit)) = search.find_from(&lower, at) {
                run.push((line_from(&mut cursor, start), lit));
                at = start + 1;
            }
            runs.push(run);
        }

        let mut present = vec![0u64; self.literals.len().div_ceil(64)];
        let mut gated = vec![0u64; self.patterns.len().div_ceil(64)];
        let mut heads = vec![0usize; runs.len()];
        while let Some(idx) = runs.iter().zip(&heads).filter_map(|(r, &h)| r.get(h).map(|m| m.0)).min() {
            gated.fill(0);
            let mut escape = false;
            for (run, head) in runs.iter().zip(heads.iter_mut()) {
                while let Some(&(_, lit)) = run.get(*head).filter(|m| m.0 == idx) {
                    *head += 1;
                    if lit == ESCAPE {
                        escape = true;
                        continue;
                    }
                    for &p in &gate.patterns_of[lit as usize] {
                        gated[p / 64] |= 1 << (p % 64);
                    }
                }
            }
            if escape {
                // The straightforward check on the ANSI-free text.
                let text = log.clean(idx);
                if self.literals_in(ac, &text, &mut present)
                    && self.patterns.iter().any(|p| p.all_in(&present))
                {
                    self.emit(log, idx, &text, &|_, p: &Pattern| p.all_in(&present), out, on_line);
                }
                continue;
            }
            let l = &log.lines[idx];
            let line = &lower[l.start - base..l.end - base];
            let text = log.raw(idx);
            // Keep the gated patterns whose literals all occur and, for one-line patterns, whose regex
            // matches: what `extract_present` would find, decided before the line's source and next
            // line are built (most flagged lines end here).
            let mut any = false;
            for (w, word) in gated.iter_mut().enumerate() {
                let mut bits = *word;
                while bits != 0 {
                    let i = w * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let p = &self.patterns[i];
                    if p.literals.iter().all(|&li| occurs(line, self.literals[li].as_bytes()))
                        && (p.two_lines || p.regex.is_match(text))
                    {
                        any = true;
                    } else {
                        *word &= !(1 << (i % 64));
                    }
                }
            }
            if any {
                let gated = &gated;
                self.emit(log, idx, text, &|i, _| gated[i / 64] & (1 << (i % 64)) != 0, out, on_line);
            }
        }
    }

    /// Runs the allowed patterns on line `idx` (ANSI-free `text`) and reports what it produced.
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &self,
        log: &LogFile,
        idx: usize,
        text: &str,
        allowed: &dyn Fn(usize, &Pattern) -> bool,
        out: &mut Vec<Event>,
        on_line: &mut dyn FnMut(usize, &mut [Event]),
    ) {
        let next = (idx + 1 < log.lines.len()).then(|| log.clean(idx + 1));
        let source = log.source_ref(idx);
        let before = out.len();
        let cand = Candidate {
            text,
            next: next.as_deref(),
            origin: Origin::Log,
            source: &source,
            time_ms: log.lines[idx].time_ms,
        };
        self.extract_present(&cand, allowed, out);
        if out.len() > before {
            on_line(idx, &mut out[before..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::Pack;
    use crate::event::Event;
    use crate::logline::read_log;

    /// Every line of the fixtures' logs, plus each pattern's gate and `contains` literals: text that
    /// fires patterns, nearly fires them, or splits their literals.
    fn vocabulary(pack: &Pack) -> Vec<String> {
        let mut words = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            entries.sort();
            for path in entries {
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "log")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    words.extend(text.lines().map(str::to_string));
                }
            }
        }
        for p in &pack.patterns {
            words.extend(p.gate.iter().map(|l| String::from_utf8_lossy(l).into_owned()));
        }
        words.extend(pack.literals.iter().cloned());
        words.extend(["\x1b[31m", "\x1b[0m", "ſ", "é", " ", "  ", "\t", "(", "12", ")"].map(String::from));
        words
    }

    fn events(pack: &Pack, text: &str, range: std::ops::Range<usize>, fast: bool) -> Vec<(usize, Event)> {
        let log = read_log("sharemanager-watch.log", text.to_string(), Some(2024), &mut Vec::new());
        let range = range.start.min(log.lines.len())..range.end.min(log.lines.len());
        let mut out = Vec::new();
        let mut lines = Vec::new();
        let on_line = |i: usize, ev: &mut [Event]| lines.extend(std::iter::repeat_n(i, ev.len()));
        if fast {
            pack.extract_log_lines(&log, range, &mut out, on_line);
        } else {
            pack.extract_each_line(&log, range, &mut out, on_line);
        }
        lines.into_iter().zip(out).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// The gate search finds exactly the events that checking every line finds, whatever the lines
        /// hold: fixture lines cut and glued, literals in any letter case, ANSI escapes, any line ending.
        #[test]
        fn the_gate_search_equals_checking_every_line(
            picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<u64>(), 0u8..8), 1..60),
            from in 0usize..20,
            len in 0usize..80,
        ) {
            let pack = Pack::builtin();
            let words = vocabulary(&pack);
            let mut text = String::new();
            for (pick, flips, glue) in picks {
                let word = pick.get(&words);
                // Flip the case of some ASCII letters; the pack's matching ignores ASCII case.
                text.extend(word.chars().enumerate().map(|(i, c)| {
                    if flips >> (i % 64) & 1 == 1 { c.to_ascii_uppercase() } else { c }
                }));
                text.push_str(match glue { 0 => "\n", 1 => "\r\n", 2 => "\r", 3 => " ", 4 => "\x1b[1m", _ => "" });
            }
            prop_assert_eq!(events(&pack, &text, 0..usize::MAX, true), events(&pack, &text, 0..usize::MAX, false));
            prop_assert_eq!(events(&pack, &text, from..from + len, true), events(&pack, &text, from..from + len, false));
        }
    }

    #[test]
    fn every_fixture_log_gives_the_same_events() {
        let pack = Pack::builtin();
        let text = vocabulary(&pack).join("\n");
        let fast = events(&pack, &text, 0..usize::MAX, true);
        assert!(fast.len() > 50, "the fixtures fire patterns: {}", fast.len());
        assert_eq!(fast, events(&pack, &text, 0..usize::MAX, false));
    }

    #[test]
    fn a_literal_is_not_given_to_more_than_one_search_start() {
        // Gate literals never hold one another, which the restart-one-byte-later search relies on.
        let pack = Pack::builtin();
        let Some(gate) = &pack.gate else { panic!("the built-in pack reads logs") };
        for a in &gate.lits {
            for b in &gate.lits {
                assert!(a == b || !a.contains(b.as_str()), "{a:?} holds {b:?}");
            }
        }
    }
}
