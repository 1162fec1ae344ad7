//! The wasm build in headless Chromium (`wasm-bindgen-test-runner` with Debian's chromedriver): every
//! scenario analysed through the exported API gives exactly the diagnoses, clusters, counts and warnings
//! the native scenario test pinned in its snapshot; the replay's object states, rule tools and typed
//! errors work across the boundary.

#![cfg(target_arch = "wasm32")]

use faultline_wasm::{Analyzer, analyze_to_analysis, builtin_rules, check_rules};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{SCENARIOS, founding, get, held_at_most, js_files, report_of};

/// The JSON body of an insta snapshot (after its `---` header).
fn snapshot_json(snap: &str) -> serde_json::Value {
    let body = snap.splitn(3, "---\n").nth(2).unwrap_or_default();
    serde_json::from_str(body).unwrap_or_default()
}

#[wasm_bindgen_test]
fn every_scenario_matches_the_native_diagnosis() {
    assert!(SCENARIOS.len() >= 10, "only {} scenarios", SCENARIOS.len());
    for s in SCENARIOS {
        let analysis = analyze_to_analysis(js_files(s.files), JsValue::UNDEFINED)
            .unwrap_or_else(|e| panic!("{}: {e:?}", s.name));
        let report: serde_json::Value = serde_json::from_str(&analysis.report_json(None)).unwrap_or_default();
        let native = snapshot_json(s.snapshot);
        for key in ["summary", "diagnoses", "clusters", "warnings", "files"] {
            assert_eq!(report[key], native[key], "{}: `{key}` differs from the native snapshot", s.name);
        }
        let mut counts = std::collections::BTreeMap::new();
        for e in report["events"].as_array().into_iter().flatten() {
            *counts.entry(e["type"].as_str().unwrap_or_default().to_string()).or_insert(0u64) += 1;
        }
        assert_eq!(serde_json::to_value(counts).unwrap_or_default(), native["event_counts"], "{}", s.name);
    }
}

#[wasm_bindgen_test]
fn the_replay_shows_the_cr_deleted_and_recreated() {
    let analysis = analyze_to_analysis(js_files(founding().files), JsValue::UNDEFINED).expect("analysis");
    let report = analysis.report().expect("report");
    let failed = get(&get(&get(&report, "diagnoses"), "0"), "test");
    let id = get(&failed, "id").as_string().expect("test id");
    let steps = Array::from(&get(
        &Array::from(&get(&report, "timeline"))
            .find(&mut |t, _, _| get(&t, "test").as_string().as_deref() == Some(&id)),
        "steps",
    ));
    let existence_at = |step: u32| -> Vec<String> {
        let states = Array::from(&analysis.state_at(&id, step).expect("stateAt"));
        states
            .iter()
            .filter(|o| get(o, "kind").as_string().as_deref() == Some("ShareManager"))
            .filter_map(|o| get(&o, "existence").as_string())
            .collect()
    };
    let last = steps.length() - 1;
    let seen: Vec<Vec<String>> = (0..=last).map(existence_at).collect();
    assert!(seen.iter().any(|s| s.contains(&"deleted".to_string())), "never deleted: {seen:?}");
    assert!(seen.last().is_some_and(|s| s.contains(&"recreated".to_string())), "not recreated at the end");
    let err = analysis.state_at(&id, last + 1).expect_err("past the end");
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("state"));
}

/// With or without the file's size, and whatever size is given (it only sizes a reservation).
#[wasm_bindgen_test]
fn chunks_give_the_same_report_as_whole_files() {
    let whole = analyze_to_analysis(js_files(founding().files), JsValue::UNDEFINED).expect("whole");
    let sizes: [fn(usize) -> Option<f64>; 7] = [
        |_| None,
        |n| Some(n as f64),
        |n| Some((n / 3) as f64),
        |n| Some((n * 2 + 1) as f64),
        |_| Some(1e300),
        |_| Some(f64::NAN),
        |_| Some(-5.0),
    ];
    for (i, size) in sizes.iter().enumerate() {
        let mut analyzer = Analyzer::new(JsValue::UNDEFINED).expect("analyzer");
        for (name, bytes) in founding().files {
            for chunk in bytes.chunks(4096) {
                let chunk = Uint8Array::from(chunk).into();
                analyzer.add_chunk((*name).to_string(), chunk, size(bytes.len())).expect("chunk");
            }
        }
        let chunked = analyzer.finish().expect("finish");
        assert_eq!(whole.report_json(None), chunked.report_json(None), "size case {i}");
    }
    let compact: serde_json::Value = serde_json::from_str(&whole.report_json(Some(true))).unwrap_or_default();
    let pretty: serde_json::Value = serde_json::from_str(&whole.report_json(None)).unwrap_or_default();
    assert_eq!(compact, pretty, "compact JSON is the same report");
}

#[wasm_bindgen_test]
fn rule_errors_are_located_and_typed() {
    let broken = "[[rule]]\nid = \"x\"\nblame = \"nobody\"\n";
    let errors = Array::from(&check_rules(broken, Some("mine.toml".into())).expect("checkRules"));
    assert!(errors.length() > 0);
    let first = errors.get(0);
    assert_eq!(get(&first, "file").as_string().as_deref(), Some("mine.toml"));
    assert!(get(&first, "line").as_f64().unwrap_or(0.0) >= 1.0);
    let options = Object::new();
    let _ = Reflect::set(&options, &"rules".into(), &JsValue::from_str(broken));
    let err = match analyze_to_analysis(js_files(founding().files), options.into()) {
        Ok(_) => panic!("a broken rule file was accepted"),
        Err(e) => e,
    };
    assert_eq!(get(&err, "name").as_string().as_deref(), Some("FaultlineError"));
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("rules"));
    assert_eq!(get(&err, "file").as_string().as_deref(), Some("rules[0].toml"));
    let builtin = builtin_rules().expect("builtinRules");
    assert!(get(&builtin, "source").as_string().is_some_and(|s| s.contains("deleted-cr-instead-of-pod")));
}

#[wasm_bindgen_test]
fn bad_arguments_are_typed_errors() {
    let err = analyze_to_analysis(JsValue::from_str("not files"), JsValue::UNDEFINED).err().expect("error");
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("input"));
    let options = Object::new();
    let _ = Reflect::set(&options, &"tests".into(), &JsValue::from_f64(3.0));
    let err = analyze_to_analysis(js_files(founding().files), options.into()).err().expect("error");
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("options"));
}

/// Past `limits.maxHeldBytes` the intake counts and does not hold: what was held is analysed, cut at a
/// line break, and a warning per file says what was left out, from which line. Memory cannot run out
/// mid-file and lose the analysis.
#[wasm_bindgen_test]
fn input_past_the_held_budget_is_counted_analysed_in_part_and_named() {
    let line = |n: usize| {
        format!(
            "[2024-11-16T10:16:{:02}.000Z] md5sum: can't open '/data/{n}.txt': Connection timed out\n",
            n % 60
        )
    };
    let log: String = (0..40).map(line).collect();
    assert!(log.len() > 3000);
    for size in [None, Some(log.len() as f64)] {
        let mut analyzer = Analyzer::new(held_at_most(1000.0)).expect("analyzer");
        for chunk in log.as_bytes().chunks(128) {
            analyzer.add_chunk("console.log".into(), Uint8Array::from(chunk).into(), size).expect("chunk");
        }
        analyzer.add_file("junit.xml".into(), Uint8Array::from(&b"<testsuite/>"[..]).into()).expect("file");
        assert_eq!(analyzer.bytes_received(), (log.len() + 12) as f64, "every byte is counted");
        let report = report_of(&analyzer.finish().expect("finish"));
        let kept = log[..1000].rfind('\n').map_or(0, |i| i + 1);
        let lines = log[..kept].lines().count();
        let console = &report["files"].as_array().expect("files")[0];
        assert_eq!(
            (console["bytes"].as_u64(), console["lines"].as_u64()),
            (Some(kept as u64), Some(lines as u64))
        );
        let io =
            report["events"].as_array().expect("events").iter().filter(|e| e["type"] == "io_error").count();
        assert_eq!(io, lines, "every line held was analysed");
        let cut: Vec<&serde_json::Value> = report["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .filter(|w| w["message"].as_str().is_some_and(|m| m.contains("maxHeldBytes")))
            .collect();
        assert_eq!(cut.len(), 2, "{cut:?}");
        assert_eq!(
            (cut[0]["file"].as_str(), cut[0]["line"].as_u64()),
            (Some("console.log"), Some(lines as u64 + 1))
        );
        assert_eq!(cut[0]["kind"], "limit_exceeded");
        let said = format!("only the first {kept} of {} bytes", log.len());
        assert!(cut[0]["message"].as_str().is_some_and(|m| m.contains(&said)), "{}", cut[0]["message"]);
        assert_eq!(
            cut[1]["file"].as_str(),
            Some("junit.xml"),
            "a file after the budget ran out is named too"
        );
    }
    // Under the budget nothing changes, and the one-shot call has the same budget.
    let files = [("console.log", log.as_bytes())];
    let whole = analyze_to_analysis(js_files(&files), JsValue::UNDEFINED).expect("whole");
    assert_eq!(report_of(&whole)["warnings"], serde_json::json!([]));
    let cut = report_of(&analyze_to_analysis(js_files(&files), held_at_most(1000.0)).expect("cut"));
    assert_eq!(cut["files"][0]["bytes"].as_u64(), Some(log[..1000].rfind('\n').map_or(0, |i| i + 1) as u64));
    // Two files of one name stay two files in the one-shot call.
    let twice =
        report_of(&analyze_to_analysis(js_files(&[files[0], files[0]]), JsValue::UNDEFINED).expect("twice"));
    assert_eq!(twice["files"].as_array().map(Vec::len), Some(2));
    let err = Analyzer::new(held_at_most(-1.0)).err().expect("a negative budget is refused");
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("options"));
}

/// On a page there is no `FileReaderSync`: `addBlob` says so, and what to use instead, as a typed error.
#[wasm_bindgen_test]
fn add_blob_on_a_page_says_it_needs_a_worker() {
    let parts = Array::of1(&Uint8Array::from(&b"2024-11-16T10:00:00Z ERROR x\n"[..]));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).expect("blob");
    let mut analyzer = Analyzer::new(JsValue::UNDEFINED).expect("analyzer");
    let err = analyzer.add_blob("x.log".into(), blob.into()).expect_err("no worker");
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("input"));
    assert_eq!(get(&err, "file").as_string().as_deref(), Some("x.log"));
    let message = get(&err, "message").as_string().unwrap_or_default();
    assert!(message.contains("FileReaderSync") && message.contains("addStream"), "{message}");
}
