//! faultline in the browser: the same analysis as the `faultline` CLI, on artifacts a page or a Web
//! Worker already holds, with nothing uploaded.
//!
//! The API is deliberately small and JSON-shaped: [`analyze`] for one shot, [`Analyzer`] for files that
//! arrive in chunks (a 500 MB log streamed from `fetch` is copied into wasm memory once, never held twice
//! in JavaScript), [`Analysis`] for what a viewer needs after the report (the replay's object states at
//! any step, evidence in context, and with the `viewer` feature the Markdown/HTML/CTRF exports and the
//! log viewer's queries), and the rule tools. Reports cross the
//! boundary as the exact `faultline.report/v1` JSON the CLI writes, parsed by the engine's own
//! `JSON.parse`, so a portal sees byte-for-byte the same field names and numbers.
//!
//! Errors are JavaScript `Error`s with `kind`, `file`, `line` and `column` properties (the `error` module); a
//! panic, which should never happen, is recorded by [`panic`] so the package's wrapper can rethrow it as
//! such an error instead of an opaque `unreachable`.

mod analysis;
mod analyzer;
mod blob;
mod error;
mod files;
mod options;
mod panic;
mod query;
mod rules;

pub use analysis::Analysis;
pub use analyzer::{Analyzer, analyze, analyze_to_analysis};
pub use rules::{builtin_rules, check_rules};

use wasm_bindgen::prelude::*;

/// The module's allocator. The standard library's default on wasm32 is dlmalloc, whose malloc, free
/// and realloc were 6–7 % of a 10 MB JUnit analysis's profile (a report is many small strings built,
/// moved and freed); with talc that analysis is about 12 % faster in Chromium (median of 7 runs) and
/// the module 3 KB smaller. The module is single-threaded (no `atomics`), as talc's cell requires.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Installs the panic hook once, when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    panic::install();
}

/// The `faultline.report/v1` schema id the reports carry.
#[wasm_bindgen(js_name = reportSchema)]
pub fn report_schema() -> String {
    faultline_core::REPORT_SCHEMA.to_string()
}

/// Bytes of wasm memory the module holds. Wasm memory grows and never shrinks, so this is the high-water
/// mark of every analysis so far in this instance: a portal that analyses many big runs in one worker
/// can watch it and start a fresh worker when it is too high.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let buffer: js_sys::ArrayBuffer = memory.buffer().unchecked_into();
    f64::from(buffer.byte_length())
}

/// The package's version (the Rust crates'), for bug reports from portals.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
