//! The thread pool the analysis's independent work runs on ([`faultline_core::parallel`]): the core
//! starts no thread, so the CLI lends it rayon's.

use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use faultline_core::parallel::{Executor, Inline, Job, Producer};

/// How often the calling thread reports progress while jobs run elsewhere.
const TICK: Duration = Duration::from_millis(100);

/// How long a log's reader waits for a block in flight before it looks for queued work again.
const BLOCK_WAIT: Duration = Duration::from_millis(5);

/// Blocks in flight per thread in a log's pipeline: enough to keep every thread busy while the reader
/// hands on the next, few enough that a big log holds only a few blocks (4 MiB each at most).
const IN_FLIGHT_PER_THREAD: usize = 2;

pub struct Pool {
    pool: rayon::ThreadPool,
    width: usize,
}

impl Pool {
    /// A pool of `threads` threads (0: one per core). `None` when one thread is asked for, or the
    /// system will not give more: the analysis then runs on the calling thread alone.
    pub fn new(threads: usize) -> Option<Pool> {
        let width = match threads {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        };
        if width < 2 {
            return None;
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(width)
            .thread_name(|i| format!("faultline-{i}"))
            .build()
            .ok()?;
        Some(Pool { pool, width })
    }
}

/// Counts work in flight and wakes whoever waits for it to go down.
#[derive(Default)]
struct InFlight {
    count: Mutex<usize>,
    changed: Condvar,
}

impl InFlight {
    fn add(&self) {
        *self.count.lock().unwrap_or_else(PoisonError::into_inner) += 1;
    }

    fn done(&self) {
        let mut count = self.count.lock().unwrap_or_else(PoisonError::into_inner);
        *count = count.saturating_sub(1);
        self.changed.notify_all();
    }

    /// Waits until at most `max` are in flight, or `timeout` passes; returns how many are.
    fn wait_below(&self, max: usize, timeout: Duration) -> usize {
        let count = self.count.lock().unwrap_or_else(PoisonError::into_inner);
        let (count, _) = self
            .changed
            .wait_timeout_while(count, timeout, |n| *n > max)
            .unwrap_or_else(PoisonError::into_inner);
        *count
    }

    /// Waits until at most `max` are in flight, calling `idle` after each `timeout` spent waiting. A pool
    /// thread runs queued work meanwhile instead of sleeping: a job waiting on its own log's blocks (or
    /// a nested `run_all`) must not hold a thread that work needs.
    fn drain_to(&self, max: usize, timeout: Duration, idle: &mut dyn FnMut()) {
        loop {
            if matches!(rayon::yield_now(), Some(rayon::Yield::Executed)) {
                continue;
            }
            if self.wait_below(max, timeout) <= max {
                return;
            }
            idle();
        }
    }
}

impl Executor for Pool {
    fn run_all<'a>(&self, jobs: Vec<Job<'a>>, tick: &mut dyn FnMut()) {
        // One job gains nothing from another thread, and allocating there costs memory: glibc gives each
        // thread its own arena, so a 40 MB report read on a pool thread peaked 8 MB higher.
        if jobs.len() < 2 {
            return Inline.run_all(jobs, tick);
        }
        let flight = InFlight::default();
        self.pool.in_place_scope(|scope| {
            for job in jobs {
                let flight = &flight;
                flight.add();
                scope.spawn(move |_| {
                    job(&mut || {});
                    flight.done();
                });
            }
            flight.drain_to(0, TICK, tick);
        });
        tick();
    }

    fn pipeline<'a>(&self, produce: &mut Producer<'_, 'a>) {
        let flight = InFlight::default();
        let max = self.width * IN_FLIGHT_PER_THREAD;
        self.pool.in_place_scope(|scope| {
            let flight = &flight;
            produce(&mut |task| {
                flight.drain_to(max.saturating_sub(1), BLOCK_WAIT, &mut || {});
                flight.add();
                scope.spawn(move |_| {
                    task();
                    flight.done();
                });
            });
            flight.drain_to(0, BLOCK_WAIT, &mut || {});
        });
    }
}
