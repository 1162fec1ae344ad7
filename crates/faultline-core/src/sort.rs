//! One copy of the standard library's stable sort for the whole crate, and one of its unstable sort for
//! line numbers and ranges.
//!
//! Each `sort_by`/`sort_by_key` on another element type or closure is another instantiation of the
//! standard library's driftsort, about 4 KB of wasm each. [`sort_by`] sorts positions with one
//! non-generic comparator object and then moves the elements once: the same stable order, one copy of
//! the algorithm. The crate sorts per test, per file or per report, never per line, so the indirection
//! costs nothing measurable.

use std::cmp::Ordering;

/// `v.sort_by(cmp)`: stable.
pub(crate) fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = positions(v.len(), &|a, b| cmp(&v[a], &v[b]));
    permute(v, order);
}

/// `v.sort_by_key(key)`: stable.
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// `v.sort_by_cached_key(key)`: each key computed once (the standard one then sorts `(key, index)`
/// pairs with its unstable sort, another 8 KB instantiation for the events' key type); stable, so equal
/// keys keep their order, as the index in those pairs kept it.
pub(crate) fn sort_by_cached_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    if v.len() < 2 {
        return;
    }
    let keys: Vec<K> = v.iter().map(key).collect();
    let order = positions(v.len(), &|a, b| keys[a].cmp(&keys[b]));
    permute(v, order);
}

/// `0..len` in the stable order `cmp` gives positions: the one instantiation of the standard sort.
fn positions(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Moves each element once, to where `order` puts it.
fn permute<T>(v: &mut Vec<T>, order: Vec<usize>) {
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// `v.sort_unstable()` for line ranges: each pair packed into a `u64` (first in the high half, so the
/// packed order is the pairs' order), sharing one instantiation of the unstable sort with
/// [`sort_numbers`] (two instantiations cost the wasm module about 13 KB of code).
pub(crate) fn sort_pairs(v: &mut [(u32, u32)]) {
    let mut packed: Vec<u64> = v.iter().map(|&(a, b)| (u64::from(a) << 32) | u64::from(b)).collect();
    packed.sort_unstable();
    for (slot, p) in v.iter_mut().zip(packed) {
        *slot = ((p >> 32) as u32, p as u32);
    }
}

/// `v.sort_unstable()` for line numbers, through the same `u64` sort as [`sort_pairs`].
pub(crate) fn sort_numbers(v: &mut [u32]) {
    let mut wide: Vec<u64> = v.iter().map(|&n| u64::from(n)).collect();
    wide.sort_unstable();
    for (slot, n) in v.iter_mut().zip(wide) {
        *slot = n as u32;
    }
}

#[cfg(test)]
mod tests {
    /// A small deterministic generator: the tests need spread-out values, not a dependency.
    fn numbers(seed: u64, len: usize) -> Vec<u32> {
        let mut state = seed;
        (0..len)
            .map(|_| {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                // Few distinct high values, so that equal firsts with different seconds are common.
                if state & 1 == 0 { (state >> 61) as u32 } else { (state >> 32) as u32 }
            })
            .collect()
    }

    #[test]
    fn pairs_and_numbers_sort_as_the_standard_sort_does() {
        for len in [0, 1, 2, 3, 10, 100, 1000] {
            let n = numbers(len as u64 + 1, 2 * len);
            let pairs: Vec<(u32, u32)> = n.chunks(2).map(|c| (c[0], c[1])).collect();
            let mut ours = pairs.clone();
            super::sort_pairs(&mut ours);
            let mut std = pairs;
            std.sort_unstable();
            assert_eq!(ours, std);

            let mut ours = n.clone();
            super::sort_numbers(&mut ours);
            let mut std = n;
            std.sort_unstable();
            assert_eq!(ours, std);
        }
        let mut extremes = vec![(u32::MAX, 0), (0, u32::MAX), (u32::MAX, u32::MAX), (0, 0), (1, 0)];
        super::sort_pairs(&mut extremes);
        assert_eq!(extremes, [(0, 0), (0, u32::MAX), (1, 0), (u32::MAX, 0), (u32::MAX, u32::MAX)]);
    }

    #[test]
    fn same_order_as_the_standard_stable_sort() {
        let mut state: u64 = 7;
        for len in [0, 1, 2, 3, 10, 100, 1000] {
            let v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    ((state >> 60) as u8, i)
                })
                .collect();
            let mut ours = v.clone();
            super::sort_by_key(&mut ours, |p| p.0);
            let mut cached = v.clone();
            super::sort_by_cached_key(&mut cached, |p| p.0);
            let mut std_cached = v.clone();
            std_cached.sort_by_cached_key(|p| p.0);
            let mut std = v;
            std.sort_by_key(|p| p.0);
            assert_eq!(ours, std);
            assert_eq!(cached, std);
            assert_eq!(std_cached, std, "the standard cached-key sort keeps equal keys in order too");
        }
    }
}
