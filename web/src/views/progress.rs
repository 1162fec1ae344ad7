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

/// What the bar stands for now. The logs stage counts bytes too: a log read from its File in passes
/// spends most of the analysis there, and "Reading the logs" alone said nothing of how far it was.
fn label(p: &Progress) -> String {
    match p.stage.as_str() {
        "reading" => match &p.file {
            Some(f) if p.total > 0.0 => {
                format!("Reading {f}: {} of {}", megabytes(p.done), megabytes(p.total))
            }
            Some(f) => format!("Reading {f}: {}", megabytes(p.done)),
            None => "Reading the artifacts".to_string(),
        },
        "logs" if p.total > 0.0 => {
            format!("Reading the logs: {} of {}", megabytes(p.done.min(p.total)), megabytes(p.total))
        }
        "logs" => "Reading the logs".to_string(),
        "diagnosing" => "Diagnosing".to_string(),
        other => other.to_string(),
    }
}

#[function_component(Working)]
pub fn working(props: &WorkingProps) -> Html {
    let p = &props.progress;
    let label = label(p);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(stage: &str, file: Option<&str>, done: f64, total: f64) -> String {
        label(&Progress { stage: stage.into(), file: file.map(String::from), done, total })
    }

    #[test]
    fn the_label_says_how_far_each_stage_is() {
        assert_eq!(at("reading", Some("a.log"), 2e6, 4e6), "Reading a.log: 2.0 MB of 4.0 MB");
        assert_eq!(at("reading", Some("a.log"), 2e6, 0.0), "Reading a.log: 2.0 MB");
        assert_eq!(at("logs", None, 120e6, 1150e6), "Reading the logs: 120.0 MB of 1150.0 MB");
        assert_eq!(
            at("logs", None, 9e9, 1e9),
            "Reading the logs: 1000.0 MB of 1000.0 MB",
            "never past the end"
        );
        assert_eq!(at("logs", None, 0.0, 0.0), "Reading the logs");
        assert_eq!(at("diagnosing", None, 0.0, 1.0), "Diagnosing");
    }
}
