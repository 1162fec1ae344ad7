//! Rule tools for editors in a portal: validation with located errors, and the built-in rules.

use faultline_core::rules::{RuleInfo, RuleSet};
use wasm_bindgen::prelude::*;

use crate::analysis::to_js;

/// Every mistake in a rule file as `{ file, line, column, message }[]` (empty when the file is valid).
/// `file` names the text in the messages (default `rules.toml`).
#[wasm_bindgen(js_name = checkRules)]
pub fn check_rules(text: &str, file: Option<String>) -> Result<JsValue, JsValue> {
    let file = file.unwrap_or_else(|| "rules.toml".into());
    to_js(&RuleSet::check(&file, text))
}

/// The built-in rules: `{ source, rules }`, the TOML text users copy from and each rule's id, blame,
/// confidence, priority, summary, fix and the rules it explains.
#[wasm_bindgen(js_name = builtinRules)]
pub fn builtin_rules() -> Result<JsValue, JsValue> {
    to_js(&Builtin { source: RuleSet::builtin_source(), rules: RuleSet::builtin().infos() })
}

/// A typed object rather than a `serde_json::Value` tree: the module then carries no `Value` code.
#[derive(serde::Serialize)]
struct Builtin {
    source: &'static str,
    rules: Vec<RuleInfo>,
}
