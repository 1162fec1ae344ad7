//! What a log viewer asks of a finished analysis: a window of lines, and the lines matching a search or
//! a level filter. The logs stay where the analysis read them (a worker's memory, for the web app), so a
//! 500 MB log is never copied to the page: the page asks for the hundred lines it shows.

use regex::RegexBuilder;
use serde::{Deserialize, Serialize};

use crate::analyze::Analysis;
use crate::logline::{Level, LogFile};

/// A log line as a viewer shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewLine {
    /// 1-based.
    pub line: u32,
    /// Without ANSI sequences, bidirectional controls shown as `[U+202E]` (so no line displays in another
    /// order than it reads), clipped to the analysis's `max_line_chars` (then ending in `…`).
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_ms: Option<i64>,
}

/// A search over one log. An empty `pattern` matches every line, so a level filter alone lists the
/// lines of those levels.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LogQuery {
    pub pattern: String,
    /// `pattern` is a regular expression (linear-time engine, size-limited); otherwise a literal.
    pub regex: bool,
    pub case_sensitive: bool,
    /// Only lines with one of these levels; empty means every line, with a level or not.
    pub levels: Vec<Level>,
    /// At most this many line numbers are returned (0: [`DEFAULT_HIT_LIMIT`]); `total` still counts all.
    pub limit: usize,
}

/// Enough for a level filter over a million-line log to be scrolled whole.
pub const DEFAULT_HIT_LIMIT: usize = 2_000_000;
/// A search pattern is typed by a user into a page; a pathological one must fail, not eat the memory.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchHits {
    /// Matching line numbers (1-based), ascending, at most `limit`.
    pub lines: Vec<u32>,
    pub total: u64,
    pub truncated: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    #[error("{0:?} is not a log this analysis read")]
    NoSuchLog(String),
    #[error("search pattern: {0}")]
    Pattern(String),
}

fn log<'a>(analysis: &'a Analysis, file: &str) -> Result<&'a LogFile, QueryError> {
    analysis.logs.iter().find(|l| l.name == file).ok_or_else(|| QueryError::NoSuchLog(file.to_string()))
}

/// Lines `first..first + count` (1-based) of `file`, clamped to the file.
pub fn window(analysis: &Analysis, file: &str, first: u32, count: u32) -> Result<Vec<ViewLine>, QueryError> {
    let log = log(analysis, file)?;
    let start = (first.max(1) - 1) as usize;
    let end = start.saturating_add(count as usize).min(log.lines.len());
    Ok((start.min(end)..end).map(|idx| view_line(analysis, log, idx)).collect())
}

/// The given lines (1-based) of `file`, skipping numbers past its end: what a filtered view shows.
pub fn pick(analysis: &Analysis, file: &str, lines: &[u32]) -> Result<Vec<ViewLine>, QueryError> {
    let log = log(analysis, file)?;
    Ok(lines
        .iter()
        .filter_map(|&n| n.checked_sub(1).map(|i| i as usize))
        .filter(|&i| i < log.lines.len())
        .map(|idx| view_line(analysis, log, idx))
        .collect())
}

fn view_line(analysis: &Analysis, log: &LogFile, idx: usize) -> ViewLine {
    let l = &log.lines[idx];
    let cleaned = log.clean(idx);
    let shown = crate::export::escape::bidi(&cleaned);
    let text = crate::export::clip(&shown, analysis.limits.max_line_chars).into_owned();
    ViewLine { line: l.line, text, level: l.level, time_ms: l.time_ms }
}

/// Every line of `file` that matches `query`, matched against the line without ANSI sequences.
pub fn search(analysis: &Analysis, file: &str, query: &LogQuery) -> Result<SearchHits, QueryError> {
    let log = log(analysis, file)?;
    let source = if query.regex { query.pattern.clone() } else { regex::escape(&query.pattern) };
    let matcher = if query.pattern.is_empty() {
        None
    } else {
        let re = RegexBuilder::new(&source)
            .case_insensitive(!query.case_sensitive)
            .size_limit(PATTERN_SIZE_LIMIT)
            .dfa_size_limit(PATTERN_SIZE_LIMIT)
            .build()
            .map_err(|e| QueryError::Pattern(e.to_string()))?;
        Some(re)
    };
    let limit = if query.limit == 0 { DEFAULT_HIT_LIMIT } else { query.limit };
    let mut hits = SearchHits { lines: Vec::new(), total: 0, truncated: false };
    for (idx, l) in log.lines.iter().enumerate() {
        if !query.levels.is_empty() && !l.level.is_some_and(|lv| query.levels.contains(&lv)) {
            continue;
        }
        if let Some(re) = &matcher
            && !re.is_match(&log.clean(idx))
        {
            continue;
        }
        hits.total += 1;
        if hits.lines.len() < limit {
            hits.lines.push(l.line);
        } else {
            hits.truncated = true;
        }
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalyzeOptions, InputFile, analyze};

    fn analysis() -> Analysis {
        let log = "2024-05-01T10:00:00Z INFO starting\n\
                   2024-05-01T10:00:01Z ERROR \x1b[31mmd5sum: Connection timed out\x1b[0m\n\
                   2024-05-01T10:00:02Z WARN retrying\n\
                   plain line about md5\n";
        analyze(vec![InputFile::new("a.log", log)], &AnalyzeOptions::default())
    }

    fn q(pattern: &str) -> LogQuery {
        LogQuery { pattern: pattern.into(), ..LogQuery::default() }
    }

    #[test]
    fn a_window_is_clamped_and_shows_lines_without_ansi() {
        let a = analysis();
        let w = window(&a, "a.log", 2, 100).unwrap_or_default();
        assert_eq!(w.iter().map(|l| l.line).collect::<Vec<_>>(), vec![2, 3, 4]);
        assert!(w[0].text.ends_with("md5sum: Connection timed out"), "{}", w[0].text);
        assert_eq!(w[0].level, Some(Level::Error));
        assert!(window(&a, "a.log", 9, 5).unwrap_or_default().is_empty());
        assert_eq!(window(&a, "a.log", 0, 1).unwrap_or_default().len(), 1, "line 0 reads as line 1");
        assert_eq!(window(&a, "b.log", 1, 1), Err(QueryError::NoSuchLog("b.log".into())));
    }

    #[test]
    fn literal_search_is_case_insensitive_unless_asked_and_escapes_metacharacters() {
        let a = analysis();
        assert_eq!(search(&a, "a.log", &q("MD5")).map(|h| h.lines), Ok(vec![2, 4]));
        let exact = LogQuery { case_sensitive: true, ..q("MD5") };
        assert_eq!(search(&a, "a.log", &exact).map(|h| h.total), Ok(0));
        assert_eq!(search(&a, "a.log", &q("md5.*timed")).map(|h| h.total), Ok(0), "literal, not regex");
    }

    #[test]
    fn regex_search_levels_and_limits() {
        let a = analysis();
        let re = LogQuery { regex: true, ..q("md5.*timed|retry") };
        assert_eq!(search(&a, "a.log", &re).map(|h| h.lines), Ok(vec![2, 3]));
        let levels = LogQuery { levels: vec![Level::Error, Level::Warn], ..q("") };
        assert_eq!(search(&a, "a.log", &levels).map(|h| h.lines), Ok(vec![2, 3]));
        let capped = LogQuery { limit: 1, ..q("") };
        let hits = search(&a, "a.log", &capped);
        assert_eq!(hits.as_ref().map(|h| (h.lines.clone(), h.total, h.truncated)), Ok((vec![1], 4, true)));
        let bad = LogQuery { regex: true, ..q("(unclosed") };
        assert!(matches!(search(&a, "a.log", &bad), Err(QueryError::Pattern(_))));
        let huge = LogQuery { regex: true, ..q("a{1000}{1000}") };
        assert!(matches!(search(&a, "a.log", &huge), Err(QueryError::Pattern(_))), "size limit holds");
    }

    #[test]
    fn pick_returns_the_asked_lines_that_exist() {
        let a = analysis();
        let lines = pick(&a, "a.log", &[4, 0, 2, 99]).unwrap_or_default();
        assert_eq!(lines.iter().map(|l| l.line).collect::<Vec<_>>(), vec![4, 2]);
    }
}
