//! TOML → compiled [`Pack`], with every mistake located (file, line, column).

use std::collections::BTreeMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use toml::Spanned;

use super::{ObjectKind, Origin, Pack, PackError, Pattern};
use crate::event::{EventKind, Plane};

/// Compiled regexes from untrusted packs are bounded: the engine has no backtracking, and this caps the
/// memory a pathological pattern can take.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    #[serde(default)]
    object_kind: Vec<RawKind>,
    #[serde(default)]
    pattern: Vec<RawPattern>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    kind: String,
    #[serde(default)]
    group: String,
    plane: Spanned<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

fn one() -> Spanned<u32> {
    Spanned::new(0..0, 1)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    id: Spanned<String>,
    event: Spanned<String>,
    origins: Option<Spanned<Vec<String>>>,
    files: Option<Spanned<String>>,
    contains: Option<Spanned<Vec<String>>>,
    regex: Spanned<String>,
    #[serde(default = "one")]
    lines: Spanned<u32>,
    #[serde(default)]
    fields: BTreeMap<String, Spanned<String>>,
}

struct Locator<'a> {
    file: &'a str,
    text: &'a str,
}

impl Locator<'_> {
    fn err(&self, span: Range<usize>, message: impl Into<String>) -> PackError {
        let (line, col) = crate::decode::line_col_lf(self.text.as_bytes(), span.start);
        PackError { file: self.file.to_string(), line, column: col, message: message.into() }
    }
}

pub fn compile(file: &str, text: &str) -> Result<Pack, PackError> {
    let loc = Locator { file, text };
    let raw: RawPack = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        loc.err(span, e.message().trim().to_string())
    })?;

    let mut kinds = Vec::new();
    for k in raw.object_kind {
        let plane = match k.plane.get_ref().as_str() {
            "management" => Plane::Management,
            "workload" => Plane::Workload,
            "unknown" => Plane::Unknown,
            other => {
                return Err(loc.err(
                    k.plane.span(),
                    format!("unknown plane {other:?}; expected management, workload or unknown"),
                ));
            }
        };
        let obj = ObjectKind { kind: k.kind.clone(), group: k.group, plane };
        for alias in std::iter::once(k.kind.clone()).chain(k.aliases) {
            kinds.push((alias.to_ascii_lowercase(), obj.clone()));
        }
    }

    let mut literals: Vec<String> = Vec::new();
    let mut patterns = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for p in raw.pattern {
        let id = p.id.get_ref().clone();
        if ids.contains(&id) {
            return Err(loc.err(p.id.span(), format!("duplicate pattern id {id:?}")));
        }
        ids.push(id.clone());
        let event = EventKind::parse(p.event.get_ref()).ok_or_else(|| {
            let known: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
            loc.err(
                p.event.span(),
                format!("unknown event type {:?}; known: {}", p.event.get_ref(), known.join(", ")),
            )
        })?;
        let origins = match &p.origins {
            None => None,
            Some(o) => Some(
                o.get_ref()
                    .iter()
                    .map(|s| {
                        Origin::parse(s).ok_or_else(|| {
                            loc.err(
                                o.span(),
                                format!("unknown origin {s:?}; expected log, step, junit or robot_message"),
                            )
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        let contains = match &p.contains {
            Some(c) if !c.get_ref().is_empty() && c.get_ref().iter().all(|l| !l.is_empty()) => {
                c.get_ref().clone()
            }
            Some(c) => return Err(loc.err(c.span(), "`contains` needs at least one non-empty literal")),
            None => {
                return Err(loc.err(
                    p.id.span(),
                    format!("pattern {id:?} has no `contains`: give the literals every match must include (they keep scanning fast)"),
                ));
            }
        };
        let regex = build_regex(&loc, &p.regex)?;
        let files = p.files.as_ref().map(|f| build_regex(&loc, f)).transpose()?;
        let lines = *p.lines.get_ref();
        if !(1..=2).contains(&lines) {
            return Err(loc.err(p.lines.span(), "`lines` must be 1 or 2"));
        }
        let names: Vec<&str> = regex.capture_names().flatten().collect();
        let mut fields = Vec::new();
        for (k, v) in &p.fields {
            for placeholder in placeholders(v.get_ref()) {
                if !names.contains(&placeholder) {
                    return Err(loc.err(
                        v.span(),
                        format!(
                            "template refers to {{{placeholder}}}, but the regex has no such named capture"
                        ),
                    ));
                }
            }
            fields.push((k.clone(), v.get_ref().clone()));
        }
        let lits = contains
            .iter()
            .map(|l| {
                let l = l.to_ascii_lowercase();
                match literals.iter().position(|x| *x == l) {
                    Some(i) => i,
                    None => {
                        literals.push(l);
                        literals.len() - 1
                    }
                }
            })
            .collect();
        patterns.push(Pattern {
            id,
            event,
            origins,
            files,
            literals: lits,
            regex,
            two_lines: lines == 2,
            fields,
        });
    }
    let automaton = automaton(&literals);
    Ok(Pack { kinds, patterns, literals, automaton, field_chars: crate::input::Limits::DEFAULT_LINE_CHARS })
}

fn build_regex(loc: &Locator<'_>, src: &Spanned<String>) -> Result<Regex, PackError> {
    RegexBuilder::new(src.get_ref())
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| loc.err(src.span(), regex_error(&e)))
}

/// One line about a regex that did not compile. A syntax error's text repeats the whole pattern with a
/// caret under the problem, which for a 10,000-character pattern is not a message: only its `error:`
/// line is kept (the location already points at the pattern), and any message is capped.
pub(crate) fn regex_error(e: &regex::Error) -> String {
    let text = e.to_string();
    let why = text
        .lines()
        .rev()
        .find_map(|l| l.trim_start().strip_prefix("error:"))
        .map(str::trim)
        .map_or_else(|| text.replace('\n', " "), str::to_string);
    let why = match why.char_indices().nth(300) {
        Some((cut, _)) => format!("{}…", &why[..cut]),
        None => why,
    };
    format!("invalid regex: {why}")
}

/// `{name}` placeholders in a field template.
pub fn placeholders(t: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}

pub fn automaton(literals: &[String]) -> Option<AhoCorasick> {
    if literals.is_empty() {
        return None;
    }
    // A full DFA is the fastest scan for a pack-sized literal set; a huge user pack may exceed what a
    // DFA can hold, and then the automaton picks a smaller representation itself.
    let builder = |kind| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(kind)
            .build(literals)
            .ok()
    };
    builder(Some(AhoCorasickKind::DFA)).or_else(|| builder(None))
}
