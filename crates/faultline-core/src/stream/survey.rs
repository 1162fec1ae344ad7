//! What the events pass needs to know that only look-ahead tells, learned without a pass of its own
//! wherever it can be. The year of a year-less format and the time an untimed head inherits are learned
//! by the events pass as it reads ([`Timing`]); it starts again from the top only when a line shows
//! that lines above it were parsed without what it revealed. Console frames (a frame's lines belong to
//! a test named at its end) are read in a pass of their own, [`frame`], only for a log that carries a
//! console's mark: the events pass looks for the marks as it reads, and in the rare log that has one it
//! stops, the log is framed, and the events pass starts again. A log without them, nearly every big
//! one, is read once for its events.

use std::ops::ControlFlow;

use super::LogSource;
use crate::logline::Frame;
use crate::logline::incremental::{self, PYTEST_MARK, ROBOT_MARK, StreamFramer, Timing};
use crate::warning::Warning;

/// What the events pass must know before it starts, as far as it is known: the passes learn the rest.
pub(crate) struct Survey {
    pub frames: Vec<Frame>,
    /// True once [`frame`] has run: `frames` are the log's. Until then the events pass looks for a
    /// console's mark, and finding one sends it back here.
    pub framed: bool,
    /// The year (the tests' year, if any) and the head's time, learned by the events pass as it reads.
    pub timing: Timing,
}

/// What is known of a streamed log before any pass reads it.
pub(crate) fn survey(year_hint: Option<i32>) -> Survey {
    Survey { frames: Vec::new(), framed: false, timing: Timing::new(year_hint) }
}

/// True when `lines` (a log's lines, joined by line breaks) hold either console's mark: the log must be
/// framed. Neither mark holds a line break, so the lines hold every mark the text does, and joining
/// them makes none.
pub(crate) fn has_mark(lines: &str) -> bool {
    let bytes = lines.as_bytes();
    memchr::memmem::find(bytes, ROBOT_MARK).is_some() || memchr::memmem::find(bytes, PYTEST_MARK).is_some()
}

/// The console frames of a log that carries a console's mark: a pass of its own over every line.
pub(crate) fn frame(source: &mut dyn LogSource) -> Vec<Frame> {
    let mut framer = StreamFramer::default();
    let _ = super::each_line(source, &mut |_| {}, &mut |line, _| {
        framer.line(line.text, &incremental::clean(line.text));
        ControlFlow::Continue(())
    });
    framer.finish()
}

/// A source that failed part way: what was read counts, and the report says so.
pub(crate) fn read_error(name: &str, error: &str) -> Warning {
    Warning::new(
        crate::warning::WarningKind::Unrecognised,
        name,
        format!("could not be read to the end ({error}); what was read is kept"),
    )
}
