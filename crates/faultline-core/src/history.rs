//! Run history: one compact record per run, and what a run means next to the ones before it — tests
//! that flip between passing and failing, failures that are new, and failure clusters that keep coming
//! back. Records are plain JSON so that CI can keep them in any cache or artifact store; reading and
//! writing them is the front end's job (the core does no I/O).

use serde::{Deserialize, Serialize};

use crate::fast_hash::{FastMap, FastSet};
use crate::model::{FailureKind, TestStatus};
use crate::report::{Report, Summary};

pub const HISTORY_SCHEMA: &str = "faultline.history/v1";

/// How many earlier runs are compared by default.
pub const DEFAULT_RUNS: usize = 20;

/// One run, compactly: passed tests only as short hashes of their ids (a 100k-test run stays near
/// 1.5 MB), every other test in full.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RunRecord {
    pub schema: String,
    pub run: String,
    /// When the run was recorded, UTC ms (the front end's clock).
    pub time_ms: i64,
    pub summary: Summary,
    /// [`id_hash`] of every test that passed at its first attempt.
    pub passed: Vec<String>,
    /// Every test that did not simply pass.
    pub tests: Vec<RecordedTest>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordedTest {
    pub id: String,
    pub status: TestStatus,
    /// Failed attempts before the final one (reruns, flaky failures).
    #[serde(default)]
    pub retries: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// 12 hex digits of the md5 of a test id: 48 bits, so a collision among 100k tests is about one in 50,000.
pub fn id_hash(id: &str) -> String {
    let digest = format!("{:x}", md5::compute(id.as_bytes()));
    digest[..12].to_string()
}

/// Failed attempts recorded inside one test case.
pub fn retries_of(test: &crate::model::TestCase) -> u32 {
    let n = test
        .failures
        .iter()
        .filter(|f| {
            matches!(
                f.kind,
                FailureKind::FlakyFailure
                    | FailureKind::FlakyError
                    | FailureKind::RerunFailure
                    | FailureKind::RerunError
            )
        })
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl RunRecord {
    pub fn of(report: &Report, run: &str, time_ms: i64) -> RunRecord {
        let mut passed = Vec::new();
        let mut tests = Vec::new();
        for t in &report.tests {
            let retries = retries_of(t);
            if t.status == TestStatus::Passed && retries == 0 {
                passed.push(id_hash(&t.id));
                continue;
            }
            let d = report.diagnosis(&t.id);
            tests.push(RecordedTest {
                id: t.id.clone(),
                status: t.status,
                retries,
                rule: d.map(|d| d.rule.clone()),
                fingerprint: d.map(|d| d.fingerprint.clone()),
            });
        }
        RunRecord {
            schema: HISTORY_SCHEMA.to_string(),
            run: run.to_string(),
            time_ms,
            summary: report.summary.clone(),
            passed,
            tests,
        }
    }

    fn status_of(&self, id: &str, hash: &str, passed: &FastSet<&str>) -> Option<(TestStatus, u32)> {
        if passed.contains(hash) {
            return Some((TestStatus::Passed, 0));
        }
        self.tests.iter().find(|t| t.id == id).map(|t| (t.status, t.retries))
    }
}

/// What the history says about the current run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HistoryReport {
    /// Run ids compared, oldest first; the current run is last.
    pub runs: Vec<String>,
    /// Tests whose outcome flips between runs, or that needed retries.
    pub flaky: Vec<FlakyTest>,
    /// Tests failing now that passed (or did not run) in the previous run.
    pub new_failures: Vec<NewFailure>,
    /// Tests that failed in the previous run and pass now.
    pub fixed: Vec<String>,
    /// Failure fingerprints of this run seen in earlier runs too.
    pub recurring: Vec<RecurringFailure>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FlakyTest {
    pub test: String,
    /// One letter per run, oldest first: P passed, F failed, E error, S skipped, R passed after retries,
    /// `-` did not run.
    pub history: String,
    /// Changes between passing and failing across the runs.
    pub flips: u32,
    /// Failed attempts within the current run.
    pub retries: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewFailure {
    pub test: String,
    /// `passed` or `absent`: what the previous run had.
    pub previously: String,
    pub rule: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecurringFailure {
    pub fingerprint: String,
    pub rule: String,
    /// Runs with this fingerprint, the current one included.
    pub runs: u32,
    /// The earliest run that had it.
    pub first_seen: String,
    /// The tests that have it now.
    pub tests: Vec<String>,
}

fn letter(status: Option<(TestStatus, u32)>) -> char {
    match status {
        None => '-',
        Some((TestStatus::Passed, 0)) => 'P',
        Some((TestStatus::Passed | TestStatus::Flaky, _)) => 'R',
        Some((TestStatus::Failed, _)) => 'F',
        Some((TestStatus::Error, _)) => 'E',
        Some((TestStatus::Skipped, _)) => 'S',
    }
}

/// Compares `report` (the current run, recorded as `current`) with earlier records, oldest first.
pub fn compare(report: &Report, current: &RunRecord, previous: &[RunRecord]) -> HistoryReport {
    let passed_sets: Vec<FastSet<&str>> =
        previous.iter().map(|r| r.passed.iter().map(String::as_str).collect()).collect();
    let mut runs: Vec<String> = previous.iter().map(|r| r.run.clone()).collect();
    runs.push(current.run.clone());
    let mut out = HistoryReport { runs, ..HistoryReport::default() };

    for t in &report.tests {
        let hash = id_hash(&t.id);
        let mut statuses: Vec<Option<(TestStatus, u32)>> =
            previous.iter().zip(&passed_sets).map(|(r, p)| r.status_of(&t.id, &hash, p)).collect();
        let retries = retries_of(t);
        statuses.push(Some((t.status, retries)));
        let outcomes: Vec<bool> =
            statuses.iter().flatten().filter_map(|(s, _)| outcome(*s)).collect::<Vec<_>>();
        let flips = outcomes.windows(2).filter(|w| w[0] != w[1]).count();
        let flips = u32::try_from(flips).unwrap_or(u32::MAX);
        let retried_ever = statuses.iter().flatten().any(|(s, r)| *r > 0 || *s == TestStatus::Flaky);
        if flips >= 2 || retried_ever {
            out.flaky.push(FlakyTest {
                test: t.id.clone(),
                history: statuses.iter().map(|s| letter(*s)).collect(),
                flips,
                retries,
            });
        }
        let before = statuses.len().checked_sub(2).and_then(|i| statuses[i]);
        if !previous.is_empty() {
            if t.status.is_failure() && before.is_none_or(|(s, _)| outcome(s) == Some(true)) {
                out.new_failures.push(NewFailure {
                    test: t.id.clone(),
                    previously: if before.is_some() { "passed" } else { "absent" }.to_string(),
                    rule: report.diagnosis(&t.id).map(|d| d.rule.clone()),
                });
            }
            if outcome(t.status) == Some(true) && before.is_some_and(|(s, _)| outcome(s) == Some(false)) {
                out.fixed.push(t.id.clone());
            }
        }
    }

    let mut seen: FastMap<&str, (u32, &str)> = FastMap::default();
    for r in previous {
        let fps: FastSet<&str> = r.tests.iter().filter_map(|t| t.fingerprint.as_deref()).collect();
        for fp in fps {
            let e = seen.entry(fp).or_insert((0, r.run.as_str()));
            e.0 += 1;
        }
    }
    let mut done = FastSet::default();
    for d in &report.diagnoses {
        if !done.insert(d.fingerprint.as_str()) {
            continue;
        }
        if let Some(&(n, first)) = seen.get(d.fingerprint.as_str()) {
            out.recurring.push(RecurringFailure {
                fingerprint: d.fingerprint.clone(),
                rule: d.rule.clone(),
                runs: n + 1,
                first_seen: first.to_string(),
                tests: report
                    .diagnoses
                    .iter()
                    .filter(|o| o.fingerprint == d.fingerprint)
                    .map(|o| o.test.id.clone())
                    .collect(),
            });
        }
    }
    crate::sort::sort_by_key(&mut out.recurring, |r| std::cmp::Reverse(r.runs));
    out
}

/// true = passed, false = failed; skipped tests say nothing either way.
fn outcome(s: TestStatus) -> Option<bool> {
    match s {
        TestStatus::Passed | TestStatus::Flaky => Some(true),
        TestStatus::Failed | TestStatus::Error => Some(false),
        TestStatus::Skipped => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalyzeOptions, InputFile, analyze};

    fn run(cases: &[(&str, bool)]) -> Report {
        let mut xml = String::from("<testsuite name=\"s\">\n");
        for (name, ok) in cases {
            if *ok {
                xml.push_str(&format!("<testcase classname=\"s\" name=\"{name}\" time=\"1\"/>\n"));
            } else {
                xml.push_str(&format!(
                    "<testcase classname=\"s\" name=\"{name}\" time=\"1\"><failure message=\"timed out after 30s\">x</failure></testcase>\n"
                ));
            }
        }
        xml.push_str("</testsuite>\n");
        analyze(vec![InputFile::new("junit.xml", xml)], &AnalyzeOptions::default()).report
    }

    fn history(runs: &[Vec<(&str, bool)>]) -> HistoryReport {
        let mut previous = Vec::new();
        for (i, cases) in runs[..runs.len() - 1].iter().enumerate() {
            previous.push(RunRecord::of(&run(cases), &format!("run{i}"), i as i64));
        }
        let report = run(&runs[runs.len() - 1]);
        let current = RunRecord::of(&report, "now", 99);
        compare(&report, &current, &previous)
    }

    #[test]
    fn flips_new_failures_fixed_and_recurring() {
        let h = history(&[
            vec![("a", true), ("b", false), ("c", true), ("d", false)],
            vec![("a", false), ("b", false), ("c", true), ("d", false)],
            vec![("a", true), ("b", true), ("c", false), ("d", false), ("e", false)],
        ]);
        assert_eq!(h.runs, vec!["run0", "run1", "now"]);
        assert_eq!(
            h.flaky.iter().map(|f| (f.test.as_str(), f.history.as_str(), f.flips)).collect::<Vec<_>>(),
            vec![("s::a", "PFP", 2)]
        );
        assert_eq!(
            h.new_failures.iter().map(|n| (n.test.as_str(), n.previously.as_str())).collect::<Vec<_>>(),
            vec![("s::c", "passed"), ("s::e", "absent")]
        );
        assert_eq!(h.fixed, vec!["s::a", "s::b"]);
        // d failed the same way in all three runs; c and e share its fingerprint now.
        assert_eq!(h.recurring.len(), 1);
        assert_eq!((h.recurring[0].runs, h.recurring[0].first_seen.as_str()), (3, "run0"));
        assert_eq!(h.recurring[0].tests, vec!["s::c", "s::d", "s::e"]);
    }

    #[test]
    fn no_history_means_nothing_new() {
        let h = history(&[vec![("a", false)]]);
        assert_eq!(h.runs, vec!["now"]);
        assert!(h.new_failures.is_empty() && h.flaky.is_empty() && h.recurring.is_empty());
    }

    #[test]
    fn records_round_trip_and_stay_compact() {
        let report = run(&[("a", true), ("b", false)]);
        let rec = RunRecord::of(&report, "r1", 5);
        assert_eq!(rec.passed, vec![id_hash("s::a")]);
        assert_eq!(rec.tests.len(), 1);
        let json = serde_json::to_string(&rec).unwrap_or_default();
        let back: RunRecord = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
        assert_eq!(back, rec);
    }
}
