//! A finished analysis, kept in wasm memory: the report, and what a viewer asks of it afterwards.

use faultline_core::export::{ctrf, excerpt, github, html, markdown};
use faultline_core::logview::{self, LogQuery, QueryError};
use wasm_bindgen::prelude::*;

use crate::blob::BlobSource;
use crate::error::FaultlineError;

#[wasm_bindgen]
pub struct Analysis {
    inner: faultline_core::Analysis,
    /// The logs read from `Blob`s: their rows are read again from them, not held.
    blobs: Vec<BlobSource>,
}

impl Analysis {
    pub fn new(inner: faultline_core::Analysis, blobs: Vec<BlobSource>) -> Analysis {
        Analysis { inner, blobs }
    }

    /// The Blob a log was streamed from, when it was not held: the viewer's queries read it again.
    fn blob(&self, file: &str) -> Option<BlobSource> {
        let streamed = || self.inner.logs.iter().all(|l| l.name != file);
        self.blobs
            .iter()
            .rev()
            .find(|b| faultline_core::LogSource::name(*b) == file)
            .filter(|_| streamed())
            .cloned()
    }
}

/// Plain data as a JavaScript value through the engine's own `JSON.parse`: the exact JSON the CLI
/// writes, with no 64-bit integer turned into a BigInt.
pub(crate) fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let json = faultline_core::json::to_string(value, faultline_core::json::Layout::Compact)
        .map_err(|e| FaultlineError::new("state", format!("serialising the result: {e}")))?;
    js_sys::JSON::parse(&json)
}

#[wasm_bindgen]
impl Analysis {
    /// The `faultline.report/v1` report as a plain object.
    pub fn report(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.report)
    }

    /// The report as JSON text, pretty-printed and byte-identical to `faultline analyze --format json`;
    /// with `compact` true, on one line without spaces (a third smaller and faster to hand to another
    /// thread and parse, which is what the web app does with it).
    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(&self, compact: Option<bool>) -> String {
        if compact == Some(true) {
            // Plain data with string keys serialises; an empty object is the impossible fallback.
            return faultline_core::json::to_string(
                &self.inner.report,
                faultline_core::json::Layout::Compact,
            )
            .unwrap_or_else(|_| String::from("{}"));
        }
        let mut s = self.inner.report.to_json_pretty();
        s.push('\n');
        s
    }

    /// The state of every object the test touched, as it stood after replay step `step` (0-based, as in
    /// `report.timeline[].steps[].index`): kind, name, existence (`exists`, `deleted`, `recreated`), phase…
    #[wasm_bindgen(js_name = stateAt)]
    pub fn state_at(&self, test_id: &str, step: u32) -> Result<JsValue, JsValue> {
        let Some(tl) = self.inner.report.timeline_of(test_id) else {
            return Err(FaultlineError::new("state", format!("no replay for test {test_id:?}")).into());
        };
        if step as usize >= tl.steps.len() {
            let msg = format!(
                "step {step} is past the last step ({}) of {test_id:?}",
                tl.steps.len().saturating_sub(1)
            );
            return Err(FaultlineError::new("state", msg).into());
        }
        to_js(&tl.state_at(step as usize))
    }

    /// Lines `line` (1-based) ± `radius` of a log the analysis read: `{ line, text, cited }[]`, or null
    /// when `file` is not a log (evidence from XML carries its own text).
    pub fn excerpt(&self, file: &str, line: u32, radius: u32) -> Result<JsValue, JsValue> {
        let lines = match self.blob(file) {
            // A log read from its File: any radius, read again, not only the context the report kept.
            Some(mut blob) => {
                Some(logview::excerpt_from(&self.inner, &mut blob, line, None, radius).map_err(query_error)?)
            }
            None => excerpt::excerpt(&self.inner, file, line, None, radius),
        };
        match lines {
            None => Ok(JsValue::NULL),
            Some(lines) => to_js(&lines),
        }
    }

    /// Lines `first..first + count` (1-based) of a log, clamped to it: `{ line, text, level?, time_ms?,
    /// marks? }[]`, text without ANSI sequences and clipped to `maxLineChars`. What a virtualised viewer
    /// asks for as it scrolls; the log itself stays here. With a `search` query, `marks` holds where it
    /// matches each line's text (`[start, end)` in UTF-16 units), for highlighting.
    pub fn lines(&self, file: &str, first: u32, count: u32, query: JsValue) -> Result<JsValue, JsValue> {
        viewer_only("lines()")?;
        let query = log_query(query)?;
        let rows = match self.blob(file) {
            Some(mut blob) => logview::window_from(&self.inner, &mut blob, first, count, query.as_ref()),
            None => logview::window(&self.inner, file, first, count, query.as_ref()),
        };
        to_js(&rows.map_err(query_error)?)
    }

    /// The given lines (1-based numbers, as `search` returns them) of a log, skipping numbers past its
    /// end; `query` as for `lines`.
    #[wasm_bindgen(js_name = pickLines)]
    pub fn pick_lines(&self, file: &str, lines: &[u32], query: JsValue) -> Result<JsValue, JsValue> {
        viewer_only("pickLines()")?;
        let query = log_query(query)?;
        let rows = match self.blob(file) {
            Some(mut blob) => logview::pick_from(&self.inner, &mut blob, lines, query.as_ref()),
            None => logview::pick(&self.inner, file, lines, query.as_ref()),
        };
        to_js(&rows.map_err(query_error)?)
    }

    /// The lines of a log matching `{ pattern, regex, caseSensitive, levels, limit }` (all optional; an
    /// empty pattern with `levels` is a level filter): `{ lines: Uint32Array, total, truncated }`.
    pub fn search(&self, file: &str, query: JsValue) -> Result<JsValue, JsValue> {
        viewer_only("search()")?;
        let query = log_query(query)?.unwrap_or_default();
        let hits = match self.blob(file) {
            Some(mut blob) => logview::search_from(&self.inner, &mut blob, &query),
            None => logview::search(&self.inner, file, &query),
        };
        let hits = hits.map_err(query_error)?;
        let out = js_sys::Object::new();
        js_sys::Reflect::set(&out, &"lines".into(), &js_sys::Uint32Array::from(hits.lines.as_slice()))?;
        js_sys::Reflect::set(&out, &"total".into(), &JsValue::from_f64(hits.total as f64))?;
        js_sys::Reflect::set(&out, &"truncated".into(), &JsValue::from_bool(hits.truncated))?;
        Ok(out.into())
    }

    /// GitHub-flavoured Markdown, as `--format markdown`.
    pub fn markdown(&self) -> Result<String, JsValue> {
        viewer_only("markdown()")?;
        Ok(markdown::render(&self.inner, &markdown::MarkdownOptions::default()))
    }

    /// The self-contained HTML report, as `--format html`.
    pub fn html(&self) -> Result<String, JsValue> {
        viewer_only("html()")?;
        Ok(html::render(&self.inner))
    }

    /// Common Test Report Format JSON, as `--format ctrf`.
    pub fn ctrf(&self) -> Result<String, JsValue> {
        viewer_only("ctrf()")?;
        Ok(ctrf::to_string(&self.inner))
    }

    /// GitHub workflow commands, as `--format github`.
    pub fn github(&self) -> Result<String, JsValue> {
        viewer_only("github()")?;
        Ok(github::render(&self.inner))
    }
}

/// The exports and the log viewer's queries are in the package's viewer module only (the crate's `viewer`
/// feature). The default module keeps these methods, so that both modules share one JavaScript glue, but
/// each throws a `module` error at once; `cfg!` is a constant, so the code after it is left out.
#[inline(always)]
fn viewer_only(method: &str) -> Result<(), JsValue> {
    if cfg!(feature = "viewer") {
        return Ok(());
    }
    let message = format!(
        "{method} is in faultline's viewer module, not in the default one loaded here: load(viewerModule) loads it"
    );
    Err(FaultlineError::new("module", message).into())
}

fn query_error(e: QueryError) -> JsValue {
    let (kind, file) = match &e {
        QueryError::NoSuchLog(_) => ("state", None),
        QueryError::Pattern(_) => ("options", None),
        QueryError::Read { file, .. } => ("input", Some(file.clone())),
    };
    let error = FaultlineError::new(kind, e.to_string());
    match file {
        Some(file) => error.in_file(file),
        None => error,
    }
    .into()
}

/// A log query from JavaScript: `undefined` or `null` is none.
fn log_query(query: JsValue) -> Result<Option<LogQuery>, JsValue> {
    Ok(crate::query::parse(&query)?)
}
