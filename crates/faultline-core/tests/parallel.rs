//! The executor decides nothing: the analysis run on real threads, or with its work run in the reverse
//! order and late, gives byte for byte the report (and the exports) of the analysis on one thread.

mod common;

use std::sync::Mutex;

use common::{fixtures, load, scenarios};
use faultline_core::export::{github, html, markdown};
use faultline_core::parallel::{Executor, Inline, Job, Producer, Task};
use faultline_core::stream::InMemory;
use faultline_core::{Analysis, AnalyzeOptions, Input, InputFile, analyze_inputs_on};

/// Every job and every block's task on a thread of its own, all at once.
struct Threads;

impl Executor for Threads {
    fn run_all<'a>(&self, jobs: Vec<Job<'a>>, tick: &mut dyn FnMut()) {
        std::thread::scope(|s| {
            for job in jobs {
                s.spawn(move || job(&mut || {}));
            }
        });
        tick();
    }
    fn pipeline<'a>(&self, produce: &mut Producer<'_, 'a>) {
        std::thread::scope(|s| {
            produce(&mut |task| {
                s.spawn(task);
            });
        });
    }
}

/// Jobs in the reverse order; blocks' tasks held back until the log is read, then run last first: the
/// reader must take every block's events back in line order, whenever they come.
struct Backwards;

impl Executor for Backwards {
    fn run_all<'a>(&self, jobs: Vec<Job<'a>>, tick: &mut dyn FnMut()) {
        for job in jobs.into_iter().rev() {
            job(&mut || {});
        }
        tick();
    }
    fn pipeline<'a>(&self, produce: &mut Producer<'_, 'a>) {
        let held: Mutex<Vec<Task<'a>>> = Mutex::new(Vec::new());
        produce(&mut |task| held.lock().unwrap().push(task));
        for task in held.into_inner().unwrap().into_iter().rev() {
            task();
        }
    }
}

/// A file handed over 64 KiB at a time.
fn chunked(f: InputFile) -> InMemory<Vec<u8>> {
    InMemory { name: f.name, bytes: f.bytes, chunk: 65_536 }
}

/// Each file given as bytes (`stream` false: logs held whole) or as a source (plain logs streamed).
fn run(files: &[InputFile], stream: bool, executor: &dyn Executor, options: &AnalyzeOptions) -> [String; 4] {
    let inputs = files
        .iter()
        .cloned()
        .map(|f| if stream { Input::Stream(Box::new(chunked(f))) } else { Input::Bytes(f) })
        .collect();
    let a: Analysis = analyze_inputs_on(inputs, options, &mut |_| {}, executor);
    [
        a.report.to_json_pretty(),
        markdown::render(&a, &markdown::MarkdownOptions::default()),
        html::render(&a),
        github::render(&a),
    ]
}

/// `streams`: with the files given as bytes (false), as sources (true), or both.
fn assert_same(label: &str, files: &[InputFile], streams: &[bool], options: &AnalyzeOptions) {
    for &stream in streams {
        let one = run(files, stream, &Inline, options);
        for (name, executor) in [("threads", &Threads as &dyn Executor), ("backwards", &Backwards)] {
            let got = run(files, stream, executor, options);
            for (what, (a, b)) in ["json", "markdown", "html", "github"].iter().zip(one.iter().zip(&got)) {
                if a != b {
                    let at =
                        a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
                    let from = at.saturating_sub(200);
                    panic!(
                        "{label} (streamed: {stream}), {name}: {what} differs at byte {at}\n\
                         one thread: {}\n{name}: {}",
                        String::from_utf8_lossy(&a.as_bytes()[from..(at + 200).min(a.len())]),
                        String::from_utf8_lossy(&b.as_bytes()[from..(at + 200).min(b.len())]),
                    );
                }
            }
        }
    }
}

/// Every scenario's files, each named under its scenario, in one analysis: many logs, many jobs.
fn every_scenario() -> Vec<InputFile> {
    let mut all = Vec::new();
    for dir in scenarios() {
        let scenario = common::name(&dir);
        for mut f in load(&dir) {
            f.name = format!("{scenario}/{}", f.name);
            all.push(f);
        }
    }
    all
}

#[test]
fn every_scenario_at_once_reports_the_same_on_threads() {
    let files = every_scenario();
    assert!(files.iter().filter(|f| f.name.ends_with(".log")).count() > 10, "too few logs to share out");
    assert_same("every scenario", &files, &[false, true], &AnalyzeOptions::default());
    // A small event cap: streamed logs drop events while reading, per job.
    let capped = AnalyzeOptions {
        limits: faultline_core::input::Limits { max_events_per_test: 7, ..Default::default() },
        ..Default::default()
    };
    assert_same("every scenario, cap 7", &files, &[true], &capped);
}

#[test]
fn every_hostile_input_at_once_reports_the_same_on_threads() {
    assert_same("hostile", &load(&fixtures().join("hostile")), &[false, true], &AnalyzeOptions::default());
}

/// The founding case with its console log repeated into 110,000 lines: a dozen blocks of the pattern
/// pack, each with events, handed on as tasks; and a cap that cuts across blocks.
#[test]
fn a_big_log_reads_the_same_with_its_blocks_on_threads() {
    let mut files = load(&fixtures().join("rwx-recovery-cr-deleted"));
    let console = files.iter().position(|f| f.name == "console.log").expect("the console log");
    let once = files.remove(console);
    let text = once.bytes.repeat(300);
    assert!(text.iter().filter(|&&b| b == b'\n').count() >= 100_000);
    files.push(InputFile::new("console.log", text));
    assert_same("console log ×300", &files, &[false, true], &AnalyzeOptions::default());
    let capped = AnalyzeOptions {
        limits: faultline_core::input::Limits { max_events_per_test: 40, ..Default::default() },
        ..Default::default()
    };
    assert_same("console log ×300, cap 40", &files, &[true], &capped);
}
