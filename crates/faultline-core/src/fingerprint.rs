//! Failure fingerprints: the same failure in another test, run or cluster must group together even though
//! its pod hashes, volume ids, times and IPs differ. Text is normalised the way Kubernetes' own triage tool
//! does it (volatile tokens become placeholders), then hashed with md5.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::regex_engine::Regex;
use serde::{Deserialize, Serialize};

use crate::fast_hash::FastMap;

/// Timestamps span separators (`10:15:02`), so they are replaced before the text is cut into words.
/// Shapes: RFC 3339 / ISO (`2024-11-16T10:15:02.815Z`, `2024-11-16 10:15:02,815`), Robot
/// (`20241116 10:15:02.815`), klog (`I1116 10:15:02.815123`), syslog (`Nov 16 10:15:02`), bare times.
fn timestamps() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\b",
            r"|\b\d{8} \d{2}:\d{2}:\d{2}(?:\.\d+)?\b",
            r"|\b[IWEF]\d{4} \d{2}:\d{2}:\d{2}(?:\.\d+)?\b",
            r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d{2}:\d{2}:\d{2}\b",
            r"|\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?: ?UTC)?\b",
        ))
        .ok()
    })
    .as_ref()
}

/// Volatile tokens → placeholders. Order matters: longer, more specific shapes first.
pub fn normalise(text: &str) -> String {
    let text = match timestamps() {
        Some(re) => re.replace_all(text, "<ts>"),
        None => Cow::Borrowed(text),
    };
    let mut out = String::with_capacity(text.len());
    for (i, token) in
        text.split_inclusive(|c: char| c.is_whitespace() || "\"'()[]{},=:;<>".contains(c)).enumerate()
    {
        if i > 4000 {
            break;
        }
        let (word, sep) = split_sep(token);
        out.push_str(&normalise_word(word));
        out.push_str(sep);
    }
    out
}

fn split_sep(token: &str) -> (&str, &str) {
    match token.char_indices().last() {
        Some((i, c)) if c.is_whitespace() || "\"'()[]{},=:;<>".contains(c) => (&token[..i], &token[i..]),
        _ => (token, ""),
    }
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_hexdigit())
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5 && [8, 4, 4, 4, 12].iter().zip(&parts).all(|(n, p)| p.len() == *n && is_hex(p))
}

fn normalise_word(w: &str) -> String {
    if w.is_empty() {
        return String::new();
    }
    if is_uuid(w) {
        return "<uuid>".into();
    }
    if let Some(rest) = w.strip_prefix("pvc-")
        && is_uuid(rest)
    {
        return "pvc-<uuid>".into();
    }
    if w.contains("pvc-") {
        // share-manager-pvc-<uuid>, pvc-<uuid>-r-1a2b3c4d …
        if let Some(at) = w.find("pvc-") {
            let tail = &w[at + 4..];
            if tail.len() >= 36 && is_uuid(&tail[..36]) {
                return format!("{}pvc-<uuid>{}", &w[..at], normalise_word(&tail[36..]));
            }
        }
    }
    if w.split('.').count() == 4
        && w.split('.').all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()))
    {
        return "<ip>".into();
    }
    if w.len() >= 7 && is_hex(w) && w.chars().any(|c| c.is_ascii_digit()) {
        return "<hex>".into();
    }
    if w.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == 'T' || c == 'Z' || c == ':')
        && w.chars().any(|c| c.is_ascii_digit())
    {
        return "<n>".into();
    }
    // Deployment pods: name-<replicaset hash>-<5 chars>.
    let parts: Vec<&str> = w.rsplitn(3, '-').collect();
    if parts.len() == 3
        && parts[0].len() == 5
        && parts[0].chars().all(|c| c.is_ascii_alphanumeric() && !c.is_ascii_uppercase())
        && (8..=10).contains(&parts[1].len())
        && parts[1].chars().all(|c| c.is_ascii_alphanumeric() && !c.is_ascii_uppercase())
    {
        return format!("{}-<pod>", parts[2]);
    }
    // Other digits inside words (node-3, e2e-test-volume-0) stay: they are usually meaningful names.
    w.to_string()
}

/// md5 of the normalised text, as 32 hex digits.
pub fn fingerprint(text: &str) -> String {
    format!("{:x}", md5::compute(normalise(text).as_bytes()))
}

/// A group of failures that are the same (one fingerprint) or nearly so (a small edit distance between
/// their normalised texts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Cluster {
    pub fingerprint: String,
    /// Indexes of the members in the input order.
    pub members: Vec<usize>,
    pub sample: String,
}

/// Texts longer than this are compared on their first part only: distance is quadratic.
const COMPARE_CHARS: usize = 500;

/// Each text joins the first cluster with its fingerprint, else the first whose head is within a
/// tenth of its length in edit distance, else starts one. Each text is normalised once (its fingerprint
/// is the md5 of the same text) and clusters are found by fingerprint through a map; only a text with a
/// new fingerprint is compared with the heads, so identical failures cost O(n), and near-duplicates
/// O(n × clusters).
pub fn cluster(texts: &[String]) -> Vec<Cluster> {
    let full: Vec<String> = texts.iter().map(|t| normalise(t)).collect();
    let normalised: Vec<Vec<char>> = full.iter().map(|n| n.chars().take(COMPARE_CHARS).collect()).collect();
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut heads: Vec<usize> = Vec::new();
    // u32 values: the map type the JUnit reader and archives already compile (clusters are failures).
    let mut by_fingerprint: FastMap<String, u32> = FastMap::default();
    for (i, n) in normalised.iter().enumerate() {
        let fp = format!("{:x}", md5::compute(full[i].as_bytes()));
        let found = by_fingerprint.get(&fp).map(|&c| c as usize).or_else(|| {
            heads.iter().position(|&h| {
                let a = &normalised[h];
                let bound = a.len().max(n.len()) / 10;
                bounded_distance(a, n, bound).is_some()
            })
        });
        match found {
            Some(c) => clusters[c].members.push(i),
            None => {
                by_fingerprint.insert(fp.clone(), clusters.len() as u32);
                clusters.push(Cluster { fingerprint: fp, members: vec![i], sample: texts[i].clone() });
                heads.push(i);
            }
        }
    }
    clusters
}

/// Levenshtein distance if it is at most `bound`, computed in a band of width `2 * bound + 1` with an
/// early exit, so unrelated texts cost O(len × bound).
pub fn bounded_distance(a: &[char], b: &[char], bound: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > bound {
        return None;
    }
    let inf = bound + 1;
    let mut prev: Vec<usize> = (0..=b.len()).map(|j| if j <= bound { j } else { inf }).collect();
    let mut cur = vec![inf; b.len() + 1];
    for i in 1..=a.len() {
        let lo = i.saturating_sub(bound).max(1);
        let hi = (i + bound).min(b.len());
        cur.iter_mut().for_each(|c| *c = inf);
        cur[0] = if i <= bound { i } else { inf };
        let mut best = cur[0];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let v = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1).min(inf);
            cur[j] = v;
            best = best.min(v);
        }
        if best > bound {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()] <= bound).then_some(prev[b.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volatile_tokens_become_placeholders() {
        let a = "Checking pod e2e-test-deployment-0-db6496856-w7fkr data checksum failed on pvc-4f2a7c1e-9b3d-4e8a-a1c2-7d9e0f3b5a61 at 10.43.12.7 after 599 tries (6dae5b70561d3899fa6196e9b9db5f0f)";
        assert_eq!(
            normalise(a),
            "Checking pod e2e-test-deployment-0-<pod> data checksum failed on pvc-<uuid> at <ip> after <n> tries (<hex>)"
        );
        let b = "Checking pod e2e-test-deployment-0-5c9f7d8b4-k2xzt data checksum failed on pvc-00000000-1111-2222-3333-444444444444 at 10.0.0.1 after 17 tries (d41d8cd98f00b204e9800998ecf8427e)";
        assert_eq!(fingerprint(a), fingerprint(b));
        assert_ne!(fingerprint(a), fingerprint("Checking pod x data checksum passed"));
        assert_eq!(
            normalise("share-manager-pvc-4f2a7c1e-9b3d-4e8a-a1c2-7d9e0f3b5a61"),
            "share-manager-pvc-<uuid>"
        );
    }

    #[test]
    fn timestamps_become_one_placeholder() {
        for (text, want) in [
            ("failed at 2024-11-16T10:15:02.815Z on node-1", "failed at <ts> on node-1"),
            ("failed at 2025-01-02 03:04:05,123+01:00 on node-1", "failed at <ts> on node-1"),
            ("20241116 10:15:02.815 FAIL x", "<ts> FAIL x"),
            ("I1116 10:15:02.815123 1 controller.go:42] x", "<ts> <n> controller.go:<n>] x"),
            ("Nov 16 10:15:02 node-1 kubelet", "<ts> node-1 kubelet"),
            ("timed out at 10:15:02 UTC", "timed out at <ts>"),
        ] {
            assert_eq!(normalise(text), want, "{text}");
        }
        assert_eq!(
            fingerprint("Volume pvc-1 detached at 2024-11-16T10:15:02Z"),
            fingerprint("Volume pvc-1 detached at 2026-01-01T00:00:00Z")
        );
        assert_eq!(
            normalise("version 1.2.3 node-3"),
            "version <n> node-3",
            "not a time: left to the word rules"
        );
    }

    #[test]
    fn near_identical_messages_cluster() {
        let texts = vec![
            "Failed to wait for volume pvc-4f2a7c1e-9b3d-4e8a-a1c2-7d9e0f3b5a61 robustness=healthy, currently it's degraded".to_string(),
            "Failed to wait for volume pvc-00000000-1111-2222-3333-444444444444 robustness=healthy, currently it's faulted".to_string(),
            "md5sum: can't open '/data/data.txt': Connection timed out".to_string(),
            "Failed to wait for volume pvc-4f2a7c1e-9b3d-4e8a-a1c2-7d9e0f3b5a61 robustness=healthy, currently it's degraded".to_string(),
        ];
        let c = cluster(&texts);
        assert_eq!(c.len(), 2, "{c:?}");
        assert_eq!(c[0].members, vec![0, 1, 3]);
        assert_eq!(c[1].members, vec![2]);
    }

    #[test]
    fn banded_distance() {
        let v = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(bounded_distance(&v("kitten"), &v("sitting"), 3), Some(3));
        assert_eq!(bounded_distance(&v("kitten"), &v("sitting"), 2), None);
        assert_eq!(bounded_distance(&v(""), &v("ab"), 2), Some(2));
        assert_eq!(bounded_distance(&v("same"), &v("same"), 0), Some(0));
    }

    /// The clustering as it was (a linear scan of the clusters for the fingerprint, the text normalised
    /// twice): the indexed one must group exactly the same way.
    fn cluster_by_scan(texts: &[String]) -> Vec<Cluster> {
        let normalised: Vec<Vec<char>> =
            texts.iter().map(|t| normalise(t).chars().take(COMPARE_CHARS).collect()).collect();
        let mut clusters: Vec<Cluster> = Vec::new();
        let mut heads: Vec<usize> = Vec::new();
        for (i, n) in normalised.iter().enumerate() {
            let fp = fingerprint(&texts[i]);
            let found = clusters.iter().position(|c| c.fingerprint == fp).or_else(|| {
                heads.iter().position(|&h| {
                    let a = &normalised[h];
                    bounded_distance(a, n, a.len().max(n.len()) / 10).is_some()
                })
            });
            match found {
                Some(c) => clusters[c].members.push(i),
                None => {
                    clusters.push(Cluster { fingerprint: fp, members: vec![i], sample: texts[i].clone() });
                    heads.push(i);
                }
            }
        }
        clusters
    }

    #[test]
    fn indexed_clustering_equals_the_scan() {
        let mut texts = Vec::new();
        for i in 0..400u32 {
            let rule = ["unclassified", "data-unreadable", "deleted-cr-instead-of-pod"][(i % 3) as usize];
            let message = match i % 7 {
                0 => format!("AssertionError: assert '' == '{:08x}'", i.wrapping_mul(2_654_435_761)),
                1 => format!(
                    "Failed to wait for volume pvc-{i:08}-1111-2222-3333-444444444444 robustness=healthy"
                ),
                2 => format!("timeout after {i} s waiting for node-{}", i % 5),
                3 => format!("unique failure number {i} in module {}", i * 31 % 17),
                4 => "md5sum: can't open '/data/data.txt': Connection timed out".to_string(),
                5 => format!("expected {} replicas, found {}", i % 4, i % 3),
                _ => String::new(),
            };
            texts.push(format!("{rule}\n{message}"));
        }
        assert_eq!(cluster(&texts), cluster_by_scan(&texts));
    }
}
