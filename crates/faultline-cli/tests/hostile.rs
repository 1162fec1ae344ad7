//! The CLI over the hostile corpus (`fixtures/hostile/`): exit code 0 when anything was readable and 2
//! when nothing was, one stderr line per unreadable input, no raw escape sequence from an artifact in the
//! terminal report or on stderr, no unescaped payload in the HTML, Markdown or GitHub output, located
//! refusals of hostile rule and pattern files, and the limit flags.

mod common;

use std::path::PathBuf;

use common::{faultline, repo};

const CORPUS: &str = "fixtures/hostile";

fn corpus() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(repo().join(CORPUS))
        .expect("fixtures/hostile")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "generate.py" && n != "README.md")
        .collect();
    files.sort();
    files
}

/// Inputs in which nothing is a report or a log (the core test's table says the same).
const UNREADABLE: [&str; 8] = [
    "archive-42-style-fanout-bomb.zip",
    "archive-gzip-bomb.log.gz",
    "archive-nested-zips-20-deep.zip",
    "archive-tar-size-overflow.tar",
    "archive-zip-bomb-overlapping.zip",
    "archive-zip-bomb.zip",
    "binary-elf-header.so",
    "binary-random.bin",
];

/// A control character a terminal acts on: C0 but newline, DEL, and the C1 range (8-bit CSI U+009B and
/// OSC U+009D among them). Their visible stand-ins (`␛`, `\u{1b}`) are fine.
fn raw_control(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| (c.is_control() && c != '\n') || ('\u{80}'..='\u{9f}').contains(&c))
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("faultline-hostile-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn each_file_alone_exit_code_stderr_and_terminal_text() {
    let files = corpus();
    assert!(files.len() >= 30);
    for f in &files {
        let path = format!("{CORPUS}/{f}");
        let out = faultline(&["analyze", &path, "--color", "never"]);
        let stdout = String::from_utf8(out.stdout).expect("UTF-8 stdout");
        let stderr = String::from_utf8(out.stderr).expect("UTF-8 stderr");
        if let Some((at, c)) = raw_control(&stdout).or_else(|| raw_control(&stderr)) {
            panic!("{f}: a raw {c:?} reaches the terminal at byte {at}");
        }
        if UNREADABLE.contains(&f.as_str()) {
            assert_eq!(out.status.code(), Some(2), "{f}: {stderr}");
            assert!(stdout.is_empty(), "{f}: no report when nothing was read");
            let naming: Vec<&str> = stderr.lines().filter(|l| l.contains(&path)).collect();
            assert_eq!(naming.len(), 1, "{f}: one line naming the input:\n{stderr}");
            assert!(naming[0].starts_with("faultline: error: "), "{}", naming[0]);
            assert!(stderr.lines().count() <= 2, "{f}: its line and the closing one:\n{stderr}");
        } else {
            assert_eq!(out.status.code(), Some(0), "{f}: {stderr}");
            assert!(stderr.is_empty(), "{f}: a readable input prints its report, not errors:\n{stderr}");
            assert!(stdout.lines().all(|l| l.chars().count() <= 100), "{f}: wider than 100 columns");
        }
    }
}

#[test]
fn every_format_over_the_whole_corpus_and_the_founding_case() {
    let dir = temp_dir("formats");
    let p = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let (txt, page, md, gh, json, ctrf) =
        (p("report.txt"), p("report.html"), p("summary.md"), p("gh.txt"), p("report.json"), p("ctrf.json"));
    let out = faultline(&[
        "analyze",
        CORPUS,
        "fixtures/rwx-recovery-cr-deleted",
        "--format",
        "text",
        "--out",
        &txt,
        "--format",
        "html",
        "--out",
        &page,
        "--format",
        "markdown",
        "--out",
        &md,
        "--format",
        "github",
        "--out",
        &gh,
        "--format",
        "json",
        "--out",
        &json,
        "--format",
        "ctrf",
        "--out",
        &ctrf,
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "only the closing summary: {stderr}");
    assert!(stderr.contains("deleted-cr-instead-of-pod"), "{stderr}");
    let read = |path: &str| std::fs::read_to_string(path).expect("written report");

    let text = read(&txt);
    if let Some((at, c)) = raw_control(&text) {
        panic!("text report: a raw {c:?} at byte {at}");
    }
    assert!(text.contains("<script>alert(1)</script>"), "the text report shows payloads as text");

    let html = read(&page).to_ascii_lowercase();
    for bad in ["<script", "<img", "<svg", "<iframe", "href=\"javascript"] {
        assert!(!html.contains(bad), "HTML holds {bad}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "HTML shows the payload escaped");
    assert!(raw_control(&read(&page)).is_none(), "HTML holds a raw control character");

    let md = read(&md);
    let mut in_fence = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if !in_fence {
            let outside_code: String = line.split('`').step_by(2).collect();
            assert!(!outside_code.to_ascii_lowercase().contains("<script"), "Markdown: {line}");
        }
    }
    assert!(raw_control(&md).is_none(), "Markdown holds a raw control character");

    let gh = read(&gh);
    for line in gh.lines() {
        assert!(
            ["::error ", "::warning ", "::notice "].iter().any(|c| line.starts_with(c)),
            "a GitHub line that is not one command: {line}"
        );
    }
    assert!(!gh.contains("injected%0A"), "an unencoded % in a payload would end the command");

    let report: serde_json::Value = serde_json::from_str(&read(&json)).expect("JSON report");
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let everything = [text, read(&page), md, gh, read(&json), read(&ctrf)].concat();
    assert!(passwd.lines().filter(|l| l.len() > 8).all(|l| !everything.contains(l)), "/etc/passwd leaked");
    assert!(!everything.contains("lollollol"), "an entity was expanded");
    assert!(report["warnings"].as_array().is_some_and(|w| w.len() > 50));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hostile_file_names_never_reach_stderr_raw() {
    let dir = temp_dir("names");
    let name = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m.bin";
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    std::fs::write(dir.join(name), bytes).expect("write a file with escapes in its name");
    let out = faultline(&["analyze", dir.to_str().expect("utf-8 temp path")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(raw_control(&stderr).is_none(), "{stderr:?}");
    assert!(stderr.contains("\\u{1b}]0;pwned"), "the name is shown, escaped: {stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hostile_rule_and_pattern_files_are_refused_where_they_go_wrong() {
    let founding = "fixtures/rwx-recovery-cr-deleted";
    for (flag, file, at) in [
        ("--rules", "rules-catastrophic-regex.toml", ":11:19: invalid regex"),
        ("--rules", "rules-huge-alternation.toml", ":7:11: invalid regex"),
        ("--rules", "rules-deep-regex-nesting.toml", ":10:19: invalid regex"),
        ("--rules", "rules-deeply-nested-toml.toml", ":6:92:"),
        ("--rules", "rules-overflowing-numbers.toml", ":6:12:"),
        ("--patterns", "patterns-catastrophic-regex.toml", ":6:9: invalid regex"),
    ] {
        let path = format!("{CORPUS}/{file}");
        let out = faultline(&["analyze", founding, flag, &path]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{file}: {stderr}");
        assert!(stderr.contains(&format!("{path}{at}")), "{file}: {stderr}");
        assert!(stderr.len() < 600, "{file}: one short line, {} bytes", stderr.len());
    }
    let out = faultline(&["rules", "check", &format!("{CORPUS}/rules-redos-classics.toml")]);
    assert_eq!(out.status.code(), Some(0));
    let out = faultline(&["rules", "check", &format!("{CORPUS}/rules-catastrophic-regex.toml")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("rules-catastrophic-regex.toml:11:19: invalid regex")
    );

    // A valid rule with hostile texts: shown as text everywhere.
    let dir = temp_dir("rule");
    let page = dir.join("r.html").to_string_lossy().into_owned();
    let out = faultline(&[
        "analyze",
        &format!("{CORPUS}/junit-xss-everywhere.xml"),
        "--rules",
        &format!("{CORPUS}/rules-xss-in-summary.toml"),
        "--format",
        "text",
        "--format",
        "html",
        "--out",
        &page,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("xss-<img src=x onerror=alert(1)>"), "{text}");
    assert!(raw_control(&text).is_none());
    let html = std::fs::read_to_string(&page).expect("html");
    assert!(!html.contains("<img") && !html.contains("<script") && !html.contains("<svg"));
    let _ = std::fs::remove_dir_all(&dir);
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = faultline(args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn limit_warnings(v: &serde_json::Value) -> Vec<serde_json::Value> {
    v["warnings"]
        .as_array()
        .map(|w| w.iter().filter(|w| w["kind"] == "limit_exceeded").cloned().collect())
        .unwrap_or_default()
}

#[test]
fn limit_flags() {
    let long = format!("{CORPUS}/log-long-line-100k.log");
    let v = json(&["analyze", &long, "--format", "json", "--max-line-chars", "50"]);
    let w = limit_warnings(&v);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!((w[0]["line"].as_u64(), w[0]["column"].as_u64()), (Some(2), Some(51)));
    let io = v["events"].as_array().and_then(|e| e.iter().find(|e| e["type"] == "io_error").cloned());
    assert!(io.is_some(), "the event on the long line is still found");

    let flood = format!("{CORPUS}/junit-event-flood.xml.gz");
    let v = json(&["analyze", &flood, "--format", "json", "--max-events-per-test", "100"]);
    assert_eq!(v["events"].as_array().map(Vec::len), Some(100));
    assert!(limit_warnings(&v)[0]["message"].as_str().is_some_and(|m| m.contains("twelve thousand waits")));

    let gz = format!("{CORPUS}/archive-gzip-truncated.log.gz");
    let v = json(&["analyze", &gz, "--format", "json", "--max-decompressed-bytes", "16K"]);
    assert_eq!(v["files"][0]["bytes"].as_u64(), Some(16 << 10));
    assert!(limit_warnings(&v)[0]["message"].as_str().is_some_and(|m| m.contains("16384 bytes")));

    for bad in [
        &["--max-line-chars", "0"][..],
        &["--max-events-per-test", "none"],
        &["--max-decompressed-bytes", "lots"],
        &["--max-decompressed-bytes", "0"],
    ] {
        let mut args = vec!["analyze", &long];
        args.extend_from_slice(bad);
        assert_eq!(faultline(&args).status.code(), Some(2), "{bad:?}");
    }
    let help = String::from_utf8_lossy(&faultline(&["analyze", "--help"]).stdout).into_owned();
    for flag in ["--max-decompressed-bytes", "--max-line-chars", "--max-events-per-test"] {
        assert!(help.contains(flag), "analyze --help lacks {flag}");
    }
}

#[test]
fn readable_and_unreadable_inputs_together_exit_0() {
    let out = faultline(&[
        "analyze",
        &format!("{CORPUS}/binary-random.bin"),
        &format!("{CORPUS}/archive-zip-bomb.zip"),
        &format!("{CORPUS}/log-xss.log"),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "content problems are warnings in the report, not stderr lines");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let kinds: Vec<&str> =
        v["warnings"].as_array().into_iter().flatten().filter_map(|w| w["kind"].as_str()).collect();
    assert!(kinds.contains(&"unrecognised") && kinds.contains(&"limit_exceeded"), "{kinds:?}");
}
