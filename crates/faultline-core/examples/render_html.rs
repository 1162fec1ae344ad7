//! Renders the HTML report for the given artifacts: `render_html OUT PATH…`.
//!
//! A file is read as it is; a directory contributes the files directly inside it (one level, sorted),
//! without a scenario's ground truth and notes. Used by the browser tests in `e2e/`; the CLI's
//! `faultline analyze --format html` is the tool for users.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use faultline_core::{AnalyzeOptions, InputFile, analyze, export};

const NOT_ARTIFACTS: [&str; 4] = ["expected.toml", "README.md", "generate.py", "generate.sh"];

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let Some((out, paths)) = args.split_first().filter(|(_, p)| !p.is_empty()) else {
        eprintln!("usage: render_html OUT PATH…");
        return ExitCode::from(2);
    };
    let mut files = Vec::new();
    for p in paths {
        if let Err(e) = read(p, &mut files) {
            eprintln!("render_html: {}: {e}", p.display());
            return ExitCode::from(2);
        }
    }
    let html = export::html::render(&analyze(files, &AnalyzeOptions::default()));
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        eprintln!("render_html: {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    if let Err(e) = std::fs::write(out, html) {
        eprintln!("render_html: {}: {e}", out.display());
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.to_string_lossy().into_owned())
}

fn read(p: &Path, files: &mut Vec<InputFile>) -> std::io::Result<()> {
    if !p.is_dir() {
        files.push(InputFile::new(name_of(p), std::fs::read(p)?));
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(p)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for e in entries {
        let name = name_of(&e);
        if e.is_file() && !NOT_ARTIFACTS.contains(&name.as_str()) {
            files.push(InputFile::new(name, std::fs::read(&e)?));
        }
    }
    Ok(())
}
