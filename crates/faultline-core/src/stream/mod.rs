//! Logs read as a stream: a front end that can read a file again (the CLI, from disk) hands the analysis a
//! [`LogSource`] instead of the bytes, and a log of any size is analysed in bounded memory.
//!
//! The core still does no I/O: the source pushes chunks into it. A streamed log is read in passes, each
//! line by line with bounded state, and nothing per line is kept:
//! 1. `survey`: what needs look-ahead, without a pass where it can — the year of year-less formats and
//!    the time an untimed head inherits are learned by the events pass as it reads, which starts again
//!    only when a line shows the lines above it needed them; console framing is a pass of its own,
//!    only once the events pass met a console's mark (it then starts again);
//! 2. `events`: times, assignment to tests and events, line by line, counting on the way (`tally`) the
//!    line count, md5, bad timestamps, the first over-long line and where decoding failed;
//! 3. `kept`: after diagnosis, only the lines the report quotes (evidence and excerpt context), read
//!    from the last line start before them the events pass marked (every MiB of a UTF-8 log, invalid
//!    bytes and all: the decoder knows where a line start is in the file past the sequences it
//!    replaced) with [`LogSource::read_from`], not from the file's start. The marks
//!    stay in the [`KeptLines`]' [`LineIndex`], so a viewer that can reach the source reads any line
//!    again the same way ([`crate::logview::window_from`]).
//!
//! The report is byte-for-byte the one the in-memory path gives (a test runs every fixture both ways).

mod decoder;
pub(crate) mod events;
pub(crate) mod kept;
mod lines;
pub(crate) mod prune;
pub(crate) mod survey;
pub(crate) mod tally;

use std::ops::ControlFlow;

pub use kept::{KeptLines, LineIndex};

use crate::input::{self, ArtifactKind};
use crate::warning::Warning;
use decoder::{BadBytes, ChunkDecoder};
use lines::{Line, LineSplitter};

/// A log file the front end can read from the start as often as the analysis asks (three or four times).
/// `Send`: with a thread pool ([`crate::parallel`]) each log's events pass may run on another thread.
pub trait LogSource: Send {
    /// The file's label in the report, as [`crate::InputFile::name`].
    fn name(&self) -> &str;
    /// Its size in bytes, for progress.
    fn size(&self) -> u64;
    /// Hands the file's bytes from the start to `sink`, chunk after chunk, until the end or until `sink`
    /// breaks. An error (the file vanished) ends the pass; what was read counts.
    fn read(&mut self, sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>) -> Result<(), String>;

    /// [`LogSource::read`] from byte `offset` on: the quoted lines of a big log are read from a point
    /// the events pass marked near them, not from the start. The default reads from the start and
    /// drops the first `offset` bytes; a source that can seek should.
    fn read_from(
        &mut self,
        offset: u64,
        sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>,
    ) -> Result<(), String> {
        let mut skip = offset;
        self.read(&mut |chunk| {
            let len = chunk.len() as u64;
            if skip >= len {
                skip -= len;
                return ControlFlow::Continue(());
            }
            let rest = chunk.get(usize::try_from(skip).unwrap_or(0)..).unwrap_or_default();
            skip = 0;
            sink(rest)
        })
    }
}

/// Bytes already in memory as a [`LogSource`], handed over `chunk` bytes at a time: the streamed path's
/// tests and benchmarks (any chunk size must give the same answers), and a front end that has a file's
/// bytes but wants it read as a stream. `B` is anything that derefs to bytes (`Vec<u8>`, `Arc<[u8]>`).
pub struct InMemory<B> {
    pub name: String,
    pub bytes: B,
    pub chunk: usize,
}

impl<B: AsRef<[u8]> + Send> LogSource for InMemory<B> {
    fn name(&self) -> &str {
        &self.name
    }

    fn size(&self) -> u64 {
        self.bytes.as_ref().len() as u64
    }

    fn read(&mut self, sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>) -> Result<(), String> {
        self.read_from(0, sink)
    }

    fn read_from(
        &mut self,
        offset: u64,
        sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>,
    ) -> Result<(), String> {
        let bytes = self.bytes.as_ref();
        let rest = bytes.get(usize::try_from(offset).unwrap_or(usize::MAX)..).unwrap_or_default();
        for piece in rest.chunks(self.chunk.max(1)) {
            if sink(piece).is_break() {
                break;
            }
        }
        Ok(())
    }
}

/// An artifact given to the analysis: bytes, or a log it reads from its source in passes.
pub enum Input {
    Bytes(crate::InputFile),
    Stream(Box<dyn LogSource>),
}

/// Bytes of a source's beginning read to decide how to take it (as much as [`input::sniff`] looks at).
pub(crate) const HEAD_BYTES: usize = 64 * 1024;

/// True when an analysis with `options` reads `source` as a stream: a plain log, and no baseline to
/// compare its lines with. Anything else it reads whole, so a front end that budgets the memory it
/// holds asks first, and reads into its budget what would be held.
pub fn streams(source: &mut dyn LogSource, options: &crate::AnalyzeOptions) -> bool {
    let (name, size) = (source.name().to_string(), source.size());
    options.baseline.is_empty() && head(source, HEAD_BYTES).is_ok_and(|h| streamable(&name, &h, size))
}

/// The first `max` bytes of a source.
pub(crate) fn head(source: &mut dyn LogSource, max: usize) -> Result<Vec<u8>, String> {
    let mut head = Vec::new();
    source.read(&mut |chunk| {
        let room = max - head.len();
        head.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if head.len() >= max { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(head)
}

/// Every byte of a source, for one that cannot be streamed (an archive, a test report). The buffer is
/// sized from [`LogSource::size`] at once: grown chunk by chunk, a 40 MB report ended in a 64 MiB
/// buffer and passed through a 32 MiB one on the way, most of the JUnit path's peak memory.
pub(crate) fn whole(source: &mut dyn LogSource) -> Result<Vec<u8>, String> {
    let mut all = Vec::new();
    // A size that cannot be had is only a hint: the buffer then grows as it fills.
    let _ = all.try_reserve_exact(usize::try_from(source.size()).unwrap_or(0));
    source.read(&mut |chunk| {
        all.extend_from_slice(chunk);
        ControlFlow::Continue(())
    })?;
    Ok(all)
}

/// True when a file starting with `head` (of `size` bytes in all) is a plain log that reads the same as a
/// stream: not an archive, test report or binary, and not XML-looking text (a log that starts like XML
/// is checked whole for a truncated report).
pub(crate) fn streamable(name: &str, head: &[u8], size: u64) -> bool {
    if input::is_archive(head) || input::sniff(name, head) != ArtifactKind::Log {
        return false;
    }
    let text = crate::decode::decode(name, head, &mut Vec::new());
    if size <= head.len() as u64 {
        return !input::sniff::truncated_xml_head(&text);
    }
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.len() >= "<!DOCTYPE".len()
        && !(t.starts_with("<?xml") || t.starts_with("<!DOCTYPE") || t.starts_with("<!--"))
}

/// What one pass over a source read: its byte count, and how decoding went.
#[derive(Default)]
pub(crate) struct Pass {
    pub bytes: u64,
    /// The first replaced sequence, to be located by the pass's lines.
    pub bad: Option<BadBytes>,
    /// Warnings of a file decoded whole (see `decoder`).
    pub decode_warnings: Vec<Warning>,
}

/// What the decoder knows of a line as it is handed over.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Decoded {
    /// The offset in the text of the first replaced sequence decoded so far (it lies in this line or a
    /// later one).
    pub first_bad: Option<usize>,
    /// Where the line starts in the file, where known ([`ChunkDecoder::file_offset`]).
    pub file_at: Option<u64>,
}

/// Reads `source` once, handing each line to `on_line` (which may stop the pass early) with what the
/// decoder knows of it. `on_chunk` sees each chunk of raw bytes (for an md5).
pub(crate) fn each_line(
    source: &mut dyn LogSource,
    on_chunk: &mut dyn FnMut(&[u8]),
    on_line: &mut dyn FnMut(Line<'_>, Decoded) -> ControlFlow<()>,
) -> (Pass, Result<(), String>) {
    lines_from(source, None, on_chunk, on_line)
}

/// [`each_line`] from byte `from` of a UTF-8 file, where a line starts (offsets are then relative to it).
pub(crate) fn lines_from(
    source: &mut dyn LogSource,
    from: Option<u64>,
    on_chunk: &mut dyn FnMut(&[u8]),
    on_line: &mut dyn FnMut(Line<'_>, Decoded) -> ControlFlow<()>,
) -> (Pass, Result<(), String>) {
    let name = source.name().to_string();
    let mut decoder = if from.is_some() { ChunkDecoder::utf8() } else { ChunkDecoder::new() };
    let mut splitter = LineSplitter::default();
    let mut text = String::new();
    let mut bytes = 0u64;
    let mut stopped = false;
    let mut split = |splitter: &mut LineSplitter,
                     text: &str,
                     decoder: &ChunkDecoder,
                     bad: Option<usize>,
                     stopped: &mut bool| {
        splitter.feed(text, &mut |line| {
            let decoded = Decoded { first_bad: bad, file_at: decoder.file_offset(line.start) };
            if !*stopped && on_line(line, decoded).is_break() {
                *stopped = true;
            }
        });
    };
    let mut sink = |chunk: &[u8]| {
        bytes += chunk.len() as u64;
        on_chunk(chunk);
        text.clear();
        decoder.feed(chunk, &mut text);
        split(&mut splitter, &text, &decoder, decoder.first_bad(), &mut stopped);
        if stopped { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    };
    let result = match from {
        Some(offset) => source.read_from(offset, &mut sink),
        None => source.read(&mut sink),
    };
    let mut pass = Pass { bytes, bad: None, decode_warnings: Vec::new() };
    if !stopped {
        text.clear();
        pass.bad = decoder.finish(&name, &mut text, &mut pass.decode_warnings);
        let bad = pass.bad.as_ref().map(|b| b.at);
        split(&mut splitter, &text, &decoder, bad, &mut stopped);
        splitter.finish(&mut |line| {
            if !stopped {
                let _ = on_line(line, Decoded { first_bad: bad, file_at: decoder.file_offset(line.start) });
            }
        });
    }
    (pass, result)
}

#[cfg(test)]
mod tests;
