//! The events pass over every log, held whole or streamed: one job per log, which the executor may run
//! at once ([`crate::parallel`]). Each job writes its own slot; the slots are merged in log order, so the
//! events, assignments and warnings come out as one log after the other gives them.

use std::sync::atomic::{AtomicU64, Ordering};

use super::{Gathered, LogSlot, PROGRESS_LINES, Progress, ProgressStage, Streamed, log_events};
use crate::assign::{self, Assignment, Window};
use crate::event::Event;
use crate::extract::Pack;
use crate::fast_hash::FastMap;
use crate::logline::{self, LogFile};
use crate::model::TestCase;
use crate::parallel::{Executor, Job};
use crate::stream;

/// What every log's events pass reads: the tests and their time windows lines are tied to, the pack.
pub(super) struct Shared<'a> {
    pub tests: &'a [TestCase],
    pub windows: &'a [Window],
    pub pack: &'a Pack,
    pub max_events_per_test: usize,
    pub max_line_chars: usize,
}

/// What the events passes gave, merged in log order.
#[derive(Default)]
pub(super) struct Merged {
    pub events: Vec<Event>,
    pub assignments: Vec<Assignment>,
    /// Events the per-test cap was sure to drop, dropped while reading ([`stream::prune`]).
    pub dropped: FastMap<Option<String>, usize>,
}

/// One log's slot.
#[derive(Default)]
struct LogOut {
    events: Vec<Event>,
    assignments: Vec<Assignment>,
    /// A held log's events the per-test cap was sure to drop (a streamed log's are in `read`).
    dropped: FastMap<Option<String>, usize>,
    read: Option<stream::events::Read>,
}

/// Runs the events pass of every log in `g.log_order`, filling in each streamed log's counts and file
/// entry, and returns the events and assignments in log order.
pub(super) fn events_pass(
    g: &mut Gathered,
    shared: &Shared<'_>,
    executor: &dyn Executor,
    progress: &mut dyn FnMut(Progress),
) -> Merged {
    let total: u64 = g.logs.iter().map(|l| l.text.len() as u64).sum::<u64>()
        + g.streams.iter().map(|s| s.source.size()).sum::<u64>();
    let done = AtomicU64::new(0);
    let mut outs: Vec<LogOut> = g.log_order.iter().map(|_| LogOut::default()).collect();
    {
        let mut streams: Vec<Option<&mut Streamed>> = g.streams.iter_mut().map(Some).collect();
        let mut held = g.logs.iter();
        let mut jobs: Vec<Job<'_>> = Vec::with_capacity(outs.len());
        for (slot, out) in g.log_order.iter().zip(outs.iter_mut()) {
            let done = &done;
            match *slot {
                LogSlot::Held => {
                    let Some(log) = held.next() else { continue };
                    jobs.push(Box::new(move |poke| held_log(log, shared, out, done, poke)));
                }
                LogSlot::Stream(i) => {
                    let Some(s) = streams.get_mut(i).and_then(Option::take) else { continue };
                    jobs.push(Box::new(move |poke| streamed_log(s, shared, executor, out, done, poke)));
                }
            }
        }
        progress(Progress { stage: ProgressStage::Logs, done: 0, total });
        executor.run_all(jobs, &mut || {
            progress(Progress { stage: ProgressStage::Logs, done: done.load(Ordering::Relaxed), total })
        });
    }
    let mut merged = Merged::default();
    for (slot, out) in g.log_order.iter().zip(outs) {
        merged.events.extend(out.events);
        merged.assignments.extend(out.assignments);
        for (test, n) in out.dropped {
            *merged.dropped.entry(test).or_default() += n;
        }
        let LogSlot::Stream(i) = *slot else { continue };
        let (Some(s), Some(read)) = (g.streams.get_mut(i), out.read) else { continue };
        for (test, n) in read.dropped {
            *merged.dropped.entry(test).or_default() += n;
        }
        g.warnings.extend(read.problem);
        if let Some(entry) = g.files.get_mut(s.file) {
            entry.bytes = read.counted.bytes;
            entry.lines = Some(read.counted.lines);
            entry.md5 = read.counted.md5.clone();
        }
        s.counted = Some(read.counted);
    }
    merged
}

/// Lines whose events wait together for the pruner: the pack searches a batch at once, and a batch of
/// lines that are nearly all events holds that many events at once.
const PRUNE_LINES: usize = 4096;

/// A log held whole: its frames, each line's test, and the pack over its lines, a chunk at a time (the
/// slow part, so a big log reports its way through it).
///
/// Its events go through the same [`stream::prune`] as a streamed log's: a log where most lines are
/// events (a 64 MB one gave 556k) would otherwise hold every one of them until the per-test cap keeps
/// 10,000, and in the browser, whose memory never shrinks, that peak stays (a 256 MB log took 2.2 GB).
fn held_log(log: &LogFile, shared: &Shared<'_>, out: &mut LogOut, done: &AtomicU64, poke: &mut dyn FnMut()) {
    let frames = logline::detect_frames(log);
    let per_line = assign::assign_lines(log, &frames, shared.tests, shared.windows);
    let mut pruner = stream::prune::Pruner::new(shared.max_events_per_test);
    let mut found = Vec::new();
    let mut through = 0u64;
    for first in (0..log.lines.len()).step_by(PROGRESS_LINES) {
        let lines = first..(first + PROGRESS_LINES).min(log.lines.len());
        for from in lines.clone().step_by(PRUNE_LINES) {
            let batch = from..(from + PRUNE_LINES).min(lines.end);
            log_events(log, batch, &per_line, shared.tests, shared.pack, &mut found);
            found.drain(..).for_each(|e| pruner.push(e));
        }
        let end = log.lines.get(lines.end - 1).map_or(0, |l| l.end as u64);
        done.fetch_add(end.saturating_sub(through), Ordering::Relaxed);
        through = end;
        poke();
    }
    done.fetch_add((log.text.len() as u64).saturating_sub(through), Ordering::Relaxed);
    (out.events, out.dropped) = pruner.finish();
    out.assignments = assign::runs(log, &per_line, shared.tests);
}

/// A streamed log's events pass ([`stream::events`]), which hands the pack's blocks to `executor`.
fn streamed_log(
    s: &mut Streamed,
    shared: &Shared<'_>,
    executor: &dyn Executor,
    out: &mut LogOut,
    done: &AtomicU64,
    poke: &mut dyn FnMut(),
) {
    let Some(survey) = s.survey.as_mut() else { return };
    let ctx = stream::events::Context {
        tests: shared.tests,
        windows: shared.windows,
        pack: shared.pack,
        max_events_per_test: shared.max_events_per_test,
    };
    loop {
        let mut through = 0u64;
        let mut report = |bytes: u64| {
            done.fetch_add(bytes.saturating_sub(through), Ordering::Relaxed);
            through = through.max(bytes);
            poke();
        };
        let read = stream::events::read(
            &mut *s.source,
            survey,
            &ctx,
            executor,
            &mut out.events,
            &mut out.assignments,
            shared.max_line_chars,
            &mut report,
        );
        if let Some(timing) = read.retime {
            // A line showed the lines above it needed the year or head time it revealed: read again.
            done.fetch_sub(through, Ordering::Relaxed);
            out.events.clear();
            out.assignments.clear();
            survey.timing = timing;
            continue;
        }
        // What the pass learned holds for the lines it read: a read from the top starts with it.
        survey.timing = read.timing;
        if read.unframed && !survey.framed {
            // A console log: framed in a pass of its own, then read again from the start.
            done.fetch_sub(through, Ordering::Relaxed);
            out.events.clear();
            out.assignments.clear();
            survey.frames = stream::survey::frame(&mut *s.source);
            survey.framed = true;
            continue;
        }
        done.fetch_add(read.counted.bytes.saturating_sub(through), Ordering::Relaxed);
        out.read = Some(read);
        return;
    }
}
