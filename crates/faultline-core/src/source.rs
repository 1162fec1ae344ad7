//! Where data came from. Every test, line and event keeps a [`SourceRef`] so that a diagnosis can always
//! cite the exact file and line that proves it.

use serde::{Deserialize, Serialize};

/// One artifact as bytes. `name` is a path-like label: files found inside archives are named
/// `outer.zip!/inner/path.log`, so a user can tell exactly which archive member a line came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl InputFile {
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self { name: name.into(), bytes: bytes.into() }
    }
}

/// A place in an artifact: file, 1-based line, and the byte range of that line in the decoded text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SourceRef {
    pub file: String,
    pub line: u32,
    /// Last line, when the fact spans several (a two-line checksum report).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_end: Option<u32>,
    /// Byte offset of the start of the line in the file's decoded text.
    pub byte_start: u64,
    /// Byte offset one past the end of the line (without its line terminator).
    pub byte_end: u64,
}

impl SourceRef {
    /// True when the fact this points at is stated on `line`.
    pub fn covers(&self, line: u32) -> bool {
        (self.line..=self.line_end.unwrap_or(self.line)).contains(&line)
    }

    pub fn new(file: impl Into<String>, line: u32, byte_start: u64, byte_end: u64) -> Self {
        Self { file: file.into(), line, line_end: None, byte_start, byte_end }
    }
}
