//! The run as a CTRF document (Common Test Report Format, the `ctrf-io/ctrf` JSON schema vendored at
//! `schema/ctrf.schema.json`), so that any CTRF consumer (CI summaries, dashboards, flaky-test trackers)
//! can show faultline's results, with each test's diagnosis carried in `extra.faultline`.
//!
//! The mapping, field by field, and the choices for retries and flaky tests are in `docs/ctrf.md`. In
//! short: one CTRF test per logical test; its fields describe the *final* attempt, and every earlier
//! attempt is a `retryAttempts` entry. Earlier attempts come from Surefire's `flakyFailure`/`flakyError`/
//! `rerunFailure`/`rerunError` elements and from repeated cases (`X`, `X#2`, `X#3`…, reruns written as
//! separate `<testcase>` elements), which are merged into one test. `retries` counts the earlier
//! attempts; `flaky` is true when the final status is `passed` and an earlier attempt failed (the CTRF
//! definition).

use serde_json::Value;

use crate::analyze::Analysis;
use crate::fast_hash::FastMap;
use crate::model::{Failure, FailureKind, TestCase, TestStatus};
use crate::report::{REPORT_SCHEMA, Report};
use crate::rules::Diagnosis;
use crate::warning::WarningKind;

/// The CTRF specification version the output conforms to (`specVersion`): the version the vendored
/// schema's specification (`spec/ctrf.md` of the same commit) states.
pub const SPEC_VERSION: &str = "0.0.0";

/// The key under every `extra` object that holds faultline's data.
pub const EXTRA_KEY: &str = "faultline";

/// The CTRF document for an analysis.
pub fn render(analysis: &Analysis) -> Value {
    render_report(&analysis.report)
}

/// The CTRF document as pretty-printed JSON.
pub fn to_string(analysis: &Analysis) -> String {
    // Plain data with string keys always serialises.
    crate::json::to_string(&Document::of(&analysis.report), crate::json::Layout::Pretty).unwrap_or_default()
}

/// Streams the pretty-printed CTRF document to `w`: the tests are serialised one at a time, so a
/// 100k-test run never holds its whole document in memory.
pub fn write(analysis: &Analysis, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    crate::json::to_writer(w, &Document::of(&analysis.report), crate::json::Layout::Pretty)
        .map_err(std::io::Error::from)
}

/// The CTRF document for a report (what [`render`] does, for callers holding only the report).
pub fn render_report(report: &Report) -> Value {
    serde_json::to_value(Document::of(report)).unwrap_or(Value::Null)
}

/// The document, with `results.tests` produced while it is written.
#[derive(serde::Serialize)]
struct Document<'a> {
    #[serde(rename = "reportFormat")]
    report_format: &'static str,
    #[serde(rename = "specVersion")]
    spec_version: &'static str,
    #[serde(rename = "generatedBy")]
    generated_by: &'static str,
    results: Results<'a>,
}

#[derive(serde::Serialize)]
struct Results<'a> {
    tool: Tool,
    summary: RunSummary,
    tests: Tests<'a>,
    extra: Extra<RunExtra<'a>>,
}

struct Tests<'a> {
    groups: Vec<Group<'a>>,
    diagnoses: Diagnoses<'a>,
}

/// Each failed test's diagnosis by test id (positions in the report's list: a map whose values are
/// references compiled its own table code into the module).
struct Diagnoses<'a> {
    all: &'a [Diagnosis],
    by_test: FastMap<&'a str, usize>,
}

impl<'a> Diagnoses<'a> {
    fn get(&self, id: &str) -> Option<&'a Diagnosis> {
        self.by_test.get(id).and_then(|&i| self.all.get(i))
    }
}

impl serde::Serialize for Tests<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(None)?;
        for group in &self.groups {
            let attempts: Vec<Attempt<'_>> = group.cases.iter().flat_map(|c| attempts_of(c)).collect();
            let Some((last, earlier)) = attempts.split_last() else { continue };
            let flaky = last.status == "passed" && earlier.iter().any(|a| a.status == "failed");
            seq.serialize_element(&test_object(&group.key, last, earlier, flaky, &self.diagnoses))?;
        }
        seq.end()
    }
}

impl<'a> Document<'a> {
    /// Counts and the run's window are taken in a first pass over the attempts (cheap: no JSON), so the
    /// summary can precede the tests in the document.
    fn of(report: &'a Report) -> Document<'a> {
        let diagnoses = Diagnoses {
            all: &report.diagnoses,
            by_test: report.diagnoses.iter().enumerate().map(|(i, d)| (d.test.id.as_str(), i)).collect(),
        };
        let groups = group_repeats(&report.tests);
        let mut counts = Counts::default();
        let mut suites: Vec<&str> = Vec::new();
        let mut window = Window::default();
        let mut tests = 0usize;
        for group in &groups {
            let attempts: Vec<Attempt<'_>> = group.cases.iter().flat_map(|c| attempts_of(c)).collect();
            for a in &attempts {
                window.add(a);
            }
            let Some((last, earlier)) = attempts.split_last() else { continue };
            let flaky = last.status == "passed" && earlier.iter().any(|a| a.status == "failed");
            counts.add(last.status, flaky);
            if !last.case.suite.is_empty() {
                suites.push(last.case.suite.as_str());
            }
            tests += 1;
        }
        let (start, stop) = window.bounds();
        crate::sort::sort_by(&mut suites, |a, b| a.cmp(b));
        suites.dedup();
        let summary = RunSummary {
            duration: window.known().then(|| stop.saturating_sub(start)),
            failed: counts.failed,
            flaky: counts.flaky,
            other: counts.other,
            passed: counts.passed,
            pending: 0,
            skipped: counts.skipped,
            start,
            stop,
            suites: suites.len(),
            tests,
        };
        Document {
            report_format: "CTRF",
            spec_version: SPEC_VERSION,
            generated_by: concat!("faultline ", env!("CARGO_PKG_VERSION")),
            results: Results {
                tool: Tool { name: "faultline", version: env!("CARGO_PKG_VERSION") },
                summary,
                tests: Tests { groups, diagnoses },
                extra: Extra { faultline: run_extra(report) },
            },
        }
    }
}

#[derive(Default)]
struct Counts {
    passed: u64,
    failed: u64,
    skipped: u64,
    /// Never produced today (faultline has no `pending` or `other` outcome); counted for safety.
    other: u64,
    flaky: u64,
}

impl Counts {
    fn add(&mut self, status: &str, flaky: bool) {
        match status {
            "passed" => self.passed += 1,
            "failed" => self.failed += 1,
            "skipped" => self.skipped += 1,
            _ => self.other += 1,
        }
        self.flaky += u64::from(flaky);
    }
}

/// Earliest start and latest end over every attempt whose time is known.
#[derive(Default)]
struct Window {
    start: Option<i64>,
    stop: Option<i64>,
}

impl Window {
    fn add(&mut self, a: &Attempt<'_>) {
        let Some((start, stop)) = a.times() else { return };
        self.start = Some(self.start.map_or(start, |s| s.min(start)));
        let end = stop.unwrap_or(start);
        self.stop = Some(self.stop.map_or(end, |s| s.max(end)));
    }

    fn known(&self) -> bool {
        self.start.is_some()
    }

    /// `(start, stop)`, `(0, 0)` when no test has a time (the schema requires both).
    fn bounds(&self) -> (i64, i64) {
        let start = self.start.unwrap_or(0);
        (start, self.stop.unwrap_or(start).max(start))
    }
}

/// Cases that are attempts of one test: `X` followed by `X#2`, `X#3`… (a JUnit file's repeated cases),
/// or the same id again (the same test in another file). `key` is the first case's id.
struct Group<'a> {
    key: String,
    cases: Vec<&'a TestCase>,
}

fn group_repeats(tests: &[TestCase]) -> Vec<Group<'_>> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut index: FastMap<&str, usize> = FastMap::default();
    for t in tests {
        let existing = index.get(t.id.as_str()).or_else(|| repeat_base(&t.id).and_then(|b| index.get(b)));
        match existing {
            Some(&g) => groups[g].cases.push(t),
            None => {
                index.insert(t.id.as_str(), groups.len());
                groups.push(Group { key: t.id.clone(), cases: vec![t] });
            }
        }
    }
    groups
}

/// `X` for an id `X#N` with N ≥ 2 written without leading zeros, the form the JUnit reader gives
/// repeated cases.
fn repeat_base(id: &str) -> Option<&str> {
    let (base, n) = id.rsplit_once('#')?;
    let valid = !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit());
    (valid && n.parse::<u64>().is_ok_and(|n| n >= 2)).then_some(base)
}

/// One execution of a test.
struct Attempt<'a> {
    case: &'a TestCase,
    /// The CTRF status.
    status: &'static str,
    /// The Surefire element this attempt was read from; `None` for the case's own outcome.
    element: Option<FailureKind>,
    message: Option<String>,
    trace: Option<String>,
    stdout: Option<&'a str>,
    stderr: Option<&'a str>,
    /// The case's last attempt: it carries the case's time, status and diagnosis (Surefire does not
    /// time the attempts inside a case).
    last_of_case: bool,
}

impl Attempt<'_> {
    fn duration_ms(&self) -> Option<i64> {
        if !self.last_of_case {
            return None;
        }
        self.case.duration_ms.filter(|d| d.is_finite() && *d >= 0.0).map(|d| d.round() as i64)
    }

    /// Start, and stop when the duration is known too.
    fn times(&self) -> Option<(i64, Option<i64>)> {
        if !self.last_of_case {
            return None;
        }
        let start = self.case.start_ms?;
        Some((start, self.duration_ms().map(|d| start.saturating_add(d))))
    }
}

fn ctrf_status(status: TestStatus) -> &'static str {
    match status {
        TestStatus::Passed | TestStatus::Flaky => "passed",
        TestStatus::Failed | TestStatus::Error => "failed",
        TestStatus::Skipped => "skipped",
    }
}

/// The message a failure element shows: its `message`, else its first non-blank text line.
fn message_of(f: &Failure) -> Option<String> {
    f.message
        .clone()
        .filter(|m| !m.is_empty())
        .or_else(|| f.text.lines().map(str::trim).find(|l| !l.is_empty()).map(str::to_string))
}

/// The texts of `failures` without the whitespace around them (the indentation of nested Surefire
/// elements), blank ones left out, separated by a blank line.
fn trace_of<'a>(failures: impl Iterator<Item = &'a Failure>) -> Option<String> {
    let texts: Vec<&str> = failures.map(|f| f.text.trim()).filter(|t| !t.is_empty()).collect();
    (!texts.is_empty()).then(|| texts.join("\n\n"))
}

const PRIMARY: &[FailureKind] = &[FailureKind::Failure, FailureKind::Error];
const FLAKY: &[FailureKind] = &[FailureKind::FlakyFailure, FailureKind::FlakyError];
const RERUN: &[FailureKind] = &[FailureKind::RerunFailure, FailureKind::RerunError];

fn of_kind<'a>(case: &'a TestCase, kinds: &'static [FailureKind]) -> impl Iterator<Item = &'a Failure> {
    case.failures.iter().filter(move |f| kinds.contains(&f.kind))
}

/// A failed attempt read from one Surefire element.
fn element_attempt<'a>(case: &'a TestCase, f: &'a Failure) -> Attempt<'a> {
    Attempt {
        case,
        status: "failed",
        element: Some(f.kind),
        message: message_of(f),
        trace: trace_of(std::iter::once(f)),
        stdout: f.system_out.as_deref(),
        stderr: f.system_err.as_deref(),
        last_of_case: false,
    }
}

/// A case's attempts in order: Surefire's flaky elements (failed attempts before the final pass), then
/// either the first run and its reruns (a case with `rerunFailure`/`rerunError`, which failed every
/// time) or the case's own outcome.
fn attempts_of(case: &TestCase) -> Vec<Attempt<'_>> {
    let mut out: Vec<Attempt<'_>> = of_kind(case, FLAKY).map(|f| element_attempt(case, f)).collect();
    let reruns: Vec<&Failure> = of_kind(case, RERUN).collect();
    if reruns.is_empty() {
        let failed = case.status.is_failure();
        out.push(Attempt {
            case,
            status: ctrf_status(case.status),
            element: None,
            // A flaky case's message is its failed attempts'; the final attempt passed.
            message: if case.status == TestStatus::Flaky { None } else { case.message.clone() },
            trace: if failed { trace_of(of_kind(case, PRIMARY)) } else { None },
            stdout: case.system_out.as_deref(),
            stderr: case.system_err.as_deref(),
            last_of_case: true,
        });
        return out;
    }
    if let Some(first) = of_kind(case, PRIMARY).next() {
        // The first run, as `<failure>`/`<error>` record it.
        out.push(Attempt {
            case,
            status: "failed",
            element: Some(first.kind),
            message: of_kind(case, PRIMARY).find_map(message_of),
            trace: trace_of(of_kind(case, PRIMARY)),
            stdout: None,
            stderr: None,
            last_of_case: false,
        });
    }
    out.extend(reruns.into_iter().map(|f| element_attempt(case, f)));
    if let Some(last) = out.last_mut() {
        // The last rerun is the case's final attempt: it gets the case's status, time and output.
        last.status = ctrf_status(case.status);
        last.last_of_case = true;
        last.stdout = last.stdout.or(case.system_out.as_deref());
        last.stderr = last.stderr.or(case.system_err.as_deref());
    }
    out
}

/// A text's lines, `None` when it is empty.
fn lines(text: Option<&str>) -> Option<Vec<&str>> {
    text.filter(|t| !t.is_empty()).map(|t| t.lines().collect())
}

/// `suite` as CTRF wants it: the path from the top-level suite, here faultline's dotted suite split at
/// the dots; `None` when there is no suite.
fn suite_path(suite: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = suite.split('.').filter(|p| !p.is_empty()).collect();
    (!parts.is_empty()).then_some(parts)
}

/// JUnit `<properties>` of a case as CTRF `labels`: by name in byte order, a repeated name becoming an
/// array of its values in document order. A sorted `Vec` rather than a `BTreeMap`: it serialises the
/// same, through the crate's shared sort instead of another instance of the map (6 KB of wasm).
struct Labels<'a>(Vec<(&'a str, Vec<&'a str>)>);

impl serde::Serialize for Labels<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// One value as a string, several as an array.
        struct Values<'v>(&'v [&'v str]);
        impl serde::Serialize for Values<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self.0 {
                    [one] => serializer.serialize_str(one),
                    many => serializer.collect_seq(many),
                }
            }
        }
        serializer.collect_map(self.0.iter().map(|(name, values)| (name, Values(values))))
    }
}

fn labels(properties: &[(String, String)]) -> Option<Labels<'_>> {
    let mut pairs: Vec<(&str, &str)> = properties.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    // Stable: a repeated name keeps its values in the order the file gives them.
    crate::sort::sort_by(&mut pairs, |a, b| a.0.cmp(b.0));
    let mut by_name: Vec<(&str, Vec<&str>)> = Vec::new();
    for (k, v) in pairs {
        match by_name.last_mut() {
            Some((name, values)) if *name == k => values.push(v),
            _ => by_name.push((k, vec![v])),
        }
    }
    (!by_name.is_empty()).then_some(Labels(by_name))
}

// The objects below are written as typed structs rather than `serde_json::Value` trees: the document
// streams without building a map per test, and the wasm module carries no `Value` (about 40 KB of its
// code). Their fields are declared in byte order of the JSON keys, the order `Value`'s sorted maps gave
// and the documents already written have (a test compares the two).

/// `{ "faultline": … }`, the `extra` object of the document and of each test and attempt (the field is
/// named for [`EXTRA_KEY`]; a test holds the two together).
#[derive(serde::Serialize, Default)]
struct Extra<T> {
    faultline: T,
}

#[derive(serde::Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(serde::Serialize)]
struct RunSummary {
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<i64>,
    failed: u64,
    flaky: u64,
    other: u64,
    passed: u64,
    pending: u64,
    skipped: u64,
    start: i64,
    stop: i64,
    suites: usize,
    tests: usize,
}

/// A test object (`results.tests[]`) or an earlier attempt (its `retryAttempts[]`): one struct, as the
/// two share most fields, with the fields only one of them has left out of the other.
#[derive(serde::Serialize, Default)]
struct AttemptObject<'a> {
    /// An earlier attempt's number (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    attempt: Option<usize>,
    /// Required on a test (0 when unknown); on an attempt only when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<i64>,
    extra: Extra<CaseExtra<'a>>,
    #[serde(rename = "filePath", skip_serializing_if = "Option::is_none")]
    file_path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flaky: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: Option<Labels<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(rename = "rawStatus", skip_serializing_if = "Option::is_none")]
    raw_status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retries: Option<usize>,
    #[serde(rename = "retryAttempts", skip_serializing_if = "Option::is_none")]
    retry_attempts: Option<Vec<AttemptObject<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<i64>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    stderr: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stdout: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stop: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suite: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<&'a [String]>,
    #[serde(rename = "testId", skip_serializing_if = "Option::is_none")]
    test_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<&'a str>,
}

impl<'a> AttemptObject<'a> {
    /// What every attempt says: status, duration, start/stop, message, trace, output.
    fn of(a: &'a Attempt<'_>, extra: CaseExtra<'a>) -> Self {
        let (start, stop) = match a.times() {
            Some((start, stop)) => (Some(start), stop),
            None => (None, None),
        };
        AttemptObject {
            duration: a.duration_ms(),
            extra: Extra { faultline: extra },
            message: a.message.as_deref(),
            start,
            status: a.status,
            stderr: lines(a.stderr),
            stdout: lines(a.stdout),
            stop,
            trace: a.trace.as_deref(),
            ..AttemptObject::default()
        }
    }
}

/// `extra.faultline` of a test or an attempt: the case's id, its diagnosis when it failed, and what
/// JUnit said that CTRF has no field for.
#[derive(serde::Serialize, Default)]
struct CaseExtra<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    blame: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    documentation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    element: Option<FailureKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<Vec<EvidenceObject<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fingerprint: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'a str>,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    symptoms: Option<Vec<SymptomObject<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_raw: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct EvidenceObject<'a> {
    at: String,
    event_type: &'a str,
    role: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct SymptomObject<'a> {
    blame: &'static str,
    rule: &'a str,
    summary: &'a str,
}

fn test_object<'a>(
    key: &'a str,
    last: &'a Attempt<'a>,
    earlier: &'a [Attempt<'a>],
    flaky: bool,
    diagnoses: &Diagnoses<'a>,
) -> AttemptObject<'a> {
    let case = last.case;
    let mut extra = case_extra(case, diagnoses);
    extra.documentation = case.documentation.as_deref();
    extra.time_raw = case.time_raw.as_deref();
    extra.source = Some(format!("{}:{}", case.source.file, case.source.line));
    let mut obj = AttemptObject::of(last, extra);
    // `duration` is required on a test.
    obj.duration = Some(obj.duration.unwrap_or(0));
    obj.file_path = case.file_attr.as_deref();
    obj.flaky = flaky.then_some(true);
    obj.labels = labels(&case.properties);
    obj.name = Some(if case.name.is_empty() { &case.id } else { &case.name });
    obj.raw_status = Some(case.status.as_str());
    if !earlier.is_empty() {
        obj.retries = Some(earlier.len());
        obj.retry_attempts =
            Some(earlier.iter().enumerate().map(|(i, a)| retry_attempt(i + 1, a, diagnoses)).collect());
    }
    obj.suite = suite_path(&case.suite);
    obj.tags = (!case.tags.is_empty()).then_some(case.tags.as_slice());
    obj.test_id = Some(key);
    obj
}

fn retry_attempt<'a>(number: usize, a: &'a Attempt<'a>, diagnoses: &Diagnoses<'a>) -> AttemptObject<'a> {
    let mut extra = if a.last_of_case {
        // A repeated case's last attempt: its faultline status and diagnosis.
        let mut e = case_extra(a.case, diagnoses);
        e.status = Some(a.case.status.as_str());
        e
    } else {
        CaseExtra { id: &a.case.id, ..CaseExtra::default() }
    };
    extra.element = a.element;
    let mut obj = AttemptObject::of(a, extra);
    obj.attempt = Some(number);
    obj
}

/// faultline's id for the case and, when it failed, its diagnosis.
fn case_extra<'a>(case: &'a TestCase, diagnoses: &Diagnoses<'a>) -> CaseExtra<'a> {
    let mut extra = CaseExtra { id: &case.id, ..CaseExtra::default() };
    let Some(d) = diagnoses.get(case.id.as_str()) else { return extra };
    extra.rule = Some(&d.rule);
    extra.blame = Some(d.blame.as_str());
    extra.confidence = Some(d.confidence);
    extra.summary = Some(&d.summary);
    extra.fix = Some(&d.fix);
    extra.fingerprint = Some(&d.fingerprint);
    extra.evidence = Some(
        d.evidence
            .iter()
            .map(|e| EvidenceObject {
                at: match e.line_end.filter(|end| *end > e.line) {
                    Some(end) => format!("{}:{}-{}", e.file, e.line, end),
                    None => format!("{}:{}", e.file, e.line),
                },
                event_type: &e.event_type,
                role: &e.role,
                text: e.text.as_deref(),
                time: e.time.as_deref(),
            })
            .collect(),
    );
    extra.symptoms = Some(
        d.symptoms
            .iter()
            .map(|s| SymptomObject { blame: s.blame.as_str(), rule: &s.rule, summary: &s.summary })
            .collect(),
    );
    extra
}

/// `results.extra.faultline`: the report schema it was rendered from, faultline's own counts (which keep
/// `errors` apart from failures), the clusters of identical failures by test id, and the input warnings.
#[derive(serde::Serialize)]
struct RunExtra<'a> {
    clusters: Vec<ClusterObject<'a>>,
    schema: &'static str,
    summary: SummaryObject,
    warnings: Vec<WarningObject<'a>>,
}

#[derive(serde::Serialize)]
struct ClusterObject<'a> {
    fingerprint: &'a str,
    sample: &'a str,
    tests: Vec<&'a str>,
}

/// The report's summary with its keys in byte order.
#[derive(serde::Serialize)]
struct SummaryObject {
    errors: u64,
    failed: u64,
    flaky: u64,
    passed: u64,
    skipped: u64,
    tests: u64,
}

/// A report warning with its keys in byte order.
#[derive(serde::Serialize)]
struct WarningObject<'a> {
    column: Option<u32>,
    file: &'a str,
    kind: WarningKind,
    line: Option<u32>,
    message: &'a str,
}

fn run_extra(report: &Report) -> RunExtra<'_> {
    let clusters = report
        .clusters
        .iter()
        .map(|c| ClusterObject {
            fingerprint: &c.fingerprint,
            sample: &c.sample,
            tests: c
                .members
                .iter()
                .filter_map(|&m| report.diagnoses.get(m))
                .map(|d| d.test.id.as_str())
                .collect(),
        })
        .collect();
    let s = &report.summary;
    RunExtra {
        clusters,
        schema: REPORT_SCHEMA,
        summary: SummaryObject {
            errors: s.errors,
            failed: s.failed,
            flaky: s.flaky,
            passed: s.passed,
            skipped: s.skipped,
            tests: s.tests,
        },
        warnings: report
            .warnings
            .iter()
            .map(|w| WarningObject {
                column: w.column,
                file: &w.file,
                kind: w.kind,
                line: w.line,
                message: &w.message,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalyzeOptions, InputFile, analyze};
    use serde_json::json;

    fn ctrf_of(xml: &str) -> Value {
        let a = analyze(vec![InputFile::new("junit.xml", xml)], &AnalyzeOptions::default());
        assert_sorted_keys(&Document::of(&a.report).results);
        render(&a)
    }

    /// Below the document's top two levels every object's keys are in byte order, as `Value`'s sorted
    /// maps write them (the scenario test checks whole documents; these cover the rarer fields).
    fn assert_sorted_keys(r: &Results<'_>) {
        fn same<T: serde::Serialize>(v: &T) {
            let text = serde_json::to_string_pretty(v).expect("serialises");
            let sorted = serde_json::to_value(v).and_then(|v| serde_json::to_string_pretty(&v));
            assert_eq!(text, sorted.expect("serialises"), "keys out of order");
        }
        same(&r.tool);
        same(&r.summary);
        same(&r.tests);
        same(&r.extra);
    }

    fn validator() -> jsonschema::Validator {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema/ctrf.schema.json");
        let text = std::fs::read_to_string(path).expect("vendored CTRF schema");
        let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .build(&schema)
            .expect("schema compiles")
    }

    fn assert_valid(doc: &Value) {
        let v = validator();
        let errors: Vec<String> = v.iter_errors(doc).map(|e| format!("{}: {e}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{errors:#?}\n{doc:#}");
    }

    fn tests(doc: &Value) -> &Vec<Value> {
        doc["results"]["tests"].as_array().expect("tests array")
    }

    fn test<'a>(doc: &'a Value, name: &str) -> &'a Value {
        tests(doc).iter().find(|t| t["name"] == name).unwrap_or_else(|| panic!("no test {name}: {doc:#}"))
    }

    #[test]
    fn statuses_map_to_ctrf() {
        let doc = ctrf_of(
            r#"<testsuite name="s" timestamp="2024-11-16T10:00:00Z">
<testcase classname="a.B" name="ok" time="1.5"/>
<testcase classname="a.B" name="bad" time="2"><failure message="boom">trace line</failure></testcase>
<testcase classname="a.B" name="crash" time="0.25"><error message="NPE" type="java.lang.NullPointerException">at a.B</error></testcase>
<testcase classname="a.B" name="off"><skipped message="not today"/></testcase>
</testsuite>"#,
        );
        assert_valid(&doc);
        let status = |n: &str| (test(&doc, n)["status"].clone(), test(&doc, n)["rawStatus"].clone());
        assert_eq!(status("ok"), (json!("passed"), json!("passed")));
        assert_eq!(status("bad"), (json!("failed"), json!("failed")));
        assert_eq!(status("crash"), (json!("failed"), json!("error")));
        assert_eq!(status("off"), (json!("skipped"), json!("skipped")));

        let bad = test(&doc, "bad");
        assert_eq!(bad["message"], "boom");
        assert_eq!(bad["trace"], "trace line");
        assert_eq!(bad["duration"], 2000);
        assert_eq!(bad["suite"], json!(["a", "B"]));
        assert_eq!(bad["testId"], "a.B::bad");
        assert_eq!(bad["extra"]["faultline"]["rule"], "unclassified");
        assert!(bad.get("retries").is_none() && bad.get("flaky").is_none());
        assert_eq!(test(&doc, "crash")["duration"], 250);
        assert_eq!(test(&doc, "off")["message"], "not today");
        assert!(test(&doc, "ok")["extra"]["faultline"].get("rule").is_none());

        let summary = &doc["results"]["summary"];
        assert_eq!(
            (&summary["tests"], &summary["passed"], &summary["failed"], &summary["skipped"]),
            (&json!(4), &json!(1), &json!(2), &json!(1))
        );
        assert_eq!(
            (&summary["pending"], &summary["other"], &summary["flaky"]),
            (&json!(0), &json!(0), &json!(0))
        );
        assert_eq!(doc["results"]["extra"]["faultline"]["summary"]["errors"], 1);
    }

    #[test]
    fn surefire_flaky_and_rerun_elements_become_retries() {
        let doc = ctrf_of(
            r#"<testsuite name="S" tests="2">
<testcase name="flaky" classname="a.B" time="3">
<flakyFailure message="once" type="java.lang.AssertionError"><stackTrace>at a.B:1</stackTrace><system-out>attempt 1</system-out></flakyFailure>
<flakyError message="twice" type="java.io.IOException"><stackTrace>at a.B:2</stackTrace></flakyError>
<system-out>final run</system-out>
</testcase>
<testcase name="broken" classname="a.B" time="4">
<failure message="first">at a.B:3</failure>
<rerunFailure message="second"><stackTrace>at a.B:4</stackTrace></rerunFailure>
<rerunError message="third"><stackTrace>at a.B:5</stackTrace><system-err>e</system-err></rerunError>
</testcase>
</testsuite>"#,
        );
        assert_valid(&doc);

        let flaky = test(&doc, "flaky");
        assert_eq!(flaky["status"], "passed");
        assert_eq!(flaky["rawStatus"], "flaky");
        assert_eq!(flaky["flaky"], true);
        assert_eq!(flaky["retries"], 2);
        assert!(flaky.get("message").is_none(), "the final attempt passed");
        assert_eq!(flaky["stdout"], json!(["final run"]));
        let history = flaky["retryAttempts"].as_array().expect("attempts");
        assert_eq!(history.len(), 2);
        assert_eq!(history[0]["attempt"], 1);
        assert_eq!(history[0]["status"], "failed");
        assert_eq!(history[0]["message"], "once");
        assert_eq!(history[0]["trace"], "at a.B:1");
        assert_eq!(history[0]["stdout"], json!(["attempt 1"]));
        assert_eq!(history[0]["extra"]["faultline"]["element"], "flaky_failure");
        assert_eq!(history[1]["message"], "twice");
        assert_eq!(history[1]["extra"]["faultline"]["element"], "flaky_error");

        let broken = test(&doc, "broken");
        assert_eq!(broken["status"], "failed");
        assert!(broken.get("flaky").is_none(), "never passed");
        assert_eq!(broken["retries"], 2, "two reruns after the first run");
        assert_eq!(broken["message"], "third", "the final attempt's message");
        assert_eq!(broken["trace"], "at a.B:5");
        assert_eq!(broken["stderr"], json!(["e"]));
        assert_eq!(broken["duration"], 4000);
        let history = broken["retryAttempts"].as_array().expect("attempts");
        assert_eq!(
            history.iter().map(|a| (a["attempt"].clone(), a["message"].clone())).collect::<Vec<_>>(),
            vec![(json!(1), json!("first")), (json!(2), json!("second"))]
        );
        assert_eq!(history[0]["trace"], "at a.B:3");
        assert_eq!(history[1]["extra"]["faultline"]["element"], "rerun_failure");

        let summary = &doc["results"]["summary"];
        assert_eq!(
            (&summary["passed"], &summary["failed"], &summary["flaky"]),
            (&json!(1), &json!(1), &json!(1))
        );
    }

    #[test]
    fn repeated_cases_merge_into_one_test_with_retries() {
        // pytest with reruns written as separate cases: the reader names them X, X#2, X#3.
        let doc = ctrf_of(
            r#"<testsuites><testsuite name="pytest" timestamp="2024-11-16T10:00:00.000">
<testcase classname="tests.test_rwx" name="test_recover" time="1.0" file="tests/test_rwx.py"><failure message="AssertionError: timed out">E   timed out</failure></testcase>
<testcase classname="tests.test_rwx" name="test_recover" time="2.0" file="tests/test_rwx.py"><failure message="AssertionError: timed out again"/></testcase>
<testcase classname="tests.test_rwx" name="test_recover" time="3.0" file="tests/test_rwx.py"/>
<testcase classname="tests.test_rwx" name="test_stays_broken" time="1.0"/>
<testcase classname="tests.test_rwx" name="test_stays_broken" time="1.0"><failure message="now it fails"/></testcase>
<testcase classname="tests.test_rwx" name="test_once" time="1.0"/>
</testsuite></testsuites>"#,
        );
        assert_valid(&doc);
        assert_eq!(tests(&doc).len(), 3, "{doc:#}");

        let t = test(&doc, "test_recover");
        assert_eq!(t["status"], "passed");
        assert_eq!(t["flaky"], true);
        assert_eq!(t["retries"], 2);
        assert_eq!(t["testId"], "tests.test_rwx::test_recover");
        assert_eq!(t["filePath"], "tests/test_rwx.py");
        assert_eq!(t["duration"], 3000);
        assert_eq!(t["extra"]["faultline"]["id"], "tests.test_rwx::test_recover#3");
        let history = t["retryAttempts"].as_array().expect("attempts");
        assert_eq!(history[0]["message"], "AssertionError: timed out");
        assert_eq!(history[0]["trace"], "E   timed out");
        assert_eq!(history[0]["duration"], 1000);
        assert_eq!(history[0]["extra"]["faultline"]["id"], "tests.test_rwx::test_recover");
        assert_eq!(history[0]["extra"]["faultline"]["status"], "failed");
        assert_eq!(history[0]["extra"]["faultline"]["rule"], "unclassified", "each failed case's diagnosis");
        assert_eq!(history[1]["extra"]["faultline"]["id"], "tests.test_rwx::test_recover#2");
        assert_eq!(history[1]["duration"], 2000);
        // One case after another from the suite timestamp: attempt 1 starts the run.
        assert_eq!(history[0]["start"], doc["results"]["summary"]["start"]);

        let broken = test(&doc, "test_stays_broken");
        assert_eq!(broken["status"], "failed");
        assert_eq!(broken["retries"], 1);
        assert!(broken.get("flaky").is_none(), "CTRF: flaky only when the final status is passed");
        assert_eq!(broken["retryAttempts"][0]["status"], "passed");

        let once = test(&doc, "test_once");
        assert!(once.get("retries").is_none() && once.get("retryAttempts").is_none());

        let summary = &doc["results"]["summary"];
        assert_eq!(summary["tests"], 3);
        assert_eq!(
            (&summary["passed"], &summary["failed"], &summary["flaky"]),
            (&json!(2), &json!(1), &json!(1))
        );
        assert_eq!(doc["results"]["extra"]["faultline"]["summary"]["tests"], 6, "faultline counts cases");
    }

    #[test]
    fn no_times_still_make_a_valid_report() {
        let doc = ctrf_of(
            r#"<testsuite name="s"><testcase name="a"/><testcase name="b" time="abc"><failure/></testcase></testsuite>"#,
        );
        assert_valid(&doc);
        let summary = &doc["results"]["summary"];
        assert_eq!((&summary["start"], &summary["stop"]), (&json!(0), &json!(0)));
        assert!(summary.get("duration").is_none());
        let b = test(&doc, "b");
        assert_eq!(b["duration"], 0);
        assert!(b.get("start").is_none() && b.get("stop").is_none());
        assert_eq!(b["extra"]["faultline"]["time_raw"], "abc");
        assert!(test(&doc, "a").get("start").is_none());
    }

    #[test]
    fn nothing_read_is_an_empty_valid_report() {
        let doc = render(&analyze(Vec::new(), &AnalyzeOptions::default()));
        assert_valid(&doc);
        assert_eq!(doc["results"]["summary"]["tests"], 0);
        assert_eq!(doc["reportFormat"], "CTRF");
        assert_eq!(doc["specVersion"], SPEC_VERSION);
        assert_eq!(doc["results"]["tool"]["version"], env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn start_and_stop_come_from_the_tests() {
        let doc = ctrf_of(
            r#"<testsuite name="s"><testcase name="a" timestamp="2024-11-16T10:00:00Z" time="1.2504"/><testcase name="b" timestamp="2024-11-16T09:00:00Z"/></testsuite>"#,
        );
        assert_valid(&doc);
        let a = test(&doc, "a");
        assert_eq!(a["start"], 1_731_751_200_000_i64);
        assert_eq!(a["stop"], 1_731_751_201_250_i64);
        assert_eq!(a["duration"], 1250);
        let b = test(&doc, "b");
        assert_eq!(b["start"], 1_731_747_600_000_i64);
        assert!(b.get("stop").is_none(), "no duration, no stop");
        let summary = &doc["results"]["summary"];
        assert_eq!(summary["start"], 1_731_747_600_000_i64);
        assert_eq!(summary["stop"], 1_731_751_201_250_i64);
        assert_eq!(summary["duration"], 3_601_250);
    }

    #[test]
    fn properties_become_labels_and_repeated_names_arrays() {
        let doc = ctrf_of(
            r#"<testsuite name="s"><testcase name="a"><properties><property name="k" value="1"/><property name="k" value="2"/><property name="owner" value="qa"/></properties></testcase></testsuite>"#,
        );
        assert_valid(&doc);
        assert_eq!(test(&doc, "a")["labels"], json!({ "k": ["1", "2"], "owner": "qa" }));

        // Names in byte order whatever the file's order; a repeated name's values in the file's order.
        let doc = ctrf_of(
            r#"<testsuite name="s"><testcase name="a"><properties><property name="z" value="3"/><property name="b" value="2"/><property name="Z" value="0"/><property name="b" value="1"/><property name="z" value="9"/></properties></testcase></testsuite>"#,
        );
        // (`ctrf_of` checks the written key order.)
        assert_eq!(test(&doc, "a")["labels"], json!({ "Z": "0", "b": ["2", "1"], "z": ["3", "9"] }));
    }

    #[test]
    fn extra_objects_use_the_published_key() {
        let extra = serde_json::to_value(Extra { faultline: 1 }).expect("serialises");
        assert_eq!(extra, json!({ EXTRA_KEY: 1 }));
    }

    #[test]
    fn suites_are_counted_once_each() {
        let doc = ctrf_of(
            r#"<testsuites><testsuite name="b"><testcase classname="b" name="1"/><testcase classname="a" name="2"/></testsuite>
<testsuite name="a"><testcase classname="b" name="3"/><testcase classname="c.d" name="4"/><testcase name="5"/></testsuite></testsuites>"#,
        );
        assert_valid(&doc);
        let suites: Vec<&Value> = tests(&doc).iter().map(|t| &t["suite"]).collect();
        assert_eq!(doc["results"]["summary"]["suites"], json!(3), "{suites:?}");
    }

    #[test]
    fn repeat_suffix_is_recognised_strictly() {
        assert_eq!(repeat_base("s::t#2"), Some("s::t"));
        assert_eq!(repeat_base("s::t#12"), Some("s::t"));
        assert_eq!(repeat_base("s::t#1"), None);
        assert_eq!(repeat_base("s::t#02"), None);
        assert_eq!(repeat_base("s::t#"), None);
        assert_eq!(repeat_base("s::t#x"), None);
        assert_eq!(repeat_base("s::t"), None);
        // A test whose own name ends in `#2` stays apart unless `X` itself was seen first.
        let doc = ctrf_of(r#"<testsuite name="s"><testcase name="case #2"/></testsuite>"#);
        assert_eq!(tests(&doc).len(), 1);
        assert_eq!(tests(&doc)[0]["name"], "case #2");
    }

    #[test]
    fn the_validator_rejects_a_broken_document() {
        let mut doc = ctrf_of(r#"<testsuite name="s"><testcase name="a"/></testsuite>"#);
        assert_valid(&doc);
        let v = validator();
        doc["results"]["tests"][0]["status"] = json!("bogus");
        assert!(!v.is_valid(&doc), "status bogus accepted");
        doc["results"]["tests"][0]["status"] = json!("passed");
        doc["results"]["tests"][0]["unknownField"] = json!(1);
        assert!(!v.is_valid(&doc), "a field outside extra accepted");
    }
}
