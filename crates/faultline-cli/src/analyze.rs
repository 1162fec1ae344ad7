//! `faultline analyze`: read the inputs, run the analysis, add history, write every requested report,
//! and turn `--fail-on` into the exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use faultline_core::export::{ctrf, github, html, markdown};
use faultline_core::history::{self, RunRecord};
use faultline_core::parallel::{Executor, Inline};
use faultline_core::rules::{RuleSet, UNCLASSIFIED};
use faultline_core::select::TestFilter;
use faultline_core::{Analysis, AnalyzeOptions, Input};

use crate::cli::{AnalyzeArgs, ColorChoice, FailOn, Format};
use crate::outputs::{Dest, Output};
use crate::progress::Bar;
use crate::text::{self, Paint};
use crate::{EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, collect, history_dir};

pub fn run(args: &AnalyzeArgs, plan: &[Output]) -> ExitCode {
    match analyze(args, plan) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("faultline: error: {message}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}

fn analyze(args: &AnalyzeArgs, plan: &[Output]) -> Result<u8, String> {
    if args.paths.is_empty() {
        return Err(
            "no input given; pass files, directories or archives (see `faultline analyze --help`)".into()
        );
    }
    let mut options = AnalyzeOptions::default();
    options.limits.max_decompressed_bytes = args.max_decompressed_bytes;
    options.limits.max_line_chars = usize::try_from(args.max_line_chars).unwrap_or(usize::MAX);
    options.limits.max_events_per_test = usize::try_from(args.max_events_per_test).unwrap_or(usize::MAX);
    for path in &args.rules {
        let text = read_text(path)?;
        options
            .rules
            .push(RuleSet::from_toml(&path.display().to_string(), &text).map_err(|e| e.to_string())?);
    }
    for path in &args.patterns {
        let text = read_text(path)?;
        let pack = faultline_core::extract::Pack::from_toml(&path.display().to_string(), &text)
            .map_err(|e| e.to_string())?;
        options.packs.push(pack);
    }
    if !args.baseline.is_empty() {
        let base = collect::collect(&args.baseline);
        let mut problems = base.problems;
        for file in base.files {
            match file.into_input() {
                Ok(input) => options.baseline.push(input),
                Err(problem) => problems.push(problem),
            }
        }
        for problem in &problems {
            eprintln!("faultline: error: baseline: {}", crate::text::one_line(problem, usize::MAX));
        }
        if options.baseline.is_empty() {
            return Err("--baseline: nothing could be read".into());
        }
    }

    let collected = collect::collect(&args.paths);
    for problem in &collected.problems {
        // Paths found by walking a folder are artifact data too: never raw control characters.
        eprintln!("faultline: error: {}", crate::text::one_line(problem, usize::MAX));
    }
    let total: u64 = collected.files.iter().map(|f| f.size).sum();
    let names: Vec<String> = collected.files.iter().map(|f| f.name.clone()).collect();
    // Plain logs are streamed from disk (in bounded memory); with a baseline the core reads them whole.
    let inputs = collected.files.into_iter().map(|f| Input::Stream(Box::new(f))).collect();
    let mut bar = Bar::new(total, args.quiet);
    let pool = crate::pool::Pool::new(args.jobs);
    let executor: &dyn Executor = match &pool {
        Some(pool) => pool,
        None => &Inline,
    };
    let mut analysis = faultline_core::analyze_inputs_on(inputs, &options, &mut |p| bar.update(p), executor);
    bar.finish();
    if !analysis.read_anything() {
        // No report is written, so each input's problem goes to stderr: one line per path.
        for name in &names {
            eprintln!("faultline: error: {}", why_unreadable(name, &analysis.report.warnings));
        }
        return Err("nothing given could be read as a test report or a log".into());
    }

    if let Some(dir) = &args.history {
        record_history(&mut analysis, dir, args)?;
    }
    // Filtered after the history is recorded: the record is of the whole run, whatever was selected.
    let filter = TestFilter::new(args.tests.iter().cloned());
    if !filter.is_empty() {
        analysis.report.retain_tests(|t| filter.matches(t));
        if analysis.report.tests.is_empty() && !args.quiet {
            eprintln!("faultline: note: no test matches {}", args.tests.join(", "));
        }
    }

    for output in plan {
        if args.quiet && output.dest == Dest::Stdout {
            continue;
        }
        write_output(&analysis, output, args.color)?;
    }
    if !args.quiet && plan.iter().all(|o| o.dest != Dest::Stdout) {
        eprintln!("{}", one_line_summary(&analysis, plan));
    }
    let code = if fail_on_met(&analysis, args.fail_on) { EXIT_FINDINGS } else { EXIT_OK };
    // The process ends next and the OS takes its memory back at once; freeing a 100k-test analysis
    // piece by piece (millions of strings) took 0.1 s, a tenth of the whole run.
    std::mem::forget(analysis);
    Ok(code)
}

fn record_history(analysis: &mut Analysis, dir: &Path, args: &AnalyzeArgs) -> Result<(), String> {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    let run = history_dir::run_id(args.run_id.as_deref(), now_ms);
    let loaded = history_dir::load(dir, &run, args.history_runs);
    if !args.quiet {
        for p in &loaded.problems {
            eprintln!("faultline: warning: history: {p}");
        }
    }
    let record = RunRecord::of(&analysis.report, &run, now_ms);
    analysis.report.history = Some(history::compare(&analysis.report, &record, &loaded.records));
    history_dir::save(dir, &record)
        .map_err(|e| format!("writing the history record to {}: {e}", dir.display()))?;
    Ok(())
}

/// `auto` colours standard output when it is a terminal and NO_COLOR is unset; files never, unless
/// `always` was asked for.
fn colour(choice: ColorChoice, dest: &Dest) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            *dest == Dest::Stdout
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

fn fail_on_met(analysis: &Analysis, fail_on: FailOn) -> bool {
    let report = &analysis.report;
    match fail_on {
        FailOn::Never => false,
        FailOn::Failed => report.tests.iter().any(|t| t.status.is_failure()),
        FailOn::Diagnosed => report.diagnoses.iter().any(|d| d.rule != UNCLASSIFIED),
    }
}

fn one_line_summary(analysis: &Analysis, plan: &[Output]) -> String {
    let s = &analysis.report.summary;
    let mut rules: Vec<&str> = analysis
        .report
        .diagnoses
        .iter()
        .filter(|d| d.rule != UNCLASSIFIED)
        .map(|d| d.rule.as_str())
        .collect();
    rules.sort_unstable();
    rules.dedup();
    let files: Vec<String> = plan
        .iter()
        .filter_map(|o| match &o.dest {
            Dest::File(p) => Some(format!("{} ({})", p.display(), o.format.name())),
            Dest::Stdout => None,
        })
        .collect();
    format!(
        "faultline: {} tests, {} failed{}; wrote {}",
        s.tests,
        s.failed + s.errors,
        if rules.is_empty() { String::new() } else { format!(", root causes: {}", rules.join(", ")) },
        files.join(", ")
    )
}

/// Writes one report. The JSON, CTRF and HTML reports are streamed (they can be several times the
/// input's size, or tens of megabytes); the others are bounded by design and rendered whole.
fn write_output(analysis: &Analysis, output: &Output, color: ColorChoice) -> Result<(), String> {
    let (mut sink, what): (Box<dyn Write>, String) = match &output.dest {
        Dest::Stdout => (Box::new(std::io::stdout().lock()), "standard output".into()),
        Dest::File(path) => {
            // `--out reports/faultline.html` in a fresh CI workspace: make the folder.
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| format!("creating {}: {e}", parent.display()))?;
            }
            let file = std::fs::File::create(path).map_err(|e| format!("writing {}: {e}", path.display()))?;
            (Box::new(file), path.display().to_string())
        }
    };
    let mut sink = std::io::BufWriter::with_capacity(1 << 16, &mut sink);
    let written = match output.format {
        Format::Json => serde_json::to_writer_pretty(&mut sink, &analysis.report)
            .map_err(std::io::Error::from)
            .and_then(|()| sink.write_all(b"\n")),
        Format::Ctrf => ctrf::write(analysis, &mut sink).and_then(|()| sink.write_all(b"\n")),
        Format::Text => {
            let paint = Paint::new(colour(color, &output.dest));
            sink.write_all(text::render(&analysis.report, paint).as_bytes())
        }
        Format::Markdown => {
            sink.write_all(markdown::render(analysis, &markdown::MarkdownOptions::default()).as_bytes())
        }
        Format::Html => html::write(analysis, &mut sink),
        Format::Github => sink.write_all(github::render(analysis).as_bytes()),
    };
    match written.and_then(|()| sink.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`faultline … | head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("writing the report to {what}: {e}")),
    }
}

/// `name: the first problem found in it (and how many more)`. Members of an archive are named
/// `name!/…`, and a gzip member `name` without `.gz`.
fn why_unreadable(name: &str, warnings: &[faultline_core::Warning]) -> String {
    let gz_member = name.strip_suffix(".gz").or_else(|| name.strip_suffix(".GZ"));
    let inside = format!("{name}!/");
    let mine: Vec<&faultline_core::Warning> = warnings
        .iter()
        .filter(|w| w.file == name || w.file.starts_with(&inside) || Some(w.file.as_str()) == gz_member)
        .collect();
    let Some(first) = mine.first() else { return format!("{name}: nothing readable in it") };
    let more = match mine.len() - 1 {
        0 => String::new(),
        n => format!(" (and {n} more)"),
    };
    let first = crate::text::one_line(&first.to_string(), 300);
    if mine[0].file == name { format!("{first}{more}") } else { format!("{name}: {first}{more}") }
}

fn read_text(path: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}
