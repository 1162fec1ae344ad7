//! What the browser tests share: the scenarios (from `build.rs`) and the way they hand files over.

#![allow(dead_code)]

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::JsValue;

pub struct Scenario {
    pub name: &'static str,
    pub files: &'static [(&'static str, &'static [u8])],
    pub snapshot: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));

pub fn js_files(files: &[(&str, &[u8])]) -> JsValue {
    let array = Array::new();
    for (name, bytes) in files {
        let obj = Object::new();
        let _ = Reflect::set(&obj, &"name".into(), &JsValue::from_str(name));
        let _ = Reflect::set(&obj, &"bytes".into(), &Uint8Array::from(*bytes).into());
        array.push(&obj);
    }
    array.into()
}

pub fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub fn founding() -> &'static Scenario {
    SCENARIOS.iter().find(|s| s.name == "rwx-recovery-cr-deleted").expect("the founding scenario")
}

pub fn held_at_most(bytes: f64) -> JsValue {
    let limits = Object::new();
    let _ = Reflect::set(&limits, &"maxHeldBytes".into(), &JsValue::from_f64(bytes));
    let options = Object::new();
    let _ = Reflect::set(&options, &"limits".into(), &limits);
    options.into()
}

pub fn report_of(analysis: &faultline_wasm::Analysis) -> serde_json::Value {
    serde_json::from_str(&analysis.report_json(Some(true))).unwrap_or_default()
}
