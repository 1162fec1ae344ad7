//! Comparing a failing run with a passing one: the lines of the failing run whose normalised text never
//! occurs in the passing run's logs are what changed, and usually point at the cause (the idea behind
//! logjuicer). Times, ids, hashes and pod suffixes are normalised away first, so only real differences
//! remain; the new lines are then ranked so that errors near the failure come first.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde::{Deserialize, Serialize};

use crate::assign::Assignment;
use crate::decode::decode;
use crate::fast_hash::{FastMap, FastSet};
use crate::fingerprint::normalise;
use crate::input::{self, ArtifactKind, Limits};
use crate::logline::{self, Level, LogFile};
use crate::model::TestCase;
use crate::source::InputFile;
use crate::warning::Warning;

/// Lines reported overall; a failing run can have thousands of new lines, a reader wants the best few.
pub const TOP_LINES: usize = 50;
/// Lines reported per failed test, on top of the overall best.
pub const TOP_PER_TEST: usize = 10;
/// Longest text kept for one line.
const LINE_CHARS: usize = 500;

/// What the comparison with a passing run found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BaselineReport {
    /// The passing run's log files that were read.
    pub files: Vec<String>,
    /// Distinct normalised lines in the passing run.
    pub baseline_lines: u64,
    /// Lines of the failing run compared.
    pub compared_lines: u64,
    /// Lines of the failing run whose normalised text the passing run never has.
    pub new_lines: u64,
    /// The best of them, highest score first; each distinct text once, at its first occurrence.
    pub top: Vec<NewLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewLine {
    pub file: String,
    pub line: u32,
    pub text: String,
    /// Higher is more telling: error level and words, tied to a failed test, rare in the run.
    pub score: f64,
    /// How often this normalised text occurs in the failing run.
    pub count: u64,
    /// The test the line belongs to, when it belongs to one.
    pub test: Option<String>,
}

/// Normalised-line hashes of a passing run's logs. Hashes, not texts: a 1 GB baseline costs 8 bytes per
/// distinct line.
pub struct Baseline {
    files: Vec<String>,
    known: FastSet<u64>,
}

impl Baseline {
    /// Reads the passing run's artifacts (archives expanded); only logs count, test reports are ignored.
    pub fn read(files: Vec<InputFile>, limits: &Limits, warnings: &mut Vec<Warning>) -> Baseline {
        let mut known = FastSet::default();
        let mut names = Vec::new();
        for file in files {
            for member in input::expand(file, limits, warnings) {
                if input::sniff(&member.name, &member.bytes) != ArtifactKind::Log {
                    continue;
                }
                let text = decode(&member.name, &member.bytes, warnings);
                let log = logline::read_log(&member.name, text, None, warnings);
                for idx in 0..log.lines.len() {
                    known.insert(key(&log.clean(idx)));
                }
                names.push(member.name);
            }
        }
        Baseline { files: names, known }
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Compares the failing run's logs with this baseline.
    pub fn compare(
        &self,
        logs: &[LogFile],
        tests: &[TestCase],
        assignments: &[Assignment],
    ) -> BaselineReport {
        let failed: FastSet<&str> =
            tests.iter().filter(|t| t.status.is_failure()).map(|t| t.id.as_str()).collect();
        let owner = Owners::new(assignments);
        // key → (first occurrence, count)
        let mut new: FastMap<u64, (Candidate, u64)> = FastMap::default();
        let mut order = Vec::new();
        let mut compared = 0u64;
        let mut new_lines = 0u64;
        for log in logs {
            for (idx, l) in log.lines.iter().enumerate() {
                let clean = log.clean(idx);
                if clean.trim().is_empty() {
                    continue;
                }
                compared += 1;
                let k = key(&clean);
                if self.known.contains(&k) {
                    continue;
                }
                new_lines += 1;
                new.entry(k).and_modify(|(_, n)| *n += 1).or_insert_with(|| {
                    order.push(k);
                    let test = owner.of(&log.name, l.line).map(str::to_string);
                    (
                        Candidate {
                            file: log.name.clone(),
                            line: l.line,
                            text: clip(&clean),
                            level: l.level,
                            test,
                        },
                        1,
                    )
                });
            }
        }
        let mut scored: Vec<NewLine> = order
            .iter()
            .filter_map(|k| new.remove(k))
            .map(|(c, count)| {
                let in_failed = c.test.as_deref().is_some_and(|t| failed.contains(t));
                NewLine {
                    score: score(&c, count, in_failed),
                    file: c.file,
                    line: c.line,
                    text: c.text,
                    count,
                    test: c.test,
                }
            })
            .collect();
        // Stable: equal scores keep file order, so the output is deterministic.
        crate::sort::sort_by(&mut scored, |a, b| b.score.total_cmp(&a.score));
        let mut top: Vec<NewLine> = Vec::new();
        let mut per_test: FastMap<&str, usize> = FastMap::default();
        let mut picked = vec![false; scored.len()];
        for (i, l) in scored.iter().enumerate().take(TOP_LINES) {
            picked[i] = true;
            if let Some(t) = l.test.as_deref() {
                *per_test.entry(t).or_default() += 1;
            }
        }
        for (i, l) in scored.iter().enumerate() {
            if picked[i] {
                continue;
            }
            if let Some(t) = l.test.as_deref().filter(|t| failed.contains(t)) {
                let n = per_test.entry(t).or_default();
                if *n < TOP_PER_TEST {
                    *n += 1;
                    picked[i] = true;
                }
            }
        }
        for (i, l) in scored.into_iter().enumerate() {
            if picked[i] {
                top.push(l);
            }
        }
        BaselineReport {
            files: self.files.clone(),
            baseline_lines: self.known.len() as u64,
            compared_lines: compared,
            new_lines,
            top,
        }
    }
}

struct Candidate {
    file: String,
    line: u32,
    text: String,
    level: Option<Level>,
    test: Option<String>,
}

/// Words that mark a line as a failure report in most tools' logs.
const TELLING: [&str; 14] = [
    "error",
    "fail",
    "timeout",
    "timed out",
    "refused",
    "denied",
    "panic",
    "exception",
    "cannot",
    "can't",
    "unable",
    "not found",
    "lost",
    "killed",
];

fn score(c: &Candidate, count: u64, in_failed_test: bool) -> f64 {
    let mut s = 1.0;
    s *= match c.level {
        Some(Level::Error | Level::Fatal) => 3.0,
        Some(Level::Warn) => 2.0,
        _ => 1.0,
    };
    let lower = c.text.to_ascii_lowercase();
    if TELLING.iter().any(|w| lower.contains(w)) {
        s *= 2.0;
    }
    if in_failed_test {
        s *= 2.0;
    }
    // A line repeated a thousand times is noise that changed, not an event.
    s / (1.0 + (count as f64).ln())
}

fn key(line: &str) -> u64 {
    let mut h = DefaultHasher::new();
    normalise(line.trim()).hash(&mut h);
    h.finish()
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(LINE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Which test a line belongs to, from the assignment runs.
struct Owners<'a> {
    by_file: FastMap<&'a str, Vec<(u32, u32, &'a str)>>,
}

impl<'a> Owners<'a> {
    fn new(assignments: &'a [Assignment]) -> Self {
        let mut by_file: FastMap<&str, Vec<(u32, u32, &str)>> = FastMap::default();
        for a in assignments {
            by_file.entry(a.file.as_str()).or_default().push((a.first_line, a.last_line, a.test.as_str()));
        }
        for runs in by_file.values_mut() {
            crate::sort::sort_by(runs, Ord::cmp);
        }
        Owners { by_file }
    }

    fn of(&self, file: &str, line: u32) -> Option<&'a str> {
        let runs = self.by_file.get(file)?;
        let i = runs.partition_point(|(first, _, _)| *first <= line).checked_sub(1)?;
        let (_, last, test) = runs[i];
        (line <= last).then_some(test)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalyzeOptions, analyze};

    const PASSING: &str = "2024-11-16T10:00:00Z INFO volume pvc-0a1b2c3d-0000-4000-8000-00000000000a attached\n\
                           2024-11-16T10:00:01Z INFO pod web-6d4cf56db6-abcde ready\n";
    const FAILING: &str = "2024-11-17T09:00:00Z INFO volume pvc-0a1b2c3d-0000-4000-8000-00000000000b attached\n\
                           2024-11-17T09:00:01Z INFO pod web-6d4cf56db6-zzzzz ready\n\
                           2024-11-17T09:00:02Z ERROR nfs: server share-manager not responding, timed out\n\
                           2024-11-17T09:00:03Z INFO heartbeat 1\n\
                           2024-11-17T09:00:04Z INFO heartbeat 2\n";

    fn compare(failing: &str, passing: &str) -> BaselineReport {
        let mut warnings = Vec::new();
        let base =
            Baseline::read(vec![InputFile::new("good.log", passing)], &Limits::default(), &mut warnings);
        let a = analyze(vec![InputFile::new("bad.log", failing)], &AnalyzeOptions::default());
        base.compare(&a.logs, &a.report.tests, &a.report.assignments)
    }

    #[test]
    fn volatile_tokens_do_not_make_a_line_new() {
        let r = compare(FAILING, PASSING);
        assert_eq!(r.files, vec!["good.log"]);
        assert_eq!(r.compared_lines, 5);
        // The error and the two heartbeats (one normalised text) are new; ids, times and pod hashes are not.
        assert_eq!(r.new_lines, 3);
        assert_eq!(r.top.len(), 2);
        assert_eq!(r.top[0].line, 3, "the error ranks first: {:?}", r.top);
        assert_eq!(r.top[1].count, 2);
        assert!(r.top[0].score > r.top[1].score);
    }

    #[test]
    fn identical_runs_have_nothing_new() {
        let r = compare(PASSING, PASSING);
        assert_eq!((r.new_lines, r.top.len()), (0, 0));
    }

    #[test]
    fn lines_keep_their_test() {
        let runs = [Assignment {
            file: "bad.log".into(),
            first_line: 2,
            last_line: 3,
            test: "s::t".into(),
            reason: crate::assign::AssignReason::JunitWindow,
        }];
        let owners = Owners::new(&runs);
        assert_eq!(owners.of("bad.log", 1), None);
        assert_eq!(owners.of("bad.log", 3), Some("s::t"));
        assert_eq!(owners.of("bad.log", 4), None);
        assert_eq!(owners.of("other.log", 2), None);
    }
}
