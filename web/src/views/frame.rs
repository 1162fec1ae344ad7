//! The header (what was analysed, the five tabs, exports, open more) around the current view.

use yew::prelude::*;

use crate::app::{Ctx, go};
use crate::engine::download;
use crate::route::{Route, View};
use crate::views;

#[derive(Properties, PartialEq)]
pub struct FrameProps {
    pub on_inputs: Callback<wasm_bindgen::JsValue>,
}

#[derive(Properties, PartialEq)]
struct ExportProps {
    format: &'static str,
    label: &'static str,
    file: &'static str,
    mime: &'static str,
}

/// Downloads the report in one format, rendered by the worker exactly as the CLI writes it. A big run's
/// HTML takes a while: the button says it is at work (and takes no second click meanwhile), and a
/// failure is said next to it, not only in a tooltip.
#[function_component(ExportButton)]
fn export_button(props: &ExportProps) -> Html {
    let ctx = use_context::<Ctx>();
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let Some(ctx) = ctx else { return Html::default() };
    let onclick = {
        let error = error.clone();
        let busy = busy.clone();
        let engine = ctx.engine.clone();
        let (format, file, mime) = (props.format, props.file, props.mime);
        Callback::from(move |_| {
            if *busy {
                return;
            }
            busy.set(true);
            error.set(None);
            let engine = engine.clone();
            let error = error.clone();
            let busy = busy.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match engine.export(format).await {
                    Ok(text) => download(file, &text, mime),
                    Err(e) => error.set(Some(e.located())),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <>
            <button type="button" {onclick} disabled={*busy} aria-busy={busy.to_string()}
                    aria-label={format!("Export the report as {}", props.label)}>
                { if *busy { format!("{}…", props.label) } else { props.label.to_owned() } }
            </button>
            if let Some(e) = &*error {
                <span class="fl-bad fl-export-error" role="alert">{ format!("{} export failed: {e}", props.label) }</span>
            }
        </>
    }
}

#[function_component(Frame)]
pub fn frame(props: &FrameProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else { return Html::default() };
    let s = &ctx.loaded.report.summary;
    let failing = s.failed + s.errors;
    let tabs = View::ALL.iter().map(|&v| {
        let current = ctx.route.view == v;
        let count = match v {
            View::Tests => Some(s.tests.to_string()),
            View::Logs => Some(ctx.loaded.logs.len().to_string()),
            _ => None,
        };
        html! {
            <a href={Route::view(v).to_hash()} class={classes!("fl-tab", current.then_some("fl-current"))}
               aria-current={current.then_some("page")} onclick={go(&ctx, Route::view(v))}>
                { v.title() }
                if let Some(c) = count { <span class="fl-count">{ c }</span> }
            </a>
        }
    });
    let view = match ctx.route.view {
        View::Summary => html! { <views::summary::Summary /> },
        View::Replay => html! { <views::replay::Replay /> },
        View::Logs => html! { <views::logs::Logs /> },
        View::Tests => html! { <views::tests::Tests /> },
        View::Rules => html! { <views::rules::Rules /> },
    };
    html! {
        <>
            <header class="fl-header">
                <div class="fl-header-row">
                    <a class="fl-brand" href={Route::view(View::Summary).to_hash()} onclick={go(&ctx, Route::view(View::Summary))}>{ "faultline" }</a>
                    <p class={classes!("fl-verdict", if failing > 0 { "fl-bad" } else { "fl-good" })}>
                        { if failing > 0 { format!("{failing} of {} tests failed", s.tests) } else { format!("All {} tests passed", s.tests) } }
                        <span class="fl-muted">{ format!(" · analysed in {:.0} ms", ctx.loaded.millis) }</span>
                    </p>
                    <div class="fl-header-actions" role="group" aria-label="Export and open">
                        <span class="fl-muted">{ "Export:" }</span>
                        <ExportButton format="json" label="JSON" file="faultline-report.json" mime="application/json" />
                        <ExportButton format="markdown" label="Markdown" file="faultline-report.md" mime="text/markdown" />
                        <ExportButton format="html" label="HTML" file="faultline-report.html" mime="text/html" />
                        <views::landing::Picker on_inputs={props.on_inputs.clone()} label="Open other artifacts…" />
                    </div>
                </div>
                <nav class="fl-tabs" aria-label="Views">{ for tabs }</nav>
            </header>
            <main class="fl-main" id="fl-main">{ view }</main>
        </>
    }
}
