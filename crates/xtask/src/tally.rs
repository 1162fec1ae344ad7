//! One closing count for the whole suite: `cargo test` prints a `test result:` line per test binary and
//! `node --test` a TAP footer (`# pass N`, `# fail N`, `# skipped N`); both are passed through to the
//! terminal and added up here.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
}

impl Tally {
    /// A `cargo test` summary line: `test result: ok. 3 passed; 0 failed; 1 ignored; …`.
    pub fn add_cargo_line(&mut self, line: &str) {
        let Some(rest) = line.strip_prefix("test result: ") else { return };
        let count = |word: &str| {
            rest.split(';')
                .find_map(|part| {
                    part.trim().trim_start_matches("ok. ").trim_start_matches("FAILED. ").strip_suffix(word)
                })
                .and_then(|n| n.trim().parse::<u64>().ok())
                .unwrap_or(0)
        };
        self.passed += count(" passed");
        self.failed += count(" failed");
        self.ignored += count(" ignored");
    }

    /// A TAP footer line from `node --test`. Only top-level counts start a line with `# `.
    pub fn add_tap_line(&mut self, line: &str) {
        if !line.starts_with("# ") {
            return;
        }
        let mut words = line.split_whitespace();
        let (Some("#"), Some(key), Some(n), None) = (words.next(), words.next(), words.next(), words.next())
        else {
            return;
        };
        let Ok(n) = n.parse::<u64>() else { return };
        match key {
            "pass" => self.passed += n,
            "fail" | "cancelled" => self.failed += n,
            "skipped" | "todo" => self.ignored += n,
            _ => {}
        }
    }

    /// Runs `cmd`, echoing its standard output and feeding each line to `add`.
    pub fn stream(&mut self, mut cmd: Command, add: fn(&mut Tally, &str)) -> Result<()> {
        let what = format!("{cmd:?}");
        let mut child = cmd.stdout(Stdio::piped()).spawn().with_context(|| format!("starting {what}"))?;
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines() {
                let line = line.with_context(|| format!("reading the output of {what}"))?;
                println!("{line}");
                add(self, &line);
            }
        }
        let status = child.wait().with_context(|| format!("waiting for {what}"))?;
        if !status.success() {
            bail!("{what} failed with {status} ({} passed, {} failed so far)", self.passed, self.failed);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_and_tap_lines_add_up() {
        let mut t = Tally::default();
        t.add_cargo_line("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out");
        t.add_cargo_line("test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured");
        t.add_cargo_line("running 3 tests");
        t.add_tap_line("# pass 2");
        t.add_tap_line("# fail 1");
        t.add_tap_line("# skipped 1");
        t.add_tap_line("    # pass 7");
        t.add_tap_line("# duration_ms 6000.5");
        t.add_tap_line("# Subtest: pass 3");
        assert_eq!(t, Tally { passed: 17, failed: 3, ignored: 2 });
    }
}
