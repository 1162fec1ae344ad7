//! Work the analysis can do at once, handed to an [`Executor`] the front end supplies.
//!
//! The core starts no thread: the same code runs in wasm on one thread, through [`Inline`], and the CLI
//! passes a thread pool. Two shapes of work are handed out: the events pass of each log (every log is
//! independent once the tests are known) and, while one big log is read, the pattern pack over each
//! block of its lines (the part of reading that does not depend on the lines before it). Every result
//! goes into its own slot and is merged in input order, so the report is the same whatever the executor
//! does; a test compares them byte for byte.

/// One log's events pass. It counts its progress into shared counters and then calls the
/// `&mut dyn FnMut()` it is given: [`Inline`] gives the analysis's progress report itself, an executor
/// running the job on another thread gives a no-op and reports from the calling thread instead.
pub type Job<'a> = Box<dyn FnOnce(&mut dyn FnMut()) + Send + 'a>;

/// The pattern pack over one block of a log, handed on while the next block is read.
pub type Task<'a> = Box<dyn FnOnce() + Send + 'a>;

/// Reads a log, handing each block's task to the function it is given.
pub type Producer<'p, 'a> = dyn FnMut(&mut dyn FnMut(Task<'a>)) + 'p;

/// Runs the analysis's independent work, at once where it can. Implementations decide nothing about the
/// output: jobs and tasks write into their own slots.
pub trait Executor: Sync {
    /// Runs every job and returns once all have finished. `tick` is called on the calling thread now
    /// and then, and once at the end, to report the progress the jobs counted.
    fn run_all<'a>(&self, jobs: Vec<Job<'a>>, tick: &mut dyn FnMut());

    /// Runs `produce` on the calling thread; each task it hands over runs, on this thread or another,
    /// while `produce` goes on. Returns once `produce` has and every task has finished. The executor may
    /// make `produce` wait while many tasks are in flight: that bounds what a big log holds in memory.
    fn pipeline<'a>(&self, produce: &mut Producer<'_, 'a>);
}

/// Everything on the calling thread, in order: the single-threaded analysis (and the only one in wasm).
#[derive(Debug, Clone, Copy, Default)]
pub struct Inline;

impl Executor for Inline {
    fn run_all<'a>(&self, jobs: Vec<Job<'a>>, tick: &mut dyn FnMut()) {
        for job in jobs {
            job(tick);
        }
        tick();
    }

    fn pipeline<'a>(&self, produce: &mut Producer<'_, 'a>) {
        produce(&mut |task| task());
    }
}
