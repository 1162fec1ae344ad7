//! Scenario loading shared by the integration tests: every folder under `fixtures/` with an
//! `expected.toml` is a recorded CI run.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use faultline_core::InputFile;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// Reads a scenario folder as the CLI would: every file, sorted, named relative to the folder.
pub fn load(dir: &Path) -> Vec<InputFile> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&d)
            .expect("readable fixture dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
            } else if !matches!(
                p.file_name().and_then(|n| n.to_str()),
                Some("expected.toml" | "README.md" | "generate.py" | "generate.sh")
            ) {
                let name = p.strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
                out.push(InputFile::new(name, std::fs::read(&p).expect("readable fixture")));
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

pub fn scenarios() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// A scenario folder's short name, for snapshot names and messages.
pub fn name(dir: &Path) -> String {
    dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}
