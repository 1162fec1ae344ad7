//! `faultline analyze` as a CI step: formats routed to files and stdout, --fail-on exit codes, --quiet,
//! --test, --history, --baseline, colour, completions and the committed JSON Schema.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{faultline, repo};

/// A scenario's artifacts, without its ground truth and notes (which are not CI output).
fn artifacts(scenario: &str) -> Vec<String> {
    let dir = repo().join("fixtures").join(scenario);
    let mut out: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !matches!(p.file_name().and_then(|n| n.to_str()), Some("expected.toml" | "README.md")))
        .map(|p| p.strip_prefix(repo()).unwrap_or(&p).to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

fn run(scenario: &str, extra: &[&str]) -> Output {
    let files = artifacts(scenario);
    let mut args: Vec<&str> = vec!["analyze"];
    args.extend(files.iter().map(String::as_str));
    args.extend_from_slice(extra);
    faultline(&args)
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("faultline-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn read_json(p: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(p).expect("report written")).expect("JSON")
}

const FOUNDING: &str = "rwx-recovery-cr-deleted";
const FIXED: &str = "rwx-recovery-pod-deleted";

#[test]
fn each_out_takes_the_format_before_it_and_one_format_goes_to_stdout() {
    let dir = tmp("routing");
    let (json, md, html, ctrf) =
        (dir.join("r.json"), dir.join("r.md"), dir.join("r.html"), dir.join("r.ctrf.json"));
    let out = run(
        FOUNDING,
        &[
            "--format",
            "json",
            "--out",
            json.to_str().unwrap_or_default(),
            "--format",
            "markdown",
            "--out",
            md.to_str().unwrap_or_default(),
            "--format",
            "github",
            "--format",
            "html",
            "--out",
            html.to_str().unwrap_or_default(),
            "--format",
            "ctrf",
            "--out",
            ctrf.to_str().unwrap_or_default(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read_json(&json)["schema"], "faultline.report/v1");
    assert!(std::fs::read_to_string(&md).unwrap_or_default().contains("deleted-cr-instead-of-pod"));
    assert!(std::fs::read_to_string(&html).unwrap_or_default().contains("deleted-cr-instead-of-pod"));
    assert_eq!(read_json(&ctrf)["reportFormat"], "CTRF");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("::error "), "{stdout}");
}

#[test]
fn misplaced_or_clashing_outs_are_usage_errors() {
    let out = run(FOUNDING, &["--out", "x.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("comes before any --format"), "{}", stderr(&out));
    let out = run(FOUNDING, &["--format", "json", "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("standard output"), "{}", stderr(&out));
}

#[test]
fn fail_on_sets_the_exit_code() {
    for (scenario, when, code) in [
        (FOUNDING, "failed", 1),
        (FOUNDING, "diagnosed", 1),
        (FOUNDING, "never", 0),
        (FIXED, "failed", 0),
        (FIXED, "diagnosed", 0),
    ] {
        let out = run(scenario, &["--fail-on", when, "--format", "json"]);
        assert_eq!(out.status.code(), Some(code), "{scenario} --fail-on {when}: {}", stderr(&out));
    }
    assert_eq!(run(FOUNDING, &[]).status.code(), Some(0), "the default is never");
    // A failure no rule explains is `failed` but not `diagnosed`.
    let dir = tmp("unexplained");
    let junit = dir.join("junit.xml");
    std::fs::write(&junit, r#"<testsuite name="s"><testcase classname="s" name="t"><failure message="boom"/></testcase></testsuite>"#)
        .expect("write");
    let j = junit.to_str().unwrap_or_default();
    assert_eq!(faultline(&["analyze", j, "--fail-on", "diagnosed"]).status.code(), Some(0));
    assert_eq!(faultline(&["analyze", j, "--fail-on", "failed"]).status.code(), Some(1));
}

#[test]
fn quiet_prints_nothing_but_still_writes_files_and_exits_by_fail_on() {
    let dir = tmp("quiet");
    let json = dir.join("r.json");
    let out = run(
        FOUNDING,
        &["--quiet", "--fail-on", "failed", "--format", "json", "--out", json.to_str().unwrap_or_default()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{}", stderr(&out));
    assert!(json.is_file());
    let loud = run(FOUNDING, &["--format", "json", "--out", json.to_str().unwrap_or_default()]);
    assert!(stderr(&loud).contains("root causes: deleted-cr-instead-of-pod"), "{}", stderr(&loud));
}

#[test]
fn test_patterns_narrow_the_report() {
    let out = run(FOUNDING, &["--format", "json", "--test", "*RWO*"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let names: Vec<&str> =
        v["tests"].as_array().into_iter().flatten().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(names, vec!["Test Longhorn Dynamic Provisioned RWO Volume Recovery"]);
    assert_eq!(v["diagnoses"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["summary"]["tests"], 1);
    let none = run(FOUNDING, &["--test", "no such test"]);
    assert!(stderr(&none).contains("no test matches"), "{}", stderr(&none));
}

#[test]
fn history_records_runs_and_reports_new_flaky_and_recurring_failures() {
    let dir = tmp("history");
    let h = dir.to_str().unwrap_or_default();
    let json = |o: &Output| -> serde_json::Value { serde_json::from_slice(&o.stdout).expect("JSON") };
    let first = run(FIXED, &["--history", h, "--run-id", "r1", "--format", "json"]);
    assert_eq!(json(&first)["history"]["runs"], serde_json::json!(["r1"]));
    let second = json(&run(FOUNDING, &["--history", h, "--run-id", "r2", "--format", "json"]));
    let new: Vec<&str> = second["history"]["new_failures"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["test"].as_str())
        .collect();
    assert_eq!(
        new,
        vec!["Tests.Negative.Component Resilience::Test Longhorn Dynamic Provisioned RWX Volume Recovery"]
    );
    let _ = run(FIXED, &["--history", h, "--run-id", "r3", "--format", "json"]);
    let fourth = json(&run(FOUNDING, &["--history", h, "--run-id", "r4", "--format", "json"]));
    let flaky = &fourth["history"]["flaky"][0];
    assert_eq!(flaky["history"], "PFPF", "{fourth:#}");
    assert_eq!(fourth["history"]["recurring"][0]["rule"], "deleted-cr-instead-of-pod");
    assert_eq!(fourth["history"]["recurring"][0]["runs"], 2);
    assert_eq!(fourth["history"]["runs"], serde_json::json!(["r1", "r2", "r3", "r4"]));
    // Every human format shows it (the same run id again replaces its record, so r4 stays the fourth).
    let html = dir.join("report.html");
    let both = run(
        FOUNDING,
        &[
            "--history",
            h,
            "--run-id",
            "r4",
            "--format",
            "html",
            "--out",
            html.to_str().unwrap_or_default(),
            "--format",
            "markdown",
        ],
    );
    let page = std::fs::read_to_string(&html).unwrap_or_default();
    assert!(
        page.contains("History (4 runs)") && page.contains("Recurring root causes"),
        "no history in the HTML"
    );
    let md = String::from_utf8_lossy(&both.stdout);
    assert!(md.contains("### History (4 runs") && md.contains("PFPF"), "{md}");
    std::fs::remove_file(&html).expect("remove");
    // One file per run; a re-run under the same id replaces its record.
    let _ = run(FOUNDING, &["--history", h, "--run-id", "r4", "--format", "json"]);
    assert_eq!(std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0), 4);
    // --history-runs bounds the comparison.
    let last =
        json(&run(FOUNDING, &["--history", h, "--run-id", "r5", "--history-runs", "1", "--format", "json"]));
    assert_eq!(last["history"]["runs"], serde_json::json!(["r4", "r5"]));
    // A corrupt record is reported and skipped.
    std::fs::write(dir.join("broken.json"), "{not json").expect("write");
    let out = run(FOUNDING, &["--history", h, "--run-id", "r6", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("broken.json"), "{}", stderr(&out));
}

#[test]
fn baseline_ranks_lines_new_since_the_passing_run() {
    let out = run(FOUNDING, &["--baseline", "fixtures/rwx-recovery-pod-deleted", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let b = &v["baseline"];
    assert!(b["new_lines"].as_u64().unwrap_or(0) > 0);
    let top: Vec<&str> =
        b["top"].as_array().into_iter().flatten().filter_map(|l| l["text"].as_str()).collect();
    assert!(top.iter().any(|t| t.contains("not found, creating a new one")), "{top:#?}");
    // The fixed run's own lines (same test, other ids and times) are not new.
    assert!(!top.iter().any(|t| t.contains("RWO Volume Recovery")), "{top:#?}");
    let text = run(FOUNDING, &["--baseline", "fixtures/rwx-recovery-pod-deleted"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("NEW SINCE THE PASSING RUN"));
    let html = run(FOUNDING, &["--baseline", "fixtures/rwx-recovery-pod-deleted", "--format", "html"]);
    let page = String::from_utf8_lossy(&html.stdout);
    assert!(page.contains("New since the passing run") && page.contains("not found, creating a new one"));
    let missing = run(FOUNDING, &["--baseline", "no/such/dir"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let always = run(FOUNDING, &["--color", "always"]);
    assert!(always.stdout.windows(2).any(|w| w == b"\x1b["), "no colour with --color always");
    for flags in [&["--color", "never"][..], &[][..]] {
        let out = run(FOUNDING, flags);
        assert!(!out.stdout.contains(&0x1b), "colour in a pipe with {flags:?}");
    }
}

#[test]
fn the_text_report_of_every_scenario() {
    let mut scenarios: Vec<String> = std::fs::read_dir(repo().join("fixtures"))
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.toml").is_file())
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    scenarios.sort();
    assert!(scenarios.len() >= 10);
    for scenario in scenarios {
        let out = run(&scenario, &["--color", "never"]);
        assert_eq!(out.status.code(), Some(0), "{scenario}: {}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        for line in text.lines() {
            assert!(line.chars().count() <= 100, "{scenario}: over 100 columns: {line}");
            assert!(!line.contains('\x1b'), "{scenario}: a raw escape reached the terminal: {line}");
        }
        insta::assert_snapshot!(format!("text_{scenario}"), text);
    }
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = faultline(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains("fail-on") && script.contains("baseline"), "{shell}: {script}");
    }
    assert_eq!(faultline(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn the_committed_schema_is_the_one_the_types_generate() {
    let out = faultline(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let generated: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let path = repo().join("schema/faultline.report.v1.schema.json");
    let committed = read_json(&path);
    assert!(
        generated == committed,
        "schema/faultline.report.v1.schema.json is stale: run `cargo run -p faultline-cli -- schema > {}`",
        path.display()
    );
}

#[test]
fn help_names_every_flag_and_exit_code() {
    let top = String::from_utf8_lossy(&faultline(&["--help"]).stdout).into_owned();
    for word in ["analyze", "rules", "completions", "schema", "Exit codes", "--fail-on"] {
        assert!(top.contains(word), "faultline --help lacks {word}");
    }
    let analyze = String::from_utf8_lossy(&faultline(&["analyze", "--help"]).stdout).into_owned();
    for flag in [
        "--format",
        "--out",
        "--rules",
        "--patterns",
        "--baseline",
        "--history",
        "--history-runs",
        "--run-id",
        "--test",
        "--fail-on",
        "--quiet",
        "--color",
        "text",
        "json",
        "markdown",
        "html",
        "ctrf",
        "github",
        "Examples",
    ] {
        assert!(analyze.contains(flag), "analyze --help lacks {flag}");
    }
    for sub in [
        &["rules", "--help"][..],
        &["rules", "check", "--help"],
        &["completions", "--help"],
        &["schema", "--help"],
    ] {
        let out = faultline(sub);
        assert_eq!(out.status.code(), Some(0), "{sub:?}");
    }
}
