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
                  Exit codes: 0 the analysis ran; 2 nothing given could be read, or the usage is wrong."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read artifacts and report tests, events and warnings.
    Analyze(AnalyzeArgs),
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Files, directories (walked recursively) or archives (.zip, .tar.gz/.tgz, .gz; nested too).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// A pattern pack (TOML) to use after the built-in one; repeatable. See the README, "Pattern packs".
    #[arg(long = "patterns", value_name = "FILE")]
    pub patterns: Vec<PathBuf>,

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
