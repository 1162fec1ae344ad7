//! The regexes of packs, rules, fingerprints and log searches, run on regex-automata's engines directly.
//!
//! The `regex` crate puts these same engines behind its `meta` layer, which picks a strategy at run
//! time through a trait object: every strategy (three reverse-search ones, literal-only ones) was linked
//! into the wasm module with its `Debug` code, about 25 KB gzipped, though without literal prefilters
//! only one of them, the core one, is ever chosen. This module is that core strategy: the lazy DFA finds
//! where a match is (forward, then backward for its start), and captures are resolved on that span only,
//! by the one-pass DFA when the regex is one-pass, else by the bounded backtracker, else by the PikeVM;
//! when the lazy DFA gives up (its cache thrashes, or a Unicode `\b` meets a non-ASCII byte) those run
//! on the whole haystack. Builder settings and match semantics are the `regex` crate's, so results are
//! the same match for match; tests compare both crates over the built-in pack and fixtures. An error
//! is one line, the `error:` line of the `regex` crate's text (which also repeats the pattern with a
//! caret under the problem: regex-syntax's formatter for that was 1.5 KB of the gzipped module).

use std::borrow::Cow;
use std::fmt;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::Arc;

use regex_automata::dfa::onepass;
use regex_automata::hybrid;
use regex_automata::nfa::thompson::{self, NFA, WhichCaptures, backtrack, pikevm};
use regex_automata::util::captures::Captures as Slots;
use regex_automata::util::iter::Searcher;
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::util::prefilter::Prefilter;
use regex_automata::util::primitives::NonMaxUsize;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, PatternID};
use regex_syntax::hir::{Hir, Look};

/// The `regex` crate's defaults: a 10 MiB program, a 2 MiB lazy-DFA cache, a 1 MiB one-pass DFA.
const DEFAULT_SIZE_LIMIT: usize = 10 << 20;
const DEFAULT_DFA_SIZE_LIMIT: usize = 2 << 20;
const ONEPASS_SIZE_LIMIT: usize = 1 << 20;

/// Why a pattern did not compile, in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// What is wrong with the pattern (`unclosed group`).
    Syntax(String),
    /// The compiled program would exceed this many bytes.
    CompiledTooBig(usize),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Syntax(text) => f.write_str(text),
            Error::CompiledTooBig(limit) => write!(f, "Compiled regex exceeds size limit of {limit} bytes."),
        }
    }
}

impl std::error::Error for Error {}

/// `text` with every regex metacharacter escaped, so it matches itself.
pub fn escape(text: &str) -> String {
    regex_syntax::escape(text)
}

/// A pattern's settings before it is compiled.
pub struct RegexBuilder<'p> {
    pattern: &'p str,
    case_insensitive: bool,
    size_limit: usize,
    dfa_size_limit: usize,
}

impl<'p> RegexBuilder<'p> {
    pub fn new(pattern: &'p str) -> RegexBuilder<'p> {
        RegexBuilder {
            pattern,
            case_insensitive: false,
            size_limit: DEFAULT_SIZE_LIMIT,
            dfa_size_limit: DEFAULT_DFA_SIZE_LIMIT,
        }
    }

    pub fn case_insensitive(&mut self, yes: bool) -> &mut Self {
        self.case_insensitive = yes;
        self
    }

    /// The largest compiled program, in bytes.
    pub fn size_limit(&mut self, bytes: usize) -> &mut Self {
        self.size_limit = bytes;
        self
    }

    /// The lazy DFA's cache, in bytes.
    pub fn dfa_size_limit(&mut self, bytes: usize) -> &mut Self {
        self.dfa_size_limit = bytes;
        self
    }

    pub fn build(&self) -> Result<Regex, Error> {
        let config = syntax::Config::new().case_insensitive(self.case_insensitive).utf8(true);
        let hir = syntax::parse_with(self.pattern, &config).map_err(syntax_error)?;
        let engines = Engines::new(self.pattern, &hir, self.size_limit, self.dfa_size_limit)?;
        Ok(Regex::from_engines(Arc::new(engines)))
    }
}

/// The engines of one pattern, shared by every clone of its [`Regex`].
struct Engines {
    pattern: Box<str>,
    nfa: NFA,
    pikevm: pikevm::PikeVM,
    backtrack: backtrack::BoundedBacktracker,
    /// Only for regexes with explicit groups (or a Unicode `\b`) that are one-pass.
    onepass: Option<onepass::DFA>,
    /// `None` when the lazy DFA could not be built (its cache limit is below what the pattern needs).
    hybrid: Option<hybrid::regex::Regex>,
    anchored_start: bool,
    min_len: Option<usize>,
}

impl Engines {
    fn new(pattern: &str, hir: &Hir, size_limit: usize, dfa_size_limit: usize) -> Result<Engines, Error> {
        let props = hir.properties();
        let anchored_start = props.look_set_prefix().contains(Look::Start);
        let thompson = thompson::Config::new()
            .utf8(true)
            .nfa_size_limit(Some(size_limit))
            .shrink(false)
            .which_captures(WhichCaptures::All);
        let nfa =
            thompson::Compiler::new().configure(thompson.clone()).build_from_hir(hir).map_err(nfa_error)?;
        let pre = if anchored_start { None } else { prefilter(hir) };
        let pikevm = pikevm::Builder::new()
            .configure(pikevm::Config::new().match_kind(MatchKind::LeftmostFirst).prefilter(pre.clone()))
            .build_from_nfa(nfa.clone())
            .map_err(nfa_error)?;
        let backtrack = backtrack::Builder::new()
            .configure(backtrack::Config::new().prefilter(pre.clone()))
            .build_from_nfa(nfa.clone())
            .map_err(nfa_error)?;
        let onepass = if props.explicit_captures_len() > 0 || props.look_set().contains_word_unicode() {
            onepass::Builder::new()
                .configure(
                    onepass::Config::new()
                        .match_kind(MatchKind::LeftmostFirst)
                        .starts_for_each_pattern(true)
                        .byte_classes(true)
                        .size_limit(Some(ONEPASS_SIZE_LIMIT)),
                )
                .build_from_nfa(nfa.clone())
                .ok()
        } else {
            None
        };
        let reverse = thompson::Compiler::new()
            .configure(thompson.which_captures(WhichCaptures::None).reverse(true))
            .build_from_hir(hir)
            .map_err(nfa_error)?;
        let hybrid = lazy_dfa(&nfa, &reverse, pre, dfa_size_limit);
        Ok(Engines {
            pattern: pattern.into(),
            nfa,
            pikevm,
            backtrack,
            onepass,
            hybrid,
            anchored_start,
            min_len: props.minimum_len(),
        })
    }

    fn create_cache(&self) -> Cache {
        Cache {
            pikevm: self.pikevm.create_cache(),
            backtrack: self.backtrack.create_cache(),
            onepass: self.onepass.as_ref().map(onepass::DFA::create_cache),
            hybrid: self.hybrid.as_ref().map(hybrid::regex::Regex::create_cache),
        }
    }

    /// No match can start in this input: it begins past an anchored start, or is shorter than any match.
    fn is_impossible(&self, input: &Input<'_>) -> bool {
        (input.start() > 0 && self.anchored_start) || self.min_len.is_some_and(|n| input.get_span().len() < n)
    }

    fn is_match(&self, cache: &mut Cache, input: &Input<'_>) -> bool {
        if self.is_impossible(input) {
            return false;
        }
        if let (Some(dfa), Some(c)) = (&self.hybrid, &mut cache.hybrid)
            && let Ok(found) = dfa.forward().try_search_fwd(c.as_parts_mut().0, input)
        {
            return found.is_some();
        }
        if self.onepass_for(input).is_some() {
            return self.slots_nofail(cache, input, &mut []).is_some();
        }
        if self.backtrack_for(input) {
            return self.backtrack.try_is_match(&mut cache.backtrack, input.clone()).unwrap_or(false);
        }
        self.pikevm.is_match(&mut cache.pikevm, input.clone())
    }

    /// The leftmost-first match's bounds.
    fn search(&self, cache: &mut Cache, input: &Input<'_>) -> Option<regex_automata::Match> {
        if self.is_impossible(input) {
            return None;
        }
        if let (Some(dfa), Some(c)) = (&self.hybrid, &mut cache.hybrid)
            && let Ok(found) = dfa.try_search(c, input)
        {
            return found;
        }
        let mut slots = [None, None];
        let pid = self.slots_nofail(cache, input, &mut slots)?;
        let (start, end) = (slots[0]?.get(), slots[1]?.get());
        Some(regex_automata::Match::new(pid, start..end))
    }

    /// Every group of the leftmost-first match: its bounds from the lazy DFA, then its groups from an
    /// engine that resolves them, run over those bounds only.
    fn captures(&self, cache: &mut Cache, input: &Input<'_>, caps: &mut Slots) {
        caps.set_pattern(None);
        if self.is_impossible(input) {
            return;
        }
        if self.nfa.group_info().explicit_slot_len() == 0 {
            if let Some(m) = self.search(cache, input) {
                let slots = caps.slots_mut();
                slots[0] = NonMaxUsize::new(m.start());
                slots[1] = NonMaxUsize::new(m.end());
                caps.set_pattern(Some(m.pattern()));
            }
            return;
        }
        let pid = if self.onepass_for(input).is_some() {
            self.slots_nofail(cache, input, caps.slots_mut())
        } else {
            let bounds = match (&self.hybrid, &mut cache.hybrid) {
                (Some(dfa), Some(c)) => dfa.try_search(c, input).ok(),
                _ => None,
            };
            match bounds {
                Some(None) => None,
                Some(Some(m)) => {
                    let span =
                        input.clone().span(m.start()..m.end()).anchored(Anchored::Pattern(m.pattern()));
                    self.slots_nofail(cache, &span, caps.slots_mut())
                }
                None => self.slots_nofail(cache, input, caps.slots_mut()),
            }
        };
        caps.set_pattern(pid);
    }

    fn onepass_for(&self, input: &Input<'_>) -> Option<&onepass::DFA> {
        let dfa = self.onepass.as_ref()?;
        (input.get_anchored().is_anchored() || self.nfa.is_always_start_anchored()).then_some(dfa)
    }

    /// The backtracker is fast on short spans but cannot stop early at a match it is sure of, and it
    /// refuses spans longer than its visited set allows.
    fn backtrack_for(&self, input: &Input<'_>) -> bool {
        !(input.get_earliest() && input.haystack().len() > 128)
            && input.get_span().len() < self.backtrack.max_haystack_len()
    }

    /// Group slots by the engines that cannot fail.
    fn slots_nofail(
        &self,
        cache: &mut Cache,
        input: &Input<'_>,
        slots: &mut [Option<NonMaxUsize>],
    ) -> Option<PatternID> {
        if let (Some(dfa), Some(c)) = (self.onepass_for(input), &mut cache.onepass)
            && let Ok(pid) = dfa.try_search_slots(c, input, slots)
        {
            return pid;
        }
        if self.backtrack_for(input)
            && let Ok(pid) = self.backtrack.try_search_slots(&mut cache.backtrack, input, slots)
        {
            return pid;
        }
        self.pikevm.search_slots(&mut cache.pikevm, input, slots)
    }
}

fn syntax_error(e: regex_syntax::Error) -> Error {
    Error::Syntax(match e {
        regex_syntax::Error::Parse(e) => e.kind().to_string(),
        regex_syntax::Error::Translate(e) => e.kind().to_string(),
        _ => "invalid syntax".to_string(),
    })
}

fn nfa_error(e: thompson::BuildError) -> Error {
    match e.size_limit() {
        Some(limit) => Error::CompiledTooBig(limit),
        None => Error::Syntax("error building NFA".to_string()),
    }
}

/// A prefilter from the pattern's literal prefixes, in builds with the `literal-prefilters` feature.
#[cfg(feature = "literal-prefilters")]
fn prefilter(hir: &Hir) -> Option<Prefilter> {
    Prefilter::from_hir_prefix(MatchKind::LeftmostFirst, hir)
}

#[cfg(not(feature = "literal-prefilters"))]
fn prefilter(_: &Hir) -> Option<Prefilter> {
    None
}

/// The lazy DFA with the `regex` crate's settings; `None` when its cache is too small for the pattern.
fn lazy_dfa(
    nfa: &NFA,
    reverse: &NFA,
    pre: Option<Prefilter>,
    cache_bytes: usize,
) -> Option<hybrid::regex::Regex> {
    let specialize = pre.is_some();
    let config = hybrid::dfa::Config::new()
        .match_kind(MatchKind::LeftmostFirst)
        .prefilter(pre)
        .starts_for_each_pattern(true)
        .byte_classes(true)
        .unicode_word_boundary(true)
        .specialize_start_states(specialize)
        .cache_capacity(cache_bytes)
        .skip_cache_capacity_check(false)
        .minimum_cache_clear_count(Some(3))
        .minimum_bytes_per_state(Some(10));
    let forward = hybrid::dfa::Builder::new().configure(config.clone()).build_from_nfa(nfa.clone()).ok()?;
    let backward = hybrid::dfa::Builder::new()
        .configure(config.match_kind(MatchKind::All).prefilter(None).specialize_start_states(false))
        .build_from_nfa(reverse.clone())
        .ok()?;
    Some(hybrid::regex::Builder::new().build_from_dfas(forward, backward))
}

/// Each engine's scratch space; one per thread searching at a time, kept in the regex's pool.
struct Cache {
    pikevm: pikevm::Cache,
    backtrack: backtrack::Cache,
    onepass: Option<onepass::Cache>,
    hybrid: Option<hybrid::regex::Cache>,
}

type CacheFn = Box<dyn Fn() -> Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// A compiled regex; cheap to clone (clones share the engines, each has its own caches).
pub struct Regex {
    engines: Arc<Engines>,
    pool: Pool<Cache, CacheFn>,
}

impl Clone for Regex {
    fn clone(&self) -> Regex {
        Regex::from_engines(Arc::clone(&self.engines))
    }
}

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Regex").field(&self.as_str()).finish()
    }
}

impl Regex {
    pub fn new(pattern: &str) -> Result<Regex, Error> {
        RegexBuilder::new(pattern).build()
    }

    fn from_engines(engines: Arc<Engines>) -> Regex {
        let shared = Arc::clone(&engines);
        let create: CacheFn = Box::new(move || shared.create_cache());
        Regex { engines, pool: Pool::new(create) }
    }

    /// The pattern this regex was compiled from.
    pub fn as_str(&self) -> &str {
        &self.engines.pattern
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.engines.is_match(&mut self.pool.get(), &Input::new(haystack).earliest(true))
    }

    /// The leftmost-first match's groups, or `None` when there is no match.
    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        let mut slots = Slots::all(self.engines.nfa.group_info().clone());
        self.engines.captures(&mut self.pool.get(), &Input::new(haystack), &mut slots);
        slots.is_match().then_some(Captures { haystack, slots })
    }

    /// The successive non-overlapping matches.
    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> Matches<'r, 'h> {
        Matches {
            engines: &self.engines,
            cache: self.pool.get(),
            haystack,
            searcher: Searcher::new(Input::new(haystack)),
        }
    }

    /// Each group's name (`None` for unnamed groups, and for the whole match first).
    pub fn capture_names(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        self.engines.nfa.group_info().pattern_names(PatternID::ZERO)
    }

    /// `haystack` with every match replaced by `with`, taken literally (no `$group` expansion).
    pub fn replace_all<'h>(&self, haystack: &'h str, with: &str) -> Cow<'h, str> {
        let mut matches = self.find_iter(haystack).peekable();
        if matches.peek().is_none() {
            return Cow::Borrowed(haystack);
        }
        let mut out = String::with_capacity(haystack.len());
        let mut last = 0;
        for m in matches {
            out.push_str(&haystack[last..m.start()]);
            out.push_str(with);
            last = m.end();
        }
        out.push_str(&haystack[last..]);
        Cow::Owned(out)
    }
}

/// The iterator of [`Regex::find_iter`]; it holds one cache for the whole walk.
pub struct Matches<'r, 'h> {
    engines: &'r Engines,
    cache: PoolGuard<'r, Cache, CacheFn>,
    haystack: &'h str,
    searcher: Searcher<'h>,
}

impl<'h> Iterator for Matches<'_, 'h> {
    type Item = Match<'h>;

    fn next(&mut self) -> Option<Match<'h>> {
        let (engines, cache) = (self.engines, &mut *self.cache);
        let m = self.searcher.try_advance(|input| Ok(engines.search(cache, input))).ok()??;
        Some(Match { haystack: self.haystack, start: m.start(), end: m.end() })
    }
}

/// One match (or group) in a haystack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn as_str(&self) -> &'h str {
        &self.haystack[self.start..self.end]
    }
}

/// The groups of one match.
pub struct Captures<'h> {
    haystack: &'h str,
    slots: Slots,
}

impl<'h> Captures<'h> {
    /// Group `index` (0 is the whole match), if it took part in the match.
    pub fn get(&self, index: usize) -> Option<Match<'h>> {
        self.slots.get_group(index).map(|s| Match { haystack: self.haystack, start: s.start, end: s.end })
    }

    /// The group called `name`, if it took part in the match.
    pub fn name(&self, name: &str) -> Option<Match<'h>> {
        self.slots.get_group_by_name(name).map(|s| Match {
            haystack: self.haystack,
            start: s.start,
            end: s.end,
        })
    }
}

#[cfg(test)]
mod tests;
