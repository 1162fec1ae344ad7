//! `cargo xtask fuzz [--seconds N] [--toolchain nightly|stable] [TARGET…]`: runs each cargo-fuzz target
//! under `fuzz/` for N seconds (default 60), one after another, with seed corpora made from the fixtures.
//!
//! cargo-fuzz passes `-Z` flags (sanitizer, coverage) that only a nightly rustc accepts. A nightly
//! toolchain is used when rustup has one (`rustup run nightly cargo fuzz …`); otherwise, or with
//! `--toolchain stable`, the stable toolchain is run with `RUSTC_BOOTSTRAP=1`, which lets it accept them,
//! and the command says so. When neither can build a fuzz target, it says why and fails. cargo-fuzz itself is installed from crates.io (`cargo install --locked cargo-fuzz`) when
//! missing.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// Every target in `fuzz/Cargo.toml`, with the fixtures that seed it.
pub const TARGETS: [&str; 6] = ["junit", "robot_output", "log_lines", "stream_log", "archive", "rule_file"];

/// Seeds above this size are left out: libFuzzer mutates small inputs far faster.
const MAX_SEED_BYTES: u64 = 256 * 1024;

/// Longest input libFuzzer makes, per target. Rule files compile their regexes on every run and logs run
/// the whole pattern pack, so they are kept short enough for many runs a second; XML readers get room for
/// real-sized documents.
fn max_len(target: &str) -> usize {
    match target {
        "rule_file" => 16 * 1024,
        "log_lines" | "stream_log" | "archive" => 64 * 1024,
        _ => 256 * 1024,
    }
}

const USAGE: &str = "usage: cargo xtask fuzz [--seconds N] [--toolchain nightly|stable] [TARGET…]
  targets: junit robot_output log_lines stream_log archive rule_file (default: all, one after another)";

/// How the fuzz targets get built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Toolchain {
    Nightly,
    /// Stable rustc with `RUSTC_BOOTSTRAP=1`.
    StableBootstrap,
}

/// One target's result, from libFuzzer's final status line (`#N DONE cov: C ft: F corp: …`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    pub runs: Option<u64>,
    pub cov: Option<u64>,
    pub ft: Option<u64>,
    pub corpus: Option<String>,
    pub exec_per_sec: Option<u64>,
}

pub fn run(args: Vec<String>) -> Result<()> {
    let (seconds, asked, targets) = parse_args(&args)?;
    ensure_cargo_fuzz()?;
    let toolchain = pick_toolchain(asked)?;
    match toolchain {
        Toolchain::Nightly => eprintln!("xtask fuzz: using the nightly toolchain"),
        Toolchain::StableBootstrap => eprintln!(
            "xtask fuzz: {}; using stable rustc with RUSTC_BOOTSTRAP=1 so it accepts the -Z flags cargo-fuzz \
             passes (sanitizer=address, coverage instrumentation)",
            if asked.is_some() { "--toolchain stable" } else { "no nightly toolchain" }
        ),
    }
    let mut results = Vec::new();
    let mut failed = Vec::new();
    for target in &targets {
        let corpus = seed_corpus(target)?;
        eprintln!(
            "xtask fuzz: {target}: {} seeds in {}, {seconds} s",
            count_files(&corpus),
            corpus.display()
        );
        let started = Instant::now();
        let (ok, stats, log) = run_target(target, &corpus, seconds, &toolchain)?;
        let took = started.elapsed();
        if !ok {
            failed.push(format!("{target} (see {} and fuzz/artifacts/{target}/)", log.display()));
        }
        results.push((target.clone(), stats, took, ok));
    }
    println!("target        runs          exec/s   cov     ft      corpus            time    result");
    for (t, s, took, ok) in &results {
        let n = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
        println!(
            "{t:<13} {:<13} {:<8} {:<7} {:<7} {:<17} {:<7.0?} {}",
            n(s.runs),
            n(s.exec_per_sec),
            n(s.cov),
            n(s.ft),
            s.corpus.clone().unwrap_or_else(|| "-".into()),
            took,
            if *ok { "ok" } else { "FAILED" }
        );
    }
    if !failed.is_empty() {
        bail!("fuzzing found problems in: {}", failed.join(", "));
    }
    Ok(())
}

fn parse_args(args: &[String]) -> Result<(u64, Option<Toolchain>, Vec<String>)> {
    let mut seconds = 60;
    let mut toolchain = None;
    let mut targets = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seconds" => {
                let v = it.next().context(USAGE)?;
                seconds = v.parse().with_context(|| format!("--seconds {v:?} is not a number\n{USAGE}"))?;
            }
            "--toolchain" => {
                toolchain = match it.next().map(String::as_str) {
                    Some("nightly") => Some(Toolchain::Nightly),
                    Some("stable") => Some(Toolchain::StableBootstrap),
                    other => bail!("--toolchain {other:?}: expected nightly or stable\n{USAGE}"),
                };
            }
            "-h" | "--help" => bail!("{USAGE}"),
            t if TARGETS.contains(&t) => targets.push(t.to_string()),
            other => bail!("unknown fuzz target or flag {other:?}\n{USAGE}"),
        }
    }
    if targets.is_empty() {
        targets = TARGETS.iter().map(|t| t.to_string()).collect();
    }
    Ok((seconds, toolchain, targets))
}

fn ensure_cargo_fuzz() -> Result<()> {
    let have = Command::new(crate::cargo_program())
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if have {
        return Ok(());
    }
    eprintln!(
        "xtask fuzz: cargo-fuzz is missing; installing it from crates.io (cargo install --locked cargo-fuzz)"
    );
    let status = Command::new(crate::cargo_program())
        .args(["install", "--locked", "cargo-fuzz"])
        .status()
        .context("running cargo install")?;
    if !status.success() {
        bail!("`cargo install --locked cargo-fuzz` failed with {status}; fuzzing needs cargo-fuzz");
    }
    Ok(())
}

/// Nightly when rustup lists one; else stable with RUSTC_BOOTSTRAP=1, after checking that this rustc
/// really builds an address-sanitized binary (the sanitizer runtime ships with the standard library for
/// tier-1 Linux targets, but not everywhere).
fn pick_toolchain(asked: Option<Toolchain>) -> Result<Toolchain> {
    let nightly = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .ok()
        .is_some_and(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.starts_with("nightly")));
    match asked {
        Some(Toolchain::Nightly) if !nightly => bail!("--toolchain nightly: rustup has no nightly toolchain"),
        Some(Toolchain::Nightly) => return Ok(Toolchain::Nightly),
        None if nightly => return Ok(Toolchain::Nightly),
        _ => {}
    }
    let dir = std::env::temp_dir().join(format!("xtask-fuzz-probe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let src = dir.join("probe.rs");
    std::fs::write(&src, "fn main() {}\n").context("writing the probe")?;
    let out = Command::new("rustc")
        .env("RUSTC_BOOTSTRAP", "1")
        .args(["-Zsanitizer=address", "-Cpasses=sancov-module", "--edition=2021", "-o"])
        .arg(dir.join("probe"))
        .arg(&src)
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    match out {
        Ok(o) if o.status.success() => Ok(Toolchain::StableBootstrap),
        Ok(o) => bail!(
            "cannot fuzz: there is no nightly toolchain (`rustup toolchain install nightly`), and the stable \
             rustc, even with RUSTC_BOOTSTRAP=1, cannot build an address-sanitized binary:\n{}",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => bail!("cannot fuzz: no nightly toolchain and rustc could not be run: {e}"),
    }
}

/// `fuzz/corpus/<target>/`, seeded (again, idempotently) from the fixtures. What libFuzzer added on
/// earlier runs stays; nothing here is committed.
fn seed_corpus(target: &str) -> Result<PathBuf> {
    let dir = Path::new("fuzz/corpus").join(target);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for seed in seeds(target)? {
        let name = seed.to_string_lossy().replace(['/', '\\'], "__");
        let dest = dir.join(format!("seed-{name}"));
        if !dest.exists() {
            std::fs::copy(&seed, &dest).with_context(|| format!("copying {}", seed.display()))?;
        }
    }
    Ok(dir)
}

/// Fixture files that seed a target, chosen by name; anything over [`MAX_SEED_BYTES`] is left out.
pub fn seeds(target: &str) -> Result<Vec<PathBuf>> {
    let mut all = Vec::new();
    walk(Path::new("fixtures"), &mut all)?;
    for builtin in
        ["crates/faultline-core/src/rules/builtin.toml", "crates/faultline-core/src/extract/builtin.toml"]
    {
        all.push(PathBuf::from(builtin));
    }
    let wanted = |p: &Path| -> bool {
        let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        let ext = |e: &str| name.ends_with(e);
        match target {
            "junit" => ext(".xml") && !name.starts_with("robot-") && name != "output.xml",
            "robot_output" => name == "output.xml" || (name.starts_with("robot-") && ext(".xml")),
            "log_lines" | "stream_log" => ext(".log") || ext(".txt"),
            "archive" => ext(".zip") || ext(".tgz") || ext(".gz") || ext(".tar"),
            "rule_file" => ext(".toml") && name != "expected.toml",
            _ => false,
        }
    };
    let mut out: Vec<PathBuf> = all
        .into_iter()
        .filter(|p| wanted(p))
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() <= MAX_SEED_BYTES))
        .collect();
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map(|rd| rd.count()).unwrap_or(0)
}

/// Runs one target at low priority (the machine is shared), streaming libFuzzer's output to a log under
/// `target/fuzz-logs/` and keeping its last status line.
fn run_target(
    target: &str,
    corpus: &Path,
    seconds: u64,
    toolchain: &Toolchain,
) -> Result<(bool, Stats, PathBuf)> {
    let logs = Path::new("target/fuzz-logs");
    std::fs::create_dir_all(logs).context("creating target/fuzz-logs")?;
    let log_path = logs.join(format!("{target}.log"));
    let mut cmd = Command::new("nice");
    cmd.args(["-n", "10"]);
    if *toolchain == Toolchain::Nightly {
        // `cargo +nightly` needs rustup's proxy, which `$CARGO` (the toolchain's own cargo) is not.
        cmd.args(["rustup", "run", "nightly", "cargo"]);
    } else {
        cmd.arg(crate::cargo_program()).env("RUSTC_BOOTSTRAP", "1");
    }
    let corpus = corpus.canonicalize().with_context(|| format!("resolving {}", corpus.display()))?;
    cmd.current_dir("fuzz")
        .args(["fuzz", "run", target])
        .arg(&corpus)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-max_len={}", max_len(target)))
        .args(["-timeout=10", "-rss_limit_mb=2048", "-print_final_stats=1"])
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().context("starting cargo fuzz")?;
    let stderr = child.stderr.take().context("cargo fuzz stderr")?;
    let mut log =
        std::fs::File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
    let mut stats = Stats::default();
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap_or_default();
        use std::io::Write;
        let _ = writeln!(log, "{line}");
        if let Some(s) = parse_status(&line) {
            stats = s;
        }
        if line.contains("ERROR: libFuzzer") || line.contains("SUMMARY:") || line.contains("panicked at") {
            eprintln!("xtask fuzz: {target}: {line}");
        }
    }
    let status = child.wait().context("waiting for cargo fuzz")?;
    Ok((status.success(), stats, log_path))
}

/// Reads a libFuzzer status line: `#123456 DONE cov: 1234 ft: 5678 corp: 90/1234b lim: 4096 exec/s: 999 …`.
pub fn parse_status(line: &str) -> Option<Stats> {
    let rest = line.strip_prefix('#')?;
    let mut words = rest.split_whitespace();
    let runs = words.next()?.parse().ok()?;
    let mut s = Stats { runs: Some(runs), ..Stats::default() };
    let words: Vec<&str> = rest.split_whitespace().collect();
    for pair in words.windows(2) {
        match pair[0] {
            "cov:" => s.cov = pair[1].parse().ok(),
            "ft:" => s.ft = pair[1].parse().ok(),
            "corp:" => s.corpus = Some(pair[1].to_string()),
            "exec/s:" => s.exec_per_sec = pair[1].parse().ok(),
            _ => {}
        }
    }
    s.cov.map(|_| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libfuzzer_status_lines() {
        let s = parse_status(
            "#2097152\tDONE   cov: 3141 ft: 12000 corp: 850/210Kb lim: 4096 exec/s: 3495 rss: 512Mb",
        )
        .unwrap_or_default();
        assert_eq!(s.runs, Some(2_097_152));
        assert_eq!(s.cov, Some(3141));
        assert_eq!(s.ft, Some(12000));
        assert_eq!(s.corpus.as_deref(), Some("850/210Kb"));
        assert_eq!(s.exec_per_sec, Some(3495));
        assert_eq!(parse_status("INFO: Seed: 1234"), None);
        assert_eq!(parse_status("#1 INITED exec/s: 0"), None);
    }

    #[test]
    fn arguments() {
        let args = |a: &[&str]| parse_args(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let (s, tc, t) = args(&["--seconds", "5", "--toolchain", "stable", "archive"]).expect("valid");
        assert_eq!((s, tc, t), (5, Some(Toolchain::StableBootstrap), vec!["archive".to_string()]));
        let (s, tc, t) = args(&[]).expect("valid");
        assert_eq!((s, tc, t.len()), (60, None, TARGETS.len()));
        assert!(args(&["nope"]).is_err());
        assert!(args(&["--toolchain", "beta"]).is_err());
    }
}
