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
    alive: Arrivals,
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
        self.alive.push(seq, Alive { event: e, early: true, late: true });
        t.early.push(k);
        if t.early.len() > self.head + 1
            && let Some(gone) = t.early.pop()
            && let Some(a) = self.alive.get_mut(gone.4)
        {
            a.early = false;
            if !a.late {
                self.alive.remove(gone.4);
                t.dropped += 1;
            }
        }
        t.late.push(Reverse(k));
        if t.late.len() > self.tail
            && let Some(Reverse(gone)) = t.late.pop()
            && let Some(a) = self.alive.get_mut(gone.4)
        {
            a.late = false;
            if !a.early {
                self.alive.remove(gone.4);
                t.dropped += 1;
            }
        }
    }

    /// The events kept, in arrival order, and how many of each test's were dropped.
    pub(crate) fn finish(self) -> (Vec<Event>, FastMap<Option<String>, usize>) {
        let dropped =
            self.tests.into_iter().filter(|(_, t)| t.dropped > 0).map(|(k, t)| (k, t.dropped)).collect();
        (self.alive.slots.into_iter().filter_map(|(_, a)| a.map(|a| a.event)).collect(), dropped)
    }
}

/// Events still possibly kept, by arrival number. Numbers arrive in increasing order, so a list sorted
/// by them takes each at its end and finds one by binary search; a removed one leaves a hole until holes
/// are half the list. (A `BTreeMap` did the same with another B-tree compiled into the wasm module.)
#[derive(Default)]
struct Arrivals {
    slots: Vec<(u64, Option<Alive>)>,
    holes: usize,
}

impl Arrivals {
    fn push(&mut self, seq: u64, a: Alive) {
        self.slots.push((seq, Some(a)));
    }

    fn get_mut(&mut self, seq: u64) -> Option<&mut Alive> {
        let i = self.slots.binary_search_by_key(&seq, |s| s.0).ok()?;
        self.slots.get_mut(i).and_then(|s| s.1.as_mut())
    }

    fn remove(&mut self, seq: u64) {
        if let Ok(i) = self.slots.binary_search_by_key(&seq, |s| s.0)
            && let Some(slot) = self.slots.get_mut(i)
            && slot.1.take().is_some()
        {
            self.holes += 1;
            if self.holes * 2 > self.slots.len() {
                self.slots.retain(|s| s.1.is_some());
                self.holes = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Alive, Arrivals};
    use crate::event::{Event, EventKind};

    fn alive(line: u32) -> Alive {
        let event = Event {
            kind: EventKind::Timeout,
            time: None,
            time_ms: None,
            test: None,
            source: crate::source::SourceRef::new("x.log", line, 0, 0),
            extractor: String::new(),
            fields: Default::default(),
        };
        Alive { event, early: true, late: true }
    }

    /// Removals in any order leave the others findable and in arrival order, across compactions.
    #[test]
    fn arrivals_keep_order_and_find_each_one_across_removals() {
        let mut a = Arrivals::default();
        for seq in 0..1000 {
            a.push(seq, alive(seq as u32));
        }
        let gone = |seq: u64| !seq.is_multiple_of(3) || seq > 900;
        for seq in (0..1000).rev().filter(|&s| gone(s)) {
            a.remove(seq);
            a.remove(seq);
        }
        for seq in 0..1000 {
            assert_eq!(a.get_mut(seq).map(|x| u64::from(x.event.source.line)), (!gone(seq)).then_some(seq));
        }
        let left: Vec<u32> =
            a.slots.into_iter().filter_map(|(_, x)| x.map(|x| x.event.source.line)).collect();
        assert_eq!(left, (0..=900_u32).filter(|s| s.is_multiple_of(3)).collect::<Vec<u32>>());
    }
}
