//! The replay's list of steps, virtualised: a test keeps up to 10,000 events, and with every step
//! drawn each move of the scrubber re-rendered and laid out all of them (100 ms a step at 4,300 steps).
//! Quiet stretches of the run sit between the steps as rows of their own.

use std::rc::Rc;

use faultline_core::export::describe::{clock, describe, is_telling};
use faultline_core::replay::{Phase, Timeline};
use yew::prelude::*;

use crate::app::Loaded;
use crate::text::shown;
use crate::views::virtual_list::VirtualList;

/// Rows are keyed by their place in the list: at each step the window moves by a row or two, and
/// keyed rows move in the DOM instead of every visible row being rewritten.
///
/// Every row has this height (CSS `.fl-steps .fl-step`, `.fl-gap`), as the virtual list needs.
const ROW_PX: f64 = 26.0;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Row {
    Step(usize),
    /// A stretch with no events, this many milliseconds long, after the step before it.
    Gap(i64),
}

/// The list's rows in order, and for each step the row it is on.
#[derive(Debug, PartialEq)]
struct Rows {
    rows: Vec<Row>,
    row_of_step: Vec<usize>,
}

fn rows_of(tl: &Timeline) -> Rows {
    let mut rows = Vec::with_capacity(tl.steps.len() + tl.gaps.len());
    let mut row_of_step = Vec::with_capacity(tl.steps.len());
    let mut gaps = tl.gaps.iter().peekable();
    for s in &tl.steps {
        row_of_step.push(rows.len());
        rows.push(Row::Step(s.index));
        while let Some(g) = gaps.next_if(|g| g.after_step <= s.index) {
            if g.after_step == s.index {
                rows.push(Row::Gap(g.to_ms - g.from_ms));
            }
        }
    }
    Rows { rows, row_of_step }
}

pub fn phase_class(p: Phase) -> &'static str {
    match p {
        Phase::Setup => "fl-ph-setup",
        Phase::FaultInjection => "fl-ph-fault",
        Phase::RecoveryWait => "fl-ph-wait",
        Phase::Verification => "fl-ph-verify",
        Phase::Teardown => "fl-ph-teardown",
    }
}

/// How long a quiet stretch was, in the largest units that say it.
pub fn span(ms: i64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}h {}m", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{}m {}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

#[derive(Properties, PartialEq)]
pub struct StepListProps {
    pub loaded: Rc<Loaded>,
    pub test: AttrValue,
    pub step: usize,
    pub on_step: Callback<usize>,
}

#[function_component(StepList)]
pub fn step_list(props: &StepListProps) -> Html {
    let rows = use_memo((props.loaded.clone(), props.test.clone()), |(loaded, test)| {
        loaded.timeline(test).map(rows_of).unwrap_or(Rows { rows: Vec::new(), row_of_step: Vec::new() })
    });
    let step = props.step;
    let render = {
        let rows = rows.clone();
        let loaded = props.loaded.clone();
        let test = props.test.clone();
        let on_step = props.on_step.clone();
        Callback::from(move |i: usize| {
            let Some(tl) = loaded.timeline(&test) else { return Html::default() };
            match rows.rows.get(i) {
                Some(Row::Step(index)) => {
                    let Some(s) = tl.steps.get(*index) else { return Html::default() };
                    let e = loaded.report.events.get(s.event);
                    let here = s.index == step;
                    let index = s.index;
                    let on_step = on_step.clone();
                    html! {
                        <div key={i} role="listitem" aria-current={here.then_some("step")}
                             class={classes!("fl-step", phase_class(s.phase), here.then_some("fl-here"), e.is_some_and(is_telling).then_some("fl-telling"))}>
                            <button type="button" onclick={Callback::from(move |_| on_step.emit(index))}>
                                <span class="fl-step-n">{ s.index + 1 }</span>
                                <span class="fl-time">{ s.time_ms.map(clock).unwrap_or_default() }</span>
                                <span class="fl-step-text">{ shown(&e.map(describe).unwrap_or_default()) }</span>
                            </button>
                        </div>
                    }
                }
                Some(Row::Gap(ms)) => html! {
                    <div key={i} class="fl-gap" aria-hidden="true">{ format!("… {} with no events …", span(*ms)) }</div>
                },
                None => Html::default(),
            }
        })
    };
    html! {
        <VirtualList rows={rows.rows.len()} row_height={ROW_PX} render={render} class={classes!("fl-steps")}
                     label="Steps" scroll_to={rows.row_of_step.get(step).copied()}
                     data_key={props.test.clone()} />
    }
}

#[cfg(test)]
mod tests {
    use super::{Row, rows_of, span};
    use faultline_core::replay::Timeline;

    fn timeline(steps: usize, gaps: &[(usize, i64)]) -> Timeline {
        let steps: Vec<serde_json::Value> = (0..steps)
            .map(|i| {
                serde_json::json!({ "index": i, "event": i, "time_ms": i as i64 * 1000, "type": "wait",
                    "phase": "setup", "source": { "file": "console.log", "line": i + 1, "byte_start": 0, "byte_end": 0 } })
            })
            .collect();
        let gaps: Vec<serde_json::Value> = gaps
            .iter()
            .map(|&(after, ms)| serde_json::json!({ "after_step": after, "from_ms": 0, "to_ms": ms }))
            .collect();
        serde_json::from_value(serde_json::json!({ "test": "t", "steps": steps, "gaps": gaps }))
            .unwrap_or_else(|e| panic!("a timeline: {e}"))
    }

    #[test]
    fn gaps_are_rows_after_their_step_and_each_step_knows_its_row() {
        let r = rows_of(&timeline(4, &[(0, 60_000), (2, 5_000)]));
        assert_eq!(
            r.rows,
            [Row::Step(0), Row::Gap(60_000), Row::Step(1), Row::Step(2), Row::Gap(5_000), Row::Step(3)]
        );
        assert_eq!(r.row_of_step, [0, 2, 3, 5]);
    }

    #[test]
    fn a_gap_after_no_step_is_left_out_not_misplaced() {
        let r = rows_of(&timeline(2, &[(7, 1_000)]));
        assert_eq!(r.rows, [Row::Step(0), Row::Step(1)]);
    }

    #[test]
    fn spans_read_in_the_largest_units() {
        assert_eq!(span(42_000), "42s");
        assert_eq!(span(125_000), "2m 5s");
        assert_eq!(span(3_725_000), "1h 2m");
    }
}
