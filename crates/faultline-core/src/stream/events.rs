//! The second pass over a streamed log: each line's time, its test, and the events patterns find in it.
//! Lines are gathered in small blocks so the pattern pack runs over them exactly as over a whole log
//! (a two-line pattern sees the next line: the last line of a block waits for the next block).

use std::collections::VecDeque;
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex, PoisonError};

use super::LogSource;
use super::prune::Pruner;
use super::survey::Survey;
use super::tally::{Counted, Digest, Tally};
use crate::assign::{self, AssignReason, Assignment, RunBuilder, Window};
use crate::event::Event;
use crate::extract::Pack;
use crate::fast_hash::FastMap;
use crate::logline::incremental::{self, Timing, TimingScan};
use crate::logline::{LogFile, LogLine};
use crate::model::TestCase;
use crate::parallel::Executor;
use crate::warning::Warning;

/// What the events of a log are tied to.
pub(crate) struct Context<'a> {
    pub tests: &'a [TestCase],
    pub windows: &'a [Window],
    pub pack: &'a Pack,
    /// The cap on events per test ([`crate::input::Limits::max_events_per_test`]).
    pub max_events_per_test: usize,
}

/// Lines handed to the pattern pack at once; the block's text is what a streamed log holds.
const BLOCK_LINES: usize = 8192;
const BLOCK_BYTES: usize = 4 << 20;

/// What the events pass gives besides events and assignments.
pub(crate) struct Read {
    /// Events the cap would drop, dropped already, counted per test ([`super::prune`]).
    pub dropped: FastMap<Option<String>, usize>,
    pub problem: Option<Warning>,
    /// What the pass counted on the way ([`super::tally`]).
    pub counted: Counted,
    /// The survey had not framed the log and a line holds a console's mark: the pass stopped there, and
    /// what it gave must be dropped and the log read again once it is framed.
    pub unframed: bool,
    /// A line showed that lines above it were parsed without what it revealed (the year, the time the
    /// head inherits): the pass stopped there, and the log must be read again with this timing.
    pub retime: Option<Timing>,
    /// The timing the lines read were parsed with: the log's, once the pass has read it all.
    pub timing: Timing,
}

/// Reads the log again, appending its events (in line order, without those the per-test cap is sure to
/// drop) and its assignment runs. `progress` gets the decoded bytes done now and then. The pattern pack
/// runs over each block of lines as a task of `executor`'s pipeline, so with a pool it runs on other
/// threads while this one reads on; blocks' events are taken back in line order.
#[allow(clippy::too_many_arguments)]
pub(crate) fn read(
    source: &mut dyn LogSource,
    survey: &Survey,
    ctx: &Context<'_>,
    executor: &dyn Executor,
    events: &mut Vec<Event>,
    assignments: &mut Vec<Assignment>,
    max_line_chars: usize,
    progress: &mut dyn FnMut(u64),
) -> Read {
    let name = source.name().to_string();
    let mut tally = Tally::new(max_line_chars);
    let mut digest = Digest::new(source.size());
    let mut scan = TimingScan::new(survey.timing);
    let mut retime = None;
    let frame_tests = assign::frame_tests(&survey.frames, ctx.tests);
    let mut block = Block::new(&name);
    let mut runs = RunBuilder::default();
    let mut idx = 0usize;
    let mut last_time: Option<i64> = None;
    let mut frame = 0usize;
    let mut pruner = Pruner::new(ctx.max_events_per_test);
    let mut pending: VecDeque<Slot> = VecDeque::new();
    let mut pass_result = None;
    let mut unframed = false;
    executor.pipeline(&mut |hand| {
        pass_result =
            Some(super::each_line(&mut *source, &mut |chunk| digest.chunk(chunk), &mut |line, decoded| {
                let clean = incremental::clean(line.text);
                let parsed = match scan.line(idx, &clean) {
                    ControlFlow::Continue(parsed) => parsed,
                    ControlFlow::Break(timing) => {
                        retime = Some(timing);
                        return ControlFlow::Break(());
                    }
                };
                let head_time = scan.timing().head_time();
                tally.line(&line, &clean, decoded, parsed.untimed, last_time.or(head_time));
                let (own, format, level) = (parsed.time_ms, parsed.format, parsed.level);
                let time = match own {
                    Some(t) => {
                        last_time = Some(t);
                        own
                    }
                    None => last_time.or(head_time),
                };
                let inherited = own.is_none() && time.is_some();
                while survey.frames.get(frame).is_some_and(|f| f.last < idx) {
                    frame += 1;
                }
                let framed = survey
                    .frames
                    .get(frame)
                    .filter(|f| f.first <= idx)
                    .and_then(|_| frame_tests.get(frame).copied().flatten())
                    .map(|t| (t, AssignReason::ConsoleFrame));
                let slot = framed.or_else(|| {
                    let t = time.filter(|_| !ctx.windows.is_empty())?;
                    assign::window_at(ctx.windows, t).map(|w| (w.test, w.reason))
                });
                let n = u32::try_from(idx + 1).unwrap_or(u32::MAX);
                runs.push(slot, n, &name, ctx.tests);
                block.push(
                    line.text,
                    line.start,
                    LogLine {
                        line: n,
                        start: 0,
                        end: 0,
                        time_ms: time,
                        time_inherited: inherited,
                        format,
                        level,
                    },
                    slot,
                );
                idx += 1;
                if block.full() {
                    // A console's mark is looked for once a block, not once a line (a searcher each).
                    if !survey.framed && super::survey::has_mark(&block.log.text) {
                        unframed = true;
                        return ControlFlow::Break(());
                    }
                    let full = block.split_last();
                    let slot = Slot::default();
                    pending.push_back(Arc::clone(&slot));
                    hand(Box::new(move || {
                        let mut found = Vec::new();
                        full.extract(ctx, false, &mut found);
                        *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(found);
                    }));
                    take_done(&mut pending, &mut pruner, false);
                    progress(line.end as u64);
                }
                ControlFlow::Continue(())
            }));
    });
    take_done(&mut pending, &mut pruner, true);
    let (pass, result) = pass_result.unwrap_or_else(|| (Default::default(), Ok(())));
    let mut found = Vec::new();
    unframed = unframed || (retime.is_none() && !survey.framed && super::survey::has_mark(&block.log.text));
    if !unframed && retime.is_none() {
        block.extract(ctx, true, &mut found);
    }
    found.into_iter().for_each(|e| pruner.push(e));
    let (kept, dropped) = pruner.finish();
    events.extend(kept);
    assignments.extend(runs.finish(&name, ctx.tests));
    Read {
        dropped,
        problem: result.err().map(|e| super::survey::read_error(&name, &e)),
        counted: tally.finish(&name, pass, digest, scan.timing().head_time()),
        unframed,
        retime,
        timing: scan.timing(),
    }
}

/// A block's events once its task has run.
type Slot = Arc<Mutex<Option<Vec<Event>>>>;

/// Hands the pruner, in line order, the events of the blocks at the front whose tasks are done (`all`:
/// every block; the pipeline has returned, so every task is done).
fn take_done(pending: &mut VecDeque<Slot>, pruner: &mut Pruner, all: bool) {
    while let Some(front) = pending.front() {
        let found = front.lock().unwrap_or_else(PoisonError::into_inner).take();
        match found {
            Some(found) => found.into_iter().for_each(|e| pruner.push(e)),
            None if all => {}
            None => return,
        }
        pending.pop_front();
    }
}

/// A few thousand consecutive lines as a small [`LogFile`] (their own offsets, absolute line numbers).
struct Block {
    log: LogFile,
    /// Each line's offset in the whole decoded file.
    starts: Vec<usize>,
    slots: Vec<Option<(usize, AssignReason)>>,
}

impl Block {
    fn new(name: &str) -> Block {
        Block {
            log: LogFile { name: name.to_string(), text: String::new(), lines: Vec::new() },
            starts: Vec::new(),
            slots: Vec::new(),
        }
    }

    fn push(&mut self, text: &str, start: usize, mut line: LogLine, slot: Option<(usize, AssignReason)>) {
        if !self.log.text.is_empty() || !self.log.lines.is_empty() {
            self.log.text.push('\n');
        }
        line.start = self.log.text.len();
        self.log.text.push_str(text);
        line.end = self.log.text.len();
        self.log.lines.push(line);
        self.starts.push(start);
        self.slots.push(slot);
    }

    fn full(&self) -> bool {
        self.log.lines.len() > BLOCK_LINES || self.log.text.len() > BLOCK_BYTES
    }

    /// Runs the pack over the block's lines; all of them at the end of the file, else all but the last,
    /// which is there for two-line patterns to see and starts the next block ([`Block::split_last`]).
    fn extract(&self, ctx: &Context<'_>, last: bool, events: &mut Vec<Event>) {
        let n = self.log.lines.len();
        let upto = if last { n } else { n.saturating_sub(1) };
        let (starts, slots) = (&self.starts, &self.slots);
        ctx.pack.extract_log_lines(&self.log, 0..upto, events, |i, found| {
            let test =
                slots.get(i).copied().flatten().and_then(|(t, _)| ctx.tests.get(t)).map(|t| t.id.clone());
            let rel = self.log.lines.get(i).map_or(0, |l| l.start as u64);
            let abs = starts.get(i).map_or(rel, |&a| a as u64);
            for e in found {
                e.test = test.clone();
                e.source.byte_start = e.source.byte_start.saturating_sub(rel).saturating_add(abs);
                e.source.byte_end = e.source.byte_end.saturating_sub(rel).saturating_add(abs);
            }
        });
    }

    /// Returns the block as it is and keeps in `self` only its last line, the start of the next block.
    fn split_last(&mut self) -> Block {
        let mut next = Block::new(&self.log.name);
        if let (Some(line), Some(&start), Some(&slot)) =
            (self.log.lines.last(), self.starts.last(), self.slots.last())
        {
            let text = self.log.text.get(line.start..line.end).unwrap_or_default();
            next.push(text, start, line.clone(), slot);
        }
        std::mem::replace(self, next)
    }
}
