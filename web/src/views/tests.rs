//! Every test of the run: filter by status, search by name, sort by duration, see flaky markers and the
//! failures that share a cause (clusters); one test opens with its message, root cause and links.

use std::collections::HashSet;
use std::rc::Rc;

use faultline_core::model::{TestCase, TestStatus};
use yew::prelude::*;

use crate::text::shown;

use crate::app::{Ctx, Loaded, go};
use crate::route::{Route, View};
use crate::views::card::Card;
use crate::views::virtual_list::VirtualList;

const ROW_PX: f64 = 30.0;
const FILTERS: [(&str, Option<TestStatus>); 6] = [
    ("All", None),
    ("Failed", Some(TestStatus::Failed)),
    ("Errors", Some(TestStatus::Error)),
    ("Flaky", Some(TestStatus::Flaky)),
    ("Skipped", Some(TestStatus::Skipped)),
    ("Passed", Some(TestStatus::Passed)),
];

#[derive(Clone, Copy, PartialEq)]
enum Sort {
    Failures,
    Slowest,
    Name,
}

fn duration(ms: Option<f64>) -> String {
    match ms {
        None => String::new(),
        Some(ms) if ms >= 60_000.0 => {
            format!("{}m {:.0}s", (ms / 60_000.0).floor(), (ms % 60_000.0) / 1000.0)
        }
        Some(ms) if ms >= 1000.0 => format!("{:.1} s", ms / 1000.0),
        Some(ms) => format!("{ms:.0} ms"),
    }
}

/// One line of the list, prepared once per filter so scrolling only draws.
struct Row {
    id: String,
    name: String,
    suite: String,
    status: TestStatus,
    time: String,
    rule: Option<String>,
    flaky: bool,
}

fn tests_route(test: &str) -> Route {
    Route { test: Some(test.into()), ..Route::view(View::Tests) }
}

/// The rows the list shows, in order: those with `filter`'s status whose name or suite contains
/// `search` (any case), sorted by `sort`.
fn list_rows(loaded: &Loaded, filter: Option<TestStatus>, search: &str, sort: Sort) -> Vec<Row> {
    let report = &loaded.report;
    let flaky_history: HashSet<&str> =
        report.history.iter().flat_map(|h| h.flaky.iter().map(|f| f.test.as_str())).collect();
    let needle = search.to_lowercase();
    let mut listed: Vec<&TestCase> = report
        .tests
        .iter()
        .filter(|t| filter.is_none_or(|f| t.status == f))
        .filter(|t| {
            needle.is_empty()
                || t.name.to_lowercase().contains(&needle)
                || t.suite.to_lowercase().contains(&needle)
        })
        .collect();
    match sort {
        Sort::Failures => listed.sort_by_key(|t| !t.status.is_failure()),
        Sort::Slowest => {
            listed.sort_by(|a, b| b.duration_ms.unwrap_or(0.0).total_cmp(&a.duration_ms.unwrap_or(0.0)))
        }
        Sort::Name => listed.sort_by(|a, b| a.name.cmp(&b.name)),
    }
    listed
        .iter()
        .map(|t| Row {
            id: t.id.clone(),
            name: t.name.clone(),
            suite: t.suite.clone(),
            status: t.status,
            time: duration(t.duration_ms),
            rule: loaded.diagnosis(&t.id).map(|d| d.rule.clone()),
            flaky: t.status == TestStatus::Flaky || flaky_history.contains(t.id.as_str()),
        })
        .collect()
}

#[function_component(Tests)]
pub fn tests() -> Html {
    let ctx = use_context::<Ctx>();
    let filter = use_state(|| None::<TestStatus>);
    let search = use_state(String::new);
    let sort = use_state(|| Sort::Failures);
    // The list is rebuilt only when the run, the filter, the search or the order change: opening a test
    // re-renders this view, and on a 100,000-test run rebuilding it cost most of the 80-110 ms a click took.
    let ids: Rc<Vec<Row>> = (*use_memo(
        (ctx.as_ref().map(|c| c.loaded.clone()), *filter, (*search).clone(), *sort),
        |(loaded, filter, search, sort)| {
            Rc::new(loaded.as_ref().map(|l| list_rows(l, *filter, search, *sort)).unwrap_or_default())
        },
    ))
    .clone();
    let Some(ctx) = ctx else { return Html::default() };
    let loaded = &ctx.loaded;
    let report = &loaded.report;
    let selected = ctx.route.test.clone();
    let render = {
        let ids = ids.clone();
        let ctx = ctx.clone();
        let selected = selected.clone();
        Callback::from(move |i: usize| {
            let Some(Row { id, name, suite, status, time, rule, flaky }) = ids.get(i) else {
                return Html::default();
            };
            let route = tests_route(id);
            html! {
                <div class={classes!("fl-test-row", format!("fl-st-{}", status.as_str()), (selected.as_deref() == Some(id)).then_some("fl-here"))} role="listitem">
                    <span class={classes!("fl-status", format!("fl-st-{}", status.as_str()))}>{ status.as_str() }</span>
                    <a class="fl-test-link" href={route.to_hash()} onclick={go(&ctx, route.clone())} title={suite.clone()}>{ shown(name) }</a>
                    <span class="fl-muted fl-suite">{ shown(suite) }</span>
                    <span class="fl-num">{ time.clone() }</span>
                    <span>
                        if *flaky { <span class="fl-badge fl-flaky" title="Flips between runs or passed after retries">{ "flaky" }</span> }
                        if let Some(r) = rule { <code class="fl-rule-chip">{ r.clone() }</code> }
                    </span>
                </div>
            }
        })
    };
    let chips = FILTERS.iter().map(|(label, status)| {
        let n = match status {
            None => report.tests.len(),
            Some(s) => report.tests.iter().filter(|t| t.status == *s).count(),
        };
        let on = *filter == *status;
        let filter = filter.clone();
        let status = *status;
        html! {
            <button type="button" class={classes!("fl-chip", on.then_some("fl-on"))} aria-pressed={on.to_string()}
                    onclick={Callback::from(move |_| filter.set(status))}>{ format!("{label} {n}") }</button>
        }
    });
    let on_search = crate::form::bind(&search);
    let on_sort = {
        let sort = sort.clone();
        Callback::from(move |e: Event| {
            if let Some(value) = crate::form::value_of(&e) {
                sort.set(match value.as_str() {
                    "slowest" => Sort::Slowest,
                    "name" => Sort::Name,
                    _ => Sort::Failures,
                });
            }
        })
    };
    let clusters = report.clusters.iter().filter(|c| c.members.len() > 1).map(|c| {
        let members = c.members.iter().filter_map(|&m| report.diagnoses.get(m)).map(|d| {
            let r = tests_route(&d.test.id);
            html! { <li><a href={r.to_hash()} onclick={go(&ctx, r.clone())}>{ shown(&d.test.name) }</a></li> }
        });
        html! {
            <details class="fl-cluster">
                <summary>{ format!("{} failures with the same cause: ", c.members.len()) }<code>{ shown(&c.sample) }</code></summary>
                <ul>{ for members }</ul>
            </details>
        }
    });
    let detail = selected.as_deref().and_then(|id| loaded.test(id)).map(|t| test_detail(&ctx, t));
    html! {
        <div class="fl-tests">
            if report.clusters.iter().any(|c| c.members.len() > 1) {
                <section class="fl-clusters" aria-label="Failure clusters"><h2>{ "Failure clusters" }</h2>{ for clusters }</section>
            }
            <div class="fl-toolbar" role="search">
                <span role="group" aria-label="Status filter">{ for chips }</span>
                <input type="search" aria-label="Search tests by name or suite" placeholder="Search tests…" value={(*search).clone()} oninput={on_search} />
                <label>{ "Sort " }<select aria-label="Sort tests" onchange={on_sort}>
                    <option value="failures" selected={*sort == Sort::Failures}>{ "failures first" }</option>
                    <option value="slowest" selected={*sort == Sort::Slowest}>{ "slowest first" }</option>
                    <option value="name" selected={*sort == Sort::Name}>{ "by name" }</option>
                </select></label>
                <span class="fl-muted" aria-live="polite">{ format!("{} shown", ids.len()) }</span>
            </div>
            <div class={classes!("fl-tests-body", detail.is_some().then_some("fl-with-detail"))}>
                <VirtualList rows={ids.len()} row_height={ROW_PX} render={render} class={classes!("fl-test-list")} label="Tests"
                             data_key={format!("{:?}{}{:?}", *filter, *search, *sort as u8)} />
                { detail.unwrap_or_default() }
            </div>
        </div>
    }
}

fn test_detail(ctx: &Ctx, t: &TestCase) -> Html {
    let loaded = &ctx.loaded;
    let report = &loaded.report;
    let diagnosis = loaded.diagnosis(&t.id).cloned();
    let has_replay = loaded.timeline(&t.id).is_some_and(|tl| !tl.steps.is_empty());
    let lines = report.assignments.iter().filter(|a| a.test == t.id).map(|a| {
        let r = Route::log_line(&a.file, a.first_line);
        html! { <li><a href={r.to_hash()} onclick={go(ctx, r.clone())}>{ format!("{}:{}–{}", a.file, a.first_line, a.last_line) }</a></li> }
    });
    let failures = t.failures.iter().map(|f| {
        html! { <details><summary>{ format!("{:?}", f.kind).to_lowercase() }{ f.message.as_ref().map(|m| format!(": {m}")).unwrap_or_default() }</summary>
            <pre class="fl-line">{ shown(&f.text) }</pre></details> }
    });
    html! {
        <aside class="fl-test-detail" aria-label="Selected test">
            <h2>{ shown(&t.name) }</h2>
            <p class="fl-muted">{ t.suite.clone() }{ " · " }<span class={classes!("fl-status", format!("fl-st-{}", t.status.as_str()))}>{ t.status.as_str() }</span>
                { " · " }{ duration(t.duration_ms) }</p>
            if let Some(doc) = &t.documentation { <p class="fl-doc">{ shown(doc) }</p> }
            if let Some(d) = diagnosis { <Card diagnosis={d} /> } else if let Some(m) = &t.message { <pre class="fl-line">{ shown(m) }</pre> }
            { for failures }
            if has_replay {
                <p><a class="fl-button" href={Route::replay(&t.id, None).to_hash()} onclick={go(ctx, Route::replay(&t.id, None))}>{ "Replay this test" }</a></p>
            }
            if report.assignments.iter().any(|a| a.test == t.id) {
                <h3>{ "Its log lines" }</h3><ul>{ for lines }</ul>
            }
        </aside>
    }
}
