//! Typed reading of rule files and pattern packs from toml's own parse tree ([`DeTable`], spans
//! included), with the messages and places serde's derived `Deserialize` gave through `toml::from_str`.
//!
//! Why not serde: every derived struct instantiated toml's deserializers once per visitor type, about
//! 190 KB of the 1.7 MB wasm module for two small file formats. The readers here are not generic over a
//! deserializer, so each shape costs only its own few lines. They reproduce serde's behaviour exactly —
//! the same unknown-field, missing-field, type and overflow errors at the same spans, a struct also read
//! from an array in field order — which `tests::serde_parity` checks against the derived impls.

use std::fmt;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// A located mistake: the span it refers to and serde's (or the parser's) message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Error {
    pub span: Range<usize>,
    pub message: String,
}

fn err(span: Range<usize>, message: String) -> Error {
    Error { span, message }
}

/// Parses a document: the root table as a value spanning the text.
pub(crate) fn parse(text: &str) -> Result<Value<'_>, Error> {
    match DeTable::parse(text) {
        Ok(t) => {
            let span = t.span();
            Ok(Spanned::new(span, DeValue::Table(t.into_inner())))
        }
        Err(e) => Err(err(e.span().unwrap_or(0..0), e.message().trim().to_string())),
    }
}

/// What a value is, as serde's `Unexpected` names it; numbers already converted as toml converts them.
enum Got<'a> {
    Str(&'a str),
    Signed(i64),
    Unsigned(u64),
    /// Beyond 64 bits: `integer `N` as i128` (or `u128`), which every visitor here refuses.
    Wide(String),
    Float(f64),
    Bool(bool),
    /// A table, or a datetime (which toml hands to visitors as a one-entry map).
    Map,
    Seq,
}

/// toml's `deserialize_any`: numbers beyond 128 bits and infinite non-`inf` floats are errors whatever is
/// expected.
fn got<'a>(v: &'a Value<'_>) -> Result<Got<'a>, Error> {
    Ok(match v.get_ref() {
        DeValue::String(s) => Got::Str(s),
        DeValue::Integer(n) => {
            let (s, radix) = (n.as_str(), n.radix());
            if let Ok(i) = i64::from_str_radix(s, radix) {
                Got::Signed(i)
            } else if let Ok(u) = u64::from_str_radix(s, radix) {
                Got::Unsigned(u)
            } else if let Ok(i) = i128::from_str_radix(s, radix) {
                Got::Wide(format!("integer `{i}` as i128"))
            } else if let Ok(u) = u128::from_str_radix(s, radix) {
                Got::Wide(format!("integer `{u}` as u128"))
            } else {
                return Err(err(v.span(), "integer number overflowed".into()));
            }
        }
        DeValue::Float(f) => match crate::parse_float::parse_f64(f.as_str()) {
            Some(x) if !x.is_infinite() || f.as_str().contains("inf") => Got::Float(x),
            _ => return Err(err(v.span(), "floating-point number overflowed".into())),
        },
        DeValue::Boolean(b) => Got::Bool(*b),
        DeValue::Datetime(_) | DeValue::Table(_) => Got::Map,
        DeValue::Array(_) => Got::Seq,
    })
}

/// serde's `Unexpected` display.
fn unexpected(g: &Got<'_>) -> String {
    match g {
        Got::Str(s) => format!("string {s:?}"),
        Got::Signed(i) => format!("integer `{i}`"),
        Got::Unsigned(u) => format!("integer `{u}`"),
        Got::Wide(w) => w.clone(),
        Got::Float(f) => {
            let text = crate::export::decimal::shortest(*f);
            if f.is_finite() && !text.contains('.') {
                format!("floating point `{text}.0`")
            } else {
                format!("floating point `{text}`")
            }
        }
        Got::Bool(b) => format!("boolean `{b}`"),
        Got::Map => "map".into(),
        Got::Seq => "sequence".into(),
    }
}

fn invalid_type(span: Range<usize>, g: &Got<'_>, expected: &str) -> Error {
    err(span, format!("invalid type: {}, expected {expected}", unexpected(g)))
}

/// What serde says when `v` is not what `expected` describes (toml's overflow errors first).
fn refuse(v: &Value<'_>, expected: &str) -> Error {
    match got(v) {
        Ok(g) => invalid_type(v.span(), &g, expected),
        Err(e) => e,
    }
}

fn invalid_value(span: Range<usize>, g: &Got<'_>, expected: &str) -> Error {
    err(span, format!("invalid value: {}, expected {expected}", unexpected(g)))
}

pub(crate) fn string(v: Value<'_>) -> Result<String, Error> {
    match got(&v)? {
        Got::Str(s) => Ok(s.to_string()),
        g => Err(invalid_type(v.span(), &g, "a string")),
    }
}

pub(crate) fn boolean(v: Value<'_>) -> Result<bool, Error> {
    match got(&v)? {
        Got::Bool(b) => Ok(b),
        g => Err(invalid_type(v.span(), &g, "a boolean")),
    }
}

pub(crate) fn float(v: Value<'_>) -> Result<f64, Error> {
    match got(&v)? {
        Got::Float(f) => Ok(f),
        Got::Signed(i) => Ok(i as f64),
        Got::Unsigned(u) => Ok(u as f64),
        g => Err(invalid_type(v.span(), &g, "f64")),
    }
}

pub(crate) fn int(v: Value<'_>) -> Result<i64, Error> {
    match got(&v)? {
        Got::Signed(i) => Ok(i),
        g @ Got::Unsigned(_) => Err(invalid_value(v.span(), &g, "i64")),
        g => Err(invalid_type(v.span(), &g, "i64")),
    }
}

pub(crate) fn uint32(v: Value<'_>) -> Result<u32, Error> {
    match got(&v)? {
        g @ (Got::Signed(_) | Got::Unsigned(_)) => {
            let n = match g {
                Got::Signed(i) => u32::try_from(i).ok(),
                Got::Unsigned(u) => u32::try_from(u).ok(),
                _ => None,
            };
            n.ok_or_else(|| invalid_value(v.span(), &g, "u32"))
        }
        g => Err(invalid_type(v.span(), &g, "u32")),
    }
}

/// A value with its span (`toml::Spanned<T>`).
pub(crate) fn spanned<'i, T>(
    v: Value<'i>,
    read: impl FnOnce(Value<'i>) -> Result<T, Error>,
) -> Result<Spanned<T>, Error> {
    let span = v.span();
    Ok(Spanned::new(span, read(v)?))
}

/// An array (`Vec<T>`).
pub(crate) fn seq<'i, T>(
    v: Value<'i>,
    mut read: impl FnMut(Value<'i>) -> Result<T, Error>,
) -> Result<Vec<T>, Error> {
    if !matches!(v.get_ref(), DeValue::Array(_)) {
        return Err(refuse(&v, "a sequence"));
    }
    match v.into_inner() {
        DeValue::Array(items) => items.into_iter().map(&mut read).collect(),
        _ => Ok(Vec::new()),
    }
}

pub(crate) fn strings(v: Value<'_>) -> Result<Vec<String>, Error> {
    seq(v, string)
}

/// A table of strings with their spans, by key: what `BTreeMap<String, Spanned<String>>` read, kept
/// as a list because it is only walked (a map type compiled another B-tree into the wasm module).
#[derive(Default)]
pub(crate) struct StringMap(Vec<(String, Spanned<String>)>);

impl<'a> IntoIterator for &'a StringMap {
    type Item = &'a (String, Spanned<String>);
    type IntoIter = std::slice::Iter<'a, (String, Spanned<String>)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// As a map, so the readers' tests compare it with the derived readers' `BTreeMap`s.
impl fmt::Debug for StringMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter().map(|(k, v)| (k, v))).finish()
    }
}

pub(crate) fn string_map(v: Value<'_>) -> Result<StringMap, Error> {
    if !matches!(v.get_ref(), DeValue::Table(_) | DeValue::Datetime(_)) {
        return Err(refuse(&v, "a map"));
    }
    let span = v.span();
    match v.into_inner() {
        // A TOML table's keys are unique, and toml's table walks them in key order.
        DeValue::Table(t) => {
            let mut out = Vec::with_capacity(t.len());
            for (k, v) in t {
                out.push((k.into_inner().into_owned(), spanned(v, string)?));
            }
            Ok(StringMap(out))
        }
        // toml hands a datetime to a map visitor as `{ "$__toml_private_datetime" = "<text>" }`, whose
        // value, a plain string without a span, no spanned value accepts.
        DeValue::Datetime(d) => {
            Err(err(span, format!("invalid type: string {:?}, expected a spanned value", d.to_string())))
        }
        _ => Ok(StringMap::default()),
    }
}

/// A string or an array of strings (serde's untagged `One(String) | Many(Vec<String>)`, the enum named
/// `untagged`): anything else is serde's generic refusal.
pub(crate) fn one_or_many(v: Value<'_>, untagged: &str) -> Result<Result<String, Vec<String>>, Error> {
    // serde buffers the whole value first, so a number that overflows anywhere inside is that error.
    no_overflow(&v)?;
    let span = v.span();
    let refused = || err(span.clone(), format!("data did not match any variant of untagged enum {untagged}"));
    match v.into_inner() {
        DeValue::String(s) => Ok(Ok(s.into_owned())),
        DeValue::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item.into_inner() {
                    DeValue::String(s) => out.push(s.into_owned()),
                    _ => return Err(refused()),
                }
            }
            Ok(Err(out))
        }
        _ => Err(refused()),
    }
}

/// serde's buffer takes any value but integers beyond 64 bits.
fn no_overflow(v: &Value<'_>) -> Result<(), Error> {
    if let g @ Got::Wide(_) = got(v)? {
        return Err(invalid_type(v.span(), &g, "any value"));
    }
    match v.get_ref() {
        DeValue::Array(items) => items.iter().try_for_each(no_overflow),
        DeValue::Table(t) => t.values().try_for_each(no_overflow),
        _ => Ok(()),
    }
}

/// How a struct field behaves when absent: required (`missing field`), `Option` (None; but required
/// when the struct is read from an array), or `#[serde(default)]`.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Need {
    Required,
    Optional,
    Defaulted,
}

/// Reads a struct named `name` (serde's `struct Name`) with `fields` in declaration order, handing each
/// present field to `set(index, value)`: from a table (unknown keys refused, keys in table order, then
/// the first missing required field) or, as serde also allows, from an array in field order.
pub(crate) fn read_struct<'i>(
    v: Value<'i>,
    name: &str,
    fields: &[(&'static str, Need)],
    set: &mut dyn FnMut(usize, Value<'i>) -> Result<(), Error>,
) -> Result<(), Error> {
    if !matches!(v.get_ref(), DeValue::Table(_) | DeValue::Array(_) | DeValue::Datetime(_)) {
        return Err(refuse(&v, name));
    }
    let span = v.span();
    match v.into_inner() {
        DeValue::Table(t) => {
            let mut seen = vec![false; fields.len()];
            for (k, value) in t {
                let Some(i) = fields.iter().position(|(f, _)| *f == k.get_ref().as_ref()) else {
                    return Err(err(k.span(), unknown_field(k.get_ref(), fields)));
                };
                seen[i] = true;
                set(i, value)?;
            }
            match fields.iter().zip(&seen).find(|((_, need), seen)| *need == Need::Required && !**seen) {
                Some(((f, _), _)) => Err(err(span, format!("missing field `{f}`"))),
                None => Ok(()),
            }
        }
        DeValue::Array(items) => {
            let mut items = items.into_iter();
            for (i, (_, need)) in fields.iter().enumerate() {
                match items.next() {
                    Some(value) => set(i, value)?,
                    None if *need == Need::Defaulted => {}
                    None => {
                        return Err(err(
                            span,
                            format!("invalid length {i}, expected {name} with {} elements", fields.len()),
                        ));
                    }
                }
            }
            Ok(())
        }
        // A datetime reaches a struct visitor as a map whose one key no struct has.
        _ => Err(err(span, unknown_field("$__toml_private_datetime", fields))),
    }
}

fn unknown_field(key: &str, fields: &[(&'static str, Need)]) -> String {
    let names: Vec<String> = fields.iter().map(|(f, _)| format!("`{f}`")).collect();
    match names.as_slice() {
        [] => format!("unknown field `{key}`, there are no fields"),
        [one] => format!("unknown field `{key}`, expected {one}"),
        [a, b] => format!("unknown field `{key}`, expected {a} or {b}"),
        _ => format!("unknown field `{key}`, expected one of {}", names.join(", ")),
    }
}

/// A required field `read_struct` has already checked is present.
pub(crate) fn present<T>(v: Option<T>, field: &str, span: &Range<usize>) -> Result<T, Error> {
    v.ok_or_else(|| err(span.clone(), format!("missing field `{field}`")))
}

#[cfg(test)]
mod tests {
    //! The readers against what `#[derive(Deserialize)]` and `toml::from_str` gave before them: the same
    //! shapes, or the same message at the same span, on the built-in files, the hostile corpus and every
    //! one-line mutation of two files that use every field.

    use std::collections::BTreeMap;

    use serde::Deserialize;
    use toml::Spanned;

    // The copies of the derived shapes are read only through `Debug`.
    #[allow(dead_code)]
    mod rules {
        use super::*;

        #[derive(Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        pub struct RawFile {
            #[serde(default)]
            pod_for: Vec<RawPod>,
            #[serde(default)]
            rule: Vec<RawRule>,
        }

        #[derive(Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct RawPod {
            kind: String,
            pod: String,
        }

        #[derive(Deserialize, Debug)]
        #[serde(untagged)]
        enum OneOrMany {
            One(String),
            Many(Vec<String>),
        }

        #[derive(Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct RawRule {
            id: Spanned<String>,
            blame: Spanned<String>,
            confidence: Spanned<f64>,
            #[serde(default)]
            priority: i64,
            summary: Spanned<String>,
            #[serde(default = "empty")]
            fix: Spanned<String>,
            #[serde(default)]
            explains: Vec<String>,
            evidence: Option<Spanned<Vec<String>>>,
            intent: Option<RawIntent>,
            #[serde(rename = "match")]
            matches: Spanned<Vec<RawMatch>>,
            #[serde(default)]
            absent: Vec<RawMatch>,
        }

        fn empty() -> Spanned<String> {
            Spanned::new(0..0, String::new())
        }

        #[derive(Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct RawIntent {
            require: Option<Spanned<String>>,
            forbid: Option<Spanned<String>>,
            boost: Option<Spanned<String>>,
        }

        #[derive(Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct RawMatch {
            #[serde(rename = "as")]
            name: Option<Spanned<String>>,
            #[serde(rename = "type")]
            kind: Option<Spanned<OneOrMany>>,
            #[serde(rename = "where", default)]
            where_: BTreeMap<String, Spanned<String>>,
            #[serde(default)]
            where_not: BTreeMap<String, Spanned<String>>,
            #[serde(default)]
            any: Vec<RawAlt>,
            after: Option<Spanned<String>>,
            before: Option<Spanned<String>>,
            within: Option<Spanned<String>>,
            between: Option<Spanned<Vec<String>>>,
            #[serde(default)]
            join: BTreeMap<String, Spanned<String>>,
            scope: Option<Spanned<String>>,
            pick: Option<Spanned<String>>,
            #[serde(default)]
            optional: bool,
        }

        #[derive(Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct RawAlt {
            #[serde(rename = "type")]
            kind: Spanned<OneOrMany>,
            #[serde(rename = "where", default)]
            where_: BTreeMap<String, Spanned<String>>,
            #[serde(default)]
            where_not: BTreeMap<String, Spanned<String>>,
        }
    }

    #[allow(dead_code)]
    mod pack {
        use super::*;

        #[derive(Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        pub struct RawPack {
            #[serde(default)]
            object_kind: Vec<RawKind>,
            #[serde(default)]
            pattern: Vec<RawPattern>,
        }

        #[derive(Deserialize, Debug)]
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

        #[derive(Deserialize, Debug)]
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
    }

    type Outcome = Result<String, (std::ops::Range<usize>, String)>;

    fn serde_read<T: for<'de> Deserialize<'de> + std::fmt::Debug>(text: &str) -> Outcome {
        toml::from_str::<T>(text)
            .map(|r| format!("{r:?}"))
            .map_err(|e| (e.span().unwrap_or(0..0), e.message().trim().to_string()))
    }

    fn ours(r: Result<String, super::Error>) -> Outcome {
        r.map_err(|e| (e.span, e.message))
    }

    const RULES: &str = r#"[[pod_for]]
kind = "ShareManager"
pod = "share-manager-{name}"

[[rule]]
id = "r"
blame = "test"
confidence = 0.5
priority = 3
summary = "s {a.name}"
fix = "f"
explains = ["x", "y"]
evidence = ["a"]
intent = { require = "delete-cr", forbid = "x", boost = "y" }
absent = [{ type = "wait" }]

[[rule.match]]
as = "a"
type = ["object_deleted", "object_recreated"]
where = { kind = "ShareManager", name = "~^pvc" }
where_not = { name = "x" }
optional = true
scope = "test"
pick = "last"

[[rule.match]]
as = "b"
type = "wait"
after = "a"
before = "a"
within = "30s"
between = ["a", "a"]
join = { name = "a.name" }
any = [{ type = "wait", where = { attempt = ">=3" }, where_not = { x = "y" } }]
"#;

    const PACK: &str = r#"[[object_kind]]
kind = "ShareManager"
group = "longhorn.io"
plane = "management"
aliases = ["sharemanager", "sm"]

[[pattern]]
id = "p"
event = "wait"
origins = ["log", "step"]
files = "*.log"
contains = ["Waiting"]
regex = '''Waiting for (?P<condition>\S+)'''
lines = 2
fields = { condition = "$condition", kind = "Volume" }
"#;

    /// Values every field is tried with: each type, overflowing numbers, datetimes, structs as arrays.
    const VALUES: &[&str] = &[
        "\"s\"",
        "'~x'",
        "1",
        "-1",
        "0",
        "4294967296",
        "9223372036854775808",
        "99999999999999999999",
        "999999999999999999999999999999999999999999",
        "0xff",
        "1.5",
        "2.0",
        "1e300",
        "1e999",
        "inf",
        "-nan",
        "true",
        "1979-05-27",
        "1979-05-27T07:32:00Z",
        "07:32:00",
        "[]",
        "[\"a\"]",
        "[\"a\", 1]",
        "[1e999]",
        "[1]",
        "[[\"a\"]]",
        "[{ type = \"wait\" }]",
        "[{ kind = \"K\", pod = \"p\" }]",
        "[[\"K\", \"p\"]]",
        "[[\"K\"]]",
        "[[\"id\", \"test\", 0.5, 1, \"s\", \"f\", [], [\"e\"], {}, []]]",
        "[[\"id\", \"test\", 0.5, 1, \"s\"]]",
        "[[\"i\", \"wait\", [\"log\"], \"f\", [\"x\"], \"x\"]]",
        "{}",
        "{ a = \"b\" }",
        "{ a = 1 }",
        "{ a = 1e999 }",
        "{ type = \"wait\" }",
        "{ bogus = 1 }",
        "[\"x\", \"y\", \"z\"]",
    ];

    fn mutations(base: &str) -> Vec<String> {
        let lines: Vec<&str> = base.lines().collect();
        let mut out = vec![base.to_string()];
        for (i, line) in lines.iter().enumerate() {
            let with = |new: &str| {
                let mut l: Vec<&str> = lines.clone();
                l[i] = new;
                l.join("\n")
            };
            out.push(with(""));
            if let Some((key, _)) = line.split_once(" = ") {
                out.push(with(&format!("bogus = {}", &line[key.len() + 3..])));
                for v in VALUES {
                    out.push(with(&format!("{key} = {v}")));
                }
            } else if line.starts_with("[[") {
                let name = line.trim_matches(|c| c == '[' || c == ']');
                out.push(with(&format!("[{name}]")));
                out.push(with(&format!("{name} = 1")));
            }
        }
        for v in VALUES {
            for key in ["rule", "pod_for", "pattern", "object_kind"] {
                out.push(format!("{key} = {v}\n"));
            }
        }
        out
    }

    #[test]
    fn serde_parity() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/hostile");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
        assert!(files.len() >= 9, "the hostile corpus");
        files.push(crate::rules::RuleSet::builtin_source().to_string());
        files.push(include_str!("extract/builtin.toml").to_string());
        files.extend(mutations(RULES));
        files.extend(mutations(PACK));
        let mut errors = 0;
        for text in &files {
            let want = serde_read::<rules::RawFile>(text);
            assert_eq!(ours(crate::rules::compile::read_debug(text)), want, "rules:\n{text}");
            errors += usize::from(want.is_err());
            let want = serde_read::<pack::RawPack>(text);
            assert_eq!(ours(crate::extract::compile::read_debug(text)), want, "pack:\n{text}");
        }
        assert!(errors > 500 && errors < files.len(), "{errors} of {} rule files refused", files.len());
    }
}
