//! Summary, fix and join templates: `{deleted.name}`, `{failure.time}`, `{failure.source}`,
//! `{deleted.pod}`, `{test.name}`, with fallbacks `{failure.error|failure.got|'unknown'}`.

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    /// Alternatives, tried in order: `(capture, field)` or a quoted literal.
    Slot(Vec<Alt>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Alt {
    Field(String, String),
    Literal(String),
}

pub type Template = Vec<Part>;

pub fn parse(s: &str) -> Template {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        if open > 0 {
            out.push(Part::Text(rest[..open].to_string()));
        }
        let inner = &rest[open + 1..close];
        let alts = inner
            .split('|')
            .map(|a| {
                let a = a.trim();
                if let Some(lit) = a.strip_prefix('\'').and_then(|l| l.strip_suffix('\'')) {
                    Alt::Literal(lit.to_string())
                } else {
                    let (cap, field) = a.split_once('.').unwrap_or((a, ""));
                    Alt::Field(cap.to_string(), field.to_string())
                }
            })
            .collect();
        out.push(Part::Slot(alts));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Part::Text(rest.to_string()));
    }
    out
}

/// The first capture a template names that is not in `known`.
pub fn unknown_capture(t: &Template, known: &[String]) -> Option<String> {
    t.iter().find_map(|p| match p {
        Part::Slot(alts) => alts.iter().find_map(|a| match a {
            Alt::Field(cap, _) if !known.contains(cap) => Some(cap.clone()),
            _ => None,
        }),
        Part::Text(_) => None,
    })
}

/// Renders with `lookup(capture, field)`; a slot whose alternatives all miss renders as `?`.
pub fn render(t: &Template, lookup: &dyn Fn(&str, &str) -> Option<String>) -> String {
    let mut out = String::new();
    for p in t {
        match p {
            Part::Text(s) => out.push_str(s),
            Part::Slot(alts) => {
                let v = alts.iter().find_map(|a| match a {
                    Alt::Field(c, f) => lookup(c, f).filter(|v| !v.is_empty()),
                    Alt::Literal(l) => Some(l.clone()),
                });
                out.push_str(v.as_deref().unwrap_or("?"));
            }
        }
    }
    out
}
