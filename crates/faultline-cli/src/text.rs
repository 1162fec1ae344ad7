//! The terminal report: a summary line, then each failed test with its root cause, evidence (file:line)
//! and a compact timeline. 100 columns wide; coloured only when asked (a terminal, by default). Artifact
//! text never reaches the terminal raw: control characters, ANSI escapes included, are made visible.

use std::fmt::Write;

use faultline_core::export::describe::{clock, describe, is_telling, phase_name};
use faultline_core::replay::Timeline;
use faultline_core::rules::{Blame, Diagnosis};
use faultline_core::{Event, Report, TestStatus};

/// Width the report fits in.
pub const WIDTH: usize = 100;
/// Longest file name shown in a `name:line` location, so the line still fits the width.
const LOCATION_CHARS: usize = 40;
/// Timeline lines per test.
const TIMELINE_LINES: usize = 24;

/// ANSI styles, or nothing.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    on: bool,
}

impl Paint {
    pub fn new(on: bool) -> Paint {
        Paint { on }
    }

    fn wrap(self, code: &str, s: &str) -> String {
        if self.on { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
    }
    fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn red(self, s: &str) -> String {
        self.wrap("1;31", s)
    }
    fn green(self, s: &str) -> String {
        self.wrap("32", s)
    }
    fn yellow(self, s: &str) -> String {
        self.wrap("33", s)
    }
    fn cyan(self, s: &str) -> String {
        self.wrap("36", s)
    }
}

pub fn render(report: &Report, paint: Paint) -> String {
    let mut out = String::new();
    summary_line(&mut out, report, paint);
    let mut failed: Vec<_> = report.tests.iter().filter(|t| t.status.is_failure()).collect();
    failed.sort_by_key(|t| t.status != TestStatus::Failed);
    for t in failed {
        let _ = writeln!(
            out,
            "\n{} {}",
            paint.red(&format!("{:<7}", t.status.as_str().to_uppercase())),
            paint.bold(&one_line(&t.id, 92))
        );
        if let Some(m) = &t.message {
            let _ = writeln!(out, "        {}", one_line(m, 92));
        }
        if let Some(d) = report.diagnosis(&t.id) {
            diagnosis(&mut out, d, paint);
        }
        if let Some(b) = &report.baseline {
            let new: Vec<_> =
                b.top.iter().filter(|l| l.test.as_deref() == Some(t.id.as_str())).take(8).collect();
            if !new.is_empty() {
                let _ = writeln!(out, "  {}", paint.bold("NEW SINCE THE PASSING RUN"));
                for l in new {
                    let at = location(&l.file, l.line);
                    let room = WIDTH.saturating_sub(at.chars().count() + 6).max(20);
                    let _ = writeln!(out, "    {}  {}", paint.dim(&at), one_line(l.text.trim(), room));
                }
            }
        }
        if let Some(tl) = report.timeline_of(&t.id) {
            compact_timeline(&mut out, report, tl, paint);
        }
    }
    other_tests(&mut out, report, paint);
    history(&mut out, report, paint);
    run_level(&mut out, report);
    if !report.warnings.is_empty() {
        let _ = writeln!(out, "\n{} ({})", paint.yellow("WARNINGS"), report.warnings.len());
        for w in report.warnings.iter().take(30) {
            let _ = writeln!(out, "  {}", one_line(&w.to_string(), WIDTH - 2));
        }
        if report.warnings.len() > 30 {
            let _ = writeln!(out, "  … {} more (all in --format json)", report.warnings.len() - 30);
        }
    }
    out
}

fn summary_line(out: &mut String, report: &Report, paint: Paint) {
    let s = &report.summary;
    let failed = s.failed + s.errors;
    let verdict = if failed > 0 { paint.red(&format!("{failed} FAILED")) } else { paint.green("ALL PASSED") };
    let _ = writeln!(
        out,
        "{verdict}  {} tests: {} passed, {} failed, {} errors, {} skipped, {} flaky  ({} files, {} events)",
        s.tests,
        s.passed,
        s.failed,
        s.errors,
        s.skipped,
        s.flaky,
        report.files.len(),
        report.events.len()
    );
}

fn diagnosis(out: &mut String, d: &Diagnosis, paint: Paint) {
    let blame = match d.blame {
        Blame::Test => paint.yellow("test"),
        Blame::Product => paint.red("product"),
        Blame::Infrastructure => paint.cyan("infrastructure"),
        Blame::Unknown => "unknown".to_string(),
    };
    let _ = writeln!(
        out,
        "\n  {}  {}  (blame: {blame}, confidence {:.2})",
        paint.bold("ROOT CAUSE"),
        paint.bold(&d.rule),
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
        let _ = writeln!(out, "  {}", paint.bold("EVIDENCE"));
        for e in &d.evidence {
            let at = location(&e.file, e.line);
            let text = e.text.as_deref().unwrap_or("").lines().next().unwrap_or("");
            let room = 96usize.saturating_sub(at.chars().count() + 2).max(20);
            let _ = writeln!(out, "    {}  {}", paint.dim(&at), one_line(text.trim(), room));
            if let Some(t) = &e.test {
                let _ = writeln!(out, "      {}", paint.dim(&format!("in test {}", one_line(&t.name, 80))));
            }
        }
    }
    if !d.symptoms.is_empty() {
        let names: Vec<&str> = d.symptoms.iter().map(|s| s.rule.as_str()).collect();
        let _ = writeln!(out, "  EXPLAINS   {}", names.join(", "));
    }
}

/// The replay in a few lines: what changed, what failed, and where the phases turn; repeated reports of
/// one fact are shown once. The full replay is in the JSON, HTML and the web app.
fn compact_timeline(out: &mut String, report: &Report, tl: &Timeline, paint: Paint) {
    let mut lines: Vec<String> = Vec::new();
    let mut phase = None;
    let mut seen: Vec<(faultline_core::EventKind, String, String)> = Vec::new();
    for step in &tl.steps {
        let Some(e) = report.events.get(step.event) else { continue };
        if !is_telling(e) {
            continue;
        }
        let key = (e.kind, e.field("kind").unwrap_or("").to_string(), describe(e));
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        if phase != Some(step.phase) {
            phase = Some(step.phase);
            lines.push(paint.dim(&format!("  -- {} --", phase_name(step.phase))));
        }
        lines.push(format!("  {}", event_line(e, paint)));
    }
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "  {} ({} steps; the full replay is in --format json or html)",
        paint.bold("TIMELINE"),
        tl.steps.len()
    );
    let extra = lines.len().saturating_sub(TIMELINE_LINES);
    for l in lines.iter().take(TIMELINE_LINES) {
        let _ = writeln!(out, "{l}");
    }
    if extra > 0 {
        let _ = writeln!(out, "  … {extra} more");
    }
}

/// Passed and skipped tests are counted, not listed: a 100k-test run must not scroll the failures away.
fn other_tests(out: &mut String, report: &Report, paint: Paint) {
    let flaky: Vec<_> = report.tests.iter().filter(|t| t.status == TestStatus::Flaky).collect();
    if !flaky.is_empty() {
        let _ = writeln!(out, "\n{} ({}: passed after failing)", paint.yellow("FLAKY"), flaky.len());
        for t in flaky.iter().take(20) {
            let _ = writeln!(out, "  {}", one_line(&t.id, WIDTH - 2));
        }
        if flaky.len() > 20 {
            let _ = writeln!(out, "  … {} more", flaky.len() - 20);
        }
    }
    if report.tests.len() <= 30 {
        let others: Vec<_> =
            report.tests.iter().filter(|t| !t.status.is_failure() && t.status != TestStatus::Flaky).collect();
        if !others.is_empty() {
            let _ = writeln!(out);
            for t in others {
                let status = t.status.as_str().to_uppercase();
                let status = if t.status == TestStatus::Passed {
                    paint.green(&format!("{status:<7}"))
                } else {
                    format!("{status:<7}")
                };
                let _ = writeln!(out, "{status} {}", one_line(&t.id, 92));
            }
        }
    }
}

fn history(out: &mut String, report: &Report, paint: Paint) {
    let Some(h) = &report.history else { return };
    let _ = writeln!(out, "\n{} ({} runs compared)", paint.bold("HISTORY"), h.runs.len());
    if h.new_failures.is_empty() && h.flaky.is_empty() && h.recurring.is_empty() && h.fixed.is_empty() {
        let _ = writeln!(out, "  nothing new, nothing flaky");
    }
    for f in h.new_failures.iter().take(20) {
        let _ = writeln!(
            out,
            "  {}  {} (previously {})",
            paint.red("new  "),
            one_line(&f.test, 70),
            f.previously
        );
    }
    for t in h.fixed.iter().take(20) {
        let _ = writeln!(out, "  {}  {}", paint.green("fixed"), one_line(t, 90));
    }
    for f in h.flaky.iter().take(20) {
        let _ = writeln!(
            out,
            "  {}  {}  {}",
            paint.yellow("flaky"),
            f.history,
            one_line(&f.test, 80usize.saturating_sub(f.history.len()))
        );
    }
    for r in h.recurring.iter().take(20) {
        let _ = writeln!(
            out,
            "  recurring  {} in {} runs since {} ({} tests now)",
            r.rule,
            r.runs,
            one_line(&r.first_seen, 30),
            r.tests.len()
        );
    }
}

fn run_level(out: &mut String, report: &Report) {
    let run_level: Vec<&Event> = report.events.iter().filter(|e| e.test.is_none()).collect();
    if run_level.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nRUN-LEVEL ({} events outside any test)", run_level.len());
    for e in run_level.iter().take(20) {
        let _ = writeln!(out, "  {}", event_line(e, Paint::new(false)));
    }
    if run_level.len() > 20 {
        let _ = writeln!(out, "  … {} more", run_level.len() - 20);
    }
}

/// `name:line`, the file's base name made safe like any artifact text: archive member names come from
/// the archive, and a name can hold escape sequences.
fn location(file: &str, line: u32) -> String {
    format!("{}:{line}", one_line(file.rsplit('/').next().unwrap_or(file), LOCATION_CHARS))
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

fn event_line(e: &Event, paint: Paint) -> String {
    let time = e.time_ms.map(clock).unwrap_or_else(|| "--:--:--.---".into());
    let what = describe(e);
    let at = location(&e.source.file, e.source.line);
    // Two-space indent + 12 (time) + 2 + 16 (type) + 1 + 2 before the location: the rest of 100 columns
    // is for the description.
    let room = WIDTH.saturating_sub(35 + at.chars().count()).max(20);
    format!("{time}  {:<16} {}  {}", e.kind.as_str(), one_line(&what, room), paint.dim(&at))
}

/// One display line: control characters (ANSI escapes included) made visible, never sent raw to a
/// terminal, and long text cut with an ellipsis. `max` counts what is shown, escapes expanded (`\u{1b}`
/// is six columns), so a name full of escapes cannot push a line past the width.
pub fn one_line(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut width = 0usize;
    // Length of `out` at the last point that still leaves a column for the ellipsis.
    let mut room_for_ellipsis = 0usize;
    let mut piece = String::new();
    for ch in s.chars() {
        piece.clear();
        match ch {
            '\n' | '\r' | '\t' => piece.push(' '),
            c if c.is_control() || faultline_core::export::escape::is_bidi_control(c) => {
                piece.extend(c.escape_default())
            }
            c => piece.push(c),
        }
        let w = piece.chars().count();
        if width + w > max {
            out.truncate(room_for_ellipsis);
            out.push('…');
            return out;
        }
        out.push_str(&piece);
        width += w;
        if width < max {
            room_for_ellipsis = out.len();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_counts_escapes_in_its_width() {
        assert_eq!(one_line("plain", 10), "plain");
        assert_eq!(one_line("abcdefghijk", 10), "abcdefghi…");
        assert_eq!(one_line("a\nb\tc", 10), "a b c");
        let esc = one_line("\u{1b}]0;pwned\u{7}\u{1b}[2J", 20);
        assert_eq!(esc, "\\u{1b}]0;pwned\\u{7}…");
        assert!(esc.chars().count() <= 20 && !esc.contains('\u{1b}'));
        assert_eq!(one_line("\u{9b}31m", 20), "\\u{9b}31m");
        let at = location(&format!("b.zip!/{}", "\u{1b}[2J".repeat(20)), 7);
        assert!(at.chars().count() <= 42 && at.ends_with("…:7"), "{at}");
    }
}
