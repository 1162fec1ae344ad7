//! Drives ingestion end to end: archives → files → tests, lines and events → one [`Report`].

mod logs;

use std::sync::atomic::{AtomicU64, Ordering};

use crate::assign::{self, AssignReason};
use crate::baseline::Baseline;
use crate::decode::decode_owned;
use crate::event::{Event, EventKind, Fields};
use crate::extract::{Candidate, Origin, Pack};
use crate::fast_hash::{FastMap, FastSet};
use crate::input::{self, ArtifactKind, Limits};
use crate::junit;
use crate::junit::quotes::XmlQuotes;
use crate::logline::{self, LogFile};
use crate::model::{TestCase, TestStatus};
use crate::parallel::{Executor, Inline, Job};
use crate::replay::Timeline;
use crate::report::{FileEntry, FileKind, REPORT_SCHEMA, Report, Summary};
use crate::robot::{self, RobotTest};
use crate::rules::{self, RuleSet};
use crate::select::TestFilter;
use crate::source::{InputFile, SourceRef};
use crate::stream::{self, Input, KeptLines, LogSource};
use crate::warning::{Warning, WarningKind};

#[derive(Debug, Clone, Default)]
pub struct AnalyzeOptions {
    pub limits: Limits,
    /// Users' pattern packs, applied after the built-in one.
    pub packs: Vec<Pack>,
    /// Users' rule files, applied after (and able to replace) the built-in rules.
    pub rules: Vec<RuleSet>,
    /// A passing run's artifacts: lines new in this run are reported, ranked ([`crate::baseline`]).
    pub baseline: Vec<InputFile>,
    /// Keep only these tests in the report (the analysis itself still sees every test, so lines are
    /// tied to the right one).
    pub tests: TestFilter,
}

/// Where a long analysis is, for a progress bar. Bytes are input bytes (after archive expansion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: ProgressStage,
    pub done: u64,
    pub total: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressStage {
    /// Expanding archives, decoding, reading test reports.
    Reading,
    /// Splitting logs, extracting events, tying lines to tests.
    Logs,
    /// Rules, replay, clusters, baseline.
    Diagnosing,
}

/// The report plus what front ends need to show evidence in context.
pub struct Analysis {
    pub report: Report,
    /// Every log read in memory, with its lines, so a viewer can show any cited line in context.
    pub logs: Vec<LogFile>,
    /// Logs read as a stream ([`crate::stream`]) keep only the lines the report quotes.
    pub kept: Vec<KeptLines>,
    /// The limits the analysis ran with; renderers clip excerpts to the same `max_line_chars`.
    pub limits: Limits,
}

impl Analysis {
    /// True when at least one input could be read as JUnit, output.xml or a log.
    pub fn read_anything(&self) -> bool {
        self.report.files.iter().any(|f| f.kind != FileKind::Skipped)
    }
}

/// Everything read from the inputs before tests and lines are tied together.
#[derive(Default)]
struct Gathered {
    files: Vec<FileEntry>,
    tests: Vec<TestCase>,
    robot: Vec<RobotTest>,
    logs: Vec<LogFile>,
    /// Log texts waiting for the year hint (which comes from test timestamps) before they are split.
    pending_logs: Vec<(String, String)>,
    /// Logs to be read from their sources, in passes, once the tests are known.
    streams: Vec<Streamed>,
    /// Every log in input order: held texts and streams interleave as the inputs did.
    log_order: Vec<LogSlot>,
    /// What evidence may quote of each XML report: a JUnit file's failed cases' lines, an output.xml
    /// whole.
    xml_texts: FastMap<String, XmlQuotes>,
    /// `Limits::max_line_chars`, for the quoted lines.
    max_line_chars: usize,
    warnings: Vec<Warning>,
}

/// A log read from a [`LogSource`] in passes.
struct Streamed {
    source: Box<dyn LogSource>,
    name: String,
    /// Its entry in `Gathered::files`.
    file: usize,
    /// Where its decoding warnings go: among the warnings of the files read before and after it.
    warn_at: usize,
    /// Where its bad-timestamp warning goes: where `read_log` gives it, among the other logs' warnings.
    stamps_at: usize,
    survey: Option<stream::survey::Survey>,
    /// What its events pass counted.
    counted: Option<stream::tally::Counted>,
}

#[derive(Debug, Clone, Copy)]
enum LogSlot {
    /// The next of `Gathered::pending_logs` (then of `Gathered::logs`).
    Held,
    /// `Gathered::streams[i]`.
    Stream(usize),
}

pub fn analyze(files: Vec<InputFile>, options: &AnalyzeOptions) -> Analysis {
    analyze_with_progress(files, options, &mut |_| {})
}

/// [`analyze`], calling `progress` after each file read and each log processed. Files are consumed one by
/// one, so their bytes are freed as soon as they are decoded.
pub fn analyze_with_progress(
    files: Vec<InputFile>,
    options: &AnalyzeOptions,
    progress: &mut dyn FnMut(Progress),
) -> Analysis {
    analyze_inputs(files.into_iter().map(Input::Bytes).collect(), options, progress)
}

/// [`analyze_with_progress`] over inputs some of which are [`LogSource`]s: a plain log among them is read
/// as a stream, in bounded memory, with the same report. (With a baseline, or when a source turns out to
/// be an archive, a test report or XML-like, it is read whole instead.)
pub fn analyze_inputs(
    inputs: Vec<Input>,
    options: &AnalyzeOptions,
    progress: &mut dyn FnMut(Progress),
) -> Analysis {
    analyze_inputs_on(inputs, options, progress, &Inline)
}

/// [`analyze_inputs`] with the logs' events passes, and the pattern pack over a big log's blocks, run by
/// `executor` ([`crate::parallel`]): at once, with a thread pool. The report is the same.
pub fn analyze_inputs_on(
    inputs: Vec<Input>,
    options: &AnalyzeOptions,
    progress: &mut dyn FnMut(Progress),
    executor: &dyn Executor,
) -> Analysis {
    let mut g = read_inputs(inputs, options, progress, executor);

    let (tests, exact) = merge_tests(std::mem::take(&mut g.tests), &g.robot);
    let year_hint = tests.iter().filter_map(|t| t.start_ms).min().and_then(year_of);
    let mut held = std::mem::take(&mut g.pending_logs).into_iter();
    for slot in g.log_order.clone() {
        match slot {
            LogSlot::Held => {
                let Some((name, text)) = held.next() else { continue };
                let log = logline::read_log(&name, text, year_hint, &mut g.warnings);
                if let Some(entry) = g.files.iter_mut().find(|f| f.name == name && f.kind == FileKind::Log) {
                    entry.lines = Some(log.lines.len() as u64);
                }
                g.logs.push(log);
            }
            LogSlot::Stream(i) => survey_stream(&mut g, i, year_hint),
        }
    }
    // The over-long-line warnings go here, but a streamed log's first long line is known only once its
    // events pass has counted it: they are found after that pass and put back here.
    let clip_at = g.warnings.len();
    let mut clipper = Clipper::new(options.limits.max_line_chars);

    let mut pack = Pack::builtin();
    for p in &options.packs {
        pack.merge(p.clone());
    }
    pack.set_field_chars(options.limits.max_line_chars);

    let id_index: FastMap<&str, usize> = tests.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let windows = assign::windows(&tests, &exact);
    let shared = logs::Shared {
        tests: &tests,
        windows: &windows,
        pack: &pack,
        max_events_per_test: options.limits.max_events_per_test,
        max_line_chars: options.limits.max_line_chars,
    };
    let logs::Merged { mut events, mut assignments, dropped } =
        logs::events_pass(&mut g, &shared, executor, progress);
    place_counted_warnings(&mut g, &mut clipper, clip_at);
    for rt in &g.robot {
        if let Some(&i) = id_index.get(rt.case.id.as_str()) {
            robot_events(rt, &tests[i].id, &pack, &mut events);
        }
    }
    for t in &tests {
        junit_events(t, &pack, &mut events);
    }
    test_boundary_events(&tests, &g.robot, &mut events);

    verify_checksums(&mut events, &g.files);
    order_events(&mut events, &g.files);
    cap_events_per_test(&mut events, &tests, options.limits.max_events_per_test, &dropped, &mut g.warnings);
    for e in &mut events {
        e.time = e.time_ms.and_then(Event::rfc3339);
        for v in e.fields.values_mut() {
            clipper.clip(v, &e.source.file, e.source.line, &mut g.warnings);
        }
    }
    crate::sort::sort_by(&mut assignments, |a, b| {
        (a.file.as_str(), a.first_line).cmp(&(b.file.as_str(), b.first_line))
    });

    progress(Progress { stage: ProgressStage::Diagnosing, done: 0, total: 1 });
    let mut rule_set = RuleSet::builtin();
    for r in &options.rules {
        rule_set.merge(r.clone());
    }
    let mut diagnoses = rules::diagnose(&tests, &events, &rule_set);
    let kept = keep_quoted(&mut g, &diagnoses, options.limits.max_line_chars);
    for d in &mut diagnoses {
        for ev in &mut d.evidence {
            let at = (ev.file.as_str(), ev.line, ev.line_end);
            let mut held = Held { logs: &g.logs, kept: &kept, xml: &mut g.xml_texts };
            ev.text = line_text(&mut held, at, options.limits.max_line_chars);
            if let Some(text) = ev.text.as_mut() {
                clipper.clip(text, &ev.file, ev.line, &mut g.warnings);
            }
        }
    }
    let clusters = crate::fingerprint::cluster(
        &diagnoses
            .iter()
            .map(|d| {
                // Failures an earlier test caused are one failure however each of them ended: they
                // cluster by that test, not by their own messages.
                if let Some(cause) = d.evidence.iter().find_map(|e| e.test.as_ref()) {
                    return format!("{}\nleft behind by {}", d.rule, cause.name);
                }
                let message = id_index.get(d.test.id.as_str()).and_then(|&i| tests[i].message.as_deref());
                format!("{}\n{}", d.rule, message.unwrap_or_default())
            })
            .collect::<Vec<_>>(),
    );
    let timeline = timelines(&tests, &events);
    let mut tests = tests;
    for t in &mut tests {
        clipper.clip_test(t, &mut g.warnings);
    }

    let mut report = Report {
        schema: std::borrow::Cow::Borrowed(REPORT_SCHEMA),
        summary: Summary::of(&tests),
        files: g.files,
        tests,
        diagnoses,
        clusters,
        timeline,
        events,
        assignments,
        warnings: g.warnings,
        baseline: None,
        history: None,
    };
    if !options.baseline.is_empty() {
        let base = Baseline::read(options.baseline.clone(), &options.limits, &mut report.warnings);
        report.baseline = Some(base.compare(&g.logs, &report.tests, &report.assignments));
    }
    if !options.tests.is_empty() {
        report.retain_tests(|t| options.tests.matches(t));
    }
    progress(Progress { stage: ProgressStage::Diagnosing, done: 1, total: 1 });
    Analysis { report, logs: g.logs, kept, limits: options.limits }
}

/// Reads every input, each into a [`Gathered`] of its own as a job of `executor` (archives expand, test
/// reports parse and logs decode at once, with a pool), merged in input order.
fn read_inputs(
    inputs: Vec<Input>,
    options: &AnalyzeOptions,
    progress: &mut dyn FnMut(Progress),
    executor: &dyn Executor,
) -> Gathered {
    let size = |i: &Input| match i {
        Input::Bytes(f) => f.bytes.len() as u64,
        Input::Stream(s) => s.size(),
    };
    let total: u64 = inputs.iter().map(size).sum();
    let done = AtomicU64::new(0);
    let empty = || Gathered { max_line_chars: options.limits.max_line_chars, ..Gathered::default() };
    let mut pieces: Vec<Gathered> = inputs.iter().map(|_| empty()).collect();
    let jobs: Vec<Job<'_>> = inputs
        .into_iter()
        .zip(pieces.iter_mut())
        .map(|(input, g)| {
            let done = &done;
            Box::new(move |poke: &mut dyn FnMut()| {
                let bytes = size(&input);
                match input {
                    Input::Bytes(file) => {
                        for member in input::expand(file, &options.limits, &mut g.warnings) {
                            read_member(member, g);
                        }
                    }
                    Input::Stream(source) => read_source(source, options, g),
                }
                done.fetch_add(bytes, Ordering::Relaxed);
                poke();
            }) as Job<'_>
        })
        .collect();
    progress(Progress { stage: ProgressStage::Reading, done: 0, total });
    executor.run_all(jobs, &mut || {
        progress(Progress { stage: ProgressStage::Reading, done: done.load(Ordering::Relaxed), total })
    });
    let mut g = empty();
    for piece in pieces {
        g.append(piece);
    }
    g
}

impl Gathered {
    /// Appends what a later input gave, its indexes into files, streams and warnings moved past ours.
    fn append(&mut self, mut piece: Gathered) {
        for s in &mut piece.streams {
            s.file += self.files.len();
            s.warn_at += self.warnings.len();
        }
        let streams = self.streams.len();
        self.log_order.extend(piece.log_order.into_iter().map(|slot| match slot {
            LogSlot::Held => LogSlot::Held,
            LogSlot::Stream(i) => LogSlot::Stream(i + streams),
        }));
        self.streams.append(&mut piece.streams);
        self.files.append(&mut piece.files);
        // The first report's cases are moved, not copied (a 100k-case file is one input).
        if self.tests.is_empty() {
            self.tests = piece.tests;
        } else {
            self.tests.append(&mut piece.tests);
        }
        self.robot.append(&mut piece.robot);
        self.logs.append(&mut piece.logs);
        self.pending_logs.append(&mut piece.pending_logs);
        self.xml_texts.extend(piece.xml_texts);
        self.warnings.append(&mut piece.warnings);
    }
}

/// A source given to the analysis: a plain log is read later, as a stream; anything else is read whole
/// now, as if it had been given as bytes.
fn read_source(mut source: Box<dyn LogSource>, options: &AnalyzeOptions, g: &mut Gathered) {
    let name = source.name().to_string();
    let size = source.size();
    if !stream::streams(&mut *source, options) {
        match stream::whole(&mut *source) {
            Ok(bytes) => {
                for member in input::expand(InputFile::new(name, bytes), &options.limits, &mut g.warnings) {
                    read_member(member, g);
                }
            }
            Err(e) => g.warnings.push(stream::survey::read_error(&name, &e)),
        }
        return;
    }
    g.files.push(FileEntry {
        name: name.clone(),
        kind: FileKind::Log,
        bytes: size,
        lines: None,
        tests: None,
        md5: None,
    });
    g.log_order.push(LogSlot::Stream(g.streams.len()));
    g.streams.push(Streamed {
        source,
        name,
        file: g.files.len() - 1,
        warn_at: g.warnings.len(),
        stamps_at: 0,
        survey: None,
        counted: None,
    });
}

/// What is known of a streamed log before its passes ([`stream::survey`]); its bad-timestamp warning,
/// counted later, goes where `read_log`'s would.
fn survey_stream(g: &mut Gathered, i: usize, year_hint: Option<i32>) {
    let s = &mut g.streams[i];
    s.stamps_at = g.warnings.len();
    s.survey = Some(stream::survey::survey(year_hint));
}

/// Puts the warnings the events passes counted where a log held whole gives them: each streamed log's
/// decoding warnings after the warnings of the files read before it, its bad-timestamp warning where its
/// survey was, and every log's over-long-line warning at `clip_at`, in log order (`clipper` warns once
/// per file, so it sees the logs in the order it would have).
fn place_counted_warnings(g: &mut Gathered, clipper: &mut Clipper, clip_at: usize) {
    let mut placed: Vec<(usize, Vec<Warning>)> = Vec::new();
    for s in &mut g.streams {
        let Some(counted) = s.counted.as_mut() else { continue };
        placed.push((s.warn_at, std::mem::take(&mut counted.decode_warnings)));
    }
    for s in &mut g.streams {
        let Some(counted) = s.counted.as_mut() else { continue };
        placed.push((s.stamps_at, std::mem::take(&mut counted.bad_stamps)));
    }
    let mut long = Vec::new();
    let mut held = g.logs.iter();
    for slot in &g.log_order {
        match *slot {
            LogSlot::Held => {
                if let Some(log) = held.next() {
                    clipper.scan_log(log, &mut long);
                }
            }
            LogSlot::Stream(i) => {
                let s = &g.streams[i];
                if let Some(line) = s.counted.as_ref().and_then(|c| c.long_line) {
                    clipper.long_line(&s.name, line, &mut long);
                }
            }
        }
    }
    placed.push((clip_at, long));
    placed.retain(|(_, w)| !w.is_empty());
    if placed.is_empty() {
        return;
    }
    // Stable: warnings placed at the same index keep the order they were made in.
    crate::sort::sort_by_key(&mut placed, |(at, _)| *at);
    let before = std::mem::take(&mut g.warnings);
    let mut placed = placed.into_iter().peekable();
    for (i, w) in before.into_iter().enumerate() {
        while let Some((_, ws)) = placed.next_if(|(at, _)| *at <= i) {
            g.warnings.extend(ws);
        }
        g.warnings.push(w);
    }
    g.warnings.extend(placed.flat_map(|(_, ws)| ws));
}

/// Reads back, from each streamed log the diagnoses cite, the cited lines and their excerpt context.
fn keep_quoted(
    g: &mut Gathered,
    diagnoses: &[crate::rules::Diagnosis],
    max_line_chars: usize,
) -> Vec<KeptLines> {
    let mut kept = Vec::new();
    for s in &mut g.streams {
        let Some(counted) = s.counted.as_ref() else { continue };
        let wanted: Vec<(u32, u32)> = diagnoses
            .iter()
            .flat_map(|d| &d.evidence)
            .filter(|ev| ev.file == s.name)
            .map(|ev| {
                let last = ev.line_end.unwrap_or(ev.line).max(ev.line);
                (
                    ev.line.saturating_sub(stream::kept::RADIUS).max(1),
                    last.saturating_add(stream::kept::RADIUS),
                )
            })
            .collect();
        let total = u32::try_from(counted.lines).unwrap_or(u32::MAX);
        let policy = s.survey.as_ref().map(|survey| survey.timing.policy).unwrap_or_default();
        let index = stream::kept::LineIndex::new(counted.marks.clone(), policy, counted.head_time);
        if wanted.is_empty() {
            kept.push(KeptLines { name: s.name.clone(), total, lines: Default::default(), index });
            continue;
        }
        let (lines, problem) = stream::kept::read(&mut *s.source, total, wanted, index, max_line_chars);
        g.warnings.extend(problem);
        kept.push(lines);
    }
    kept
}

/// Keeps at most `max` events per test, and as many for the run-level events no test claims: the
/// earliest and the latest half of each (a test's setup and its failure), in order. One warning per test
/// cut, naming it. `events` is in time order and nothing refers to event indexes yet. `dropped` counts
/// events of streamed logs this cut was sure to drop, dropped while reading: they count in the warning
/// and were never among the first or last kept.
fn cap_events_per_test(
    events: &mut Vec<Event>,
    tests: &[TestCase],
    max: usize,
    dropped: &FastMap<Option<String>, usize>,
    warnings: &mut Vec<Warning>,
) {
    // Each test (or the run) gets a slot, and each event its test's slot; the per-test tallies are then
    // lists by slot (maps keyed by test with each value type compiled their own table code).
    let mut slots: FastMap<Option<&str>, usize> = FastMap::default();
    let mut count: Vec<usize> = Vec::new();
    let slot_of: Vec<usize> = events
        .iter()
        .map(|e| {
            let s = *slots.entry(e.test.as_deref()).or_insert(count.len());
            if s == count.len() {
                count.push(0);
            }
            if let Some(n) = count.get_mut(s) {
                *n += 1;
            }
            s
        })
        .collect();
    let mut test_of: Vec<Option<String>> = vec![None; count.len()];
    for (t, &s) in &slots {
        if let Some(slot) = test_of.get_mut(s) {
            *slot = t.map(str::to_string);
        }
    }
    drop(slots);
    // Events in all, those dropped while reading included.
    let all: Vec<usize> =
        test_of.iter().zip(&count).map(|(t, &n)| n + dropped.get(t).copied().unwrap_or(0)).collect();
    if all.iter().all(|&a| a <= max) {
        return;
    }
    let head = max / 2;
    let tail = max - head;
    let mut seen = vec![0_usize; count.len()];
    let mut first_dropped: Vec<Option<SourceRef>> = vec![None; count.len()];
    let mut slot_at = slot_of.iter();
    events.retain(|e| {
        let Some(&s) = slot_at.next() else { return true };
        if all.get(s).is_none_or(|&a| a <= max) {
            return true;
        }
        let (Some(i), Some(&n)) = (seen.get_mut(s), count.get(s)) else { return true };
        *i += 1;
        let keep = *i <= head || *i > n.saturating_sub(tail);
        if !keep && let Some(first @ None) = first_dropped.get_mut(s) {
            *first = Some(e.source.clone());
        }
        keep
    });
    let mut cut: Vec<(Option<String>, usize, usize)> =
        (0..count.len()).filter(|&s| all[s] > max).map(|s| (test_of[s].clone(), all[s], s)).collect();
    crate::sort::sort_by(&mut cut, Ord::cmp);
    for (test, n, s) in cut {
        let what = match &test {
            Some(id) => format!("test {id:?} has"),
            None => "the run has".to_string(),
        };
        let message = format!(
            "{what} {n} events{}; only the first {head} and the last {tail} are kept (--max-events-per-test)",
            if test.is_none() { " not tied to any test" } else { "" },
        );
        let at = test
            .as_deref()
            .and_then(|id| tests.iter().find(|t| t.id == id))
            .map(|t| t.source.clone())
            .or_else(|| first_dropped.get_mut(s).and_then(Option::take));
        let w = match at {
            Some(src) => Warning::new(WarningKind::LimitExceeded, src.file, message).at_line(src.line),
            None => Warning::new(WarningKind::LimitExceeded, "", message),
        };
        warnings.push(w);
    }
}

/// Clips text shown in a report to `max` characters per line (`…` marks the cut), warning once per file.
struct Clipper {
    max: usize,
    warned: FastSet<String>,
}

impl Clipper {
    fn new(max: usize) -> Clipper {
        Clipper { max, warned: Default::default() }
    }

    fn warn(&mut self, file: &str, line: u32, column: Option<u32>, warnings: &mut Vec<Warning>) {
        if !self.warned.insert(file.to_string()) {
            return;
        }
        let w = Warning::new(
            WarningKind::LimitExceeded,
            file,
            format!(
                "a line longer than {} characters (first here); reports show each line clipped to that \
                 length with `…` (--max-line-chars)",
                self.max
            ),
        );
        warnings.push(match column {
            Some(c) => w.at(line, c),
            None => w.at_line(line),
        });
    }

    /// The first line of a log longer than the limit (a line's bytes bound its characters, so most lines
    /// cost one comparison).
    fn scan_log(&mut self, log: &LogFile, warnings: &mut Vec<Warning>) {
        let long = log.lines.iter().find(|l| {
            l.end - l.start > self.max
                && log.text.get(l.start..l.end).is_some_and(|t| t.chars().nth(self.max).is_some())
        });
        if let Some(l) = long {
            self.long_line(&log.name, l.line, warnings);
        }
    }

    /// Line `line` of `file` is the first longer than the limit.
    fn long_line(&mut self, file: &str, line: u32, warnings: &mut Vec<Warning>) {
        let col = u32::try_from(self.max).unwrap_or(u32::MAX).saturating_add(1);
        self.warn(file, line, Some(col), warnings);
    }

    /// Clips every line of `text`; true when something was cut.
    fn clip(&mut self, text: &mut String, file: &str, line: u32, warnings: &mut Vec<Warning>) -> bool {
        if text.len() <= self.max {
            return false;
        }
        let mut out = String::new();
        let mut cut = false;
        for segment in text.split_inclusive('\n') {
            let body = segment.trim_end_matches(['\n', '\r']);
            match body.char_indices().nth(self.max) {
                Some((at, _)) => {
                    out.push_str(&body[..at]);
                    out.push('…');
                    out.push_str(&segment[body.len()..]);
                    cut = true;
                }
                None => out.push_str(segment),
            }
        }
        if cut {
            *text = out;
            self.warn(file, line, None, warnings);
        }
        cut
    }

    fn clip_opt(&mut self, text: &mut Option<String>, file: &str, line: u32, warnings: &mut Vec<Warning>) {
        if let Some(t) = text.as_mut() {
            self.clip(t, file, line, warnings);
        }
    }

    /// A test's messages, bodies, output and documentation (not its name: that is its identity).
    fn clip_test(&mut self, t: &mut TestCase, warnings: &mut Vec<Warning>) {
        // Borrowed out and put back rather than copied: this runs for every one of 100k tests.
        let (file, line) = (std::mem::take(&mut t.source.file), t.source.line);
        self.clip_opt(&mut t.message, &file, line, warnings);
        self.clip_opt(&mut t.system_out, &file, line, warnings);
        self.clip_opt(&mut t.system_err, &file, line, warnings);
        self.clip_opt(&mut t.documentation, &file, line, warnings);
        for f in &mut t.failures {
            self.clip_opt(&mut f.message, &file, f.line, warnings);
            self.clip(&mut f.text, &file, f.line, warnings);
            self.clip_opt(&mut f.system_out, &file, f.line, warnings);
            self.clip_opt(&mut f.system_err, &file, f.line, warnings);
        }
        t.source.file = file;
    }
}

/// One replay per test that has events: failed tests to explain them, passing ones to compare with.
fn timelines(tests: &[TestCase], events: &[Event]) -> Vec<Timeline> {
    let mut by_test: FastMap<&str, Vec<usize>> = FastMap::default();
    for (i, e) in events.iter().enumerate() {
        if let Some(t) = &e.test {
            by_test.entry(t.as_str()).or_default().push(i);
        }
    }
    tests
        .iter()
        .filter_map(|t| by_test.get(t.id.as_str()).map(|idx| Timeline::build(&t.id, events, idx)))
        .collect()
}

/// The cited line(s) as the artifact has them, without ANSI codes, each clipped to `max_chars` before it
/// is copied (a cited 1 GB line costs 2,000 characters, not a second gigabyte).
fn line_text(
    held: &mut Held<'_>,
    (file, line, line_end): (&str, u32, Option<u32>),
    max_chars: usize,
) -> Option<String> {
    let clip = |s: &str| crate::export::clip(s, max_chars).into_owned();
    let last = line_end.unwrap_or(line).max(line);
    let text = if let Some(log) = held.logs.iter().find(|l| l.name == file) {
        let first = usize::try_from(line).ok()?.checked_sub(1)?;
        let last = usize::try_from(last).ok()?;
        (first..last.min(log.lines.len())).map(|i| clip(&log.clean(i))).collect::<Vec<_>>().join("\n")
    } else if let Some(log) = held.kept.iter().find(|l| l.name == file) {
        let first = line.checked_sub(1)?;
        (first..last.min(log.total))
            .map(|i| clip(log.line(i + 1).unwrap_or_default()))
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        let quotes = held.xml.get_mut(file)?;
        line.checked_sub(1)?;
        (line..=last).filter_map(|n| quotes.line(n, max_chars)).collect::<Vec<_>>().join("\n")
    };
    Some(text)
}

/// Where quoted text comes from: logs held whole, lines kept from streamed logs, XML reports.
struct Held<'a> {
    logs: &'a [LogFile],
    kept: &'a [KeptLines],
    xml: &'a mut FastMap<String, XmlQuotes>,
}

/// Files up to this size get an md5 (a few ms per MiB); larger ones are logs, never checksummed data.
const MD5_MAX_BYTES: u64 = 64 << 20;

/// A test that reports `Got <path> checksum = … Expected checksum = X` can be checked against the data
/// itself when the run shipped the file: its md5 is compared with X and the event says so.
fn verify_checksums(events: &mut [Event], files: &[FileEntry]) {
    for e in events.iter_mut().filter(|e| e.kind == EventKind::Checksum) {
        let (Some(path), Some(expected)) = (e.field("path"), e.field("expected")) else { continue };
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.is_empty() {
            continue;
        }
        let Some(f) =
            files.iter().find(|f| f.md5.is_some() && f.name.rsplit(['/', '!']).next() == Some(base))
        else {
            continue;
        };
        let Some(md5) = f.md5.clone() else { continue };
        let verdict = if md5.eq_ignore_ascii_case(expected.trim()) { "match" } else { "mismatch" };
        e.fields.insert("artifact_file".into(), f.name.clone());
        e.fields.insert("artifact_md5".into(), md5);
        e.fields.insert("data_verified".into(), verdict.into());
    }
}

fn read_member(member: InputFile, g: &mut Gathered) {
    let bytes_len = member.bytes.len() as u64;
    let kind = input::sniff(&member.name, &member.bytes);
    let md5 = (bytes_len <= MD5_MAX_BYTES).then(|| format!("{:x}", md5::compute(&member.bytes)));
    let mut entry = FileEntry {
        name: member.name.clone(),
        kind: FileKind::Skipped,
        bytes: bytes_len,
        lines: None,
        tests: None,
        md5,
    };
    match kind {
        ArtifactKind::Junit => {
            let text = decode_owned(&member.name, member.bytes, &mut g.warnings);
            let doc = junit::read_junit(&member.name, &text, &mut g.warnings);
            entry.kind = FileKind::Junit;
            entry.tests = Some(doc.cases.len() as u64);
            g.xml_texts.insert(member.name.clone(), XmlQuotes::cited(&text, &doc.cases, g.max_line_chars));
            // The text is freed here; the first file's cases are moved, not copied.
            drop(text);
            if g.tests.is_empty() {
                g.tests = doc.cases;
            } else {
                g.tests.extend(doc.cases);
            }
        }
        ArtifactKind::RobotOutput => {
            let text = decode_owned(&member.name, member.bytes, &mut g.warnings);
            let run = robot::read_output_xml(&member.name, &text, &mut g.warnings);
            entry.kind = FileKind::RobotOutput;
            entry.tests = Some(run.tests.len() as u64);
            g.robot.extend(run.tests);
            g.xml_texts.insert(member.name.clone(), XmlQuotes::whole(text));
        }
        ArtifactKind::Log => {
            // Moved, not copied: a 500 MB log is never held twice.
            let text = decode_owned(&member.name, member.bytes, &mut g.warnings);
            if input::sniff::truncated_xml_head(&text) {
                let (line, col) = crate::decode::line_col(text.as_bytes(), text.len());
                g.warnings.push(
                    Warning::new(
                        WarningKind::MalformedXml,
                        &member.name,
                        "the file starts as XML but ends before its first element (truncated?); read as a plain log",
                    )
                    .at(line, col),
                );
            }
            entry.kind = FileKind::Log;
            g.pending_logs.push((member.name, text));
            g.log_order.push(LogSlot::Held);
        }
        ArtifactKind::Binary => {
            g.warnings.push(Warning::new(
                WarningKind::Unrecognised,
                &member.name,
                "binary data, not a test report or a log; skipped",
            ));
        }
    }
    g.files.push(entry);
}

/// Joins JUnit cases and output.xml tests that describe the same test (same `suite::name` id).
/// output.xml knows more (documentation, tags, exact times, steps); JUnit's status is kept when both have
/// one, because that is what the CI page showed. Returns the tests and each one's exact window, if any.
fn merge_tests(mut tests: Vec<TestCase>, robot: &[RobotTest]) -> (Vec<TestCase>, Vec<Option<(i64, i64)>>) {
    let mut exact = vec![None; tests.len()];
    for rt in robot {
        let rc = &rt.case;
        let window = rc.start_ms.zip(rt.end_ms.or_else(|| rc.end_ms()));
        if let Some(i) = tests.iter().position(|t| t.id == rc.id) {
            let t = &mut tests[i];
            if t.documentation.is_none() {
                t.documentation = rc.documentation.clone();
            }
            if t.tags.is_empty() {
                t.tags = rc.tags.clone();
            }
            if rc.start_ms.is_some() {
                t.start_ms = rc.start_ms;
            }
            if t.duration_ms.is_none() {
                t.duration_ms = rc.duration_ms;
            }
            if t.message.is_none() {
                t.message = rc.message.clone();
            }
            exact[i] = window;
        } else {
            tests.push(rc.clone());
            exact.push(window);
        }
    }
    (tests, exact)
}

fn year_of(ms: i64) -> Option<i32> {
    use chrono::Datelike;
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.year())
}

/// Lines extracted between two progress reports: about 6 MB of a typical log.
const PROGRESS_LINES: usize = 50_000;

fn log_events(
    log: &LogFile,
    lines: std::ops::Range<usize>,
    per_line: &[Option<(usize, AssignReason)>],
    tests: &[TestCase],
    pack: &Pack,
    out: &mut Vec<Event>,
) {
    pack.extract_log_lines(log, lines, out, |idx, events| {
        let test = per_line.get(idx).copied().flatten().and_then(|(t, _)| tests.get(t)).map(|t| t.id.clone());
        for e in events {
            e.test = test.clone();
        }
    });
}

fn robot_events(rt: &RobotTest, test_id: &str, pack: &Pack, out: &mut Vec<Event>) {
    for step in &rt.steps {
        let mut fields = Fields::new();
        fields.insert("name".into(), step.name.clone());
        fields.insert("depth".into(), step.depth.to_string());
        fields.insert("step_kind".into(), step.kind.clone());
        if let Some(lib) = &step.library {
            fields.insert("library".into(), lib.clone());
        }
        if !step.args.is_empty() {
            fields.insert("args".into(), step.args.join(" "));
        }
        push(out, EventKind::StepStarted, step.start_ms, test_id, &step.source, "robot-step", fields.clone());

        let before = out.len();
        let cand = Candidate {
            text: &step.name,
            next: None,
            origin: Origin::Step,
            source: &step.source,
            time_ms: step.start_ms,
        };
        pack.extract(&cand, out);
        for m in &step.messages {
            if m.lines.is_empty() {
                let cand = Candidate {
                    text: &m.text,
                    next: None,
                    origin: Origin::RobotMessage,
                    source: &m.source,
                    time_ms: m.time_ms,
                };
                pack.extract(&cand, out);
                continue;
            }
            // A message of several lines is read like a log: line by line, each with the next, each
            // event citing its own line.
            let lines: Vec<&str> = m.text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
            let mut source = m.source.clone();
            for ((i, text), place) in lines.iter().enumerate().zip(&m.lines) {
                (source.line, source.byte_start, source.byte_end) =
                    (place.line, place.byte_start, place.byte_end);
                let cand = Candidate {
                    text,
                    next: lines.get(i + 1).copied(),
                    origin: Origin::RobotMessage,
                    source: &source,
                    time_ms: m.time_ms,
                };
                pack.extract(&cand, out);
            }
        }
        for e in &mut out[before..] {
            e.test = Some(test_id.to_string());
        }

        if let Some(status) = step.status {
            fields.insert("status".into(), status.as_str().into());
        }
        push(out, EventKind::StepFinished, step.end_ms, test_id, &step.source, "robot-step", fields);
    }
}

/// Failure messages and bodies are evidence too: a pytest traceback often names the object it acted on.
fn junit_events(t: &TestCase, pack: &Pack, out: &mut Vec<Event>) {
    for f in &t.failures {
        if !matches!(
            f.kind,
            crate::model::FailureKind::Failure
                | crate::model::FailureKind::Error
                | crate::model::FailureKind::RerunFailure
                | crate::model::FailureKind::RerunError
                | crate::model::FailureKind::FlakyFailure
                | crate::model::FailureKind::FlakyError
        ) {
            continue;
        }
        let source = SourceRef::new(t.source.file.clone(), f.line, t.source.byte_start, t.source.byte_end);
        let time = t.end_ms().or(t.start_ms);
        let message = f.message.clone().unwrap_or_else(|| f.text.lines().next().unwrap_or("").to_string());
        let mut fields = Fields::new();
        fields.insert("message".into(), message.clone());
        fields.insert("failure_kind".into(), format!("{:?}", f.kind).to_ascii_lowercase());
        if let Some(ty) = &f.type_ {
            fields.insert("exception".into(), ty.clone());
        }
        push(out, EventKind::Assertion, time, &t.id, &source, "junit-failure", fields);

        let before = out.len();
        let texts = std::iter::once(message.as_str()).chain(f.text.lines());
        // One source for every line, its line number moved along: a fresh one per line copied the
        // file name 240k times on a 100k-case report, for the few lines the pack finds anything in.
        let mut src = source.clone();
        for (offset, line) in texts.enumerate() {
            src.line = f.line.saturating_add(offset.saturating_sub(1) as u32);
            let cand =
                Candidate { text: line, next: None, origin: Origin::Junit, source: &src, time_ms: time };
            pack.extract(&cand, out);
        }
        for e in &mut out[before..] {
            e.test = Some(t.id.clone());
        }
    }
}

/// Start and end of each test that has anything to show, so a timeline has its frame. Passing tests with
/// no events get none: a 100k-case suite would otherwise double its report with noise.
fn test_boundary_events(tests: &[TestCase], robot: &[RobotTest], out: &mut Vec<Event>) {
    let shown: Vec<bool> = {
        let with_events: FastSet<&str> = out.iter().filter_map(|e| e.test.as_deref()).collect();
        tests
            .iter()
            .map(|t| {
                t.status.is_failure() || t.status == TestStatus::Flaky || with_events.contains(t.id.as_str())
            })
            .collect()
    };
    let robot_end: FastMap<&str, usize> =
        robot.iter().enumerate().map(|(i, r)| (r.case.id.as_str(), i)).collect();
    for (t, _) in tests.iter().zip(shown).filter(|(_, shown)| *shown) {
        let mut fields = Fields::new();
        fields.insert("name".into(), t.name.clone());
        push(out, EventKind::TestStarted, t.start_ms, &t.id, &t.source, "test", fields.clone());
        fields.insert("status".into(), t.status.as_str().into());
        let end = robot_end
            .get(t.id.as_str())
            .and_then(|&i| robot.get(i))
            .and_then(|r| r.end_ms)
            .or_else(|| t.end_ms());
        push(out, EventKind::TestFinished, end, &t.id, &t.source, "test", fields);
    }
}

fn push(
    out: &mut Vec<Event>,
    kind: EventKind,
    time_ms: Option<i64>,
    test: &str,
    source: &SourceRef,
    extractor: &str,
    fields: Fields,
) {
    out.push(Event {
        kind,
        time: None,
        time_ms,
        test: Some(test.to_string()),
        source: source.clone(),
        extractor: extractor.into(),
        fields,
    });
}

/// Time order; ties and untimed events fall back to input file order, then line, so the order is total
/// and the report deterministic. Untimed events go last.
fn order_events(events: &mut Vec<Event>, files: &[FileEntry]) {
    let file_rank: FastMap<&str, usize> =
        files.iter().enumerate().map(|(i, f)| (f.name.as_str(), i)).collect();
    crate::sort::sort_by_cached_key(events, |e| {
        (
            e.time_ms.is_none(),
            e.time_ms.unwrap_or(0),
            file_rank.get(e.source.file.as_str()).copied().unwrap_or(usize::MAX),
            e.source.line,
            matches!(e.kind, EventKind::TestFinished | EventKind::StepFinished),
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shipped_data_file_verifies_the_reported_checksum() {
        let data = b"hello longhorn\n".to_vec();
        let good = format!("{:x}", md5::compute(&data));
        let log = format!(
            "[2024-11-16T10:16:06.189Z] Got /data/data.txt checksum = {good} Expected checksum = {good}\n\
             [2024-11-16T10:16:07.189Z] Got /data/data.txt checksum = {good} Expected checksum = 6dae5b70561d3899fa6196e9b9db5f0f\n"
        );
        let files =
            vec![InputFile::new("console.log", log.into_bytes()), InputFile::new("bundle/data.txt", data)];
        let report = analyze(files, &AnalyzeOptions::default()).report;
        let checks: Vec<&Event> = report.events.iter().filter(|e| e.kind == EventKind::Checksum).collect();
        assert_eq!(checks.len(), 2);
        assert_eq!(checks[0].field("data_verified"), Some("match"));
        assert_eq!(checks[0].field("artifact_file"), Some("bundle/data.txt"));
        assert_eq!(checks[1].field("data_verified"), Some("mismatch"));
        assert!(report.files.iter().all(|f| f.md5.is_some()));
    }

    fn junit_with_body(lines: usize) -> InputFile {
        let body: String = (0..lines)
            .map(|i| format!("attempt {i}: md5sum: can't open '/data/data.txt': Connection timed out\n"))
            .collect();
        let xml = format!(
            "<testsuite name=\"s\" timestamp=\"2024-11-16T10:12:00Z\">\n<testcase classname=\"s\" name=\"flood\" time=\"60\">\
             <failure message=\"gave up\">{body}</failure></testcase></testsuite>"
        );
        InputFile::new("junit.xml", xml)
    }

    #[test]
    fn events_per_test_are_capped_keeping_both_ends() {
        let limits = Limits { max_events_per_test: 10, ..Limits::default() };
        let options = AnalyzeOptions { limits, ..AnalyzeOptions::default() };
        let report = analyze(vec![junit_with_body(50)], &options).report;
        let all = analyze(vec![junit_with_body(50)], &AnalyzeOptions::default()).report.events;
        assert!(all.len() > 50);
        let mine: Vec<&Event> =
            report.events.iter().filter(|e| e.test.as_deref() == Some("s::flood")).collect();
        let expected: Vec<&Event> = all[..5].iter().chain(&all[all.len() - 5..]).collect();
        assert_eq!(mine, expected);
        assert_eq!(mine[0].kind, EventKind::TestStarted);
        let w: Vec<&Warning> =
            report.warnings.iter().filter(|w| w.kind == WarningKind::LimitExceeded).collect();
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!((w[0].file.as_str(), w[0].line), ("junit.xml", Some(2)));
        assert!(
            w[0].message.contains("\"s::flood\"") && w[0].message.contains("first 5 and the last 5"),
            "{}",
            w[0].message
        );
        // The default leaves a normal test alone.
        let report = analyze(vec![junit_with_body(50)], &AnalyzeOptions::default()).report;
        assert!(report.warnings.iter().all(|w| w.kind != WarningKind::LimitExceeded));
    }

    /// A held log's events are pruned while its lines are read; what is kept, in what order, and the
    /// cap's warnings must be what the cap gives over every event. The log has two tests' lines and
    /// run-level ones, timestamps out of order, untimed lines, and a second log adding to the same tests.
    #[test]
    fn a_held_logs_events_pruned_while_read_are_those_the_cap_keeps() {
        let junit = "<testsuite name=\"s\" timestamp=\"2024-11-16T10:00:00Z\">\n\
            <testcase classname=\"s\" name=\"a\" time=\"600\" timestamp=\"2024-11-16T10:00:00Z\"/>\n\
            <testcase classname=\"s\" name=\"b\" time=\"600\" timestamp=\"2024-11-16T10:10:00Z\"/>\n</testsuite>";
        let line = |min: u32, sec: u32, n: usize| {
            format!(
                "[2024-11-16T{:02}:{:02}:{sec:02}.000Z] md5sum: can't open '/data/{n}.txt': Connection timed out\n",
                9 + min / 60,
                min % 60
            )
        };
        let mut console = String::new();
        let mut other = String::new();
        for n in 0..400 {
            // Before the tests, in a, in b, after them; every seventh line a minute back.
            let min = [5, 63, 65, 71, 78, 95][n % 6] - if n % 7 == 0 { 1 } else { 0 };
            console.push_str(&line(min, (n % 60) as u32, n));
            if n % 5 == 0 {
                console.push_str("    an untimed continuation line: kubectl delete sharemanager pvc-1\n");
            }
            if n % 3 == 0 {
                other.push_str(&line(min, ((n + 30) % 60) as u32, 1000 + n));
            }
        }
        let files = || {
            vec![
                InputFile::new("junit.xml", junit),
                InputFile::new("console.log", console.clone()),
                InputFile::new("other.log", other.clone()),
            ]
        };
        let capped = |max| {
            let limits = Limits { max_events_per_test: max, ..Limits::default() };
            analyze(files(), &AnalyzeOptions { limits, ..AnalyzeOptions::default() }).report
        };
        let uncapped = capped(usize::MAX);
        let tests = crate::junit::read_junit("junit.xml", junit, &mut Vec::new()).cases;
        for max in [1, 2, 10, 51, 200] {
            let mut expected = uncapped.events.clone();
            let mut warnings = Vec::new();
            cap_events_per_test(&mut expected, &tests, max, &FastMap::default(), &mut warnings);
            assert!(expected.len() < uncapped.events.len(), "the cap of {max} cuts");
            let place = |e: &Event| (e.kind, e.test.clone(), e.time_ms, e.source.clone());
            let got = capped(max);
            assert_eq!(
                got.events.iter().map(place).collect::<Vec<_>>(),
                expected.iter().map(place).collect::<Vec<_>>(),
                "cap {max}"
            );
            let cut: Vec<&Warning> =
                got.warnings.iter().filter(|w| w.message.contains("--max-events")).collect();
            assert_eq!(cut, warnings.iter().collect::<Vec<_>>(), "cap {max}");
        }
    }

    #[test]
    fn display_text_is_clipped_per_line_with_one_warning_per_file() {
        let long = "x".repeat(300);
        let log = format!(
            "[2024-11-16T10:12:00.000Z] short\n[2024-11-16T10:12:01.000Z] md5sum: can't open '/data/{long}': Connection timed out\n{long}\n"
        );
        let limits = Limits { max_line_chars: 100, ..Limits::default() };
        let options = AnalyzeOptions { limits, ..AnalyzeOptions::default() };
        let analysis = analyze(vec![InputFile::new("console.log", log)], &options);
        let report = &analysis.report;
        let io = report.events.iter().find(|e| e.kind == EventKind::IoError).expect("io_error event");
        let path = io.field("path").unwrap_or_default();
        assert_eq!(path.chars().count(), 101, "{path}");
        assert!(path.ends_with('…'));
        let w: Vec<&Warning> =
            report.warnings.iter().filter(|w| w.kind == WarningKind::LimitExceeded).collect();
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!((w[0].file.as_str(), w[0].line, w[0].column), ("console.log", Some(2), Some(101)));
        let ex = crate::export::excerpt::excerpt(&analysis, "console.log", 3, None, 0).unwrap_or_default();
        assert_eq!(ex[0].text.chars().count(), 101);
    }
}
