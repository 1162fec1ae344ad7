//! The CLI streams plain logs from disk: its JSON and HTML reports must be exactly what the core gives
//! for the same files held in memory (as the web app holds them).

mod common;

use std::path::{Path, PathBuf};

use common::{faultline, repo};
use faultline_core::export::html;
use faultline_core::{AnalyzeOptions, InputFile, analyze};

/// Every file under `dir`, sorted and named relative to it, as the CLI collects them.
fn load(dir: &Path) -> Vec<InputFile> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<InputFile>) {
        let mut paths: Vec<PathBuf> =
            std::fs::read_dir(dir).expect("readable dir").filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let name = p.strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/");
                out.push(InputFile::new(name, std::fs::read(&p).expect("readable file")));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn streamed_reports_equal_the_in_memory_ones() {
    let tmp = std::env::temp_dir().join(format!("faultline-cli-stream-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    // On one thread, and on a pool of three (more than this machine may have cores: the pool is real).
    let runs = ["rwx-recovery-pytest", "noisy-founding", "odd-inputs", "two-failures-no-bleed"]
        .into_iter()
        .flat_map(|scenario| [(scenario, "1"), (scenario, "3")]);
    for (scenario, jobs) in runs {
        let dir = repo().join("fixtures").join(scenario);
        let (json, page) = (tmp.join(format!("{scenario}.json")), tmp.join(format!("{scenario}.html")));
        let out = faultline(&[
            "analyze",
            &dir.display().to_string(),
            "--quiet",
            "--jobs",
            jobs,
            "--format",
            "json",
            "--out",
            &json.display().to_string(),
            "--format",
            "html",
            "--out",
            &page.display().to_string(),
        ]);
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{scenario}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let held = analyze(load(&dir), &AnalyzeOptions::default());
        let written: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&json).expect("json written")).expect("json report");
        let expected: serde_json::Value = serde_json::from_str(&held.report.to_json_pretty()).expect("json");
        assert_eq!(written, expected, "{scenario}, --jobs {jobs}: JSON differs");
        let written = std::fs::read_to_string(&page).expect("html written");
        assert!(written == html::render(&held), "{scenario}, --jobs {jobs}: HTML differs");
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
