//! The faultline web app. Standalone, it renders into `#faultline-app` of the page Trunk builds; a
//! portal mounts it into any element with `faultline.mount(el, { files, urls, rules })` (see
//! `web/embed/`). The analysis runs in a worker; this crate draws.

mod app;
mod engine;
mod form;
mod route;
mod text;
mod views;

use wasm_bindgen::prelude::*;

fn main() {
    let Some(root) = gloo::utils::document().get_element_by_id("faultline-app") else { return };
    yew::Renderer::<app::App>::with_root_and_props(root, app::AppProps::default()).render();
}

/// Mounts the app into `el` (sized by the host) and analyses `options.files` (`File`s or
/// `{ name, bytes | file | text }`) and `options.urls` at once; `options.rules` is TOML text or an
/// array of it. The host keeps its URL: views are not written to its hash.
#[wasm_bindgen]
pub fn mount(el: web_sys::Element, options: JsValue) {
    let get = |k: &str| js_sys::Reflect::get(&options, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let inputs = app::normalise_inputs(&get("files"), &get("urls"));
    let rules_value = get("rules");
    let rules: Vec<String> = if let Some(text) = rules_value.as_string() {
        vec![text]
    } else if js_sys::Array::is_array(&rules_value) {
        js_sys::Array::from(&rules_value).iter().filter_map(|v| v.as_string()).collect()
    } else {
        Vec::new()
    };
    let props = app::AppProps { inputs: (inputs.length() > 0).then(|| inputs.into()), rules, embedded: true };
    yew::Renderer::<app::App>::with_root_and_props(el, props).render();
}
