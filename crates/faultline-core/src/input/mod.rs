//! Archives in, files out; and what each file holds.
//!
//! CI artifacts arrive as support-bundle zips, tarballs of logs, gzipped consoles, and archives inside
//! archives. Everything is expanded in memory from bytes (the browser has no file system) and bounded
//! by [`Limits`], so a zip bomb costs a warning, not the machine.

mod archive;
pub(crate) mod sniff;

pub use archive::expand;
pub use sniff::{ArtifactKind, sniff};

/// Bounds that keep hostile archives from exhausting memory. Hitting one is a warning, never a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Total decompressed bytes taken from one input, all members and nesting levels together.
    pub max_decompressed_bytes: u64,
    /// Largest decompressed/compressed ratio accepted for one member.
    pub max_ratio: u64,
    /// How many archives deep expansion goes.
    pub max_depth: u32,
    /// Members read per archive.
    pub max_entries: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_decompressed_bytes: 4 << 30, max_ratio: 1000, max_depth: 8, max_entries: 100_000 }
    }
}
