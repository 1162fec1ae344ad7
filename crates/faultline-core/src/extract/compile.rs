//! TOML → compiled [`Pack`], with every mistake located (file, line, column).

use std::ops::Range;

use crate::regex_engine::Regex;
use aho_corasick::MatchKind;
use toml::Spanned;

use super::lazy::LazyRegex;
use super::{ObjectKind, Origin, Pack, PackError, Pattern, gate};
use crate::event::{EventKind, Plane};
use crate::toml_read::{self as tr, Need::*, Value};

// The pack's shapes, read by `toml_read` with serde's messages (see there); `read_*` below are what
// `#[derive(Deserialize)]` with `deny_unknown_fields` generated, field for field.
#[cfg_attr(test, derive(Debug))]
struct RawPack {
    object_kind: Vec<RawKind>,
    pattern: Vec<RawPattern>,
}

#[cfg_attr(test, derive(Debug))]
struct RawKind {
    kind: String,
    group: String,
    plane: Spanned<String>,
    aliases: Vec<String>,
}

fn one() -> Spanned<u32> {
    Spanned::new(0..0, 1)
}

#[cfg_attr(test, derive(Debug))]
struct RawPattern {
    id: Spanned<String>,
    event: Spanned<String>,
    origins: Option<Spanned<Vec<String>>>,
    files: Option<Spanned<String>>,
    contains: Option<Spanned<Vec<String>>>,
    regex: Spanned<String>,
    lines: Spanned<u32>,
    fields: tr::StringMap,
}

fn read_pack(v: Value<'_>) -> Result<RawPack, tr::Error> {
    let (mut object_kind, mut pattern) = (Vec::new(), Vec::new());
    let fields = [("object_kind", Defaulted), ("pattern", Defaulted)];
    tr::read_struct(v, "struct RawPack", &fields, &mut |i, v| {
        match i {
            0 => object_kind = tr::seq(v, read_kind)?,
            _ => pattern = tr::seq(v, read_pattern)?,
        }
        Ok(())
    })?;
    Ok(RawPack { object_kind, pattern })
}

fn read_kind(v: Value<'_>) -> Result<RawKind, tr::Error> {
    let span = v.span();
    let (mut kind, mut group, mut plane, mut aliases) = (None, String::new(), None, Vec::new());
    let fields = [("kind", Required), ("group", Defaulted), ("plane", Required), ("aliases", Defaulted)];
    tr::read_struct(v, "struct RawKind", &fields, &mut |i, v| {
        match i {
            0 => kind = Some(tr::string(v)?),
            1 => group = tr::string(v)?,
            2 => plane = Some(tr::spanned(v, tr::string)?),
            _ => aliases = tr::strings(v)?,
        }
        Ok(())
    })?;
    Ok(RawKind {
        kind: tr::present(kind, "kind", &span)?,
        group,
        plane: tr::present(plane, "plane", &span)?,
        aliases,
    })
}

fn read_pattern(v: Value<'_>) -> Result<RawPattern, tr::Error> {
    let span = v.span();
    let (mut id, mut event, mut origins, mut files, mut contains, mut regex) =
        (None, None, None, None, None, None);
    let (mut lines, mut fields) = (one(), Default::default());
    let names = [
        ("id", Required),
        ("event", Required),
        ("origins", Optional),
        ("files", Optional),
        ("contains", Optional),
        ("regex", Required),
        ("lines", Defaulted),
        ("fields", Defaulted),
    ];
    tr::read_struct(v, "struct RawPattern", &names, &mut |i, v| {
        match i {
            0 => id = Some(tr::spanned(v, tr::string)?),
            1 => event = Some(tr::spanned(v, tr::string)?),
            2 => origins = Some(tr::spanned(v, tr::strings)?),
            3 => files = Some(tr::spanned(v, tr::string)?),
            4 => contains = Some(tr::spanned(v, tr::strings)?),
            5 => regex = Some(tr::spanned(v, tr::string)?),
            6 => lines = tr::spanned(v, tr::uint32)?,
            _ => fields = tr::string_map(v)?,
        }
        Ok(())
    })?;
    Ok(RawPattern {
        id: tr::present(id, "id", &span)?,
        event: tr::present(event, "event", &span)?,
        origins,
        files,
        contains,
        regex: tr::present(regex, "regex", &span)?,
        lines,
        fields,
    })
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

/// When a pack's pattern regexes are compiled (see `lazy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Regexes {
    /// Now, so a mistake is reported at its place: users' packs.
    Now,
    /// When a line first needs each one: the built-in pack, which a test compiles whole.
    OnFirstUse,
}

pub fn compile(file: &str, text: &str) -> Result<Pack, PackError> {
    compile_with(file, text, Regexes::Now)
}

pub(crate) fn compile_with(file: &str, text: &str, when: Regexes) -> Result<Pack, PackError> {
    let loc = Locator { file, text };
    let raw: RawPack = tr::parse(text).and_then(read_pack).map_err(|e| loc.err(e.span, e.message))?;

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
        let regex = match when {
            Regexes::Now => Some(build_regex(&loc, &p.regex)?),
            Regexes::OnFirstUse => None,
        };
        let files = p.files.as_ref().map(|f| build_regex(&loc, f)).transpose()?;
        let lines = *p.lines.get_ref();
        if !(1..=2).contains(&lines) {
            return Err(loc.err(p.lines.span(), "`lines` must be 1 or 2"));
        }
        let names: Option<Vec<&str>> = regex.as_ref().map(|r| r.capture_names().flatten().collect());
        let mut fields = Vec::new();
        for (k, v) in &p.fields {
            for placeholder in placeholders(v.get_ref()) {
                if names.as_ref().is_some_and(|n| !n.contains(&placeholder)) {
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
        let reads_logs = origins.as_ref().is_none_or(|o| o.contains(&Origin::Log));
        let gate =
            if reads_logs { choose_gate(&contains, p.regex.get_ref(), lines == 2) } else { Vec::new() };
        patterns.push(Pattern {
            id,
            event,
            origins,
            files,
            literals: lits,
            regex: match regex {
                Some(r) => LazyRegex::compiled(p.regex.get_ref(), r),
                None => LazyRegex::deferred(p.regex.get_ref()),
            },
            two_lines: lines == 2,
            fields,
            gate,
        });
    }
    let automaton = automaton(&literals);
    let gate = super::scan::Gate::build(&patterns);
    Ok(Pack {
        kinds,
        patterns,
        literals,
        automaton,
        gate,
        field_chars: crate::input::Limits::DEFAULT_LINE_CHARS,
    })
}

/// The rarest of: each `contains` literal alone (all are required), and the literal set derived from the
/// regex. A two-line pattern's regex may match within the next line alone, so only its `contains`
/// literals, which are looked for in the line itself, can gate it.
fn choose_gate(contains: &[String], regex: &str, two_lines: bool) -> gate::LitSet {
    let derived = if two_lines { None } else { gate::derive(regex) };
    contains
        .iter()
        .map(|l| vec![l.to_ascii_lowercase().into_bytes()])
        .chain(derived)
        .max_by_key(gate::score)
        .unwrap_or_default()
}

fn build_regex(loc: &Locator<'_>, src: &Spanned<String>) -> Result<Regex, PackError> {
    super::lazy::build(src.get_ref()).map_err(|e| loc.err(src.span(), regex_error(&e)))
}

/// One line about a regex that did not compile. A syntax error's text repeats the whole pattern with a
/// caret under the problem, which for a 10,000-character pattern is not a message: only its `error:`
/// line is kept (the location already points at the pattern), and any message is capped.
pub(crate) fn regex_error(e: &crate::regex_engine::Error) -> String {
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

/// One overlapping search for every `contains` literal (ASCII case-insensitive, as packs match).
pub(crate) fn automaton(literals: &[String]) -> Option<super::automata::Automata> {
    let literals: Vec<&[u8]> = literals.iter().map(|l| l.as_bytes()).collect();
    super::automata::Automata::build(&literals, MatchKind::Standard, true, usize::MAX)
}

/// The raw shapes `text` reads as (for `toml_read`'s parity test against serde).
#[cfg(test)]
pub(crate) fn read_debug(text: &str) -> Result<String, tr::Error> {
    tr::parse(text).and_then(read_pack).map(|r| format!("{r:?}"))
}
