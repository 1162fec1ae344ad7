//! The CTRF output of every scenario under `fixtures/` validates against the CTRF project's own schema
//! (vendored at `schema/ctrf.schema.json`), and the founding case's document is snapshotted.

use std::path::{Path, PathBuf};

use faultline_core::export::ctrf;
use faultline_core::{Analysis, AnalyzeOptions, InputFile, analyze};
use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Reads a scenario folder as the CLI would (as `tests/scenarios.rs` does): every file, sorted, named
/// relative to the folder, without the scenario's own notes and generators.
fn load(dir: &Path) -> Vec<InputFile> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&d)
            .expect("readable fixture dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
            } else if !matches!(
                p.file_name().and_then(|n| n.to_str()),
                Some("expected.toml" | "README.md" | "generate.py" | "generate.sh")
            ) {
                let name = p.strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
                out.push(InputFile::new(name, std::fs::read(&p).expect("readable fixture")));
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn scenarios() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn analysis(dir: &Path) -> Analysis {
    analyze(load(dir), &AnalyzeOptions::default())
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schema/ctrf.schema.json")).expect("vendored schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the CTRF schema compiles")
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
        let reparsed: Value = serde_json::from_str(&ctrf::to_string(&a)).expect("to_string gives JSON");
        assert_eq!(reparsed, doc, "{}", dir.display());

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
fn founding_case_snapshot() {
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
    insta::assert_json_snapshot!("ctrf_rwx_recovery_cr_deleted", doc, {
        ".results.tool.version" => "[version]",
        ".generatedBy" => "[generatedBy]",
    });
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
