//! The first pass over a streamed log: only what the events pass needs before it starts, because it
//! needs look-ahead — the year of a year-less format (from the first line that reveals it) and the
//! console frames (a frame's lines belong to a test named at its end). Everything a line-by-line count
//! can give (line count, md5, bad timestamps, the first over-long line, decoding warnings) is counted
//! by the events pass instead ([`super::tally`]), so this pass is usually a decode and two substring
//! searches: lines are split only while the year is unknown, and framed only in a log that carries a
//! console's mark (then in a pass of their own).

use std::ops::ControlFlow;

use super::LogSource;
use super::decoder::ChunkDecoder;
use super::lines::LineSplitter;
use crate::logline::Frame;
use crate::logline::incremental::{self, PYTEST_MARK, ROBOT_MARK, StreamFramer, TimePolicy, YearScan};
use crate::warning::Warning;

pub(crate) struct Survey {
    pub frames: Vec<Frame>,
    pub policy: TimePolicy,
    /// A read error, if any.
    pub warnings: Vec<Warning>,
}

pub(crate) fn survey(source: &mut dyn LogSource, year_hint: Option<i32>) -> Survey {
    let name = source.name().to_string();
    let mut years = YearScan::new(year_hint);
    let mut marks = Marks::default();
    let mut decoder = ChunkDecoder::new();
    let mut splitter = LineSplitter::default();
    let mut text = String::new();
    let on_text = |text: &str, years: &mut YearScan, marks: &mut Marks, splitter: &mut LineSplitter| {
        marks.search(text);
        if !years.known() {
            splitter.feed(text, &mut |line| years.line(&incremental::clean(line.text)));
        }
    };
    let result = source.read(&mut |chunk| {
        text.clear();
        decoder.feed(chunk, &mut text);
        on_text(&text, &mut years, &mut marks, &mut splitter);
        if years.known() && marks.both() { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    });
    if !(years.known() && marks.both()) {
        text.clear();
        let _ = decoder.finish(&name, &mut text, &mut Vec::new());
        on_text(&text, &mut years, &mut marks, &mut splitter);
        if !years.known() {
            splitter.finish(&mut |line| years.line(&incremental::clean(line.text)));
        }
    }
    let mut warnings = Vec::new();
    let policy = years.finish();
    let mut frames = Vec::new();
    if marks.any() {
        frames = frame(source);
    }
    if let Err(e) = result {
        warnings.push(read_error(&name, &e));
    }
    Survey { frames, policy, warnings }
}

/// The console frames of a log that carries a console's mark: a pass of its own over every line.
fn frame(source: &mut dyn LogSource) -> Vec<Frame> {
    let mut framer = StreamFramer::default();
    let _ = super::each_line(source, &mut |_| {}, &mut |line, _| {
        framer.line(line.text, &incremental::clean(line.text));
        ControlFlow::Continue(())
    });
    framer.finish()
}

/// Whether the decoded text holds either console's mark anywhere (neither holds a line break, so
/// searching the text is searching its lines). A mark cut by a chunk boundary is found in the tail of
/// one piece joined to the head of the next.
#[derive(Default)]
struct Marks {
    robot: bool,
    pytest: bool,
    /// The last bytes of the text so far, fewer than the longest mark.
    tail: Vec<u8>,
}

impl Marks {
    const KEEP: usize =
        if ROBOT_MARK.len() > PYTEST_MARK.len() { ROBOT_MARK.len() } else { PYTEST_MARK.len() } - 1;

    fn search(&mut self, text: &str) {
        let bytes = text.as_bytes();
        if bytes.is_empty() || self.both() {
            return;
        }
        let head = &bytes[..bytes.len().min(Self::KEEP)];
        let mut joined = std::mem::take(&mut self.tail);
        joined.extend_from_slice(head);
        for hay in [joined.as_slice(), bytes] {
            self.robot = self.robot || memchr::memmem::find(hay, ROBOT_MARK).is_some();
            self.pytest = self.pytest || memchr::memmem::find(hay, PYTEST_MARK).is_some();
        }
        let keep = joined.len().saturating_sub(head.len()).min(Self::KEEP);
        // The new tail: the last KEEP bytes of (old tail + this text).
        self.tail = if bytes.len() >= Self::KEEP {
            bytes[bytes.len() - Self::KEEP..].to_vec()
        } else {
            let mut t = joined[..keep].to_vec();
            t.extend_from_slice(bytes);
            t[t.len().saturating_sub(Self::KEEP)..].to_vec()
        };
    }

    fn any(&self) -> bool {
        self.robot || self.pytest
    }

    fn both(&self) -> bool {
        self.robot && self.pytest
    }
}

/// A source that failed part way: what was read counts, and the report says so.
pub(crate) fn read_error(name: &str, error: &str) -> Warning {
    Warning::new(
        crate::warning::WarningKind::Unrecognised,
        name,
        format!("could not be read to the end ({error}); what was read is kept"),
    )
}

#[cfg(test)]
mod tests {
    use super::Marks;

    /// Each mark is found whatever pieces the text arrives in, and only where it is.
    #[test]
    fn marks_are_found_across_every_cut() {
        let robot = format!("a\nb{}c\n", "=".repeat(20));
        let texts = [
            ("x tests/t.py::t ok\n", false, true),
            (robot.as_str(), true, false),
            ("=== .py: ::", false, false),
        ];
        for (text, r, p) in texts {
            for cut in 0..=text.len() {
                for step in [1, 2, 3, 7] {
                    let mut m = Marks::default();
                    m.search(&text[..cut]);
                    let rest = &text.as_bytes()[cut..];
                    for piece in rest.chunks(step) {
                        m.search(std::str::from_utf8(piece).unwrap_or_default());
                    }
                    assert_eq!((m.robot, m.pytest), (r, p), "{text:?} cut at {cut}, steps of {step}");
                }
            }
        }
    }
}
