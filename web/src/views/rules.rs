//! The rules: the built-in ones, and an editor for the user's own, checked as they type with each
//! mistake at its line and column, kept in this browser's local storage and applied with one click.

use gloo::storage::{LocalStorage, Storage};
use yew::prelude::*;

use crate::app::{Ctx, RULES_KEY, stored_rules};
use crate::engine::{BuiltinRules, RuleCheck};
use crate::text::prose;
use crate::views::card::blame_label;

/// A rule users can start from: it names every field a rule has.
const TEMPLATE: &str = r#"
# A rule of your own: when a failing test's events look like this, say why.
[[rule]]
id = "my-suite-node-rebooted"
blame = "infrastructure"
confidence = 0.7
summary = "Node {reboot.node} went through {reboot.reason} at {reboot.time} ({reboot.source}), before the test failed."
fix = "Keep nodes out of maintenance while the suite runs, or mark the test as disruptive."

[[rule.match]]
as = "reboot"
type = "infra"
where = { reason = "~^(reboot|power_off|not_ready)$" }
"#;

fn offset_of(text: &str, line: u32, column: u32) -> u32 {
    let mut offset = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line as usize {
            return offset + column.saturating_sub(1).min(l.chars().count() as u32);
        }
        offset += l.chars().count() as u32 + 1;
    }
    offset
}

#[function_component(Rules)]
pub fn rules() -> Html {
    let ctx = use_context::<Ctx>();
    let text = use_state(stored_rules);
    // The text each check was made on: until the current text's check is back, the status says so and
    // Apply stays off, or a broken edit could be applied on the strength of the text before it.
    let checks = use_state(|| None::<(String, Result<Vec<RuleCheck>, String>)>);
    let builtin = use_state(|| None::<Result<BuiltinRules, String>>);
    let editor = use_node_ref();
    let engine = ctx.as_ref().map(|c| c.engine.clone());

    {
        let builtin = builtin.clone();
        let engine = engine.clone();
        use_effect_with((), move |_| {
            if let Some(engine) = engine {
                wasm_bindgen_futures::spawn_local(async move {
                    builtin.set(Some(engine.builtin_rules().await.map_err(|e| e.located())));
                });
            }
        });
    }
    {
        let checks = checks.clone();
        let engine = engine.clone();
        use_effect_with((*text).clone(), move |text| {
            let text = text.clone();
            let _ = LocalStorage::set(RULES_KEY, &text);
            let timer = gloo::timers::callback::Timeout::new(250, move || {
                let Some(engine) = engine else { return };
                if text.trim().is_empty() {
                    checks.set(None);
                    return;
                }
                wasm_bindgen_futures::spawn_local(async move {
                    let result = engine.check_rules(&text).await.map_err(|e| e.message);
                    checks.set(Some((text, result)));
                });
            });
            move || drop(timer)
        });
    }
    let Some(ctx) = ctx else { return Html::default() };

    let on_input = crate::form::bind(&text);
    let start_template = {
        let text = text.clone();
        Callback::from(move |_| {
            let mut next = (*text).clone();
            if !next.is_empty() && !next.ends_with('\n') {
                next.push('\n');
            }
            next.push_str(TEMPLATE);
            text.set(next);
        })
    };
    let current = checks.as_ref().filter(|(checked, _)| *checked == *text).map(|(_, result)| result);
    // While a check runs, the last one's mistakes stay listed (no flicker as the user types).
    let errors = match checks.as_ref().map(|(_, result)| result) {
        Some(Ok(list)) if !text.trim().is_empty() => list.clone(),
        _ => Vec::new(),
    };
    let valid = matches!(current, Some(Ok(list)) if list.is_empty());
    let error_items = errors.iter().map(|c| {
        let (line, column) = (c.line, c.column);
        let editor = editor.clone();
        let text = (*text).clone();
        let onclick = Callback::from(move |_| {
            if let Some(el) = editor.cast::<web_sys::HtmlTextAreaElement>() {
                let at = offset_of(&text, line, column);
                let _ = el.focus();
                let _ = el.set_selection_range(at, at);
            }
        });
        html! { <li><button type="button" class="fl-linklike" {onclick}>{ format!("line {line}, column {column}") }</button>{ ": " }{ c.message.clone() }</li> }
    });
    let status = match current {
        None if text.trim().is_empty() => {
            html! { <span class="fl-muted">{ "No rules of your own yet." }</span> }
        }
        None => html! { <span class="fl-muted">{ "Checking…" }</span> },
        Some(Ok(list)) if list.is_empty() => {
            html! { <span class="fl-good">{ "✓ Valid. Saved in this browser." }</span> }
        }
        Some(Ok(list)) => {
            html! { <span class="fl-bad">{ format!("{} mistake(s). Saved in this browser; fix them to apply.", list.len()) }</span> }
        }
        Some(Err(e)) => html! { <span class="fl-bad">{ e.clone() }</span> },
    };
    let rerun = {
        let rerun = ctx.rerun.clone();
        Callback::from(move |_| rerun.emit(()))
    };
    let builtin_list = builtin.as_ref().map(|b| match b {
        Err(e) => html! { <p class="fl-error" role="alert">{ format!("Could not load the built-in rules: {e}") }</p> },
        Ok(b) => builtin_rules_list(b),
    });
    html! {
        <div class="fl-rules">
            <section class="fl-rule-editor" aria-labelledby="user-rules-title">
                <h2 id="user-rules-title">{ "Your rules" }</h2>
                <p class="fl-hint">{ "Rules in TOML, checked as you type. They are kept in this browser only and applied to every analysis here." }</p>
                <textarea ref={editor.clone()} class="fl-code" aria-label="Your rules (TOML)" spellcheck="false" rows="16"
                          value={(*text).clone()} oninput={on_input} aria-invalid={(!errors.is_empty()).to_string()}
                          aria-describedby="rule-status" />
                <p id="rule-status" aria-live="polite">{ status }</p>
                if !errors.is_empty() { <ul class="fl-rule-errors">{ for error_items }</ul> }
                <div class="fl-actions">
                    <button type="button" onclick={start_template}>{ "Add a rule template" }</button>
                    <button type="button" class="fl-primary" onclick={rerun} disabled={!valid && !text.trim().is_empty()}>{ "Apply to these artifacts" }</button>
                </div>
            </section>
            <section aria-labelledby="builtin-title">
                <h2 id="builtin-title">{ "Built-in rules" }</h2>
                { builtin_list.unwrap_or_else(|| html! { <p class="fl-muted">{ "Loading…" }</p> }) }
            </section>
        </div>
    }
}

/// The built-in rules, each with its blame, confidence, priority and fix, and their TOML to copy.
fn builtin_rules_list(b: &BuiltinRules) -> Html {
    let items = b.rules.iter().map(|r| {
        html! {
            <li class="fl-rule-info">
                <div><code>{ r.id.clone() }</code>{ " " }
                    <span class={classes!("fl-badge", format!("fl-blame-{}", r.blame.as_str()))}>{ format!("blame: {}", blame_label(r.blame)) }</span>
                    <span class="fl-muted">{ format!(" confidence {:.0}% · priority {}", r.confidence * 100.0, r.priority) }</span></div>
                <p>{ prose(&r.summary) }</p>
                <p class="fl-muted">{ "Fix: " }{ prose(&r.fix) }</p>
            </li>
        }
    });
    html! {
        <>
            <ul class="fl-rule-list">{ for items }</ul>
            <details><summary>{ "The built-in rules as TOML (copy from here)" }</summary><pre class="fl-line">{ b.source.clone() }</pre></details>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::{TEMPLATE, offset_of};

    #[test]
    fn the_template_is_a_valid_rule_file() {
        assert_eq!(faultline_core::rules::RuleSet::check("template.toml", TEMPLATE), vec![]);
    }

    #[test]
    fn a_located_mistake_maps_to_a_caret_offset() {
        let text = "ab\ncdé\nf";
        assert_eq!(offset_of(text, 1, 1), 0);
        assert_eq!(offset_of(text, 2, 3), 5);
        assert_eq!(offset_of(text, 2, 99), 6, "clamped to the line");
        assert_eq!(offset_of(text, 3, 1), 7);
    }
}
