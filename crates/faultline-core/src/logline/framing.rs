//! Console framing: which test printed which console lines. Robot's console and pytest's `-v` output
//! both name the running test; that is the strongest evidence for tying a line to a test.

use super::{Frame, FrameStyle, LogFile};
use crate::model::TestStatus;

/// The line as the console printed it: without a Jenkins timestamper prefix or ANSI codes.
fn console_text(file: &LogFile, idx: usize) -> String {
    let clean = file.clean(idx);
    let s: &str = &clean;
    let s = match s.strip_prefix('[').and_then(|r| r.split_once("] ")) {
        Some((stamp, rest)) if crate::timefmt::iso8601_prefix(stamp).is_some() => rest,
        _ => s,
    };
    s.to_string()
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
    let name = name.trim();
    match name.strip_suffix("...") {
        Some(prefix) => (prefix.to_string(), true),
        None => (name.to_string(), false),
    }
}

pub fn detect_frames(file: &LogFile) -> Vec<Frame> {
    let mut frames = robot_frames(file);
    if frames.is_empty() {
        frames = pytest_frames(file);
    }
    frames
}

fn robot_frames(file: &LogFile) -> Vec<Frame> {
    let n = file.lines.len();
    let mut frames = Vec::new();
    let mut suite: Option<String> = None;
    let mut expect_test = false;
    let mut open: Option<Frame> = None;
    let mut i = 0;
    while i < n {
        let line = console_text(file, i);
        if is_sep(&line, '=') {
            if let Some(mut f) = open.take() {
                f.last = i.saturating_sub(1);
                frames.push(f);
            }
            // A suite header sits between two `=` separators.
            if i + 2 < n && is_sep(&console_text(file, i + 2), '=') {
                let header = console_text(file, i + 1);
                if robot_status(&header).is_none() {
                    suite = Some(robot_name(&header).0);
                    expect_test = true;
                    i += 3;
                    continue;
                }
            }
            expect_test = false;
            i += 1;
            continue;
        }
        if is_sep(&line, '-') {
            if let Some(mut f) = open.take() {
                f.last = i;
                frames.push(f);
            }
            expect_test = true;
            i += 1;
            continue;
        }
        if let Some(f) = open.as_mut() {
            if f.status.is_none()
                && let Some(st) = robot_status(&line)
            {
                f.status = Some(st);
            }
            f.last = i;
        } else if expect_test && !line.trim().is_empty() {
            expect_test = false;
            let (name, truncated) = robot_name(&line);
            // After the last test, the suite's own status line comes: `Suite :: Doc   | FAIL |` and a count.
            let next = if i + 1 < n { console_text(file, i + 1) } else { String::new() };
            let is_suite_status = robot_status(&line).is_some()
                && (suite.as_deref() == Some(name.as_str()) || next.contains(" tests, "));
            if !is_suite_status && !name.is_empty() {
                open = Some(Frame {
                    style: FrameStyle::RobotConsole,
                    test_name: name,
                    name_truncated: truncated,
                    suite: suite.clone(),
                    first: i,
                    last: i,
                    status: robot_status(&line),
                });
            }
        }
        i += 1;
    }
    if let Some(mut f) = open.take() {
        f.last = n.saturating_sub(1);
        frames.push(f);
    }
    frames
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

fn pytest_frames(file: &LogFile) -> Vec<Frame> {
    let mut frames: Vec<Frame> = Vec::new();
    let mut open: Option<Frame> = None;
    for i in 0..file.lines.len() {
        let line = console_text(file, i);
        if let Some((suite, name, rest)) = pytest_start(&line) {
            if let Some(f) = open.take() {
                frames.push(f);
            }
            let status = rest.split_whitespace().next().and_then(pytest_status);
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
                frames.push(f);
            } else {
                open = Some(f);
            }
            continue;
        }
        if let Some(f) = open.as_mut() {
            f.last = i;
            if let Some(st) = line.split_whitespace().next().and_then(pytest_status) {
                f.status = Some(st);
                if let Some(f) = open.take() {
                    frames.push(f);
                }
            }
        }
    }
    frames.extend(open);
    frames
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
    fn plain_logs_have_no_frames() {
        assert!(frames("a\nb\nc").is_empty());
    }
}
