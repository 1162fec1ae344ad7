//! `cargo xtask pkg`: the npm package in `crates/faultline-wasm/pkg/`, built offline from pinned tools:
//! the wasm32 target, `wasm-bindgen` at exactly the version in Cargo.lock (installed with
//! `cargo install wasm-bindgen-cli --version =X` when missing or different), and from `package-lock.json`
//! binaryen's `wasm-opt` and json-schema-to-typescript for the report's types.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{WASM_TARGET, cargo, cargo_with_env, ensure_wasm_target, run, step};

pub const PKG_DIR: &str = "crates/faultline-wasm/pkg";
const JS_DIR: &str = "crates/faultline-wasm/js";
/// The package's hand-written files, copied from `JS_DIR` beside what wasm-bindgen makes.
const JS_FILES: [&str; 6] = ["index.js", "spool.js", "warmup.js", "index.d.ts", "package.json", "README.md"];
const SCHEMA: &str = "schema/faultline.report.v1.schema.json";
/// The release size budget of the package's default module, gzipped.
pub const MAX_GZIP_BYTES: u64 = 400 * 1024;

/// One of the package's two wasm modules. Both are faultline-wasm with the same exports, so they share
/// one JavaScript glue; they differ in the crate's `viewer` feature and in the cargo profile.
pub struct Module {
    /// What `cargo xtask pkg` calls it.
    pub label: &'static str,
    /// Its file in the package.
    pub file: &'static str,
    /// The cargo profile it is built with.
    profile: &'static str,
    /// With the `viewer` feature (the crate's default) or without any feature.
    viewer: bool,
}

/// What a portal embeds: the analysis, the replay, evidence in context and the rule tools, at
/// opt-level "z" but for the hot crates (profile `wasm-lean`), under the size budget. `load()` loads it.
pub const DEFAULT_MODULE: Module =
    Module { label: "default", file: "faultline_wasm_bg.wasm", profile: "wasm-lean", viewer: false };
/// The same and the exports and the log viewer's queries, at opt-level "s": what the web app's worker
/// loads (`load(viewerModule)`).
pub const VIEWER_MODULE: Module =
    Module { label: "viewer", file: "faultline_wasm_viewer_bg.wasm", profile: "wasm-release", viewer: true };
const MODULES: [&Module; 2] = [&DEFAULT_MODULE, &VIEWER_MODULE];

/// A module is built with `cargo rustc --crate-type cdylib`, not `cargo build`: the crate is also an
/// `rlib` (its wasm tests link it), and for a crate with an `rlib` among its types cargo does not pass
/// `-C lto`, silently, so the profile's `lto = true` did nothing and every dependency was linked as
/// compiled on its own. Building the one crate type LTO can apply to gives the whole-program build the
/// profile asks for: 32.2 KB gzipped smaller on 2026-12-04 (507.6 -> 475.4 KB), as fast.
fn module_build_args(module: &Module) -> Vec<&'static str> {
    let mut args = vec![
        "rustc",
        "-p",
        "faultline-wasm",
        "--lib",
        "--crate-type",
        "cdylib",
        "--target",
        WASM_TARGET,
        "--profile",
        module.profile,
    ];
    if !module.viewer {
        args.push("--no-default-features");
    }
    args
}

/// The modules are built with wasm's 128-bit SIMD, which every current browser and Node.js runs (Chrome
/// 91, Firefox 89, Safari 16.4, Node 16.4): memchr and the line scans use it, and the analysis of a
/// 100 MB log in Chromium took 851–880 ms instead of 926–958 ms, with a module 2 KB smaller. Only these
/// builds get it (the target-specific variable), so the web app and the wasm tests are built as before.
///
/// LLVM's threshold for inlining a function marked `#[inline]` (the standard library marks most of its
/// small generic functions so) is lowered from 325 to 100: under LTO the module is 23 KB gzipped
/// smaller (494.8 -> 475.3 KB at 125, 472.1 KB at 100). At 125 a 100 MB log was at first 5 % slower in
/// Chromium: character-wise trims on every log line had become calls; trimmed by bytes
/// (`logline::stamp`), it was as fast as before. 125 -> 100 (2026-12-04, interleaved runs in Chromium):
/// the 100 MB log 919 against 921 ms (medians of 18), a 10 MB JUnit 291 against 297 ms (18), a 60 MB
/// log where every line is an event 2235 against 2260 ms (12). At 50 the module was 11 KB smaller but
/// 20 % slower on events. If a hot path slows down, profile the module for a standard-library helper
/// that stopped being inlined before raising this again.
const MODULE_RUSTFLAGS: &str = "-C target-feature=+simd128 -C llvm-args=-inlinehint-threshold=100";

fn build_module(module: &Module) -> Result<()> {
    cargo_with_env(
        &module_build_args(module),
        &[("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", MODULE_RUSTFLAGS)],
    )
}

fn build_modules() -> Result<()> {
    for module in MODULES {
        step(&format!("wasm32 release build of faultline-wasm, {} module", module.label), || {
            build_module(module)
        })?;
    }
    Ok(())
}

/// What cargo built for `module`.
fn built(module: &Module) -> std::path::PathBuf {
    crate::e2e::target_dir().join(WASM_TARGET).join(module.profile).join("faultline_wasm.wasm")
}

/// The wasm-bindgen glue files the package ships: the viewer module's, which also serve the default one.
const GLUE: [&str; 3] = ["faultline_wasm.js", "faultline_wasm.d.ts", "faultline_wasm_bg.wasm.d.ts"];

pub fn pkg() -> Result<()> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen_cli()?;
    crate::e2e::ensure_npm_packages()?;
    build_modules()?;
    let out = Path::new(PKG_DIR);
    if out.exists() {
        std::fs::remove_dir_all(out).with_context(|| format!("clearing {}", out.display()))?;
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut bound = Vec::new();
    for module in MODULES {
        let dir = crate::e2e::target_dir().join("pkg-bindgen").join(module.label);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("clearing {}", dir.display()))?;
        }
        let wasm = built(module);
        step(&format!("wasm-bindgen, {} module", module.label), || {
            run(
                "wasm-bindgen",
                &[
                    "--target",
                    "web",
                    "--out-dir",
                    &dir.to_string_lossy(),
                    "--out-name",
                    "faultline_wasm",
                    &wasm.to_string_lossy(),
                ],
            )
        })?;
        let bindgen = dir.join("faultline_wasm_bg.wasm");
        let bytes = std::fs::read(&bindgen).with_context(|| format!("reading {}", bindgen.display()))?;
        bound.push((module, dir, bytes));
    }
    let find = |viewer: bool| bound.iter().find(|(m, ..)| m.viewer == viewer);
    let (Some((_, _, default_bytes)), Some((_, viewer_dir, viewer_bytes))) = (find(false), find(true)) else {
        bail!("the package needs a default module and a viewer module");
    };
    shares_glue(&shape(default_bytes)?, &shape(viewer_bytes)?)?;
    for file in GLUE {
        copy(&viewer_dir.join(file), &out.join(file))?;
    }
    let mut sizes = Vec::new();
    for (module, dir, bytes) in &bound {
        let bindgen = dir.join("faultline_wasm_bg.wasm");
        let before = bytes.len() as u64;
        // Read now: wasm-opt drops the name section that says which crate each function comes from.
        let contents = crate::size::read(bytes)?;
        let shipped = out.join(module.file);
        step(&format!("wasm-opt -Oz, {} module (binaryen from package-lock.json)", module.label), || {
            run(
                "node_modules/.bin/wasm-opt",
                &[
                    "-Oz",
                    "--enable-bulk-memory",
                    "--enable-mutable-globals",
                    "--enable-nontrapping-float-to-int",
                    "--enable-sign-ext",
                    "--enable-reference-types",
                    "--enable-multivalue",
                    "--enable-simd",
                    &bindgen.to_string_lossy(),
                    "-o",
                    &shipped.to_string_lossy(),
                ],
            )
        })?;
        sizes.push((*module, shipped, before, contents));
    }
    step("report types from the JSON Schema", || {
        run(
            "node_modules/.bin/json2ts",
            &["--input", SCHEMA, "--output", &format!("{PKG_DIR}/report.d.ts"), "--unreachableDefinitions"],
        )
    })?;
    for file in JS_FILES {
        copy(&Path::new(JS_DIR).join(file), &out.join(file))?;
    }
    copy(Path::new(SCHEMA), &out.join("faultline.report.v1.schema.json"))?;
    for (module, shipped, before, contents) in &sizes {
        let gz = gzip_size(shipped)?;
        let budget =
            if module.viewer { String::from("no budget") } else { format!("budget {MAX_GZIP_BYTES}") };
        eprintln!(
            "xtask: {} module, {}: {} bytes ({before} before wasm-opt), {gz} bytes gzipped ({budget})",
            module.label,
            shipped.display(),
            size(shipped)?,
        );
        if !module.viewer && gz > MAX_GZIP_BYTES {
            // Reported, not fatal: the package works; the budget is tracked in the README and the notes.
            eprintln!(
                "xtask: warning: the default module is {gz} bytes gzipped, over the {MAX_GZIP_BYTES}-byte budget\nxtask: {}",
                crate::size::report(contents, 10)
            );
        }
    }
    Ok(())
}

/// What a module's JavaScript glue depends on: the imports it must provide, as (module, name), and the
/// exports it calls.
#[derive(Debug, Default)]
struct Shape {
    imports: Vec<(String, String)>,
    exports: Vec<String>,
}

fn shape(wasm: &[u8]) -> Result<Shape> {
    let mut out = Shape::default();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        match payload.context("reading the wasm module")? {
            wasmparser::Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    let import = import.context("reading an import")?;
                    out.imports.push((import.module.to_string(), import.name.to_string()));
                }
            }
            wasmparser::Payload::ExportSection(section) => {
                for export in section {
                    out.exports.push(export.context("reading an export")?.name.to_string());
                }
            }
            _ => {}
        }
    }
    out.exports.sort();
    Ok(out)
}

/// The package ships the viewer module's glue for both modules: that holds when the default module
/// has the same exports and imports nothing the glue does not provide (it may import less).
fn shares_glue(default: &Shape, viewer: &Shape) -> Result<()> {
    let missing: Vec<_> = default.imports.iter().filter(|i| !viewer.imports.contains(i)).collect();
    if !missing.is_empty() {
        bail!(
            "the default module imports what the viewer module's glue does not provide: {missing:?}; \
             both modules must keep the same exports (see faultline-wasm's `viewer` feature)"
        );
    }
    if default.exports != viewer.exports {
        let only = |a: &Shape, b: &Shape| -> Vec<String> {
            a.exports.iter().filter(|e| !b.exports.contains(e)).cloned().collect()
        };
        bail!(
            "the two modules export different functions (only the default module: {:?}; only the viewer \
             module: {:?}), so one glue cannot serve both (see faultline-wasm's `viewer` feature)",
            only(default, viewer),
            only(viewer, default)
        );
    }
    Ok(())
}

/// The `wasm-bindgen` crate version Cargo.lock resolved: the CLI must match it exactly.
fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string("Cargo.lock").context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.trim().strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_string());
        }
    }
    bail!("Cargo.lock has no wasm-bindgen package")
}

/// Installs `wasm-bindgen-cli` at the locked version unless that exact version is on the PATH.
/// (`cargo install --locked` fails: a locked dependency of the CLI is missing from the registry.)
pub fn ensure_wasm_bindgen_cli() -> Result<()> {
    let want = locked_wasm_bindgen()?;
    let have = Command::new("wasm-bindgen").arg("--version").output().ok().map(|o| {
        String::from_utf8_lossy(&o.stdout).split_whitespace().nth(1).unwrap_or_default().to_string()
    });
    if have.as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    step(&format!("install wasm-bindgen-cli {want} (found {})", have.as_deref().unwrap_or("none")), || {
        cargo(&["install", "wasm-bindgen-cli", "--version", &format!("={want}")])
    })
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to).with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    Ok(())
}

fn size(p: &Path) -> Result<u64> {
    Ok(std::fs::metadata(p).with_context(|| format!("reading {}", p.display()))?.len())
}

/// Gzipped size at the default level, as a web server would send it.
pub fn gzip_size(p: &Path) -> Result<u64> {
    let out = Command::new("gzip").args(["-c", "-6"]).arg(p).output().context("running gzip")?;
    if !out.status.success() {
        bail!("gzip failed on {}", p.display());
    }
    Ok(out.stdout.len() as u64)
}

/// Builds the package unless it is newer than everything it is made from (the wasm builds are checked by
/// cargo itself; wasm-opt, which takes most of the time, reruns only when a module changed).
pub fn pkg_unless_fresh() -> Result<()> {
    ensure_wasm_target()?;
    build_modules()?;
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let mut inputs: Vec<_> = MODULES.iter().map(|m| built(m)).collect();
    inputs.push(Path::new(SCHEMA).to_path_buf());
    inputs.extend(JS_FILES.map(|f| Path::new(JS_DIR).join(f)));
    let sources = inputs.iter().filter_map(|p| modified(p)).max();
    let shipped = MODULES.iter().map(|m| modified(&Path::new(PKG_DIR).join(m.file))).min().flatten();
    match (shipped, sources) {
        (Some(pkg), Some(src)) if pkg >= src => {
            eprintln!("xtask: npm package: up to date ({PKG_DIR})");
            Ok(())
        }
        _ => step("npm package (cargo xtask pkg)", pkg),
    }
}

#[cfg(test)]
mod tests {
    use super::{DEFAULT_MODULE, MODULES, Shape, VIEWER_MODULE, module_build_args, shares_glue};

    /// `cargo build` of a crate that is also an `rlib` drops the profile's LTO without a word; the
    /// shipped modules must be built as the `cdylib` alone (see `module_build_args`).
    #[test]
    fn the_modules_are_built_as_a_cdylib_alone_so_lto_applies() {
        for module in MODULES {
            let args = module_build_args(module);
            assert_eq!(args[0], "rustc", "`cargo build` would build the rlib too, without LTO");
            let types: Vec<_> = args.windows(2).filter(|w| w[0] == "--crate-type").map(|w| w[1]).collect();
            assert_eq!(types, ["cdylib"]);
            assert!(args.windows(2).any(|w| w == ["--profile", module.profile]));
        }
    }

    /// The default module leaves the viewer out and is built for size; the viewer module has it.
    #[test]
    fn the_default_module_is_built_without_the_viewer_and_the_viewer_module_with_it() {
        assert!(module_build_args(&DEFAULT_MODULE).contains(&"--no-default-features"));
        assert_eq!(DEFAULT_MODULE.profile, "wasm-lean");
        assert!(!module_build_args(&VIEWER_MODULE).contains(&"--no-default-features"));
        assert_eq!(
            DEFAULT_MODULE.file, "faultline_wasm_bg.wasm",
            "what wasm-bindgen's glue loads by default"
        );
    }

    fn shape(imports: &[&str], exports: &[&str]) -> Shape {
        Shape {
            imports: imports.iter().map(|i| ("wbg".to_string(), i.to_string())).collect(),
            exports: exports.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn one_glue_serves_both_modules_only_when_the_exports_match_and_the_imports_are_the_viewers() {
        let viewer = shape(&["a", "b"], &["analyze", "html"]);
        assert!(shares_glue(&shape(&["a"], &["analyze", "html"]), &viewer).is_ok(), "fewer imports are fine");
        let extra = shares_glue(&shape(&["a", "c"], &["analyze", "html"]), &viewer).unwrap_err();
        assert!(extra.to_string().contains("\"c\""), "{extra}");
        let fewer = shares_glue(&shape(&["a"], &["analyze"]), &viewer).unwrap_err();
        assert!(fewer.to_string().contains("only the viewer module: [\"html\"]"), "{fewer}");
    }
}
