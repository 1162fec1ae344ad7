//! Problems with the input that did not stop the analysis. Bad input never aborts a run: what could be
//! read is still used, and each problem becomes a located [`Warning`] the user can act on.

use serde::{Deserialize, Serialize};

/// What went wrong, as a stable machine-readable tag (serialised in snake_case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// XML that is not well-formed; what was read before the error is kept.
    MalformedXml,
    /// A JUnit attribute whose value could not be understood (e.g. `time="abc"`); the raw text is kept.
    BadAttribute,
    /// Suite counts (`tests=`, `failures=`…) that disagree with the test cases actually present.
    CountMismatch,
    /// Bytes that are not valid in the detected encoding and were replaced by U+FFFD.
    InvalidEncoding,
    /// An archive that could not be opened or a member that could not be read.
    BadArchive,
    /// A size, depth or count limit was hit; the rest was skipped.
    LimitExceeded,
    /// A file whose contents faultline does not understand at all (e.g. binary data); it is skipped.
    Unrecognised,
    /// A Robot Framework output.xml element that could not be interpreted.
    BadRobotOutput,
    /// A pattern-pack or rule-file problem.
    BadPattern,
    /// Log lines that start with a timestamp that is no real time (month 13, hour 25, a far-off
    /// year); they take the time of the line before.
    BadTimestamp,
}

impl WarningKind {
    /// The name the report gives it (`limit_exceeded`), for front ends that show it: without going
    /// through a JSON value, which costs the web app 2 KB of wasm.
    pub fn name(self) -> &'static str {
        match self {
            WarningKind::MalformedXml => "malformed_xml",
            WarningKind::BadAttribute => "bad_attribute",
            WarningKind::CountMismatch => "count_mismatch",
            WarningKind::InvalidEncoding => "invalid_encoding",
            WarningKind::BadArchive => "bad_archive",
            WarningKind::LimitExceeded => "limit_exceeded",
            WarningKind::Unrecognised => "unrecognised",
            WarningKind::BadRobotOutput => "bad_robot_output",
            WarningKind::BadPattern => "bad_pattern",
            WarningKind::BadTimestamp => "bad_timestamp",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Warning {
    pub file: String,
    /// 1-based line, when the problem has a position.
    pub line: Option<u32>,
    /// 1-based column (in characters of the decoded line), when known.
    pub column: Option<u32>,
    pub kind: WarningKind,
    pub message: String,
}

impl Warning {
    pub fn new(kind: WarningKind, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self { file: file.into(), line: None, column: None, kind, message: message.into() }
    }

    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn at_line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::WarningKind;

    /// Every kind the report's schema lists (it is generated from these types, and a test holds the
    /// committed file to them) reads back as a kind whose `name` is that same string.
    #[test]
    fn every_kind_is_named_as_the_report_names_it() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../../schema/faultline.report.v1.schema.json"))
                .unwrap_or_default();
        let kinds = schema["$defs"]["WarningKind"]["oneOf"].as_array().cloned().unwrap_or_default();
        assert!(kinds.len() >= 10, "{kinds:?}");
        for k in &kinds {
            let kind: Option<WarningKind> = serde_json::from_value(k["const"].clone()).ok();
            assert_eq!(kind.map(WarningKind::name), k["const"].as_str(), "{k}");
        }
    }
}
