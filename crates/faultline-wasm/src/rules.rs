//! Rule tools for editors in a portal: validation with located errors, and the built-in rules.

use faultline_core::rules::RuleSet;
use wasm_bindgen::prelude::*;

/// Every mistake in a rule file as `{ file, line, column, message }[]` (empty when the file is valid).
/// `file` names the text in the messages (default `rules.toml`).
#[wasm_bindgen(js_name = checkRules)]
pub fn check_rules(text: &str, file: Option<String>) -> Result<JsValue, JsValue> {
    let file = file.unwrap_or_else(|| "rules.toml".into());
    let errors: Vec<serde_json::Value> = RuleSet::check(&file, text)
        .into_iter()
        .map(|e| serde_json::json!({ "file": e.file, "line": e.line, "column": e.column, "message": e.message }))
        .collect();
    js_sys::JSON::parse(&serde_json::Value::from(errors).to_string())
}

/// The built-in rules: `{ source, rules }`, the TOML text users copy from and each rule's id, blame,
/// confidence, priority, summary, fix and the rules it explains.
#[wasm_bindgen(js_name = builtinRules)]
pub fn builtin_rules() -> Result<JsValue, JsValue> {
    let value =
        serde_json::json!({ "source": RuleSet::builtin_source(), "rules": RuleSet::builtin().infos() });
    js_sys::JSON::parse(&value.to_string())
}
