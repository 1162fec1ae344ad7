//! Gates: for each pattern, a small set of lowercase literals such that every line the pattern can
//! match contains at least one of them (ASCII case-insensitively). A log is searched once for the union
//! of the gates, and only the lines a gate literal occurs in are looked at further; every other line is
//! known to produce no event.
//!
//! A pack's `contains` literals are all required, so each is a gate on its own; but authors write
//! common words there (`wait`, `volume `, `e  `). The regex usually says more: `\bpod (?P<n>…) is
//! (?P<state>running|pending|…)` needs one of ` is running`, ` is pending`, …, which are rare. So the
//! gate is chosen among the `contains` literals and the literal sets derived here from the regex's
//! syntax tree, by an estimate of how rare each set is.
//!
//! Derivation is conservative: a set is only ever reported when every match of the regex contains one
//! of its members (as bytes, before ASCII case folding). Anything the walk cannot follow exactly (large
//! classes, optional parts, look-arounds the engine may treat specially) ends a literal instead of
//! guessing, so a gate can be weaker than ideal but never wrong.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Most literals kept in one derived set; cross products beyond it are cut into separate runs.
const MAX_SET: usize = 16;
/// A literal this long is rare enough; a run is not multiplied out beyond it.
const LONG_ENOUGH: usize = 8;
/// Most distinct characters a class may have and still count as literal text (`[Pp]`, `[sSſ]`, `\d`
/// is ten and is not literal text).
const MAX_CLASS: usize = 4;

/// A set of literals (lowercase bytes), one of which every match contains.
pub(crate) type LitSet = Vec<Vec<u8>>;

/// What a node of the syntax tree tells about the text it matches.
struct Info {
    /// Every string the node can match, when that is a small finite set (lowercased).
    exact: Option<LitSet>,
    /// The best necessary set found inside the node, when it is not exact.
    need: Option<LitSet>,
}

impl Info {
    fn none() -> Info {
        Info { exact: None, need: None }
    }

    /// The best set one of whose members every match of this node contains.
    fn necessary(self) -> Option<LitSet> {
        let exact = self.exact.filter(|s| s.iter().all(|l| !l.is_empty()));
        better(exact, self.need)
    }
}

/// The literal set derived from `regex` (the pack's pattern source), or `None` when the regex does not
/// parse here or yields nothing literal. Parsed with regex's own default syntax options, so the tree is
/// the one the engine compiles.
pub(crate) fn derive(regex: &str) -> Option<LitSet> {
    let hir = regex_syntax::parse(regex).ok()?;
    walk(&hir).necessary().map(ascii_only).and_then(nonempty).map(reduce)
}

/// Each member cut to its longest ASCII run: `(?i)s` also matches `ſ`, which doubles a set for a
/// spelling no log uses; ` iſ healthy` becomes ` healthy`, which every such match still contains.
/// Smaller sets keep the union within what the SIMD search takes (64 literals).
fn ascii_only(set: LitSet) -> LitSet {
    set.into_iter()
        .map(|l| {
            l.split(|b| !b.is_ascii()).max_by_key(|run| run.len()).map(<[u8]>::to_vec).unwrap_or_default()
        })
        .collect()
}

fn walk(h: &Hir) -> Info {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => Info { exact: Some(vec![Vec::new()]), need: None },
        HirKind::Literal(l) => Info { exact: Some(vec![l.0.to_ascii_lowercase()]), need: None },
        HirKind::Class(c) => Info { exact: class_text(c), need: None },
        HirKind::Repetition(r) => {
            let sub = walk(&r.sub);
            if r.min == 0 {
                // `x?` is `x` or nothing: still exact when `x` is, so `wait(?:ing)? for` gives both.
                return match sub.exact {
                    Some(mut e) if r.max == Some(1) && e.len() < MAX_SET => {
                        e.push(Vec::new());
                        dedup(&mut e);
                        Info { exact: Some(e), need: None }
                    }
                    _ => Info::none(),
                };
            }
            if r.max == Some(1) { sub } else { Info { exact: None, need: sub.necessary() } }
        }
        HirKind::Capture(c) => walk(&c.sub),
        HirKind::Concat(parts) => concat(parts),
        HirKind::Alternation(alts) => alternation(alts),
    }
}

/// Runs of exact parts are multiplied out into literal sets; each run and each inexact part's own set is
/// a candidate, and the best candidate is the concatenation's.
fn concat(parts: &[Hir]) -> Info {
    let mut run: LitSet = vec![Vec::new()];
    let mut whole_exact = true;
    let mut need: Option<LitSet> = None;
    for part in parts {
        let info = walk(part);
        match info.exact {
            Some(e) => {
                let product = cross(&run, &e);
                // A run long enough to be rare is not multiplied into more literals: the search takes
                // few literals best (`delete_namespaced_pod(` rather than four spellings of what follows).
                let long = run.iter().all(|l| l.len() >= LONG_ENOUGH) && product.len() > run.len();
                if product.len() > MAX_SET || long {
                    whole_exact = false;
                    need = better(need, nonempty(std::mem::replace(&mut run, e)));
                } else {
                    run = product;
                }
            }
            None => {
                whole_exact = false;
                need = better(need, nonempty(std::mem::replace(&mut run, vec![Vec::new()])));
                need = better(need, info.need);
            }
        }
    }
    if whole_exact {
        Info { exact: Some(run), need: None }
    } else {
        Info { exact: None, need: better(need, nonempty(run)) }
    }
}

/// Every branch must contribute a set, and the union is the alternation's.
fn alternation(alts: &[Hir]) -> Info {
    let infos: Vec<Info> = alts.iter().map(walk).collect();
    if infos.iter().all(|i| i.exact.is_some()) {
        let mut all: LitSet = infos.into_iter().flat_map(|i| i.exact.unwrap_or_default()).collect();
        dedup(&mut all);
        return if all.len() <= MAX_SET { Info { exact: Some(all), need: None } } else { Info::none() };
    }
    let mut union = LitSet::new();
    for info in infos {
        match info.necessary() {
            Some(set) => union.extend(set),
            None => return Info::none(),
        }
    }
    let union = reduce(union);
    if union.len() > MAX_SET { Info::none() } else { Info { exact: None, need: Some(union) } }
}

/// A class with a few characters is literal text: `[Pp]` is `p`, `(?i)s` is `[Ssſ]`, `s` and `ſ`.
/// Characters are kept as their UTF-8 bytes, ASCII letters lowercased.
fn class_text(c: &Class) -> Option<LitSet> {
    let mut out = LitSet::new();
    match c {
        Class::Unicode(u) => {
            for r in u.ranges() {
                let (lo, hi) = (r.start() as u32, r.end() as u32);
                if hi - lo >= MAX_CLASS as u32 * 2 {
                    return None;
                }
                for cp in lo..=hi {
                    let ch = char::from_u32(cp)?;
                    let mut buf = [0u8; 4];
                    out.push(ch.encode_utf8(&mut buf).as_bytes().to_ascii_lowercase());
                }
            }
        }
        Class::Bytes(b) => {
            for r in b.ranges() {
                if r.end() - r.start() >= MAX_CLASS as u8 * 2 {
                    return None;
                }
                out.extend((r.start()..=r.end()).map(|b| vec![b.to_ascii_lowercase()]));
            }
        }
    }
    dedup(&mut out);
    (out.len() <= MAX_CLASS).then_some(out)
}

fn cross(a: &LitSet, b: &LitSet) -> LitSet {
    let mut out = LitSet::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut l = x.clone();
            l.extend_from_slice(y);
            out.push(l);
        }
    }
    dedup(&mut out);
    out
}

fn nonempty(set: LitSet) -> Option<LitSet> {
    (!set.is_empty() && set.iter().all(|l| !l.is_empty())).then_some(set)
}

fn dedup(set: &mut LitSet) {
    // The crate's one stable sort (see `sort`): another instantiation would add to the wasm module.
    crate::sort::sort_by(set, |a, b| a.cmp(b));
    set.dedup();
}

/// Drops members that contain another member: a text holding the longer holds the shorter too, so the
/// shorter alone is as necessary and the set gets smaller.
pub(crate) fn reduce(mut set: LitSet) -> LitSet {
    dedup(&mut set);
    let keep: Vec<bool> = set
        .iter()
        .enumerate()
        .map(|(i, l)| !set.iter().enumerate().any(|(j, m)| j != i && m.len() < l.len() && contains(l, m)))
        .collect();
    set.into_iter().zip(keep).filter_map(|(l, k)| k.then_some(l)).collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// The better (rarer, by [`score`]) of two candidate sets.
fn better(a: Option<LitSet>, b: Option<LitSet>) -> Option<LitSet> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if score(&b) > score(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// An estimate of how rarely a set's members occur in text, in rough bits: letters are common and
/// spaces more so, punctuation rarer; each doubling of the set's size halves its rarity. The weakest
/// member decides.
pub(crate) fn score(set: &LitSet) -> i64 {
    let weakest = set
        .iter()
        .map(|l| {
            l.iter()
                .map(|&b| match b {
                    b' ' => 2,
                    b'a'..=b'z' | b'0'..=b'9' => 4,
                    _ => 5,
                })
                .sum::<i64>()
        })
        .min()
        .unwrap_or(0);
    weakest - i64::from(usize::BITS - set.len().saturating_sub(1).leading_zeros())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(regex: &str) -> Vec<String> {
        derive(regex)
            .unwrap_or_default()
            .into_iter()
            .map(|l| String::from_utf8_lossy(&l).into_owned())
            .collect()
    }

    #[test]
    fn alternatives_after_a_capture_beat_a_common_prefix() {
        assert_eq!(
            set(r"\bpod (?P<name>[a-z0-9][\w.\-]*) is (?P<state>running|pending)\b"),
            [" is pending", " is running"]
        );
    }

    #[test]
    fn case_insensitive_letters_fold_and_odd_folds_stay_exact() {
        // (?i)s also matches U+017F (ſ): the set must hold both spellings.
        assert_eq!(set(r"(?i)is (?:xyz)"), [" xyz"]);
        assert_eq!(set(r"(?i)\bé"), Vec::<String>::new());
        assert_eq!(set(r"(?i)timed out waiting"), ["timed out waiting"]);
    }

    #[test]
    fn optional_and_large_parts_give_nothing_wrong() {
        assert_eq!(set(r"a?"), Vec::<String>::new());
        assert_eq!(set(r"(?i)\bwait(?:ing)? for (?P<c>.+)"), ["wait for ", "waiting for "]);
        assert_eq!(set(r"\d+"), Vec::<String>::new());
        assert_eq!(
            set(r"(?:Connection|Operation) timed out"),
            ["connection timed out", "operation timed out"]
        );
        // One branch with no literal makes the whole alternation unusable.
        assert_eq!(set(r"(?:abcdef|\w+)"), Vec::<String>::new());
        assert_eq!(set(r"(?:assert|AssertionError)\b.*"), ["assert"]);
    }
}
