//! Archives in, files out; and what each file holds. OWNER: helper B.

use crate::source::InputFile;
use crate::warning::Warning;

/// Bounds that keep hostile archives from exhausting memory. Hitting one is a warning, never a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Total decompressed bytes across all members of one input.
    pub max_decompressed_bytes: u64,
    /// Largest decompressed/compressed ratio accepted for one member.
    pub max_ratio: u64,
    /// How many archives deep expansion goes.
    pub max_depth: u32,
    /// Members per archive.
    pub max_entries: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_decompressed_bytes: 4 << 30, max_ratio: 1000, max_depth: 8, max_entries: 100_000 }
    }
}

/// What a file holds, judged from its name and first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtifactKind {
    Junit,
    RobotOutput,
    Log,
    Binary,
}

/// Expands zip, tar, tar.gz/tgz and gz (nested too) into their member files; other files pass through.
pub fn expand(file: InputFile, limits: &Limits, warnings: &mut Vec<Warning>) -> Vec<InputFile> {
    let _ = (file, limits, warnings);
    todo!("helper B")
}
