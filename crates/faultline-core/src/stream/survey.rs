//! The first pass over a streamed log: what a log held whole learns from all of its lines before any
//! line is tied to a test or matched by a pattern.

use std::ops::ControlFlow;

use super::LogSource;
use crate::logline::Frame;
use crate::logline::incremental::{self, StreamFramer, TimePolicy, YearScan};
use crate::warning::{Warning, WarningKind};

/// Files up to this size get an md5, as in the in-memory path.
const MD5_MAX_BYTES: u64 = 64 << 20;

pub(crate) struct Survey {
    pub bytes: u64,
    pub lines: u64,
    pub md5: Option<String>,
    pub frames: Vec<Frame>,
    pub policy: TimePolicy,
    /// The first line longer than the clipping limit.
    pub long_line: Option<u32>,
    /// Decoding warnings: they belong where the file was read, among the other files' warnings.
    pub decode_warnings: Vec<Warning>,
    /// The bad-timestamp warning and a read error, if any.
    pub warnings: Vec<Warning>,
}

pub(crate) fn survey(source: &mut dyn LogSource, year_hint: Option<i32>, max_line_chars: usize) -> Survey {
    let name = source.name().to_string();
    let mut md5 = (source.size() <= MD5_MAX_BYTES).then(md5::Context::new);
    let mut years = YearScan::new(year_hint);
    let mut framer = StreamFramer::default();
    let mut lines = 0u64;
    let mut long_line = None;
    let mut located: Option<(u32, u32)> = None;
    let (pass, result) = super::each_line(
        source,
        &mut |chunk| {
            if let Some(m) = md5.as_mut() {
                m.consume(chunk);
            }
        },
        &mut |line, bad| {
            lines += 1;
            let n = u32::try_from(lines).unwrap_or(u32::MAX);
            if located.is_none()
                && let Some(at) = bad
                && (line.start..=line.end).contains(&at)
            {
                let col = line.text.get(..at - line.start).map_or(0, |t| t.chars().count()) + 1;
                located = Some((n, u32::try_from(col).unwrap_or(u32::MAX)));
            }
            if long_line.is_none()
                && line.text.len() > max_line_chars
                && line.text.chars().nth(max_line_chars).is_some()
            {
                long_line = Some(n);
            }
            let clean = incremental::clean(line.text);
            years.line(&clean);
            framer.line(line.text, &clean);
            ControlFlow::Continue(())
        },
    );
    let mut decode_warnings = pass.decode_warnings;
    if let Some(bad) = pass.bad {
        let (line, col) = located.unwrap_or((1, 1));
        decode_warnings.push(Warning::new(WarningKind::InvalidEncoding, &name, bad.message).at(line, col));
    }
    let mut warnings = Vec::new();
    let policy = years.finish(&name, &mut warnings);
    if let Err(e) = result {
        warnings.push(read_error(&name, &e));
    }
    let bytes = pass.bytes;
    let md5 = md5.filter(|_| bytes <= MD5_MAX_BYTES).map(|m| format!("{:x}", m.finalize()));
    Survey { bytes, lines, md5, frames: framer.finish(), policy, long_line, decode_warnings, warnings }
}

/// A source that failed part way: what was read counts, and the report says so.
pub(crate) fn read_error(name: &str, error: &str) -> Warning {
    Warning::new(
        WarningKind::Unrecognised,
        name,
        format!("could not be read to the end ({error}); what was read is kept"),
    )
}
