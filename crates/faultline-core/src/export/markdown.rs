//! GitHub-flavoured Markdown for `$GITHUB_STEP_SUMMARY` and pull-request comments: a summary table, then
//! one collapsible section per failed test with its root cause, evidence and compact timeline.
//!
//! Test names and log lines are written by whoever opens a pull request, so nothing from an artifact is
//! ever interpreted: inline text is entity- and backslash-escaped (and `@` defused so a test name cannot
//! mention people), code blocks use a fence longer than any backtick run inside them. The output is cut
//! to a byte budget (GitHub rejects step summaries over 1 MiB and comments over 65,536 characters) with
//! a line saying what was left out.

use std::fmt::Write;

use crate::analyze::Analysis;
use crate::export::describe::{clock, describe, is_telling, phase_name};
use crate::export::{clip, escape};
use crate::model::TestCase;
use crate::report::Report;
use crate::rules::Diagnosis;

/// Just under GitHub's 1 MiB step-summary limit.
pub const STEP_SUMMARY_BYTES: usize = 1_000_000;
/// GitHub's limit for an issue or pull-request comment, in characters; bytes are a safe bound.
pub const COMMENT_BYTES: usize = 65_000;

/// Rows in the failure table; the sections below carry the rest.
const TABLE_ROWS: usize = 100;
/// Timeline lines per test.
const TIMELINE_LINES: usize = 16;
/// Characters of one artifact line in a code block.
const LINE_CHARS: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkdownOptions {
    pub max_bytes: usize,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions { max_bytes: STEP_SUMMARY_BYTES }
    }
}

pub fn render(analysis: &Analysis, options: &MarkdownOptions) -> String {
    let report = &analysis.report;
    let failed: Vec<&TestCase> = report.tests.iter().filter(|t| t.status.is_failure()).collect();
    let mut out = String::new();
    header(&mut out, report, failed.len());
    failure_table(&mut out, report, &failed);

    // Closing parts are rendered first so that their size is reserved out of the budget.
    let mut tail = String::new();
    history(&mut tail, report);
    clusters(&mut tail, report);
    warnings(&mut tail, report);
    let _ = writeln!(
        tail,
        "\n<sub>faultline {} · everything was analysed locally</sub>",
        env!("CARGO_PKG_VERSION")
    );

    let reserve = tail.len() + 400;
    let mut shown = 0;
    for t in &failed {
        let mut section = String::new();
        test_section(&mut section, report, t);
        if out.len() + section.len() + reserve > options.max_bytes {
            break;
        }
        out.push_str(&section);
        shown += 1;
    }
    if shown < failed.len() {
        let _ = writeln!(
            out,
            "\n> {} more failed test{} not shown here (size limit); the JSON and HTML reports have them all.",
            failed.len() - shown,
            if failed.len() - shown == 1 { " is" } else { "s are" }
        );
    }
    if out.len() + tail.len() <= options.max_bytes {
        out.push_str(&tail);
    }
    out
}

fn header(out: &mut String, report: &Report, failed: usize) {
    let s = &report.summary;
    let title = if failed == 0 {
        format!("✅ faultline: all {} tests passed", s.tests - s.skipped)
    } else {
        format!("❌ faultline: {failed} of {} tests failed", s.tests)
    };
    let _ = writeln!(out, "## {title}\n");
    let _ = writeln!(out, "| Tests | Passed | Failed | Errors | Skipped | Flaky | Diagnosed |");
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|");
    let diagnosed = report.diagnoses.iter().filter(|d| d.rule != crate::rules::UNCLASSIFIED).count();
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {diagnosed} |",
        s.tests, s.passed, s.failed, s.errors, s.skipped, s.flaky
    );
}

fn failure_table(out: &mut String, report: &Report, failed: &[&TestCase]) {
    if failed.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n| Failed test | Root cause | Blame | Confidence |");
    let _ = writeln!(out, "|---|---|---|---:|");
    for t in failed.iter().take(TABLE_ROWS) {
        let (rule, blame, conf) = match report.diagnosis(&t.id) {
            Some(d) => (format!("`{}`", d.rule), d.blame.as_str(), super::decimal::fixed(d.confidence, 2)),
            None => ("—".into(), "—", "—".into()),
        };
        let _ = writeln!(out, "| {} | {rule} | {blame} | {conf} |", inline(&t.name, 120));
    }
    if failed.len() > TABLE_ROWS {
        let _ = writeln!(out, "\n_…and {} more failed tests._", failed.len() - TABLE_ROWS);
    }
}

fn test_section(out: &mut String, report: &Report, t: &TestCase) {
    let d = report.diagnosis(&t.id);
    let label = match d {
        Some(d) => {
            format!(" — {} (blame: {}, {})", d.rule, d.blame.as_str(), super::decimal::fixed(d.confidence, 2))
        }
        None => String::new(),
    };
    // A <summary> is an HTML block: Markdown is not interpreted there, so HTML escaping is the right one.
    let _ = writeln!(
        out,
        "\n<details><summary><b>{}</b>{}</summary>\n",
        html_text(&clip(&t.name, 200)),
        html_text(&label)
    );
    let _ = writeln!(out, "**Test:** {}  ", inline(&t.id, 300));
    if let Some(m) = &t.message {
        let _ = writeln!(out, "**Failure:** {}\n", inline(m, 400));
    }
    if let Some(d) = d {
        diagnosis(out, d);
    }
    timeline(out, report, &t.id);
    baseline_lines(out, report, &t.id);
    let _ = writeln!(out, "\n</details>");
}

fn diagnosis(out: &mut String, d: &Diagnosis) {
    let _ = writeln!(out, "**Root cause** `{}`: {}\n", d.rule, inline(&d.summary, 2000));
    if !d.fix.is_empty() {
        let _ = writeln!(out, "**Fix:** {}\n", inline(&d.fix, 2000));
    }
    if !d.evidence.is_empty() {
        let _ = writeln!(out, "**Evidence**\n");
        let mut block = String::new();
        for e in &d.evidence {
            let text = e.text.as_deref().unwrap_or("");
            let first = text.lines().next().unwrap_or("");
            // One line: a test name with a line break must not end the evidence line.
            let whose = e.test.as_ref().map_or(String::new(), |t| {
                format!(" in test {}", clip(&t.name.replace(char::is_control, " "), 200))
            });
            let _ = writeln!(block, "{}:{}  [{}]{whose}", e.file, e.line, e.role);
            let _ = writeln!(block, "    {}", clip(first.trim(), LINE_CHARS));
        }
        code_block(out, &block);
    }
    if !d.symptoms.is_empty() {
        let names: Vec<String> = d.symptoms.iter().map(|s| format!("`{}`", s.rule)).collect();
        let _ = writeln!(out, "Also explains: {}\n", names.join(", "));
    }
}

fn timeline(out: &mut String, report: &Report, test: &str) {
    let Some(tl) = report.timeline_of(test) else { return };
    let mut lines = Vec::new();
    let mut phase = None;
    for step in &tl.steps {
        let Some(e) = report.events.get(step.event) else { continue };
        if !is_telling(e) {
            continue;
        }
        if phase != Some(step.phase) {
            phase = Some(step.phase);
            lines.push(format!("-- {} --", phase_name(step.phase)));
        }
        let time = e.time_ms.map(clock).unwrap_or_else(|| "--:--:--.---".into());
        lines.push(format!(
            "{time}  {:<16} {}  {}:{}",
            e.kind.as_str(),
            clip(&describe(e), 90),
            e.source.file,
            e.source.line
        ));
    }
    if lines.is_empty() {
        return;
    }
    let more = lines.len().saturating_sub(TIMELINE_LINES);
    lines.truncate(TIMELINE_LINES);
    if more > 0 {
        lines.push(format!("… {more} more"));
    }
    let _ = writeln!(out, "**Timeline** ({} steps in the replay)\n", tl.steps.len());
    code_block(out, &(lines.join("\n") + "\n"));
}

fn baseline_lines(out: &mut String, report: &Report, test: &str) {
    let Some(b) = &report.baseline else { return };
    let lines: Vec<_> = b.top.iter().filter(|l| l.test.as_deref() == Some(test)).take(10).collect();
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "**New since the passing run** (not in its logs after normalisation)\n");
    let mut block = String::new();
    for l in lines {
        let times = if l.count > 1 { format!("  (×{})", l.count) } else { String::new() };
        let _ = writeln!(block, "{}:{}{times}\n    {}", l.file, l.line, clip(l.text.trim(), LINE_CHARS));
    }
    code_block(out, &block);
}

fn history(out: &mut String, report: &Report) {
    let Some(h) = &report.history else { return };
    if h.flaky.is_empty() && h.new_failures.is_empty() && h.recurring.is_empty() && h.fixed.is_empty() {
        let _ = writeln!(out, "\n**History** ({} runs): nothing new, nothing flaky.", h.runs.len());
        return;
    }
    let _ = writeln!(out, "\n### History ({} runs, oldest first)\n", h.runs.len());
    if !h.new_failures.is_empty() {
        let _ = writeln!(out, "**New failures:** {}\n", list(h.new_failures.iter().map(|f| f.test.as_str())));
    }
    if !h.fixed.is_empty() {
        let _ = writeln!(out, "**Fixed since the last run:** {}\n", list(h.fixed.iter().map(String::as_str)));
    }
    if !h.flaky.is_empty() {
        let _ = writeln!(out, "| Flaky test | Outcomes | Flips | Retries now |\n|---|---|---:|---:|");
        for f in h.flaky.iter().take(TABLE_ROWS) {
            let _ =
                writeln!(out, "| {} | `{}` | {} | {} |", inline(&f.test, 120), f.history, f.flips, f.retries);
        }
        out.push('\n');
    }
    if !h.recurring.is_empty() {
        let _ = writeln!(out, "| Recurring failure | Runs | First seen | Tests now |\n|---|---:|---|---:|");
        for r in h.recurring.iter().take(TABLE_ROWS) {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                r.rule,
                r.runs,
                inline(&r.first_seen, 60),
                r.tests.len()
            );
        }
    }
}

fn clusters(out: &mut String, report: &Report) {
    let big: Vec<_> = report.clusters.iter().filter(|c| c.members.len() > 1).collect();
    if big.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n### The same failure in several tests\n");
    let _ = writeln!(out, "| Tests | Rule | Sample |\n|---:|---|---|");
    for c in big.iter().take(TABLE_ROWS) {
        let rule =
            c.members.first().and_then(|&m| report.diagnoses.get(m)).map(|d| d.rule.as_str()).unwrap_or("");
        let _ = writeln!(out, "| {} | `{rule}` | {} |", c.members.len(), inline(&c.sample, 160));
    }
}

fn warnings(out: &mut String, report: &Report) {
    if report.warnings.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n<details><summary>{} input warnings</summary>\n", report.warnings.len());
    let mut block = String::new();
    for w in report.warnings.iter().take(50) {
        let _ = writeln!(block, "{}", clip(&w.to_string(), LINE_CHARS));
    }
    if report.warnings.len() > 50 {
        let _ = writeln!(block, "… {} more", report.warnings.len() - 50);
    }
    code_block(out, &block);
    let _ = writeln!(out, "</details>");
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.collect();
    let mut s: Vec<String> = items.iter().take(20).map(|t| inline(t, 120)).collect();
    if items.len() > 20 {
        s.push(format!("and {} more", items.len() - 20));
    }
    s.join(", ")
}

/// Artifact text for a table cell or paragraph: one line, no HTML, no Markdown syntax, no mentions.
pub fn inline(text: &str, max_chars: usize) -> String {
    let text = escape::control(&clip(text, max_chars));
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '|' => out.push_str("\\|"),
            '@' => out.push_str("@\u{200b}"),
            '\n' | '\r' => out.push(' '),
            // Inline text never starts a line, so list and heading markers need no escape; these are the
            // characters that act mid-line (emphasis, code, links, strike-through).
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Artifact text inside an HTML block (`<summary>`): escaped for HTML, and the characters Markdown would
/// act on if a renderer did look inside written as entities, `@` defused as in [`inline`].
fn html_text(text: &str) -> String {
    let mut out = String::new();
    for c in escape::html(&escape::control(text)).chars() {
        match c {
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '*' => out.push_str("&#42;"),
            '_' => out.push_str("&#95;"),
            '`' => out.push_str("&#96;"),
            '@' => out.push_str("@\u{200b}"),
            c => out.push(c),
        }
    }
    out
}

/// A fenced block whose fence is longer than any run of backticks inside, so no line can close it.
fn code_block(out: &mut String, body: &str) {
    let body = body.lines().map(escape::control).collect::<Vec<_>>().join("\n");
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(out, "{fence}text\n{body}\n{fence}\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalyzeOptions, InputFile, analyze};

    const HOSTILE: &str = r#"<testsuite name="s">
  <testcase classname="s" name="&lt;img src=x onerror=alert(1)&gt; @octo/team | [x](javascript:alert(1))" time="1">
    <failure message="&lt;/details&gt;&lt;script&gt;alert(2)&lt;/script&gt; ```">```
&lt;/details&gt;
</failure>
  </testcase>
</testsuite>"#;

    fn md(xml: &str, max: usize) -> String {
        let a = analyze(vec![InputFile::new("j.xml", xml)], &AnalyzeOptions::default());
        render(&a, &MarkdownOptions { max_bytes: max })
    }

    /// The document outside fenced code blocks (whose content is never interpreted).
    fn outside_code(md: &str) -> String {
        let mut out = String::new();
        let mut fence: Option<String> = None;
        for line in md.lines() {
            let ticks: String = line.chars().take_while(|&c| c == '`').collect();
            match &fence {
                Some(f) if line.trim_end() == f => fence = None,
                Some(_) => {}
                None if ticks.len() >= 3 => fence = Some(ticks),
                None => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out
    }

    #[test]
    fn artifact_text_never_becomes_markup() {
        let full = md(HOSTILE, STEP_SUMMARY_BYTES);
        assert!(full.contains("<script>alert(2)</script>"), "shown verbatim in a code block: {full}");
        let out = outside_code(&full);
        assert!(!out.contains("<img"), "{out}");
        assert!(!out.contains("<script"), "{out}");
        // Brackets are escaped wherever Markdown is interpreted, so no link can form.
        let unescaped = out.replace("\\[", "").replace("\\]", "").replace("&#91;", "").replace("&#93;", "");
        assert!(!unescaped.contains('[') && !unescaped.contains(']'), "{out}");
        assert!(!out.contains("@octo"), "mention kept: {out}");
        // The only raw </details> are ours: one per failed test section.
        assert_eq!(out.matches("</details>").count(), 1, "{out}");
        // Table rows keep their column count despite the `|` in the name.
        let row = out.lines().find(|l| l.contains("onerror")).unwrap_or_default();
        assert_eq!(row.matches(" | ").count(), 3, "{row}");
    }

    #[test]
    fn fences_outgrow_backticks_inside() {
        let mut out = String::new();
        code_block(&mut out, "a ``` b ```` c\n");
        assert!(out.starts_with("`````text\n"), "{out}");
    }

    #[test]
    fn the_budget_is_kept_and_what_was_cut_is_said() {
        let mut xml = String::from("<testsuite name=\"s\">\n");
        for i in 0..400 {
            xml.push_str(&format!(
                "<testcase classname=\"s\" name=\"t{i}\"><failure message=\"boom {i}\">{}</failure></testcase>\n",
                "x".repeat(300)
            ));
        }
        xml.push_str("</testsuite>\n");
        let out = md(&xml, COMMENT_BYTES);
        assert!(out.len() <= COMMENT_BYTES, "{}", out.len());
        assert!(out.contains("more failed tests are not shown"), "{out}");
        assert!(out.contains("_…and 300 more failed tests._"));
    }
}
