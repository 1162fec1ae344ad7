//! A root-cause card: the rule, who is to blame, the sentence that explains the failure, the fix, how
//! sure faultline is, and the lines that prove it, each a link into the logs and the replay.

use faultline_core::rules::{Blame, Diagnosis, Evidence};
use yew::prelude::*;

use crate::text::{prose, shown};

use crate::app::{Ctx, go};
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct CardProps {
    pub diagnosis: Diagnosis,
}

pub fn blame_label(b: Blame) -> &'static str {
    match b {
        Blame::Test => "the test",
        Blame::Product => "the product",
        Blame::Infrastructure => "infrastructure",
        Blame::Unknown => "unknown",
    }
}

/// The replay step that shows this piece of evidence, if the test has a replay.
fn step_of(ctx: &Ctx, test: &str, ev: &Evidence) -> Option<usize> {
    let tl = ctx.loaded.timeline(test)?;
    tl.steps.iter().find(|s| s.source.file == ev.file && s.source.covers(ev.line)).map(|s| s.index)
}

#[function_component(Card)]
pub fn card(props: &CardProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else { return Html::default() };
    let d = &props.diagnosis;
    let percent = (d.confidence * 100.0).round().clamp(0.0, 100.0) as u32;
    let evidence = d.evidence.iter().map(|ev| {
        let place = match ev.line_end {
            Some(end) if end != ev.line => format!("{}:{}–{end}", ev.file, ev.line),
            _ => format!("{}:{}", ev.file, ev.line),
        };
        let open = ctx.loaded.is_log(&ev.file).then(|| Route::log_line(&ev.file, ev.line));
        // A line of an earlier test is in that test's replay, not this one's.
        let whose = ev.test.as_ref().map_or(d.test.id.as_str(), |t| t.id.as_str());
        let step = step_of(&ctx, whose, ev);
        html! {
            <li class="fl-evidence">
                <div class="fl-evidence-head">
                    <span class="fl-role">{ ev.role.replace('_', " ") }</span>
                    if let Some(route) = open {
                        <a class="fl-place" href={route.to_hash()} onclick={go(&ctx, route.clone())}
                           title="Open this line in the log viewer">{ shown(&place) }</a>
                    } else {
                        <span class="fl-place">{ shown(&place) }</span>
                    }
                    if let Some(t) = &ev.time { <span class="fl-muted">{ t.clone() }</span> }
                    if let Some(t) = &ev.test {
                        <span class="fl-evidence-test">{ "in test " }<span class="fl-name">{ shown(&t.name) }</span></span>
                    }
                    if let Some(step) = step {
                        <a class="fl-step-link" href={Route::replay(whose, Some(step)).to_hash()}
                           onclick={go(&ctx, Route::replay(whose, Some(step)))}>{ format!("replay step {}", step + 1) }</a>
                    }
                </div>
                if let Some(text) = &ev.text { <pre class="fl-line">{ shown(text) }</pre> }
            </li>
        }
    });
    let symptoms = d.symptoms.iter().map(|s| {
        html! { <li><code>{ s.rule.clone() }</code>{ " — " }{ prose(&s.summary) }</li> }
    });
    let blame = d.blame.as_str();
    html! {
        <article class="fl-card" aria-labelledby={format!("card-{}", d.fingerprint)}>
            <header class="fl-card-head">
                <h3 id={format!("card-{}", d.fingerprint)} class="fl-test-name">{ shown(&d.test.name) }</h3>
                <span class={classes!("fl-badge", format!("fl-blame-{blame}"))} title="Who is to blame">
                    { format!("blame: {}", blame_label(d.blame)) }
                </span>
            </header>
            <p class="fl-rule"><span class="fl-muted">{ "Rule " }</span><code>{ d.rule.clone() }</code>
                <span class="fl-confidence" title="How sure faultline is">
                    <meter min="0" max="100" value={percent.to_string()} aria-label="Confidence"></meter>
                    { format!(" {percent}% sure") }
                </span>
            </p>
            <p class="fl-summary-sentence">{ prose(&d.summary) }</p>
            if let Some(doc) = ctx.loaded.test(&d.test.id).and_then(|t| t.documentation.as_deref()) {
                <p class="fl-intent"><span class="fl-muted">{ "What the test meant to do: " }</span>{ shown(doc) }</p>
            }
            <div class="fl-fix"><strong>{ "Suggested fix: " }</strong>{ prose(&d.fix) }</div>
            if !d.evidence.is_empty() {
                <h4>{ "Evidence" }</h4>
                <ul class="fl-evidence-list">{ for evidence }</ul>
            }
            if !d.symptoms.is_empty() {
                <details class="fl-symptoms"><summary>{ format!("{} symptom(s) this explains", d.symptoms.len()) }</summary>
                    <ul>{ for symptoms }</ul>
                </details>
            }
            <div class="fl-card-actions">
                <a href={Route::replay(&d.test.id, None).to_hash()} onclick={go(&ctx, Route::replay(&d.test.id, None))} class="fl-button">{ "Replay this test" }</a>
            </div>
        </article>
    }
}
