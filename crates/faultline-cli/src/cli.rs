//! Command-line surface. Flags, format names and exit codes are a public contract: CI pipelines depend
//! on them. Add freely; rename nothing.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit codes:
  0  the analysis ran (and --fail-on was not met)
  1  --fail-on was met, or `rules check` found mistakes
  2  nothing given could be read, a pattern/rule file is invalid, an output could not be written,
     or the usage is wrong";

#[derive(Debug, Parser)]
#[command(
    name = "faultline",
    version,
    about = "Turn a failed CI run's artifacts (JUnit XML, Robot output.xml, logs, archives) into a diagnosis.",
    long_about = "Turn a failed CI run's artifacts (JUnit XML, Robot output.xml, console and component logs, \
                  zip/tar.gz bundles) into a diagnosis: what failed, a timeline of what happened, and the \
                  root cause with the lines that prove it. Everything runs locally; nothing is uploaded.",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read artifacts and report tests, diagnoses, the replay timeline, events and warnings.
    #[command(after_help = AFTER_HELP, after_long_help = ANALYZE_EXAMPLES)]
    Analyze(Box<AnalyzeArgs>),
    /// Work with root-cause rule files.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to standard output.
    #[command(after_help = "Examples:\n  faultline completions bash > /etc/bash_completion.d/faultline\n  \
                            faultline completions zsh > \"${fpath[1]}/_faultline\"\n  \
                            faultline completions fish > ~/.config/fish/completions/faultline.fish")]
    Completions {
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the JSON Schema of the `faultline.report/v1` JSON report.
    Schema,
}

const ANALYZE_EXAMPLES: &str = "\
Examples:
  faultline analyze artifacts/                       terminal report of everything in a folder
  faultline analyze run.zip --format json --out report.json
  faultline analyze junit.xml console.log --format markdown >> \"$GITHUB_STEP_SUMMARY\"
  faultline analyze artifacts/ --format github --format html --out faultline.html --fail-on failed
  faultline analyze failing/ --baseline passing/     lines new since a passing run, ranked
  faultline analyze artifacts/ --history .faultline-history   flaky, new and recurring failures

Each --out writes the --format given just before it; formats without an --out go to standard output
(at most one). Exit codes are listed in `faultline --help`.";

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Validate rule files; every mistake is printed as FILE:LINE:COLUMN: message (exit 1 if any).
    Check {
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
    },
    /// List the built-in rules: id, blame, confidence and what each one says.
    List,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Files, directories (walked recursively) or archives (.zip, .tar.gz/.tgz, .gz; nested too).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format; repeatable, each one optionally followed by its own --out FILE.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Vec<Format>,

    /// Write the --format given just before this flag to FILE instead of standard output; repeatable.
    #[arg(long, value_name = "FILE")]
    pub out: Vec<PathBuf>,

    /// A root-cause rule file (TOML) used with the built-in rules; repeatable. A rule with a built-in id
    /// replaces that rule. See the README, "Root-cause rules".
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,

    /// A pattern pack (TOML) used after the built-in one; repeatable. See the README, "Pattern packs".
    #[arg(long = "patterns", value_name = "FILE")]
    pub patterns: Vec<PathBuf>,

    /// Artifacts of a passing run (files, directories, archives; repeatable): lines of this run whose
    /// normalised text the passing run never logged are reported, ranked, as extra evidence.
    #[arg(long, value_name = "PATH")]
    pub baseline: Vec<PathBuf>,

    /// Keep a compact record of each run in DIR (one JSON file per run) and report flaky tests, new
    /// failures, fixed tests and failures that recur across runs.
    #[arg(long, value_name = "DIR")]
    pub history: Option<PathBuf>,

    /// How many earlier runs --history compares with.
    #[arg(long, value_name = "N", default_value_t = 20, requires = "history")]
    pub history_runs: usize,

    /// This run's name in --history (default: $GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT, $CI_PIPELINE_ID-$CI_JOB_ID,
    /// $BUILD_TAG, or the current UTC time).
    #[arg(long, value_name = "ID", requires = "history")]
    pub run_id: Option<String>,

    /// Report only tests matching PATTERN (repeatable): `*` and `?` are wildcards, otherwise a substring
    /// of the test id, name or suite.name. Every test is still used to tie log lines to tests.
    #[arg(long = "test", value_name = "PATTERN")]
    pub tests: Vec<String>,

    /// Exit 1 when any test failed (`failed`), when any failed test got a root cause from a rule
    /// (`diagnosed`), or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = FailOn::Never)]
    pub fail_on: FailOn,

    /// Print nothing but errors: no report on standard output, no progress, no notes.
    #[arg(long, short)]
    pub quiet: bool,

    /// Colour in the text report: `auto` colours only a terminal (and honours NO_COLOR).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Bytes taken from one input's archives in all, nested members included; a number with an
    /// optional K, M or G (powers of 1024). Each input's expansion is also capped at 1000 times its size.
    /// Reaching either is a warning; what was read is kept.
    #[arg(long, value_name = "BYTES", default_value = "4G", value_parser = parse_bytes)]
    pub max_decompressed_bytes: u64,

    /// Characters of one artifact line kept where reports show it (evidence, excerpts, event fields,
    /// messages); longer lines are clipped with `…` and a warning per file.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_LINE_CHARS, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_line_chars: u64,

    /// Events kept per test (the earliest and latest half); a test with more gets a warning naming it.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_EVENTS_PER_TEST, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_events_per_test: u64,

    /// Threads the analysis uses: several logs are read at once, and a big log's lines are matched on
    /// other threads while it is read on. 0 (the default) is one per core; 1 is single-threaded. The
    /// report is the same whatever the number.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub jobs: usize,
}

const DEFAULT_LINE_CHARS: u64 = faultline_core::input::Limits::DEFAULT_LINE_CHARS as u64;
const DEFAULT_EVENTS_PER_TEST: u64 = faultline_core::input::Limits::DEFAULT_EVENTS_PER_TEST as u64;

/// `1048576`, `512K`, `64M`, `4G` (powers of 1024) → bytes.
fn parse_bytes(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, shift) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 10),
        Some((i, 'm' | 'M')) => (&t[..i], 20),
        Some((i, 'g' | 'G')) => (&t[..i], 30),
        _ => (t, 0),
    };
    let n: u64 =
        digits.trim().parse().map_err(|_| format!("{s:?} is not a size (e.g. 1048576, 512M, 4G)"))?;
    n.checked_mul(1 << shift)
        .filter(|&b| b > 0)
        .ok_or_else(|| format!("{s:?} is not a size between 1 byte and 16 EiB"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_bytes("1048576"), Ok(1 << 20));
        assert_eq!(parse_bytes("512K"), Ok(512 << 10));
        assert_eq!(parse_bytes("64m"), Ok(64 << 20));
        assert_eq!(parse_bytes("4G"), Ok(4 << 30));
        assert!(parse_bytes("0").is_err());
        assert!(parse_bytes("lots").is_err());
        assert!(parse_bytes("99999999999999G").is_err());
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A terminal report: summary, each failed test with its root cause, evidence and timeline.
    Text,
    /// The `faultline.report/v1` JSON report (schema: `faultline schema`).
    Json,
    /// GitHub-flavoured Markdown for $GITHUB_STEP_SUMMARY and pull-request comments.
    Markdown,
    /// One self-contained HTML file: test list, diagnosis, replay timeline, evidence in context.
    Html,
    /// Common Test Report Format JSON, with faultline's diagnosis in each test's `extra`.
    Ctrf,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`), capped to what GitHub shows.
    Github,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Ctrf => "ctrf",
            Format::Github => "github",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Failed,
    Diagnosed,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
