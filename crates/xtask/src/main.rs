//! `cargo xtask …`: the project's commands. Each one installs what it needs and skips what is there, so
//! the README's two commands work on a fresh machine.

mod bench;
mod e2e;
mod fuzz;
mod pkg;
mod size;
mod tally;
mod web;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use tally::Tally;

pub(crate) const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The scenario `cargo xtask demo` shows: the founding case, failing run.
pub(crate) const DEMO_SCENARIO: &str = "fixtures/rwx-recovery-cr-deleted";

const USAGE: &str = "usage: cargo xtask <command>

commands:
  test     fmt check, clippy -D warnings, rustdoc -D warnings, every test, the browser tests, and the wasm32 build
  demo     print the founding case's diagnosis, build the web app and serve it on http://127.0.0.1:8080
  web      build the web app (Trunk) into dist/
  bench    time faultline against junit2html, xunit-viewer, junitparser, grep and ripgrep, wasm in
           Chromium and the web app on generated inputs; write BENCHMARKS.md (--only junit,log,wasm,web)
  bench --criterion [ARGS]   the core's criterion benchmarks, one per stage (cargo bench)
  pkg      build the npm package (wasm-bindgen, wasm-opt, generated types) into crates/faultline-wasm/pkg
  fuzz     run each cargo-fuzz target (--seconds N each, default 60; nightly, else stable + RUSTC_BOOTSTRAP)
";

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let cmd = args.next().unwrap_or_default();
    let root = workspace_root()?;
    std::env::set_current_dir(&root).with_context(|| format!("entering {}", root.display()))?;
    match cmd.as_str() {
        "test" => test(),
        "demo" => demo(),
        "bench" => bench::run(args.collect()),
        "pkg" => pkg::pkg(),
        "web" => web::build(),
        "web-stage" => web::stage(),
        "fuzz" => fuzz::run(args.collect()),
        "" | "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}

/// The checkout `cargo xtask` was run in. `cargo run` says so at run time; the compile-time path is
/// only a fallback, because one target directory shared by two checkouts shares this binary too.
fn workspace_root() -> Result<PathBuf> {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .context("xtask is expected at crates/xtask in the workspace")
}

fn test() -> Result<()> {
    let started = Instant::now();
    ensure_wasm_target()?;
    step("format check", || cargo(&["fmt", "--all", "--", "--check"]))?;
    step("clippy", || cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    // The wasm package builds faultline-core without its default features (legacy encodings, Unicode
    // classes); that configuration must stay clean too.
    step("clippy (faultline-core as the wasm package builds it)", || {
        cargo(&[
            "clippy",
            "-p",
            "faultline-core",
            "--no-default-features",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])
    })?;
    // Doc comments are the library's reference: a broken or ambiguous link is a mistake like any other.
    step("doc comments (rustdoc -D warnings)", || {
        cargo_with_env(&["doc", "--workspace", "--no-deps", "--quiet"], &[("RUSTDOCFLAGS", "-D warnings")])
    })?;
    let mut tally = Tally::default();
    step("tests", || cargo_test(&mut tally))?;
    step("browser test dependencies", e2e::ensure_browser_deps)?;
    pkg::pkg_unless_fresh()?;
    // The e2e suite drives the built page (dist/), so the app is built like `cargo xtask demo` builds it.
    web::build()?;
    step("wasm tests in headless Chromium (wasm-bindgen-test)", || e2e::run_wasm_tests(&mut tally))?;
    step("browser and package tests (node --test)", || e2e::run_node_tests(&mut tally))?;
    step("package types (tsc --noEmit)", e2e::check_package_types)?;
    step("wasm32 build of faultline-core", || {
        cargo(&["build", "-p", "faultline-core", "--target", WASM_TARGET])
    })?;
    eprintln!("xtask test: all steps passed in {:.0?}", started.elapsed());
    // One closing line for the whole suite, so a reader (or CI) need not add up per-binary results.
    println!("{} passed, {} failed, {} ignored", tally.passed, tally.failed, tally.ignored);
    Ok(())
}

fn demo() -> Result<()> {
    step("build the CLI", || cargo(&["build", "--release", "-p", "faultline-cli"]))?;
    let bin = release_cli();
    let status = Command::new(&bin)
        .arg("analyze")
        .args(scenario_artifacts(Path::new(DEMO_SCENARIO))?)
        .args(["--format", "text"])
        .status()
        .with_context(|| format!("running {}", bin.display()))?;
    // Exit 1 means "a test failed", which is the point of the demo; anything else is a real error.
    if !matches!(status.code(), Some(0 | 1)) {
        bail!("faultline exited with {status}");
    }
    web::build()?;
    web::serve_demo()
}

/// The release CLI, wherever CARGO_TARGET_DIR puts it (absolute, so it runs from any directory).
pub(crate) fn release_cli() -> PathBuf {
    let bin = e2e::target_dir().join("release").join("faultline");
    std::path::absolute(&bin).unwrap_or(bin)
}

/// A scenario folder's artifacts: everything but its ground truth and notes, which are not CI output.
pub(crate) fn scenario_artifacts(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !matches!(p.file_name().and_then(|n| n.to_str()), Some("expected.toml" | "README.md")))
        .collect();
    files.sort();
    Ok(files)
}

/// Runs `cargo test --workspace`, passing its output through and adding up every `test result:` line.
fn cargo_test(tally: &mut Tally) -> Result<()> {
    let mut cmd = Command::new(cargo_program());
    cmd.args(["test", "--workspace"]);
    tally.stream(cmd, Tally::add_cargo_line)
}

/// Installs the wasm32 target with rustup unless it is already there.
pub(crate) fn ensure_wasm_target() -> Result<()> {
    let out = Command::new("rustup").args(["target", "list", "--installed"]).output();
    match out {
        Ok(o) if String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == WASM_TARGET) => Ok(()),
        Ok(_) => step("install the wasm32 target", || run("rustup", &["target", "add", WASM_TARGET])),
        Err(e) => bail!("rustup is needed to install the {WASM_TARGET} target: {e}"),
    }
}

/// The cargo that runs xtask (`CARGO`, set by `cargo run`), so every step uses the same toolchain.
pub(crate) fn cargo_program() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

pub(crate) fn cargo(args: &[&str]) -> Result<()> {
    run(&cargo_program(), args)
}

/// [`cargo`] with extra environment variables for this one command.
pub(crate) fn cargo_with_env(args: &[&str], env: &[(&str, &str)]) -> Result<()> {
    run_command(&cargo_program(), args, env)
}

pub(crate) fn run(program: &str, args: &[&str]) -> Result<()> {
    run_command(program, args, &[])
}

fn run_command(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<()> {
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .status()
        .with_context(|| format!("starting {program}"))?;
    if !status.success() {
        bail!("`{program} {}` failed with {status}", args.join(" "));
    }
    Ok(())
}

/// Runs one named step, saying what it is before and how long it took after.
pub(crate) fn step<T>(name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    eprintln!("xtask: {name} …");
    let started = Instant::now();
    let result = f();
    eprintln!("xtask: {name}: {} in {:.1?}", if result.is_ok() { "ok" } else { "FAILED" }, started.elapsed());
    result.with_context(|| format!("step `{name}` failed"))
}
