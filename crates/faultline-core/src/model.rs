//! Test results as read from JUnit XML and Robot Framework output.xml, in one shape for every dialect.

use serde::{Deserialize, Serialize};

use crate::source::SourceRef;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TestStatus {
    Passed,
    Failed,
    Error,
    Skipped,
    /// Passed only after one or more failed attempts (Surefire `flakyFailure`/`flakyError`, pytest reruns).
    Flaky,
}

impl TestStatus {
    pub fn is_failure(self) -> bool {
        matches!(self, TestStatus::Failed | TestStatus::Error)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TestStatus::Passed => "passed",
            TestStatus::Failed => "failed",
            TestStatus::Error => "error",
            TestStatus::Skipped => "skipped",
            TestStatus::Flaky => "flaky",
        }
    }
}

/// Which element a [`Failure`] came from. JUnit dialects differ here, and the difference matters:
/// a `rerunFailure` means the test failed every attempt, a `flakyFailure` that it passed in the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    Failure,
    Error,
    Skipped,
    FlakyFailure,
    FlakyError,
    RerunFailure,
    RerunError,
}

/// One `<failure>`/`<error>`/`<skipped>`/rerun element, text kept exactly as the file encodes it
/// (entities and CDATA resolved, nothing trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Failure {
    pub kind: FailureKind,
    pub message: Option<String>,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub text: String,
    /// 1-based line of the element's start tag.
    pub line: u32,
    /// `<system-out>`/`<system-err>` nested inside a Surefire rerun/flaky element.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_out: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_err: Option<String>,
}

/// A test case from any source, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TestCase {
    /// Stable identifier, unique within a report: `<suite>::<name>`, with `#2`, `#3`… appended to
    /// repeated cases (reruns written as separate `<testcase>` elements).
    pub id: String,
    /// The enclosing suite path joined with `.` (Robot: `Tests.Negative.Component Resilience`), or the
    /// `classname` when the dialect puts the suite there.
    pub suite: String,
    pub classname: Option<String>,
    pub name: String,
    pub status: TestStatus,
    /// Duration in milliseconds when `time` could be read.
    pub duration_ms: Option<f64>,
    /// The `time` attribute exactly as written, kept when it could not be read as a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_raw: Option<String>,
    /// Start in UTC milliseconds since the epoch (`timestamp` of the case or its suite, or output.xml).
    pub start_ms: Option<i64>,
    /// The first failure/error message (the line a CI page shows).
    pub message: Option<String>,
    pub failures: Vec<Failure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_out: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_err: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<(String, String)>,
    /// The `file` attribute some dialects write (pytest, nextest, Ginkgo).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_attr: Option<String>,
    /// Where the test's record starts (the `<testcase>` or `<test>` element).
    pub source: SourceRef,
    /// Robot `[Documentation]`, the best statement of what the test *meant* to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

impl TestCase {
    /// End of the test in UTC ms, when both start and duration are known.
    pub fn end_ms(&self) -> Option<i64> {
        let start = self.start_ms?;
        let dur = self.duration_ms?;
        if !dur.is_finite() || dur < 0.0 {
            return None;
        }
        Some(start.saturating_add(dur.ceil() as i64))
    }
}
