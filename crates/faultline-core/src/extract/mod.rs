//! The pattern pack: data-driven recognition of typed events in text. OWNER: helper C.

use crate::event::Event;
use crate::source::SourceRef;

/// Where a piece of text came from; a pattern may be limited to some origins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    Log,
    Step,
    Junit,
    RobotMessage,
}

pub struct Candidate<'a> {
    /// ANSI-free text of the line.
    pub text: &'a str,
    /// The following line, for patterns that span two lines.
    pub next: Option<&'a str>,
    pub origin: Origin,
    pub source: &'a SourceRef,
    pub time_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct PackError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Pack {}

impl Pack {
    pub fn builtin() -> Pack {
        todo!("helper C")
    }

    pub fn from_toml(file: &str, text: &str) -> Result<Pack, PackError> {
        let _ = (file, text);
        todo!("helper C")
    }

    pub fn merge(&mut self, other: Pack) {
        let _ = other;
        todo!("helper C")
    }

    /// Appends the events recognised in `cand` (with `test: None`) to `out`.
    pub fn extract(&self, cand: &Candidate<'_>, out: &mut Vec<Event>) {
        let _ = (cand, out);
        todo!("helper C")
    }
}
