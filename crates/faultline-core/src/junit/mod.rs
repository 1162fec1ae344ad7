//! JUnit XML in all its dialects: pytest (xunit1/xunit2), Maven Surefire (with flaky and rerun
//! elements), Robot Framework `--xunit` (nested suites, no wrapper), Jenkins nested `<testsuites>`,
//! cargo-nextest, gotestsum, ctest and Ginkgo.
//!
//! Read with a streaming quick-xml reader of our own rather than `junit-parser`: junit-parser 1.7.0 drops
//! entity references from element text, keeps only the last of several `<failure>`s and rejects a whole
//! file over one non-numeric `time` (checked by `tests/junit_oracle.rs`, which still uses it as an
//! oracle for names and statuses on well-formed files).

pub(crate) mod entities;
pub(crate) mod lines;
pub(crate) mod quotes;
mod reader;
mod time_value;

pub use reader::read_junit;

use crate::input::sniff;

/// What a `<testsuite>` claimed about itself; kept to report lying counts.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SuiteInfo {
    pub name: String,
    /// Dotted path of the enclosing suites and this one.
    pub path: String,
    pub line: u32,
    pub declared_tests: Option<u64>,
    pub declared_failures: Option<u64>,
    pub declared_errors: Option<u64>,
    pub declared_skipped: Option<u64>,
    pub timestamp_ms: Option<i64>,
    /// Suite `<properties>` (Robot puts the suite's `Documentation` here).
    pub properties: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct JunitDoc {
    pub cases: Vec<crate::model::TestCase>,
    pub suites: Vec<SuiteInfo>,
}

/// True when the text's root element is `<testsuites>` or `<testsuite>` (any namespace prefix).
pub fn looks_like_junit(text: &str) -> bool {
    matches!(sniff::root_element(text), Some("testsuites" | "testsuite"))
}
