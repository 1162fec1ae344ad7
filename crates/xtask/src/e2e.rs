//! Browser tests of the HTML report (`e2e/`, run with `node --test`): Chromium from the system packages,
//! playwright-core from `package-lock.json`. Playwright's own browser download is never used.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::tally::Tally;

pub const CHROMIUM: &str = "/usr/bin/chromium";
const PLAYWRIGHT: &str = "node_modules/playwright-core";
const LOCKFILE: &str = "package-lock.json";

/// Installs what the browser tests need and skips what is there: Chromium (Debian's `chromium` package,
/// via apt-get, with sudo unless already root), Node.js if it is missing, and the locked npm packages
/// (`npm ci`) when they are missing or older than `package-lock.json`.
pub fn ensure_browser_deps() -> Result<()> {
    if !Path::new(CHROMIUM).exists() {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    ensure_npm_packages()
}

/// The npm packages pinned in `package-lock.json` (`npm ci`), unless `node_modules` is up to date.
pub fn ensure_npm_packages() -> Result<()> {
    if !found("node") || !found("npm") {
        apt_install(&["nodejs", "npm"])?;
    }
    if packages_stale()? {
        run("npm", &["ci", "--no-audit", "--no-fund"])?;
    }
    Ok(())
}

/// Builds the CLI the tests call (`faultline analyze --format html`), then runs every test under `e2e/`.
pub fn run_node_tests(tally: &mut Tally) -> Result<()> {
    crate::cargo(&["build", "--quiet", "-p", "faultline-cli"])?;
    let mut node = Command::new("node");
    // TAP on a pipe too, so the footer can be counted.
    node.args(["--test", "--test-reporter=tap", "e2e/", "crates/faultline-wasm/js/test/", "web/js/"]);
    // The tests run the CLI just built, wherever CARGO_TARGET_DIR puts it.
    node.env("FAULTLINE_BIN", target_dir().join("debug").join("faultline"));
    tally.stream(node, Tally::add_tap_line)
}

/// True when `node_modules` lacks playwright-core or predates the lockfile (npm records the tree it
/// installed in `node_modules/.package-lock.json`).
fn packages_stale() -> Result<bool> {
    let installed = Path::new("node_modules/.package-lock.json");
    if !Path::new(PLAYWRIGHT).join("package.json").is_file() || !installed.is_file() {
        return Ok(true);
    }
    let modified = |p: &Path| {
        std::fs::metadata(p).and_then(|m| m.modified()).with_context(|| format!("reading {}", p.display()))
    };
    Ok(modified(Path::new(LOCKFILE))? > modified(installed)?)
}

pub fn apt_install(packages: &[&str]) -> Result<()> {
    let sudo = !is_root();
    if sudo && !found("sudo") {
        bail!("installing {} needs root or sudo", packages.join(" "));
    }
    let with_sudo = |args: &[&str]| -> Result<()> {
        if sudo {
            let mut all = vec!["apt-get"];
            all.extend_from_slice(args);
            run("sudo", &all)
        } else {
            run("apt-get", args)
        }
    };
    with_sudo(&["update"])?;
    let mut args = vec!["install", "-y"];
    args.extend_from_slice(packages);
    with_sudo(&args)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// True when `program` runs at all (it is on the PATH).
fn found(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok()
}

fn run(program: &str, args: &[&str]) -> Result<()> {
    let status = Command::new(program).args(args).status().with_context(|| format!("starting {program}"))?;
    if !status.success() {
        bail!("`{program} {}` failed with {status}", args.join(" "));
    }
    Ok(())
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set (relative to the workspace), else `target`.
pub fn target_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| "target".into(), std::path::PathBuf::from)
}

/// The wasm build's own tests in headless Chromium: `wasm-bindgen-test-runner` (installed with
/// wasm-bindgen-cli at the locked version) drives Debian's chromedriver; browser options are in
/// `crates/faultline-wasm/webdriver.json`.
pub fn run_wasm_tests(tally: &mut Tally) -> Result<()> {
    crate::pkg::ensure_wasm_bindgen_cli()?;
    let mut cmd = Command::new(crate::cargo_program());
    cmd.args(["test", "-p", "faultline-wasm", "--target", crate::WASM_TARGET])
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "600");
    tally.stream(cmd, Tally::add_cargo_line)
}

/// `tsc --noEmit` over a usage file written against the built package's types.
pub fn check_package_types() -> Result<()> {
    run("node_modules/.bin/tsc", &["-p", "crates/faultline-wasm/js/test/tsconfig.json"])
}
