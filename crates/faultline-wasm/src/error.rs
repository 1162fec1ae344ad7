//! Errors as JavaScript sees them: an `Error` whose `name` is `FaultlineError` and which carries
//! `kind` (`options`, `rules`, `patterns`, `input`, `state`, `panic`, `memory`, `module`), and `file`,
//! `line`, `column` when the problem has a place. Portals switch on `kind` and show the place next to the user's text.

use wasm_bindgen::JsValue;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FaultlineError {
    pub kind: &'static str,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl FaultlineError {
    pub fn new(kind: &'static str, message: impl Into<String>) -> Self {
        FaultlineError { kind, message: message.into(), file: None, line: None, column: None }
    }

    /// The problem is with a file as a whole, not at a place in it.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, file: impl Into<String>, line: u32, column: u32) -> Self {
        self.file = Some(file.into());
        self.line = Some(line);
        self.column = Some(column);
        self
    }
}

impl From<faultline_core::rules::RuleError> for FaultlineError {
    fn from(e: faultline_core::rules::RuleError) -> Self {
        FaultlineError::new("rules", e.message).at(e.file, e.line, e.column)
    }
}

impl From<faultline_core::extract::PackError> for FaultlineError {
    fn from(e: faultline_core::extract::PackError) -> Self {
        FaultlineError::new("patterns", e.message).at(e.file, e.line, e.column)
    }
}

impl From<FaultlineError> for JsValue {
    fn from(e: FaultlineError) -> JsValue {
        let err = js_sys::Error::new(&e.message);
        err.set_name("FaultlineError");
        let set = |key: &str, value: JsValue| {
            // Setting a property on a fresh Error object cannot fail.
            let _ = js_sys::Reflect::set(&err, &JsValue::from_str(key), &value);
        };
        set("kind", JsValue::from_str(e.kind));
        set("file", e.file.map_or(JsValue::NULL, |f| JsValue::from_str(&f)));
        set("line", e.line.map_or(JsValue::NULL, JsValue::from));
        set("column", e.column.map_or(JsValue::NULL, JsValue::from));
        err.into()
    }
}
