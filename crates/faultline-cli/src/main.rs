//! `faultline`: diagnose a failed CI run from its artifacts.

mod analyze;
mod cli;
mod collect;
mod history_dir;
mod outputs;
mod pool;
mod progress;
mod text;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use cli::{Cli, Command, Format, RulesCommand};
use faultline_core::rules::RuleSet;

/// Exit code when the analysis ran (and `--fail-on` was not met).
const EXIT_OK: u8 = 0;
/// Exit code when `--fail-on` was met, or `rules check` found mistakes.
const EXIT_FINDINGS: u8 = 1;
/// Exit code when nothing given could be read, an input file is invalid, an output could not be
/// written, or the usage is wrong (clap uses 2 for usage too).
const EXIT_UNREADABLE: u8 = 2;

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match cli.command {
        Command::Analyze(args) => {
            let Some(sub) = matches.subcommand_matches("analyze") else {
                return ExitCode::from(EXIT_UNREADABLE);
            };
            let formats = positioned::<Format>(sub, "format");
            let outs = positioned::<PathBuf>(sub, "out");
            match outputs::plan(&formats, &outs) {
                Ok(plan) => analyze::run(&args, &plan),
                Err(e) => {
                    let mut cmd = Cli::command();
                    cmd.error(clap::error::ErrorKind::ArgumentConflict, e).exit()
                }
            }
        }
        Command::Rules(RulesCommand::Check { files }) => rules_check(&files),
        Command::Rules(RulesCommand::List) => rules_list(),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "faultline", &mut std::io::stdout());
            ExitCode::from(EXIT_OK)
        }
        Command::Schema => {
            let schema = faultline_core::report::report_schema();
            println!("{}", serde_json::to_string_pretty(&schema).unwrap_or_default());
            ExitCode::from(EXIT_OK)
        }
    }
}

/// A repeatable flag's values with their positions on the command line, so flags can pair by order.
fn positioned<T: Clone + Send + Sync + 'static>(m: &clap::ArgMatches, id: &str) -> Vec<(usize, T)> {
    match (m.indices_of(id), m.get_many::<T>(id)) {
        (Some(idx), Some(vals)) => idx.zip(vals.cloned()).collect(),
        _ => Vec::new(),
    }
}

fn rules_check(files: &[PathBuf]) -> ExitCode {
    let mut code = EXIT_OK;
    for path in files {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("faultline: error: {}: {e}", path.display());
                return ExitCode::from(EXIT_UNREADABLE);
            }
        };
        let errors = RuleSet::check(&path.display().to_string(), &text);
        if errors.is_empty() {
            println!("{}: ok", path.display());
        } else {
            code = EXIT_FINDINGS;
            for e in errors {
                println!("{e}");
            }
        }
    }
    ExitCode::from(code)
}

fn rules_list() -> ExitCode {
    for r in RuleSet::builtin().infos() {
        println!(
            "{}  (blame: {}, confidence {:.2}, priority {})",
            r.id,
            r.blame.as_str(),
            r.confidence,
            r.priority
        );
        if !r.explains.is_empty() {
            println!("    explains: {}", r.explains.join(", "));
        }
    }
    ExitCode::from(EXIT_OK)
}
