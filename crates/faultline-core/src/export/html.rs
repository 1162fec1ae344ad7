//! The self-contained HTML report: one file that opens from `file://`, loads nothing and runs nothing.
//!
//! Safety: every string from an artifact (test names, ids, messages, log lines, file names, event fields,
//! warnings) goes through `text`, which clips it and escapes it with [`escape::html`]; artifact text only
//! ever lands in element content, never in a tag or attribute name, an attribute value, a URL, `<style>`
//! or `<script>`. Class names, anchors and links are built from the report's own enums and indexes. On top
//! of that the page carries a Content-Security-Policy that allows nothing but its one `<style>` element
//! (by hash): no script of any origin, no style attribute, no image, font, frame or connection.
//!
//! Scale: failed tests come first, each with its diagnosis card, evidence in context and replay; every
//! other test is one table row, in closed `<details>` chunks of [`CHUNK`] rows that the browser neither
//! lays out nor paints until opened (`content-visibility: auto`), so a 100,000-test run stays usable.

use std::fmt::Write;

use crate::analyze::Analysis;
use crate::event::{Event, EventKind};
use crate::export::describe::{clock, describe_full as describe, phase_name};
use crate::export::excerpt::excerpt;
use crate::export::{clip, escape};
use crate::fast_hash::{FastMap, FastSet};
use crate::model::{TestCase, TestStatus};
use crate::replay::{Existence, ObjectState, Phase, Timeline};
use crate::report::{FileKind, Report};
use crate::rules::{Blame, Diagnosis, Evidence};

/// Rows per collapsed chunk of tests, files, warnings or replay steps.
pub const CHUNK: usize = 500;
/// Longest artifact string shown; longer ones are cut with "…" (the JSON report has them whole).
pub const MAX_TEXT: usize = 2000;
/// Failed tests rendered with their full card; any beyond are listed one row each.
pub const FULL_CARDS: usize = 500;
/// Context lines shown either side of a cited line.
pub const EXCERPT_RADIUS: u32 = 3;
/// Replay steps shown per test; the rest are counted.
const MAX_STEPS: usize = 5000;
/// Changes listed per object in the end-state table.
const MAX_HISTORY: usize = 24;
/// Test links listed per failure cluster.
const MAX_CLUSTER_LINKS: usize = 50;
/// Failure elements (`<failure>`, reruns…) shown per test.
const MAX_FAILURES: usize = 5;
/// Shorter limits for one-line cells.
const NAME_CHARS: usize = 500;
const CELL_CHARS: usize = 300;

/// The page's only style sheet. Its sha256 goes into the Content-Security-Policy, so it is a constant:
/// nothing from an artifact can ever be part of it.
const CSS: &str = r#"
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;
--code:#eff2f5;--mark:#fff5b1;--mark-edge:#d4a72c;--red:#cf222e;--red-bg:#ffebe9;--green:#1a7f37;
--green-bg:#dafbe1;--amber:#9a6700;--amber-bg:#fff8c5;--blue:#0969da;--blue-bg:#ddf4ff;--grey-bg:#eaeef2;
--violet:#8250df;--violet-bg:#fbefff;--mono:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,
"Liberation Mono","DejaVu Sans Mono",monospace}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;
--panel:#151b23;--code:#1f2630;--mark:#3d3000;--mark-edge:#bb8009;--red:#ff7b72;--red-bg:#3c1618;
--green:#3fb950;--green-bg:#12261e;--amber:#d29922;--amber-bg:#2e2108;--blue:#58a6ff;--blue-bg:#121d2f;
--grey-bg:#212830;--violet:#bc8cff;--violet-bg:#251a3a}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--fg)}
body{margin:0 auto;max-width:1280px;padding:16px 20px 40px;font:14px/1.45 system-ui,-apple-system,
"Segoe UI",Roboto,"Noto Sans","Liberation Sans",sans-serif;overflow-wrap:anywhere}
h1{font-size:20px;margin:0 0 8px}
h2{font-size:16px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:14px;margin:16px 0 6px}
h4{font-size:12px;margin:14px 0 4px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
p{margin:4px 0}
a{color:var(--blue)}
code,pre,.mono{font-family:var(--mono);font-size:12.5px}
code{background:var(--code);border-radius:4px;padding:0 3px}
pre{margin:4px 0;padding:8px 10px;background:var(--panel);border:1px solid var(--line);border-radius:6px;
white-space:pre-wrap;overflow-wrap:anywhere;max-height:32em;overflow:auto}
.muted{color:var(--muted)}
header{border-bottom:1px solid var(--line);padding-bottom:10px}
.counts{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:6px 0}
.pill{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12.5px;font-weight:600;
border:1px solid transparent;white-space:nowrap}
.total{font-weight:600;font-size:15px;margin-right:4px}
.zero{opacity:.45}
.s-passed{color:var(--green);background:var(--green-bg)}
.s-failed,.s-error{color:var(--red);background:var(--red-bg)}
.s-skipped{color:var(--muted);background:var(--grey-bg)}
.s-flaky{color:var(--amber);background:var(--amber-bg)}
nav{margin-top:6px;font-size:13px}
nav a{margin-right:12px}
details>summary{cursor:pointer}
details.test{border:1px solid var(--line);border-left:4px solid var(--red);border-radius:6px;margin:10px 0;
background:var(--bg)}
details.test>summary{padding:8px 12px;background:var(--panel);border-radius:6px 6px 0 0;
display:list-item}
details.test:not([open])>summary{border-radius:6px}
.tname{font-weight:600}
table.list .tname{font-weight:500}
.tsuite{color:var(--muted);font-size:12.5px;margin-left:6px}
.tbody{padding:6px 14px 12px}
.msg{font-family:var(--mono);font-size:12.5px;color:var(--red);margin:6px 0}
.facts{color:var(--muted);font-size:12.5px}
.facts span+span::before{content:" · "}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:10px 0;background:var(--panel)}
.card.b-test{border-left:4px solid var(--violet)}
.card.b-product{border-left:4px solid var(--red)}
.card.b-infrastructure{border-left:4px solid var(--amber)}
.card.b-unknown{border-left:4px solid var(--muted)}
.card .head{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:4px}
.rule{font-weight:700;font-size:14px;background:none;padding:0}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;
white-space:nowrap}
.badge.b-test{color:var(--violet);background:var(--violet-bg)}
.badge.b-product{color:var(--red);background:var(--red-bg)}
.badge.b-infrastructure{color:var(--amber);background:var(--amber-bg)}
.badge.b-unknown{color:var(--muted);background:var(--grey-bg)}
.conf{color:var(--muted);font-size:12.5px}
.summary{margin:6px 0}
.fix{margin:6px 0;padding:6px 10px;border-radius:4px;background:var(--green-bg)}
.fix b{color:var(--green)}
ul.symptoms{margin:4px 0;padding-left:20px}
figure.ev{margin:6px 0 10px;border:1px solid var(--line);border-radius:6px;overflow:hidden}
figure.ev figcaption{padding:3px 10px;background:var(--panel);border-bottom:1px solid var(--line);
font-size:12.5px;display:flex;flex-wrap:wrap;gap:10px}
.loc{font-family:var(--mono);font-size:12px;font-weight:600}
table{border-collapse:collapse;width:100%}
table.list,table.steps,table.objects{table-layout:fixed}
col.w-n{width:5.5em}col.w-s{width:7em}col.w-num{width:6.5em}col.w-time{width:7.5em}col.w-clock{width:9em}
col.w-rule{width:16em}col.w-fp{width:8.5em}col.w-kind{width:10.5em}col.w-ns{width:9em}col.w-plane{width:7em}
col.w-state{width:11em}col.w-loc{width:14em}col.w-wide{width:19em}col.w-ph{width:8.5em}col.w-q{width:22%}col.w-third{width:33%}
th,td{text-align:left;vertical-align:top;padding:2px 8px}
th{font-size:12px;color:var(--muted);font-weight:600;border-bottom:1px solid var(--line);
background:var(--panel)}
table.excerpt td{font-family:var(--mono);font-size:12.5px;white-space:pre-wrap;padding:0 8px;
line-height:1.5}
table.excerpt td.n{width:1%;white-space:nowrap;text-align:right;color:var(--muted);user-select:none;
border-right:1px solid var(--line)}
table.excerpt tr.cited td{background:var(--mark)}
table.excerpt tr.cited td.n{color:var(--fg);font-weight:700;box-shadow:inset 3px 0 var(--mark-edge)}
table.list td,table.steps td,table.objects td{border-bottom:1px solid var(--line)}
table.list td,table.steps td{padding:1px 8px}
td.num,th.num{text-align:right;white-space:nowrap;width:1%;font-variant-numeric:tabular-nums}
td.nw{white-space:nowrap;width:1%}
table.steps{font-size:13px}
table.steps td.t,table.steps td.k{font-family:var(--mono);font-size:12px;white-space:nowrap;overflow:hidden;
text-overflow:ellipsis}
td.loc{font-family:var(--mono);font-size:12px;font-weight:400;color:var(--muted)}
table.steps tr.quiet td{color:var(--muted)}
table.steps tr.hot td.k,table.steps tr.hot td.w{color:var(--red);font-weight:600}
table.steps tr.fault td.k,table.steps tr.fault td.w{color:var(--violet);font-weight:600}
table.steps tr.turn td{border-top:2px solid var(--line)}
td.ph{font-size:12px;font-weight:600;border-left:4px solid var(--line)}
.p-setup td.ph{border-left-color:var(--muted)}
.p-fault td.ph{border-left-color:var(--violet);color:var(--violet)}
.p-wait td.ph{border-left-color:var(--amber);color:var(--amber)}
.p-verify td.ph{border-left-color:var(--blue);color:var(--blue)}
.p-teardown td.ph{border-left-color:var(--muted);color:var(--muted)}
table.steps tr.gap td{background:var(--amber-bg);color:var(--amber);font-size:12px;font-style:italic;
text-align:center}
.x{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;white-space:nowrap}
.x-exists{color:var(--green);background:var(--green-bg)}
.x-deleted{color:var(--red);background:var(--red-bg)}
.x-recreated{color:var(--amber);background:var(--amber-bg)}
.hist{font-size:12px;color:var(--muted)}
.hist .x{font-weight:500}
.ch{white-space:nowrap}
.about{color:var(--muted);font-size:12px}
details.chunk{content-visibility:auto;contain-intrinsic-size:auto 2em;border:1px solid var(--line);
border-radius:4px;margin:3px 0}
details.chunk>summary{padding:3px 10px;background:var(--panel);font-size:13px}
details.chunk[open]>summary{border-bottom:1px solid var(--line)}
details.box{border:1px solid var(--line);border-radius:6px;margin:8px 0}
details.box>summary{padding:5px 10px;background:var(--panel);border-radius:6px;font-weight:600}
details.box[open]>summary{border-bottom:1px solid var(--line);border-radius:6px 6px 0 0}
details.box>.inner{padding:6px 10px}
details.sub{margin:4px 0}
details.sub>summary{font-size:12.5px;color:var(--muted)}
.empty{color:var(--muted);font-style:italic}
footer{margin-top:32px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
@media print{details.chunk{content-visibility:visible}}
"#;

/// The hash source of the style sheet for the Content-Security-Policy: `'sha256-<base64>'`.
/// Written out rather than computed: the style sheet is a constant, and hashing it at run time put
/// SHA-256 and a base64 encoder into the browser package. A test recomputes it (and prints the new
/// value when the style sheet changes).
pub const STYLE_HASH: &str = "'sha256-MoSLqNKzg6pdcP2tgdDdQoSBOKd/nR9yHAdPehXZ2eo='";

/// The page's Content-Security-Policy: nothing may load or run; only the page's own `<style>` applies.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src {}; script-src 'none'; img-src 'none'; font-src 'none'; \
         connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; worker-src 'none'; \
         manifest-src 'none'; base-uri 'none'; form-action 'none'",
        STYLE_HASH
    )
}

/// The whole report as one HTML5 document.
pub fn render(analysis: &Analysis) -> String {
    let mut page = String::with_capacity(64 * 1024 + analysis.report.tests.len() * 120);
    render_into(analysis, &mut page);
    page
}

/// [`render`] written into `sink` as it is rendered, so a front end streams a 100k-test page to its
/// file instead of holding it whole (20 MB on the bench's 100k cases). A sink that fails stops the
/// rendering's output at the first error, which is returned.
pub fn write(analysis: &Analysis, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut io = IoSink { inner: sink, buf: Vec::with_capacity(IO_CHUNK), error: None };
    render_into(analysis, &mut io);
    io.flush();
    io.error.map_or(Ok(()), Err)
}

/// Bytes gathered before they are handed to the writer: the renderer writes many short pieces, and
/// one call through `dyn io::Write` each made streaming slower than building the whole string.
const IO_CHUNK: usize = 64 * 1024;

/// Adapts an `io::Write` to the renderer's `fmt::Write` in chunks of [`IO_CHUNK`], keeping the first
/// error.
struct IoSink<'a> {
    inner: &'a mut dyn std::io::Write,
    buf: Vec<u8>,
    error: Option<std::io::Error>,
}

impl IoSink<'_> {
    fn flush(&mut self) {
        if self.error.is_none()
            && !self.buf.is_empty()
            && let Err(e) = self.inner.write_all(&self.buf)
        {
            self.error = Some(e);
        }
        self.buf.clear();
    }
}

impl std::fmt::Write for IoSink<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.buf.len() + s.len() > IO_CHUNK {
            self.flush();
        }
        if self.error.is_some() {
            return Err(std::fmt::Error);
        }
        self.buf.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// What the renderer writes into: any `fmt::Write`. Write errors are the sink's to report (see
/// [`IoSink`]); the renderer just stops producing output into a failed sink.
struct Out<'a> {
    sink: &'a mut dyn Write,
    failed: bool,
}

impl Out<'_> {
    fn push_str(&mut self, s: &str) {
        if !self.failed && self.sink.write_str(s).is_err() {
            self.failed = true;
        }
    }

    fn push(&mut self, c: char) {
        if !self.failed && self.sink.write_char(c).is_err() {
            self.failed = true;
        }
    }
}

impl Write for Out<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.push_str(s);
        if self.failed { Err(std::fmt::Error) } else { Ok(()) }
    }
}

fn render_into(analysis: &Analysis, sink: &mut dyn Write) {
    let out = &mut Out { sink, failed: false };
    let report = &analysis.report;
    let s = &report.summary;
    let failing = s.failed + s.errors;
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        content_security_policy()
    );
    out.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"generator\" content=\"faultline\">\n",
    );
    let _ = writeln!(
        out,
        "<title>faultline report: {} of {} tests failed</title>",
        num(failing as usize),
        num(s.tests as usize)
    );
    out.push_str("<style>");
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n");

    header(out, report);
    out.push_str("<main>\n");
    failures(out, analysis);
    clusters(out, report);
    history(out, report);
    other_tests(out, report);
    warnings(out, report);
    out.push_str("</main>\n<footer>Generated by faultline from the artifacts listed above (schema ");
    text(out, &report.schema);
    out.push_str(
        "). This page is self-contained: it loads nothing and runs no script. The JSON report \
         (<code>--format json</code>) has every event.</footer>\n</body>\n</html>\n",
    );
}

fn header(out: &mut Out<'_>, report: &Report) {
    let s = &report.summary;
    out.push_str("<header>\n<h1>faultline report</h1>\n<div class=\"counts\">");
    let _ = write!(out, "<span class=\"total\">{}</span>", count(s.tests as usize, "test", "tests"));
    for (status, n) in [
        (TestStatus::Failed, s.failed),
        (TestStatus::Error, s.errors),
        (TestStatus::Passed, s.passed),
        (TestStatus::Flaky, s.flaky),
        (TestStatus::Skipped, s.skipped),
    ] {
        let zero = if n == 0 { " zero" } else { "" };
        let _ = write!(
            out,
            "<span class=\"pill s-{}{zero}\">{} {}</span>",
            status.as_str(),
            num(n as usize),
            status_label(status)
        );
    }
    out.push_str("</div>\n");
    let read = report.files.iter().filter(|f| f.kind != FileKind::Skipped).count();
    let skipped = report.files.len() - read;
    let _ = writeln!(
        out,
        "<p class=\"muted\">{} read{} · {} · {} · {}</p>",
        count(read, "file", "files"),
        if skipped > 0 { format!(" ({} skipped)", num(skipped)) } else { String::new() },
        count(report.events.len(), "event", "events"),
        count(report.diagnoses.len(), "diagnosis", "diagnoses"),
        count(report.warnings.len(), "warning", "warnings")
    );
    let _ = write!(
        out,
        "<details class=\"box\"><summary>Files ({})</summary><div class=\"inner\">",
        num(report.files.len())
    );
    if report.files.is_empty() {
        out.push_str("<p class=\"empty\">No input files.</p>");
    }
    chunked(
        out,
        &report.files,
        "files",
        &table_head(&[
            ("", "", "file"),
            ("w-kind", "", "read as"),
            ("w-num", "num", "size"),
            ("w-num", "num", "lines"),
            ("w-num", "num", "tests"),
        ]),
        |out, _, f| {
            out.push_str("<tr><td class=\"mono\">");
            text_max(out, &f.name, CELL_CHARS);
            let _ = writeln!(
                out,
                "</td><td class=\"nw\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td></tr>",
                file_kind(f.kind),
                bytes(f.bytes),
                f.lines.map(|n| num(n as usize)).unwrap_or_default(),
                f.tests.map(|n| num(n as usize)).unwrap_or_default()
            );
        },
    );
    out.push_str("</div></details>\n");
    out.push_str(
        "<nav><a href=\"#failures\">Failures</a><a href=\"#clusters\">Failure clusters</a>\
         <a href=\"#others\">Other tests</a><a href=\"#warnings\">Warnings</a></nav>\n</header>\n",
    );
}

fn failures(out: &mut Out<'_>, analysis: &Analysis) {
    let report = &analysis.report;
    let failed: Vec<&TestCase> = report.tests.iter().filter(|t| t.status.is_failure()).collect();
    let by_test: FastMap<&str, usize> =
        report.diagnoses.iter().enumerate().map(|(i, d)| (d.test.id.as_str(), i)).collect();
    // Positions, not references: a map per value type is another copy of its table code in the module.
    let timelines: FastMap<&str, usize> =
        report.timeline.iter().enumerate().map(|(i, t)| (t.test.as_str(), i)).collect();
    let _ = writeln!(out, "<section id=\"failures\">\n<h2>Failed tests ({})</h2>", num(failed.len()));
    if failed.is_empty() {
        out.push_str("<p class=\"empty\">No test failed.</p>\n");
    }
    for (n, t) in failed.iter().take(FULL_CARDS).enumerate() {
        let diagnosis = by_test.get(t.id.as_str()).map(|&i| (i, &report.diagnoses[i]));
        let timeline = timelines.get(t.id.as_str()).and_then(|&i| report.timeline.get(i));
        test_card(out, analysis, n, t, diagnosis, timeline);
    }
    if failed.len() > FULL_CARDS {
        let rest = &failed[FULL_CARDS..];
        let _ = writeln!(
            out,
            "<h3>{} more failed tests</h3>\n<p class=\"muted\">Listed one row each; the JSON report has \
             their diagnoses, evidence and replays.</p>",
            num(rest.len())
        );
        chunked(
            out,
            rest,
            "failed tests",
            &table_head(&[
                ("w-n", "num", "#"),
                ("w-s", "", "status"),
                ("w-third", "", "test"),
                ("w-rule", "", "root cause"),
                ("", "", "message"),
            ]),
            |out, i, t| {
                let _ = write!(
                    out,
                    "<tr><td class=\"num\">{}</td><td class=\"nw\"><span class=\"pill s-{}\">{}</span></td><td>",
                    Num(FULL_CARDS + i + 1),
                    t.status.as_str(),
                    t.status.as_str()
                );
                test_name(out, t);
                out.push_str("</td><td class=\"mono\">");
                if let Some(&d) = by_test.get(t.id.as_str()) {
                    text_max(out, &report.diagnoses[d].rule, CELL_CHARS);
                }
                out.push_str("</td><td>");
                text_max(out, t.message.as_deref().unwrap_or(""), CELL_CHARS);
                out.push_str("</td></tr>\n");
            },
        );
    }
    out.push_str("</section>\n");
}

fn test_card(
    out: &mut Out<'_>,
    analysis: &Analysis,
    n: usize,
    t: &TestCase,
    diagnosis: Option<(usize, &Diagnosis)>,
    timeline: Option<&Timeline>,
) {
    let report = &analysis.report;
    match diagnosis {
        Some((i, _)) => {
            let _ = write!(out, "<details open class=\"test\" id=\"d{i}\">");
        }
        None => {
            let _ = write!(out, "<details open class=\"test\" id=\"f{n}\">");
        }
    }
    let _ =
        write!(out, "<summary><span class=\"pill s-{}\">{}</span> ", t.status.as_str(), t.status.as_str());
    test_name(out, t);
    out.push_str("</summary>\n<div class=\"tbody\">\n");
    if let Some(m) = &t.message {
        out.push_str("<p class=\"msg\">");
        text(out, m);
        out.push_str("</p>\n");
    }
    facts(out, t);
    match diagnosis {
        Some((_, d)) => diagnosis_card(out, analysis, d),
        None => out.push_str("<p class=\"empty\">No diagnosis.</p>\n"),
    }
    baseline_lines(out, report, &t.id);
    failure_output(out, t);
    match timeline {
        Some(tl) => replay(out, report, tl),
        None => out.push_str("<h4>Replay</h4>\n<p class=\"empty\">No event was tied to this test.</p>\n"),
    }
    out.push_str("</div>\n</details>\n");
}

fn test_name(out: &mut Out<'_>, t: &TestCase) {
    out.push_str("<span class=\"tname\">");
    text_max(out, &t.name, NAME_CHARS);
    out.push_str("</span>");
    if !t.suite.is_empty() {
        out.push_str("<span class=\"tsuite\">");
        text_max(out, &t.suite, CELL_CHARS);
        out.push_str("</span>");
    }
}

/// Where the test is recorded, when it ran and for how long, its documentation and tags.
fn facts(out: &mut Out<'_>, t: &TestCase) {
    out.push_str("<p class=\"facts\"><span>id <code>");
    text_max(out, &t.id, NAME_CHARS);
    out.push_str("</code></span><span>recorded at <span class=\"loc\">");
    location(out, &t.source.file, t.source.line);
    out.push_str("</span></span>");
    if let Some(start) = t.start_ms.and_then(Event::rfc3339) {
        let _ = write!(out, "<span>started {start}</span>");
    }
    if let Some(d) = t.duration_ms {
        let _ = write!(out, "<span>took {}</span>", duration(d));
    } else if let Some(raw) = &t.time_raw {
        out.push_str("<span>time ");
        text_max(out, raw, CELL_CHARS);
        out.push_str("</span>");
    }
    if !t.tags.is_empty() {
        out.push_str("<span>tags ");
        for (i, tag) in t.tags.iter().take(50).enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            text_max(out, tag, CELL_CHARS);
        }
        out.push_str("</span>");
    }
    out.push_str("</p>\n");
    if let Some(doc) = &t.documentation {
        out.push_str("<p class=\"facts\">Documentation: ");
        text(out, doc);
        out.push_str("</p>\n");
    }
}

fn diagnosis_card(out: &mut Out<'_>, analysis: &Analysis, d: &Diagnosis) {
    let blame = d.blame.as_str();
    let _ = write!(out, "<div class=\"card b-{blame}\">\n<div class=\"head\"><code class=\"rule\">");
    text_max(out, &d.rule, CELL_CHARS);
    let _ = write!(
        out,
        "</code><span class=\"badge b-{blame}\">blame: {}</span><span class=\"conf\">confidence {}</span>\
         <span class=\"conf\">fingerprint <code>",
        blame_label(d.blame),
        super::decimal::fixed(d.confidence, 2)
    );
    text_max(out, short_fingerprint(&d.fingerprint), CELL_CHARS);
    out.push_str("</code></span></div>\n<p class=\"summary\">");
    prose(out, &d.summary);
    out.push_str("</p>\n");
    if !d.fix.is_empty() {
        out.push_str("<p class=\"fix\"><b>Fix</b> ");
        prose(out, &d.fix);
        out.push_str("</p>\n");
    }
    out.push_str("</div>\n");
    if !d.symptoms.is_empty() {
        out.push_str("<h4>Symptoms it explains</h4>\n<ul class=\"symptoms\">\n");
        for s in &d.symptoms {
            out.push_str("<li><code>");
            text_max(out, &s.rule, CELL_CHARS);
            let _ = write!(
                out,
                "</code> <span class=\"badge b-{}\">{}</span> ",
                s.blame.as_str(),
                blame_label(s.blame)
            );
            prose(out, &s.summary);
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    if !d.evidence.is_empty() {
        let _ = writeln!(out, "<h4>Evidence ({})</h4>", d.evidence.len());
        for ev in &d.evidence {
            evidence(out, analysis, ev);
        }
    }
}

/// One cited line (or range) with [`EXCERPT_RADIUS`] lines of context from the log; evidence from a
/// JUnit or output.xml file shows the quoted text the analysis kept.
fn evidence(out: &mut Out<'_>, analysis: &Analysis, ev: &Evidence) {
    out.push_str("<figure class=\"ev\"><figcaption><span class=\"loc\">");
    location(out, &ev.file, ev.line);
    if let Some(end) = ev.line_end.filter(|&e| e > ev.line) {
        let _ = write!(out, "–{end}");
    }
    out.push_str("</span><span class=\"muted\">");
    text_max(out, &ev.role, CELL_CHARS);
    out.push_str("</span><code>");
    text_max(out, &ev.event_type, CELL_CHARS);
    out.push_str("</code>");
    if let Some(ms) = ev.time_ms {
        let _ = write!(out, "<span class=\"muted\">{}</span>", clock(ms));
    }
    if let Some(t) = &ev.test {
        out.push_str("<span class=\"muted\">in test ");
        text_max(out, &t.name, CELL_CHARS);
        out.push_str("</span>");
    }
    out.push_str("</figcaption>\n<table class=\"excerpt\">");
    match excerpt(analysis, &ev.file, ev.line, ev.line_end, EXCERPT_RADIUS) {
        Some(lines) if !lines.is_empty() => {
            for l in lines {
                let _ = write!(
                    out,
                    "<tr{}><td class=\"n\">{}</td><td>",
                    if l.cited { " class=\"cited\"" } else { "" },
                    l.line
                );
                text(out, &l.text);
                out.push_str("</td></tr>");
            }
        }
        _ => match ev.text.as_deref() {
            Some(t) => {
                for (i, line) in t.lines().enumerate().take(50) {
                    let _ =
                        write!(out, "<tr class=\"cited\"><td class=\"n\">{}</td><td>", ev.line as usize + i);
                    text(out, line);
                    out.push_str("</td></tr>");
                }
            }
            None => out.push_str(
                "<tr><td class=\"n\"></td><td class=\"empty\">the line could not be quoted</td></tr>",
            ),
        },
    }
    out.push_str("</table></figure>\n");
}

/// What the JUnit file or output.xml said about the failure, and what the test printed.
fn failure_output(out: &mut Out<'_>, t: &TestCase) {
    let shown: Vec<_> = t.failures.iter().filter(|f| !f.text.trim().is_empty()).take(MAX_FAILURES).collect();
    if !shown.is_empty() {
        out.push_str("<h4>Failure output</h4>\n");
        for f in shown {
            out.push_str("<p class=\"facts\"><span>");
            text_max(out, failure_kind(f.kind), CELL_CHARS);
            if let Some(ty) = &f.type_ {
                out.push_str(" <code>");
                text_max(out, ty, CELL_CHARS);
                out.push_str("</code>");
            }
            out.push_str("</span><span class=\"loc\">");
            location(out, &t.source.file, f.line);
            out.push_str("</span></p>\n<pre>");
            text(out, f.text.trim_end());
            out.push_str("</pre>\n");
        }
    }
    for (label, body) in [("system-out", &t.system_out), ("system-err", &t.system_err)] {
        if let Some(body) = body.as_deref().filter(|b| !b.trim().is_empty()) {
            let _ = write!(
                out,
                "<details class=\"sub\"><summary>{label} ({} lines)</summary><pre>",
                num(body.lines().count())
            );
            text(out, body.trim_end());
            out.push_str("</pre></details>\n");
        }
    }
}

fn replay(out: &mut Out<'_>, report: &Report, tl: &Timeline) {
    let Some(last) = tl.steps.last() else {
        out.push_str("<h4>Replay</h4>\n<p class=\"empty\">No event was tied to this test.</p>\n");
        return;
    };
    let objects = tl.state_at(last.index);
    let _ = write!(
        out,
        "<h4>Replay</h4>\n<details open class=\"box\"><summary>{} · {} over {} s · {}",
        count(tl.steps.len(), "step", "steps"),
        count(tl.gaps.len(), "gap", "gaps"),
        GAP_SECONDS,
        count(objects.len(), "object", "objects")
    );
    if let Some(day) = tl.steps.iter().find_map(|s| s.time_ms).and_then(Event::rfc3339) {
        let _ = write!(out, " · times UTC, from {}", day.get(..10).unwrap_or(""));
    }
    out.push_str("</summary>\n<div class=\"inner\">\n");
    let mut gaps = tl.gaps.iter().peekable();
    let shown = &tl.steps[..tl.steps.len().min(MAX_STEPS)];
    let head = table_head(&[
        ("w-n", "num", "step"),
        ("w-ph", "", "phase"),
        ("w-clock", "", "time"),
        ("w-kind", "", "event"),
        ("", "", "what"),
        ("w-wide", "", "where"),
    ]);
    let mut prev_phase: Option<Phase> = None;
    for (c, chunk) in shown.chunks(CHUNK).enumerate() {
        let multi = shown.len() > CHUNK;
        if multi {
            let first = c * CHUNK + 1;
            let _ = write!(
                out,
                "<details class=\"chunk\"{}><summary>steps {}–{} of {}</summary>",
                if c == 0 { " open" } else { "" },
                num(first),
                num(first + chunk.len() - 1),
                num(tl.steps.len())
            );
        }
        let _ = writeln!(out, "<table class=\"steps\">{head}<tbody>");
        for step in chunk {
            let Some(e) = report.events.get(step.event) else { continue };
            let turn = prev_phase.is_some_and(|p| p != step.phase);
            let _ = write!(
                out,
                "<tr class=\"{} {}{}\"><td class=\"num\">{}</td><td class=\"ph\">{}</td><td class=\"t\">{}</td>\
                 <td class=\"k\">{}</td><td class=\"w\">",
                phase_class(step.phase),
                heat(e, step.phase),
                if turn { " turn" } else { "" },
                step.index + 1,
                if prev_phase != Some(step.phase) { phase_name(step.phase) } else { "" },
                step.time_ms.map(clock).unwrap_or_default(),
                e.kind.as_str()
            );
            prev_phase = Some(step.phase);
            text_max(out, &describe(e), CELL_CHARS * 2);
            out.push_str("</td><td class=\"loc\">");
            location(out, short_file(&step.source.file), step.source.line);
            out.push_str("</td></tr>\n");
            while let Some(g) = gaps.next_if(|g| g.after_step <= step.index) {
                if g.after_step == step.index {
                    let _ = writeln!(
                        out,
                        "<tr class=\"gap\"><td></td><td colspan=\"5\">⋯ {} without events ({} → {})</td></tr>",
                        duration((g.to_ms - g.from_ms) as f64),
                        clock(g.from_ms),
                        clock(g.to_ms)
                    );
                }
            }
        }
        out.push_str("</tbody></table>");
        if multi {
            out.push_str("</details>");
        }
        out.push('\n');
    }
    if tl.steps.len() > shown.len() {
        let _ = writeln!(
            out,
            "<p class=\"muted\">… {} more steps; the JSON report has them all.</p>",
            num(tl.steps.len() - shown.len())
        );
    }
    out.push_str("</div></details>\n");
    object_states(out, tl, &objects, last.index);
}

const GAP_SECONDS: i64 = crate::replay::GAP_MS / 1000;

/// Every object the test touched, as it stood at the last step, with the changes that led there: the
/// ShareManager CR deleted and recreated while its pod never restarted reads off one row each.
fn object_states(out: &mut Out<'_>, tl: &Timeline, objects: &[ObjectState], last: usize) {
    let _ = writeln!(out, "<h4>Objects at the end (step {})</h4>", last + 1);
    if objects.is_empty() {
        out.push_str("<p class=\"empty\">No object was created, deleted or changed.</p>\n");
        return;
    }
    let histories: FastMap<(&str, &str), usize> = tl
        .histories()
        .iter()
        .enumerate()
        .filter_map(|(i, h)| h.first().map(|o| ((o.kind.as_str(), o.name.as_str()), i)))
        .collect();
    out.push_str("<table class=\"objects\">");
    out.push_str(&table_head(&[
        ("w-third", "", "object"),
        ("w-state", "", "at the end"),
        ("", "", "changes (step: state)"),
        ("w-loc", "", "last seen"),
    ]));
    out.push_str("<tbody>\n");
    for o in objects {
        out.push_str("<tr><td><b>");
        text_max(out, &o.kind, CELL_CHARS);
        out.push_str("</b> <span class=\"mono\">");
        text_max(out, &o.name, CELL_CHARS);
        out.push_str("</span>");
        let about = [
            o.plane.as_deref().map(|p| (p, " plane")),
            o.namespace.as_deref().map(|n| ("namespace ", n)),
            o.owner.as_deref().map(|w| ("owned by ", w)),
        ];
        if about.iter().any(Option::is_some) {
            out.push_str("<div class=\"about\">");
            for (i, (a, b)) in about.into_iter().flatten().enumerate() {
                if i > 0 {
                    out.push_str(" · ");
                }
                text_max(out, a, CELL_CHARS);
                text_max(out, b, CELL_CHARS);
            }
            out.push_str("</div>");
        }
        out.push_str("</td><td>");
        state_badge(out, o);
        out.push_str("</td><td class=\"hist\">");
        if let Some(h) =
            histories.get(&(o.kind.as_str(), o.name.as_str())).and_then(|&i| tl.histories().get(i))
        {
            for (i, change) in h.iter().take(MAX_HISTORY).enumerate() {
                if i > 0 {
                    out.push_str(" → ");
                }
                let _ = write!(out, "<span class=\"ch\">{} ", change.changed_at_step + 1);
                state_badge(out, change);
                out.push_str("</span>");
            }
            if h.len() > MAX_HISTORY {
                let _ = write!(out, " … {} more", h.len() - MAX_HISTORY);
            }
        }
        out.push_str("</td><td class=\"loc\">");
        location(out, short_file(&o.last_seen.file), o.last_seen.line);
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

fn state_badge(out: &mut Out<'_>, o: &ObjectState) {
    let (class, word) = match o.existence {
        Existence::Exists => ("x-exists", "exists"),
        Existence::Deleted => ("x-deleted", "deleted"),
        Existence::Recreated => ("x-recreated", "recreated"),
    };
    let _ = write!(out, "<span class=\"x {class}\">{word}");
    if let Some(p) = &o.phase {
        out.push_str(", ");
        text_max(out, p, CELL_CHARS);
    }
    out.push_str("</span>");
}

fn clusters(out: &mut Out<'_>, report: &Report) {
    let _ = writeln!(
        out,
        "<section id=\"clusters\">\n<h2>Failure clusters ({})</h2>",
        num(report.clusters.len())
    );
    if report.clusters.is_empty() {
        out.push_str("<p class=\"empty\">No failure to group.</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<p class=\"muted\">Failures with one fingerprint or nearly the same normalised text.</p>\n\
         <table class=\"list\">",
    );
    out.push_str(&table_head(&[
        ("w-n", "num", "tests"),
        ("w-rule", "", "root cause"),
        ("w-fp", "", "fingerprint"),
        ("w-third", "", "failed tests"),
        ("", "", "sample"),
    ]));
    out.push_str("<tbody>\n");
    // Only the first FULL_CARDS failed tests have a card to link to.
    let carded: FastSet<&str> = report
        .tests
        .iter()
        .filter(|t| t.status.is_failure())
        .take(FULL_CARDS)
        .map(|t| t.id.as_str())
        .collect();
    for c in report.clusters.iter().take(FULL_CARDS) {
        let _ = write!(out, "<tr><td class=\"num\">{}</td><td class=\"mono\">", num(c.members.len()));
        if let Some(d) = c.members.first().and_then(|&m| report.diagnoses.get(m)) {
            text_max(out, &d.rule, CELL_CHARS);
        }
        out.push_str("</td><td class=\"mono\">");
        text_max(out, short_fingerprint(&c.fingerprint), CELL_CHARS);
        out.push_str("</td><td>");
        for (i, &m) in c.members.iter().take(MAX_CLUSTER_LINKS).enumerate() {
            let Some(d) = report.diagnoses.get(m) else { continue };
            if i > 0 {
                out.push_str("<br>");
            }
            let linked = carded.contains(d.test.id.as_str());
            if linked {
                let _ = write!(out, "<a href=\"#d{m}\">");
            }
            text_max(out, &d.test.name, CELL_CHARS);
            if linked {
                out.push_str("</a>");
            }
        }
        if c.members.len() > MAX_CLUSTER_LINKS {
            let _ = write!(out, "<br>… {} more", num(c.members.len() - MAX_CLUSTER_LINKS));
        }
        out.push_str("</td><td class=\"mono\">");
        text_max(out, &c.sample, CELL_CHARS);
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody></table>\n");
    if report.clusters.len() > FULL_CARDS {
        let _ = writeln!(
            out,
            "<p class=\"muted\">… {} more clusters in the JSON report.</p>",
            num(report.clusters.len() - FULL_CARDS)
        );
    }
    out.push_str("</section>\n");
}

/// `--baseline`: this test's lines that the passing run never logged, best first.
fn baseline_lines(out: &mut Out<'_>, report: &Report, test: &str) {
    let Some(b) = &report.baseline else { return };
    let lines: Vec<_> = b.top.iter().filter(|l| l.test.as_deref() == Some(test)).collect();
    if lines.is_empty() {
        return;
    }
    out.push_str(
        "<h4>New since the passing run</h4>\n<p class=\"muted\">Lines the baseline run never logged, once \
         times, ids and hashes are normalised; best first.</p>\n<table class=\"list\">",
    );
    out.push_str(&table_head(&[("w-loc", "", "where"), ("w-n", "num", "times"), ("", "", "line")]));
    out.push_str("<tbody>\n");
    for l in lines {
        out.push_str("<tr><td class=\"mono\">");
        location(out, short_file(&l.file), l.line);
        let _ = write!(out, "</td><td class=\"num\">{}</td><td class=\"mono\">", num(l.count as usize));
        text_max(out, &l.text, CELL_CHARS * 4);
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

/// `--history`: this run next to the earlier ones.
fn history(out: &mut Out<'_>, report: &Report) {
    let Some(h) = &report.history else { return };
    let _ = writeln!(out, "<section id=\"history\">\n<h2>History ({} runs)</h2>", num(h.runs.len()));
    if h.flaky.is_empty() && h.new_failures.is_empty() && h.fixed.is_empty() && h.recurring.is_empty() {
        out.push_str("<p class=\"empty\">Nothing new, nothing flaky.</p>\n</section>\n");
        return;
    }
    let list = |out: &mut Out<'_>, title: &str, items: &mut dyn Iterator<Item = (&str, String)>| {
        let items: Vec<_> = items.collect();
        if items.is_empty() {
            return;
        }
        let _ = write!(out, "<h4>{title} ({})</h4>\n<table class=\"list\">", num(items.len()));
        out.push_str(&table_head(&[("", "", "test"), ("w-wide", "", "")]));
        out.push_str("<tbody>\n");
        for (test, note) in items.iter().take(FULL_CARDS) {
            out.push_str("<tr><td>");
            text_max(out, test, CELL_CHARS);
            out.push_str("</td><td class=\"mono\">");
            text_max(out, note, CELL_CHARS);
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody></table>\n");
    };
    list(
        out,
        "New failures",
        &mut h.new_failures.iter().map(|f| (f.test.as_str(), format!("previously {}", f.previously))),
    );
    list(out, "Fixed since the last run", &mut h.fixed.iter().map(|t| (t.as_str(), String::new())));
    list(
        out,
        "Flaky (P passed, F failed, E error, S skipped, R passed after retries, - absent; oldest first)",
        &mut h
            .flaky
            .iter()
            .map(|f| (f.test.as_str(), format!("{}  {} flips, {} retries", f.history, f.flips, f.retries))),
    );
    list(
        out,
        "Recurring root causes",
        &mut h.recurring.iter().map(|r| {
            (r.rule.as_str(), format!("{} runs since {}, {} tests now", r.runs, r.first_seen, r.tests.len()))
        }),
    );
    out.push_str("</section>\n");
}

/// Passed, flaky and skipped tests: one light row each, in closed chunks.
fn other_tests(out: &mut Out<'_>, report: &Report) {
    let others = report.tests.iter().filter(|t| !t.status.is_failure()).count();
    let _ = writeln!(out, "<section id=\"others\">\n<h2>Other tests ({})</h2>", num(others));
    if others == 0 {
        out.push_str("<p class=\"empty\">Every test failed.</p>\n");
    }
    for status in [TestStatus::Flaky, TestStatus::Skipped, TestStatus::Passed] {
        let tests: Vec<&TestCase> = report.tests.iter().filter(|t| t.status == status).collect();
        if tests.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<h3><span class=\"pill s-{}\">{}</span> {}</h3>",
            status.as_str(),
            status_label(status),
            count(tests.len(), "test", "tests")
        );
        let with_message = status != TestStatus::Passed;
        let head = if with_message {
            table_head(&[
                ("w-n", "num", "#"),
                ("", "", "test"),
                ("w-time", "num", "time"),
                ("w-third", "", "message"),
            ])
        } else {
            table_head(&[("w-n", "num", "#"), ("", "", "test"), ("w-time", "num", "time")])
        };
        chunked(out, &tests, status_label(status), &head, |out, i, t| {
            let _ = write!(out, "<tr><td class=\"num\">{}</td><td>", Num(i + 1));
            test_name(out, t);
            let _ = write!(
                out,
                "</td><td class=\"num\">{}</td>",
                t.duration_ms.map(duration).unwrap_or_default()
            );
            if with_message {
                out.push_str("<td>");
                text_max(out, t.message.as_deref().unwrap_or(""), CELL_CHARS);
                out.push_str("</td>");
            }
            out.push_str("</tr>\n");
        });
    }
    out.push_str("</section>\n");
}

fn warnings(out: &mut Out<'_>, report: &Report) {
    let _ = write!(
        out,
        "<section id=\"warnings\">\n<details class=\"box\"><summary>Warnings ({})</summary><div class=\"inner\">\n",
        num(report.warnings.len())
    );
    if report.warnings.is_empty() {
        out.push_str("<p class=\"empty\">Every input was read without a problem.</p>\n");
    }
    chunked(
        out,
        &report.warnings,
        "warnings",
        &table_head(&[("w-kind", "", "kind"), ("w-third", "", "where"), ("", "", "message")]),
        |out, _, w| {
            out.push_str("<tr><td class=\"mono nw\">");
            text_max(out, w.kind.name(), CELL_CHARS);
            out.push_str("</td><td class=\"loc\">");
            text_max(out, &w.file, CELL_CHARS);
            if let Some(l) = w.line {
                let _ = write!(out, ":{l}");
                if let Some(c) = w.column {
                    let _ = write!(out, ":{c}");
                }
            }
            out.push_str("</td><td>");
            text(out, &w.message);
            out.push_str("</td></tr>\n");
        },
    );
    out.push_str("</div></details>\n</section>\n");
}

/// A table of `items`, split into closed `<details>` chunks of [`CHUNK`] rows once there are more than
/// that (one plain table otherwise). `label` and `head` are the renderer's own text, never artifact text.
fn chunked<T>(
    out: &mut Out<'_>,
    items: &[T],
    label: &str,
    head: &str,
    mut row: impl FnMut(&mut Out<'_>, usize, &T),
) {
    if items.is_empty() {
        return;
    }
    if items.len() <= CHUNK {
        let _ = writeln!(out, "<table class=\"list\">{head}<tbody>");
        for (i, item) in items.iter().enumerate() {
            row(out, i, item);
        }
        out.push_str("</tbody></table>\n");
        return;
    }
    for (c, chunk) in items.chunks(CHUNK).enumerate() {
        let first = c * CHUNK;
        let _ = writeln!(
            out,
            "<details class=\"chunk\"><summary>{label} {}–{} <span class=\"muted\">of {}</span></summary>\
             <table class=\"list\">{head}<tbody>",
            num(first + 1),
            num(first + chunk.len()),
            num(items.len())
        );
        for (i, item) in chunk.iter().enumerate() {
            row(out, first + i, item);
        }
        out.push_str("</tbody></table></details>\n");
    }
}

/// `<colgroup>` and `<thead>` of a fixed-layout table: (column width class, header class, header text),
/// all the renderer's own constants.
fn table_head(cols: &[(&str, &str, &str)]) -> String {
    let mut out = String::from("<colgroup>");
    for (width, _, _) in cols {
        if width.is_empty() {
            out.push_str("<col>");
        } else {
            let _ = write!(out, "<col class=\"{width}\">");
        }
    }
    out.push_str("</colgroup><thead><tr>");
    for (_, class, label) in cols {
        if class.is_empty() {
            let _ = write!(out, "<th>{label}</th>");
        } else {
            let _ = write!(out, "<th class=\"{class}\">{label}</th>");
        }
    }
    out.push_str("</tr></thead>");
    out
}

/// The only way artifact text enters the page: clipped to [`MAX_TEXT`] characters, then escaped.
fn text(out: &mut Out<'_>, s: &str) {
    text_max(out, s, MAX_TEXT);
}

fn text_max(out: &mut Out<'_>, s: &str, max: usize) {
    let _ = escape::html_into(out, &clip(s, max));
}

/// Generated sentences (summary, fix) quote names between backticks; those become `<code>`.
fn prose(out: &mut Out<'_>, s: &str) {
    let s = clip(s, MAX_TEXT);
    for (code, part) in super::quoted_spans(&s) {
        if code {
            out.push_str("<code>");
            let _ = escape::html_into(out, part);
            out.push_str("</code>");
        } else {
            let _ = escape::html_into(out, part);
        }
    }
}

fn location(out: &mut Out<'_>, file: &str, line: u32) {
    text_max(out, file, CELL_CHARS);
    let _ = write!(out, ":{line}");
}

/// The last two components of a file name (`longhorn-manager-q8z4m/longhorn-manager.log`): enough to
/// tell two pods' logs apart in a narrow column; evidence shows the full name. An archive's name
/// (`bundle.zip!`) is not a folder and is left out.
fn short_file(file: &str) -> &str {
    let mut cuts = file.rmatch_indices('/').map(|(i, _)| i);
    let (Some(last), second) = (cuts.next(), cuts.next()) else { return file };
    let from = second.map_or(0, |i| i + 1);
    match file.get(from..last) {
        Some(dir) if dir.ends_with('!') => file.get(last + 1..).unwrap_or(file),
        Some(_) => file.get(from..).unwrap_or(file),
        None => file,
    }
}

fn short_fingerprint(f: &str) -> &str {
    f.get(..12).unwrap_or(f)
}

/// Row emphasis: what went wrong stands out in red, what the test or the run did to objects (the fault it
/// injected, a reboot) in violet, and bookkeeping (steps, polls) recedes. Teardown's clean-up deletions
/// are not a fault.
fn heat(e: &Event, phase: Phase) -> &'static str {
    let failed = |k: &str| e.field(k).is_some_and(|v| v.to_ascii_lowercase().starts_with("fail"));
    match e.kind {
        EventKind::StepFinished | EventKind::TestFinished if failed("status") => "hot",
        EventKind::StepStarted
        | EventKind::StepFinished
        | EventKind::Wait
        | EventKind::Retry
        | EventKind::TestStarted
        | EventKind::TestFinished => "quiet",
        EventKind::IoError | EventKind::Timeout | EventKind::Assertion => "hot",
        EventKind::Checksum if e.field("result") != Some("match") => "hot",
        EventKind::Infra if matches!(e.field("reason"), Some("reboot" | "power_off" | "power_on")) => "fault",
        EventKind::Infra => "hot",
        EventKind::ObjectDeleted if e.field("via") != Some("controller") && phase != Phase::Teardown => {
            "fault"
        }
        _ => "plain",
    }
}

fn phase_class(p: Phase) -> &'static str {
    match p {
        Phase::Setup => "p-setup",
        Phase::FaultInjection => "p-fault",
        Phase::RecoveryWait => "p-wait",
        Phase::Verification => "p-verify",
        Phase::Teardown => "p-teardown",
    }
}

fn status_label(s: TestStatus) -> &'static str {
    match s {
        TestStatus::Passed => "passed",
        TestStatus::Failed => "failed",
        TestStatus::Error => "errors",
        TestStatus::Skipped => "skipped",
        TestStatus::Flaky => "flaky",
    }
}

fn blame_label(b: Blame) -> &'static str {
    b.as_str()
}

fn file_kind(k: FileKind) -> &'static str {
    match k {
        FileKind::Junit => "JUnit XML",
        FileKind::RobotOutput => "Robot output.xml",
        FileKind::Log => "log",
        FileKind::Skipped => "skipped",
    }
}

fn failure_kind(k: crate::model::FailureKind) -> &'static str {
    use crate::model::FailureKind::*;
    match k {
        Failure => "failure",
        Error => "error",
        Skipped => "skipped",
        FlakyFailure => "flaky failure",
        FlakyError => "flaky error",
        RerunFailure => "rerun failure",
        RerunError => "rerun error",
    }
}

fn duration(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        return String::new();
    }
    if ms < 1000.0 {
        return format!("{} ms", super::decimal::fixed(ms, 0));
    }
    let s = ms / 1000.0;
    if s < 60.0 {
        return format!("{} s", super::decimal::fixed(s, 1));
    }
    let total = s.round() as u64;
    let (h, m, sec) = (total / 3600, (total % 3600) / 60, total % 60);
    if h > 0 { format!("{h} h {m:02} m {sec:02} s") } else { format!("{m} m {sec:02} s") }
}

fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{} {}", super::decimal::fixed(v, 1), UNITS[unit])
}

/// `1 test`, `100,000 tests`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", num(n), if n == 1 { one } else { many })
}

/// `100000` → `100,000`.
fn num(n: usize) -> String {
    Num(n).to_string()
}

/// [`num`] written straight into the page: a 100k-test page numbers every row.
struct Num(usize);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut buf = [0u8; 20];
        let mut at = buf.len();
        let mut n = self.0;
        loop {
            at -= 1;
            buf[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let digits = &buf[at..];
        for (i, d) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                f.write_str(",")?;
            }
            f.write_char(char::from(*d))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_file_keeps_two_components() {
        assert_eq!(short_file("console.log"), "console.log");
        assert_eq!(short_file("nodes/n1/dmesg.log"), "n1/dmesg.log");
        assert_eq!(short_file("b.zip!/logs/pod-1/manager.log"), "pod-1/manager.log");
        assert_eq!(short_file("b.zip!/x.log"), "x.log");
        assert_eq!(short_file("a/b.zip!/x.log"), "x.log");
        assert_eq!(short_file("dir/x.log"), "dir/x.log");
        assert_eq!(short_file("x.log/"), "x.log/");
    }

    #[test]
    fn clip_cuts_on_characters() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("ééééé", 2), "éé…");
    }

    #[test]
    fn num_groups_thousands_like_the_string_version() {
        let by_string = |n: usize| {
            let digits = n.to_string();
            let mut out = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(c);
            }
            out
        };
        for n in (0..5000).chain([9_999, 10_000, 99_999, 100_000, 1_234_567, usize::MAX]) {
            assert_eq!(num(n), by_string(n), "{n}");
        }
    }

    #[test]
    fn numbers_and_durations() {
        assert_eq!(num(0), "0");
        assert_eq!(num(1000), "1,000");
        assert_eq!(num(100_000), "100,000");
        assert_eq!(duration(12.0), "12 ms");
        assert_eq!(duration(1500.0), "1.5 s");
        assert_eq!(duration(357_000.0), "5 m 57 s");
        assert_eq!(duration(f64::NAN), "");
        assert_eq!(bytes(2048), "2.0 KiB");
        assert_eq!(clock(36_902_817), "10:15:02.817");
    }

    #[test]
    fn prose_turns_backticks_into_code_and_escapes_both() {
        let mut page = String::new();
        prose(&mut Out { sink: &mut page, failed: false }, "deleted `<b>` at <i>");
        assert_eq!(page, "deleted <code>&lt;b&gt;</code> at &lt;i&gt;");
    }

    /// A writer that fails stops the page and its error comes back; a good one gets render's bytes.
    #[test]
    fn write_streams_the_rendered_page_and_reports_a_failing_writer() {
        let a = crate::analyze(
            vec![crate::InputFile::new(
                "j.xml",
                "<testsuite name=\"s\"><testcase name=\"t\"><failure message=\"&lt;x&gt;\">boom</failure></testcase></testsuite>",
            )],
            &crate::AnalyzeOptions::default(),
        );
        let mut streamed = Vec::new();
        assert!(write(&a, &mut streamed).is_ok());
        assert_eq!(String::from_utf8(streamed).unwrap_or_default(), render(&a));

        struct Full(usize);
        impl std::io::Write for Full {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                if self.0 < buf.len() {
                    return Err(std::io::Error::other("disk full"));
                }
                self.0 -= buf.len();
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let err = write(&a, &mut Full(1000)).err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("disk full"));
    }

    #[test]
    fn the_style_sheet_holds_no_closing_tag() {
        assert!(!CSS.contains("</"), "the style element must not end early");
        assert!(STYLE_HASH.starts_with("'sha256-") && STYLE_HASH.ends_with("='"));
        use base64::Engine;
        use sha2::{Digest, Sha256};
        let computed = format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(CSS.as_bytes()))
        );
        assert_eq!(STYLE_HASH, computed, "the style sheet changed: set STYLE_HASH to {computed}");
    }
}
