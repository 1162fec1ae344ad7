//! The page's handle on the analysis worker (`worker.js`, which runs the faultline-wasm package) and on
//! the browser APIs the bridge script wraps. Every call is async and fails with an [`EngineError`] that
//! carries the engine's `kind` and place, so the page can say what went wrong and where.

use std::rc::Rc;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/js/bridge.js")]
extern "C" {
    #[wasm_bindgen(js_name = Engine)]
    pub type JsEngine;
    #[wasm_bindgen(constructor, catch, js_class = "Engine")]
    fn new(worker_url: &str) -> Result<JsEngine, JsValue>;
    #[wasm_bindgen(method, js_class = "Engine")]
    fn analyze(this: &JsEngine, inputs: &JsValue, rules: &JsValue, on_progress: &JsValue) -> js_sys::Promise;
    #[wasm_bindgen(method, js_class = "Engine")]
    fn lines(this: &JsEngine, file: &str, first: u32, count: u32, query: &JsValue) -> js_sys::Promise;
    #[wasm_bindgen(method, js_class = "Engine")]
    fn pick(this: &JsEngine, file: &str, lines: &js_sys::Uint32Array, query: &JsValue) -> js_sys::Promise;
    #[wasm_bindgen(method, js_class = "Engine")]
    fn search(this: &JsEngine, file: &str, query: &JsValue) -> js_sys::Promise;
    #[wasm_bindgen(method, js_class = "Engine", js_name = exportAs)]
    fn export_as(this: &JsEngine, format: &str) -> js_sys::Promise;
    #[wasm_bindgen(method, js_class = "Engine", js_name = checkRules)]
    fn check_rules(this: &JsEngine, text: &str) -> js_sys::Promise;
    #[wasm_bindgen(method, js_class = "Engine", js_name = builtinRules)]
    fn builtin_rules(this: &JsEngine) -> js_sys::Promise;

    #[wasm_bindgen(js_name = filesFromDrop)]
    fn files_from_drop(data: &web_sys::DataTransfer) -> js_sys::Promise;
    #[wasm_bindgen(js_name = filesFromInput)]
    pub fn files_from_input(input: &web_sys::HtmlInputElement) -> js_sys::Array;
    #[wasm_bindgen(js_name = download)]
    pub fn download(name: &str, text: &str, mime: &str);
    #[wasm_bindgen(js_name = distUrl)]
    pub fn dist_url(path: &str) -> String;
}

/// What the engine reported, with the place when the problem has one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EngineError {
    pub kind: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl EngineError {
    fn from_js(value: JsValue) -> EngineError {
        let get = |key: &str| {
            js_sys::Reflect::get(&value, &key.into()).ok().filter(|v| !v.is_null() && !v.is_undefined())
        };
        let message = get("message")
            .and_then(|v| v.as_string())
            .or_else(|| value.as_string())
            .unwrap_or_else(|| "the analysis worker failed".into());
        EngineError {
            kind: get("kind").and_then(|v| v.as_string()).unwrap_or_else(|| "internal".into()),
            message,
            file: get("file").and_then(|v| v.as_string()),
            line: get("line").and_then(|v| v.as_f64()).map(|n| n as u32),
            column: get("column").and_then(|v| v.as_f64()).map(|n| n as u32),
        }
    }

    fn local(kind: &str, message: impl Into<String>) -> EngineError {
        EngineError { kind: kind.into(), message: message.into(), ..EngineError::default() }
    }

    /// `file:line:column: message`, as far as the place is known.
    pub fn located(&self) -> String {
        match (&self.file, self.line, self.column) {
            (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}: {}", self.message),
            (Some(f), Some(l), None) => format!("{f}:{l}: {}", self.message),
            (Some(f), None, _) => format!("{f}: {}", self.message),
            _ => self.message.clone(),
        }
    }
}

/// Progress as the worker reports it: bytes while reading, then the analysis's own stages.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Progress {
    pub stage: String,
    pub file: Option<String>,
    pub done: f64,
    pub total: f64,
}

impl Progress {
    fn from_js(value: &JsValue) -> Progress {
        let get = |key: &str| js_sys::Reflect::get(value, &key.into()).ok();
        let num = |key: &str| get(key).and_then(|v| v.as_f64()).unwrap_or(0.0);
        let stage = get("stage").and_then(|v| v.as_string()).unwrap_or_default();
        let (done, total) =
            if stage == "reading" { (num("bytes"), num("total")) } else { (num("done"), num("total")) };
        Progress { stage, file: get("file").and_then(|v| v.as_string()), done, total }
    }

    /// 0..=1 when the total is known.
    pub fn fraction(&self) -> Option<f64> {
        (self.total > 0.0).then(|| (self.done / self.total).clamp(0.0, 1.0))
    }
}

/// Hits of a log search.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hits {
    pub lines: Rc<Vec<u32>>,
    pub total: u64,
    pub truncated: bool,
}

/// A rule-file mistake from `checkRules`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RuleCheck {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// The analysis worker. Cloning shares the one worker.
#[derive(Clone)]
pub struct Engine {
    js: Rc<JsEngine>,
}

impl PartialEq for Engine {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.js, &other.js)
    }
}

async fn settle(promise: js_sys::Promise) -> Result<JsValue, EngineError> {
    JsFuture::from(promise).await.map_err(EngineError::from_js)
}

async fn settle_json<T: DeserializeOwned>(promise: js_sys::Promise) -> Result<T, EngineError> {
    let text = settle(promise).await?.as_string().unwrap_or_default();
    serde_json::from_str(&text)
        .map_err(|e| EngineError::local("internal", format!("reading the worker's answer: {e}")))
}

impl Engine {
    pub fn start() -> Result<Engine, EngineError> {
        let js = JsEngine::new(&dist_url("worker.js")).map_err(EngineError::from_js)?;
        Ok(Engine { js: Rc::new(js) })
    }

    /// Runs the analysis of `inputs` (an array of `{ name?, file | url | text }`); the report's JSON.
    pub async fn analyze(
        &self,
        inputs: &JsValue,
        rules: &[String],
        mut on_progress: impl FnMut(Progress) + 'static,
    ) -> Result<String, EngineError> {
        let rules: js_sys::Array = rules.iter().map(|r| JsValue::from_str(r)).collect();
        let callback =
            Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| on_progress(Progress::from_js(&p)));
        let result = settle(self.js.analyze(inputs, &rules, callback.as_ref())).await;
        drop(callback);
        Ok(result?.as_string().unwrap_or_default())
    }

    /// Rows of `file`; with a query, each carries the marks of its matches.
    pub async fn lines(
        &self,
        file: &str,
        first: u32,
        count: u32,
        query: Option<&faultline_core::logview::LogQuery>,
    ) -> Result<Vec<faultline_core::logview::ViewLine>, EngineError> {
        settle_json(self.js.lines(file, first, count, &query_to_js(query))).await
    }

    pub async fn pick(
        &self,
        file: &str,
        lines: &[u32],
        query: Option<&faultline_core::logview::LogQuery>,
    ) -> Result<Vec<faultline_core::logview::ViewLine>, EngineError> {
        settle_json(self.js.pick(file, &js_sys::Uint32Array::from(lines), &query_to_js(query))).await
    }

    pub async fn search(
        &self,
        file: &str,
        query: &faultline_core::logview::LogQuery,
    ) -> Result<Hits, EngineError> {
        let value = settle(self.js.search(file, &query_to_js(Some(query)))).await?;
        let get = |key: &str| js_sys::Reflect::get(&value, &key.into()).unwrap_or(JsValue::UNDEFINED);
        let lines = js_sys::Uint32Array::new(&get("lines")).to_vec();
        Ok(Hits {
            lines: Rc::new(lines),
            total: get("total").as_f64().unwrap_or(0.0) as u64,
            truncated: get("truncated").as_bool().unwrap_or(false),
        })
    }

    pub async fn export(&self, format: &str) -> Result<String, EngineError> {
        Ok(settle(self.js.export_as(format)).await?.as_string().unwrap_or_default())
    }

    pub async fn check_rules(&self, text: &str) -> Result<Vec<RuleCheck>, EngineError> {
        settle_json(self.js.check_rules(text)).await
    }

    pub async fn builtin_rules(&self) -> Result<BuiltinRules, EngineError> {
        settle_json(self.js.builtin_rules()).await
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
pub struct BuiltinRules {
    pub source: String,
    pub rules: Vec<faultline_core::rules::RuleInfo>,
}

/// The files of a drop, folders walked (`{ name, file }[]`).
pub async fn dropped_files(data: &web_sys::DataTransfer) -> Result<JsValue, EngineError> {
    settle(files_from_drop(data)).await
}

/// A log query as the worker takes it: the JSON object the package reads (`undefined` for none).
fn query_to_js(query: Option<&faultline_core::logview::LogQuery>) -> JsValue {
    query
        .and_then(|q| serde_json::to_string(q).ok())
        .and_then(|json| js_sys::JSON::parse(&json).ok())
        .unwrap_or(JsValue::UNDEFINED)
}
