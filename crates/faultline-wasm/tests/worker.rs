//! `addBlob` in a dedicated worker, where `FileReaderSync` exists: a log given as a Blob is read from it
//! in passes and never held, and gives the report, rows, hits and picks the same log held gives.

#![cfg(target_arch = "wasm32")]

use faultline_wasm::{Analysis, Analyzer, analyze_to_analysis};
use js_sys::{Array, JSON, Object, Reflect, Uint8Array};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

mod common;
use common::{SCENARIOS, founding, get, held_at_most, js_files, report_of};

fn blob(bytes: &[u8]) -> JsValue {
    let parts = Array::of1(&Uint8Array::from(bytes));
    web_sys::Blob::new_with_u8_array_sequence(&parts).map(JsValue::from).unwrap_or(JsValue::UNDEFINED)
}

fn json(v: Result<JsValue, JsValue>) -> String {
    let v = v.unwrap_or_else(|e| e);
    JSON::stringify(&v).ok().and_then(|s| s.as_string()).unwrap_or_default()
}

fn query(pattern: &str, regex: bool) -> JsValue {
    let q = Object::new();
    let _ = Reflect::set(&q, &"pattern".into(), &pattern.into());
    let _ = Reflect::set(&q, &"regex".into(), &regex.into());
    q.into()
}

/// A search's hit lines, and all it answered as text.
fn hits(v: Result<JsValue, JsValue>) -> (Vec<u32>, String) {
    let v = v.unwrap_or_else(|e| e);
    let lines = js_sys::Uint32Array::new(&get(&v, "lines")).to_vec();
    let text = format!("{lines:?} {:?} {:?}", get(&v, "total").as_f64(), get(&v, "truncated").as_bool());
    (lines, text)
}

/// What a viewer sees of `file`: every row, rows with marks, a search's hits and those hits picked.
fn view(a: &Analysis, file: &str) -> Vec<String> {
    let q = query("error|timed out|fail", true);
    let (found, summary) = hits(a.search(file, q.clone()));
    vec![
        json(a.lines(file, 1, 1_000_000, JsValue::UNDEFINED)),
        json(a.lines(file, 3, 17, q.clone())),
        summary,
        json(a.pick_lines(file, &found, q.clone())),
        json(a.pick_lines(file, &[9_999_999, 2, 1], JsValue::NULL)),
        json(a.excerpt(file, 40, 30)),
        json(a.excerpt(file, 1, 0)),
    ]
}

/// Every scenario, its logs given as Blobs and the rest held within a budget that has no room for any
/// log: had a log been held, it would have been cut and said so. The report is the held one, byte for
/// byte, and so is everything a viewer asks of each log.
#[wasm_bindgen_test]
fn logs_given_as_blobs_are_analysed_whole_without_being_held() {
    let mut streamed_logs = 0;
    for scenario in SCENARIOS {
        let is_log = |name: &str| name.ends_with(".log");
        let held_bytes: usize = scenario.files.iter().filter(|(n, _)| !is_log(n)).map(|(_, b)| b.len()).sum();
        let held = analyze_to_analysis(js_files(scenario.files), JsValue::UNDEFINED).expect("held");
        let mut analyzer = Analyzer::new(held_at_most(held_bytes as f64)).expect("analyzer");
        for (name, bytes) in scenario.files {
            if is_log(name) {
                analyzer.add_blob((*name).to_string(), blob(bytes)).expect("blob");
            } else {
                analyzer.add_file((*name).to_string(), Uint8Array::from(*bytes).into()).expect("file");
            }
        }
        assert_eq!(analyzer.held_room(), 0.0, "{}: the budget is spent on the other files", scenario.name);
        let streamed = analyzer.finish().expect("finish");
        assert_eq!(held.report_json(None), streamed.report_json(None), "{}", scenario.name);
        for (name, _) in scenario.files.iter().filter(|(n, _)| is_log(n)) {
            assert_eq!(view(&held, name), view(&streamed, name), "{}: {name}", scenario.name);
            streamed_logs += 1;
        }
    }
    assert!(streamed_logs >= 10, "only {streamed_logs} logs were given as Blobs");
}

/// A Blob that is not a plain log (an archive, a test report) is read at once into the held budget,
/// exactly as the same bytes given in chunks: cut at the budget, and said so.
#[wasm_bindgen_test]
fn a_blob_that_is_not_a_log_is_held_within_the_budget() {
    let files = founding().files;
    for budget in [0.0, 1000.0, 1e9] {
        let (mut by_blob, mut by_chunk) = (
            Analyzer::new(held_at_most(budget)).expect("a"),
            Analyzer::new(held_at_most(budget)).expect("b"),
        );
        for (name, bytes) in files.iter().filter(|(n, _)| !n.ends_with(".log")) {
            by_blob.add_blob((*name).to_string(), blob(bytes)).expect("blob");
            by_chunk.add_chunk((*name).to_string(), Uint8Array::from(*bytes).into(), None).expect("chunk");
        }
        assert_eq!(by_blob.bytes_received(), by_chunk.bytes_received(), "budget {budget}");
        let (a, b) = (by_blob.finish().expect("a"), by_chunk.finish().expect("b"));
        assert_eq!(report_of(&a), report_of(&b), "budget {budget}");
        let cut = report_of(&a)["warnings"].as_array().map_or(0, |w| {
            w.iter().filter(|w| w["message"].as_str().is_some_and(|m| m.contains("maxHeldBytes"))).count()
        });
        assert_eq!(cut > 0, budget < 1e9, "budget {budget}: {cut} files cut");
    }
}

#[wasm_bindgen_test]
fn add_blob_takes_only_a_blob() {
    let mut analyzer = Analyzer::new(JsValue::UNDEFINED).expect("analyzer");
    let room = analyzer.held_room();
    assert_eq!(room, 1024.0 * 1024.0 * 1024.0, "the default budget");
    let err = analyzer.add_blob("a.log".into(), Uint8Array::from(&b"x\n"[..]).into()).expect_err("error");
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("input"));
    assert_eq!(get(&err, "file").as_string().as_deref(), Some("a.log"));
    analyzer.add_file("b.log".into(), Uint8Array::from(&b"0123456789\n"[..]).into()).expect("file");
    assert_eq!(analyzer.held_room(), room - 11.0, "held bytes spend the budget");
    analyzer.add_blob("c.log".into(), blob(b"2024-11-16T10:00:00Z ERROR c\n")).expect("blob");
    assert_eq!(analyzer.held_room(), room - 11.0, "a log given as a Blob does not");
    assert_eq!(analyzer.bytes_received(), 11.0 + 29.0);
}
