//! The pattern pack: what a line *means* is data, not code.
//!
//! A pack is TOML. The built-in one (`builtin.toml`, compiled in) recognises Kubernetes storage-test
//! events; users add their own with the same format, and Step 2's rules consume the events either way.
//!
//! ```toml
//! [[object_kind]]                  # tokens people write → canonical kind, API group and plane
//! kind = "ShareManager"
//! group = "longhorn.io"
//! plane = "management"             # management | workload | unknown
//! aliases = ["sharemanager", "sharemanagers", "sharemanagers.longhorn.io"]
//!
//! [[pattern]]
//! id = "kubectl-delete"            # unique; cited by every event it produces
//! event = "object_deleted"         # an event type (see `EventKind`)
//! origins = ["log", "step"]        # optional: log | step | junit | robot_message (default: all)
//! files = "kubectl"                # optional: regex the file name must match
//! contains = ["kubectl", "delete"] # required: literals that must all occur (ASCII case-insensitive)
//! regex = '''kubectl\b.*\bdelete\s+(?P<kind>[\w.\-]+)\s+(?P<name>[\w.\-]+)'''
//! lines = 1                        # 2: the regex sees this line + "\n" + the next one
//! [pattern.fields]                 # constant fields, or templates over the captures
//! via = "kubectl"
//! ```
//!
//! Named captures become event fields (empty captures are dropped). Then, in code and for every pack:
//! a `kind` (or a `resource` written `kind/name`) is resolved through `object_kind` to set `kind`,
//! `group` and `plane` (unknown dotted kinds such as `widgets.example.com` are custom resources, hence
//! management plane); a `checksum` event gets `result` from `got` and `expected`.
//!
//! `contains` and the regex together make a pack fast. Over a log, each pattern has a *gate* (see
//! `gate`): the rarest of its `contains` literals and the literal set its regex requires (` is running`,
//! ` is pending`, … rather than `pod `). One search of a block of lines for every gate (see `scan`)
//! flags the few lines worth a look; there, a pattern runs its regex only when its gate literal and all
//! its `contains` literals occur. Other text (steps, JUnit failures, Robot messages) is short: one
//! Aho-Corasick pass over it finds every `contains` literal, and only patterns whose literals all
//! occurred run their regex.

mod automata;
pub(crate) mod compile;
mod gate;
mod lazy;
mod post;
mod scan;

pub(crate) use compile::regex_error;

use crate::regex_engine::Regex;

use crate::event::{Event, EventKind, Fields, Plane};
use crate::source::SourceRef;

/// Where a piece of text came from; a pattern may be limited to some origins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    Log,
    Step,
    Junit,
    RobotMessage,
}

impl Origin {
    fn parse(s: &str) -> Option<Origin> {
        Some(match s {
            "log" => Origin::Log,
            "step" => Origin::Step,
            "junit" => Origin::Junit,
            "robot_message" => Origin::RobotMessage,
            _ => return None,
        })
    }
}

pub struct Candidate<'a> {
    /// ANSI-free text of the line.
    pub text: &'a str,
    /// The following line, for patterns that span two lines.
    pub next: Option<&'a str>,
    pub origin: Origin,
    pub source: &'a SourceRef,
    pub time_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct PackError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

#[derive(Debug, Clone)]
pub(crate) struct ObjectKind {
    kind: String,
    group: String,
    plane: Plane,
}

#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    id: String,
    event: EventKind,
    origins: Option<Vec<Origin>>,
    files: Option<Regex>,
    /// Indexes into the pack's literal table.
    literals: Vec<usize>,
    regex: lazy::LazyRegex,
    two_lines: bool,
    fields: Vec<(String, String)>,
    /// Lowercase literals one of which every line this pattern matches contains (see `gate`); empty
    /// when the pattern never reads log lines.
    gate: gate::LitSet,
}

impl Pattern {
    /// True when every literal of this pattern is set in `present`.
    fn all_in(&self, present: &[u64]) -> bool {
        self.literals.iter().all(|&i| present.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0))
    }
}

/// A compiled pattern pack.
#[derive(Debug, Clone)]
pub struct Pack {
    kinds: Vec<(String, ObjectKind)>,
    patterns: Vec<Pattern>,
    literals: Vec<String>,
    automaton: Option<automata::Automata>,
    /// The union of the log patterns' gates, searched once over a block of log text.
    gate: Option<scan::Gate>,
    /// Longest field value kept (characters, then `…`): a capture over a 1 GB line must not copy it.
    field_chars: usize,
}

/// Two-line patterns see a line and the next joined; past this many bytes together they see the line
/// alone, so a giant line is never copied to be joined.
const TWO_LINE_MAX_BYTES: usize = 64 * 1024;

/// `text` cut to `max` characters with `…`.
fn clip_field(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// The built-in pack as written, comments and all (the repository's copy documents it).
pub(crate) const BUILTIN_SOURCE: &str = include_str!("builtin.toml");

/// The built-in pack as compiled in: its comment lines blanked to spaces at compile time. They cost
/// 2 KB gzipped in the browser package and no one reads them there; spaces, not removal, so every
/// line and column stays where it is in the source.
static BUILTIN: &str = match std::str::from_utf8(&BUILTIN_BLANKED) {
    Ok(text) => text,
    Err(_) => panic!("blanking a comment broke the pack's UTF-8"),
};
static BUILTIN_BLANKED: [u8; BUILTIN_SOURCE.len()] = blank_comment_lines(BUILTIN_SOURCE.as_bytes());

/// `src` with every line whose first non-blank character is `#` turned into spaces (byte for byte,
/// so UTF-8 stays valid). The pack has no multi-line strings for such a line to belong to; a test
/// checks that the blanked pack reads exactly as the source does.
const fn blank_comment_lines<const N: usize>(src: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let (mut i, mut line_start, mut comment) = (0, true, false);
    while i < N {
        let c = src[i];
        out[i] = c;
        if c == b'\n' {
            (line_start, comment) = (true, false);
        } else if line_start && c == b'#' {
            (line_start, comment) = (false, true);
        } else if !(line_start && (c == b' ' || c == b'\t')) {
            line_start = false;
        }
        if comment {
            out[i] = b' ';
        }
        i += 1;
    }
    out
}

impl Pack {
    /// The built-in pack. It is compiled into the binary and checked by a unit test, so failing to load
    /// it is a build defect, not an input problem.
    /// The built-in pack, read once per process; its regexes compile when lines first need them and
    /// stay compiled for later analyses (the web app's re-runs, a test suite's thousands).
    pub fn builtin() -> Pack {
        static BUILT: std::sync::OnceLock<Pack> = std::sync::OnceLock::new();
        BUILT
            .get_or_init(|| {
                match compile::compile_with("builtin.toml", BUILTIN, compile::Regexes::OnFirstUse) {
                    Ok(p) => p,
                    Err(e) => panic!("the built-in pattern pack is invalid: {e}"),
                }
            })
            .clone()
    }

    pub fn from_toml(file: &str, text: &str) -> Result<Pack, PackError> {
        compile::compile(file, text)
    }

    /// Appends another pack's kinds and patterns (users' packs come after the built-in one).
    pub fn merge(&mut self, other: Pack) {
        let offset = self.literals.len();
        self.kinds.extend(other.kinds);
        self.literals.extend(other.literals);
        self.patterns.extend(other.patterns.into_iter().map(|mut p| {
            for l in &mut p.literals {
                *l += offset;
            }
            p
        }));
        self.automaton = compile::automaton(&self.literals);
        self.gate = scan::Gate::build(&self.patterns);
    }

    /// Sets the longest field value kept ([`Limits::max_line_chars`](crate::input::Limits)); longer
    /// captures are clipped with `…` as they are taken.
    pub fn set_field_chars(&mut self, max: usize) {
        self.field_chars = max;
    }

    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// Appends the events recognised in `cand` (with `test: None`) to `out`. One line yields at most one
    /// event of each type: the first pattern in pack order wins, so specific patterns go first.
    /// Runs the pack over every line of a log, as the analysis does: ANSI-free text, the next line for
    /// two-line patterns. `on_line(index, events)` sees the events each line produced (e.g. to tie them to
    /// a test). Lines no literal occurs in — nearly all of them — cost one automaton scan and no
    /// allocation: their source reference and next line are built only on a hit.
    pub fn extract_log(
        &self,
        log: &crate::logline::LogFile,
        out: &mut Vec<Event>,
        on_line: impl FnMut(usize, &mut [Event]),
    ) {
        self.extract_log_lines(log, 0..log.lines.len(), out, on_line);
    }

    /// [`Pack::extract_log`] over some of the lines (0-based indexes), so a caller can report progress
    /// through a big log.
    pub fn extract_log_lines(
        &self,
        log: &crate::logline::LogFile,
        lines: std::ops::Range<usize>,
        out: &mut Vec<Event>,
        mut on_line: impl FnMut(usize, &mut [Event]),
    ) {
        // One search of the block for the patterns' gate literals; only the lines it flags are checked
        // (see `scan`). Equal, event for event, to checking every line (`extract_each_line`).
        self.scan_log_lines(log, lines, out, &mut on_line);
    }

    /// The straightforward [`Pack::extract_log_lines`]: every line's literals found with one automaton
    /// pass, then the patterns whose literals all occur. The gate search must give exactly this.
    #[cfg(test)]
    pub(crate) fn extract_each_line(
        &self,
        log: &crate::logline::LogFile,
        lines: std::ops::Range<usize>,
        out: &mut Vec<Event>,
        mut on_line: impl FnMut(usize, &mut [Event]),
    ) {
        let Some(ac) = &self.automaton else { return };
        let mut present = vec![0u64; self.literals.len().div_ceil(64)];
        for idx in lines.start..lines.end.min(log.lines.len()) {
            let text = log.clean(idx);
            if !self.literals_in(ac, &text, &mut present) || !self.patterns.iter().any(|p| p.all_in(&present))
            {
                continue;
            }
            let next = (idx + 1 < log.lines.len()).then(|| log.clean(idx + 1));
            let source = log.source_ref(idx);
            let before = out.len();
            let cand = Candidate {
                text: &text,
                next: next.as_deref(),
                origin: Origin::Log,
                source: &source,
                time_ms: log.lines[idx].time_ms,
            };
            self.extract_present(&cand, &|_, p: &Pattern| p.all_in(&present), out);
            if out.len() > before {
                on_line(idx, &mut out[before..]);
            }
        }
    }

    pub fn extract(&self, cand: &Candidate<'_>, out: &mut Vec<Event>) {
        let Some(ac) = &self.automaton else { return };
        // Most candidates match no literal: keep the bitset on the stack so they cost one automaton scan
        // and no allocation. Only packs with more than 512 distinct literals spill to the heap.
        let words = self.literals.len().div_ceil(64);
        let mut stack = [0u64; 8];
        let mut heap = Vec::new();
        let present: &mut [u64] = if words <= stack.len() {
            &mut stack[..words]
        } else {
            heap.resize(words, 0);
            &mut heap
        };
        if self.literals_in(ac, cand.text, present) {
            let present: &[u64] = present;
            self.extract_present(cand, &|_, p: &Pattern| p.all_in(present), out);
        }
    }

    /// Sets in `present` (cleared first) the bit of every literal occurring in `text`; false when none
    /// does.
    fn literals_in(&self, ac: &automata::Automata, text: &str, present: &mut [u64]) -> bool {
        present.fill(0);
        let mut any = false;
        ac.each_overlapping(text.as_bytes(), |i| {
            present[i / 64] |= 1 << (i % 64);
            any = true;
        });
        any
    }

    /// [`Pack::extract`] once it is known which patterns may match the candidate: `allowed(index,
    /// pattern)` is true when all its literals occur.
    fn extract_present(
        &self,
        cand: &Candidate<'_>,
        allowed: &dyn Fn(usize, &Pattern) -> bool,
        out: &mut Vec<Event>,
    ) {
        let mut joined: Option<String> = None;
        let mut produced: Vec<EventKind> = Vec::new();
        for (i, p) in self.patterns.iter().enumerate() {
            if produced.contains(&p.event) || !allowed(i, p) {
                continue;
            }
            if let Some(origins) = &p.origins
                && !origins.contains(&cand.origin)
            {
                continue;
            }
            if let Some(files) = &p.files
                && !files.is_match(&cand.source.file)
            {
                continue;
            }
            let next = cand.next.filter(|n| cand.text.len() + n.len() < TWO_LINE_MAX_BYTES);
            let hay: &str = match next {
                Some(n) if p.two_lines => joined.get_or_insert_with(|| format!("{}\n{}", cand.text, n)),
                _ => cand.text,
            };
            let Some(regex) = p.regex.get() else { continue };
            let Some(caps) = regex.captures(hay) else { continue };
            let mut source = cand.source.clone();
            if p.two_lines
                && let (Some(next), Some(m)) = (next, caps.get(0))
                && m.end() > cand.text.len()
            {
                source.line_end = Some(source.line.saturating_add(1));
                source.byte_end = source.byte_end.saturating_add(1 + next.len() as u64);
            }
            let mut fields = Fields::new();
            for name in regex.capture_names().flatten() {
                if let Some(m) = caps.name(name) {
                    let v = m.as_str().trim();
                    if !v.is_empty() {
                        fields.insert(name.to_string(), clip_field(v, self.field_chars));
                    }
                }
            }
            for (k, template) in &p.fields {
                let v = post::render(template, &caps, self.field_chars);
                if !v.is_empty() {
                    fields.insert(k.clone(), v);
                }
            }
            post::finish(self, p.event, &mut fields);
            produced.push(p.event);
            out.push(Event {
                kind: p.event,
                time: None,
                time_ms: cand.time_ms,
                test: None,
                source,
                extractor: p.id.clone(),
                fields,
            });
        }
    }

    fn kind_of(&self, token: &str) -> Option<&ObjectKind> {
        let t = token.to_ascii_lowercase();
        self.kinds.iter().find(|(alias, _)| *alias == t).map(|(_, k)| k)
    }
}

#[cfg(test)]
mod tests;
