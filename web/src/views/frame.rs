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
    let (verdict_text, verdict_class) = verdict(s.tests, s.failed + s.errors);
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
                    <p class={classes!("fl-verdict", verdict_class)}>
                        { verdict_text }
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

/// The header's one-line verdict and its colour. A run of logs without test results has no verdict: it
/// is not "All 0 tests passed", in green.
fn verdict(tests: u64, failing: u64) -> (String, &'static str) {
    let noun = if tests == 1 { "test" } else { "tests" };
    match (tests, failing) {
        (0, _) => (String::from("No test results in these artifacts"), "fl-muted"),
        (_, 0) if tests == 1 => (String::from("The 1 test passed"), "fl-good"),
        (_, 0) => (format!("All {tests} tests passed"), "fl-good"),
        _ => (format!("{failing} of {tests} {noun} failed"), "fl-bad"),
    }
}

#[cfg(test)]
mod tests {
    use super::verdict;

    #[test]
    fn the_verdict_says_what_was_found_and_counts_in_words() {
        assert_eq!(verdict(0, 0), (String::from("No test results in these artifacts"), "fl-muted"));
        assert_eq!(verdict(1, 0), (String::from("The 1 test passed"), "fl-good"));
        assert_eq!(verdict(7, 0), (String::from("All 7 tests passed"), "fl-good"));
        assert_eq!(verdict(1, 1), (String::from("1 of 1 test failed"), "fl-bad"));
        assert_eq!(verdict(2, 1), (String::from("1 of 2 tests failed"), "fl-bad"));
    }
}
