//! The app: where artifacts come in (drop, picker, paste, `?src=`, the demo, a portal's `mount` or
//! `postMessage`), the analysis state, the URL hash, and the frame around the five views.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use faultline_core::replay::Timeline;
use faultline_core::rules::Diagnosis;
use faultline_core::{Report, TestCase};
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::engine::{Engine, EngineError, Progress};
use crate::route::Route;
use crate::views;

#[wasm_bindgen(module = "/js/bridge.js")]
extern "C" {
    #[wasm_bindgen(js_name = demoInputs)]
    pub fn demo() -> js_sys::Promise;
    #[wasm_bindgen(js_name = normaliseInputs)]
    pub fn normalise_inputs(files: &JsValue, urls: &JsValue) -> js_sys::Array;
}

/// What the page was given to start with.
#[derive(Properties, PartialEq, Clone, Default)]
pub struct AppProps {
    /// `{ name?, file | url | text }[]` to analyse at once (a portal's `mount`).
    #[prop_or_default]
    pub inputs: Option<JsValue>,
    /// User rules (TOML) from the portal, added to those kept in this browser.
    #[prop_or_default]
    pub rules: Vec<String>,
    /// Mounted inside another page: the host owns the URL, so views are not written to its hash.
    #[prop_or_default]
    pub embedded: bool,
}

/// A finished analysis as the views see it, with its tests, diagnoses and replays indexed by test id:
/// the report's own lookups scan, and the views ask per row (100,000 tests × 5,000 diagnoses would be
/// quadratic on every keystroke in the Tests view).
pub struct Loaded {
    pub report: Report,
    /// From the artifacts handed over to the report read back on the page (drawing not included).
    pub millis: f64,
    /// Log files the worker holds, for the Logs view, in the report's order.
    pub logs: Vec<String>,
    log_set: HashSet<String>,
    tests: HashMap<String, usize>,
    diagnoses: HashMap<String, usize>,
    timelines: HashMap<String, usize>,
}

/// An analysis is equal only to itself: every new one is a new `Rc<Loaded>`, and comparing two by value
/// (100,000 tests) on each render would cost more than the renders it saves. So `Rc<Loaded>` compares by
/// address, and props, contexts and memos that hold one can derive `PartialEq`.
impl PartialEq for Loaded {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// Position of the first item with each key, as the report's linear lookups would find it.
fn first_positions<'a>(keys: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (i, k) in keys.enumerate() {
        map.entry(k.to_string()).or_insert(i);
    }
    map
}

impl Loaded {
    pub fn new(report: Report, millis: f64) -> Loaded {
        let logs: Vec<String> = report
            .files
            .iter()
            .filter(|f| f.kind == faultline_core::report::FileKind::Log)
            .map(|f| f.name.clone())
            .collect();
        Loaded {
            log_set: logs.iter().cloned().collect(),
            tests: first_positions(report.tests.iter().map(|t| t.id.as_str())),
            diagnoses: first_positions(report.diagnoses.iter().map(|d| d.test.id.as_str())),
            timelines: first_positions(report.timeline.iter().map(|t| t.test.as_str())),
            logs,
            report,
            millis,
        }
    }

    pub fn is_log(&self, file: &str) -> bool {
        self.log_set.contains(file)
    }

    pub fn test(&self, id: &str) -> Option<&TestCase> {
        self.tests.get(id).and_then(|&i| self.report.tests.get(i))
    }

    pub fn diagnosis(&self, test: &str) -> Option<&Diagnosis> {
        self.diagnoses.get(test).and_then(|&i| self.report.diagnoses.get(i))
    }

    pub fn timeline(&self, test: &str) -> Option<&Timeline> {
        self.timelines.get(test).and_then(|&i| self.report.timeline.get(i))
    }
}

#[derive(Clone, PartialEq)]
pub enum Phase {
    Empty,
    Working(Progress),
    Ready(Rc<Loaded>),
    Failed(EngineError),
}

/// What every view gets: the engine, the analysis, the route and the way to change it.
#[derive(Clone, PartialEq)]
pub struct Ctx {
    pub engine: Engine,
    pub loaded: Rc<Loaded>,
    pub route: Route,
    pub navigate: Callback<Route>,
    /// Like `navigate`, without a new history entry: scrubbing the replay must not fill the back button.
    pub replace: Callback<Route>,
    /// Re-runs the analysis of the same artifacts (after the user's rules changed).
    pub rerun: Callback<()>,
}

pub const RULES_KEY: &str = "faultline.rules";

/// The user's rules kept in this browser (empty when none or storage is off).
pub fn stored_rules() -> String {
    use gloo::storage::{LocalStorage, Storage};
    LocalStorage::get::<String>(RULES_KEY).unwrap_or_default()
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

fn location_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// `?src=URL&src=URL` and `?demo` from the page's address.
fn query_inputs() -> (Vec<String>, bool) {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let mut urls = Vec::new();
    let mut demo = false;
    for (k, v) in form_urlencoded::parse(search.trim_start_matches('?').as_bytes()) {
        match &*k {
            "src" if !v.is_empty() => urls.push(v.into_owned()),
            "demo" => demo = true,
            _ => {}
        }
    }
    (urls, demo)
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let engine = use_memo((), |_| Engine::start());
    let phase = use_state(|| Phase::Empty);
    let route = use_state(|| if props.embedded { Route::default() } else { Route::parse(&location_hash()) });
    let last_inputs = use_mut_ref(|| JsValue::UNDEFINED);
    let dragging = use_state(|| false);
    let root = use_node_ref();
    // When the current artifacts were handed over, for the time to diagnosis.
    let began = use_mut_ref(|| 0.0_f64);
    // Which analysis is the current one: files dropped while others are read replace them, and the
    // replaced analysis's progress and answer (the worker gives it up) must not reach the page.
    let generation = use_mut_ref(|| 0_u64);

    let start = {
        let began = began.clone();
        let root = root.clone();
        let engine = engine.clone();
        let phase = phase.clone();
        let last_inputs = last_inputs.clone();
        let portal_rules = props.rules.clone();
        let generation = generation.clone();
        Callback::from(move |inputs: JsValue| {
            let Ok(engine) = engine.as_ref().clone() else { return };
            *last_inputs.borrow_mut() = inputs.clone();
            let this = {
                let mut g = generation.borrow_mut();
                *g += 1;
                *g
            };
            let generation = generation.clone();
            let phase = phase.clone();
            let mut rules = portal_rules.clone();
            let stored = stored_rules();
            if !stored.trim().is_empty() {
                rules.push(stored);
            }
            if let Some(el) = root.cast::<web_sys::Element>() {
                let _ = el.remove_attribute("data-diagnosis-ms");
            }
            phase.set(Phase::Working(Progress { stage: "reading".into(), ..Progress::default() }));
            let began = {
                let t = now();
                *began.borrow_mut() = t;
                t
            };
            wasm_bindgen_futures::spawn_local(async move {
                let progress = phase.clone();
                let current = move || *generation.borrow() == this;
                let still = current.clone();
                let result = engine
                    .analyze(&inputs, &rules, move |p| {
                        if still() {
                            progress.set(Phase::Working(p));
                        }
                    })
                    .await;
                if !current() {
                    return;
                }
                let next = match result.and_then(|json| {
                    Report::from_json(&json).map_err(|e| EngineError {
                        kind: "internal".into(),
                        message: format!("reading the report: {e}"),
                        ..EngineError::default()
                    })
                }) {
                    Ok(report) => Phase::Ready(Rc::new(Loaded::new(report, now() - began))),
                    Err(e) => Phase::Failed(e),
                };
                phase.set(next);
            });
        })
    };

    // Whatever the page was opened with: a portal's inputs, `?src=` URLs, or `?demo`.
    {
        let start = start.clone();
        let phase = phase.clone();
        let inputs = props.inputs.clone();
        use_effect_with((), move |_| {
            let (urls, wants_demo) = query_inputs();
            if let Some(inputs) = inputs {
                start.emit(inputs);
            } else if !urls.is_empty() {
                let urls: js_sys::Array = urls.iter().map(|u| JsValue::from_str(u)).collect();
                start.emit(normalise_inputs(&JsValue::UNDEFINED, &urls).into());
            } else if wants_demo {
                wasm_bindgen_futures::spawn_local(async move {
                    match wasm_bindgen_futures::JsFuture::from(demo()).await {
                        Ok(inputs) => start.emit(inputs),
                        Err(e) => phase.set(Phase::Failed(EngineError {
                            kind: "fetch".into(),
                            message: e.as_string().unwrap_or_else(|| "the demo could not be loaded".into()),
                            ..EngineError::default()
                        })),
                    }
                });
            }
        });
    }

    // Back/forward and pasted deep links change the view.
    {
        let route = route.clone();
        let embedded = props.embedded;
        use_effect_with((), move |_| {
            let listener = (!embedded).then(|| {
                let window = gloo::utils::window();
                EventListener::new(&window, "hashchange", move |_| route.set(Route::parse(&location_hash())))
            });
            move || drop(listener)
        });
    }

    // Drops anywhere on the page (on the app's own element when embedded); pasted files or log text.
    {
        let start = start.clone();
        let dragging = dragging.clone();
        let root = root.clone();
        let embedded = props.embedded;
        use_effect_with((), move |_| {
            let target: web_sys::EventTarget = if embedded {
                root.cast::<web_sys::Element>()
                    .map(Into::into)
                    .unwrap_or_else(|| gloo::utils::window().into())
            } else {
                gloo::utils::window().into()
            };
            let opts = EventListenerOptions::enable_prevent_default();
            let over = {
                let dragging = dragging.clone();
                EventListener::new_with_options(&target, "dragover", opts, move |e| {
                    e.prevent_default();
                    if !*dragging {
                        dragging.set(true);
                    }
                })
            };
            let leave = {
                let dragging = dragging.clone();
                EventListener::new(&target, "dragleave", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::DragEvent>() else { return };
                    // Leaving the window (or the embedded element) reports no element to go to.
                    if e.related_target().is_none() {
                        dragging.set(false);
                    }
                })
            };
            let drop_listener = {
                let dragging = dragging.clone();
                let start = start.clone();
                EventListener::new_with_options(&target, "drop", opts, move |e| {
                    e.prevent_default();
                    dragging.set(false);
                    let Some(data) = e.dyn_ref::<web_sys::DragEvent>().and_then(|d| d.data_transfer()) else {
                        return;
                    };
                    let start = start.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Ok(files) = crate::engine::dropped_files(&data).await
                            && js_sys::Array::from(&files).length() > 0
                        {
                            start.emit(files);
                        }
                    });
                })
            };
            let paste = {
                let start = start.clone();
                EventListener::new(&target, "paste", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::ClipboardEvent>() else { return };
                    if is_typing_target(e.target()) {
                        return;
                    }
                    let Some(data) = e.clipboard_data() else { return };
                    if data.files().is_some_and(|f| f.length() > 0) {
                        let files = JsValue::from(data.files());
                        let files = js_sys::Array::from(&files);
                        start.emit(normalise_inputs(&files.into(), &JsValue::UNDEFINED).into());
                    } else if let Ok(text) = data.get_data("text/plain")
                        && !text.trim().is_empty()
                    {
                        start.emit(pasted(&text));
                    }
                })
            };
            move || drop((over, leave, drop_listener, paste))
        });
    }

    // A portal can hand artifacts over: `postMessage({ type: 'faultline:analyze', files, urls }, origin)`.
    {
        let start = start.clone();
        use_effect_with((), move |_| {
            let window = gloo::utils::window();
            let listener = EventListener::new(&window, "message", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else { return };
                if !from_host(e) {
                    return;
                }
                let data = e.data();
                let get = |k: &str| js_sys::Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
                if get("type").as_string().as_deref() == Some("faultline:analyze") {
                    start.emit(normalise_inputs(&get("files"), &get("urls")).into());
                }
            });
            move || drop(listener)
        });
    }

    let navigate = route_setter(&route, props.embedded, History::Push);
    // Scrubbing the replay must not fill the back button: same change, no new history entry.
    let replace = route_setter(&route, props.embedded, History::Replace);

    let rerun = {
        let start = start.clone();
        let last_inputs = last_inputs.clone();
        Callback::from(move |()| {
            let inputs = last_inputs.borrow().clone();
            if !inputs.is_undefined() {
                start.emit(inputs);
            }
        })
    };

    let engine = match engine.as_ref() {
        Ok(e) => e.clone(),
        Err(e) => {
            return html! { <div class="fl-root"><p class="fl-error" role="alert">{ format!("The analysis worker could not start: {}", e.message) }</p></div> };
        }
    };

    let body = match &*phase {
        Phase::Empty => html! { <views::landing::Landing on_inputs={start.clone()} /> },
        Phase::Working(p) => html! { <views::progress::Working progress={p.clone()} /> },
        Phase::Failed(e) => html! {
            <>
                <div class="fl-error" role="alert">
                    <strong>{ "The artifacts could not be analysed. " }</strong>
                    <span>{ e.located() }</span>
                </div>
                <views::landing::Landing on_inputs={start.clone()} />
            </>
        },
        Phase::Ready(loaded) => {
            let ctx = Ctx {
                engine: engine.clone(),
                loaded: loaded.clone(),
                route: (*route).clone(),
                navigate: navigate.clone(),
                replace: replace.clone(),
                rerun: rerun.clone(),
            };
            html! {
                <ContextProvider<Ctx> context={ctx}>
                    <views::frame::Frame on_inputs={start.clone()} />
                </ContextProvider<Ctx>>
            }
        }
    };

    // Time to diagnosis, taken once the report's views are in the DOM (effects run after rendering):
    // what a user waits for, published on the root element for tests, benchmarks and portals.
    {
        let root = root.clone();
        let began = began.clone();
        let ready = match &*phase {
            Phase::Ready(l) => Some(Rc::as_ptr(l) as usize),
            _ => None,
        };
        use_effect_with(ready, move |ready| {
            if ready.is_some()
                && let Some(el) = root.cast::<web_sys::Element>()
            {
                let _ = el.set_attribute("data-diagnosis-ms", &format!("{:.0}", now() - *began.borrow()));
            }
        });
    }
    html! {
            <div class={classes!("fl-root", props.embedded.then_some("fl-embedded"))} ref={root}
                 data-state={match &*phase { Phase::Empty => "empty", Phase::Working(_) => "working", Phase::Ready(_) => "ready", Phase::Failed(_) => "failed" }}
    >
                { body }
                if *dragging {
                    <div class="fl-drop-overlay" aria-hidden="true"><div>{ "Drop artifacts to analyse them" }</div></div>
                }
            </div>
        }
}

#[derive(Clone, Copy)]
enum History {
    Push,
    Replace,
}

/// Changes the view and, standalone, writes it to the URL hash (a portal's URL is the host's own).
fn route_setter(route: &UseStateHandle<Route>, embedded: bool, how: History) -> Callback<Route> {
    let route = route.clone();
    Callback::from(move |next: Route| {
        if !embedded && let Ok(history) = gloo::utils::window().history() {
            let hash = next.to_hash();
            let _ = match how {
                History::Push => history.push_state_with_url(&JsValue::NULL, "", Some(&hash)),
                History::Replace => history.replace_state_with_url(&JsValue::NULL, "", Some(&hash)),
            };
        }
        route.set(next);
    })
}

/// Pasted text becomes a log named `pasted.log`.
pub fn pasted(text: &str) -> JsValue {
    let item = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&item, &"name".into(), &"pasted.log".into());
    let _ = js_sys::Reflect::set(&item, &"text".into(), &text.into());
    js_sys::Array::of1(&item).into()
}

fn is_typing_target(target: Option<web_sys::EventTarget>) -> bool {
    target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| {
        matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || el.has_attribute("contenteditable")
    })
}

/// Messages are taken from the page that embeds this one (or opened it), or from this page itself.
fn from_host(e: &web_sys::MessageEvent) -> bool {
    let window = gloo::utils::window();
    let Some(source) = e.source() else { return false };
    let source: &JsValue = source.as_ref();
    let is = |w: Option<JsValue>| w.is_some_and(|w| js_sys::Object::is(&w, source));
    is(Some(window.clone().into()))
        || is(window.parent().ok().flatten().map(Into::into))
        || is(window.opener().ok().filter(|o| !o.is_null()))
}

/// Where a view is asked to go next: used by cards, timeline steps and test rows alike.
pub fn go(ctx: &Ctx, route: Route) -> Callback<MouseEvent> {
    let navigate = ctx.navigate.clone();
    Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        navigate.emit(route.clone());
    })
}
