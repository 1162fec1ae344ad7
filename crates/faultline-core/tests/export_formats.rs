//! Every report format over every scenario: the JSON report validates against the committed schema
//! (made strict here, so a field the schema does not describe fails), and the Markdown, GitHub, HTML
//! and CTRF outputs are snapshotted.

mod common;

use common::{load, name, scenarios, strict_schema_validator};
use faultline_core::export::{ctrf, github, html, markdown};
use faultline_core::{AnalyzeOptions, analyze};
use serde_json::Value;

#[test]
fn every_format_over_every_scenario() {
    let validator = strict_schema_validator();
    let mut checked = 0;
    for dir in scenarios() {
        let scenario = name(&dir);
        let analysis = analyze(load(&dir), &AnalyzeOptions::default());

        let json: Value = serde_json::from_str(&analysis.report.to_json_pretty()).unwrap_or_default();
        let errors: Vec<String> =
            validator.iter_errors(&json).take(5).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(
            errors.is_empty(),
            "{scenario}: the JSON report does not match its schema:\n{}",
            errors.join("\n")
        );

        let md = markdown::render(&analysis, &markdown::MarkdownOptions::default());
        assert!(md.len() <= markdown::STEP_SUMMARY_BYTES, "{scenario}: {} bytes of Markdown", md.len());
        insta::assert_snapshot!(format!("markdown_{scenario}"), md);
        insta::assert_snapshot!(format!("github_{scenario}"), github::render(&analysis));
        insta::assert_snapshot!(format!("html_{scenario}"), html::render(&analysis));
        // The version is redacted so a release does not touch every snapshot.
        let ctrf = ctrf::to_string(&analysis).replace(env!("CARGO_PKG_VERSION"), "[version]");
        insta::assert_snapshot!(format!("ctrf_{scenario}"), ctrf);
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} scenarios");
}

#[test]
fn the_strict_schema_rejects_what_it_does_not_describe() {
    let validator = strict_schema_validator();
    let dir = scenarios().into_iter().next().unwrap_or_default();
    let report = analyze(load(&dir), &AnalyzeOptions::default()).report;
    let mut json: Value = serde_json::from_str(&report.to_json_pretty()).unwrap_or_default();
    assert!(validator.is_valid(&json));
    json["summary"]["surprise"] = Value::from(1);
    assert!(!validator.is_valid(&json), "an undescribed field passed");
    json["summary"].as_object_mut().map(|m| m.remove("surprise"));
    json["schema"] = Value::from("faultline.report/v2");
    assert!(!validator.is_valid(&json), "a wrong schema id passed");
}
