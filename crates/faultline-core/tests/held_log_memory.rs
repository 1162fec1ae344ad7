//! A log held whole where nearly every line is an event must not hold every event at once: the per-test
//! cap keeps a few thousand, and in the browser (wasm memory never shrinks) the peak is what stays. Its
//! own test binary, so its counting allocator sees only this analysis.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use faultline_core::input::Limits;
use faultline_core::{AnalyzeOptions, InputFile, analyze};

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: forwarded as given.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded as given.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes allocated at the peak of analysing `log` (as one held file), over what was held before.
fn peak_of(log: String, options: &AnalyzeOptions) -> (usize, faultline_core::Analysis) {
    let before = NOW.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let analysis = analyze(vec![InputFile::new("console.log", log)], options);
    (PEAK.load(Ordering::Relaxed) - before, analysis)
}

fn event_lines(lines: usize) -> String {
    (0..lines)
        .map(|n| {
            format!(
                "[2024-11-16T10:{:02}:{:02}.000Z] md5sum: can't open '/data/{n}.txt': Connection timed out\n",
                n / 1000 % 60,
                n % 60
            )
        })
        .collect()
}

#[test]
fn a_log_of_events_peaks_near_its_own_size_not_at_every_event() {
    let options = AnalyzeOptions {
        limits: Limits { max_events_per_test: 1000, ..Limits::default() },
        ..AnalyzeOptions::default()
    };
    // What any analysis holds whatever the log: the pattern pack and the rules, compiled.
    let (fixed, _) = peak_of(event_lines(1), &options);
    let lines = 200_000;
    let log = event_lines(lines);
    let size = log.len();
    let (peak, analysis) = peak_of(log, &options);
    assert_eq!(analysis.report.events.len(), 1000);
    assert!(
        analysis.report.warnings.iter().any(|w| w.message.contains(&format!("{lines} events"))),
        "{:?}",
        analysis.report.warnings
    );
    let over = peak.saturating_sub(fixed);
    eprintln!("log {size} bytes: peak {peak} bytes, {over} over a one-line log's {fixed}");
    assert!(over < 2 * size, "a {size}-byte log peaked at {over} bytes over a one-line log");
}
