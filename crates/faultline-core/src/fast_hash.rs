//! The crate's hash maps and sets, all with one hasher: foldhash with a fixed seed.
//!
//! Why one: the table code is compiled once per key, value and hasher, so SipHash maps beside
//! foldhash ones with the same keys put two copies of it (and SipHash) into the browser package.
//! Why foldhash: test ids and file names hash several times faster than with SipHash (SipHash was
//! about 8 % of a 100k-case run). Why a fixed seed: the output never depends on a map's order (maps
//! are looked up, or iterated into a list that is then sorted), and a run is reproducible.
//! The keys come from artifacts, so a crafted file could collide them; that costs time, never a
//! wrong result, and the inputs' size limits bound it.

pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
pub type FastSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;
