//! Differential test against the `junit-parser` crate: on every well-formed sample, faultline must find
//! the same cases (suite, name) with the same outcome. Where junit-parser 1.7.0 is wrong, the test pins
//! faultline's behaviour instead and says why.

use std::path::PathBuf;

use faultline_core::decode::decode;
use faultline_core::junit::read_junit;
use faultline_core::model::TestStatus;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/junit")
}

/// (name, outcome) pairs as junit-parser sees them, flattening nested suites.
fn oracle(bytes: &[u8]) -> Result<Vec<(String, &'static str)>, String> {
    fn walk(s: &junit_parser::TestSuite, out: &mut Vec<(String, &'static str)>) {
        for c in &s.cases {
            let outcome = match &c.status {
                junit_parser::TestStatus::Success => "passed",
                junit_parser::TestStatus::Failure(_) => "failed",
                junit_parser::TestStatus::Error(_) => "error",
                junit_parser::TestStatus::Skipped(_) => "skipped",
            };
            out.push((c.original_name.clone(), outcome));
        }
        for inner in &s.suites {
            walk(inner, out);
        }
    }
    let suites = junit_parser::from_reader(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for s in &suites.suites {
        walk(s, &mut out);
    }
    Ok(out)
}

fn ours(name: &str, bytes: &[u8]) -> Vec<(String, &'static str)> {
    let mut w = Vec::new();
    let text = decode(name, bytes, &mut w);
    read_junit(name, &text, &mut w)
        .cases
        .into_iter()
        .map(|c| {
            // junit-parser has no flaky outcome: a case whose only failures are flaky ones passed.
            let outcome = match c.status {
                TestStatus::Flaky => "passed",
                s => s.as_str(),
            };
            (c.name, outcome)
        })
        .collect()
}

const WELL_FORMED: [&str; 8] = [
    "pytest-xunit1.xml",
    "pytest-xunit2.xml",
    "robot-xunit.xml",
    "surefire.xml",
    "nextest.xml",
    "gotestsum.xml",
    "ginkgo.xml",
    "entities-cdata.xml",
];

#[test]
fn same_cases_and_outcomes_as_junit_parser() {
    for name in WELL_FORMED {
        let bytes = std::fs::read(dir().join(name)).expect("fixture");
        let mut theirs = oracle(&bytes).unwrap_or_else(|e| panic!("junit-parser rejected {name}: {e}"));
        let mut mine = ours(name, &bytes);
        theirs.sort();
        mine.sort();
        assert_eq!(mine, theirs, "{name}");
    }
}

#[test]
fn where_junit_parser_1_7_is_wrong_faultline_is_right() {
    // 1. Several failures in one case: junit-parser keeps one; faultline keeps all three.
    let bytes = std::fs::read(dir().join("multiple-failures.xml")).expect("fixture");
    let mut w = Vec::new();
    let doc = read_junit("m", &decode("m", &bytes, &mut w), &mut w);
    assert_eq!(doc.cases[0].failures.len(), 3);

    // 2. A non-numeric `time`: junit-parser rejects the whole file; faultline keeps every case.
    let bytes = std::fs::read(dir().join("odd-time.xml")).expect("fixture");
    assert!(oracle(&bytes).is_err(), "junit-parser 1.7.0 rejects a file over time=\"abc\"");
    assert_eq!(ours("odd-time.xml", &bytes).len(), 4);

    // 3. Entity references in element text: junit-parser drops them; faultline resolves every one.
    let bytes = std::fs::read(dir().join("entities-cdata.xml")).expect("fixture");
    let doc = read_junit("e", &decode("e", &bytes, &mut w), &mut w);
    assert!(doc.cases[0].failures[0].text.starts_with("line one <tag> &amp;"));
    let theirs = junit_parser::from_reader(std::io::Cursor::new(&bytes)).expect("parses");
    let text = match &theirs.suites[0].cases[0].status {
        junit_parser::TestStatus::Failure(f) => f.text.clone(),
        other => panic!("unexpected {other:?}"),
    };
    assert!(!text.contains("<tag>"), "junit-parser 1.7.0 drops entity references from text: {text:?}");

    // 4. Namespace prefixes: junit-parser rejects the file; faultline reads it.
    let bytes = std::fs::read(dir().join("namespaced.xml")).expect("fixture");
    assert!(oracle(&bytes).is_err());
    assert_eq!(
        ours("namespaced.xml", &bytes),
        [("prefixed pass".to_string(), "passed"), ("prefixed failure".to_string(), "failed")]
    );
}
