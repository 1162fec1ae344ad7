//! GitHub Actions workflow commands: one `::error` annotation per failed test, with the root cause in
//! its title and the evidence in its message.
//!
//! GitHub shows at most 10 annotations of each level per step (and 50 per job), silently dropping the
//! rest, so the most useful ones go first (diagnosed failures by confidence, then the others) and,
//! when there are more, a `::notice` says how many were left out and where to find them. Artifact text
//! is encoded as the runner requires (`%`, CR, LF, and in properties `:` and `,`), so a test name can
//! neither end the command early nor start a new one.

use std::fmt::Write;

use crate::analyze::Analysis;
use crate::export::{clip, escape};
use crate::model::{TestCase, TestStatus};
use crate::rules::{Diagnosis, UNCLASSIFIED};

/// Annotations of one level GitHub shows per step.
pub const PER_LEVEL: usize = 10;
/// Characters of an annotation message; longer ones are cut by GitHub anyway.
const MESSAGE_CHARS: usize = 3000;

pub fn render(analysis: &Analysis) -> String {
    let report = &analysis.report;
    let mut failed: Vec<(&TestCase, Option<&Diagnosis>)> =
        report.tests.iter().filter(|t| t.status.is_failure()).map(|t| (t, report.diagnosis(&t.id))).collect();
    // Diagnosed failures first, most certain first; file order otherwise (the sort is stable).
    crate::sort::sort_by(&mut failed, |(_, a), (_, b)| {
        let key = |d: &Option<&Diagnosis>| match d {
            Some(d) if d.rule != UNCLASSIFIED => -d.confidence,
            _ => 1.0,
        };
        key(a).total_cmp(&key(b))
    });

    let mut out = String::new();
    for (t, d) in failed.iter().take(PER_LEVEL) {
        let title = match d {
            Some(d) if d.rule != UNCLASSIFIED => {
                format!("{}: {} (blame: {})", t.name, d.rule, d.blame.as_str())
            }
            _ => format!("{} failed", t.name),
        };
        let mut props = vec![];
        if let Some(file) = &t.file_attr {
            props.push(format!("file={}", property(file)));
        }
        props.push(format!("title={}", property(&title)));
        let _ = writeln!(out, "::error {}::{}", props.join(","), data(&message(t, *d)));
    }
    if failed.len() > PER_LEVEL {
        let _ = writeln!(
            out,
            "::notice title=faultline::{}",
            data(&format!(
                "{} more failed tests are not annotated (GitHub shows {PER_LEVEL} per step); \
                 the step summary (--format markdown) and the HTML report list them all.",
                failed.len() - PER_LEVEL
            ))
        );
    }

    let mut flaky: Vec<String> =
        report.tests.iter().filter(|t| t.status == TestStatus::Flaky).map(|t| t.id.clone()).collect();
    if let Some(h) = &report.history {
        for f in &h.flaky {
            if !flaky.contains(&f.test) {
                flaky.push(f.test.clone());
            }
        }
    }
    for id in flaky.iter().take(PER_LEVEL) {
        let history = report
            .history
            .as_ref()
            .and_then(|h| h.flaky.iter().find(|f| &f.test == id))
            .map(|f| format!(" Outcomes over the last runs, oldest first: {}.", f.history))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "::warning title={}::{}",
            property(&format!("Flaky: {id}")),
            data(&format!("{id} passed only after failing, or flips between runs.{history}"))
        );
    }
    if flaky.len() > PER_LEVEL {
        let _ = writeln!(out, "::notice title=faultline::{} more flaky tests.", flaky.len() - PER_LEVEL);
    }
    out
}

fn message(t: &TestCase, d: Option<&Diagnosis>) -> String {
    let mut m = String::new();
    match d {
        Some(d) => {
            let _ = writeln!(m, "{}", d.summary);
            if !d.fix.is_empty() {
                let _ = writeln!(m, "Fix: {}", d.fix);
            }
            if !d.evidence.is_empty() {
                let _ = writeln!(m, "Evidence:");
                for e in &d.evidence {
                    let text = e.text.as_deref().and_then(|t| t.lines().next()).unwrap_or("").trim();
                    let _ = writeln!(m, "  {}:{}  {}", e.file, e.line, clip(text, 200));
                }
            }
        }
        None => {
            let _ = writeln!(m, "{}", t.message.as_deref().unwrap_or("failed"));
        }
    }
    clip(m.trim_end(), MESSAGE_CHARS).into_owned()
}

/// The runner's encoding for a command's data (after `::`).
fn data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if c.is_control() || escape::is_bidi_control(c) => {
                out.push_str(&escape::control(&c.to_string()))
            }
            c => out.push(c),
        }
    }
    out
}

/// The runner's encoding for a property value (`title=`, `file=`).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #[test]
    fn bidi_controls_are_shown_in_annotations() {
        assert_eq!(super::data("a\u{202E}b"), "a[U+202E]b");
    }

    use super::*;
    use crate::{AnalyzeOptions, InputFile, analyze};

    fn run(xml: &str) -> String {
        render(&analyze(vec![InputFile::new("j.xml", xml)], &AnalyzeOptions::default()))
    }

    #[test]
    fn encodes_so_text_cannot_break_out() {
        let out = run(r#"<testsuite name="s"><testcase classname="s" name="a,b:c%d" file="tests/x.py">
            <failure message="line1&#10;::warning::injected&#13;50%">t</failure></testcase></testsuite>"#);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{out}");
        assert!(lines[0].starts_with("::error file=tests/x.py,title=a%2Cb%3Ac%25d failed::"), "{out}");
        assert!(lines[0].contains("line1%0A::warning::injected%0D50%25"), "{out}");
    }

    #[test]
    fn caps_at_ten_and_says_how_many_more() {
        let mut xml = String::from("<testsuite name=\"s\">");
        for i in 0..25 {
            xml.push_str(&format!(
                "<testcase classname=\"s\" name=\"t{i}\"><failure message=\"m\"/></testcase>"
            ));
        }
        xml.push_str(
            "<testcase classname=\"s\" name=\"f\"><flakyFailure message=\"once\"/></testcase></testsuite>",
        );
        let out = run(&xml);
        assert_eq!(out.lines().filter(|l| l.starts_with("::error ")).count(), PER_LEVEL);
        assert!(out.contains("::notice title=faultline::15 more failed tests are not annotated"), "{out}");
        assert_eq!(out.lines().filter(|l| l.starts_with("::warning ")).count(), 1, "{out}");
    }
}
