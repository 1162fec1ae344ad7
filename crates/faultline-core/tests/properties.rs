//! Properties of the whole analysis on any input (proptest, on stable, in the normal suite): bytes as a
//! JUnit file, a log, an output.xml or an archive — raw, or real documents cut and corrupted at random —
//! never make it panic; the report always validates against the committed schema, and its CTRF document
//! against CTRF's; every warning names an input (or a member of one); the same bytes always give
//! byte-identical JSON. Case counts are kept modest so the suite stays fast; the fuzz targets
//! (`cargo xtask fuzz`) go deeper.

mod common;

use std::io::Write;
use std::sync::OnceLock;

use common::{belongs, repo};
use faultline_core::export::ctrf;
use faultline_core::{AnalyzeOptions, InputFile, analyze};
use proptest::prelude::*;
use serde_json::Value;

fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let text =
            std::fs::read_to_string(repo().join("schema/faultline.report.v1.schema.json")).expect("schema");
        let schema: Value = serde_json::from_str(&text).expect("schema JSON");
        jsonschema::validator_for(&schema).expect("valid schema")
    })
}

/// Small real documents to corrupt: what the readers are built for, so mutations reach deep.
const JUNIT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites><testsuite name="s" tests="2" failures="1" timestamp="2024-11-16T10:12:00Z">
<testcase classname="s" name="a &amp; b" time="1.5"><failure message="md5sum: can't open '/data/data.txt': Connection timed out" type="E">body &lt;x&gt;<![CDATA[raw]]></failure><system-out>out</system-out></testcase>
<testcase classname="s" name="passes" time="0,5"/>
</testsuite></testsuites>
"#;

/// Surefire's attempts and properties, which the CTRF document turns into retries and labels.
const SUREFIRE: &str = r#"<testsuite name="a.B" tests="3" timestamp="2024-11-16T10:00:00Z">
<testcase name="flaky" classname="a.B" time="3"><properties><property name="k" value="1"/><property name="k" value="2"/><property name="owner" value="qa"/></properties>
<flakyFailure message="once" type="java.lang.AssertionError"><stackTrace>at a.B:1</stackTrace><system-out>attempt 1</system-out></flakyFailure></testcase>
<testcase name="broken" classname="a.B" time="4"><failure message="first">at a.B:3</failure>
<rerunFailure message="second"><stackTrace>at a.B:4</stackTrace></rerunFailure><system-err>err</system-err></testcase>
<testcase name="broken" classname="a.B" time="1"/>
</testsuite>
"#;

const ROBOT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<robot generator="Robot 7.0"><suite name="S"><test name="T">
<kw name="Delete sharemanager of deployment 0" owner="k"><arg>pvc-1</arg><msg time="2024-11-16T10:15:02.815" level="INFO">delete_namespaced_custom_object(plural="sharemanagers", name="pvc-1")</msg><status status="PASS" start="2024-11-16T10:15:02.000" elapsed="1.0"/></kw>
<doc>Delete the pod and recover</doc><tag>t</tag>
<status status="FAIL" start="2024-11-16T10:12:00.000" elapsed="300.0">Checking pod x data checksum failed</status></test></suite></robot>
"#;

const LOG: &str = "[2024-11-16T10:15:02.817Z] delete_namespaced_custom_object(group=\"longhorn.io\", plural=\"sharemanagers\", name=\"pvc-1\")\n\
time=\"2024-11-16T10:15:02.874Z\" level=info msg=\"ShareManager pvc-1 not found, creating a new one\"\n\
I1116 10:15:03.123456   1 controller.go:42] synced\n\
[Sat Nov 16 10:16:06 2024] nfs: server 10.43.12.7 not responding, timed out\n\
\u{1b}[31mmd5sum: can't open '/data/data.txt': Connection timed out\u{1b}[0m\r\n";

fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in members {
        let opts =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        w.start_file(*name, opts).expect("zip member");
        w.write_all(data).expect("zip write");
    }
    w.finish().expect("zip").into_inner()
}

fn bundle() -> &'static [u8] {
    static B: OnceLock<Vec<u8>> = OnceLock::new();
    B.get_or_init(|| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(LOG.as_bytes()).expect("gz");
        let gz = gz.finish().expect("gz");
        zip_of(&[
            ("junit.xml", JUNIT.as_bytes()),
            ("output.xml", ROBOT.as_bytes()),
            ("logs/console.log.gz", &gz),
            ("../escape.log", LOG.as_bytes()),
        ])
    })
}

/// A document damaged at random: bytes overwritten, bytes inserted, then cut somewhere.
fn corrupted(doc: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..12),
        proptest::collection::vec(
            (any::<prop::sample::Index>(), proptest::collection::vec(any::<u8>(), 1..8)),
            0..4,
        ),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(move |(flips, inserts, cut, truncate)| {
            let mut d = doc.to_vec();
            for (at, byte) in flips {
                let i = at.index(d.len());
                d[i] = byte;
            }
            for (at, bytes) in inserts {
                let i = at.index(d.len() + 1);
                d.splice(i..i, bytes);
            }
            if truncate {
                d.truncate(cut.index(d.len() + 1));
            }
            d
        })
}

/// Raw bytes, or a corrupted JUnit file, output.xml, log or zip bundle.
fn any_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2048),
        corrupted(JUNIT.as_bytes()),
        corrupted(SUREFIRE.as_bytes()),
        corrupted(ROBOT.as_bytes()),
        corrupted(LOG.as_bytes()),
        corrupted(bundle()),
    ]
}

const NAMES: [&str; 4] = ["junit.xml", "console.log", "output.xml", "bundle.zip.gz"];

fn report_json(files: Vec<InputFile>) -> String {
    analyze(files, &AnalyzeOptions::default()).report.to_json_pretty()
}

fn ctrf_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(common::ctrf_validator)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Any bytes under any name: a report that validates, warnings naming an input, same bytes same JSON.
    #[test]
    fn any_bytes_give_a_valid_deterministic_report(bytes in any_input(), name in 0..NAMES.len()) {
        let name = NAMES[name];
        let analysis = analyze(vec![InputFile::new(name, bytes.clone())], &AnalyzeOptions::default());
        let json = analysis.report.to_json_pretty();
        let v: Value = serde_json::from_str(&json).expect("the report is JSON");
        let errors: Vec<String> = validator().iter_errors(&v).take(3).map(|e| e.to_string()).collect();
        prop_assert!(errors.is_empty(), "schema: {errors:?}");
        for w in v["warnings"].as_array().into_iter().flatten() {
            let file = w["file"].as_str().unwrap_or_default();
            prop_assert!(belongs(name, file), "a warning names {file:?}, not an input");
        }
        for f in v["files"].as_array().into_iter().flatten() {
            let file = f["name"].as_str().unwrap_or_default();
            prop_assert!(belongs(name, file), "a file entry {file:?} that is no input");
        }
        let again = report_json(vec![InputFile::new(name, bytes)]);
        prop_assert!(json == again, "the same bytes gave different reports");

        // The CTRF document of the same run: valid CTRF, with its keys in the order it always had.
        let ctrf = ctrf::to_string(&analysis);
        let doc: Value = serde_json::from_str(&ctrf).expect("the CTRF document is JSON");
        let errors: Vec<String> = ctrf_validator().iter_errors(&doc).take(3).map(|e| e.to_string()).collect();
        prop_assert!(errors.is_empty(), "CTRF schema: {errors:?}");
        prop_assert_eq!(ctrf, common::ctrf_in_key_order(&doc));
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Several damaged inputs together: still valid, and each warning names one of them.
    #[test]
    fn damaged_inputs_together(junit in corrupted(JUNIT.as_bytes()), robot in corrupted(ROBOT.as_bytes()),
                               log in corrupted(LOG.as_bytes()), zip in corrupted(bundle())) {
        let names = ["junit.xml", "output.xml", "console.log", "bundle.zip"];
        let files: Vec<InputFile> =
            names.iter().zip([junit, robot, log, zip]).map(|(n, b)| InputFile::new(*n, b)).collect();
        let json = report_json(files.clone());
        let v: Value = serde_json::from_str(&json).expect("the report is JSON");
        prop_assert!(validator().is_valid(&v));
        for w in v["warnings"].as_array().into_iter().flatten() {
            let file = w["file"].as_str().unwrap_or_default();
            prop_assert!(names.iter().any(|n| belongs(n, file)), "a warning names {file:?}");
        }
        prop_assert!(json == report_json(files), "not deterministic");
    }
}

#[test]
fn the_seeds_themselves_are_read() {
    let r = analyze(vec![InputFile::new("bundle.zip", bundle().to_vec())], &AnalyzeOptions::default()).report;
    assert_eq!(r.tests.len(), 3, "{:#?}", r.files);
    assert!(r.events.len() > 5);
}
