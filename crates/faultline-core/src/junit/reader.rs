//! The streaming JUnit reader: one pass, no DOM, positions for everything, and whatever was read before
//! an error is kept.

use quick_xml::events::BytesStart;

use super::entities;
use super::lines::LineCursor;
use super::time_value;
use super::{JunitDoc, SuiteInfo};
use crate::fast_hash::FastMap;
use crate::model::{Failure, FailureKind, TestCase, TestStatus};
use crate::timefmt;
use crate::warning::{Warning, WarningKind};

/// Suites nested deeper than this are not real reports; the limit keeps suite paths bounded.
const MAX_SUITE_DEPTH: usize = 256;

#[derive(Default)]
struct SuiteFrame {
    info: Option<SuiteInfo>,
    counted: Counts,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tests: u64,
    failures: u64,
    errors: u64,
    skipped: u64,
}

/// Where element text currently goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sink {
    None,
    Failure(usize),
    FailureOut(usize),
    FailureErr(usize),
    CaseOut,
    CaseErr,
    Property,
}

struct CaseBuilder {
    case: TestCase,
    status_attr: Option<String>,
    property_name: Option<String>,
    text_property: String,
}

struct State<'a> {
    file: &'a str,
    idx: LineCursor<'a>,
    warnings: &'a mut Vec<Warning>,
    doc: JunitDoc,
    suites: Vec<SuiteFrame>,
    /// Depth of suites skipped past the limit, so their end tags are matched.
    overflow: usize,
    case: Option<CaseBuilder>,
    sink: Sink,
    /// Element depth inside the current sink element (nested `<stackTrace>` etc. write into the same sink).
    /// Cases seen per `suite::name`, for the `#2` of a repeated one (foldhash: SipHash over 100k ids
    /// was a tenth of the reader's time; the map is never iterated, so its order cannot matter).
    ids: FastMap<String, u32>,
    unknown_entity_reported: bool,
}

/// Reads a decoded JUnit document. Never fails: malformed XML yields what was read before the error plus
/// a warning with line and column. A case open at the error is kept with what was read of it.
///
/// Cases without their own `timestamp` take their suite's: most dialects only stamp the suite, and
/// line-to-test assignment lays such cases out one after another (see `assign`).
pub fn read_junit(file: &str, text: &str, warnings: &mut Vec<Warning>) -> JunitDoc {
    let hint = case_count_hint(text);
    let mut st = State {
        file,
        idx: LineCursor::new(text),
        warnings,
        doc: JunitDoc { cases: Vec::with_capacity(hint), suites: Vec::new() },
        suites: Vec::new(),
        overflow: 0,
        case: None,
        sink: Sink::None,
        ids: FastMap::with_capacity_and_hasher(hint, foldhash::fast::FixedState::default()),
        unknown_entity_reported: false,
    };
    if let Err((at, message)) = crate::xml_drive::drive(text, &mut st) {
        st.malformed(at, message);
    }
    st.finish()
}

impl crate::xml_drive::XmlSink for State<'_> {
    fn has_open_elements(&self) -> bool {
        !self.suites.is_empty() || self.case.is_some()
    }

    fn start(&mut self, e: &BytesStart<'_>, pos: usize, empty: bool) {
        State::start(self, e, pos, empty);
    }

    fn end(&mut self, local_name: &[u8]) {
        State::end(self, local_name);
    }

    fn text(&mut self, s: &str) {
        if self.sink != Sink::None {
            self.push_text(s);
        }
    }

    fn unknown_entity(&mut self, entity: &str, pos: usize) {
        if self.sink != Sink::None {
            State::unknown_entity(self, entity, pos);
        }
    }

    fn entity_declarations(&mut self, pos: usize) {
        let (line, col) = self.idx.line_col(pos);
        self.warnings.push(
            Warning::new(WarningKind::MalformedXml, self.file, crate::xml_drive::ENTITY_DECLARATIONS)
                .at(line, col),
        );
    }
}

/// An element's attributes by local name, values unescaped. A start tag has a handful of attributes,
/// so a linear scan over borrowed keys beats a hash map owning a copy of every key and value (that map
/// was about a third of the reader's time on a 100k-case file).
struct Attrs<'e> {
    items: Vec<(&'e str, std::borrow::Cow<'e, str>)>,
}

impl Attrs<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.items.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_ref())
    }

    fn owned(&self, key: &str) -> Option<String> {
        self.get(key).map(str::to_string)
    }
}

impl State<'_> {
    fn attrs<'e>(&mut self, e: &'e BytesStart<'_>, pos: usize) -> Attrs<'e> {
        let mut items: Vec<(&'e str, std::borrow::Cow<'e, str>)> = Vec::with_capacity(8);
        for a in e.attributes().with_checks(false).flatten() {
            let key: &'e str = a.key.local_name().into_inner();
            let value = match a.value {
                std::borrow::Cow::Borrowed(raw) => self.unescape(raw, pos),
                std::borrow::Cow::Owned(raw) => {
                    std::borrow::Cow::Owned(self.unescape(&raw, pos).into_owned())
                }
            };
            // A repeated attribute: the last one wins.
            match items.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => items.push((key, value)),
            }
        }
        Attrs { items }
    }

    fn unescape<'v>(&mut self, raw: &'v str, pos: usize) -> std::borrow::Cow<'v, str> {
        let (value, unknown) = entities::unescape(raw);
        if let Some(u) = unknown {
            self.unknown_entity(&u, pos);
        }
        value
    }

    fn start(&mut self, e: &BytesStart<'_>, pos: usize, empty: bool) {
        let name = e.local_name().into_inner().as_bytes();
        match name {
            b"testsuite" => self.start_suite(e, pos),
            b"testcase" => self.start_case(e, pos),
            b"failure" | b"error" | b"skipped" | b"flakyFailure" | b"flakyError" | b"rerunFailure"
            | b"rerunError"
                if self.case.is_some() =>
            {
                let kind = match name {
                    b"failure" => FailureKind::Failure,
                    b"error" => FailureKind::Error,
                    b"skipped" => FailureKind::Skipped,
                    b"flakyFailure" => FailureKind::FlakyFailure,
                    b"flakyError" => FailureKind::FlakyError,
                    b"rerunFailure" => FailureKind::RerunFailure,
                    _ => FailureKind::RerunError,
                };
                let a = self.attrs(e, pos);
                let line = self.idx.line_col(pos).0;
                if let Some(c) = self.case.as_mut() {
                    c.case.failures.push(Failure {
                        kind,
                        message: a.owned("message"),
                        type_: a.owned("type"),
                        text: String::new(),
                        line,
                        system_out: None,
                        system_err: None,
                    });
                    let i = c.case.failures.len() - 1;
                    if !empty {
                        self.sink = Sink::Failure(i);
                    }
                }
            }
            b"system-out" | b"system-err" if !empty => {
                let out = name == b"system-out";
                self.sink = match (self.sink, &self.case) {
                    (Sink::Failure(i), Some(_)) => {
                        if out {
                            Sink::FailureOut(i)
                        } else {
                            Sink::FailureErr(i)
                        }
                    }
                    (_, Some(_)) => {
                        if out {
                            Sink::CaseOut
                        } else {
                            Sink::CaseErr
                        }
                    }
                    // Suite-level output is not attributed to any case.
                    _ => Sink::None,
                };
            }
            b"property" => {
                let a = self.attrs(e, pos);
                let key = a.owned("name").unwrap_or_default();
                match a.get("value") {
                    Some(v) => self.add_property(key, v.to_string()),
                    None if !empty => {
                        if let Some(c) = self.case.as_mut() {
                            c.property_name = Some(key);
                            c.text_property.clear();
                            self.sink = Sink::Property;
                        } else if let Some(info) = self.suites.last_mut().and_then(|s| s.info.as_mut()) {
                            info.properties.push((key, String::new()));
                        }
                    }
                    None => self.add_property(key, String::new()),
                }
            }
            _ => {}
        }
    }

    fn add_property(&mut self, key: String, value: String) {
        if let Some(c) = self.case.as_mut() {
            c.case.properties.push((key, value));
        } else if let Some(info) = self.suites.last_mut().and_then(|s| s.info.as_mut()) {
            info.properties.push((key, value));
        }
    }

    fn end(&mut self, name: &[u8]) {
        match name {
            b"testsuite" => self.end_suite(),
            b"testcase" => self.end_case(),
            b"failure" | b"error" | b"skipped" | b"flakyFailure" | b"flakyError" | b"rerunFailure"
            | b"rerunError" => {
                if matches!(self.sink, Sink::Failure(_)) {
                    self.sink = Sink::None;
                }
            }
            b"system-out" | b"system-err" => {
                self.sink = match self.sink {
                    Sink::FailureOut(i) | Sink::FailureErr(i) => Sink::Failure(i),
                    _ => Sink::None,
                };
            }
            b"property" if self.sink == Sink::Property => {
                self.sink = Sink::None;
                if let Some(c) = self.case.as_mut() {
                    let key = c.property_name.take().unwrap_or_default();
                    let value = std::mem::take(&mut c.text_property);
                    c.case.properties.push((key, value));
                }
            }
            _ => {}
        }
    }

    fn push_text(&mut self, s: &str) {
        let Some(c) = self.case.as_mut() else { return };
        let target = match self.sink {
            Sink::None => return,
            Sink::Failure(i) => c.case.failures.get_mut(i).map(|f| &mut f.text),
            Sink::FailureOut(i) => {
                c.case.failures.get_mut(i).map(|f| f.system_out.get_or_insert_with(String::new))
            }
            Sink::FailureErr(i) => {
                c.case.failures.get_mut(i).map(|f| f.system_err.get_or_insert_with(String::new))
            }
            Sink::CaseOut => Some(c.case.system_out.get_or_insert_with(String::new)),
            Sink::CaseErr => Some(c.case.system_err.get_or_insert_with(String::new)),
            Sink::Property => Some(&mut c.text_property),
        };
        if let Some(t) = target {
            t.push_str(s);
        }
    }

    fn start_suite(&mut self, e: &BytesStart<'_>, pos: usize) {
        if self.suites.len() >= MAX_SUITE_DEPTH {
            if self.overflow == 0 {
                let (line, col) = self.idx.line_col(pos);
                self.warnings.push(
                    Warning::new(
                        WarningKind::LimitExceeded,
                        self.file,
                        format!(
                            "suites nested more than {MAX_SUITE_DEPTH} deep; deeper suite names are not kept"
                        ),
                    )
                    .at(line, col),
                );
            }
            self.overflow += 1;
            return;
        }
        let a = self.attrs(e, pos);
        let name = a.owned("name").unwrap_or_default();
        let parent_path = self.suites.last().and_then(|s| s.info.as_ref()).map(|i| i.path.clone());
        let path = match parent_path {
            Some(p) if !p.is_empty() => format!("{p}.{name}"),
            _ => name.clone(),
        };
        let mut unreadable = Vec::new();
        let mut count = |k: &str| {
            let raw = a.get(k)?;
            let n = raw.trim().parse::<u64>().ok();
            if n.is_none() && !raw.trim().is_empty() {
                unreadable.push(format!("{k}={raw:?}"));
            }
            n
        };
        let (tests, failures, errors) = (count("tests"), count("failures"), count("errors"));
        let skipped = count("skipped").or_else(|| count("skips"));
        if !unreadable.is_empty() {
            self.bad_attr(pos, format!("{} not a count; ignored", unreadable.join(", ")));
        }
        let line = self.idx.line_col(pos).0;
        let timestamp_ms = self.timestamp(&a, pos).or_else(|| self.suite_timestamp());
        let info = SuiteInfo {
            name,
            path,
            line,
            declared_tests: tests,
            declared_failures: failures,
            declared_errors: errors,
            declared_skipped: skipped,
            timestamp_ms,
            properties: Vec::new(),
        };
        self.suites.push(SuiteFrame { info: Some(info), counted: Counts::default() });
    }

    fn suite_timestamp(&self) -> Option<i64> {
        self.suites.iter().rev().find_map(|s| s.info.as_ref().and_then(|i| i.timestamp_ms))
    }

    fn timestamp(&mut self, a: &Attrs<'_>, pos: usize) -> Option<i64> {
        let raw = a.get("timestamp")?;
        let parsed = timefmt::iso8601(raw);
        if parsed.is_none() && !raw.trim().is_empty() {
            self.bad_attr(pos, format!("timestamp {raw:?} is not an ISO 8601 time; ignored"));
        }
        parsed
    }

    fn end_suite(&mut self) {
        if self.overflow > 0 {
            self.overflow -= 1;
            return;
        }
        let Some(frame) = self.suites.pop() else { return };
        let Some(info) = frame.info else { return };
        let c = frame.counted;
        let mut lies = Vec::new();
        for (what, declared, actual) in [
            ("tests", info.declared_tests, c.tests),
            ("failures", info.declared_failures, c.failures),
            ("errors", info.declared_errors, c.errors),
            ("skipped", info.declared_skipped, c.skipped),
        ] {
            if let Some(d) = declared
                && d != actual
            {
                lies.push(format!("{what}={d} but {actual} found"));
            }
        }
        if !lies.is_empty() {
            self.warnings.push(
                Warning::new(
                    WarningKind::CountMismatch,
                    self.file,
                    format!(
                        "suite {:?} declares {}; counts come from the test cases",
                        info.name,
                        lies.join(", ")
                    ),
                )
                .at_line(info.line),
            );
        }
        if let Some(parent) = self.suites.last_mut() {
            parent.counted.tests += c.tests;
            parent.counted.failures += c.failures;
            parent.counted.errors += c.errors;
            parent.counted.skipped += c.skipped;
        }
        self.doc.suites.push(info);
    }

    fn start_case(&mut self, e: &BytesStart<'_>, pos: usize) {
        if self.case.is_some() {
            // A case inside a case is malformed; close the outer one so nothing is lost.
            self.end_case();
        }
        let a = self.attrs(e, pos);
        let name = a.owned("name").unwrap_or_default();
        let classname = a.get("classname").filter(|c| !c.is_empty()).map(str::to_string);
        let suite = match &classname {
            Some(c) => c.clone(),
            None => {
                self.suites.last().and_then(|s| s.info.as_ref()).map(|i| i.path.clone()).unwrap_or_default()
            }
        };
        let (duration_ms, time_raw) = match a.get("time") {
            None => (None, None),
            Some(raw) => match time_value::seconds(raw) {
                Ok(v) => (v.map(|s| s * 1000.0), None),
                Err(()) => {
                    self.bad_attr(pos, format!("time {raw:?} is not a duration in seconds; kept as text"));
                    (None, Some(raw.to_string()))
                }
            },
        };
        let start_ms = self.timestamp(&a, pos).or_else(|| self.suite_timestamp());
        let case = TestCase {
            id: String::new(),
            suite,
            classname,
            name,
            status: TestStatus::Passed,
            duration_ms,
            time_raw,
            start_ms,
            message: None,
            failures: Vec::new(),
            system_out: None,
            system_err: None,
            properties: Vec::new(),
            file_attr: a.owned("file"),
            source: self.idx.source(self.file, pos),
            documentation: None,
            tags: Vec::new(),
        };
        self.case = Some(CaseBuilder {
            case,
            status_attr: a.owned("status"),
            property_name: None,
            text_property: String::new(),
        });
        self.sink = Sink::None;
    }

    fn end_case(&mut self) {
        let Some(b) = self.case.take() else { return };
        self.sink = Sink::None;
        let mut case = b.case;
        shrink(&mut case);
        case.status = status_of(&case.failures, b.status_attr.as_deref());
        case.message = case
            .failures
            .iter()
            .filter(|f| f.kind != FailureKind::Skipped || case.status == TestStatus::Skipped)
            .find_map(|f| {
                f.message
                    .clone()
                    .filter(|m| !m.is_empty())
                    .or_else(|| f.text.lines().map(str::trim).find(|l| !l.is_empty()).map(str::to_string))
            });
        let base = format!("{}::{}", case.suite, case.name);
        case.id = match self.ids.get_mut(&base) {
            Some(n) => {
                *n += 1;
                format!("{base}#{n}")
            }
            None => {
                self.ids.insert(base.clone(), 1);
                base
            }
        };
        if let Some(frame) = self.suites.last_mut() {
            frame.counted.tests += 1;
            match case.status {
                TestStatus::Failed => frame.counted.failures += 1,
                TestStatus::Error => frame.counted.errors += 1,
                TestStatus::Skipped => frame.counted.skipped += 1,
                _ => {}
            }
        }
        self.doc.cases.push(case);
    }

    fn bad_attr(&mut self, pos: usize, message: String) {
        let (line, col) = self.idx.line_col(pos);
        self.warnings.push(Warning::new(WarningKind::BadAttribute, self.file, message).at(line, col));
    }

    fn unknown_entity(&mut self, entity: &str, pos: usize) {
        if !std::mem::replace(&mut self.unknown_entity_reported, true) {
            self.warnings.push(crate::xml_drive::unknown_entity_warning(
                self.file,
                self.idx.line_col(pos),
                entity,
            ));
        }
    }

    fn malformed(&mut self, at: usize, message: String) {
        let (line, col) = self.idx.line_col(at);
        let kept = self.doc.cases.len() + usize::from(self.case.is_some());
        self.warnings.push(
            Warning::new(
                WarningKind::MalformedXml,
                self.file,
                format!("{message}; {kept} test case(s) read before it are kept"),
            )
            .at(line, col),
        );
    }

    fn finish(mut self) -> JunitDoc {
        self.end_case();
        while !self.suites.is_empty() {
            self.end_suite();
        }
        self.doc.cases.shrink_to_fit();
        self.doc
    }
}

/// Texts built piece by piece (between entity references) end with up to twice their length in
/// capacity, and a failure list with room for four; a case keeps exactly what it holds, since 100k of
/// them stay in memory to the end (about 8 MB on the bench's 100k cases).
fn shrink(case: &mut TestCase) {
    let texts = case.failures.iter_mut().flat_map(|f| {
        [Some(&mut f.text), f.system_out.as_mut(), f.system_err.as_mut()].into_iter().flatten()
    });
    for t in texts.chain([case.system_out.as_mut(), case.system_err.as_mut()].into_iter().flatten()) {
        t.shrink_to_fit();
    }
    case.failures.shrink_to_fit();
}

/// About how many `<testcase>` elements the text holds, so the cases are allocated once: grown by
/// doubling, a 100k-case report's cases held 131,072 slots of 400 bytes at the memory peak instead of
/// 100,000. Bounded by one case per 64 bytes, so a text full of `<testcase` cannot reserve more than a
/// few times its own size.
fn case_count_hint(text: &str) -> usize {
    let n = memchr::memmem::find_iter(text.as_bytes(), b"<testcase").count();
    n.min(text.len() / 64)
}

/// Status from what a case contains. A failure that was followed by a pass (flaky elements only) is
/// flaky; a rerun failure means every attempt failed.
fn status_of(failures: &[Failure], status_attr: Option<&str>) -> TestStatus {
    let has = |k: FailureKind| failures.iter().any(|f| f.kind == k);
    if has(FailureKind::Failure) || has(FailureKind::RerunFailure) {
        TestStatus::Failed
    } else if has(FailureKind::Error) || has(FailureKind::RerunError) {
        TestStatus::Error
    } else if has(FailureKind::Skipped) {
        TestStatus::Skipped
    } else if has(FailureKind::FlakyFailure) || has(FailureKind::FlakyError) {
        TestStatus::Flaky
    } else {
        match status_attr.map(str::to_ascii_lowercase).as_deref() {
            Some("fail" | "failed" | "failure") => TestStatus::Failed,
            Some("error") => TestStatus::Error,
            Some("notrun" | "disabled" | "skipped" | "skip" | "pending") => TestStatus::Skipped,
            _ => TestStatus::Passed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> (JunitDoc, Vec<Warning>) {
        let mut w = Vec::new();
        (read_junit("t.xml", xml, &mut w), w)
    }

    #[test]
    fn robot_nested_suites_without_wrapper() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="Tests" tests="2" errors="0" failures="1" skipped="0" time="0.026" timestamp="2024-11-16T10:12:00.020000">
<testsuite name="Negative" tests="2" errors="0" failures="1" skipped="0" time="0.006">
<testsuite name="Component Resilience" tests="2" errors="0" failures="1" skipped="0" time="0.005">
<testcase classname="Tests.Negative.Component Resilience" name="Test A" time="0.001">
<failure message="Checking pod x data checksum failed" type="AssertionError"/>
</testcase>
<testcase classname="Tests.Negative.Component Resilience" name="Test B" time="0.001">
</testcase>
<properties>
<property name="Documentation" value="Negative Test Cases"/>
</properties>
</testsuite>
</testsuite>
</testsuite>"#;
        let (doc, w) = read(xml);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(doc.cases.len(), 2);
        let a = &doc.cases[0];
        assert_eq!(a.id, "Tests.Negative.Component Resilience::Test A");
        assert_eq!(a.status, TestStatus::Failed);
        assert_eq!(a.message.as_deref(), Some("Checking pod x data checksum failed"));
        assert_eq!(a.start_ms, Some(1_731_751_920_020));
        assert_eq!(a.source.line, 5);
        assert_eq!(doc.cases[1].status, TestStatus::Passed);
        let inner = doc.suites.iter().find(|s| s.name == "Component Resilience").expect("suite");
        assert_eq!(inner.path, "Tests.Negative.Component Resilience");
        assert_eq!(inner.properties, vec![("Documentation".to_string(), "Negative Test Cases".to_string())]);
    }

    #[test]
    fn text_is_kept_exactly() {
        let xml = "<testsuite name=\"s\"><testcase name=\"t\" classname=\"c\">\
<failure message=\"AssertionError&#10;&#10;Also teardown failed:&#10;x &lt; y\">a &lt;b&gt; &amp; c\n  <![CDATA[<raw> & ]]]]><![CDATA[>]]> tail &#x41;</failure>\
<failure message=\"second\">two</failure><error message=\"third\"/></testcase></testsuite>";
        let (doc, w) = read(xml);
        assert!(w.is_empty(), "{w:?}");
        let c = &doc.cases[0];
        assert_eq!(c.failures.len(), 3);
        assert_eq!(c.failures[0].message.as_deref(), Some("AssertionError\n\nAlso teardown failed:\nx < y"));
        assert_eq!(c.failures[0].text, "a <b> & c\n  <raw> & ]]> tail A");
        assert_eq!(c.failures[1].text, "two");
        assert_eq!(c.failures[2].kind, FailureKind::Error);
        assert_eq!(c.status, TestStatus::Failed);
    }

    #[test]
    fn odd_times_never_reject_the_file() {
        let xml = r#"<testsuite name="s"><testcase name="a" time="1,234.5"/><testcase name="b" time=""/><testcase name="c" time="abc"/></testsuite>"#;
        let (doc, w) = read(xml);
        assert_eq!(doc.cases.len(), 3);
        assert_eq!(doc.cases[0].duration_ms, Some(1_234_500.0));
        assert_eq!(doc.cases[1].duration_ms, None);
        assert_eq!(doc.cases[2].time_raw.as_deref(), Some("abc"));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].kind, WarningKind::BadAttribute);
        assert_eq!((w[0].line, w[0].column), (Some(1), Some(84)), "points at the <testcase> tag");
    }

    #[test]
    fn namespaces_are_ignored() {
        let xml = r#"<j:testsuites xmlns:j="urn:x"><j:testsuite name="s"><j:testcase name="t"><j:failure message="m"/></j:testcase></j:testsuite></j:testsuites>"#;
        let (doc, w) = read(xml);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(doc.cases[0].status, TestStatus::Failed);
        assert_eq!(doc.cases[0].id, "s::t");
    }

    #[test]
    fn surefire_flaky_and_rerun() {
        let xml = r#"<testsuite name="S" tests="2"><testcase name="flaky" classname="a.B">
<flakyFailure message="once" type="java.lang.AssertionError"><stackTrace>at a.B</stackTrace><system-out>attempt 1</system-out></flakyFailure>
</testcase><testcase name="broken" classname="a.B"><failure message="m"/><rerunFailure message="again"><system-err>e</system-err></rerunFailure></testcase></testsuite>"#;
        let (doc, _) = read(xml);
        assert_eq!(doc.cases[0].status, TestStatus::Flaky);
        assert_eq!(doc.cases[0].failures[0].text, "at a.B");
        assert_eq!(doc.cases[0].failures[0].system_out.as_deref(), Some("attempt 1"));
        assert_eq!(doc.cases[0].system_out, None);
        assert_eq!(doc.cases[1].status, TestStatus::Failed);
        assert_eq!(doc.cases[1].failures.len(), 2);
        assert_eq!(doc.cases[1].failures[1].system_err.as_deref(), Some("e"));
    }

    #[test]
    fn truncated_file_keeps_what_was_read() {
        let xml = "<testsuites><testsuite name=\"s\" tests=\"3\"><testcase name=\"a\"/>\n<testcase name=\"b\"><failure message=\"boom\">partial te";
        let (doc, w) = read(xml);
        assert_eq!(doc.cases.len(), 2);
        assert_eq!(doc.cases[1].status, TestStatus::Failed);
        assert_eq!(doc.cases[1].failures[0].text, "partial te");
        let m = w.iter().find(|w| w.kind == WarningKind::MalformedXml).expect("malformed warning");
        assert_eq!(m.line, Some(2));
    }

    #[test]
    fn mismatched_tags_are_located() {
        let (doc, w) =
            read("<testsuite name=\"s\">\n<testcase name=\"a\"></testsuite>\n<testcase name=\"b\"/>");
        assert_eq!(doc.cases.len(), 1);
        let m = w.iter().find(|w| w.kind == WarningKind::MalformedXml).expect("warning");
        assert_eq!(m.line, Some(2));
    }

    #[test]
    fn unknown_entity_is_kept_and_reported() {
        let (doc, w) = read(
            "<testsuite name=\"s\"><testcase name=\"a\"><failure>x &bogus; y</failure></testcase></testsuite>",
        );
        assert_eq!(doc.cases[0].failures[0].text, "x &bogus; y");
        assert!(w.iter().any(|w| w.message.contains("&bogus;")), "{w:?}");
    }

    #[test]
    fn entities_are_never_expanded_or_fetched() {
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE testsuite [\n<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n\
                   <!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">\n]>\n\
                   <testsuite name=\"s\"><testcase name=\"&xxe;\"><failure message=\"&lol2;\">&xxe;</failure></testcase></testsuite>";
        let (doc, w) = read(xml);
        let c = &doc.cases[0];
        assert_eq!(c.name, "&xxe;");
        assert_eq!(c.message.as_deref(), Some("&lol2;"));
        assert_eq!(c.failures[0].text, "&xxe;");
        let decl = w.iter().find(|w| w.message.contains("DOCTYPE")).expect("doctype warning");
        assert_eq!((decl.kind, decl.line, decl.column), (WarningKind::MalformedXml, Some(2), Some(1)));
        assert!(w.iter().any(|w| w.message.contains("unknown entity &xxe;")), "{w:?}");
    }

    #[test]
    fn lying_counts_are_warned_and_ignored() {
        let (doc, w) = read(
            "<testsuite name=\"s\" tests=\"5\" failures=\"0\"><testcase name=\"a\"><failure/></testcase></testsuite>",
        );
        assert_eq!(doc.cases.len(), 1);
        let m = w.iter().find(|w| w.kind == WarningKind::CountMismatch).expect("count warning");
        assert!(
            m.message.contains("tests=5 but 1 found") && m.message.contains("failures=0 but 1 found"),
            "{}",
            m.message
        );
    }

    #[test]
    fn counts_and_times_that_overflow_are_warned_and_ignored() {
        let (doc, w) = read(
            "<testsuite name=\"s\" tests=\"184467440737095516160\" failures=\"-1\" errors=\"\">\n\
             <testcase name=\"a\" time=\"1e308\"/><testcase name=\"b\" time=\"1e400\"/></testsuite>",
        );
        assert_eq!(doc.suites[0].declared_tests, None);
        assert_eq!(doc.cases[0].duration_ms, None);
        assert_eq!(doc.cases[1].time_raw.as_deref(), Some("1e400"));
        let counts = w.iter().find(|w| w.message.contains("not a count")).expect("count warning");
        assert_eq!((counts.kind, counts.line, counts.column), (WarningKind::BadAttribute, Some(1), Some(1)));
        assert!(
            counts.message.contains("tests=\"184467440737095516160\", failures=\"-1\""),
            "{}",
            counts.message
        );
        assert_eq!(w.iter().filter(|w| w.message.contains("not a duration")).count(), 2, "{w:?}");
    }

    #[test]
    fn repeated_cases_get_distinct_ids_and_properties_are_kept() {
        let xml = r#"<testsuite name="s"><testcase classname="c" name="t"><properties><property name="k" value="v"/><property name="body">text</property></properties></testcase><testcase classname="c" name="t"/></testsuite>"#;
        let (doc, _) = read(xml);
        assert_eq!(doc.cases[0].id, "c::t");
        assert_eq!(doc.cases[1].id, "c::t#2");
        assert_eq!(doc.cases[0].properties, vec![("k".into(), "v".into()), ("body".into(), "text".into())]);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let depth = 100_000;
        let xml = format!(
            "{}<testcase name=\"deep\"/>{}",
            "<testsuite name=\"s\">".repeat(depth),
            "</testsuite>".repeat(depth)
        );
        let (doc, w) = read(&xml);
        assert_eq!(doc.cases.len(), 1);
        assert!(w.iter().any(|w| w.kind == WarningKind::LimitExceeded));
    }

    #[test]
    fn ctest_status_attribute() {
        let (doc, _) = read(
            r#"<testsuite name="s"><testcase name="a" status="notrun"/><testcase name="b" status="fail"/></testsuite>"#,
        );
        assert_eq!(doc.cases[0].status, TestStatus::Skipped);
        assert_eq!(doc.cases[1].status, TestStatus::Failed);
    }
}
