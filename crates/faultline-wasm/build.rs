//! For the browser tests only: a table of every scenario under `fixtures/` (its artifacts as
//! `include_bytes!`, and the native scenario test's snapshot of its diagnosis) so the same diagnoses can
//! be checked inside Chromium. The library itself never includes the file.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    // Read when the script runs, not when it is compiled: cargo shares a compiled build script between
    // checkouts that use one target directory, and a baked-in path would point at the other checkout.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from("."), PathBuf::from);
    let root = manifest.join("../..");
    let fixtures = root.join("fixtures");
    let snapshots = root.join("crates/faultline-core/tests/snapshots");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    println!("cargo:rerun-if-changed={}", snapshots.display());
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    dirs.retain(|d| d.join("expected.toml").is_file());
    dirs.sort();
    let mut out = String::from("pub const SCENARIOS: &[Scenario] = &[\n");
    for dir in dirs {
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let snapshot = snapshots.join(format!("scenario@{name}.snap"));
        if !snapshot.is_file() {
            continue;
        }
        let _ = writeln!(out, "    Scenario {{\n        name: {name:?},\n        files: &[");
        let mut files = Vec::new();
        walk(&dir, &dir, &mut files);
        files.sort();
        for (label, path) in files {
            let _ =
                writeln!(out, "            ({label:?}, include_bytes!({:?})),", path.display().to_string());
        }
        let _ = writeln!(
            out,
            "        ],\n        snapshot: include_str!({:?}),\n    }},",
            snapshot.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("scenarios.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=writing {}: {e}", dest.display());
    }
}

/// A scenario's artifacts, named relative to its folder, without its ground truth, notes and generator.
fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for p in rd.filter_map(|e| e.ok().map(|e| e.path())) {
        if p.is_dir() {
            walk(root, &p, out);
        } else if !matches!(
            p.file_name().and_then(|n| n.to_str()),
            Some("expected.toml" | "README.md" | "generate.py" | "generate.sh")
        ) {
            let label = p.strip_prefix(root).unwrap_or(&p).to_string_lossy().replace('\\', "/");
            let abs = p.canonicalize().unwrap_or(p);
            out.push((label, abs));
        }
    }
}
