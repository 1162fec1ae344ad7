//! The CTRF output of every scenario under `fixtures/` validates against the CTRF project's own schema
//! (vendored at `schema/ctrf.schema.json`), and the founding case carries its diagnosis (every scenario's document
//! is snapshotted in `export_formats.rs`).

mod common;

use std::path::Path;

use common::{ctrf_in_key_order as in_key_order, ctrf_validator as validator, load, repo as root, scenarios};
use faultline_core::export::ctrf;
use faultline_core::{Analysis, AnalyzeOptions, analyze};
use serde_json::{Value, json};

fn analysis(dir: &Path) -> Analysis {
    analyze(load(dir), &AnalyzeOptions::default())
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

#[test]
fn every_scenario_is_valid_ctrf() {
    let v = validator();
    let dirs = scenarios();
    assert!(dirs.len() >= 2, "no scenarios found");
    for dir in dirs {
        let a = analysis(&dir);
        let doc = ctrf::render(&a);
        let errs = errors(&v, &doc);
        assert!(errs.is_empty(), "{}: CTRF output rejected by the schema:\n{errs:#?}", dir.display());

        // The pretty string is the same document.
        let text = ctrf::to_string(&a);
        let reparsed: Value = serde_json::from_str(&text).expect("to_string gives JSON");
        assert_eq!(reparsed, doc, "{}", dir.display());
        // Below its two top levels, every object's keys are in byte order, as `Value`'s sorted maps
        // write them: the document is written from structs, and a field declared out of order would
        // reorder the output its readers diff.
        assert_eq!(text, in_key_order(&reparsed), "{}: keys out of order", dir.display());

        // Every test is there, counted once, and every diagnosis reaches its test.
        let tests = doc["results"]["tests"].as_array().expect("tests");
        let summary = &doc["results"]["summary"];
        assert_eq!(summary["tests"], json!(tests.len()), "{}", dir.display());
        let by_status = |s: &str| tests.iter().filter(|t| t["status"] == s).count();
        assert_eq!(summary["passed"], json!(by_status("passed")), "{}", dir.display());
        assert_eq!(summary["failed"], json!(by_status("failed")), "{}", dir.display());
        assert_eq!(summary["skipped"], json!(by_status("skipped")), "{}", dir.display());
        for d in &a.report.diagnoses {
            assert!(
                tests.iter().any(|t| t["extra"]["faultline"]["id"] == d.test.id.as_str()
                    && t["extra"]["faultline"]["rule"] == d.rule.as_str()),
                "{}: diagnosis of {} missing",
                dir.display(),
                d.test.id
            );
        }
    }
}

#[test]
fn the_founding_case_carries_its_diagnosis() {
    let a = analysis(&root().join("fixtures/rwx-recovery-cr-deleted"));
    let doc = ctrf::render(&a);
    assert!(errors(&validator(), &doc).is_empty());
    let rwx = doc["results"]["tests"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["status"] == "failed"))
        .expect("the failed RWX test");
    assert_eq!(rwx["extra"]["faultline"]["rule"], "deleted-cr-instead-of-pod");
    assert_eq!(rwx["extra"]["faultline"]["blame"], "test");
    assert_eq!(rwx["extra"]["faultline"]["evidence"][0]["at"], "console.log:161");
}

#[test]
fn the_schema_rejects_what_ctrf_forbids() {
    let v = validator();
    let a = analysis(&root().join("fixtures/rwx-recovery-cr-deleted"));
    let good = ctrf::render(&a);
    assert!(errors(&v, &good).is_empty());

    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut doc = good.clone();
        edit(&mut doc);
        doc
    };
    let cases: Vec<(&str, Value)> = vec![
        ("status bogus", broken(&|d| d["results"]["tests"][0]["status"] = json!("bogus"))),
        ("status error", broken(&|d| d["results"]["tests"][0]["status"] = json!("error"))),
        ("fractional duration", broken(&|d| d["results"]["tests"][0]["duration"] = json!(1.5))),
        ("unknown test field", broken(&|d| d["results"]["tests"][0]["diagnosis"] = json!("x"))),
        (
            "no summary start",
            broken(&|d| _ = d["results"]["summary"].as_object_mut().map(|s| s.remove("start"))),
        ),
        ("wrong reportFormat", broken(&|d| d["reportFormat"] = json!("JUnit"))),
        ("specVersion not semver", broken(&|d| d["specVersion"] = json!("1.0"))),
        ("empty name", broken(&|d| d["results"]["tests"][0]["name"] = json!(""))),
    ];
    for (what, doc) in cases {
        assert!(!v.is_valid(&doc), "{what}: accepted");
    }
}
