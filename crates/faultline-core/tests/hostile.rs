//! The hostile corpus (`fixtures/hostile/`, see its README): every file alone and all of them together
//! with the founding case, through the analysis and every renderer. Each file must give the warnings
//! listed for it, naming it (and the position listed), and never a panic, an expanded entity, a report
//! the schema rejects, or markup and escapes a renderer lets through. Limits are checked on inputs
//! synthesised here: a 64 MiB single line (1 GiB with `FAULTLINE_BIG_TESTS=1`), bombs over lowered
//! limits, an event flood.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{belongs, fixtures, load, strict_schema_validator};
use faultline_core::export::{ctrf, excerpt, github, html, markdown};
use faultline_core::extract::Pack;
use faultline_core::input::Limits;
use faultline_core::rules::RuleSet;
use faultline_core::{Analysis, AnalyzeOptions, InputFile, WarningKind, analyze};
use serde_json::Value;

/// What one corpus file must produce when analysed alone.
struct Expect {
    file: &'static str,
    /// Warning kinds that must be present, with the (line, column) the first of each must name
    /// (`None`: no position asked). Empty means no warning at all.
    warns: &'static [(&'static str, Option<u32>, Option<u32>)],
    /// Tests read from it.
    tests: usize,
    /// Something in it is read as a report or a log (alone, the CLI exits 0).
    readable: bool,
}

const fn e(
    file: &'static str,
    warns: &'static [(&'static str, Option<u32>, Option<u32>)],
    tests: usize,
    readable: bool,
) -> Expect {
    Expect { file, warns, tests, readable }
}

const MX: &str = "malformed_xml";
const LIMIT: &str = "limit_exceeded";
const ARCH: &str = "bad_archive";
const ENC: &str = "invalid_encoding";
const ATTR: &str = "bad_attribute";
const COUNT: &str = "count_mismatch";

/// The README's tables, as code.
const EXPECT: &[Expect] = &[
    // XML: entities, nesting, truncation
    e("junit-xxe-external-entity.xml", &[(MX, Some(2), Some(1))], 1, true),
    e("junit-xxe-parameter-entity.xml", &[(MX, Some(2), Some(1))], 1, true),
    e("junit-billion-laughs.xml", &[(MX, Some(2), Some(1))], 1, true),
    e("junit-quadratic-blowup.xml", &[(MX, Some(2), Some(1)), (LIMIT, None, None)], 1, true),
    e("junit-deep-nesting-100k.xml.gz", &[(LIMIT, Some(1), Some(2817))], 1, true),
    e("robot-deep-nesting-100k.xml.gz", &[(LIMIT, Some(5), Some(3290))], 1, true),
    e("junit-truncated-in-prolog.xml", &[(MX, Some(1), Some(31))], 0, true),
    e("junit-truncated-in-doctype.xml", &[(MX, Some(4), Some(1))], 0, true),
    e("junit-truncated-in-element-name.xml", &[(MX, Some(6), Some(1)), (COUNT, Some(3), None)], 1, true),
    e("junit-truncated-in-attribute-name.xml", &[(MX, Some(6), Some(1)), (COUNT, Some(3), None)], 1, true),
    e("junit-truncated-in-attribute-value.xml", &[(MX, Some(6), Some(1)), (COUNT, Some(3), None)], 1, true),
    e("junit-truncated-in-start-tag.xml", &[(MX, Some(6), Some(1)), (COUNT, Some(3), None)], 1, true),
    e("junit-truncated-in-text.xml", &[(MX, Some(6), Some(114))], 2, true),
    e("junit-truncated-in-entity-reference.xml", &[(MX, Some(6), Some(117))], 2, true),
    e("junit-truncated-in-cdata.xml", &[(MX, Some(6), Some(149))], 2, true),
    e("junit-truncated-in-comment.xml", &[(MX, Some(5), Some(1)), (COUNT, Some(3), None)], 1, true),
    e("junit-truncated-in-end-tag.xml", &[(MX, Some(6), Some(191))], 2, true),
    e("junit-truncated-between-elements.xml", &[(MX, Some(5), Some(1)), (COUNT, Some(3), None)], 1, true),
    e("robot-xxe-external-entity.xml", &[(MX, Some(2), Some(1))], 1, true),
    e("robot-billion-laughs.xml", &[(MX, Some(2), Some(1))], 1, true),
    e("robot-truncated-in-keyword.xml", &[(MX, Some(9), Some(185))], 2, true),
    // Encodings, bytes and line ends
    e("junit-utf16le-bom.xml", &[], 1, true),
    e("junit-utf16be-no-bom-lone-surrogate.xml", &[(ENC, Some(3), Some(84))], 1, true),
    e("junit-utf16-odd-length.xml", &[(ENC, Some(3), Some(113)), (MX, None, None)], 1, true),
    e("junit-latin1-undeclared.xml", &[(ENC, Some(3), Some(39))], 1, true),
    e("junit-unknown-encoding-label.xml", &[(ENC, Some(1), Some(31))], 1, true),
    e("junit-nul-bytes.xml", &[], 1, true),
    e("junit-cr-only.xml", &[(ATTR, Some(4), Some(1))], 2, true),
    e("junit-invalid-char-references.xml", &[(MX, Some(3), Some(49))], 1, true),
    e("log-invalid-utf8.log", &[(ENC, Some(2), Some(37))], 0, true),
    e("log-raw-c1-csi-byte.log", &[(ENC, Some(2), Some(42))], 0, true),
    e("log-cr-only.log", &[], 0, true),
    e("log-nul-bytes.log", &[], 0, true),
    e("log-empty.log", &[], 0, true),
    e("binary-random.bin", &[("unrecognised", None, None)], 0, false),
    e("binary-elf-header.so", &[("unrecognised", None, None)], 0, false),
    // Terminal escapes and markup
    e("log-terminal-escapes.log", &[], 0, true),
    e("junit-terminal-escapes.xml", &[], 1, true),
    e("log-bidi-and-invisible.log", &[], 0, true),
    e("junit-xss-everywhere.xml", &[], 2, true),
    e("robot-xss-everywhere.xml", &[], 1, true),
    e("log-xss.log", &[], 0, true),
    e("archive-escape-sequences-in-member-names.zip", &[(ARCH, None, None)], 0, true),
    // Numbers and times
    e("junit-overflowing-numbers.xml", &[(ATTR, Some(2), Some(1))], 4, true),
    e("junit-timestamps-out-of-range.xml", &[(ATTR, Some(3), Some(1))], 4, true),
    e("junit-lying-counts.xml", &[(COUNT, Some(4), None)], 2, true),
    e("junit-duplicate-attributes.xml", &[(COUNT, Some(2), None)], 1, true),
    e("robot-timestamps-out-of-range.xml", &[("bad_robot_output", Some(5), Some(18))], 2, true),
    e("log-timestamps-out-of-range.log", &[("bad_timestamp", Some(1), Some(1))], 0, true),
    e("log-overflowing-numbers.log", &[], 0, true),
    // Archives
    e("archive-zip-bomb.zip", &[(LIMIT, None, None)], 0, false),
    e("archive-gzip-bomb.log.gz", &[(LIMIT, None, None)], 0, false),
    e("archive-zip-bomb-overlapping.zip", &[(ARCH, None, None), (LIMIT, None, None)], 0, false),
    e("archive-42-style-fanout-bomb.zip", &[(LIMIT, None, None)], 0, false),
    e("archive-nested-zips-20-deep.zip", &[(LIMIT, None, None)], 0, false),
    e("archive-zip-slip.zip", &[(ARCH, None, None)], 0, true),
    e("archive-duplicate-names.zip", &[(ARCH, None, None)], 0, true),
    e("archive-tar-traversal-and-links.tar", &[(ARCH, None, None)], 0, true),
    e("archive-tar-size-overflow.tar", &[(ARCH, None, None)], 0, false),
    e("archive-zip-lying-sizes.zip", &[(ARCH, None, None)], 0, true),
    e("archive-zip-bad-crc.zip", &[(ARCH, None, None)], 0, true),
    e("archive-zip-unsupported-method.zip", &[(ARCH, None, None)], 0, true),
    e("archive-zip-encrypted.zip", &[(ARCH, None, None)], 0, true),
    e("archive-zip-nul-in-member-name.zip", &[(ARCH, None, None)], 0, true),
    e("archive-zip-truncated-no-central-directory.zip", &[(ARCH, None, None)], 0, true),
    e("archive-gzip-truncated.log.gz", &[(ARCH, None, None)], 0, true),
    // Limits
    e("log-long-line-100k.log", &[(LIMIT, Some(2), Some(2001))], 0, true),
    e("log-many-long-lines.log", &[(LIMIT, Some(1), Some(2001))], 0, true),
    e("junit-long-message.xml", &[(LIMIT, Some(3), None)], 1, true),
    e("junit-event-flood.xml.gz", &[(LIMIT, Some(3), None)], 1, true),
    // Rule and pattern files, read as artifacts: logs (see RULE_FILES for them as rules)
    e("rules-catastrophic-regex.toml", &[], 0, true),
    e("rules-huge-alternation.toml", &[(LIMIT, Some(7), Some(2001))], 0, true),
    e("rules-deep-regex-nesting.toml", &[(LIMIT, Some(10), Some(2001))], 0, true),
    e("rules-deeply-nested-toml.toml", &[(LIMIT, Some(6), Some(2001))], 0, true),
    e("rules-overflowing-numbers.toml", &[], 0, true),
    e("rules-redos-classics.toml", &[], 0, true),
    e("rules-xss-in-summary.toml", &[], 0, true),
    e("rules-fuzz-lone-cr.toml", &[], 0, true),
    e("patterns-catastrophic-regex.toml", &[], 0, true),
];

/// The first mistake in a rule or pattern file: line, column and a word of its message.
type Located = (u32, u32, &'static str);

/// Rule files (`RuleSet::check`) and pattern packs (`Pack::from_toml`): the first mistake, located.
/// `None`: the file is valid.
const RULE_FILES: &[(&str, Option<Located>)] = &[
    ("rules-catastrophic-regex.toml", Some((11, 19, "size limit"))),
    ("rules-huge-alternation.toml", Some((7, 11, "size limit"))),
    ("rules-deep-regex-nesting.toml", Some((10, 19, "nested parentheses"))),
    ("rules-deeply-nested-toml.toml", Some((6, 92, "recursion"))),
    ("rules-overflowing-numbers.toml", Some((6, 12, "i64"))),
    ("rules-redos-classics.toml", None),
    ("rules-xss-in-summary.toml", None),
    ("rules-fuzz-lone-cr.toml", Some((1, 4, "expected `=`"))),
];
const PATTERN_FILES: &[(&str, Located)] = &[("patterns-catastrophic-regex.toml", (6, 9, "size limit"))];

fn corpus_dir() -> PathBuf {
    fixtures().join("hostile")
}

fn corpus_files() -> BTreeSet<String> {
    std::fs::read_dir(corpus_dir())
        .expect("fixtures/hostile")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "generate.py" && n != "README.md")
        .collect()
}

fn read(name: &str) -> InputFile {
    InputFile::new(name, std::fs::read(corpus_dir().join(name)).expect("corpus file"))
}

/// What must never appear anywhere: the contents of a file an entity points at, or an expansion.
fn leaks(out: &str) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    if let Some(line) = passwd.lines().find(|l| l.len() > 8 && out.contains(l)) {
        return Some(format!("a line of /etc/passwd: {line}"));
    }
    for expansion in ["lollollol", &"A".repeat(2100)] {
        if out.contains(expansion) {
            return Some(format!("an entity expansion ({}…)", &expansion[..9]));
        }
    }
    None
}

/// A Markdown line without its inline code spans (a run of N backticks up to the next run of exactly N).
fn without_code_spans(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let run = rest[start..].chars().take_while(|&c| c == '`').count();
        let after = &rest[start + run..];
        let mut search = after;
        let mut consumed = 0;
        let close = loop {
            let Some(i) = search.find('`') else { break None };
            let n = search[i..].chars().take_while(|&c| c == '`').count();
            if n == run {
                break Some(consumed + i + n);
            }
            consumed += i + n;
            search = &search[i + n..];
        };
        match close {
            Some(end) => rest = &after[end..],
            None => {
                out.push_str(&rest[start..]);
                return out;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Markdown: raw markup only inside code (fenced blocks and inline spans), where GitHub shows it as text.
fn markdown_markup_outside_fences(md: &str) -> Option<String> {
    let mut fence: Option<String> = None;
    for line in md.lines() {
        let t = line.trim_start();
        let ticks: String = t.chars().take_while(|&c| c == '`').collect();
        match &fence {
            Some(f) if ticks.len() >= f.len() && t.trim_end() == ticks => fence = None,
            Some(_) => {}
            None if ticks.len() >= 3 => fence = Some(ticks),
            None => {
                // Backslash-escaped characters are literal (`\[x\](javascript:…)` is no link).
                let mut prose = String::new();
                let code_free = without_code_spans(line);
                let mut chars = code_free.chars();
                while let Some(c) = chars.next() {
                    if c == '\\' {
                        chars.next();
                    } else {
                        prose.push(c.to_ascii_lowercase());
                    }
                }
                for bad in ["<script", "<img", "<svg", "<style", "<iframe", "](javascript:"] {
                    if prose.contains(bad) {
                        return Some(format!("{bad} in: {line}"));
                    }
                }
            }
        }
    }
    None
}

/// Every renderer over one analysis: none may panic, none may let markup, commands or terminal control
/// through.
fn check_renderers(what: &str, a: &Analysis) {
    let page = html::render(a);
    // Payloads are text there (`&lt;script&gt;`, `javascript:` between tags); only markup would run.
    for bad in
        ["<script", "<img", "<svg", "<iframe", "href=\"javascript", "\u{1b}", "\u{7}", "\u{9b}", "\u{9d}"]
    {
        assert!(!page.to_ascii_lowercase().contains(bad), "{what}: HTML holds {bad:?}");
    }
    let md = markdown::render(a, &markdown::MarkdownOptions::default());
    assert!(md.len() <= markdown::STEP_SUMMARY_BYTES, "{what}: {} bytes of Markdown", md.len());
    if let Some(line) = markdown_markup_outside_fences(&md) {
        panic!("{what}: Markdown markup outside a code block: {line}");
    }
    for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{9d}', '\0'] {
        assert!(!md.contains(bad), "{what}: Markdown holds {bad:?}");
    }
    let gh = github::render(a);
    for line in gh.lines() {
        let ok = ["::error ", "::error::", "::warning ", "::warning::", "::notice ", "::notice::"]
            .iter()
            .any(|p| line.starts_with(p));
        assert!(ok, "{what}: a GitHub line that is not one command: {line}");
        assert!(!line.contains("injected%0A"), "{what}: an unencoded % lets a payload end the command");
    }
    let ctrf_json: Value = serde_json::from_str(&ctrf::to_string(a)).expect("CTRF is JSON");
    assert!(ctrf_json.is_object());
    for out in [&page, &md, &gh] {
        if let Some(leak) = leaks(out) {
            panic!("{what}: {leak}");
        }
        // Trojan Source: no output may reorder how a line displays.
        let bidi = out.chars().find(|&c| faultline_core::export::escape::is_bidi_control(c));
        assert_eq!(bidi, None, "{what}: a bidi control reached an output");
    }
}

#[test]
fn the_tables_the_readme_and_the_folder_list_the_same_files() {
    let on_disk = corpus_files();
    assert!(on_disk.len() >= 30, "only {} files", on_disk.len());
    let table: BTreeSet<String> = EXPECT.iter().map(|e| e.file.to_string()).collect();
    assert_eq!(table.len(), EXPECT.len(), "a file is listed twice");
    assert_eq!(on_disk, table, "fixtures/hostile and EXPECT differ");
    let readme = std::fs::read_to_string(corpus_dir().join("README.md")).expect("README");
    let rows: BTreeSet<String> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect();
    assert_eq!(on_disk, rows, "fixtures/hostile/README.md's tables and the folder differ");
    for (f, _) in RULE_FILES {
        assert!(on_disk.contains(*f), "{f}");
    }
    let total: u64 =
        on_disk.iter().map(|f| std::fs::metadata(corpus_dir().join(f)).map_or(0, |m| m.len())).sum();
    assert!(total < 2 << 20, "the committed corpus is {total} bytes");
}

#[test]
fn every_file_alone() {
    let validator = strict_schema_validator();
    let mut slowest = (Duration::ZERO, "");
    for ex in EXPECT {
        let started = Instant::now();
        let a = std::panic::catch_unwind(|| analyze(vec![read(ex.file)], &AnalyzeOptions::default()))
            .unwrap_or_else(|_| panic!("{}: the analysis panicked", ex.file));
        let took = started.elapsed();
        if took > slowest.0 {
            slowest = (took, ex.file);
        }
        assert!(took < Duration::from_secs(60), "{}: {took:?}", ex.file);
        let r = &a.report;
        let f = ex.file;
        assert_eq!(a.read_anything(), ex.readable, "{f}: readable");
        assert_eq!(r.tests.len(), ex.tests, "{f}: tests read");
        for w in &r.warnings {
            assert!(belongs(f, &w.file), "{f}: a warning names {:?}: {w}", w.file);
        }
        if ex.warns.is_empty() {
            assert!(r.warnings.is_empty(), "{f}: unexpected warnings {:#?}", r.warnings);
        }
        for &(kind, line, column) in ex.warns {
            let first = r
                .warnings
                .iter()
                .find(|w| serde_json::to_value(w.kind).ok() == Some(Value::from(kind)))
                .unwrap_or_else(|| panic!("{f}: no {kind} warning in {:#?}", r.warnings));
            if line.is_some() {
                assert_eq!((first.line, first.column), (line, column), "{f}: {kind} at {first}");
            }
        }
        let json: Value = serde_json::from_str(&r.to_json_pretty()).expect("report JSON");
        let errors: Vec<String> = validator.iter_errors(&json).take(3).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{f}: the report does not match the schema: {errors:?}");
        if let Some(leak) = leaks(&r.to_json_pretty()) {
            panic!("{f}: the report holds {leak}");
        }
        check_renderers(f, &a);
    }
    eprintln!("slowest corpus file: {} in {:?}", slowest.1, slowest.0);
}

#[test]
fn all_together_and_the_founding_case_is_still_diagnosed() {
    let mut files: Vec<InputFile> = corpus_files().iter().map(|f| read(f)).collect();
    files.extend(load(&fixtures().join("rwx-recovery-cr-deleted")));
    let started = Instant::now();
    let a = analyze(files, &AnalyzeOptions::default());
    eprintln!("the whole corpus and the founding case: {:?}", started.elapsed());
    let r = &a.report;
    let founding = r
        .diagnoses
        .iter()
        .find(|d| d.test.name == "Test Longhorn Dynamic Provisioned RWX Volume Recovery")
        .expect("the founding failure is diagnosed");
    assert_eq!(founding.rule, "deleted-cr-instead-of-pod");
    for ex in EXPECT {
        for &(kind, _, _) in ex.warns {
            assert!(
                r.warnings.iter().any(|w| belongs(ex.file, &w.file)
                    && serde_json::to_value(w.kind).ok() == Some(Value::from(kind))),
                "{}: its {kind} warning is missing beside the others",
                ex.file
            );
        }
    }
    let json: Value = serde_json::from_str(&r.to_json_pretty()).expect("report JSON");
    assert!(strict_schema_validator().is_valid(&json));
    if let Some(leak) = leaks(&r.to_json_pretty()) {
        panic!("the report holds {leak}");
    }
    check_renderers("everything", &a);
}

#[test]
fn entities_stay_as_written() {
    let a = analyze(vec![read("junit-xxe-external-entity.xml")], &AnalyzeOptions::default());
    let t = &a.report.tests[0];
    assert_eq!(t.name, "reads &xxe;");
    assert_eq!(t.message.as_deref(), Some("leak: &xxe;"));
    assert_eq!(t.failures[0].text, "body &host; and &xxe;");
    let a = analyze(vec![read("junit-billion-laughs.xml")], &AnalyzeOptions::default());
    assert_eq!(a.report.tests[0].failures[0].text, "&lol9;&lol9;");
    let a = analyze(vec![read("junit-quadratic-blowup.xml")], &AnalyzeOptions::default());
    let body = &a.report.tests[0].failures[0].text;
    // 6,000 characters on one line: clipped for display, never expanded.
    assert!(
        body.starts_with("&a;&a;&a;") && body.ends_with('…') && !body.contains("AAAA"),
        "{}",
        &body[..20]
    );
}

#[test]
fn archive_members_keep_their_names_as_labels_only() {
    let names = |f: &str| -> Vec<String> {
        analyze(vec![read(f)], &AnalyzeOptions::default())
            .report
            .files
            .iter()
            .map(|f| f.name.clone())
            .collect()
    };
    assert_eq!(
        names("archive-zip-slip.zip"),
        [
            "archive-zip-slip.zip!/etc/passwd",
            "archive-zip-slip.zip!/tmp/absolute.log",
            "archive-zip-slip.zip!/windows/evil.log",
            "archive-zip-slip.zip!/escape.log",
            "archive-zip-slip.zip!/logs/ok.log"
        ]
    );
    assert_eq!(
        names("archive-duplicate-names.zip"),
        [
            "archive-duplicate-names.zip!/console.log",
            "archive-duplicate-names.zip!/console.log (2)",
            "archive-duplicate-names.zip!/console.log (3)"
        ]
    );
    assert_eq!(
        names("archive-tar-traversal-and-links.tar"),
        [
            "archive-tar-traversal-and-links.tar!/outside.log",
            "archive-tar-traversal-and-links.tar!/etc/cron.d/evil",
            "archive-tar-traversal-and-links.tar!/ok.log"
        ]
    );
}

#[test]
fn bombs_synthesised_here_stop_at_their_limits() {
    use std::io::Write;
    // 10 MiB of zeros deflates to about 10 KB: over the 1000:1 ratio.
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("zeros.log", opts).expect("zip");
    w.write_all(&vec![0u8; 10 << 20]).expect("zip");
    let bomb = w.finish().expect("zip").into_inner();
    assert!(bomb.len() < 64 << 10, "{} bytes", bomb.len());
    let r = analyze(vec![InputFile::new("bomb.zip", bomb)], &AnalyzeOptions::default()).report;
    assert!(
        r.warnings.iter().any(|w| w.kind == WarningKind::LimitExceeded && w.file == "bomb.zip!/zeros.log")
    );
    assert!(r.files.iter().all(|f| f.bytes < 10 << 20));

    // A gzip over a lowered total limit: the limit is a warning and what was read is kept.
    let text: String = (0..200_000).map(|i| format!("[2024-11-16T10:12:00.000Z] line {i}\n")).collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).expect("gz");
    let gz = gz.finish().expect("gz");
    let limits = Limits { max_decompressed_bytes: 1 << 20, ..Limits::default() };
    let options = AnalyzeOptions { limits, ..AnalyzeOptions::default() };
    let r = analyze(vec![InputFile::new("console.log.gz", gz)], &options).report;
    assert_eq!(r.files[0].bytes, 1 << 20);
    let w = r.warnings.iter().find(|w| w.kind == WarningKind::LimitExceeded).expect("limit warning");
    assert_eq!(w.file, "console.log");
    assert!(w.message.contains("total decompressed size limit of 1048576 bytes"), "{}", w.message);

    // Members and depth, lowered.
    let limits = Limits { max_entries: 3, max_depth: 1, ..Limits::default() };
    let options = AnalyzeOptions { limits, ..AnalyzeOptions::default() };
    let r =
        analyze(vec![read("archive-zip-slip.zip"), read("archive-nested-zips-20-deep.zip")], &options).report;
    assert_eq!(r.files.iter().filter(|f| f.name.starts_with("archive-zip-slip.zip!/")).count(), 3);
    assert!(r.warnings.iter().any(|w| w.message.contains("more than 3 members")));
    assert!(r.warnings.iter().any(|w| w.message.contains("nested more than 1 deep")));
}

#[test]
fn the_fanout_bomb_is_bounded_by_its_own_size() {
    let f = read("archive-42-style-fanout-bomb.zip");
    let size = f.bytes.len() as u64;
    let started = Instant::now();
    let r = analyze(vec![f], &AnalyzeOptions::default()).report;
    let expanded: u64 = r.files.iter().map(|f| f.bytes).sum();
    assert!(expanded <= size * 1000, "{expanded} bytes from {size}");
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
}

#[test]
fn too_many_events_keep_both_ends_and_name_the_test() {
    let r = analyze(vec![read("junit-event-flood.xml.gz")], &AnalyzeOptions::default()).report;
    assert_eq!(r.events.len(), Limits::DEFAULT_EVENTS_PER_TEST);
    let w = r.warnings.iter().find(|w| w.kind == WarningKind::LimitExceeded).expect("warning");
    assert!(w.message.contains("\"flood::twelve thousand waits\" has 12003 events"), "{}", w.message);
    let limits = Limits { max_events_per_test: 100, ..Limits::default() };
    let r = analyze(
        vec![read("junit-event-flood.xml.gz")],
        &AnalyzeOptions { limits, ..AnalyzeOptions::default() },
    )
    .report;
    assert_eq!(r.events.len(), 100);
    assert_eq!(r.timeline[0].steps.len(), 100);
}

/// Events tied to no test are capped as one group, and the warning points at the first one dropped.
#[test]
fn too_many_run_level_events_name_the_first_line_dropped() {
    let text: String =
        (1..=30).map(|i| format!("md5sum: can't open '/data/f{i}': Connection timed out\n")).collect();
    let limits = Limits { max_events_per_test: 10, ..Limits::default() };
    let r = analyze(
        vec![faultline_core::source::InputFile::new("run.log", text.into_bytes())],
        &AnalyzeOptions { limits, ..AnalyzeOptions::default() },
    )
    .report;
    assert_eq!(r.events.len(), 10);
    let lines: Vec<u32> = r.events.iter().map(|e| e.source.line).collect();
    assert_eq!(lines, [1, 2, 3, 4, 5, 26, 27, 28, 29, 30]);
    let w = r.warnings.iter().find(|w| w.kind == WarningKind::LimitExceeded).expect("warning");
    assert!(w.message.starts_with("the run has 30 events not tied to any test"), "{}", w.message);
    assert_eq!((w.file.as_str(), w.line), ("run.log", Some(6)));
}

#[test]
fn rule_and_pattern_files_are_refused_where_they_go_wrong() {
    for &(f, expected) in RULE_FILES {
        let text = std::fs::read_to_string(corpus_dir().join(f)).expect("rule file");
        let started = Instant::now();
        let errors = RuleSet::check(f, &text);
        assert!(started.elapsed() < Duration::from_secs(10), "{f}: {:?}", started.elapsed());
        match expected {
            None => assert!(errors.is_empty(), "{f}: {errors:?}"),
            Some((line, column, needle)) => {
                let e = errors.first().unwrap_or_else(|| panic!("{f}: accepted"));
                assert_eq!((e.file.as_str(), e.line, e.column), (f, line, column), "{e}");
                assert!(e.message.contains(needle) && e.message.len() < 400, "{f}: {e}");
            }
        }
    }
    for &(f, (line, column, needle)) in PATTERN_FILES {
        let text = std::fs::read_to_string(corpus_dir().join(f)).expect("pattern file");
        let e = Pack::from_toml(f, &text).expect_err("refused");
        assert_eq!((e.line, e.column), (line, column), "{e}");
        assert!(e.message.contains(needle), "{e}");
    }
    // The valid hostile rule runs, and its texts stay text in every output.
    let text = std::fs::read_to_string(corpus_dir().join("rules-xss-in-summary.toml")).expect("rule file");
    let rules = RuleSet::from_toml("rules-xss-in-summary.toml", &text).expect("valid");
    let options = AnalyzeOptions { rules: vec![rules], ..AnalyzeOptions::default() };
    let a = analyze(vec![read("junit-xss-everywhere.xml")], &options);
    assert!(a.report.diagnoses.iter().any(|d| d.rule.starts_with("xss-")), "{:#?}", a.report.diagnoses);
    check_renderers("a hostile rule", &a);
}

/// One single-line log of `FAULTLINE_BIG_TESTS=1` ? 1 GiB : 64 MiB, tied to a failing test so its line
/// is cited as evidence. Display text is clipped, the file is warned about once, the report stays small.
#[test]
fn a_giant_single_line_is_clipped_for_display() {
    let big = std::env::var("FAULTLINE_BIG_TESTS").is_ok_and(|v| v == "1");
    let size: usize = if big { 1 << 30 } else { 64 << 20 };
    let head = "[2024-11-16T10:12:30.000Z] md5sum: can't open '/data/data.txt': Connection timed out ";
    let mut log = Vec::with_capacity(size + 200);
    log.extend_from_slice(head.as_bytes());
    log.resize(head.len() + size, b'z');
    log.extend_from_slice(b"\n[2024-11-16T10:12:31.000Z] next line\n");
    let junit = "<testsuite name=\"big\" timestamp=\"2024-11-16T10:12:00Z\"><testcase classname=\"big\" \
                 name=\"reads its data\" time=\"60\"><failure message=\"checksum failed\"/></testcase></testsuite>";
    let started = Instant::now();
    let a = analyze(
        vec![InputFile::new("junit.xml", junit), InputFile::new("console.log", log)],
        &AnalyzeOptions::default(),
    );
    let took = started.elapsed();
    let r = &a.report;
    let max = Limits::DEFAULT_LINE_CHARS;
    let long: Vec<_> = r.warnings.iter().filter(|w| w.kind == WarningKind::LimitExceeded).collect();
    assert_eq!(long.len(), 1, "{long:?}");
    assert_eq!(
        (long[0].file.as_str(), long[0].line, long[0].column),
        ("console.log", Some(1), Some(max as u32 + 1))
    );
    let d = r.diagnoses.first().expect("the failure is diagnosed");
    let cited =
        d.evidence.iter().find(|e| e.file == "console.log" && e.line == 1).expect("the long line is cited");
    let text = cited.text.as_deref().unwrap_or_default();
    assert_eq!(text.chars().count(), max + 1);
    assert!(text.ends_with('…'));
    let ex = excerpt::excerpt(&a, "console.log", 1, None, 1).unwrap_or_default();
    assert!(ex.iter().all(|l| l.text.chars().count() <= max + 1));
    let json = r.to_json_pretty();
    assert!(json.len() < 1 << 20, "{} bytes of JSON", json.len());
    let page = html::render(&a);
    assert!(page.len() < 4 << 20, "{} bytes of HTML", page.len());
    eprintln!("a {} MiB single line: analysed in {took:?}", size >> 20);
}
