//! Root-cause rules as data, and the diagnosis they produce.
//!
//! A rule is a declarative pattern over a test's events: predicates on type and fields, a sequence of
//! matches with time windows, absences ("with no remount in between"), field joins across matches, and
//! cues from the test's intent (its name, `[Documentation]` and step names). A clause may look beyond
//! the test (`scope = "run"`: run-level events near it; `"earlier"`: the run so far, other tests
//! included), because a failure's cause is not always inside the test that fails. The built-in pack
//! (`builtin.toml`) is written in the same TOML format users extend with `--rules FILE`; the complete
//! reference is `FORMAT.md` next to this file (the README's "Root-cause rules" is the tour). In short:
//!
//! ```toml
//! [[rule]]
//! id = "deleted-cr-instead-of-pod"   # public id; a later file's rule with the same id replaces it
//! blame = "test"                     # test | product | infrastructure | unknown
//! confidence = 0.9                   # [0,1]; +0.05 when intent.boost matches
//! priority = 100                     # ranks hits no other hit explains
//! explains = ["data-unreadable"]     # these hits become symptoms of this one
//! summary = "deleted {deleted.kind} `{deleted.name}` at {deleted.time} ({deleted.source})"
//! [rule.intent]                      # regexes over test name, documentation, top-level step names
//! require = '''(?i)pod|crash|recover'''
//! forbid = '''(?i)custom resource|finalizer'''
//! [[rule.match]]                     # clauses bind events in order, with backtracking
//! as = "failure"
//! type = ["io_error", "checksum"]
//! where = { result = "~^(read_failed|empty)$" }    # exact, ~regex, >=N, <N, >=@other_field
//! [[rule.match]]
//! as = "deleted"
//! type = "object_deleted"
//! where = { plane = "management" }
//! before = "failure"                 # after / before / between = ["a", "b"]
//! within = "30m"                     # 90s, 10m, 1h30m
//! [[rule.absent]]                    # no such event may exist in the window
//! type = "state_changed"
//! where = { state = "remount_requested" }
//! join = { name = "~{deleted.name}" } # field equals (or, with ~, contains) the rendered template
//! between = ["deleted", "failure"]
//! ```
//!
//! Why TOML clauses rather than a query language: rules come from users and must be checkable with
//! located errors (`RuleSet::check`), bounded at run time, and readable by the people whose tests they
//! judge.
//! The engine reasons over sequences, not symptoms: `md5sum … Connection timed out` alone is a product
//! symptom (`data-unreadable`); the same symptom after the test deleted a custom resource, with no remount
//! in between, is a test bug (`deleted-cr-instead-of-pod`) that explains — and outranks — the symptom.

pub(crate) mod compile;
mod eval;
mod template;

use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::model::TestCase;

pub use compile::RuleError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Blame {
    Test,
    Product,
    Infrastructure,
    Unknown,
}

impl Blame {
    pub fn as_str(self) -> &'static str {
        match self {
            Blame::Test => "test",
            Blame::Product => "product",
            Blame::Infrastructure => "infrastructure",
            Blame::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TestRef {
    pub id: String,
    pub name: String,
}

/// A line that proves part of a diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Evidence {
    /// The rule's name for this piece (`deleted`, `failure`…); `telling` for unclassified failures.
    pub role: String,
    pub file: String,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_end: Option<u32>,
    pub time: Option<String>,
    pub time_ms: Option<i64>,
    pub event_type: String,
    /// The line as the artifact has it (filled in by the analysis, which holds the texts).
    pub text: Option<String>,
    /// The test the line belongs to, when that is another test than the diagnosed one: a cause an
    /// earlier test left behind (rules with `scope = "earlier"`). Absent for the test's own lines and
    /// run-level ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<TestRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Symptom {
    pub rule: String,
    pub blame: Blame,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Diagnosis {
    pub test: TestRef,
    pub rule: String,
    pub blame: Blame,
    pub confidence: f64,
    pub summary: String,
    pub fix: String,
    pub evidence: Vec<Evidence>,
    pub symptoms: Vec<Symptom>,
    /// md5 of the normalised rule and failure message: equal across runs, pods and volumes.
    pub fingerprint: String,
}

/// A compiled rule set: the built-in rules, then users' rules.
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<compile::Rule>,
    pods: Vec<(String, String)>,
}

/// What `builtinRules()` and `faultline rules list` show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RuleInfo {
    pub id: String,
    pub blame: Blame,
    pub confidence: f64,
    pub priority: i64,
    pub summary: String,
    pub fix: String,
    pub explains: Vec<String>,
}

/// A `static`, not a `const`: a const is copied into every crate that uses it (the wasm module held the
/// rule text twice).
static BUILTIN: &str = include_str!("builtin.toml");

/// The rule id given to a failed test no rule explains.
pub const UNCLASSIFIED: &str = "unclassified";

impl RuleSet {
    /// The built-in rules. Compiled in and checked by a unit test, so failing to load them is a build
    /// defect, not an input problem.
    pub fn builtin() -> RuleSet {
        match RuleSet::from_toml("builtin.toml", BUILTIN) {
            Ok(r) => r,
            Err(e) => panic!("the built-in rules are invalid: {e}"),
        }
    }

    pub fn builtin_source() -> &'static str {
        BUILTIN
    }

    pub fn from_toml(file: &str, text: &str) -> Result<RuleSet, RuleError> {
        let mut errors = compile::compile(file, text);
        match errors {
            Ok(set) => Ok(set),
            Err(ref mut list) => Err(list.remove(0)),
        }
    }

    /// Every mistake in a rule file (for `faultline rules check`), located.
    pub fn check(file: &str, text: &str) -> Vec<RuleError> {
        compile::compile(file, text).err().unwrap_or_default()
    }

    /// Adds `other`'s rules after these. A user rule with a built-in id replaces the built-in one, so a
    /// suite can tune a rule without forking the pack.
    pub fn merge(&mut self, other: RuleSet) {
        for r in other.rules {
            match self.rules.iter().position(|x| x.id == r.id) {
                Some(i) => self.rules[i] = r,
                None => self.rules.push(r),
            }
        }
        // Same for naming conventions: the user's `pod_for` for a kind wins over the built-in one.
        for (kind, pod) in other.pods {
            self.pods.retain(|(k, _)| *k != kind);
            self.pods.push((kind, pod));
        }
    }

    pub fn infos(&self) -> Vec<RuleInfo> {
        self.rules
            .iter()
            .map(|r| RuleInfo {
                id: r.id.clone(),
                blame: r.blame,
                confidence: r.confidence,
                priority: r.priority,
                summary: r.summary.clone(),
                fix: r.fix.clone(),
                explains: r.explains.clone(),
            })
            .collect()
    }
}

/// One diagnosis per failed or errored test; passing, skipped and flaky tests get none.
pub fn diagnose(tests: &[TestCase], events: &[Event], rules: &RuleSet) -> Vec<Diagnosis> {
    eval::diagnose(tests, events, rules)
}

#[cfg(test)]
mod tests;
