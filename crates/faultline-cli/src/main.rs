//! `faultline`: diagnose a failed CI run from its artifacts.

mod cli;
mod collect;
mod text;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, Format, RulesCommand};
use faultline_core::rules::RuleSet;

/// Exit code when the analysis ran.
const EXIT_OK: u8 = 0;
/// Exit code when `rules check` found mistakes.
const EXIT_FINDINGS: u8 = 1;
/// Exit code when nothing given could be read, or the usage is wrong (clap uses 2 for usage too).
const EXIT_UNREADABLE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Analyze(args) => analyze(args),
        Command::Rules(RulesCommand::Check { files }) => rules_check(&files),
        Command::Rules(RulesCommand::List) => rules_list(),
    }
}

fn rules_check(files: &[std::path::PathBuf]) -> ExitCode {
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

fn analyze(args: cli::AnalyzeArgs) -> ExitCode {
    if args.paths.is_empty() {
        eprintln!(
            "faultline: error: no input given; pass files, directories or archives (see `faultline analyze --help`)"
        );
        return ExitCode::from(EXIT_UNREADABLE);
    }
    let mut rules = Vec::new();
    for path in &args.rules {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("faultline: error: {}: {e}", path.display());
                return ExitCode::from(EXIT_UNREADABLE);
            }
        };
        match RuleSet::from_toml(&path.display().to_string(), &text) {
            Ok(r) => rules.push(r),
            Err(e) => {
                eprintln!("faultline: error: {e}");
                return ExitCode::from(EXIT_UNREADABLE);
            }
        }
    }
    let collected = collect::collect(&args.paths);
    for problem in &collected.problems {
        eprintln!("faultline: error: {problem}");
    }
    let mut options = faultline_core::AnalyzeOptions { rules, ..Default::default() };
    for path in &args.patterns {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("faultline: error: {}: {e}", path.display());
                return ExitCode::from(EXIT_UNREADABLE);
            }
        };
        match faultline_core::extract::Pack::from_toml(&path.display().to_string(), &text) {
            Ok(pack) => options.packs.push(pack),
            Err(e) => {
                eprintln!("faultline: error: {e}");
                return ExitCode::from(EXIT_UNREADABLE);
            }
        }
    }
    let analysis = faultline_core::analyze(collected.files, &options);
    if !analysis.read_anything() {
        eprintln!("faultline: error: nothing given could be read as a test report or a log");
        return ExitCode::from(EXIT_UNREADABLE);
    }
    let out = match args.format {
        Format::Json => {
            let mut s = analysis.report.to_json_pretty();
            s.push('\n');
            s
        }
        Format::Text => text::render(&analysis.report),
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush()) {
        // A closed pipe (`faultline … | head`) is not an error worth a message.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("faultline: error: writing the report: {e}");
        }
    }
    ExitCode::from(EXIT_OK)
}
