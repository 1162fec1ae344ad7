//! The HTML report (every scenario's page is snapshotted in `export_formats.rs`): the Content-Security-Policy checked against
//! the page's own style sheet, hostile artifact text shown only as text, and a 100,000-test run rendered
//! in collapsed chunks. The browser side (what Chromium actually runs and shows) is `e2e/`.

mod common;

use base64::Engine;
use common::{fixtures, load};
use faultline_core::export::html::{self, CHUNK};
use faultline_core::{Analysis, AnalyzeOptions, InputFile, analyze};
use sha2::{Digest, Sha256};

fn render_scenario(name: &str) -> String {
    html::render(&analyze(load(&fixtures().join(name)), &AnalyzeOptions::default()))
}

fn render(files: Vec<InputFile>) -> String {
    let analysis: Analysis = analyze(files, &AnalyzeOptions::default());
    html::render(&analysis)
}

/// Every tag in the page, as (name, raw attribute text). Artifact text is escaped, so every `<` that
/// starts a tag was written by the renderer; this is what a browser would parse as markup.
fn tags(page: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("every tag is closed");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') || tag.starts_with('/') {
            continue;
        }
        let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
        out.push((tag[..name_end].to_ascii_lowercase(), tag[name_end..].to_string()));
    }
    out
}

/// The renderer's vocabulary: anything else in a page means artifact text became markup.
const ELEMENTS: &[&str] = &[
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "div",
    "span",
    "p",
    "b",
    "br",
    "code",
    "pre",
    "nav",
    "a",
    "main",
    "section",
    "details",
    "summary",
    "table",
    "colgroup",
    "col",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "ul",
    "li",
    "figure",
    "figcaption",
    "footer",
];

/// Attribute names the renderer writes; no `style`, no event handler, no `src`.
const ATTRIBUTES: &[&str] =
    &["lang", "charset", "http-equiv", "content", "name", "class", "id", "href", "open", "colspan"];

fn assert_only_own_markup(page: &str) {
    let styles = tags(page).iter().filter(|(n, _)| n == "style").count();
    assert_eq!(styles, 1, "exactly one <style> element");
    for (name, attrs) in tags(page) {
        assert!(ELEMENTS.contains(&name.as_str()), "unexpected element <{name}{attrs}>");
        for a in attribute_names(&attrs) {
            assert!(ATTRIBUTES.contains(&a.as_str()), "unexpected attribute {a} in <{name}{attrs}>");
        }
        if name == "a" {
            assert!(attrs.trim().starts_with("href=\"#"), "links only point inside the page: <a{attrs}>");
        }
    }
}

/// Attribute names in a tag's attribute text (`class="x" open` → class, open); values are quoted.
fn attribute_names(attrs: &str) -> Vec<String> {
    {
        let mut names = Vec::new();
        let mut chars = attrs.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_whitespace() {
                continue;
            }
            let mut name = String::from(c);
            while let Some(&n) = chars.peek() {
                if n == '=' || n.is_whitespace() {
                    break;
                }
                name.push(n);
                chars.next();
            }
            if chars.peek() == Some(&'=') {
                chars.next();
                assert_eq!(chars.next(), Some('"'), "attribute values are double-quoted");
                for v in chars.by_ref() {
                    if v == '"' {
                        break;
                    }
                }
            }
            names.push(name.to_ascii_lowercase());
        }
        names
    }
}

#[test]
fn the_csp_allows_exactly_the_pages_own_style_sheet() {
    let page = render_scenario("rwx-recovery-cr-deleted");
    let meta = tags(&page)
        .into_iter()
        .find(|(n, a)| n == "meta" && a.contains("http-equiv=\"Content-Security-Policy\""))
        .expect("a CSP meta tag");
    let csp = meta.1.split("content=\"").nth(1).and_then(|c| c.split('"').next()).expect("content");
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    assert!(directives.contains(&"default-src 'none'"), "{csp}");
    assert!(directives.contains(&"script-src 'none'"), "{csp}");
    let style_src = directives.iter().find(|d| d.starts_with("style-src ")).expect("style-src");
    assert!(!style_src.contains("unsafe"), "no 'unsafe-inline' or 'unsafe-hashes': {style_src}");

    let start = page.find("<style>").expect("<style>") + "<style>".len();
    let end = page[start..].find("</style>").expect("</style>") + start;
    let digest = Sha256::digest(&page.as_bytes()[start..end]);
    let want = format!("style-src 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest));
    assert_eq!(*style_src, want);

    // The policy comes before anything it governs.
    assert!(page.find("Content-Security-Policy").expect("csp") < start);
    assert!(!page.contains(" style=\""), "style attributes would be blocked by the CSP");
}

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "<img src=x onerror=alert(1)>";

#[test]
fn hostile_text_is_shown_only_escaped() {
    let junit = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="s" tests="2" failures="1" timestamp="2024-11-16T10:00:00Z" time="60">
  <testcase classname="s" name="t {s} {i}" timestamp="2024-11-16T10:00:00Z" time="30">
    <failure message="boom {s} {i}">md5sum: can't open '/data/x': Connection timed out {s}</failure>
    <system-out>{s} {i}</system-out>
  </testcase>
  <testcase classname="s" name="ok {s} {i}" timestamp="2024-11-16T10:00:30Z" time="30"/>
</testsuite>
"#,
        s = "&lt;script&gt;alert(1)&lt;/script&gt;",
        i = "&lt;img src=x onerror=alert(1)&gt;"
    );
    let log = format!(
        "2024-11-16T10:00:01.000Z INFO before {SCRIPT}\n\
         2024-11-16T10:00:02.000Z ERROR md5sum: can't open '/data/x': Connection timed out {IMG}\n\
         2024-11-16T10:00:03.000Z INFO after {IMG} \u{1b}[31m{SCRIPT}\u{1b}[0m\n"
    );
    let page = render(vec![InputFile::new("junit.xml", junit), InputFile::new("console <b>.log", log)]);

    let lower = page.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "no script element, from artifacts or otherwise");
    assert!(!lower.contains("<img"), "no image element");
    assert!(!page.contains("<b>.log"), "file names are escaped too");
    assert!(!page.contains('\u{1b}'), "no raw control characters");
    let script = "&lt;script&gt;alert(1)&lt;/script&gt;";
    let img = "&lt;img src=x onerror=alert(1)&gt;";
    for (what, needle) in [
        ("test name", format!("t {script} {img}")),
        ("failure message", format!("boom {script} {img}")),
        ("log line", format!("ERROR md5sum: can&#39;t open &#39;/data/x&#39;: Connection timed out {img}")),
        ("context line", format!("INFO before {script}")),
        ("passing test", format!("ok {script} {img}")),
        ("file name", "console &lt;b&gt;.log:2".to_string()),
    ] {
        assert!(page.contains(&needle), "{what} not shown escaped: {needle}");
    }
    assert_only_own_markup(&page);
}

#[test]
fn the_hostile_fixture_renders_only_own_markup() {
    let page = render_scenario("xss-payloads");
    assert_only_own_markup(&page);
    for payload in ["window.__pwned=1", "window.__pwned=2", "window.__pwned=3", "window.__pwned=4"] {
        assert!(page.contains(payload), "{payload} is shown");
    }
    assert!(page.contains("data check &lt;script&gt;window.__pwned=1&lt;/script&gt;"));
}

#[test]
fn long_artifact_text_is_clipped() {
    let long = "x".repeat(50_000);
    let junit = format!(
        r#"<testsuite name="s" tests="1" failures="1"><testcase classname="s" name="t" time="1"><failure message="{long}">{long}</failure></testcase></testsuite>"#
    );
    let page = render(vec![InputFile::new("junit.xml", junit)]);
    assert!(!page.contains(&"x".repeat(html::MAX_TEXT + 1)), "no artifact string longer than the limit");
    assert!(page.contains(&format!("{}…", "x".repeat(html::MAX_TEXT))));
}

#[test]
fn a_hundred_thousand_tests_render_in_closed_chunks() {
    const N: usize = 100_000;
    let mut junit = String::with_capacity(N * 80);
    junit.push_str(&format!(
        "<?xml version=\"1.0\"?>\n<testsuite name=\"big\" tests=\"{N}\" failures=\"2\" skipped=\"3\">\n"
    ));
    for i in 0..N {
        match i {
            10 | 20_000 => junit.push_str(&format!(
                "<testcase classname=\"big.Suite{}\" name=\"test_{i}\" time=\"0.01\">\
                 <failure message=\"assert {i} failed\">boom</failure></testcase>\n",
                i % 50
            )),
            30 | 40 | 50 => junit.push_str(&format!(
                "<testcase classname=\"big.Suite{}\" name=\"test_{i}\" time=\"0\"><skipped/></testcase>\n",
                i % 50
            )),
            _ => junit.push_str(&format!(
                "<testcase classname=\"big.Suite{}\" name=\"test_{i}\" time=\"0.01\"/>\n",
                i % 50
            )),
        }
    }
    junit.push_str("</testsuite>\n");
    let page = render(vec![InputFile::new("junit.xml", junit)]);

    let passed = N - 5;
    let chunks = page.matches("<details class=\"chunk\">").count();
    assert_eq!(chunks, passed.div_ceil(CHUNK), "passed tests in chunks of {CHUNK}");
    assert!(page.contains("passed 1–500 <span class=\"muted\">of 99,995</span>"));
    assert!(page.contains("passed 99,501–99,995 "));
    // Chunks are closed; only the failed tests' cards (and their replays) are open.
    assert_eq!(page.matches("<details open class=\"test\"").count(), 2);
    let details = page.matches("<details").count();
    assert!(details < chunks + 20, "{details} <details> for {chunks} chunks");
    for chunk in page.split("<details class=\"chunk\">").skip(1) {
        let body = chunk.split("</details>").next().unwrap_or("");
        let rows = body.matches("<tr>").count() - 1; // minus the header row
        assert!(rows <= CHUNK, "a chunk holds {rows} rows");
    }
    // No per-test heavy markup: a passing test costs a short row.
    let per_test = page.len() / N;
    assert!(per_test < 200, "{per_test} bytes per test");
}
