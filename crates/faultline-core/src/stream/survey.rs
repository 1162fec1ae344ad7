//! The first look at a streamed log: what the events pass needs before it starts, because it needs
//! look-ahead. The year of a year-less format comes from the first line that reveals it, so this pass
//! reads only until it knows the year (with the tests' year as a hint, one chunk). Console frames (a
//! frame's lines belong to a test named at its end) are read in a pass of their own, [`frame`], only
//! for a log that carries a console's mark: the events pass looks for the marks as it reads, and in the
//! rare log that has one it stops, the log is framed, and the events pass starts again. A log without
//! them, nearly every big one, is read once for its events instead of twice.

use std::ops::ControlFlow;

use super::LogSource;
use super::decoder::ChunkDecoder;
use super::lines::LineSplitter;
use crate::logline::Frame;
use crate::logline::incremental::{self, PYTEST_MARK, ROBOT_MARK, StreamFramer, TimePolicy, YearScan};
use crate::warning::Warning;

pub(crate) struct Survey {
    pub frames: Vec<Frame>,
    /// True once [`frame`] has run: `frames` are the log's. Until then the events pass looks for a
    /// console's mark, and finding one sends it back here.
    pub framed: bool,
    pub policy: TimePolicy,
    /// A read error, if any.
    pub warnings: Vec<Warning>,
}

pub(crate) fn survey(source: &mut dyn LogSource, year_hint: Option<i32>) -> Survey {
    let name = source.name().to_string();
    let mut years = YearScan::new(year_hint);
    let mut decoder = ChunkDecoder::new();
    let mut splitter = LineSplitter::default();
    let mut text = String::new();
    let result = if years.known() {
        Ok(())
    } else {
        source.read(&mut |chunk| {
            text.clear();
            decoder.feed(chunk, &mut text);
            splitter.feed(&text, &mut |line| years.line(&incremental::clean(line.text)));
            if years.known() { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        })
    };
    if !years.known() {
        text.clear();
        let _ = decoder.finish(&name, &mut text, &mut Vec::new());
        splitter.feed(&text, &mut |line| years.line(&incremental::clean(line.text)));
        splitter.finish(&mut |line| years.line(&incremental::clean(line.text)));
    }
    let mut warnings = Vec::new();
    if let Err(e) = result {
        warnings.push(read_error(&name, &e));
    }
    Survey { frames: Vec::new(), framed: false, policy: years.finish(), warnings }
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
