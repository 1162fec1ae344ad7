//! This engine against the `regex` crate it stands in for: the same matches, groups and errors.

use std::path::Path;

use proptest::prelude::*;

use super::{Error, Regex, RegexBuilder, escape};

const LIMIT: usize = 1 << 20;

fn ours(pattern: &str, case_insensitive: bool, limit: usize, dfa_limit: usize) -> Result<Regex, Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(case_insensitive)
        .size_limit(limit)
        .dfa_size_limit(dfa_limit)
        .build()
}

fn theirs(
    pattern: &str,
    case_insensitive: bool,
    limit: usize,
    dfa_limit: usize,
) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(case_insensitive)
        .size_limit(limit)
        .dfa_size_limit(dfa_limit)
        .build()
}

/// The `error:` line of the regex crate's message (the whole message when it has none).
fn error_line(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines().find_map(|l| l.strip_prefix("error: ")).map_or(text.clone(), str::to_string)
}

type Groups = Vec<Option<(usize, usize)>>;

type Observed = (bool, Option<Groups>, Vec<(usize, usize)>, String);

/// Everything a caller can observe of one regex on one haystack: the two crates' types share method
/// names but no trait, so one macro reads both.
macro_rules! observe {
    ($re:expr, $hay:expr, $replacement:expr) => {{
        let (re, hay) = ($re, $hay);
        let names: Vec<Option<String>> = re.capture_names().map(|n| n.map(str::to_string)).collect();
        let caps = re.captures(hay).map(|c| {
            let mut groups: Groups =
                (0..names.len()).map(|i| c.get(i).map(|m| (m.start(), m.end()))).collect();
            for n in names.iter().flatten() {
                groups.push(c.name(n).map(|m| (m.start(), m.end())));
            }
            groups
        });
        let found = re.find_iter(hay).map(|m| (m.start(), m.end())).collect();
        (re.is_match(hay), caps, found, re.replace_all(hay, $replacement).into_owned())
    }};
}

fn observe_ours(re: &Regex, hay: &str) -> Observed {
    observe!(re, hay, "<x>")
}

fn observe_theirs(re: &regex::Regex, hay: &str) -> Observed {
    observe!(re, hay, regex::NoExpand("<x>"))
}

fn same(pattern: &str, case_insensitive: bool, hays: &[&str]) {
    let (a, b) =
        (ours(pattern, case_insensitive, LIMIT, LIMIT), theirs(pattern, case_insensitive, LIMIT, LIMIT));
    let (a, b) = match (a, b) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), error_line(&b), "{pattern:?}");
            return;
        }
        (a, b) => panic!("{pattern:?}: ours {:?}, regex {:?}", a.err(), b.err()),
    };
    assert_eq!(a.as_str(), pattern);
    let names: Vec<_> = a.capture_names().collect();
    assert_eq!(names, b.capture_names().collect::<Vec<_>>(), "{pattern:?}");
    for hay in hays {
        assert_eq!(observe_ours(&a, hay), observe_theirs(&b, hay), "{pattern:?} on {hay:?}");
    }
}

#[test]
fn edge_cases_match_as_the_regex_crate_does() {
    let hays = [
        "",
        "a",
        "Connection timed out",
        "md5sum: can't open '/data/data.txt': Connection timed out",
        "naïve café — 東京 ☃ x",
        "ab\ncd\r\nef",
        "é",
        "aaa bbb aaa",
        "2024-11-16T10:15:02.815Z I1116 10:15:02.815123 Nov 16 10:15:02",
        "ÉTAT état ſ K k",
    ];
    let patterns = [
        "",
        "a*",
        "x*",
        r"\b",
        r"\B",
        r"\bé\b",
        r"\w+",
        r"(?P<word>\w+)\s+(?P<next>\S+)?",
        r"(a)|(b)",
        r"(?:a|ab)(c|bcd)?",
        "^a",
        "^$",
        "(?m)^c",
        "(?m)$",
        r"[^\n]*$",
        r"timed? out",
        "(?i)état",
        "(?i)k",
        r"(\d+):(\d+):(\d+)(?:[.,](\d+))?",
        r"can't open '(?P<path>[^']+)': (?P<why>.*)",
        r"(?s)ab.cd",
        r"\d{4}-\d{2}-\d{2}",
        "☃|東",
        r"(a|b)*?b",
        r"(?-u:\w)+",
        r"(?U)a+",
        "(",
        r"\p{Greek}",
        "a{1000}{1000}",
        r"(?P<x>a)(?P<x>b)",
    ];
    for pattern in patterns {
        same(pattern, false, &hays);
        same(pattern, true, &hays);
    }
}

#[test]
fn long_haystacks_and_a_thrashing_lazy_dfa_fall_back_alike() {
    // Past the backtracker's visited-set limit the PikeVM takes over; a tiny cache makes the lazy DFA
    // either fail to build or give up mid-search.
    let long = format!("{}needle(42) {}", "x ".repeat(200_000), "é ".repeat(1000));
    let hays = [long.as_str(), "needle(7)"];
    for dfa_limit in [LIMIT, 1, 40_000] {
        for pattern in [r"needle\((?P<n>\d+)\)", r"\bneedle\b", r"(?:x |é )+(n)", r"[a-z]+\(\d+\)\s+\w"] {
            let a = ours(pattern, false, LIMIT, dfa_limit).unwrap();
            let b = theirs(pattern, false, LIMIT, dfa_limit).unwrap();
            for hay in hays {
                assert_eq!(observe_ours(&a, hay), observe_theirs(&b, hay), "{pattern:?} (cache {dfa_limit})");
            }
        }
    }
}

#[test]
fn errors_read_as_the_regex_crate_states_them() {
    for (pattern, limit) in [
        ("(unclosed", LIMIT),
        (r"\w{1000}{1000}", LIMIT),
        (r"\w{50}", 100),
        ("a{2,1}", LIMIT),
        ("[z-a]", LIMIT),
        // A translation error rather than a parse error.
        (r"(?-u:\xFF)", LIMIT),
    ] {
        let a = ours(pattern, false, limit, LIMIT).unwrap_err();
        let b = theirs(pattern, false, limit, LIMIT).unwrap_err();
        assert_eq!(a.to_string(), error_line(&b), "{pattern:?}");
    }
    assert!(matches!(ours(r"\w{50}", false, 100, LIMIT), Err(Error::CompiledTooBig(100))));
    assert_eq!(escape("a.b*(c)"), regex::escape("a.b*(c)"));
}

#[test]
fn clones_share_the_engines_and_search_from_threads() {
    let re = Regex::new(r"(?P<n>\d+)").unwrap();
    let copy = re.clone();
    let found: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let re = if i % 2 == 0 { &re } else { &copy };
                s.spawn(move || {
                    re.captures(&format!("item {i}"))
                        .and_then(|c| c.name("n"))
                        .map(|m| m.as_str().to_string())
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok().flatten()).collect()
    });
    assert_eq!(found, ["0", "1", "2", "3"]);
    assert_eq!(format!("{re:?}"), r#"Regex("(?P<n>\\d+)")"#);
}

/// Every string of the built-in pack and rules (their regexes among them) against every distinct line of
/// the fixtures, alone and joined with the next as two-line patterns see them.
#[test]
fn built_in_patterns_match_the_fixtures_as_the_regex_crate_does() {
    let mut patterns = Vec::new();
    for source in [crate::extract::BUILTIN_SOURCE, crate::rules::RuleSet::builtin_source()] {
        let doc: toml::Table = toml::from_str(source).unwrap();
        collect_strings(&toml::Value::Table(doc), &mut patterns);
    }
    patterns.sort();
    patterns.dedup();
    let mut lines = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    collect_lines(&root, &mut lines);
    lines.sort();
    lines.dedup();
    let joined: Vec<String> = lines.windows(2).map(|w| format!("{}\n{}", w[0], w[1])).collect();
    assert!(patterns.len() > 100 && lines.len() > 1000, "{} patterns, {} lines", patterns.len(), lines.len());
    let hays: Vec<&str> = lines.iter().chain(&joined).map(String::as_str).collect();
    for pattern in &patterns {
        same(pattern, false, &hays);
    }
}

fn collect_strings(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::String(s) => out.push(s.clone()),
        toml::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        toml::Value::Table(table) => table.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

fn collect_lines(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_lines(&path, out);
        } else if path.extension().is_some_and(|e| e == "log" || e == "xml" || e == "txt")
            && let Ok(text) = std::fs::read(&path)
        {
            out.extend(String::from_utf8_lossy(&text).lines().take(2000).map(str::to_string));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Random haystacks (ASCII, non-ASCII letters, newlines) under patterns chosen to reach each engine.
    #[test]
    fn random_haystacks_match_alike(hay in "[a-c0-9 é東\n_-]{0,40}", which in 0usize..12, ci: bool) {
        let patterns = [
            r"\b\w+\b", r"(?P<a>[a-c]+)(?P<d>\d)?", "", "a*?", r"(?m)^\w", r"\B", r"(é|東)+",
            r"(a|ab)(c|bcd)(d*)", r"[^\n]+$", r"(?s).\b.", r"(?i)B\d", r"(?:(a)|b|(c))+",
        ];
        let pattern = patterns[which];
        let a = ours(pattern, ci, LIMIT, LIMIT).unwrap();
        let b = theirs(pattern, ci, LIMIT, LIMIT).unwrap();
        prop_assert_eq!(observe_ours(&a, &hay), observe_theirs(&b, &hay));
    }
}
