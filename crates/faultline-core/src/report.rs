//! The `faultline.report/v1` report: the one shape every front end (CLI, wasm, web app) emits.
//!
//! Field names are a public contract: add fields freely, never rename or remove one.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::assign::Assignment;
use crate::baseline::BaselineReport;
use crate::event::Event;
use crate::fingerprint::Cluster;
use crate::history::HistoryReport;
use crate::model::{TestCase, TestStatus};
use crate::replay::Timeline;
use crate::rules::Diagnosis;
use crate::warning::Warning;

pub const REPORT_SCHEMA: &str = "faultline.report/v1";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Summary {
    pub tests: u64,
    pub passed: u64,
    pub failed: u64,
    pub errors: u64,
    pub skipped: u64,
    pub flaky: u64,
}

impl Summary {
    pub fn of(tests: &[TestCase]) -> Summary {
        let mut s = Summary { tests: tests.len() as u64, ..Summary::default() };
        for t in tests {
            match t.status {
                TestStatus::Passed => s.passed += 1,
                TestStatus::Failed => s.failed += 1,
                TestStatus::Error => s.errors += 1,
                TestStatus::Skipped => s.skipped += 1,
                TestStatus::Flaky => s.flaky += 1,
            }
        }
        s
    }
}

/// What faultline made of one input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Junit,
    RobotOutput,
    Log,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FileEntry {
    pub name: String,
    pub kind: FileKind,
    pub bytes: u64,
    /// Lines, for logs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<u64>,
    /// Test cases read, for JUnit and output.xml.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tests: Option<u64>,
    /// md5 of the file's bytes, for files up to 64 MiB: identifies an artifact across runs and lets a
    /// checksum the test reported be verified against the data itself when the data was shipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Report {
    /// Always `faultline.report/v1`; a new major version gets a new name.
    #[cfg_attr(feature = "schema", schemars(extend("const" = "faultline.report/v1")))]
    #[serde(deserialize_with = "schema_name")]
    pub schema: Cow<'static, str>,
    pub summary: Summary,
    pub files: Vec<FileEntry>,
    pub tests: Vec<TestCase>,
    /// One per failed or errored test: the root cause first, with blame, confidence, evidence, symptoms.
    pub diagnoses: Vec<Diagnosis>,
    /// Diagnoses that are the same failure (one fingerprint, or nearly the same text); members index
    /// `diagnoses`.
    pub clusters: Vec<Cluster>,
    /// The replay of each test that has events: steps (indexing `events`) with phases, and gaps.
    pub timeline: Vec<Timeline>,
    /// Every event, ordered by time (events without a time keep their place in file order).
    pub events: Vec<Event>,
    /// Which log lines belong to which test, and why.
    pub assignments: Vec<Assignment>,
    pub warnings: Vec<Warning>,
    /// Lines new in this run compared with a passing run's logs (`--baseline`), best first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineReport>,
    /// This run next to earlier runs (`--history`): flaky tests, new failures, recurring clusters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<HistoryReport>,
}

/// Reads back only this major version: a report of another shape must fail loudly, not half-load.
fn schema_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Cow<'static, str>, D::Error> {
    let name = String::deserialize(d)?;
    if name == REPORT_SCHEMA {
        Ok(Cow::Borrowed(REPORT_SCHEMA))
    } else {
        Err(serde::de::Error::custom(format_args!("schema is {name:?}, expected {REPORT_SCHEMA:?}")))
    }
}

impl Report {
    /// Reads a report written by any front end (a worker, a file saved from the CLI) back into its
    /// types, with every replay's object histories rebuilt from the events (they are derived data and
    /// not serialised), so `Timeline::state_at` works on a report that crossed a process or thread.
    pub fn from_json(text: &str) -> Result<Report, serde_json::Error> {
        let mut report: Report = serde_json::from_str(text)?;
        for tl in &mut report.timeline {
            tl.rebuild_history(&report.events);
        }
        Ok(report)
    }

    pub fn to_json_pretty(&self) -> String {
        // Serialising plain data with string keys cannot fail; fall back to an empty object if it ever did.
        crate::json::to_string(self, crate::json::Layout::Pretty).unwrap_or_else(|_| String::from("{}"))
    }

    pub fn diagnosis(&self, test_id: &str) -> Option<&Diagnosis> {
        self.diagnoses.iter().find(|d| d.test.id == test_id)
    }

    pub fn timeline_of(&self, test_id: &str) -> Option<&Timeline> {
        self.timeline.iter().find(|t| t.test == test_id)
    }

    pub fn test(&self, id: &str) -> Option<&TestCase> {
        self.tests.iter().find(|t| t.id == id)
    }

    pub fn events_of<'a>(&'a self, test_id: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
        self.events.iter().filter(move |e| e.test.as_deref() == Some(test_id))
    }
}

/// The JSON Schema of [`Report`] (plus `ObjectState` and `RuleInfo` in `$defs`), generated from the types
/// themselves so it cannot drift from what is serialised; the committed copy
/// (`schema/faultline.report.v1.schema.json`) is checked against it.
#[cfg(feature = "schema")]
pub fn report_schema() -> serde_json::Value {
    // Two shapes that are not inside a report travel with it: an object's state at a replay step
    // (`stateAt` in the wasm package) and a rule's description (`builtinRules`). They are defined here
    // too, so every front end's types come from one schema.
    let mut generator = schemars::SchemaGenerator::default();
    generator.subschema_for::<crate::replay::ObjectState>();
    generator.subschema_for::<crate::rules::RuleInfo>();
    let mut schema = generator.into_root_schema_for::<Report>().to_value();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("$id".into(), "https://faultline.dev/schema/faultline.report.v1.schema.json".into());
        obj.insert("title".into(), REPORT_SCHEMA.into());
    }
    schema
}
