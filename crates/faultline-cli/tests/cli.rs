//! The `faultline` binary's public contract: exit codes, stderr lines and the JSON report's shape.

mod common;

use std::process::Output;

use common::{faultline, repo};

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn json_report_has_the_v1_fields() {
    let out = faultline(&["analyze", "fixtures/rwx-recovery-cr-deleted", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(v["schema"], "faultline.report/v1");
    for key in ["tests", "passed", "failed", "errors", "skipped", "flaky"] {
        assert!(v["summary"][key].is_u64(), "summary.{key} missing");
    }
    let test = &v["tests"][0];
    for key in ["id", "suite", "name", "status", "duration_ms", "message", "source"] {
        assert!(test.get(key).is_some(), "tests[].{key} missing");
    }
    assert!(test["source"]["file"].is_string());
    let event = &v["events"][0];
    for key in ["type", "time_ms", "test", "source", "fields"] {
        assert!(event.get(key).is_some(), "events[].{key} missing");
    }
    assert!(event["source"]["line"].is_u64());
    assert!(v["warnings"].is_array());
}

#[test]
fn no_input_is_a_usage_error() {
    let out = faultline(&["analyze"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one clear line: {err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let out = faultline(&["analyze", "--no-such-flag", "x"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn missing_paths_are_reported_one_line_each_and_exit_2_when_nothing_is_readable() {
    let out = faultline(&["analyze", "does/not/exist.xml", "neither/this.log", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.lines().any(|l| l.contains("does/not/exist.xml")), "{err}");
    assert!(err.lines().any(|l| l.contains("neither/this.log")), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_missing_path_beside_a_readable_one_still_analyses() {
    let out = faultline(&[
        "analyze",
        "does/not/exist.xml",
        "fixtures/rwx-recovery-pod-deleted",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does/not/exist.xml"));
    assert!(json(&out)["summary"]["tests"].as_u64().unwrap_or(0) >= 1);
}

#[test]
fn binary_only_input_exits_2() {
    let dir = std::env::temp_dir().join(format!("faultline-cli-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("blob.bin");
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    std::fs::write(&file, bytes).expect("write blob");
    let out = faultline(&["analyze", file.to_str().expect("utf-8 temp path"), "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn text_report_lists_the_failed_test_first() {
    let out = faultline(&["analyze", "fixtures/rwx-recovery-cr-deleted"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let first_test = text.lines().find(|l| l.starts_with("FAILED") || l.starts_with("PASSED"));
    assert!(first_test.is_some_and(|l| l.starts_with("FAILED")), "{text}");
}

#[test]
fn a_user_pattern_pack_adds_events_and_a_broken_one_is_located() {
    let dir = std::env::temp_dir().join(format!("faultline-cli-pack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let good = dir.join("mine.toml");
    std::fs::write(
        &good,
        "[[pattern]]\nid = \"bundle-downloaded\"\nevent = \"state_changed\"\ncontains = [\"downloaded support bundle\"]\nregex = '''Downloaded support bundle to (?P<name>\\S+)'''\n[pattern.fields]\nkind = \"SupportBundle\"\nstate = \"downloaded\"\n",
    )
    .expect("write pack");
    let out = faultline(&[
        "analyze",
        "fixtures/rwx-recovery-cr-deleted",
        "--patterns",
        good.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    let events = v["events"].as_array().expect("events");
    assert!(
        events
            .iter()
            .any(|e| e["extractor"] == "bundle-downloaded" && e["fields"]["kind"] == "SupportBundle")
    );

    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "[[pattern]]\nid = \"x\"\nevent = \"no_such_event\"\ncontains = [\"x\"]\nregex = \"x\"\n",
    )
    .expect("write");
    let out = faultline(&[
        "analyze",
        "fixtures/rwx-recovery-cr-deleted",
        "--patterns",
        bad.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:3:9") && err.contains("unknown event type"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn text_report_fits_100_columns_and_escapes_control_characters() {
    let out = faultline(&["analyze", "fixtures/rwx-recovery-cr-deleted"]);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    for line in text.lines() {
        assert!(line.chars().count() <= 100, "{} columns: {line}", line.chars().count());
        assert!(!line.contains('\u{1b}'), "raw escape in {line:?}");
    }
}

#[test]
fn escape_sequences_from_artifacts_never_reach_the_terminal() {
    let dir = std::env::temp_dir().join(format!("faultline-cli-ansi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let junit = dir.join("junit.xml");
    std::fs::write(
        &junit,
        "<testsuite name=\"s\"><testcase classname=\"s\" name=\"t&#27;]0;pwned&#7;\"><failure message=\"&#27;[2J&#27;[31mred\"/></testcase></testsuite>",
    )
    .expect("write");
    let out = faultline(&["analyze", junit.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text:?}");
    assert!(text.contains("\\u{1b}[31mred"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn json_report_carries_the_diagnosis_and_the_replay() {
    let out = faultline(&["analyze", "fixtures/rwx-recovery-cr-deleted", "--format", "json"]);
    let v = json(&out);
    let d = &v["diagnoses"][0];
    for key in
        ["test", "rule", "blame", "confidence", "summary", "fix", "evidence", "symptoms", "fingerprint"]
    {
        assert!(d.get(key).is_some(), "diagnoses[].{key} missing");
    }
    assert_eq!(d["rule"], "deleted-cr-instead-of-pod");
    assert_eq!(d["blame"], "test");
    assert!(d["test"]["id"].is_string() && d["test"]["name"].is_string());
    assert!(d["evidence"][0]["text"].as_str().is_some_and(|t| t.contains("delete_namespaced_custom_object")));
    assert!(v["timeline"][0]["steps"].as_array().is_some_and(|s| !s.is_empty()));
    let fixed = json(&faultline(&["analyze", "fixtures/rwx-recovery-pod-deleted", "--format", "json"]));
    assert_eq!(fixed["diagnoses"].as_array().map(Vec::len), Some(0), "a passing run gets no root cause");
}

#[test]
fn rules_check_locates_mistakes_and_user_rules_apply() {
    let dir = std::env::temp_dir().join(format!("faultline-cli-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[[rule]]\nid = \"x\"\nblame = \"test\"\nconfidence = 0.5\nsummary = \"s\"\n[[rule.match]]\ntype = \"nope\"\n")
        .expect("write");
    let out = faultline(&["rules", "check", bad.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("bad.toml:7:8: unknown event type"), "{text}");
    let out =
        faultline(&["analyze", "fixtures/rwx-recovery-cr-deleted", "--rules", bad.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));

    let good = dir.join("good.toml");
    std::fs::write(
        &good,
        "[[rule]]\nid = \"deleted-cr-instead-of-pod\"\nblame = \"test\"\nconfidence = 0.42\npriority = 200\nsummary = \"ours: {cr.name}\"\n[[rule.match]]\nas = \"cr\"\ntype = \"object_deleted\"\nwhere = { kind = \"ShareManager\", name = \"~.\" }\n",
    )
    .expect("write");
    let out = faultline(&["rules", "check", good.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&faultline(&[
        "analyze",
        "fixtures/rwx-recovery-cr-deleted",
        "--rules",
        good.to_str().expect("utf-8"),
        "--format",
        "json",
    ]));
    assert_eq!(v["diagnoses"][0]["confidence"], 0.42);
    assert!(v["diagnoses"][0]["summary"].as_str().is_some_and(|s| s.starts_with("ours: pvc-")));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rules_list_names_the_public_rule_ids() {
    let out = faultline(&["rules", "list"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for id in [
        "deleted-cr-instead-of-pod",
        "data-unreadable",
        "data-corrupted",
        "data-lost",
        "wait-timeout",
        "infrastructure",
        "waited-for-deletion-of-recreated-pod",
        "node-left-down-by-earlier-test",
    ] {
        assert!(text.contains(id), "{id}");
    }
}

/// The README's worked rule must stay valid: users copy it.
#[test]
fn the_readme_rule_example_passes_rules_check() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README");
    let section = readme.split("## Root-cause rules").nth(1).expect("section");
    let block = section.split("```toml\n").nth(1).and_then(|b| b.split("```").next()).expect("toml block");
    let dir = std::env::temp_dir().join(format!("faultline-cli-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("readme-rule.toml");
    std::fs::write(&file, block).expect("write");
    let out = faultline(&["rules", "check", file.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let _ = std::fs::remove_dir_all(&dir);
}
