//! Console framing: which test printed which console lines. Robot's console and pytest's `-v` output
//! both name the running test; that is the strongest evidence for tying a line to a test.

use std::borrow::Cow;

use super::{Frame, FrameStyle, LogFile};
use crate::model::TestStatus;

/// The line as the console printed it: without a Jenkins timestamper prefix or ANSI codes. Borrowed
/// unless the line had escapes, so framing a large plain log allocates nothing per line.
fn console_text(file: &LogFile, idx: usize) -> Cow<'_, str> {
    match file.clean(idx) {
        Cow::Borrowed(s) => Cow::Borrowed(without_stamp(s)),
        Cow::Owned(s) => Cow::Owned(without_stamp(&s).to_string()),
    }
}

fn without_stamp(s: &str) -> &str {
    match s.strip_prefix('[').and_then(|r| r.split_once("] ")) {
        Some((stamp, rest)) if crate::timefmt::iso8601_prefix(stamp).is_some() => rest,
        _ => s,
    }
}

fn is_sep(s: &str, c: char) -> bool {
    let t = s.trim_end();
    t.len() >= 20 && t.chars().all(|x| x == c)
}

fn robot_status(s: &str) -> Option<TestStatus> {
    let t = s.trim_end();
    for (tag, st) in [
        ("| PASS |", TestStatus::Passed),
        ("| FAIL |", TestStatus::Failed),
        ("| SKIP |", TestStatus::Skipped),
        ("| NOT RUN |", TestStatus::Skipped),
    ] {
        if t.ends_with(tag) {
            return Some(st);
        }
    }
    None
}

/// The test name a Robot test's first console line starts with: before ` :: ` (its documentation), a run
/// of padding, or the status. Robot cuts long names with `...`.
fn robot_name(s: &str) -> (String, bool) {
    let mut name = s;
    if let Some(i) = name.find(" :: ") {
        name = &name[..i];
    }
    if let Some(i) = name.find("  ") {
        name = &name[..i];
    }
    if let Some(i) = name.find(" | ") {
        name = &name[..i];
    }
    // A cut name can run straight into the first console message: `…With RWO Volum... Initialized`.
    if let Some(i) = name.find("... ") {
        name = &name[..i + 3];
    }
    let name = name.trim();
    match name.strip_suffix("...") {
        Some(prefix) => (prefix.to_string(), true),
        None => (name.to_string(), false),
    }
}

pub fn detect_frames(file: &LogFile) -> Vec<Frame> {
    // Both consoles leave an unmistakable mark somewhere; a component log has neither, and then one
    // substring search replaces two passes over its lines.
    let text = file.text.as_bytes();
    let mut frames = Vec::new();
    if memchr::memmem::find(text, ROBOT_MARK).is_some() {
        let mut robot = RobotFramer::default();
        for i in 0..file.lines.len() {
            robot.push(&console_text(file, i));
        }
        frames = robot.finish();
    }
    if frames.is_empty() && memchr::memmem::find(text, PYTEST_MARK).is_some() {
        let mut pytest = PytestFramer::default();
        for i in 0..file.lines.len() {
            pytest.line(i, &console_text(file, i));
        }
        frames = pytest.finish();
    }
    frames
}

/// Text whose presence anywhere in a log makes it worth looking for Robot frames.
pub(crate) const ROBOT_MARK: &[u8] = b"====================";
/// Text whose presence anywhere in a log makes it worth looking for pytest frames.
pub(crate) const PYTEST_MARK: &[u8] = b".py::";

/// Framing fed one line at a time, for a log read as a stream: both framers run over every line and the
/// marks decide at the end which one's frames count, exactly as [`detect_frames`] decides for a log held
/// whole. State is two lines of look-ahead plus the frames found.
pub(crate) struct StreamFramer {
    robot: RobotFramer,
    pytest: PytestFramer,
    /// Built once: building a searcher per line cost more than searching.
    robot_finder: memchr::memmem::Finder<'static>,
    pytest_finder: memchr::memmem::Finder<'static>,
    robot_mark: bool,
    pytest_mark: bool,
    lines: usize,
}

impl Default for StreamFramer {
    fn default() -> StreamFramer {
        StreamFramer {
            robot: RobotFramer::default(),
            pytest: PytestFramer::default(),
            robot_finder: memchr::memmem::Finder::new(ROBOT_MARK),
            pytest_finder: memchr::memmem::Finder::new(PYTEST_MARK),
            robot_mark: false,
            pytest_mark: false,
            lines: 0,
        }
    }
}

impl StreamFramer {
    /// The next line: `raw` as the file has it (the marks are looked for there), `clean` without ANSI.
    pub(crate) fn line(&mut self, raw: &str, clean: &str) {
        self.robot_mark = self.robot_mark || self.robot_finder.find(raw.as_bytes()).is_some();
        self.pytest_mark = self.pytest_mark || self.pytest_finder.find(raw.as_bytes()).is_some();
        let console = without_stamp(clean);
        self.pytest.line(self.lines, console);
        self.robot.push(console);
        self.lines += 1;
    }

    pub(crate) fn finish(self) -> Vec<Frame> {
        let mut frames = Vec::new();
        if self.robot_mark {
            frames = self.robot.finish();
        }
        if frames.is_empty() && self.pytest_mark {
            frames = self.pytest.finish();
        }
        frames
    }
}

/// Robot's console, a line at a time. A line is judged once the two after it are known (a suite header
/// sits between two `=` separators), so lines wait in a three-line window.
#[derive(Default)]
struct RobotFramer {
    window: std::collections::VecDeque<String>,
    /// Index of the oldest line in `window`.
    at: usize,
    /// Lines already consumed as part of a suite header.
    skip: usize,
    /// Buffers of lines judged, reused for the next lines (a stream has millions).
    spare: Vec<String>,
    frames: Vec<Frame>,
    suite: Option<String>,
    expect_test: bool,
    open: Option<Frame>,
}

impl RobotFramer {
    fn push(&mut self, console: &str) {
        let mut line = self.spare.pop().unwrap_or_default();
        line.clear();
        line.push_str(console);
        self.window.push_back(line);
        if self.window.len() == 3 {
            self.judge_oldest();
        }
    }

    fn judge_oldest(&mut self) {
        let Some(line) = self.window.pop_front() else { return };
        let i = self.at;
        self.at += 1;
        if self.skip > 0 {
            self.skip -= 1;
        } else {
            let window = std::mem::take(&mut self.window);
            self.line(i, &line, window.front().map(String::as_str), window.get(1).map(String::as_str));
            self.window = window;
        }
        self.spare.push(line);
    }

    fn line(&mut self, i: usize, line: &str, next1: Option<&str>, next2: Option<&str>) {
        if is_sep(line, '=') {
            if let Some(mut f) = self.open.take() {
                f.last = i.saturating_sub(1);
                self.frames.push(f);
            }
            // A suite header sits between two `=` separators.
            if let (Some(header), Some(after)) = (next1, next2)
                && is_sep(after, '=')
                && robot_status(header).is_none()
            {
                self.suite = Some(robot_name(header).0);
                self.expect_test = true;
                self.skip = 2;
                return;
            }
            self.expect_test = false;
            return;
        }
        if is_sep(line, '-') {
            if let Some(mut f) = self.open.take() {
                f.last = i;
                self.frames.push(f);
            }
            self.expect_test = true;
            return;
        }
        if let Some(f) = self.open.as_mut() {
            if f.status.is_none()
                && let Some(st) = robot_status(line)
            {
                f.status = Some(st);
            }
            f.last = i;
        } else if self.expect_test && !line.trim().is_empty() {
            self.expect_test = false;
            let (name, truncated) = robot_name(line);
            // After the last test, the suite's own status line comes: `Suite :: Doc   | FAIL |` and a count.
            let next = next1.unwrap_or("");
            let is_suite_status = robot_status(line).is_some()
                && (self.suite.as_deref() == Some(name.as_str()) || next.contains(" tests, "));
            if !is_suite_status && !name.is_empty() {
                self.open = Some(Frame {
                    style: FrameStyle::RobotConsole,
                    test_name: name,
                    name_truncated: truncated,
                    suite: self.suite.clone(),
                    first: i,
                    last: i,
                    status: robot_status(line),
                });
            }
        }
    }

    fn finish(mut self) -> Vec<Frame> {
        while !self.window.is_empty() {
            self.judge_oldest();
        }
        let n = self.at;
        if let Some(mut f) = self.open.take() {
            f.last = n.saturating_sub(1);
            self.frames.push(f);
        }
        self.frames
    }
}

fn pytest_status(word: &str) -> Option<TestStatus> {
    Some(match word {
        "PASSED" | "XPASS" => TestStatus::Passed,
        "FAILED" => TestStatus::Failed,
        "ERROR" => TestStatus::Error,
        "SKIPPED" | "XFAIL" => TestStatus::Skipped,
        _ => return None,
    })
}

/// `tests/test_rwx.py::TestX::test_y[param] PASSED [ 42%]`, or with `-s` the test's own prints between
/// the node id and the status word.
fn pytest_start(s: &str) -> Option<(String, String, &str)> {
    let node = s.split_whitespace().next()?;
    let (path, rest) = node.split_once(".py::")?;
    let mut parts: Vec<&str> = rest.split("::").collect();
    let name = parts.pop()?.to_string();
    let mut suite = format!("{path}.py");
    for p in parts {
        suite.push_str("::");
        suite.push_str(p);
    }
    Some((suite, name, s[node.len()..].trim_start()))
}

/// A status pytest wrote at the end of a line after the test's own output (`done PASSED [ 42%]`). The
/// progress marker is required unless the word stands alone: a test may print `backup FAILED` itself.
fn pytest_trailing_status(s: &str) -> Option<TestStatus> {
    let t = s.trim_end();
    let (body, progress) =
        match t.strip_suffix("%]").and_then(|r| r.rfind('[').map(|i| (&r[..i], &r[i + 1..]))) {
            Some((body, pct)) if pct.trim().chars().all(|c| c.is_ascii_digit()) && !pct.trim().is_empty() => {
                (body.trim_end(), true)
            }
            _ => (t, false),
        };
    let last = body.rsplit(|c: char| c.is_whitespace()).next()?;
    // Output without a final newline runs into the status: `doneFAILED`.
    let word = ["PASSED", "FAILED", "ERROR", "SKIPPED", "XFAIL", "XPASS"]
        .into_iter()
        .find(|w| last.ends_with(w) && (progress || last.len() == w.len()))?;
    let status = pytest_status(word)?;
    (progress || body.trim_start() == word).then_some(status)
}

/// pytest's `-v` console, a line at a time (a frame's extent is known from the lines seen so far).
#[derive(Default)]
struct PytestFramer {
    frames: Vec<Frame>,
    open: Option<Frame>,
}

impl PytestFramer {
    fn line(&mut self, i: usize, line: &str) {
        if let Some((suite, name, rest)) = pytest_start(line) {
            if let Some(f) = self.open.take() {
                self.frames.push(f);
            }
            let status = pytest_trailing_status(rest);
            let f = Frame {
                style: FrameStyle::PytestConsole,
                test_name: name,
                name_truncated: false,
                suite: Some(suite),
                first: i,
                last: i,
                status,
            };
            if status.is_some() {
                self.frames.push(f);
            } else {
                self.open = Some(f);
            }
            return;
        }
        if let Some(f) = self.open.as_mut() {
            f.last = i;
            if let Some(st) = pytest_trailing_status(line) {
                f.status = Some(st);
                if let Some(f) = self.open.take() {
                    self.frames.push(f);
                }
            }
        }
    }

    fn finish(mut self) -> Vec<Frame> {
        self.frames.extend(self.open.take());
        self.frames
    }
}

#[cfg(test)]
mod tests {
    use super::super::read_log;
    use super::*;

    fn frames(text: &str) -> Vec<Frame> {
        detect_frames(&read_log("c.log", text.to_string(), None, &mut Vec::new()))
    }

    const SEP: &str = "==============================================================================";
    const DASH: &str = "------------------------------------------------------------------------------";

    #[test]
    fn robot_console_with_jenkins_prefixes() {
        let text = format!(
            "[2024-11-16T10:12:00.349Z] {SEP}\n[2024-11-16T10:12:00.349Z] Tests.Negative.Component Resilience :: Negative Test Cases\n\
             [2024-11-16T10:12:00.349Z] {SEP}\n[2024-11-16T10:12:00.549Z] Test Longhorn RWX Recovery :: Delete th... Initialized client\n\
             [2024-11-16T10:12:01.000Z] deleting sharemanager pvc-1 ...\n[2024-11-16T10:18:17.203Z] | FAIL |\n\
             [2024-11-16T10:18:17.203Z] Checking pod x data checksum failed\n[2024-11-16T10:18:17.203Z] {DASH}\n\
             [2024-11-16T10:18:17.207Z] Single Replica Node Down Deletion Policy do-nothing With RWO Volum... | PASS |\n\
             [2024-11-16T10:18:17.207Z] {DASH}\n\
             [2024-11-16T10:20:59.366Z] Tests.Negative.Component Resilience :: Negative Test Cases   | FAIL |\n\
             [2024-11-16T10:20:59.366Z] 2 tests, 1 passed, 1 failed\n[2024-11-16T10:20:59.366Z] {SEP}\n"
        );
        let f = frames(&text);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].test_name, "Test Longhorn RWX Recovery");
        assert_eq!(f[0].suite.as_deref(), Some("Tests.Negative.Component Resilience"));
        assert_eq!((f[0].first, f[0].last), (3, 7));
        assert_eq!(f[0].status, Some(TestStatus::Failed));
        assert!(f[1].name_truncated);
        assert_eq!(f[1].test_name, "Single Replica Node Down Deletion Policy do-nothing With RWO Volum");
        assert_eq!(f[1].status, Some(TestStatus::Passed));
    }

    #[test]
    fn pytest_verbose_with_prints() {
        let text = "tests/test_rwx.py::test_rwx_delete_share_manager_pod deleting pod\nwaiting\nPASSED\n\
                    tests/test_rwx.py::TestX::test_y[s3] FAILED                    [ 50%]\n";
        let f = frames(text);
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[0].test_name.as_str(), f[0].first, f[0].last),
            ("test_rwx_delete_share_manager_pod", 0, 2)
        );
        assert_eq!(f[0].status, Some(TestStatus::Passed));
        assert_eq!(f[1].test_name, "test_y[s3]");
        assert_eq!(f[1].suite.as_deref(), Some("tests/test_rwx.py::TestX"));
        assert_eq!(f[1].status, Some(TestStatus::Failed));
    }

    #[test]
    fn robot_console_plain_with_messages_on_the_name_line() {
        let name = "Test Longhorn Dynamic Provisioned RWX Volume Recovery";
        let long = "Power Off Volume Node For More Than Pod Eviction Timeout While Workl...";
        let text = format!(
            "{SEP}\r\nTests.Negative.Component Resilience :: Negative Test Cases\r\n{SEP}\r\n\
             {name:<70}Initialized in-cluster k8s api client\r\ndeleting sharemanager pvc-1 ...\r\n\
             {name:<70}| FAIL |\r\nChecking pod x data checksum failed\r\n{DASH}\r\n\
             {long} Initialized in-cluster k8s api client\r\nStopping instances ['i-1']\r\n\
             {long} | PASS |\r\n{DASH}\r\n\
             Tests.Negative.Component Resilience :: Negative Test Cases   | FAIL |\r\n\
             2 tests, 1 passed, 1 failed\r\n{SEP}\r\n"
        );
        let f = frames(&text);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!((f[0].test_name.as_str(), f[0].first, f[0].last), (name, 3, 7));
        assert!(!f[0].name_truncated);
        assert_eq!(f[0].status, Some(TestStatus::Failed));
        assert_eq!(f[1].test_name, "Power Off Volume Node For More Than Pod Eviction Timeout While Workl");
        assert!(f[1].name_truncated);
        assert_eq!((f[1].first, f[1].last, f[1].status), (8, 11, Some(TestStatus::Passed)));
    }

    #[test]
    fn robot_nested_suites_set_the_suite_of_each_test() {
        let text = format!(
            "{SEP}\nTests :: All\n{SEP}\n{SEP}\nTests.Negative :: Negative\n{SEP}\n\
             Test A                                                                | PASS |\n{DASH}\n\
             Tests.Negative :: Negative                                            | PASS |\n\
             1 test, 1 passed, 0 failed\n{SEP}\n{SEP}\nTests.Regression :: R\n{SEP}\n\
             Test B                                                                | FAIL |\nboom\n{DASH}\n"
        );
        let f = frames(&text);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].suite.as_deref(), Some("Tests.Negative"));
        assert_eq!(f[1].suite.as_deref(), Some("Tests.Regression"));
        assert_eq!((f[1].test_name.as_str(), f[1].status), ("Test B", Some(TestStatus::Failed)));
    }

    #[test]
    fn pytest_status_after_prints_and_colours() {
        let text = "[2024-11-16T10:15:03.123Z] tests/test_rwx.py::test_a \n\
                    [2024-11-16T10:15:04.000Z] ERROR connecting, retrying\n\
                    [2024-11-16T10:15:05.000Z] backup FAILED\n\
                    [2024-11-16T10:15:06.000Z] done\x1b[31mFAILED\x1b[0m                      [ 50%]\n\
                    tests/test_rwx.py::test_b \x1b[32mPASSED\x1b[0m [100%]\n";
        let f = frames(text);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!((f[0].first, f[0].last, f[0].status), (0, 3, Some(TestStatus::Failed)));
        assert_eq!((f[1].test_name.as_str(), f[1].status), ("test_b", Some(TestStatus::Passed)));
    }

    #[test]
    fn pytest_trailing_status_needs_progress_or_a_bare_word() {
        assert_eq!(pytest_trailing_status("SKIPPED"), Some(TestStatus::Skipped));
        assert_eq!(pytest_trailing_status("x ERROR [  7%]"), Some(TestStatus::Error));
        assert_eq!(pytest_trailing_status("backup FAILED"), None);
        assert_eq!(pytest_trailing_status("FAILED [abc%]"), None);
        assert_eq!(pytest_trailing_status(""), None);
    }

    #[test]
    fn plain_logs_have_no_frames() {
        assert!(frames("a\nb\nc").is_empty());
    }
}
