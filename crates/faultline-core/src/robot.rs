//! Robot Framework output.xml (RF 6 and RF 7 schemas): the richest record of what a test *did* —
//! suites, tests with their `[Documentation]` and tags, every keyword with its arguments, status, times
//! and logged messages.
//!
//! Robot writes local time without a zone; it is read as UTC, which is what CI machines almost always
//! run in.

use quick_xml::events::BytesStart;

use crate::junit::entities;
use crate::junit::lines::LineIndex;
use crate::model::{TestCase, TestStatus};
use crate::source::SourceRef;
use crate::timefmt;
use crate::warning::{Warning, WarningKind};

#[derive(Debug, Clone, PartialEq)]
pub struct RobotMessage {
    pub time_ms: Option<i64>,
    pub level: String,
    pub text: String,
    pub source: SourceRef,
    /// For a message of several lines written as such in the file (a DEBUG traceback), where each of
    /// its lines is, so a fact found on the fifth line cites that line and not the `<msg>` tag's.
    /// Empty for a one-line message, or when a character reference (`&#10;`) made lines the file
    /// does not have. Places, not `SourceRef`s: a traceback of 100,000 lines must not copy the file's
    /// name 100,000 times.
    pub lines: Vec<LinePlace>,
}

/// A line of a file: its 1-based number and its byte range, as in [`SourceRef`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinePlace {
    pub line: u32,
    pub byte_start: u64,
    pub byte_end: u64,
}

/// A keyword (or setup/teardown/FOR iteration) as executed.
#[derive(Debug, Clone, PartialEq)]
pub struct RobotStep {
    pub name: String,
    pub library: Option<String>,
    /// `keyword`, `setup`, `teardown`, `for`, `iteration`, `if`, `branch`, `try`, `while`…
    pub kind: String,
    /// 0 for the test's own steps, +1 per nesting level.
    pub depth: u32,
    pub args: Vec<String>,
    pub status: Option<TestStatus>,
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub source: SourceRef,
    pub messages: Vec<RobotMessage>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RobotTest {
    /// The test as a [`TestCase`]: suite path, name, status, message, documentation, tags, start, duration.
    pub case: TestCase,
    pub end_ms: Option<i64>,
    /// Every step in document order, flattened (use `depth` for nesting).
    pub steps: Vec<RobotStep>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RobotRun {
    pub generator: Option<String>,
    pub tests: Vec<RobotTest>,
}

/// True when the text's root element is `<robot`.
pub fn looks_like_output_xml(text: &str) -> bool {
    crate::input::sniff::root_element(text) == Some("robot")
}

/// Elements whose text or status matters, in the order they are open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Suite,
    Test,
    Step(usize),
    Msg,
    Arg,
    Doc,
    Tag,
    StatusText,
    Other,
}

const STEP_ELEMENTS: [&str; 11] =
    ["kw", "setup", "teardown", "for", "iter", "if", "branch", "try", "while", "group", "return"];

/// Keyword nesting deeper than this is not a real test; the limit keeps memory and depth bounded.
const MAX_DEPTH: usize = 256;

struct State<'a> {
    file: &'a str,
    idx: LineIndex<'a>,
    warnings: &'a mut Vec<Warning>,
    run: RobotRun,
    suites: Vec<String>,
    stack: Vec<Open>,
    test: Option<RobotTest>,
    text: String,
    msg: Option<RobotMessage>,
    /// Where the open `<msg>` starts in the file.
    msg_at: usize,
    /// Where an open `<status>` element's text (the failure message) goes.
    status_for_test: bool,
    skipped_depth: usize,
    unknown_entity_reported: bool,
    bad_time_reported: bool,
}

pub fn read_output_xml(file: &str, text: &str, warnings: &mut Vec<Warning>) -> RobotRun {
    let mut st = State {
        file,
        idx: LineIndex::new(text),
        warnings,
        run: RobotRun::default(),
        suites: Vec::new(),
        stack: Vec::new(),
        test: None,
        text: String::new(),
        msg: None,
        msg_at: 0,
        status_for_test: false,
        skipped_depth: 0,
        unknown_entity_reported: false,
        bad_time_reported: false,
    };
    if let Err((at, message)) = crate::xml_drive::drive(text, &mut st) {
        st.malformed(at, message);
    }
    st.finish()
}

impl crate::xml_drive::XmlSink for State<'_> {
    fn has_open_elements(&self) -> bool {
        !self.stack.is_empty()
    }

    fn start(&mut self, e: &BytesStart<'_>, pos: usize, empty: bool) {
        State::start(self, e, pos, empty);
    }

    fn end(&mut self, _local_name: &[u8]) {
        State::end(self);
    }

    fn text(&mut self, s: &str) {
        self.text.push_str(s);
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

    fn entity_declarations(&mut self, pos: usize) {
        let (line, col) = self.idx.line_col(pos);
        self.warnings.push(
            Warning::new(WarningKind::MalformedXml, self.file, crate::xml_drive::ENTITY_DECLARATIONS)
                .at(line, col),
        );
    }
}

fn attr_map(e: &BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .map(|a| (a.key.local_name().as_ref().to_string(), entities::unescape(&a.value).0.into_owned()))
        .collect()
}

fn get<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn status_of(s: &str) -> Option<TestStatus> {
    Some(match s {
        "PASS" => TestStatus::Passed,
        "FAIL" => TestStatus::Failed,
        "SKIP" | "NOT RUN" | "NOT_RUN" => TestStatus::Skipped,
        _ => return None,
    })
}

/// Longest keyword or test accepted: a century. Longer `elapsed` values are not durations but overflow.
const MAX_ELAPSED_S: f64 = 100.0 * 365.25 * 86_400.0;

/// Start and end from either schema: RF 6 `starttime`/`endtime`, RF 7 `start` + `elapsed` seconds. The
/// third value names the first attribute that is present but not a time (RF 6's `N/A` is a real value).
fn times(attrs: &[(String, String)]) -> (Option<i64>, Option<i64>, Option<String>) {
    let mut bad = None;
    let mut note = |k: &str, v: &str| {
        bad.get_or_insert_with(|| format!("{k}={v:?}"));
    };
    if let Some(raw) = get(attrs, "start") {
        let start = timefmt::iso8601(raw);
        if start.is_none() {
            note("start", raw);
        }
        let end = get(attrs, "elapsed").and_then(|e| {
            let secs = crate::parse_float::parse_f64(e.trim())
                .filter(|s| s.is_finite() && (0.0..=MAX_ELAPSED_S).contains(s));
            if secs.is_none() {
                note("elapsed", e);
            }
            Some(start?.saturating_add((secs? * 1000.0).round() as i64))
        });
        return (start, end, bad);
    }
    let mut rf6 = |k: &str| {
        let raw = get(attrs, k)?;
        let t = timefmt::robot_prefix(raw).filter(|&(_, used)| used == raw.len()).map(|(ms, _)| ms);
        if t.is_none() && !matches!(raw.trim(), "" | "N/A") {
            note(k, raw);
        }
        t
    };
    let start = rf6("starttime");
    let end = rf6("endtime");
    (start, end, bad)
}

impl State<'_> {
    /// Each line of the message `text` just read, placed in the file, when its content there has the
    /// same line breaks (see [`RobotMessage::lines`]).
    fn message_lines(&self, text: &str) -> Vec<LinePlace> {
        let breaks = memchr::memchr_iter(b'\n', text.as_bytes()).count();
        if breaks == 0 {
            return Vec::new();
        }
        let file = self.idx.text();
        let Some(rest) = file.get(self.msg_at..) else { return Vec::new() };
        // The content runs from the end of the start tag (attribute values hold no raw `>`: writers
        // escape it, and a wrong guess only fails the count below) to the first `</msg`.
        let (Some(open), Some(close)) = (rest.find('>'), rest.find("</msg")) else { return Vec::new() };
        let Some(raw) = rest.get(open + 1..close) else { return Vec::new() };
        if memchr::memchr_iter(b'\n', raw.as_bytes()).count() != breaks {
            return Vec::new();
        }
        let content = self.msg_at + open + 1;
        std::iter::once(content)
            .chain(memchr::memchr_iter(b'\n', raw.as_bytes()).map(|i| content + i + 1))
            .map(|at| {
                let s = self.idx.source("", at);
                LinePlace { line: s.line, byte_start: s.byte_start, byte_end: s.byte_end }
            })
            .collect()
    }

    fn step_depth(&self) -> u32 {
        self.stack.iter().filter(|o| matches!(o, Open::Step(_))).count() as u32
    }

    fn start(&mut self, e: &BytesStart<'_>, pos: usize, _empty: bool) {
        if self.stack.len() >= MAX_DEPTH {
            if self.skipped_depth == 0 {
                let (line, col) = self.idx.line_col(pos);
                self.warnings.push(
                    Warning::new(
                        WarningKind::LimitExceeded,
                        self.file,
                        format!("elements nested more than {MAX_DEPTH} deep are skipped"),
                    )
                    .at(line, col),
                );
            }
            self.skipped_depth += 1;
            return;
        }
        let name = e.local_name().as_ref().to_string();
        let attrs = attr_map(e);
        self.text.clear();
        let open = match name.as_str() {
            "suite" => {
                self.suites.push(get(&attrs, "name").unwrap_or_default().to_string());
                Open::Suite
            }
            "robot" => {
                self.run.generator = get(&attrs, "generator").map(str::to_string);
                Open::Other
            }
            "test" => {
                let suite = self.suites.join(".");
                let test_name = get(&attrs, "name").unwrap_or_default().to_string();
                let case = TestCase {
                    id: format!("{suite}::{test_name}"),
                    suite,
                    classname: None,
                    name: test_name,
                    status: TestStatus::Error,
                    duration_ms: None,
                    time_raw: None,
                    start_ms: None,
                    message: None,
                    failures: Vec::new(),
                    system_out: None,
                    system_err: None,
                    properties: Vec::new(),
                    file_attr: None,
                    source: self.idx.source(self.file, pos),
                    documentation: None,
                    tags: Vec::new(),
                };
                self.test = Some(RobotTest { case, end_ms: None, steps: Vec::new() });
                Open::Test
            }
            n if STEP_ELEMENTS.contains(&n) && self.test.is_some() => {
                let depth = self.step_depth();
                let kind = match (n, get(&attrs, "type")) {
                    ("kw", Some(t)) => t.to_ascii_lowercase(),
                    ("kw", None) => "keyword".to_string(),
                    (other, _) => other.to_string(),
                };
                let step_name =
                    get(&attrs, "name").map(str::to_string).unwrap_or_else(|| kind.to_ascii_uppercase());
                let source = self.idx.source(self.file, pos);
                let Some(test) = self.test.as_mut() else { return };
                test.steps.push(RobotStep {
                    name: step_name,
                    library: get(&attrs, "library").or_else(|| get(&attrs, "owner")).map(str::to_string),
                    kind,
                    depth,
                    args: Vec::new(),
                    status: None,
                    start_ms: None,
                    end_ms: None,
                    source,
                    messages: Vec::new(),
                });
                Open::Step(test.steps.len() - 1)
            }
            "msg" if self.test.is_some() => {
                let time_ms = get(&attrs, "timestamp")
                    .and_then(|v| timefmt::robot_prefix(v).map(|(ms, _)| ms))
                    .or_else(|| get(&attrs, "time").and_then(timefmt::iso8601));
                self.msg = Some(RobotMessage {
                    time_ms,
                    level: get(&attrs, "level").unwrap_or("INFO").to_string(),
                    text: String::new(),
                    source: self.idx.source(self.file, pos),
                    lines: Vec::new(),
                });
                self.msg_at = pos;
                Open::Msg
            }
            "arg" => Open::Arg,
            "doc" => Open::Doc,
            "tag" => Open::Tag,
            "status" => {
                self.apply_status(&attrs, pos);
                Open::StatusText
            }
            _ => Open::Other,
        };
        self.stack.push(open);
    }

    /// A `<status>` belongs to the innermost open step, test or suite.
    fn apply_status(&mut self, attrs: &[(String, String)], pos: usize) {
        let status = get(attrs, "status").and_then(status_of);
        let (start, end, bad) = times(attrs);
        if let Some(bad) = bad
            && !self.bad_time_reported
        {
            self.bad_time_reported = true;
            let (line, col) = self.idx.line_col(pos);
            self.warnings.push(
                Warning::new(
                    WarningKind::BadRobotOutput,
                    self.file,
                    format!("status {bad} is not a time or is out of range; such times are ignored"),
                )
                .at(line, col),
            );
        }
        self.status_for_test = false;
        let Some(owner) =
            self.stack.iter().rev().find(|o| matches!(o, Open::Step(_) | Open::Test | Open::Suite)).copied()
        else {
            return;
        };
        let Some(test) = self.test.as_mut() else { return };
        match owner {
            Open::Step(i) => {
                if let Some(step) = test.steps.get_mut(i) {
                    step.status = status;
                    step.start_ms = start;
                    step.end_ms = end;
                }
            }
            Open::Test => {
                if let Some(s) = status {
                    test.case.status = s;
                }
                test.case.start_ms = start;
                test.end_ms = end;
                if let (Some(s), Some(e)) = (start, end) {
                    test.case.duration_ms = Some(e.saturating_sub(s).max(0) as f64);
                }
                self.status_for_test = true;
            }
            _ => {}
        }
    }

    fn end(&mut self) {
        if self.skipped_depth > 0 {
            self.skipped_depth -= 1;
            return;
        }
        let Some(open) = self.stack.pop() else { return };
        let text = std::mem::take(&mut self.text);
        let parent = self.stack.last().copied();
        match open {
            Open::Suite => {
                self.suites.pop();
            }
            Open::Test => {
                if let Some(t) = self.test.take() {
                    self.run.tests.push(t);
                }
            }
            Open::Msg => {
                if let (Some(mut m), Some(Open::Step(i))) = (self.msg.take(), parent) {
                    m.lines = self.message_lines(&text);
                    m.text = text;
                    if let Some(step) = self.test.as_mut().and_then(|t| t.steps.get_mut(i)) {
                        step.messages.push(m);
                    }
                }
            }
            Open::Arg => {
                if let (Some(Open::Step(i)), Some(test)) = (parent, self.test.as_mut())
                    && let Some(step) = test.steps.get_mut(i)
                {
                    step.args.push(text);
                }
            }
            Open::Doc => {
                if parent == Some(Open::Test)
                    && let Some(test) = self.test.as_mut()
                {
                    test.case.documentation = Some(text);
                }
            }
            Open::Tag => {
                if parent == Some(Open::Test)
                    && let Some(test) = self.test.as_mut()
                {
                    test.case.tags.push(text);
                }
            }
            Open::StatusText => {
                if self.status_for_test
                    && parent == Some(Open::Test)
                    && !text.trim().is_empty()
                    && let Some(test) = self.test.as_mut()
                {
                    test.case.message = Some(text);
                }
                self.status_for_test = false;
            }
            Open::Step(_) | Open::Other => {}
        }
    }

    fn malformed(&mut self, at: usize, message: String) {
        let (line, col) = self.idx.line_col(at);
        self.warnings.push(
            Warning::new(
                WarningKind::MalformedXml,
                self.file,
                format!("{message}; what was read before it is kept"),
            )
            .at(line, col),
        );
    }

    /// A test still open at the end of a broken file is kept. Its status is what was seen of it: a
    /// failed step makes it failed; with nothing conclusive it stays `error` (it never finished).
    fn finish(mut self) -> RobotRun {
        if let Some(mut t) = self.test.take() {
            if t.steps.iter().any(|s| s.status == Some(TestStatus::Failed)) {
                t.case.status = TestStatus::Failed;
            }
            if t.case.start_ms.is_none() {
                t.case.start_ms = t.steps.iter().find_map(|s| s.start_ms);
            }
            self.run.tests.push(t);
        }
        self.run
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> (RobotRun, Vec<Warning>) {
        let mut w = Vec::new();
        (read_output_xml("output.xml", xml, &mut w), w)
    }

    const RF6: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<robot generator="Robot 6.1.1 (Python 3.11.7 on linux)" generated="20241116 10:12:00.017">
<suite id="s1" name="Tests">
<suite id="s1-s1" name="Negative">
<test id="t1" name="RWX recovery" line="26">
<kw name="When Delete sharemanager of deployment 0 and wait for recreation" library="sharemanager">
<kw name="Delete Sharemanager And Wait For Recreation" library="sharemanager_keywords">
<arg>${volume_name}</arg>
<msg timestamp="20241116 10:15:02.815" level="INFO">delete_namespaced_custom_object(plural="sharemanagers", name="pvc-1")</msg>
<status status="PASS" starttime="20241116 10:15:02.807" endtime="20241116 10:15:03.976"/>
</kw>
<status status="PASS" starttime="20241116 10:15:02.775" endtime="20241116 10:15:03.983"/>
</kw>
<kw name="Cleanup" type="TEARDOWN"><status status="PASS" starttime="20241116 10:18:00.000" endtime="20241116 10:18:01.000"/></kw>
<doc>Delete the Share-manager pod &amp; verify.</doc>
<tag>negative</tag>
<status status="FAIL" starttime="20241116 10:12:00.547" endtime="20241116 10:18:17.202">Checking pod x data checksum failed</status>
</test>
<doc>Negative Test Cases</doc>
<status status="FAIL" starttime="20241116 10:12:00.369" endtime="20241116 10:20:59.363"/>
</suite>
</suite>
</robot>"#;

    #[test]
    fn each_line_of_a_message_written_on_several_lines_is_placed_in_the_file() {
        let xml = r#"<robot><suite name="S"><test name="T"><kw name="K">
<msg timestamp="20241118 09:05:32.941" level="DEBUG">Traceback (most recent call last):
  File "k8s.py", line 60, in wait_delete_pod
    assert not found</msg>
<msg level="INFO">one line</msg>
<msg level="INFO">made&#10;of&#10;references</msg>
<status status="FAIL"/></kw><status status="FAIL"/></test></suite></robot>"#;
        let (run, w) = read(xml);
        assert!(w.is_empty(), "{w:?}");
        let m = &run.tests[0].steps[0].messages;
        let placed: Vec<(u32, &str)> =
            m[0].lines.iter().map(|s| (s.line, &xml[s.byte_start as usize..s.byte_end as usize])).collect();
        assert_eq!(
            placed,
            [
                (
                    2,
                    "<msg timestamp=\"20241118 09:05:32.941\" level=\"DEBUG\">Traceback (most recent call last):"
                ),
                (3, "  File \"k8s.py\", line 60, in wait_delete_pod"),
                (4, "    assert not found</msg>"),
            ]
        );
        // One line needs no placing; lines the file does not have cannot be placed.
        assert!(m[1].lines.is_empty());
        assert_eq!(m[2].text, "made\nof\nreferences");
        assert!(m[2].lines.is_empty());
    }

    #[test]
    fn rf6_test_steps_and_messages() {
        let (run, w) = read(RF6);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(run.tests.len(), 1);
        let t = &run.tests[0];
        assert_eq!(t.case.id, "Tests.Negative::RWX recovery");
        assert_eq!(t.case.status, TestStatus::Failed);
        assert_eq!(t.case.message.as_deref(), Some("Checking pod x data checksum failed"));
        assert_eq!(t.case.documentation.as_deref(), Some("Delete the Share-manager pod & verify."));
        assert_eq!(t.case.tags, vec!["negative"]);
        assert_eq!(t.case.start_ms, Some(1_731_751_920_547));
        assert_eq!(t.end_ms, Some(1_731_752_297_202));
        assert_eq!(t.steps.len(), 3);
        assert_eq!((t.steps[0].depth, t.steps[1].depth, t.steps[2].depth), (0, 1, 0));
        assert_eq!(t.steps[1].args, vec!["${volume_name}"]);
        assert_eq!(t.steps[1].messages[0].time_ms, Some(1_731_752_102_815));
        assert_eq!(t.steps[1].messages[0].source.line, 9);
        assert_eq!(t.steps[2].kind, "teardown");
        assert_eq!(t.steps[0].status, Some(TestStatus::Passed));
    }

    #[test]
    fn times_out_of_range_are_ignored_with_one_located_warning() {
        let xml = r#"<robot><suite name="S"><test name="T">
<kw name="A"><status status="PASS" start="2024-11-16T10:15:03.000" elapsed="1e308"/></kw>
<kw name="B"><status status="PASS" start="2024-11-16T10:15:03.000" elapsed="-5"/></kw>
<kw name="C"><status status="PASS" starttime="20241316 10:12:00.000" endtime="N/A"/></kw>
<status status="FAIL" start="+275760-09-13T00:00:00" elapsed="NaN">m</status></test></suite></robot>"#;
        let (run, w) = read(xml);
        let t = &run.tests[0];
        assert_eq!(t.steps[0].start_ms, Some(1_731_752_103_000));
        assert_eq!(t.steps[0].end_ms, None);
        assert_eq!(t.steps[2].start_ms, None);
        assert_eq!((t.case.start_ms, t.case.duration_ms), (None, None));
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!((w[0].kind, w[0].line, w[0].column), (WarningKind::BadRobotOutput, Some(2), Some(14)));
        assert!(w[0].message.contains("elapsed=\"1e308\""), "{}", w[0].message);
    }

    #[test]
    fn entities_are_never_expanded_and_are_reported() {
        let xml = "<!DOCTYPE robot [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<robot><suite name=\"S\">\
                   <test name=\"T\"><kw name=\"Log\"><arg>&xxe;</arg></kw>\
                   <status status=\"FAIL\">&xxe;</status></test></suite></robot>";
        let (run, w) = read(xml);
        assert_eq!(run.tests[0].steps[0].args, vec!["&xxe;"]);
        assert_eq!(run.tests[0].case.message.as_deref(), Some("&xxe;"));
        assert!(w.iter().any(|w| w.message.contains("DOCTYPE") && w.line == Some(1)), "{w:?}");
        assert_eq!(w.iter().filter(|w| w.message.contains("unknown entity &xxe;")).count(), 1, "{w:?}");
    }

    #[test]
    fn rf7_schema() {
        let xml = r#"<robot generator="Robot 7.1"><suite name="S"><test name="T">
<kw name="Log" owner="BuiltIn"><msg time="2024-11-16T10:15:03.123000" level="INFO">hello</msg><status status="PASS" start="2024-11-16T10:15:03.100000" elapsed="0.5"/></kw>
<setup name="Prepare" owner="common"><status status="PASS" start="2024-11-16T10:15:02.000000" elapsed="1.0"/></setup>
<status status="PASS" start="2024-11-16T10:15:02.000000" elapsed="2.000">ok</status></test></suite></robot>"#;
        let (run, w) = read(xml);
        assert!(w.is_empty(), "{w:?}");
        let t = &run.tests[0];
        assert_eq!(t.case.status, TestStatus::Passed);
        assert_eq!(t.case.duration_ms, Some(2000.0));
        assert_eq!(t.steps[0].library.as_deref(), Some("BuiltIn"));
        assert_eq!(t.steps[0].end_ms.zip(t.steps[0].start_ms).map(|(e, s)| e - s), Some(500));
        assert_eq!(t.steps[0].messages[0].time_ms, Some(1_731_752_103_123));
        assert_eq!(t.steps[1].kind, "setup");
    }

    #[test]
    fn truncated_file_keeps_the_open_test() {
        let cut = &RF6[..RF6.find("<kw name=\"Cleanup\"").expect("marker")];
        let (run, w) = read(cut);
        assert_eq!(run.tests.len(), 1);
        assert_eq!(run.tests[0].steps.len(), 2);
        assert_eq!(run.tests[0].case.status, TestStatus::Error);
        assert!(w.iter().any(|w| w.kind == WarningKind::MalformedXml && w.line.is_some()));
    }

    #[test]
    fn recognised_by_root() {
        assert!(looks_like_output_xml("<?xml version=\"1.0\"?>\n<robot generator=\"x\">"));
        assert!(!looks_like_output_xml("<testsuite/>"));
    }
}
