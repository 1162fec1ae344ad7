//! faultline-core: CI artifacts in, typed events and a report out.
//!
//! The crate is pure: it takes bytes and returns data. It performs no I/O, reads no clock and spawns no
//! threads, so the very same code runs in the CLI and, compiled to `wasm32-unknown-unknown`, in a browser.
//!
//! Data flow: [`input`] expands archives into [`InputFile`]s and sniffs what each holds; [`junit`] and
//! [`robot`] read test results; [`logline`] splits logs into timestamped lines; [`extract`] turns lines
//! into typed [`Event`]s with the pattern pack; [`assign`] ties every line and event to its test;
//! [`analyze()`] drives it all and builds the [`Report`].
//!
//! A front end that can read a file again (the CLI, from disk) may hand logs over as [`LogSource`]s
//! instead of bytes: [`stream`] then reads them in passes, in bounded memory, to the same report.

pub mod analyze;
pub mod assign;
pub mod baseline;
pub mod decode;
pub mod event;
pub mod export;
pub mod extract;
pub mod fast_hash;
pub mod fingerprint;
pub mod history;
pub mod input;
pub mod json;
pub mod junit;
pub mod logline;
pub mod logview;
pub mod model;
pub mod parallel;
pub mod parse_float;
pub mod regex_engine;
pub mod replay;
pub mod report;
pub mod robot;
pub mod rules;
pub mod select;
pub(crate) mod sort;
pub mod source;
pub mod stream;
pub mod timefmt;
pub(crate) mod toml_read;
pub mod warning;
pub(crate) mod xml_drive;

pub use analyze::{
    Analysis, AnalyzeOptions, Progress, ProgressStage, analyze, analyze_inputs, analyze_inputs_on,
    analyze_with_progress,
};
pub use event::{Event, EventKind, Plane};
pub use model::{TestCase, TestStatus};
pub use report::{REPORT_SCHEMA, Report};
pub use source::{InputFile, SourceRef};
pub use stream::{Input, LogSource};
pub use warning::{Warning, WarningKind};
