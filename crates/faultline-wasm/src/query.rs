//! The log viewer's query object, read field by field as `options` is:
//!
//! ```text
//! { pattern?: string, regex?: boolean, caseSensitive?: boolean, levels?: LogLevel[], limit?: number }
//! ```
//!
//! Not `JSON.stringify` and serde: that linked serde_json's whole reader into the module (with its
//! number parsing and error messages) for this one object, and cost a string round trip per scroll.

use faultline_core::logline::Level;
use faultline_core::logview::LogQuery;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::FaultlineError;
use crate::files::present;
use crate::options::whole_number;

/// `undefined` or `null` is no query; absent or `null` fields keep their defaults.
pub fn parse(value: &JsValue) -> Result<Option<LogQuery>, FaultlineError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if !value.is_object() {
        return Err(invalid("the search query must be an object"));
    }
    let mut query = LogQuery::default();
    if let Some(v) = present(value, "pattern") {
        query.pattern = v.as_string().ok_or_else(|| invalid("query.pattern must be a string"))?;
    }
    if let Some(v) = present(value, "regex") {
        query.regex = v.as_bool().ok_or_else(|| invalid("query.regex must be a boolean"))?;
    }
    if let Some(v) = present(value, "caseSensitive") {
        query.case_sensitive = v.as_bool().ok_or_else(|| invalid("query.caseSensitive must be a boolean"))?;
    }
    if let Some(v) = present(value, "levels") {
        query.levels = levels(&v)?;
    }
    if let Some(n) = whole_number(value, "query", "limit")? {
        query.limit = usize::try_from(n).unwrap_or(usize::MAX);
    }
    Ok(Some(query))
}

fn levels(value: &JsValue) -> Result<Vec<Level>, FaultlineError> {
    let array =
        value.dyn_ref::<Array>().ok_or_else(|| invalid("query.levels must be an array of level names"))?;
    array
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_string().as_deref().and_then(Level::from_name).ok_or_else(|| {
                let names: Vec<&str> = Level::ALL.iter().map(|l| l.name()).collect();
                invalid(&format!("query.levels[{i}] must be one of {}", names.join(", ")))
            })
        })
        .collect()
}

fn invalid(message: &str) -> FaultlineError {
    FaultlineError::new("options", message)
}
