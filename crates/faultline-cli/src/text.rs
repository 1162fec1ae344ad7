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
        if !t.status.is_failure() {
            continue;
        }
        if let Some(m) = &t.message {
            let _ = writeln!(out, "        {}", one_line(m, 92));
        }
        if let Some(d) = report.diagnosis(&t.id) {
            diagnosis(&mut out, d);
        }
        if let Some(tl) = report.timeline_of(&t.id) {
            compact_timeline(&mut out, report, tl);
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

fn diagnosis(out: &mut String, d: &faultline_core::rules::Diagnosis) {
    let _ = writeln!(
        out,
        "\n  ROOT CAUSE  {}  (blame: {}, confidence {:.2})",
        d.rule,
        d.blame.as_str(),
        d.confidence
    );
    for line in wrap(&d.summary, 94) {
        let _ = writeln!(out, "    {line}");
    }
    if !d.fix.is_empty() {
        let mut first = true;
        for line in wrap(&d.fix, 89) {
            let _ = writeln!(out, "    {}{line}", if first { "Fix: " } else { "     " });
            first = false;
        }
    }
    if !d.evidence.is_empty() {
        let _ = writeln!(out, "  EVIDENCE");
        for e in &d.evidence {
            let at = format!("{}:{}", e.file.rsplit('/').next().unwrap_or(&e.file), e.line);
            let text = e.text.as_deref().unwrap_or("").lines().next().unwrap_or("");
            let room = 96usize.saturating_sub(at.chars().count() + 2).max(20);
            let _ = writeln!(out, "    {at}  {}", one_line(text.trim(), room));
        }
    }
    if !d.symptoms.is_empty() {
        let names: Vec<&str> = d.symptoms.iter().map(|s| s.rule.as_str()).collect();
        let _ = writeln!(out, "  EXPLAINS   {}", names.join(", "));
    }
}

/// The replay in a few lines: what changed, what failed, and where the phases turn. Waits, step
/// bookkeeping and repeated reports of one fact are left to the JSON and the web app.
fn compact_timeline(out: &mut String, report: &Report, tl: &faultline_core::replay::Timeline) {
    const MAX: usize = 24;
    let mut lines: Vec<String> = Vec::new();
    let mut phase = None;
    let mut seen: Vec<(EventKind, String, String)> = Vec::new();
    for step in &tl.steps {
        let Some(e) = report.events.get(step.event) else { continue };
        let telling = match e.kind {
            EventKind::ObjectDeleted | EventKind::ObjectCreated | EventKind::ObjectRecreated => {
                e.field("name").is_some()
            }
            EventKind::IoError | EventKind::Timeout | EventKind::Infra | EventKind::Assertion => true,
            EventKind::Checksum => true,
            EventKind::StateChanged => {
                e.field("state") == Some("remount_requested") || e.field("state") == Some("error")
            }
            _ => false,
        };
        if !telling {
            continue;
        }
        let key = (e.kind, e.field("kind").unwrap_or("").to_string(), describe(e));
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        if phase != Some(step.phase) {
            phase = Some(step.phase);
            lines.push(format!("  -- {} --", serde_phase(step.phase)));
        }
        lines.push(format!("  {}", event_line(e, "")));
    }
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "  TIMELINE ({} steps; the full replay is in --format json)", tl.steps.len());
    let extra = lines.len().saturating_sub(MAX);
    for l in lines.iter().take(MAX) {
        let _ = writeln!(out, "{l}");
    }
    if extra > 0 {
        let _ = writeln!(out, "  … {extra} more");
    }
}

fn serde_phase(p: faultline_core::replay::Phase) -> &'static str {
    use faultline_core::replay::Phase;
    match p {
        Phase::Setup => "set-up",
        Phase::FaultInjection => "fault injection",
        Phase::RecoveryWait => "recovery wait",
        Phase::Verification => "verification",
        Phase::Teardown => "teardown",
    }
}

/// Greedy word wrap; artifact text in it is made safe by `one_line` per word.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in s.split_whitespace() {
        let word = one_line(word, width);
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(&word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
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
