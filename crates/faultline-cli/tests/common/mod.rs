//! Running the built `faultline` binary from the repository root, shared by the CLI's test files.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `faultline ARGS…` in the repository root. CI variables that name the run (`--history`) and
/// NO_COLOR (colour) are cleared, so the tests see the same environment everywhere.
pub fn faultline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_faultline"))
        .args(args)
        .current_dir(repo())
        .env_remove("GITHUB_RUN_ID")
        .env_remove("CI_PIPELINE_ID")
        .env_remove("BUILD_TAG")
        .env_remove("NO_COLOR")
        .output()
        .expect("the faultline binary runs")
}
