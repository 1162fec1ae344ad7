//! Rule files: TOML → compiled rules, every mistake located (file, line, column).

use std::ops::Range;

use crate::regex_engine::{Regex, RegexBuilder};
use toml::Spanned;

use super::template::{self, Template};
use super::{Blame, RuleSet};
use crate::event::EventKind;
use crate::toml_read::{self as tr, Need::*, Value};

/// Rules come from users: regexes are bounded (no backtracking engine, capped compiled size).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Serialisable for the wasm package's `checkRules`, which returns these as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("{file}:{line}:{column}: {message}")]
pub struct RuleError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

// The file's shapes, read by `toml_read` with serde's messages (see there); `read_*` below are what
// `#[derive(Deserialize)]` with `deny_unknown_fields` generated, field for field.
#[cfg_attr(test, derive(Debug))]
struct RawFile {
    pod_for: Vec<RawPod>,
    rule: Vec<RawRule>,
}

#[cfg_attr(test, derive(Debug))]
struct RawPod {
    kind: String,
    pod: String,
}

#[cfg_attr(test, derive(Debug))]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[cfg_attr(test, derive(Debug))]
struct RawRule {
    id: Spanned<String>,
    blame: Spanned<String>,
    confidence: Spanned<f64>,
    priority: i64,
    summary: Spanned<String>,
    fix: Spanned<String>,
    explains: Vec<String>,
    evidence: Option<Spanned<Vec<String>>>,
    intent: Option<RawIntent>,
    matches: Spanned<Vec<RawMatch>>,
    absent: Vec<RawMatch>,
}

fn empty() -> Spanned<String> {
    Spanned::new(0..0, String::new())
}

#[cfg_attr(test, derive(Debug))]
struct RawIntent {
    require: Option<Spanned<String>>,
    forbid: Option<Spanned<String>>,
    boost: Option<Spanned<String>>,
}

#[cfg_attr(test, derive(Debug))]
struct RawMatch {
    name: Option<Spanned<String>>,
    kind: Option<Spanned<OneOrMany>>,
    where_: tr::StringMap,
    where_not: tr::StringMap,
    any: Vec<RawAlt>,
    after: Option<Spanned<String>>,
    before: Option<Spanned<String>>,
    within: Option<Spanned<String>>,
    between: Option<Spanned<Vec<String>>>,
    join: tr::StringMap,
    scope: Option<Spanned<String>>,
    pick: Option<Spanned<String>>,
    optional: bool,
}

#[cfg_attr(test, derive(Debug))]
struct RawAlt {
    kind: Spanned<OneOrMany>,
    where_: tr::StringMap,
    where_not: tr::StringMap,
}

fn read_file(v: Value<'_>) -> Result<RawFile, tr::Error> {
    let (mut pod_for, mut rule) = (Vec::new(), Vec::new());
    let fields = [("pod_for", Defaulted), ("rule", Defaulted)];
    tr::read_struct(v, "struct RawFile", &fields, &mut |i, v| {
        match i {
            0 => pod_for = tr::seq(v, read_pod)?,
            _ => rule = tr::seq(v, read_rule)?,
        }
        Ok(())
    })?;
    Ok(RawFile { pod_for, rule })
}

fn read_pod(v: Value<'_>) -> Result<RawPod, tr::Error> {
    let span = v.span();
    let (mut kind, mut pod) = (None, None);
    tr::read_struct(v, "struct RawPod", &[("kind", Required), ("pod", Required)], &mut |i, v| {
        match i {
            0 => kind = Some(tr::string(v)?),
            _ => pod = Some(tr::string(v)?),
        }
        Ok(())
    })?;
    Ok(RawPod { kind: tr::present(kind, "kind", &span)?, pod: tr::present(pod, "pod", &span)? })
}

fn read_kinds(v: Value<'_>) -> Result<Spanned<OneOrMany>, tr::Error> {
    tr::spanned(v, |v| {
        Ok(match tr::one_or_many(v, "OneOrMany")? {
            Ok(one) => OneOrMany::One(one),
            Err(many) => OneOrMany::Many(many),
        })
    })
}

fn read_string(v: Value<'_>) -> Result<Spanned<String>, tr::Error> {
    tr::spanned(v, tr::string)
}

fn read_rule(v: Value<'_>) -> Result<RawRule, tr::Error> {
    let span = v.span();
    let (mut id, mut blame, mut confidence, mut priority, mut summary, mut fix) =
        (None, None, None, 0, None, empty());
    let (mut explains, mut evidence, mut intent, mut matches, mut absent) =
        (Vec::new(), None, None, None, Vec::new());
    let fields = [
        ("id", Required),
        ("blame", Required),
        ("confidence", Required),
        ("priority", Defaulted),
        ("summary", Required),
        ("fix", Defaulted),
        ("explains", Defaulted),
        ("evidence", Optional),
        ("intent", Optional),
        ("match", Required),
        ("absent", Defaulted),
    ];
    tr::read_struct(v, "struct RawRule", &fields, &mut |i, v| {
        match i {
            0 => id = Some(read_string(v)?),
            1 => blame = Some(read_string(v)?),
            2 => confidence = Some(tr::spanned(v, tr::float)?),
            3 => priority = tr::int(v)?,
            4 => summary = Some(read_string(v)?),
            5 => fix = read_string(v)?,
            6 => explains = tr::strings(v)?,
            7 => evidence = Some(tr::spanned(v, tr::strings)?),
            8 => intent = Some(read_intent(v)?),
            9 => matches = Some(tr::spanned(v, |v| tr::seq(v, read_match))?),
            _ => absent = tr::seq(v, read_match)?,
        }
        Ok(())
    })?;
    Ok(RawRule {
        id: tr::present(id, "id", &span)?,
        blame: tr::present(blame, "blame", &span)?,
        confidence: tr::present(confidence, "confidence", &span)?,
        priority,
        summary: tr::present(summary, "summary", &span)?,
        fix,
        explains,
        evidence,
        intent,
        matches: tr::present(matches, "match", &span)?,
        absent,
    })
}

fn read_intent(v: Value<'_>) -> Result<RawIntent, tr::Error> {
    let (mut require, mut forbid, mut boost) = (None, None, None);
    let fields = [("require", Optional), ("forbid", Optional), ("boost", Optional)];
    tr::read_struct(v, "struct RawIntent", &fields, &mut |i, v| {
        let s = Some(read_string(v)?);
        match i {
            0 => require = s,
            1 => forbid = s,
            _ => boost = s,
        }
        Ok(())
    })?;
    Ok(RawIntent { require, forbid, boost })
}

fn read_match(v: Value<'_>) -> Result<RawMatch, tr::Error> {
    let mut m = RawMatch {
        name: None,
        kind: None,
        where_: Default::default(),
        where_not: Default::default(),
        any: Vec::new(),
        after: None,
        before: None,
        within: None,
        between: None,
        join: Default::default(),
        scope: None,
        pick: None,
        optional: false,
    };
    let fields = [
        ("as", Optional),
        ("type", Optional),
        ("where", Defaulted),
        ("where_not", Defaulted),
        ("any", Defaulted),
        ("after", Optional),
        ("before", Optional),
        ("within", Optional),
        ("between", Optional),
        ("join", Defaulted),
        ("scope", Optional),
        ("pick", Optional),
        ("optional", Defaulted),
    ];
    tr::read_struct(v, "struct RawMatch", &fields, &mut |i, v| {
        match i {
            0 => m.name = Some(read_string(v)?),
            1 => m.kind = Some(read_kinds(v)?),
            2 => m.where_ = tr::string_map(v)?,
            3 => m.where_not = tr::string_map(v)?,
            4 => m.any = tr::seq(v, read_alt)?,
            5 => m.after = Some(read_string(v)?),
            6 => m.before = Some(read_string(v)?),
            7 => m.within = Some(read_string(v)?),
            8 => m.between = Some(tr::spanned(v, tr::strings)?),
            9 => m.join = tr::string_map(v)?,
            10 => m.scope = Some(read_string(v)?),
            11 => m.pick = Some(read_string(v)?),
            _ => m.optional = tr::boolean(v)?,
        }
        Ok(())
    })?;
    Ok(m)
}

fn read_alt(v: Value<'_>) -> Result<RawAlt, tr::Error> {
    let span = v.span();
    let (mut kind, mut where_, mut where_not) = (None, Default::default(), Default::default());
    let fields = [("type", Required), ("where", Defaulted), ("where_not", Defaulted)];
    tr::read_struct(v, "struct RawAlt", &fields, &mut |i, v| {
        match i {
            0 => kind = Some(read_kinds(v)?),
            1 => where_ = tr::string_map(v)?,
            _ => where_not = tr::string_map(v)?,
        }
        Ok(())
    })?;
    Ok(RawAlt { kind: tr::present(kind, "type", &span)?, where_, where_not })
}

/// A test on one field's value.
#[derive(Debug, Clone)]
pub enum Test {
    Equals(String),
    Regex(Regex),
    /// `>=N`, `>N`, `<=N`, `<N`, or against another field of the same event (`>=@max_attempts`).
    Compare(std::cmp::Ordering, bool, Operand),
}

#[derive(Debug, Clone)]
pub enum Operand {
    Number(f64),
    Field(String),
}

/// One alternative: event types plus field tests.
#[derive(Debug, Clone)]
pub struct Predicate {
    pub kinds: Vec<EventKind>,
    pub fields: Vec<(String, Test)>,
    pub not_fields: Vec<(String, Test)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Test,
    Run,
    /// The whole run up to the test's last event: where a cause another test left behind is found.
    Earlier,
}

#[derive(Debug, Clone)]
pub struct Clause {
    pub name: String,
    pub alternatives: Vec<Predicate>,
    /// Index of the clause this one must follow / precede.
    pub after: Option<usize>,
    pub before: Option<usize>,
    pub within_ms: Option<i64>,
    pub between: Option<(usize, usize)>,
    pub join: Vec<(String, bool, Template)>,
    pub scope: Scope,
    pub pick_last: bool,
    pub optional: bool,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub blame: Blame,
    pub confidence: f64,
    pub priority: i64,
    pub summary: String,
    pub summary_t: Template,
    pub fix: String,
    pub fix_t: Template,
    pub explains: Vec<String>,
    pub evidence: Vec<usize>,
    pub require: Option<Regex>,
    pub forbid: Option<Regex>,
    pub boost: Option<Regex>,
    pub clauses: Vec<Clause>,
    pub absent: Vec<Clause>,
}

struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
    errors: Vec<RuleError>,
}

impl Ctx<'_> {
    fn err(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, col) = crate::decode::line_col_lf(self.text.as_bytes(), span.start);
        self.errors.push(RuleError {
            file: self.file.to_string(),
            line,
            column: col,
            message: message.into(),
        });
    }

    fn regex(&mut self, s: &Spanned<String>) -> Option<Regex> {
        match RegexBuilder::new(s.get_ref())
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .build()
        {
            Ok(r) => Some(r),
            Err(e) => {
                self.err(s.span(), crate::extract::regex_error(&e));
                None
            }
        }
    }
}

/// `10m`, `90s`, `1h30m`, `500ms` → milliseconds.
pub fn duration_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let mut total: i64 = 0;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = num.parse().ok()?;
        num.clear();
        let unit = match c {
            'h' => 3_600_000,
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                1
            }
            'm' => 60_000,
            's' => 1000,
            'd' => 86_400_000,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    if !num.is_empty() {
        return None;
    }
    Some(total)
}

fn parse_kinds(ctx: &mut Ctx<'_>, k: &Spanned<OneOrMany>) -> Vec<EventKind> {
    let names: Vec<String> = match k.get_ref() {
        OneOrMany::One(s) => vec![s.clone()],
        OneOrMany::Many(v) => v.clone(),
    };
    let mut out = Vec::new();
    for n in names {
        match EventKind::parse(&n) {
            Some(kind) => out.push(kind),
            None => {
                let known: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
                ctx.err(k.span(), format!("unknown event type {n:?}; known: {}", known.join(", ")));
            }
        }
    }
    out
}

fn parse_tests(ctx: &mut Ctx<'_>, m: &tr::StringMap) -> Vec<(String, Test)> {
    let mut out = Vec::new();
    for (field, v) in m {
        let raw = v.get_ref();
        let test = if let Some(re) = raw.strip_prefix('~') {
            let spanned = Spanned::new(v.span(), re.to_string());
            match ctx.regex(&spanned) {
                Some(r) => Test::Regex(r),
                None => continue,
            }
        } else if let Some((op, eq, rest)) = comparison(raw) {
            let operand = match rest.strip_prefix('@') {
                Some(f) if !f.is_empty() => Operand::Field(f.to_string()),
                _ => match crate::parse_float::parse_f64(rest.trim()) {
                    Some(n) => Operand::Number(n),
                    None => {
                        ctx.err(
                            v.span(),
                            format!("{raw:?}: expected a number or @field after the comparison"),
                        );
                        continue;
                    }
                },
            };
            Test::Compare(op, eq, operand)
        } else {
            Test::Equals(raw.clone())
        };
        out.push((field.clone(), test));
    }
    out
}

fn comparison(s: &str) -> Option<(std::cmp::Ordering, bool, &str)> {
    use std::cmp::Ordering::*;
    if let Some(r) = s.strip_prefix(">=") {
        Some((Greater, true, r))
    } else if let Some(r) = s.strip_prefix("<=") {
        Some((Less, true, r))
    } else if let Some(r) = s.strip_prefix('>') {
        Some((Greater, false, r))
    } else {
        s.strip_prefix('<').map(|r| (Less, false, r))
    }
}

pub fn compile(file: &str, text: &str) -> Result<RuleSet, Vec<RuleError>> {
    let mut ctx = Ctx { file, text, errors: Vec::new() };
    let raw: RawFile = match tr::parse(text).and_then(read_file) {
        Ok(r) => r,
        Err(e) => {
            ctx.err(e.span, e.message);
            return Err(ctx.errors);
        }
    };
    let pods: Vec<(String, String)> = raw.pod_for.into_iter().map(|p| (p.kind, p.pod)).collect();
    let mut rules: Vec<Rule> = Vec::new();
    for r in raw.rule {
        if rules.iter().any(|x| x.id == *r.id.get_ref()) {
            ctx.err(r.id.span(), format!("duplicate rule id {:?}", r.id.get_ref()));
        }
        if let Some(rule) = compile_rule(&mut ctx, r) {
            rules.push(rule);
        }
    }
    if ctx.errors.is_empty() { Ok(RuleSet { rules, pods }) } else { Err(ctx.errors) }
}

fn compile_rule(ctx: &mut Ctx<'_>, r: RawRule) -> Option<Rule> {
    let errors_before = ctx.errors.len();
    let blame = match r.blame.get_ref().as_str() {
        "test" => Blame::Test,
        "product" => Blame::Product,
        "infrastructure" => Blame::Infrastructure,
        "unknown" => Blame::Unknown,
        other => {
            ctx.err(
                r.blame.span(),
                format!("unknown blame {other:?}; expected test, product, infrastructure or unknown"),
            );
            Blame::Unknown
        }
    };
    let confidence = *r.confidence.get_ref();
    if !(0.0..=1.0).contains(&confidence) {
        ctx.err(r.confidence.span(), "confidence must be between 0 and 1");
    }
    if r.matches.get_ref().is_empty() {
        ctx.err(r.matches.span(), "a rule needs at least one [[rule.match]]");
    }
    let mut names: Vec<String> = Vec::new();
    let mut clauses = Vec::new();
    for m in r.matches.into_inner() {
        let clause = compile_clause(ctx, m, &names, true);
        names.push(clause.name.clone());
        clauses.push(clause);
    }
    let mut absent = Vec::new();
    for m in r.absent {
        absent.push(compile_clause(ctx, m, &names, false));
    }
    let mut known = names.clone();
    known.push("test".into());
    let summary_t = template::parse(r.summary.get_ref());
    let fix_t = template::parse(r.fix.get_ref());
    for (t, span) in [(&summary_t, r.summary.span()), (&fix_t, r.fix.span())] {
        if let Some(bad) = template::unknown_capture(t, &known) {
            ctx.err(
                span,
                format!("template refers to {{{bad}}}, but no match is named {bad:?} (`as = ...`)"),
            );
        }
    }
    let evidence = match &r.evidence {
        None => (0..names.len()).collect(),
        Some(list) => {
            let mut out = Vec::new();
            for n in list.get_ref() {
                match names.iter().position(|x| x == n) {
                    Some(i) => out.push(i),
                    None => ctx.err(list.span(), format!("evidence names {n:?}, but no match is named so")),
                }
            }
            out
        }
    };
    let (mut require, mut forbid, mut boost) = (None, None, None);
    if let Some(i) = &r.intent {
        require = i.require.as_ref().and_then(|s| ctx.regex(s));
        forbid = i.forbid.as_ref().and_then(|s| ctx.regex(s));
        boost = i.boost.as_ref().and_then(|s| ctx.regex(s));
    }
    if ctx.errors.len() > errors_before {
        return None;
    }
    Some(Rule {
        id: r.id.into_inner(),
        blame,
        confidence,
        priority: r.priority,
        summary: r.summary.into_inner(),
        summary_t,
        fix: r.fix.into_inner(),
        fix_t,
        explains: r.explains,
        evidence,
        require,
        forbid,
        boost,
        clauses,
        absent,
    })
}

fn compile_clause(ctx: &mut Ctx<'_>, m: RawMatch, earlier: &[String], named: bool) -> Clause {
    let name = match (&m.name, named) {
        (Some(n), true) => {
            if earlier.contains(n.get_ref()) || n.get_ref() == "test" {
                ctx.err(n.span(), format!("the name {:?} is used twice", n.get_ref()));
            }
            n.get_ref().clone()
        }
        (Some(n), false) => n.get_ref().clone(),
        (None, _) => format!("match{}", earlier.len() + 1),
    };
    let mut alternatives = Vec::new();
    if let Some(k) = &m.kind {
        alternatives.push(Predicate {
            kinds: parse_kinds(ctx, k),
            fields: parse_tests(ctx, &m.where_),
            not_fields: parse_tests(ctx, &m.where_not),
        });
    }
    for a in &m.any {
        alternatives.push(Predicate {
            kinds: parse_kinds(ctx, &a.kind),
            fields: parse_tests(ctx, &a.where_),
            not_fields: parse_tests(ctx, &a.where_not),
        });
    }
    if alternatives.is_empty() {
        let span = m.name.as_ref().map(|n| n.span()).unwrap_or(0..0);
        ctx.err(span, "a match needs `type` (or `any = [...]` alternatives)");
    }
    let mut refer = |s: &Option<Spanned<String>>| -> Option<usize> {
        let s = s.as_ref()?;
        match earlier.iter().position(|x| x == s.get_ref()) {
            Some(i) => Some(i),
            None => {
                ctx.err(s.span(), format!("{:?} is not the name of an earlier match", s.get_ref()));
                None
            }
        }
    };
    let after = refer(&m.after);
    let before = refer(&m.before);
    let between = m.between.as_ref().and_then(|b| {
        let list = b.get_ref();
        let pos = |n: &String| earlier.iter().position(|x| x == n);
        match (list.len(), list.first().and_then(pos), list.get(1).and_then(pos)) {
            (2, Some(a), Some(c)) => Some((a, c)),
            _ => {
                ctx.err(b.span(), "`between` takes the names of two earlier matches");
                None
            }
        }
    });
    let within_ms = m.within.as_ref().and_then(|w| {
        let d = duration_ms(w.get_ref());
        if d.is_none() {
            ctx.err(w.span(), format!("{:?} is not a duration (e.g. 90s, 10m, 1h30m)", w.get_ref()));
        }
        d
    });
    if within_ms.is_some() && after.is_none() && before.is_none() {
        let span = m.within.as_ref().map(|w| w.span()).unwrap_or(0..0);
        ctx.err(span, "`within` needs `after` or `before`");
    }
    let mut join = Vec::new();
    for (field, v) in &m.join {
        let (contains, raw) = match v.get_ref().strip_prefix('~') {
            Some(r) => (true, r),
            None => (false, v.get_ref().as_str()),
        };
        let t = template::parse(raw);
        if let Some(bad) = template::unknown_capture(&t, earlier) {
            ctx.err(v.span(), format!("join refers to {{{bad}}}, but no earlier match is named {bad:?}"));
        }
        join.push((field.clone(), contains, t));
    }
    let scope = match m.scope.as_ref().map(|s| s.get_ref().as_str()) {
        None | Some("test") => Scope::Test,
        Some("run") => Scope::Run,
        Some("earlier") => Scope::Earlier,
        Some(other) => {
            if let Some(s) = &m.scope {
                ctx.err(s.span(), format!("unknown scope {other:?}; expected test, run or earlier"));
            }
            Scope::Test
        }
    };
    let pick_last = match m.pick.as_ref().map(|s| s.get_ref().as_str()) {
        None | Some("first") => false,
        Some("last") => true,
        Some(other) => {
            if let Some(s) = &m.pick {
                ctx.err(s.span(), format!("unknown pick {other:?}; expected first or last"));
            }
            false
        }
    };
    Clause {
        name,
        alternatives,
        after,
        before,
        within_ms,
        between,
        join,
        scope,
        pick_last,
        optional: m.optional,
    }
}

/// The raw shapes `text` reads as (for `toml_read`'s parity test against serde).
#[cfg(test)]
pub(crate) fn read_debug(text: &str) -> Result<String, tr::Error> {
    tr::parse(text).and_then(read_file).map(|r| format!("{r:?}"))
}
