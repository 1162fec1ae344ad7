//! The literal searches of a pack: Aho-Corasick DFAs, and only DFAs.
//!
//! Why not `aho_corasick::AhoCorasick`: it picks its representation at run time behind a trait
//! object, so every program using it carries the search code of all three (two NFAs and the DFA)
//! even when, as here, the DFA is always asked for. Holding `dfa::DFA` directly leaves the NFAs'
//! search code out of the browser package. A literal set too large for one DFA (a huge user pack)
//! is split in halves until each part builds, where `AhoCorasick` would have fallen back to an NFA.

use std::sync::Arc;

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::{Builder, DFA};
use aho_corasick::{Input, MatchKind};

/// One or more DFAs over consecutive runs of a literal list. Shared, not copied, when a pack is
/// cloned (each analysis clones the built-in one).
#[derive(Debug, Clone)]
pub(crate) struct Automata {
    parts: Arc<[Part]>,
}

/// A DFA over the literals from `first` on.
#[derive(Debug)]
pub(crate) struct Part {
    dfa: DFA,
    first: u32,
}

impl Automata {
    /// DFAs over `literals` (leftmost-first or standard matching, optionally ASCII case-insensitive)
    /// of at most `per_part` literals each, split evenly. `None` when there are no literals, or a
    /// single literal cannot be built (the automaton's own limits; not seen in practice). Byte slices
    /// only: each literal type compiled aho-corasick's automaton builder again.
    pub(crate) fn build(
        literals: &[&[u8]],
        kind: MatchKind,
        ascii_case_insensitive: bool,
        per_part: usize,
    ) -> Option<Automata> {
        if literals.is_empty() {
            return None;
        }
        let mut builder = Builder::new();
        builder.match_kind(kind).ascii_case_insensitive(ascii_case_insensitive);
        let per = literals.len().div_ceil(literals.len().div_ceil(per_part.max(1)));
        let mut parts = Vec::new();
        for (i, chunk) in literals.chunks(per).enumerate() {
            build_into(&builder, chunk, (i * per) as u32, &mut parts)?;
        }
        Some(Automata { parts: parts.into() })
    }

    pub(crate) fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Calls `found(literal)` for every occurrence of every literal in `text`, overlapping ones
    /// included (needs standard matching).
    pub(crate) fn each_overlapping(&self, text: &[u8], mut found: impl FnMut(usize)) {
        for part in self.parts.iter() {
            let Ok(matches) = part.dfa.try_find_overlapping_iter(Input::new(text)) else { continue };
            for m in matches {
                found(part.first as usize + m.pattern().as_usize());
            }
        }
    }
}

impl Part {
    /// The leftmost-first match in `text[from..]`, its literal numbered in the whole list.
    pub(crate) fn find_from(&self, text: &[u8], from: usize) -> Option<(usize, u32)> {
        let m = self.dfa.try_find(&Input::new(text).range(from..)).ok()??;
        Some((m.start(), self.first + m.pattern().as_u32()))
    }
}

/// Builds `literals` into `out` as one DFA, or as the DFAs of its halves if it is too large.
fn build_into(builder: &Builder, literals: &[&[u8]], first: u32, out: &mut Vec<Part>) -> Option<()> {
    match builder.build(literals) {
        Ok(dfa) => {
            out.push(Part { dfa, first });
            Some(())
        }
        Err(_) if literals.len() > 1 => {
            let half = literals.len() / 2;
            build_into(builder, &literals[..half], first, out)?;
            build_into(builder, &literals[half..], first + half as u32, out)
        }
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_occurrences_are_numbered_across_parts() {
        let lits: [&[u8]; 5] = [b"delete", b"DELETE pod", b"pod", b"share", b"sharemanager"];
        let all = Automata::build(&lits, MatchKind::Standard, true, usize::MAX).expect("automata");
        let split = Automata::build(&lits, MatchKind::Standard, true, 2).expect("automata");
        assert_eq!(all.parts().len(), 1);
        assert_eq!(split.parts().len(), 3);
        for a in [&all, &split] {
            let mut seen = Vec::new();
            a.each_overlapping(b"kubectl delete pod share-manager; Delete sharemanager", |i| seen.push(i));
            seen.sort_unstable();
            assert_eq!(seen, [0, 0, 1, 2, 3, 3, 4]);
        }
    }

    #[test]
    fn leftmost_first_search_restarts_anywhere_and_numbers_across_parts() {
        let lits: [&[u8]; 3] = [b"abc", b"bcd", b"cd"];
        let a = Automata::build(&lits, MatchKind::LeftmostFirst, false, 2).expect("automata");
        let hits: Vec<_> = a
            .parts()
            .iter()
            .map(|p| {
                let mut out = Vec::new();
                let mut at = 0;
                while let Some((start, lit)) = p.find_from(b"xabcd", at) {
                    out.push((start, lit));
                    at = start + 1;
                }
                out
            })
            .collect();
        assert_eq!(hits, [vec![(1, 0), (2, 1)], vec![(3, 2)]]);
    }

    #[test]
    fn no_literals_no_automata() {
        assert!(Automata::build(&[], MatchKind::Standard, false, 8).is_none());
    }
}
