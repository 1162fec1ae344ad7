//! The empty page: where to drop artifacts, the pickers, a paste box, and the demo.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::app::{normalise_inputs, pasted};
use crate::engine::files_from_input;

#[derive(Properties, PartialEq)]
pub struct LandingProps {
    pub on_inputs: Callback<wasm_bindgen::JsValue>,
}

/// A hidden file input behind a button, for files or (with `folder`) a whole folder.
#[derive(Properties, PartialEq)]
pub struct PickerProps {
    pub on_inputs: Callback<wasm_bindgen::JsValue>,
    pub label: AttrValue,
    #[prop_or_default]
    pub folder: bool,
    #[prop_or_default]
    pub class: Classes,
}

#[function_component(Picker)]
pub fn picker(props: &PickerProps) -> Html {
    let input = use_node_ref();
    let open = {
        let input = input.clone();
        Callback::from(move |_| {
            if let Some(el) = input.cast::<web_sys::HtmlInputElement>() {
                el.click();
            }
        })
    };
    let changed = {
        let on_inputs = props.on_inputs.clone();
        Callback::from(move |e: Event| {
            let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                return;
            };
            let files = files_from_input(&el);
            if files.length() > 0 {
                on_inputs.emit(files.into());
            }
            el.set_value("");
        })
    };
    html! {
        <>
            <button type="button" class={props.class.clone()} onclick={open}>{ props.label.clone() }</button>
            if props.folder {
                <input ref={input} type="file" class="fl-hidden" webkitdirectory=true multiple=true
                       aria-hidden="true" tabindex="-1" onchange={changed} />
            } else {
                <input ref={input} type="file" class="fl-hidden" multiple=true
                       aria-hidden="true" tabindex="-1" onchange={changed} />
            }
        </>
    }
}

#[function_component(Landing)]
pub fn landing(props: &LandingProps) -> Html {
    let text = use_state(String::new);
    let on_text = crate::form::bind(&text);
    let analyse_text = {
        let text = text.clone();
        let on_inputs = props.on_inputs.clone();
        Callback::from(move |_| {
            if !text.trim().is_empty() {
                on_inputs.emit(pasted(&text));
            }
        })
    };
    let demo = {
        let on_inputs = props.on_inputs.clone();
        Callback::from(move |_| {
            let on_inputs = on_inputs.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(inputs) = wasm_bindgen_futures::JsFuture::from(crate::app::demo()).await {
                    on_inputs.emit(inputs);
                }
            });
        })
    };
    let url = use_state(String::new);
    let on_url = crate::form::bind(&url);
    let fetch_url = {
        let url = url.clone();
        let on_inputs = props.on_inputs.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let urls: js_sys::Array = url.split_whitespace().map(wasm_bindgen::JsValue::from_str).collect();
            if urls.length() > 0 {
                on_inputs.emit(normalise_inputs(&wasm_bindgen::JsValue::UNDEFINED, &urls).into());
            }
        })
    };
    html! {
        <main class="fl-landing">
            <h1><span class="fl-brand">{ "faultline" }</span>{ " — why did this CI run fail?" }</h1>
            <p class="fl-lede">
                { "Drop a run's JUnit XML, Robot output.xml, logs, or a zip/tar.gz bundle anywhere on this page. \
                   Everything is analysed in this browser tab: nothing is uploaded." }
            </p>
            <div class="fl-dropzone">
                <p>{ "Drop files or folders here" }</p>
                <div class="fl-actions">
                    <Picker on_inputs={props.on_inputs.clone()} label="Choose files…" class={classes!("fl-primary")} />
                    <Picker on_inputs={props.on_inputs.clone()} label="Choose a folder…" folder=true />
                    <button type="button" onclick={demo}>{ "Try the demo (Longhorn RWX recovery)" }</button>
                </div>
            </div>
            <div class="fl-landing-grid">
                <section aria-labelledby="paste-title">
                    <h2 id="paste-title">{ "Paste a log" }</h2>
                    <textarea aria-label="Log text to analyse" rows="6" placeholder="Paste log text here"
                              value={(*text).clone()} oninput={on_text} />
                    <button type="button" onclick={analyse_text} disabled={text.trim().is_empty()}>{ "Analyse pasted text" }</button>
                </section>
                <section aria-labelledby="url-title">
                    <h2 id="url-title">{ "Open from URLs" }</h2>
                    <form onsubmit={fetch_url}>
                        <input type="url" aria-label="Artifact URLs, separated by spaces" placeholder="https://ci.example.com/artifacts/junit.xml"
                               value={(*url).clone()} oninput={on_url} />
                        <button type="submit" disabled={url.trim().is_empty()}>{ "Fetch and analyse" }</button>
                    </form>
                    <p class="fl-hint">{ "Links work too: " }<code>{ "?src=URL&src=URL" }</code>{ ". The server must allow cross-origin reads (CORS)." }</p>
                </section>
            </div>
        </main>
    }
}
