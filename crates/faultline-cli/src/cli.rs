//! Command-line surface. Flags and exit codes are a public contract: CI pipelines depend on them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "faultline",
    version,
    about = "Turn a failed CI run's artifacts (JUnit XML, Robot output.xml, logs, archives) into a diagnosis.",
    long_about = "Turn a failed CI run's artifacts (JUnit XML, Robot output.xml, console and component logs, \
                  zip/tar.gz bundles) into a diagnosis: what failed, a timeline of what happened, and the events \
                  that explain it. Everything runs locally; nothing is uploaded.\n\n\
                  Exit codes: 0 the analysis ran; 1 `rules check` found mistakes; 2 nothing given could be \
                  read, a pattern or rule file is invalid, or the usage is wrong."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read artifacts and report tests, diagnoses, the replay timeline, events and warnings.
    Analyze(AnalyzeArgs),
    /// Work with root-cause rule files.
    #[command(subcommand)]
    Rules(RulesCommand),
}

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

    /// A pattern pack (TOML) to use after the built-in one; repeatable. See the README, "Pattern packs".
    #[arg(long = "patterns", value_name = "FILE")]
    pub patterns: Vec<PathBuf>,

    /// A root-cause rule file (TOML) to use with the built-in rules; repeatable. A rule with a built-in
    /// id replaces that rule. See the README, "Root-cause rules".
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A terminal report: tests, then each test's events as a timeline.
    Text,
    /// The `faultline.report/v1` JSON report.
    Json,
}
