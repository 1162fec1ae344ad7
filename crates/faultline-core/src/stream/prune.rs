//! Events a log cannot keep, streamed or held whole: the analysis keeps at most `max_events_per_test` events per test
//! (the earliest and the latest half, in time order) and a big log yields far more. An event that, in
//! this log alone, already has `head` earlier and `tail` later events of its test is dropped by that cap
//! whatever else comes, so it is dropped here at once: memory stays bounded by the cap, not the log.
//!
//! "Earlier" is the order [`crate::analyze`] sorts events in (time, untimed last; line; finish after
//! start; then the order found), so the events kept, their order and the cap's warning are unchanged.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::event::{Event, EventKind};
use crate::fast_hash::FastMap;

/// An event's place in the analysis's order, among events of one log.
type Key = (bool, i64, u32, bool, u64);

fn key(e: &Event, seq: u64) -> Key {
    (
        e.time_ms.is_none(),
        e.time_ms.unwrap_or(0),
        e.source.line,
        matches!(e.kind, EventKind::TestFinished | EventKind::StepFinished),
        seq,
    )
}

#[derive(Default)]
struct PerTest {
    /// The `head + 1` earliest (the first one the cap drops is named in its warning).
    early: BinaryHeap<Key>,
    /// The `tail` latest.
    late: BinaryHeap<Reverse<Key>>,
    dropped: usize,
}

/// An event that may still be kept, and which of its test's sets hold it.
struct Alive {
    event: Event,
    early: bool,
    late: bool,
}

pub(crate) struct Pruner {
    head: usize,
    tail: usize,
    tests: FastMap<Option<String>, PerTest>,
    /// Events still possibly kept, by arrival.
    alive: std::collections::BTreeMap<u64, Alive>,
    seq: u64,
}

impl Pruner {
    /// For the cap `max` (events per test).
    pub(crate) fn new(max: usize) -> Pruner {
        let head = max / 2;
        Pruner { head, tail: max - head, tests: FastMap::default(), alive: Default::default(), seq: 0 }
    }

    pub(crate) fn push(&mut self, e: Event) {
        let seq = self.seq;
        self.seq += 1;
        let k = key(&e, seq);
        let t = self.tests.entry(e.test.clone()).or_default();
        self.alive.insert(seq, Alive { event: e, early: true, late: true });
        t.early.push(k);
        if t.early.len() > self.head + 1
            && let Some(gone) = t.early.pop()
            && let Some(a) = self.alive.get_mut(&gone.4)
        {
            a.early = false;
            if !a.late {
                self.alive.remove(&gone.4);
                t.dropped += 1;
            }
        }
        t.late.push(Reverse(k));
        if t.late.len() > self.tail
            && let Some(Reverse(gone)) = t.late.pop()
            && let Some(a) = self.alive.get_mut(&gone.4)
        {
            a.late = false;
            if !a.early {
                self.alive.remove(&gone.4);
                t.dropped += 1;
            }
        }
    }

    /// The events kept, in arrival order, and how many of each test's were dropped.
    pub(crate) fn finish(self) -> (Vec<Event>, FastMap<Option<String>, usize>) {
        let dropped =
            self.tests.into_iter().filter(|(_, t)| t.dropped > 0).map(|(k, t)| (k, t.dropped)).collect();
        (self.alive.into_values().map(|a| a.event).collect(), dropped)
    }
}
