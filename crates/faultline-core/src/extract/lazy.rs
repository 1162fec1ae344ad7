//! A pattern's regex, compiled the first time a line needs it.
//!
//! Compiling the built-in pack's regexes was the largest fixed cost of an analysis: about 30 ms natively
//! and 0.2–0.4 s in a browser (where the first code to run is not yet optimised by the engine), while a
//! given run's lines reach only a few of the patterns. The built-in pack is checked whole by a test, so
//! its regexes can wait; a user's pack is compiled at once, so its mistakes are reported where they are.
//! Clones share the compiled regex, and the built-in pack is kept once per process (see `Pack::builtin`).

use std::sync::{Arc, OnceLock};

use crate::regex_engine::{Error, Regex, RegexBuilder};

/// Compiled regexes from untrusted packs are bounded: the engine has no backtracking, and this caps the
/// memory a pathological pattern can take (its program and its lazy DFA's cache).
pub(crate) const REGEX_SIZE_LIMIT: usize = 1 << 20;

pub(crate) fn build(src: &str) -> Result<Regex, Error> {
    RegexBuilder::new(src).size_limit(REGEX_SIZE_LIMIT).dfa_size_limit(REGEX_SIZE_LIMIT).build()
}

#[derive(Debug, Clone)]
pub(crate) struct LazyRegex(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    src: String,
    /// `None` when the source does not compile: only possible for a pack compiled lazily, which is the
    /// built-in one and is tested to compile; such a pattern would simply never match.
    compiled: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    pub(crate) fn compiled(src: &str, regex: Regex) -> LazyRegex {
        LazyRegex(Arc::new(Inner { src: src.to_string(), compiled: OnceLock::from(Some(regex)) }))
    }

    pub(crate) fn deferred(src: &str) -> LazyRegex {
        LazyRegex(Arc::new(Inner { src: src.to_string(), compiled: OnceLock::new() }))
    }

    /// The regex, compiling it now if no line needed it before.
    pub(crate) fn get(&self) -> Option<&Regex> {
        self.0.compiled.get_or_init(|| build(&self.0.src).ok()).as_ref()
    }

    pub(crate) fn is_match(&self, hay: &str) -> bool {
        self.get().is_some_and(|r| r.is_match(hay))
    }

    #[cfg(test)]
    pub(crate) fn is_compiled(&self) -> bool {
        self.0.compiled.get().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_on_first_use_and_clones_share_it() {
        let lazy = LazyRegex::deferred(r"timed? out");
        let clone = lazy.clone();
        assert!(!lazy.is_compiled());
        assert!(clone.is_match("Connection timed out"));
        assert!(lazy.is_compiled(), "a clone's compilation is shared");
        assert!(!lazy.is_match("Connection refused"));
    }

    #[test]
    fn a_source_that_does_not_compile_never_matches() {
        let lazy = LazyRegex::deferred(r"(unclosed");
        assert!(lazy.get().is_none());
        assert!(!lazy.is_match("(unclosed"));
        let big = LazyRegex::deferred(r"\w{1000}{1000}");
        assert!(!big.is_match("word"), "over the size limit: never matches, never panics");
    }
}
