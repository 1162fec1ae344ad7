//! Streaming equals holding: every fixture scenario (and every hostile input) analysed with its files
//! given as bytes and again with them given as [`LogSource`]s read in small chunks must give the same
//! report JSON and the same Markdown, HTML and GitHub exports, byte for byte.

mod common;

use std::ops::ControlFlow;
use std::path::Path;

use common::{fixtures, load, scenarios};
use faultline_core::export::{github, html, markdown};
use faultline_core::stream::InMemory;
use faultline_core::{Analysis, AnalyzeOptions, Input, InputFile, LogSource, analyze, analyze_inputs};

/// A file held in memory, handed over `chunk` bytes at a time, as the CLI hands over a file on disk.
type Chunked = InMemory<Vec<u8>>;

fn chunked(file: InputFile, chunk: usize) -> Chunked {
    InMemory { name: file.name, bytes: file.bytes, chunk }
}

fn streamed(files: Vec<InputFile>, chunk: usize, options: &AnalyzeOptions) -> Analysis {
    let inputs = files.into_iter().map(|file| Input::Stream(Box::new(chunked(file, chunk)))).collect();
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

/// The held log's answers and the streamed log's, read again from its source, for one log.
/// False when the file is not a log both read (held and streamed: a log that looks like XML is read whole).
fn assert_same_view(label: &str, held: &Analysis, streamed: &Analysis, file: &InputFile) -> bool {
    use faultline_core::logline::Level;
    use faultline_core::logview::{self, LogQuery};
    let Some(log) = held.logs.iter().find(|l| l.name == file.name) else { return false };
    if !streamed.kept.iter().any(|k| k.name == file.name) {
        return false;
    }
    let mut source = chunked(file.clone(), 4093);
    let total = log.lines.len() as u32;
    let window = |a: u32, n: u32, q: Option<&LogQuery>| logview::window(held, &file.name, a, n, q);
    let window_from =
        |s: &mut Chunked, a, n, q: Option<&LogQuery>| logview::window_from(streamed, s, a, n, q);
    let error = LogQuery { pattern: "error|fail".into(), regex: true, ..Default::default() };
    for (first, count) in
        [(0, u32::MAX), (1, 200), (total / 2, 300), (total.saturating_sub(5), 10), (total + 1, 5)]
    {
        for q in [None, Some(&error)] {
            assert_eq!(
                window(first, count, q),
                window_from(&mut source, first, count, q),
                "{label}: {} lines {first}+{count}",
                file.name
            );
        }
    }
    // Every line too: each read from the mark before it, starting at that mark's own line.
    let every: Vec<u32> = (1..=total).collect();
    for picks in [&[total, 1, total / 2, total / 2, 0, total + 1, total / 3, 2][..], &every] {
        assert_eq!(
            logview::pick(held, &file.name, picks, Some(&error)),
            logview::pick_from(streamed, &mut source, picks, Some(&error)),
            "{label}: {} picks",
            file.name
        );
    }
    let queries = [
        LogQuery::default(),
        LogQuery { pattern: "ERROR".into(), ..Default::default() },
        LogQuery { pattern: r"\d{2}:\d{2}".into(), regex: true, limit: 7, ..Default::default() },
        LogQuery { levels: vec![Level::Error, Level::Warn], ..Default::default() },
    ];
    for q in &queries {
        let hits = logview::search(held, &file.name, q);
        assert_eq!(
            hits,
            logview::search_from(streamed, &mut source, q),
            "{label}: {} search {q:?}",
            file.name
        );
        let lines = hits.map(|h| h.lines).unwrap_or_default();
        assert_eq!(
            logview::pick(held, &file.name, &lines, Some(q)),
            logview::pick_from(streamed, &mut source, &lines, Some(q)),
            "{label}: {} hits of {q:?}",
            file.name
        );
    }
    true
}

/// Every line a viewer asks of a streamed log, read again from its source, is the line, level, time and
/// marks the log held whole gives: over every scenario's and hostile input's logs, and over a log big
/// enough to be read from its marks (a MiB apart) with year-less and untimed lines among timed ones.
#[test]
fn every_log_views_the_same_streamed() {
    let mut dirs = scenarios();
    dirs.push(fixtures().join("hostile"));
    let mut compared = 0;
    for dir in dirs {
        let files = load(&dir);
        let held = analyze(files.clone(), &AnalyzeOptions::default());
        let streamed = streamed(files.clone(), 4093, &AnalyzeOptions::default());
        for file in &files {
            compared += usize::from(assert_same_view(&dir.display().to_string(), &held, &streamed, file));
        }
    }
    assert!(compared > 40, "only {compared} logs compared");
    let mut big = String::from("untimed head line\n\x1b[31mERROR\x1b[0m before any time\n");
    let mut n = 0;
    while big.len() < 3 << 20 {
        n += 1;
        // Most lines untimed, so the lines where marks fall mostly inherit their time from above them.
        match n % 11 {
            0 => big.push_str(&format!(
                "E1116 10:{:02}:{:02}.000000 1 x.go:1] klog error {n}\n",
                n / 60 % 60,
                n % 60
            )),
            1 => big.push_str(&format!("2024-11-16T10:{:02}:{:02}Z WARN step {n}\n", n / 60 % 60, n % 60)),
            2 => big.push_str(&format!(
                "Nov 16 10:{:02}:{:02} host kubelet[1]: error {n}\n",
                n / 60 % 60,
                n % 60
            )),
            3 | 5 | 7 => big.push_str(&format!("  continuation {n} with \u{202e}bidi and 🦀\r\n")),
            _ => big.push_str(&format!("\x1b[1mINFO\x1b[0m untimed {n}\n")),
        }
    }
    let file = InputFile::new("big.log", big);
    let held = analyze(vec![file.clone()], &AnalyzeOptions::default());
    let streamed = streamed(vec![file.clone()], 65_536, &AnalyzeOptions::default());
    assert!(assert_same_view("big", &held, &streamed, &file));
    let marks = streamed.kept.iter().map(|k| k.index.marks()).sum::<usize>();
    assert!(marks >= 2, "the big log was read from {marks} marks");
}

/// A source that no longer reads is an error naming the log, not a panic or an empty answer.
#[test]
fn a_streamed_log_that_cannot_be_read_again_is_an_error() {
    use faultline_core::logview::{self, LogQuery, QueryError};
    struct Gone;
    impl LogSource for Gone {
        fn name(&self) -> &str {
            "a.log"
        }
        fn size(&self) -> u64 {
            0
        }
        fn read(&mut self, _: &mut dyn FnMut(&[u8]) -> ControlFlow<()>) -> Result<(), String> {
            Err("the file is gone".into())
        }
    }
    let file = InputFile::new("a.log", "2024-11-16T10:00:00Z INFO one\n".repeat(10));
    let a = streamed(vec![file], 7, &AnalyzeOptions::default());
    let gone = QueryError::Read { file: "a.log".into(), message: "the file is gone".into() };
    assert_eq!(logview::window_from(&a, &mut Gone, 1, 5, None), Err(gone.clone()));
    assert_eq!(logview::pick_from(&a, &mut Gone, &[3], None), Err(gone.clone()));
    assert_eq!(logview::search_from(&a, &mut Gone, &LogQuery::default()), Err(gone));
    struct Other;
    impl LogSource for Other {
        fn name(&self) -> &str {
            "b.log"
        }
        fn size(&self) -> u64 {
            0
        }
        fn read(&mut self, _: &mut dyn FnMut(&[u8]) -> ControlFlow<()>) -> Result<(), String> {
            Ok(())
        }
    }
    assert_eq!(logview::window_from(&a, &mut Other, 1, 5, None), Err(QueryError::NoSuchLog("b.log".into())));
}

/// A source that counts the bytes it hands over, over every pass.
struct Counting {
    inner: Chunked,
    read: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl LogSource for Counting {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn size(&self) -> u64 {
        self.inner.size()
    }
    fn read(&mut self, sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>) -> Result<(), String> {
        self.read_from(0, sink)
    }
    fn read_from(
        &mut self,
        offset: u64,
        sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>,
    ) -> Result<(), String> {
        let read = &self.read;
        self.inner.read_from(offset, &mut |piece| {
            read.fetch_add(piece.len() as u64, std::sync::atomic::Ordering::Relaxed);
            sink(piece)
        })
    }
}

/// A plain log is read once for its events, with no pass of its own for its year or its head's time:
/// not even a log with neither (it used to be read three times). A log is read again only as far as the
/// line that showed the lines above it needed what it revealed. A console log (a mark near its end) is
/// framed and read again. Each reports as held.
#[test]
fn a_plain_log_is_read_once_and_a_console_log_again_once_framed() {
    let plain: String = (0..40_000)
        .map(|i| format!("2024-11-16T10:15:{:02}Z INFO line {i} of a component log\n", i % 60))
        .collect();
    let console = format!("{plain}tests/test_rwx.py::test_recovery PASSED\n");
    let untimed: String = (0..40_000).map(|i| format!("Building module {i}: [INFO] compiled\n")).collect();
    // Untimed lines above the first timestamp inherit it: learned at line 3, read again from the top.
    let late_head = format!("Started by user admin\nBuilding\n\n{plain}");
    // Syslog lines have no year until a later line gives it: learned halfway, read again from the top.
    let syslog: String =
        (0..20_000).map(|i| format!("Nov 16 10:15:{:02} node-1 kubelet[7]: line {i}\n", i % 60)).collect();
    let late_year = format!("{syslog}{plain}");
    for (text, at_most, at_least) in [
        (&plain, 1.1, 1.0),
        (&console, 3.2, 2.9),
        (&untimed, 1.1, 1.0),
        (&late_head, 1.1, 1.0),
        (&late_year, 1.55, 1.3),
    ] {
        let read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let file = InputFile::new("c.log", text.clone());
        let source = Counting { inner: chunked(file.clone(), 65_536), read: read.clone() };
        let got =
            analyze_inputs(vec![Input::Stream(Box::new(source))], &AnalyzeOptions::default(), &mut |_| {});
        let held = analyze(vec![file], &AnalyzeOptions::default());
        assert_eq!(got.report.to_json_pretty(), held.report.to_json_pretty());
        let passes = read.load(std::sync::atomic::Ordering::Relaxed) as f64 / text.len() as f64;
        assert!((at_least..=at_most).contains(&passes), "{passes:.2} times the log was read");
    }
}

/// Lines whose times depend on what other lines reveal: year-less formats before or after the year,
/// untimed heads, lines that only look like stamps.
const MIXED: &[&str] = &[
    "2024-11-16T10:15:03.123Z INFO timed",
    "I1116 10:15:04.000000 1 x.go:1] klog without a year",
    "Nov 16 10:15:05 host kubelet[1]: syslog error: Connection timed out",
    "Feb 29 10:15:05 host kubelet[1]: a leap day",
    "untimed continuation",
    "Starts Uppercase untimed",
    "[2024-11-16T10:15:06Z] WARN bracketed",
    "2099-99-99T99:99:99Z bad stamp",
    "md5sum: can't open '/data/data.txt': Connection timed out",
    "",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 96, ..Default::default() })]

    /// However the lines above reveal the year and the head's time, a streamed log (read again when a
    /// line shows it must be) reports as the held one: with no year to go by, and with the tests' year.
    #[test]
    fn any_mix_of_timed_and_year_less_lines_reports_the_same_streamed(
        picks in proptest::collection::vec(0..MIXED.len(), 0..60),
        chunk in 1usize..300,
        with_tests in proptest::bool::ANY,
    ) {
        let text: String = picks.iter().map(|&i| format!("{}\n", MIXED[i])).collect();
        let mut files = vec![InputFile::new("mixed.log", text)];
        if with_tests {
            files.push(InputFile::new(
                "junit.xml",
                r#"<testsuite name="s" tests="1" timestamp="2023-11-16T10:15:00"><testcase name="t" time="60"/></testsuite>"#,
            ));
        }
        let options = AnalyzeOptions::default();
        let held = analyze(files.clone(), &options).report.to_json_pretty();
        proptest::prop_assert_eq!(held, streamed(files, chunk, &options).report.to_json_pretty());
    }
}
