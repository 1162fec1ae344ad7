//! Every JUnit sample under `fixtures/junit/` read and snapshotted: cases, suites and warnings.

use std::path::PathBuf;

use faultline_core::decode::decode;
use faultline_core::junit::read_junit;
use faultline_core::model::{FailureKind, TestStatus};
use faultline_core::warning::WarningKind;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/junit")
}

fn read(name: &str) -> (faultline_core::junit::JunitDoc, Vec<faultline_core::Warning>) {
    let bytes = std::fs::read(dir().join(name)).expect("fixture");
    let mut w = Vec::new();
    let text = decode(name, &bytes, &mut w);
    let doc = read_junit(name, &text, &mut w);
    (doc, w)
}

#[test]
fn every_sample_matches_its_snapshot() {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("fixtures/junit")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".xml"))
        .collect();
    names.sort();
    assert!(names.len() >= 15, "{names:?}");
    for name in names {
        let (doc, warnings) = read(&name);
        let value = serde_json::json!({ "cases": doc.cases, "suites": doc.suites, "warnings": warnings });
        insta::with_settings!({ snapshot_suffix => name.trim_end_matches(".xml").to_string(), prepend_module_to_snapshot => false }, {
            insta::assert_json_snapshot!("junit", value);
        });
    }
}

#[test]
fn dialect_facts() {
    let (d, _) = read("robot-xunit.xml");
    assert_eq!(d.cases[0].suite, "Tests.Negative.Component Resilience");
    assert_eq!(
        d.cases[2].message.as_deref(),
        Some("AssertionError\n\nAlso teardown failed:\nCleanup test resources failed")
    );

    let (d, _) = read("surefire.xml");
    let statuses: Vec<TestStatus> = d.cases.iter().map(|c| c.status).collect();
    assert_eq!(statuses, [TestStatus::Flaky, TestStatus::Failed, TestStatus::Passed]);
    assert!(d.cases[1].failures.iter().any(|f| f.kind == FailureKind::RerunFailure));

    let (d, _) = read("jenkins-nested.xml");
    assert_eq!(d.cases.len(), 3);
    assert_eq!(d.cases[0].start_ms, Some(1_731_751_920_000));

    let (d, _) = read("nextest.xml");
    assert_eq!(d.cases[1].status, TestStatus::Failed);
    assert_eq!(d.cases[2].status, TestStatus::Flaky);
    assert_eq!(d.cases[1].start_ms, Some(1_731_751_920_140));

    let (d, _) = read("ctest.xml");
    let statuses: Vec<TestStatus> = d.cases.iter().map(|c| c.status).collect();
    assert_eq!(statuses, [TestStatus::Passed, TestStatus::Failed, TestStatus::Skipped]);

    let (d, _) = read("pytest-xunit2.xml");
    assert_eq!(d.cases.len(), 6);
    assert_eq!(d.cases[2].status, TestStatus::Error);
    assert!(
        d.cases[1].failures[0].text.contains("assert got == expected, f\"checksum <{got}> & ]]> differs\"")
    );
}

#[test]
fn odd_and_broken_files_keep_everything() {
    let (d, w) = read("multiple-failures.xml");
    assert_eq!(d.cases[0].failures.len(), 3);
    assert!(w.is_empty(), "{w:?}");

    let (d, w) = read("entities-cdata.xml");
    let f = &d.cases[0].failures[0];
    assert_eq!(f.message.as_deref(), Some("a <b> & c\nsecond line\ttab \"q\" 'a'"));
    assert_eq!(f.text, "line one <tag> &amp;\n<raw> & unescaped ]]> end tail ©\n");
    assert_eq!(d.cases[0].name, "text <kept> & exact");
    assert!(w.is_empty(), "{w:?}");

    let (d, w) = read("odd-time.xml");
    let ms: Vec<Option<f64>> = d.cases.iter().map(|c| c.duration_ms).collect();
    assert_eq!(ms, [Some(1_234_500.0), None, None, Some(500.0)]);
    assert_eq!(d.cases[2].time_raw.as_deref(), Some("abc"));
    assert_eq!(w.iter().filter(|w| w.kind == WarningKind::BadAttribute).count(), 1);

    let (d, w) = read("truncated.xml");
    assert_eq!(d.cases.len(), 2);
    assert_eq!(d.cases[1].failures[0].text, "partial bo");
    let m = w.iter().find(|w| w.kind == WarningKind::MalformedXml).expect("located warning");
    assert_eq!(m.line, Some(5));

    let (_, w) = read("count-mismatch.xml");
    assert!(w.iter().any(|w| w.kind == WarningKind::CountMismatch && w.line == Some(2)));

    let (d, w) = read("bad-entity.xml");
    assert_eq!(d.cases[0].failures[0].text, "body with &bogus; inside");
    assert_eq!(d.cases[0].failures[0].message.as_deref(), Some("uses &nbsp; from HTML"));
    assert!(w.iter().any(|w| w.message.contains("&")), "{w:?}");

    let (d, _) = read("namespaced.xml");
    assert_eq!(d.cases[1].status, TestStatus::Failed);
}
