//! `--history DIR`: one JSON record per run in a directory that CI keeps between runs (a cache, an
//! artifact, a branch). Records that cannot be read are reported and skipped, never fatal: a history is
//! a convenience, the diagnosis of this run must not depend on it.

use std::path::{Path, PathBuf};

use faultline_core::history::{HISTORY_SCHEMA, RunRecord};

pub struct Loaded {
    /// Oldest first, at most the number asked for, without the current run.
    pub records: Vec<RunRecord>,
    pub problems: Vec<String>,
}

pub fn load(dir: &Path, current_run: &str, keep: usize) -> Loaded {
    let mut loaded = Loaded { records: Vec::new(), problems: Vec::new() };
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        // A first run: the directory appears when this run is recorded.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return loaded,
        Err(e) => {
            loaded.problems.push(format!("{}: {e}", dir.display()));
            return loaded;
        }
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let parsed = std::fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice::<RunRecord>(&b).map_err(|e| e.to_string()));
        match parsed {
            Ok(r) if r.schema == HISTORY_SCHEMA && r.run != current_run => loaded.records.push(r),
            Ok(r) if r.schema != HISTORY_SCHEMA => loaded.problems.push(format!(
                "{}: not a {HISTORY_SCHEMA} record (schema {:?})",
                path.display(),
                r.schema
            )),
            Ok(_) => {}
            Err(e) => loaded.problems.push(format!("{}: {e}", path.display())),
        }
    }
    loaded.records.sort_by(|a, b| (a.time_ms, &a.run).cmp(&(b.time_ms, &b.run)));
    let extra = loaded.records.len().saturating_sub(keep);
    loaded.records.drain(..extra);
    loaded
}

/// Writes the record atomically (temporary file, then rename) so a cancelled job leaves no half record.
pub fn save(dir: &Path, record: &RunRecord) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{}.json", file_stem(&record.run)));
    let tmp = dir.join(format!(".{}.json.tmp", file_stem(&record.run)));
    let json = serde_json::to_vec(record).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, json)?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// A run id as a safe file name: no separators, no leading dot, bounded length.
pub fn file_stem(run: &str) -> String {
    let s: String = run
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '_' })
        .take(100)
        .collect();
    let s = s.trim_start_matches('.');
    if s.is_empty() { "run".to_string() } else { s.to_string() }
}

/// The run's name: the flag, else what the CI system calls it, else the UTC time.
pub fn run_id(flag: Option<&str>, now_ms: i64) -> String {
    if let Some(id) = flag {
        return id.to_string();
    }
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if let Some(id) = env("GITHUB_RUN_ID") {
        return format!("gh-{id}-{}", env("GITHUB_RUN_ATTEMPT").unwrap_or_else(|| "1".into()));
    }
    if let (Some(p), Some(j)) = (env("CI_PIPELINE_ID"), env("CI_JOB_ID")) {
        return format!("gl-{p}-{j}");
    }
    if let Some(tag) = env("BUILD_TAG") {
        return tag;
    }
    faultline_core::Event::rfc3339(now_ms).unwrap_or_else(|| now_ms.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_become_safe_file_names() {
        assert_eq!(file_stem("gh-123-1"), "gh-123-1");
        assert_eq!(file_stem("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(file_stem("2026-11-25T10:00:00.000Z"), "2026-11-25T10_00_00.000Z");
        assert_eq!(file_stem("..."), "run");
    }
}
