//! The first screen after an analysis: the counts, then every failed test with its root-cause card,
//! then what could not be read (warnings) and what was read (files).

use faultline_core::model::TestStatus;
use yew::prelude::*;

use crate::text::shown;

use crate::app::{Ctx, go};
use crate::route::Route;
use crate::views::card::Card;

fn kilobytes(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.1} kB", bytes as f64 / 1e3)
    }
}

/// Cards drawn at first: a run with a thousand failures must show its first ones at once, not after
/// laying out a thousand cards; the rest come a page at a time (clusters group them in Tests).
const CARDS_PER_PAGE: usize = 20;

#[function_component(Summary)]
pub fn summary() -> Html {
    let ctx = use_context::<Ctx>();
    let cards_shown = use_state(|| CARDS_PER_PAGE);
    let Some(ctx) = ctx else { return Html::default() };
    let loaded = &ctx.loaded;
    let report = &loaded.report;
    let s = &report.summary;
    let count = |label: &str, n: u64, class: &str| {
        html! { <div class={classes!("fl-stat", class.to_string())}><span class="fl-stat-n">{ n }</span><span>{ label.to_string() }</span></div> }
    };
    let failed: Vec<_> = report.tests.iter().filter(|t| t.status.is_failure()).collect();
    let cards = failed.iter().take(*cards_shown).map(|t| match loaded.diagnosis(&t.id) {
        Some(d) => html! { <Card diagnosis={d.clone()} /> },
        None => html! {
            <article class="fl-card">
                <header class="fl-card-head"><h3 class="fl-test-name">{ shown(&t.name) }</h3>
                    <span class="fl-badge fl-blame-unknown">{ "not diagnosed" }</span></header>
                if let Some(m) = &t.message { <pre class="fl-line">{ shown(m) }</pre> }
            </article>
        },
    });
    let warnings = report.warnings.iter().map(|w| {
        let place = match (w.line, w.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", w.file),
            (Some(l), None) => format!("{}:{l}", w.file),
            _ => w.file.clone(),
        };
        html! { <li><code>{ shown(&place) }</code>{ " " }<span class="fl-muted">{ w.kind.name() }</span>{ " " }{ shown(&w.message) }</li> }
    });
    let files = report.files.iter().map(|f| {
        let detail = match (f.lines, f.tests) {
            (Some(l), _) => format!("{l} lines"),
            (_, Some(t)) => format!("{t} tests"),
            _ => String::new(),
        };
        let open = ctx.loaded.is_log(&f.name).then(|| Route { file: Some(f.name.clone()), ..Route::view(crate::route::View::Logs) });
        html! {
            <tr>
                <td>if let Some(r) = open { <a href={r.to_hash()} onclick={go(&ctx, r.clone())}>{ shown(&f.name) }</a> } else { { shown(&f.name) } }</td>
                <td>{ format!("{:?}", f.kind).to_lowercase() }</td><td class="fl-num">{ kilobytes(f.bytes) }</td><td>{ detail }</td>
            </tr>
        }
    });
    let multi_clusters = report.clusters.iter().filter(|c| c.members.len() > 1).count();
    html! {
        <div class="fl-summary">
            <section class="fl-stats" aria-label="Counts">
                { count("tests", s.tests, "") }
                { count("failed", s.failed, if s.failed > 0 { "fl-bad" } else { "" }) }
                { count("errors", s.errors, if s.errors > 0 { "fl-bad" } else { "" }) }
                { count("passed", s.passed, "fl-good") }
                { count("skipped", s.skipped, "") }
                { count("flaky", s.flaky, if s.flaky > 0 { "fl-warn" } else { "" }) }
            </section>
            if failed.is_empty() {
                <p class="fl-good-news">{ if s.tests == 0 { "No test results were found in these artifacts; the logs are in the Logs view." } else { "Every test passed." } }</p>
            } else {
                <h2>{ format!("Failed tests ({})", failed.len()) }</h2>
                if multi_clusters > 0 {
                    <p class="fl-hint">{ format!("{multi_clusters} group(s) of failures share a cause: see ") }
                        <a href={Route::view(crate::route::View::Tests).to_hash()} onclick={go(&ctx, Route::view(crate::route::View::Tests))}>{ "Tests" }</a>{ "." }</p>
                }
                <div class="fl-cards">{ for cards }</div>
                if failed.len() > *cards_shown {
                    <div class="fl-actions fl-more">
                        <button type="button" onclick={
                            let cards_shown = cards_shown.clone();
                            Callback::from(move |_| cards_shown.set(*cards_shown + CARDS_PER_PAGE))
                        }>{ format!("Show {} more ({} not shown)", CARDS_PER_PAGE.min(failed.len() - *cards_shown), failed.len() - *cards_shown) }</button>
                        <button type="button" onclick={
                            let cards_shown = cards_shown.clone();
                            let all = failed.len();
                            Callback::from(move |_| cards_shown.set(all))
                        }>{ "Show all" }</button>
                    </div>
                }
            }
            if !report.warnings.is_empty() {
                <details class="fl-warnings" open={failed.is_empty()}>
                    <summary>{ format!("{} problem(s) reading the input — the rest was analysed", report.warnings.len()) }</summary>
                    <ul>{ for warnings }</ul>
                </details>
            }
            <details class="fl-files"><summary>{ format!("{} file(s) read", report.files.len()) }</summary>
                <table><thead><tr><th>{ "File" }</th><th>{ "Kind" }</th><th>{ "Size" }</th><th>{ "Content" }</th></tr></thead>
                <tbody>{ for files }</tbody></table>
            </details>
            <TestStatusNote />
        </div>
    }
}

/// A one-line reminder of what statuses mean, only when some test was flaky (passed after retrying).
#[function_component(TestStatusNote)]
fn test_status_note() -> Html {
    let Some(ctx) = use_context::<Ctx>() else { return Html::default() };
    let flaky = ctx.loaded.report.tests.iter().filter(|t| t.status == TestStatus::Flaky).count();
    if flaky == 0 {
        return Html::default();
    }
    html! { <p class="fl-hint">{ format!("{flaky} test(s) passed only after retrying (flaky).") }</p> }
}
