//! The analysis at work: which stage, how far, on a bar that moves while the worker reads.

use yew::prelude::*;

use crate::engine::Progress;

#[derive(Properties, PartialEq)]
pub struct WorkingProps {
    pub progress: Progress,
}

fn megabytes(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1_000_000.0)
}

#[function_component(Working)]
pub fn working(props: &WorkingProps) -> Html {
    let p = &props.progress;
    let label = match p.stage.as_str() {
        "reading" => match &p.file {
            Some(f) if p.total > 0.0 => {
                format!("Reading {f}: {} of {}", megabytes(p.done), megabytes(p.total))
            }
            Some(f) => format!("Reading {f}: {}", megabytes(p.done)),
            None => "Reading the artifacts".to_string(),
        },
        "logs" => "Reading the logs".to_string(),
        "diagnosing" => "Diagnosing".to_string(),
        other => other.to_string(),
    };
    let percent = p.fraction().map(|f| (f * 100.0).round() as u32);
    html! {
        <main class="fl-working" aria-busy="true">
            <p id="fl-progress-label">{ label }</p>
            <div class="fl-progress" role="progressbar" aria-labelledby="fl-progress-label"
                 aria-valuemin="0" aria-valuemax="100" aria-valuenow={percent.map(|p| p.to_string())}>
                <div class={classes!("fl-progress-bar", percent.is_none().then_some("fl-indeterminate"))}
                     style={percent.map(|p| format!("width: {p}%"))}></div>
            </div>
        </main>
    }
}
