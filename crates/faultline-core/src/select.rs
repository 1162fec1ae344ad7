//! Narrowing a report to some tests (`--test PATTERN`), without breaking the indexes that tie its parts
//! together: timeline steps point into `events`, clusters into `diagnoses`.

use crate::fast_hash::{FastMap, FastSet};
use crate::model::TestCase;
use crate::report::{Report, Summary};

/// Test patterns: `*` matches any run of characters and `?` one; a pattern without either matches as a
/// substring. A test is selected when any pattern matches its id, its name or `suite.name`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestFilter {
    patterns: Vec<String>,
}

impl TestFilter {
    pub fn new(patterns: impl IntoIterator<Item = impl Into<String>>) -> TestFilter {
        TestFilter {
            patterns: patterns.into_iter().map(Into::into).filter(|p: &String| !p.is_empty()).collect(),
        }
    }

    /// True when no pattern was given: everything is selected.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    pub fn matches(&self, test: &TestCase) -> bool {
        if self.patterns.is_empty() {
            return true;
        }
        let dotted = format!("{}.{}", test.suite, test.name);
        self.patterns.iter().any(|p| {
            [test.id.as_str(), test.name.as_str(), dotted.as_str()].iter().any(|s| pattern_matches(p, s))
        })
    }
}

fn pattern_matches(pattern: &str, text: &str) -> bool {
    if !pattern.contains(['*', '?']) {
        return text.contains(pattern);
    }
    wildcard(&pattern.chars().collect::<Vec<_>>(), &text.chars().collect::<Vec<_>>())
}

/// Linear-time wildcard matching: on a mismatch, retry from the last `*` one character further on.
/// Hand-written because a glob crate brings path semantics (`/` is special) that test names do not have.
fn wildcard(p: &[char], t: &[char]) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

impl Report {
    /// Keeps the tests `keep` selects and everything tied to them; run-level events and lines stay.
    pub fn retain_tests(&mut self, keep: impl Fn(&TestCase) -> bool) {
        self.tests.retain(|t| keep(t));
        let kept: FastSet<String> = self.tests.iter().map(|t| t.id.clone()).collect();
        let is_kept = |id: Option<&str>| id.is_none_or(|id| kept.contains(id));

        let mut diag_map = FastMap::default();
        let mut diagnoses = Vec::new();
        for (old, d) in std::mem::take(&mut self.diagnoses).into_iter().enumerate() {
            if kept.contains(&d.test.id) {
                diag_map.insert(old, diagnoses.len());
                diagnoses.push(d);
            }
        }
        self.diagnoses = diagnoses;
        for c in &mut self.clusters {
            c.members = c.members.iter().filter_map(|m| diag_map.get(m).copied()).collect();
        }
        self.clusters.retain(|c| !c.members.is_empty());

        let mut event_map = FastMap::default();
        let mut events = Vec::new();
        for (old, e) in std::mem::take(&mut self.events).into_iter().enumerate() {
            if is_kept(e.test.as_deref()) {
                event_map.insert(old, events.len());
                events.push(e);
            }
        }
        self.events = events;
        self.timeline.retain(|tl| kept.contains(&tl.test));
        for tl in &mut self.timeline {
            for step in &mut tl.steps {
                if let Some(&new) = event_map.get(&step.event) {
                    step.event = new;
                }
            }
        }
        self.assignments.retain(|a| kept.contains(&a.test));
        if let Some(b) = &mut self.baseline {
            b.top.retain(|l| is_kept(l.test.as_deref()));
        }
        if let Some(h) = &mut self.history {
            h.flaky.retain(|f| kept.contains(&f.test));
            h.new_failures.retain(|f| kept.contains(&f.test));
            h.fixed.retain(|t| kept.contains(t));
            h.recurring.retain_mut(|r| {
                r.tests.retain(|t| kept.contains(t));
                !r.tests.is_empty()
            });
        }
        self.summary = Summary::of(&self.tests);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalyzeOptions, InputFile, analyze};

    #[test]
    fn wildcards_and_substrings() {
        let w = |p: &str, t: &str| pattern_matches(p, t);
        assert!(w("RWX", "Test RWX volume recovery"));
        assert!(!w("rwx", "Test RWX volume recovery"));
        assert!(w("Test*recovery", "Test RWX volume recovery"));
        assert!(w("*volume*", "Test RWX volume recovery"));
        assert!(!w("Test*recovery", "Test RWX volume recovery 2"));
        assert!(w("t?st", "test"));
        assert!(w("a*b*c", "aXbYbZc"));
        assert!(!w("a*b*c", "aXbYbZ"));
        assert!(w("*", ""));
        assert!(w("**a", "a"));
    }

    const JUNIT: &str = r#"<testsuite name="s" timestamp="2024-11-16T10:00:00">
  <testcase classname="s" name="good one" time="1"/>
  <testcase classname="s" name="bad one" time="1"><failure message="boom">boom</failure></testcase>
  <testcase classname="s" name="bad two" time="1"><failure message="boom">boom</failure></testcase>
</testsuite>"#;

    #[test]
    fn retain_keeps_indexes_consistent() {
        let mut r = analyze(vec![InputFile::new("j.xml", JUNIT)], &AnalyzeOptions::default()).report;
        assert_eq!(r.diagnoses.len(), 2);
        let filter = TestFilter::new(["bad t*"]);
        r.retain_tests(|t| filter.matches(t));
        assert_eq!(r.tests.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), vec!["bad two"]);
        assert_eq!((r.summary.tests, r.summary.failed), (1, 1));
        assert_eq!(r.diagnoses.len(), 1);
        assert!(r.clusters.iter().all(|c| c.members.iter().all(|&m| m < r.diagnoses.len())));
        for tl in &r.timeline {
            for s in &tl.steps {
                assert_eq!(r.events[s.event].test.as_deref(), Some(tl.test.as_str()));
            }
        }
        assert!(r.events.iter().all(|e| e.test.as_deref().is_none_or(|t| t.ends_with("bad two"))));
    }

    #[test]
    fn empty_filter_selects_everything() {
        let r = analyze(vec![InputFile::new("j.xml", JUNIT)], &AnalyzeOptions::default()).report;
        assert!(r.tests.iter().all(|t| TestFilter::default().matches(t)));
        assert!(TestFilter::new([""]).is_empty());
    }
}
