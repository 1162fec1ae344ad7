//! Archives in, files out; and what each file holds.
//!
//! CI artifacts arrive as support-bundle zips, tarballs of logs, gzipped consoles, and archives inside
//! archives. Everything is expanded in memory from bytes (the browser has no file system) and bounded
//! by [`Limits`], so a zip bomb costs a warning, not the machine.

mod archive;
pub(crate) mod sniff;

pub use archive::{expand, is_archive};
pub use sniff::{ArtifactKind, sniff};

/// Bounds that keep hostile input from exhausting memory or flooding a report. Hitting one is a
/// `limit_exceeded` warning naming the file (and the member, line or test), never a crash; what was read
/// within the limit is kept. The CLI sets some of them with `--max-decompressed-bytes`,
/// `--max-line-chars` and `--max-events-per-test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Total decompressed bytes taken from one input, all members and nesting levels together. The
    /// expansion of one input is also bounded by `max_ratio` times its own size (at least 1 MiB).
    pub max_decompressed_bytes: u64,
    /// Largest decompressed/compressed ratio accepted for one member (members under 1 MiB are always
    /// read), and for one input's whole expansion.
    pub max_ratio: u64,
    /// How many archives deep expansion goes.
    pub max_depth: u32,
    /// Members read per archive.
    pub max_entries: u32,
    /// Characters of one line kept where a report shows artifact text: evidence, excerpts, event field
    /// values, test messages and bodies. Longer lines are clipped with `…` (one warning per file); the
    /// analysis itself still reads every line whole.
    pub max_line_chars: usize,
    /// Events kept per test (and for the run-level events no test claims): the earliest and the latest
    /// half are kept, the middle is dropped with a warning naming the test.
    pub max_events_per_test: usize,
}

impl Limits {
    /// Default of [`Limits::max_line_chars`].
    pub const DEFAULT_LINE_CHARS: usize = 2000;
    /// Default of [`Limits::max_events_per_test`].
    pub const DEFAULT_EVENTS_PER_TEST: usize = 10_000;
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_decompressed_bytes: 4 << 30,
            max_ratio: 1000,
            max_depth: 8,
            max_entries: 100_000,
            max_line_chars: Self::DEFAULT_LINE_CHARS,
            max_events_per_test: Self::DEFAULT_EVENTS_PER_TEST,
        }
    }
}
