//! The `options` object of `analyze` and `new Analyzer`: every field optional.
//!
//! ```text
//! { rules?: string | string[],        user rule files (TOML text), used with the built-in rules
//!   patterns?: string | string[],     user pattern packs (TOML text)
//!   tests?: string | string[],        keep only matching tests (`*`/`?` wildcards, else substring)
//!   baseline?: { name, bytes }[],     a passing run's artifacts: lines new in this run, ranked
//!   limits?: { maxHeldBytes?, maxDecompressedBytes?, maxRatio?, maxDepth?, maxEntries?,
//!             maxLineChars?, maxEventsPerTest? },
//!   onProgress?: ({ stage, done, total }) => void }
//! ```
//!
//! Rule and pattern texts are named `rules[0].toml`, `patterns[1].toml`… in errors, so a portal can map a
//! located error back to the editor it came from.

use faultline_core::AnalyzeOptions;
use faultline_core::extract::Pack;
use faultline_core::rules::RuleSet;
use faultline_core::select::TestFilter;
use js_sys::{Array, Function};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::FaultlineError;
use crate::files::{get, input_files, present};

pub struct Options {
    pub analyze: AnalyzeOptions,
    pub on_progress: Option<Function>,
    /// Input bytes held in wasm memory over all files; the rest is counted, not read.
    pub max_held_bytes: u64,
}

/// Default of `limits.maxHeldBytes`, and of `maxDecompressedBytes` here (the CLI's is 4 GiB). Wasm
/// memory is at most 4 GiB and an analysis needs room besides its input: 1.8 times a 1 GB log whose
/// every line is an event, measured; a 300 MB Kubernetes log, 1.8 times too.
pub const DEFAULT_HELD_BYTES: u64 = 1 << 30;

pub fn parse(value: &JsValue) -> Result<Options, FaultlineError> {
    let mut analyze = AnalyzeOptions::default();
    analyze.limits.max_decompressed_bytes = analyze.limits.max_decompressed_bytes.min(DEFAULT_HELD_BYTES);
    let mut max_held_bytes = DEFAULT_HELD_BYTES;
    if value.is_undefined() || value.is_null() {
        return Ok(Options { analyze, on_progress: None, max_held_bytes });
    }
    if !value.is_object() {
        return Err(FaultlineError::new("options", "options must be an object"));
    }
    for (i, text) in strings(&get(value, "rules"), "options.rules")?.into_iter().enumerate() {
        analyze.rules.push(RuleSet::from_toml(&format!("rules[{i}].toml"), &text)?);
    }
    for (i, text) in strings(&get(value, "patterns"), "options.patterns")?.into_iter().enumerate() {
        analyze.packs.push(Pack::from_toml(&format!("patterns[{i}].toml"), &text)?);
    }
    analyze.tests = TestFilter::new(strings(&get(value, "tests"), "options.tests")?);
    analyze.baseline = input_files(&get(value, "baseline"), "options.baseline")?;
    let limits = get(value, "limits");
    if limits.is_object() {
        let l = &mut analyze.limits;
        if let Some(n) = number(&limits, "maxHeldBytes")? {
            max_held_bytes = n;
        }
        if let Some(n) = number(&limits, "maxDecompressedBytes")? {
            l.max_decompressed_bytes = n;
        }
        if let Some(n) = number(&limits, "maxRatio")? {
            l.max_ratio = n;
        }
        if let Some(n) = number(&limits, "maxDepth")? {
            l.max_depth = u32::try_from(n).unwrap_or(u32::MAX);
        }
        if let Some(n) = number(&limits, "maxEntries")? {
            l.max_entries = u32::try_from(n).unwrap_or(u32::MAX);
        }
        if let Some(n) = number(&limits, "maxLineChars")? {
            l.max_line_chars = usize::try_from(n).unwrap_or(usize::MAX).max(1);
        }
        if let Some(n) = number(&limits, "maxEventsPerTest")? {
            l.max_events_per_test = usize::try_from(n).unwrap_or(usize::MAX).max(1);
        }
    }
    let progress = get(value, "onProgress");
    let on_progress = match progress.dyn_into::<Function>() {
        Ok(f) => Some(f),
        Err(v) if v.is_undefined() || v.is_null() => None,
        Err(_) => return Err(FaultlineError::new("options", "options.onProgress must be a function")),
    };
    Ok(Options { analyze, on_progress, max_held_bytes })
}

/// A string or an array of strings; absent means none.
fn strings(value: &JsValue, what: &str) -> Result<Vec<String>, FaultlineError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if let Some(s) = value.as_string() {
        return Ok(vec![s]);
    }
    let Some(array) = value.dyn_ref::<Array>() else {
        return Err(FaultlineError::new(
            "options",
            format!("{what} must be a string or an array of strings"),
        ));
    };
    array
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_string()
                .ok_or_else(|| FaultlineError::new("options", format!("{what}[{i}] must be a string")))
        })
        .collect()
}

fn number(obj: &JsValue, key: &str) -> Result<Option<u64>, FaultlineError> {
    whole_number(obj, "options.limits", key)
}

/// `obj[key]` as a whole number ≥ 0, absent when it is `undefined` or `null`; `path` names `obj` in
/// the error (`options.limits`, `query`).
pub fn whole_number(obj: &JsValue, path: &str, key: &str) -> Result<Option<u64>, FaultlineError> {
    let Some(v) = present(obj, key) else { return Ok(None) };
    match v.as_f64() {
        Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 => Ok(Some(n as u64)),
        _ => Err(FaultlineError::new("options", format!("{path}.{key} must be a whole number ≥ 0"))),
    }
}

/// Calls `onProgress({ stage, done, total })`; an exception thrown by the callback is ignored, since a
/// progress bar must not be able to stop an analysis.
pub fn report_progress(f: &Function, p: faultline_core::Progress) {
    let obj = js_sys::Object::new();
    let stage = match p.stage {
        faultline_core::ProgressStage::Reading => "reading",
        faultline_core::ProgressStage::Logs => "logs",
        faultline_core::ProgressStage::Diagnosing => "diagnosing",
    };
    let _ = js_sys::Reflect::set(&obj, &"stage".into(), &stage.into());
    let _ = js_sys::Reflect::set(&obj, &"done".into(), &JsValue::from_f64(p.done as f64));
    let _ = js_sys::Reflect::set(&obj, &"total".into(), &JsValue::from_f64(p.total as f64));
    let _ = f.call1(&JsValue::NULL, &obj);
}
