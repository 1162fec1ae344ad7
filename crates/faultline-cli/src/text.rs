//! The terminal report: what failed, then each test's events as a timeline with file:line.

use std::fmt::Write;

use faultline_core::{Event, EventKind, Report};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let _ = writeln!(
        out,
        "{} tests: {} passed, {} failed, {} errors, {} skipped, {} flaky  ({} files, {} events)",
        s.tests,
        s.passed,
        s.failed,
        s.errors,
        s.skipped,
        s.flaky,
        report.files.len(),
        report.events.len()
    );
    let mut tests: Vec<_> = report.tests.iter().collect();
    // Failures first: they are what the reader came for.
    tests.sort_by_key(|t| !t.status.is_failure());
    for t in tests {
        let _ = writeln!(out, "\n{:<7} {}", t.status.as_str().to_uppercase(), one_line(&t.id, 92));
        if let Some(m) = &t.message {
            let _ = writeln!(out, "        {}", one_line(m, 90));
        }
        let shown: Vec<&Event> = report
            .events_of(&t.id)
            .filter(|e| !(matches!(e.kind, EventKind::StepStarted | EventKind::StepFinished) && depth(e) > 0))
            .collect();
        for (e, repeats) in collapse(&shown) {
            let suffix = if repeats > 1 { format!("  (×{repeats})") } else { String::new() };
            let _ = writeln!(out, "  {}", event_line(e, &suffix));
        }
    }
    let run_level = report.events.iter().filter(|e| e.test.is_none()).count();
    if run_level > 0 {
        let _ = writeln!(out, "\nRUN-LEVEL ({run_level} events outside any test)");
        for e in report.events.iter().filter(|e| e.test.is_none()).take(20) {
            let _ = writeln!(out, "  {}", event_line(e, ""));
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(out, "\nWARNINGS");
        for w in &report.warnings {
            let _ = writeln!(out, "  {}", one_line(&w.to_string(), 96));
        }
    }
    out
}

/// Polling loops print the same wait hundreds of times; a timeline shows the first with a count.
fn collapse<'a>(events: &[&'a Event]) -> Vec<(&'a Event, usize)> {
    let mut out: Vec<(&Event, usize)> = Vec::new();
    for e in events {
        if let Some((prev, n)) = out.last_mut()
            && matches!(e.kind, EventKind::Wait | EventKind::Retry)
            && prev.kind == e.kind
            && prev.field("condition") == e.field("condition")
        {
            *n += 1;
            continue;
        }
        out.push((e, 1));
    }
    out
}

fn depth(e: &Event) -> u32 {
    e.field("depth").and_then(|d| d.parse().ok()).unwrap_or(0)
}

fn event_line(e: &Event, suffix: &str) -> String {
    let time = e.time_ms.map(clock).unwrap_or_else(|| "--:--:--.---".into());
    let what = describe(e);
    let at = format!("{}:{}", e.source.file.rsplit('/').next().unwrap_or(&e.source.file), e.source.line);
    // Two-space indent + 12 (time) + 2 + 16 (type) + 1 + 2 before the location: the rest of 100 columns
    // is for the description.
    let room = 100usize.saturating_sub(35 + at.chars().count() + suffix.chars().count()).max(20);
    format!("{time}  {:<16} {}  {at}{suffix}", e.kind.as_str(), one_line(&what, room))
}

/// A short human phrase for the event, from its fields.
fn describe(e: &Event) -> String {
    let f = |k: &str| e.field(k).unwrap_or("");
    match e.kind {
        EventKind::ObjectDeleted | EventKind::ObjectCreated | EventKind::ObjectRecreated => {
            let plane = e.field("plane").map(|p| format!(" ({p} plane)")).unwrap_or_default();
            let name = match (e.field("name"), e.field("component"), e.field("workload")) {
                (Some(n), _, _) => n.to_string(),
                (None, Some(c), Some(w)) => format!("of {c}, {w}"),
                (None, Some(c), None) => format!("of {c}"),
                _ => String::new(),
            };
            format!("{} {name}{plane}", f("kind"))
        }
        EventKind::StateChanged => format!("{} {} -> {}", f("kind"), f("name"), f("state")),
        EventKind::Wait | EventKind::Retry | EventKind::Timeout => {
            let mut s = f("condition").to_string();
            if let Some(a) = e.field("attempt") {
                let _ = write!(s, " #{a}");
            }
            if let Some(o) = e.field("last_observed") {
                let _ = write!(s, " (last: {o})");
            }
            s
        }
        EventKind::Checksum => {
            format!("{} {} got {:?} want {}", f("path"), f("result"), f("got"), f("expected"))
        }
        EventKind::IoError => f("error").to_string(),
        EventKind::Infra => format!("{} {}", f("reason"), f("node")),
        EventKind::TestStarted => "start".into(),
        EventKind::TestFinished => f("status").to_string(),
        EventKind::StepStarted => format!("> {}", f("name")),
        EventKind::StepFinished => format!("< {} {}", f("name"), f("status")),
        EventKind::Assertion => f("message").to_string(),
    }
}

/// `HH:MM:SS.mmm` in UTC without pulling a date library into the CLI.
fn clock(ms: i64) -> String {
    let day_ms = ms.rem_euclid(86_400_000);
    let (h, rest) = (day_ms / 3_600_000, day_ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    format!("{h:02}:{m:02}:{:02}.{:03}", rest / 1000, rest % 1000)
}

/// One display line: control characters (ANSI escapes included) made visible, never sent raw to a
/// terminal, and long text cut with an ellipsis.
fn one_line(s: &str, max: usize) -> String {
    let mut out = String::new();
    let cut = s.chars().count() > max;
    for (n, ch) in s.chars().enumerate() {
        if cut && n + 1 >= max {
            out.push('…');
            break;
        }
        match ch {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&c.escape_default().to_string()),
            c => out.push(c),
        }
    }
    out
}
