//! Streaming equals holding: every fixture scenario (and every hostile input) analysed with its files
//! given as bytes and again with them given as [`LogSource`]s read in small chunks must give the same
//! report JSON and the same Markdown, HTML and GitHub exports, byte for byte.

mod common;

use std::ops::ControlFlow;
use std::path::Path;

use common::{fixtures, load, scenarios};
use faultline_core::export::{github, html, markdown};
use faultline_core::{Analysis, AnalyzeOptions, Input, InputFile, LogSource, analyze, analyze_inputs};

/// A file held in memory, handed over `chunk` bytes at a time, as the CLI hands over a file on disk.
struct Chunked {
    file: InputFile,
    chunk: usize,
}

impl LogSource for Chunked {
    fn name(&self) -> &str {
        &self.file.name
    }
    fn size(&self) -> u64 {
        self.file.bytes.len() as u64
    }
    fn read(&mut self, sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>) -> Result<(), String> {
        for piece in self.file.bytes.chunks(self.chunk) {
            if sink(piece).is_break() {
                break;
            }
        }
        Ok(())
    }
}

fn streamed(files: Vec<InputFile>, chunk: usize, options: &AnalyzeOptions) -> Analysis {
    let inputs = files.into_iter().map(|file| Input::Stream(Box::new(Chunked { file, chunk }))).collect();
    analyze_inputs(inputs, options, &mut |_| {})
}

fn outputs(a: &Analysis) -> [String; 4] {
    [
        a.report.to_json_pretty(),
        markdown::render(a, &markdown::MarkdownOptions::default()),
        html::render(a),
        github::render(a),
    ]
}

fn assert_same(label: &str, files: Vec<InputFile>, chunks: &[usize], options: &AnalyzeOptions) {
    let held = outputs(&analyze(files.clone(), options));
    for &chunk in chunks {
        let got = outputs(&streamed(files.clone(), chunk, options));
        for (what, (a, b)) in ["json", "markdown", "html", "github"].iter().zip(held.iter().zip(&got)) {
            if a != b {
                let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
                let from = at.saturating_sub(300);
                panic!(
                    "{label}, chunks of {chunk}: {what} differs at byte {at}\nheld:     {}\nstreamed: {}",
                    String::from_utf8_lossy(&a.as_bytes()[from..(at + 300).min(a.len())]),
                    String::from_utf8_lossy(&b.as_bytes()[from..(at + 300).min(b.len())]),
                );
            }
        }
    }
}

fn scenario(dir: &Path) {
    assert_same(&dir.display().to_string(), load(dir), &[4093, 65_536], &AnalyzeOptions::default());
}

#[test]
fn every_scenario_reports_the_same_streamed() {
    let mut quoted = 0;
    for dir in scenarios() {
        scenario(&dir);
        // The comparison means something only if the logs really were streamed, not read whole.
        let a = streamed(load(&dir), 4093, &AnalyzeOptions::default());
        for f in load(&dir).iter().filter(|f| f.name.ends_with(".log")) {
            assert!(
                a.kept.iter().any(|k| k.name == f.name),
                "{}: {} was not streamed",
                dir.display(),
                f.name
            );
            assert!(a.logs.iter().all(|l| l.name != f.name), "{}: {} was held whole", dir.display(), f.name);
        }
        quoted += a.kept.iter().map(|k| k.lines.len()).sum::<usize>();
    }
    assert!(quoted > 0, "no evidence was read back from a streamed log");
}

#[test]
fn every_hostile_input_reports_the_same_streamed() {
    let dir = fixtures().join("hostile");
    for file in load(&dir) {
        // Tiny chunks cut every sequence somewhere; big files get ordinary ones.
        let chunks: &[usize] = match file.bytes.len() {
            0..4096 => &[1, 3, 4096],
            4096..65_536 => &[3, 4096],
            _ => &[4093],
        };
        let label = format!("hostile/{}", file.name);
        assert_same(&label, vec![file], chunks, &AnalyzeOptions::default());
    }
    // And all together, so warnings from many files interleave.
    assert_same("hostile/", load(&dir), &[4096], &AnalyzeOptions::default());
}

#[test]
fn a_small_line_limit_clips_the_same_streamed() {
    let options = AnalyzeOptions {
        limits: faultline_core::input::Limits { max_line_chars: 40, ..Default::default() },
        ..Default::default()
    };
    for dir in scenarios().iter().take(4) {
        assert_same(&dir.display().to_string(), load(dir), &[4093], &options);
    }
}

#[test]
fn a_small_event_cap_cuts_the_same_streamed() {
    // Streamed logs drop what the cap is sure to drop while reading; the kept events, their order and the
    // warnings (with the counts of all events) must not change.
    for max in [0, 1, 7, 40] {
        let options = AnalyzeOptions {
            limits: faultline_core::input::Limits { max_events_per_test: max, ..Default::default() },
            ..Default::default()
        };
        for dir in scenarios() {
            assert_same(&format!("{} (cap {max})", dir.display()), load(&dir), &[65_536], &options);
        }
    }
}
