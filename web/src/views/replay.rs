//! The replay of one test: its events as steps in phases (set-up, fault injection, recovery wait,
//! verification), a scrubber with play/pause/step and keys, and the objects the run touched with their
//! state at the current step — for the founding case, the ShareManager CR deleted and recreated while
//! its pod never restarts, then the I/O timeout and the empty checksum.

use faultline_core::event::{Event as RunEvent, EventKind, Plane};
use faultline_core::export::describe::{clock, describe, is_telling, phase_name};
use faultline_core::replay::{Existence, ObjectState, Phase, Timeline};
use gloo::timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::text::shown;

use crate::app::{Ctx, go};
use crate::route::Route;
use crate::views::replay_steps::{StepList, phase_class};

/// A step's time on screen while playing at 1×; the speeds divide it (a 3,000-step test plays in
/// 35 minutes at 1×, in about 30 seconds at 64×).
const PLAY_MS: u32 = 700;
const SPEEDS: [u32; 4] = [1, 4, 16, 64];

fn existence_label(e: Existence) -> &'static str {
    match e {
        Existence::Exists => "exists",
        Existence::Deleted => "deleted",
        Existence::Recreated => "recreated",
    }
}

/// What happened, in words, and who did it when the pattern knows (`via`): for the founding case the
/// difference between "deleted by the test" and "deleted by the controller" is the diagnosis.
fn headline(e: &RunEvent) -> String {
    let by = match e.field("via") {
        Some("harness" | "api" | "kubectl" | "step") => " by the test",
        Some("controller") => " by the controller",
        Some("event") => " (cluster event)",
        _ => "",
    };
    let what = match e.kind {
        EventKind::ObjectDeleted => "Deleted",
        EventKind::ObjectCreated => "Created",
        EventKind::ObjectRecreated => "Recreated",
        EventKind::StateChanged => "State changed",
        EventKind::Wait => "Waiting",
        EventKind::Retry => "Retrying",
        EventKind::Timeout => "Timed out",
        EventKind::Checksum => "Checksum",
        EventKind::IoError => "I/O error",
        EventKind::Infra => "Infrastructure",
        EventKind::TestStarted => "Test started",
        EventKind::TestFinished => "Test finished",
        EventKind::StepStarted => "Step",
        EventKind::StepFinished => "Step done",
        EventKind::Assertion => "Assertion",
    };
    format!("{what}{by}: {}", describe(e))
}

fn plane_of(o: &ObjectState) -> &str {
    o.plane.as_deref().unwrap_or(Plane::Unknown.as_str())
}

/// The test to replay: the one in the route, else the first diagnosed one with a replay, else any.
fn pick_test(ctx: &Ctx) -> Option<String> {
    let loaded = &ctx.loaded;
    let report = &loaded.report;
    if let Some(t) = &ctx.route.test
        && loaded.timeline(t).is_some()
    {
        return Some(t.clone());
    }
    report
        .diagnoses
        .iter()
        .map(|d| d.test.id.clone())
        .find(|id| loaded.timeline(id).is_some_and(|t| !t.steps.is_empty()))
        .or_else(|| report.timeline.iter().find(|t| !t.steps.is_empty()).map(|t| t.test.clone()))
}

#[function_component(Replay)]
pub fn replay() -> Html {
    let ctx = use_context::<Ctx>();
    let playing = use_state(|| false);
    let speed = use_state(|| 1_u32);
    let all_objects = use_state(|| false);
    let Some(ctx) = ctx else { return Html::default() };
    let loaded = &ctx.loaded;
    let report = &loaded.report;
    let Some(test) = pick_test(&ctx) else {
        return html! { <p class="fl-empty">{ "No test in these artifacts has events to replay: logs with timestamps, output.xml steps or a console log make one." }</p> };
    };
    let Some(tl) = loaded.timeline(&test) else { return Html::default() };
    let last = tl.steps.len().saturating_sub(1);
    // Without a step in the link, open where the diagnosis starts (the deletion, for the founding case):
    // the moment worth seeing first; Home goes back to the start.
    let step = ctx.route.step.unwrap_or_else(|| first_evidence_step(&ctx, &test, tl)).min(last);

    let set_step = {
        let navigate = ctx.replace.clone();
        let test = test.clone();
        Callback::from(move |s: usize| navigate.emit(Route::replay(&test, Some(s.min(last)))))
    };

    {
        let playing = playing.clone();
        let set_step = set_step.clone();
        use_effect_with((*playing, step, test.clone(), *speed), move |(on, step, _, speed)| {
            let interval = on.then(|| {
                let (step, playing) = (*step, playing.clone());
                Interval::new(PLAY_MS / (*speed).max(1), move || {
                    if step >= last {
                        playing.set(false);
                    } else {
                        set_step.emit(step + 1);
                    }
                })
            });
            move || drop(interval)
        });
    }

    let onkeydown = {
        let set_step = set_step.clone();
        let playing = playing.clone();
        Callback::from(move |e: KeyboardEvent| {
            let target_is_control =
                e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "A")
                });
            match e.key().as_str() {
                "ArrowRight" | "l" if !target_is_control || e.key() == "l" => set_step.emit(step + 1),
                "ArrowLeft" | "h" if !target_is_control || e.key() == "h" => {
                    set_step.emit(step.saturating_sub(1))
                }
                "Home" => set_step.emit(0),
                "End" => set_step.emit(last),
                " " | "k" if !target_is_control => playing.set(!*playing),
                _ => return,
            }
            e.prevent_default();
        })
    };

    let tests_with_replay = {
        let mut ids: Vec<&Timeline> = report.timeline.iter().filter(|t| !t.steps.is_empty()).collect();
        ids.sort_by_key(|t| {
            (loaded.diagnosis(&t.test).is_none(), loaded.test(&t.test).is_none_or(|c| !c.status.is_failure()))
        });
        ids
    };
    let on_test = {
        let navigate = ctx.navigate.clone();
        Callback::from(move |e: Event| {
            if let Some(value) = crate::form::value_of(&e) {
                navigate.emit(Route::replay(&value, Some(0)));
            }
        })
    };
    let options = tests_with_replay.iter().map(|t| {
        let name =
            loaded.test(&t.test).map_or(t.test.clone(), |c| format!("{} ({})", c.name, c.status.as_str()));
        html! { <option value={t.test.clone()} selected={t.test == test}>{ name }</option> }
    });

    let current = tl.steps.get(step);
    let event = current.and_then(|s| report.events.get(s.event));
    {
        // Another test starts with its planes short again: the choice was about the last one's objects.
        let all_objects = all_objects.clone();
        use_effect_with(test.clone(), move |_| {
            if *all_objects {
                all_objects.set(false);
            }
        });
    }
    let objects = tl.state_at(step);
    // Each object's history by kind and name, looked up once per card (not a scan of all of them).
    let histories: std::collections::HashMap<(&str, &str), &Vec<ObjectState>> = tl
        .histories()
        .iter()
        .filter_map(|h| h.first().map(|f| ((f.kind.as_str(), f.name.as_str()), h)))
        .collect();

    let on_scrub = {
        let set_step = set_step.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(value) = crate::form::value_of(&e) {
                set_step.emit(value.parse().unwrap_or(0));
            }
        })
    };

    let here_bucket = marker_bucket(step, tl.steps.len());
    let markers = marker_steps(tl, &report.events).into_iter().filter_map(|(bucket, index)| {
        let s = tl.steps.get(index)?;
        let e = report.events.get(s.event)?;
        let telling = is_telling(e);
        let left = if last == 0 { 0.0 } else { s.index as f64 * 100.0 / last as f64 };
        let set = set_step.clone();
        Some(html! {
            <button type="button" class={classes!("fl-marker", phase_class(s.phase), telling.then_some("fl-telling"), (bucket == here_bucket).then_some("fl-here"))}
                    style={format!("left: {left:.3}%")} title={format!("Step {}: {}", s.index + 1, describe(e))}
                    aria-label={format!("Go to step {}", s.index + 1)} tabindex="-1"
                    onclick={Callback::from(move |_| set.emit(index))}></button>
        })
    });
    let bands = phase_bands(tl).into_iter().map(|(phase, from, to)| {
        let width = (to - from + 1) as f64 * 100.0 / tl.steps.len().max(1) as f64;
        html! { <div class={classes!("fl-band", phase_class(phase))} style={format!("width: {width:.3}%")} title={phase_name(phase)}>
            <span>{ phase_name(phase) }</span></div> }
    });

    let detail = match (current, event) {
        (Some(s), Some(e)) => {
            let route =
                ctx.loaded.is_log(&s.source.file).then(|| Route::log_line(&s.source.file, s.source.line));
            html! {
                <div class={classes!("fl-step-detail", phase_class(s.phase))} aria-live="polite">
                    <div class="fl-step-title">
                        <span class="fl-step-n">{ format!("Step {} of {}", s.index + 1, tl.steps.len()) }</span>
                        <span class={classes!("fl-phase-tag", phase_class(s.phase))}>{ phase_name(s.phase) }</span>
                        if let Some(ms) = s.time_ms { <span class="fl-time">{ clock(ms) }</span> }
                        <code>{ s.kind.as_str() }</code>
                    </div>
                    <p class="fl-step-text">{ shown(&headline(e)) }</p>
                    <p class="fl-muted">
                        if let Some(r) = route {
                            <a href={r.to_hash()} onclick={go(&ctx, r.clone())}>{ format!("{}:{}", s.source.file, s.source.line) }</a>
                        } else { { format!("{}:{}", s.source.file, s.source.line) } }
                    </p>
                </div>
            }
        }
        _ => Html::default(),
    };

    let mut planes: Vec<(String, Vec<&ObjectState>)> = Vec::new();
    for o in &objects {
        let plane = plane_of(o).to_string();
        match planes.iter_mut().find(|(p, _)| *p == plane) {
            Some((_, list)) => list.push(o),
            None => planes.push((plane, vec![o])),
        }
    }
    planes.sort_by_key(|(p, _)| match p.as_str() {
        "management" => 0,
        "workload" => 1,
        _ => 2,
    });
    let mut hidden = 0;
    for (_, list) in &mut planes {
        let keep = shown_objects(list.len(), |i| list[i].changed_at_step == step, *all_objects);
        hidden += list.len() - keep.len();
        *list = keep.into_iter().map(|i| list[i]).collect();
    }
    let object_cards = planes.iter().map(|(plane, list)| {
        let cards = list.iter().map(|o| {
            let changed = o.changed_at_step == step;
            let history = histories
                .get(&(o.kind.as_str(), o.name.as_str()))
                .map(|h| history_strip(h, tl.steps.len(), step))
                .unwrap_or_default();
            html! {
                <li class={classes!("fl-object", format!("fl-ex-{}", existence_label(o.existence)), changed.then_some("fl-changed"))}
                    data-kind={o.kind.clone()} data-name={o.name.clone()} data-existence={existence_label(o.existence)}
                    data-changed-at={o.changed_at_step.to_string()}>
                    <div class="fl-object-head">
                        <span class="fl-kind">{ o.kind.clone() }</span>
                        <span class={classes!("fl-badge", format!("fl-ex-badge-{}", existence_label(o.existence)))}>{ existence_label(o.existence) }</span>
                    </div>
                    <div class="fl-object-name">{ shown(&o.name) }</div>
                    <div class="fl-muted">
                        if let Some(p) = &o.phase { { format!("state: {p}") } }
                        if let Some(owner) = &o.owner { { format!(" · owner {owner}") } }
                        { format!(" · changed at step {}", o.changed_at_step + 1) }
                    </div>
                    { history }
                </li>
            }
        });
        let title = match plane.as_str() {
            "management" => "Management plane (custom resources, controllers)".to_string(),
            "workload" => "Workload plane (pods, volumes, data)".to_string(),
            other => format!("{other} plane"),
        };
        html! { <section class="fl-plane" aria-label={title.clone()}><h3>{ title }</h3><ul>{ for cards }</ul></section> }
    });
    let show_all = {
        let all_objects = all_objects.clone();
        Callback::from(move |_| all_objects.set(true))
    };

    let toggle = {
        let playing = playing.clone();
        let set_step = set_step.clone();
        Callback::from(move |_| {
            if !*playing && step >= last {
                set_step.emit(0);
            }
            playing.set(!*playing);
        })
    };
    let on_speed = {
        let speed = speed.clone();
        Callback::from(move |e: Event| {
            if let Some(x) =
                crate::form::value_of(&e).and_then(|v| v.parse::<u32>().ok()).filter(|x| SPEEDS.contains(x))
            {
                speed.set(x);
            }
        })
    };
    let prev = {
        let s = set_step.clone();
        Callback::from(move |_| s.emit(step.saturating_sub(1)))
    };
    let next = {
        let s = set_step.clone();
        Callback::from(move |_| s.emit(step + 1))
    };
    let diagnosis = loaded.diagnosis(&test);
    html! {
        <div class="fl-replay" tabindex="0" {onkeydown} aria-label="Replay; arrow keys step, space plays">
            <div class="fl-toolbar">
                <label>{ "Test " }<select aria-label="Test to replay" onchange={on_test}>{ for options }</select></label>
                if let Some(d) = diagnosis {
                    <span class={classes!("fl-badge", format!("fl-blame-{}", d.blame.as_str()))}>{ d.rule.clone() }</span>
                }
            </div>
            <div class="fl-player">
                <div class="fl-controls" role="group" aria-label="Replay controls">
                    <button type="button" onclick={prev} aria-label="Previous step" disabled={step == 0}>{ "◀" }</button>
                    <button type="button" class="fl-primary" onclick={toggle} aria-label={if *playing { "Pause" } else { "Play" }} aria-pressed={playing.to_string()}>
                        { if *playing { "❚❚ Pause" } else { "▶ Play" } }</button>
                    <button type="button" onclick={next} aria-label="Next step" disabled={step >= last}>{ "▶" }</button>
                    <select aria-label="Play speed" onchange={on_speed}>
                        { for SPEEDS.iter().map(|&x| html! { <option value={x.to_string()} selected={*speed == x}>{ format!("{x}×") }</option> }) }
                    </select>
                </div>
                <div class="fl-track">
                    <div class="fl-bands">{ for bands }</div>
                    <div class="fl-markers">{ for markers }</div>
                    <input type="range" class="fl-scrubber" min="0" max={last.to_string()} value={step.to_string()}
                           aria-label="Replay step" aria-valuetext={format!("Step {} of {}", step + 1, tl.steps.len())} oninput={on_scrub} />
                </div>
            </div>
            { detail }
            <div class="fl-replay-body">
                <div class="fl-objects" aria-label="Objects at this step" tabindex="0">
                    <h2>{ "Objects at this step" }</h2>
                    if objects.is_empty() { <p class="fl-muted">{ "No object has been touched yet." }</p> }
                    { for object_cards }
                    if hidden > 0 {
                        <button type="button" class="fl-show-all-objects" onclick={show_all}>
                            { format!("Show the {hidden} other object(s)") }</button>
                    }
                </div>
                <StepList loaded={ctx.loaded.clone()} test={AttrValue::from(test.clone())} step={step} on_step={set_step.clone()} />
            </div>
        </div>
    }
}

/// Cards a plane shows before "Show the other objects": a run that touched hundreds of objects
/// would otherwise redraw hundreds of cards at every step.
const MAX_OBJECTS: usize = 60;

/// Which of a plane's `len` objects get a card, in their order: the first [`MAX_OBJECTS`] and every
/// one that `changed_here` (what this step did is never hidden), or all of them.
fn shown_objects(len: usize, changed_here: impl Fn(usize) -> bool, all: bool) -> Vec<usize> {
    (0..len).filter(|&i| all || i < MAX_OBJECTS || changed_here(i)).collect()
}

/// The track holds at most this many markers: more than its width in pixels says nothing more, and a
/// marker per step (10,000 for a busy test) made every move of the scrubber redraw them all.
const MAX_MARKERS: usize = 600;

/// Which marker a step falls under.
fn marker_bucket(step: usize, steps: usize) -> usize {
    if steps <= MAX_MARKERS { step } else { step * MAX_MARKERS / steps }
}

/// One step per marker, `(marker, step)` in order: each marker's first telling step, else its first.
fn marker_steps(tl: &Timeline, events: &[RunEvent]) -> Vec<(usize, usize)> {
    let mut picked: Vec<(usize, usize, bool)> = Vec::new();
    for s in &tl.steps {
        let bucket = marker_bucket(s.index, tl.steps.len());
        let telling = events.get(s.event).is_some_and(is_telling);
        match picked.last_mut() {
            Some(last) if last.0 == bucket => {
                if telling && !last.2 {
                    *last = (bucket, s.index, true);
                }
            }
            _ => picked.push((bucket, s.index, telling)),
        }
    }
    picked.into_iter().map(|(bucket, step, _)| (bucket, step)).collect()
}

fn first_evidence_step(ctx: &Ctx, test: &str, tl: &Timeline) -> usize {
    let Some(d) = ctx.loaded.diagnosis(test) else { return 0 };
    d.evidence
        .iter()
        .filter_map(|ev| tl.steps.iter().find(|s| s.source.file == ev.file && s.source.covers(ev.line)))
        .map(|s| s.index)
        .min()
        .unwrap_or(0)
}

/// Consecutive steps of one phase, as (phase, first step, last step).
fn phase_bands(tl: &Timeline) -> Vec<(Phase, usize, usize)> {
    let mut out: Vec<(Phase, usize, usize)> = Vec::new();
    for s in &tl.steps {
        match out.last_mut() {
            Some((p, _, to)) if *p == s.phase => *to = s.index,
            _ => out.push((s.phase, s.index, s.index)),
        }
    }
    out
}

/// An object's existence across the whole replay as coloured segments, with the current step marked.
fn history_strip(history: &[ObjectState], steps: usize, here: usize) -> Html {
    let steps = steps.max(1);
    let segments = history.iter().enumerate().map(|(i, s)| {
        let from = s.changed_at_step;
        let to = history.get(i + 1).map_or(steps, |n| n.changed_at_step);
        let left = from as f64 * 100.0 / steps as f64;
        let width = (to.saturating_sub(from)).max(1) as f64 * 100.0 / steps as f64;
        html! { <span class={classes!("fl-seg", format!("fl-ex-{}", existence_label(s.existence)))}
        style={format!("left: {left:.3}%; width: {width:.3}%")}
        title={format!("{} from step {}", existence_label(s.existence), from + 1)}></span> }
    });
    let here = here as f64 * 100.0 / steps as f64;
    html! { <div class="fl-strip" aria-hidden="true">{ for segments }<span class="fl-strip-here" style={format!("left: {here:.3}%")}></span></div> }
}

#[cfg(test)]
mod tests {
    use super::{MAX_MARKERS, marker_bucket, marker_steps};
    use faultline_core::event::Event as RunEvent;
    use faultline_core::replay::Timeline;

    /// `steps` steps, step `i` on event `i`; the events in `telling` are I/O errors, the rest waits.
    fn run(steps: usize, telling: &[usize]) -> (Timeline, Vec<RunEvent>) {
        let source = serde_json::json!({ "file": "console.log", "line": 1, "byte_start": 0, "byte_end": 0 });
        let events = (0..steps)
            .map(|i| {
                let kind = if telling.contains(&i) { "io_error" } else { "wait" };
                serde_json::from_value(
                    serde_json::json!({ "type": kind, "time": null, "time_ms": null, "test": "t",
                    "source": source, "extractor": "x", "fields": {} }),
                )
                .unwrap_or_else(|e| panic!("an event: {e}"))
            })
            .collect();
        let steps: Vec<serde_json::Value> = (0..steps)
            .map(|i| serde_json::json!({ "index": i, "event": i, "time_ms": null, "type": "wait", "phase": "setup", "source": source }))
            .collect();
        let tl = serde_json::from_value(serde_json::json!({ "test": "t", "steps": steps, "gaps": [] }))
            .unwrap_or_else(|e| panic!("a timeline: {e}"));
        (tl, events)
    }

    #[test]
    fn a_plane_shows_its_first_objects_and_every_one_this_step_changed() {
        use super::{MAX_OBJECTS, shown_objects};
        assert_eq!(shown_objects(3, |_| false, false), [0, 1, 2]);
        let some = shown_objects(500, |i| i == 321, false);
        assert_eq!(some.len(), MAX_OBJECTS + 1);
        assert_eq!(some.last(), Some(&321));
        assert_eq!(shown_objects(500, |_| false, true).len(), 500);
    }

    #[test]
    fn a_short_run_has_a_marker_per_step() {
        let (tl, events) = run(5, &[]);
        assert_eq!(marker_steps(&tl, &events), [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]);
    }

    #[test]
    fn a_long_run_has_at_most_max_markers_each_its_stretch_s_most_telling_step() {
        let (tl, events) = run(3_000, &[7, 1_204]);
        let markers = marker_steps(&tl, &events);
        assert!(markers.len() <= MAX_MARKERS, "{} markers", markers.len());
        assert!(markers.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1), "in order, one per stretch");
        // Steps 5..10 share a marker (3,000 / 600 = 5 steps each): the I/O error stands for them.
        assert!(markers.contains(&(marker_bucket(7, 3_000), 7)));
        assert!(markers.contains(&(marker_bucket(1_204, 3_000), 1_204)));
        assert!(markers.contains(&(marker_bucket(12, 3_000), 10)), "a quiet stretch shows its first step");
        // The current step's marker is the one its stretch has.
        assert_eq!(marker_bucket(2_999, 3_000), MAX_MARKERS - 1);
    }
}
