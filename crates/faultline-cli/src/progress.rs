//! A progress bar on stderr for long analyses. Shown only on a terminal and only when the input is large
//! enough to take a noticeable time; a CI log or a pipe gets nothing.

use std::io::IsTerminal;

use faultline_core::{Progress, ProgressStage};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Below this much input the analysis takes well under a second.
pub const MIN_BYTES: u64 = 8 << 20;

pub struct Bar {
    bar: Option<ProgressBar>,
    stage: Option<ProgressStage>,
}

impl Bar {
    pub fn new(total_bytes: u64, quiet: bool) -> Bar {
        let show = !quiet && total_bytes >= MIN_BYTES && std::io::stderr().is_terminal();
        let bar = show.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
            let style =
                ProgressStyle::with_template("{msg:>10} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec})")
                    .map(|s| s.progress_chars("=> "))
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Bar { bar, stage: None }
    }

    pub fn update(&mut self, p: Progress) {
        let Some(bar) = &self.bar else { return };
        if self.stage != Some(p.stage) {
            self.stage = Some(p.stage);
            if p.stage == ProgressStage::Diagnosing {
                // Rules, replay and clusters take a fraction of the time and have no bytes to count.
                bar.set_message("diagnosing");
                bar.set_position(bar.length().unwrap_or(0));
                return;
            }
            // A new stage counts from zero (and at its own rate) over its own total.
            bar.reset();
            bar.set_length(p.total.max(1));
            bar.set_message(if p.stage == ProgressStage::Reading { "reading" } else { "logs" });
        }
        if p.stage != ProgressStage::Diagnosing {
            bar.set_position(p.done.min(p.total));
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
