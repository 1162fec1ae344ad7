//! What a log viewer asks of a finished analysis: a window of lines, and the lines matching a search or
//! a level filter. The logs stay where the analysis read them (a worker's memory, for the web app), so a
//! 500 MB log is never copied to the page: the page asks for the hundred lines it shows.

use std::ops::ControlFlow;

use crate::regex_engine::{self, Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

use crate::analyze::Analysis;
use crate::logline::incremental;
use crate::logline::{Level, LogFile};
use crate::stream::{self, KeptLines, LogSource};

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
    /// Where the query the line was asked with matches `text`, as `[start, end)` in UTF-16 code units
    /// (what JavaScript's `slice` takes): in order, never overlapping or touching (adjacent matches are
    /// one mark), never empty, at most [`MAX_MARKS`] per line. The viewer marks exactly what the search
    /// matched, regex and Unicode case folding included, on the text it shows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<[u32; 2]>,
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
/// Marks on one line at most: past them the line is shown unmarked (it is still a hit).
pub const MAX_MARKS: usize = 64;
/// A search pattern is typed by a user into a page; a pathological one must fail, not eat the memory.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchHits {
    /// Matching line numbers (1-based), ascending, at most `limit`.
    pub lines: Vec<u32>,
    pub total: u64,
    pub truncated: bool,
}

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    #[error("{0:?} is not a log this analysis read")]
    NoSuchLog(String),
    #[error("search pattern: {0}")]
    Pattern(String),
    /// A streamed log's source could not be read again (the file changed or vanished).
    #[error("{file}: could not be read again: {message}")]
    Read { file: String, message: String },
}

/// A query's pattern, compiled once for a search or a block of rows; `None` when the pattern is empty.
struct Matcher(Option<Regex>);

impl Matcher {
    fn new(query: &LogQuery) -> Result<Matcher, QueryError> {
        if query.pattern.is_empty() {
            return Ok(Matcher(None));
        }
        let source = if query.regex { query.pattern.clone() } else { regex_engine::escape(&query.pattern) };
        RegexBuilder::new(&source)
            .case_insensitive(!query.case_sensitive)
            .size_limit(PATTERN_SIZE_LIMIT)
            .dfa_size_limit(PATTERN_SIZE_LIMIT)
            .build()
            .map(|re| Matcher(Some(re)))
            .map_err(|e| QueryError::Pattern(e.to_string()))
    }

    /// The non-empty matches in `text`, in UTF-16 code units; touching matches are one mark, and a line
    /// has at most [`MAX_MARKS`] (a regex such as `\w` on a long line must not become thousands of
    /// elements in a viewer's row).
    fn marks(&self, text: &str) -> Vec<[u32; 2]> {
        let Some(re) = &self.0 else { return Vec::new() };
        let (mut byte, mut unit) = (0, 0_u32);
        let mut to_units = |at: usize| {
            unit += text[byte..at].encode_utf16().count() as u32;
            byte = at;
            unit
        };
        let mut marks: Vec<[u32; 2]> = Vec::new();
        for m in re.find_iter(text).filter(|m| !m.is_empty()) {
            let (start, end) = (to_units(m.start()), to_units(m.end()));
            if let Some(last) = marks.last_mut().filter(|last| last[1] == start) {
                last[1] = end;
            } else if marks.len() == MAX_MARKS {
                break;
            } else {
                marks.push([start, end]);
            }
        }
        marks
    }
}

fn log<'a>(analysis: &'a Analysis, file: &str) -> Result<&'a LogFile, QueryError> {
    analysis.logs.iter().find(|l| l.name == file).ok_or_else(|| QueryError::NoSuchLog(file.to_string()))
}

/// Lines `first..first + count` (1-based) of `file`, clamped to the file; with a query, each line's
/// matches are in its `marks`.
pub fn window(
    analysis: &Analysis,
    file: &str,
    first: u32,
    count: u32,
    query: Option<&LogQuery>,
) -> Result<Vec<ViewLine>, QueryError> {
    let log = log(analysis, file)?;
    let marker = query.map(Matcher::new).transpose()?;
    let start = (first.max(1) - 1) as usize;
    let end = start.saturating_add(count as usize).min(log.lines.len());
    Ok((start.min(end)..end).map(|idx| view_line(analysis, log, idx, marker.as_ref())).collect())
}

/// The given lines (1-based) of `file`, skipping numbers past its end: what a filtered view shows.
/// With a query, each line's matches are in its `marks`.
pub fn pick(
    analysis: &Analysis,
    file: &str,
    lines: &[u32],
    query: Option<&LogQuery>,
) -> Result<Vec<ViewLine>, QueryError> {
    let log = log(analysis, file)?;
    let marker = query.map(Matcher::new).transpose()?;
    Ok(lines
        .iter()
        .filter_map(|&n| n.checked_sub(1).map(|i| i as usize))
        .filter(|&i| i < log.lines.len())
        .map(|idx| view_line(analysis, log, idx, marker.as_ref()))
        .collect())
}

fn view_line(analysis: &Analysis, log: &LogFile, idx: usize, marker: Option<&Matcher>) -> ViewLine {
    let l = &log.lines[idx];
    let row = Row { line: l.line, clean: &log.clean(idx), level: l.level, time_ms: l.time_ms };
    row.view(analysis.limits.max_line_chars, marker)
}

/// A line as the viewer reads it, from a held log or again from a source.
struct Row<'a> {
    line: u32,
    /// Without ANSI sequences.
    clean: &'a str,
    level: Option<Level>,
    time_ms: Option<i64>,
}

impl Row<'_> {
    fn view(&self, max_line_chars: usize, marker: Option<&Matcher>) -> ViewLine {
        let shown = crate::export::escape::bidi(self.clean);
        let text = crate::export::clip(&shown, max_line_chars).into_owned();
        let marks = marker.map(|m| m.marks(&text)).unwrap_or_default();
        ViewLine { line: self.line, text, level: self.level, time_ms: self.time_ms, marks }
    }
}

/// Search hits gathered line by line.
struct Hits<'q> {
    query: &'q LogQuery,
    matcher: Matcher,
    limit: usize,
    hits: SearchHits,
}

impl<'q> Hits<'q> {
    fn new(query: &'q LogQuery) -> Result<Hits<'q>, QueryError> {
        let limit = if query.limit == 0 { DEFAULT_HIT_LIMIT } else { query.limit };
        let hits = SearchHits { lines: Vec::new(), total: 0, truncated: false };
        Ok(Hits { query, matcher: Matcher::new(query)?, limit, hits })
    }

    /// Line `line`, its level, and its text without ANSI sequences, made only if the level passes: a
    /// level filter over a million lines reads only the levels.
    fn line<'t>(
        &mut self,
        line: u32,
        level: Option<Level>,
        clean: impl FnOnce() -> std::borrow::Cow<'t, str>,
    ) {
        if !self.query.levels.is_empty() && !level.is_some_and(|lv| self.query.levels.contains(&lv)) {
            return;
        }
        if let Some(re) = &self.matcher.0
            && !re.is_match(&clean())
        {
            return;
        }
        self.hits.total += 1;
        if self.hits.lines.len() < self.limit {
            self.hits.lines.push(line);
        } else {
            self.hits.truncated = true;
        }
    }
}

/// Every line of `file` that matches `query`, matched against the line without ANSI sequences.
pub fn search(analysis: &Analysis, file: &str, query: &LogQuery) -> Result<SearchHits, QueryError> {
    let log = log(analysis, file)?;
    let mut hits = Hits::new(query)?;
    for (idx, l) in log.lines.iter().enumerate() {
        hits.line(l.line, l.level, || log.clean(idx));
    }
    Ok(hits.hits)
}

// A log the analysis read as a stream ([`crate::stream`]) keeps only the lines its report quotes; a
// viewer that can reach the source again (the browser's `File`) reads the lines it shows from it, from
// the index's nearest mark (a MiB or less before them), timed as the analysis timed them. The same
// answers as for the log held whole, byte for byte.

fn streamed<'a>(analysis: &'a Analysis, source: &dyn LogSource) -> Result<&'a KeptLines, QueryError> {
    let name = source.name();
    analysis.kept.iter().find(|k| k.name == name).ok_or_else(|| QueryError::NoSuchLog(name.to_string()))
}

/// Reads `log`'s lines from the last mark at or before line `from`, handing each to `visit` until it
/// breaks or the file ends. Without `timed`, rows have no level or time: a search by pattern alone over
/// a 1 GB log does not parse ten million timestamps it would not use.
fn read_rows(
    source: &mut dyn LogSource,
    log: &KeptLines,
    from: u32,
    timed: bool,
    visit: &mut dyn FnMut(Row<'_>) -> ControlFlow<()>,
) -> Result<(), QueryError> {
    let index = &log.index;
    let mark = index.mark_for(from).copied();
    let mut n = mark.map_or(0, |m| m.line.saturating_sub(1));
    let mut time = mark.map_or(index.head_time, |m| m.time_before);
    let (_, result) = stream::lines_from(source, mark.map(|m| m.offset), &mut |_| {}, &mut |line, _| {
        n = n.saturating_add(1);
        let clean = incremental::clean(line.text);
        let mut level = None;
        if timed {
            let parsed = index.policy.parse(n as usize - 1, &clean);
            time = parsed.time_ms.or(time);
            level = parsed.level;
        }
        visit(Row { line: n, clean: &clean, level, time_ms: time.filter(|_| timed) })
    });
    result.map_err(|message| QueryError::Read { file: log.name.clone(), message })
}

/// [`window`] over a log read as a stream, from `source`.
pub fn window_from(
    analysis: &Analysis,
    source: &mut dyn LogSource,
    first: u32,
    count: u32,
    query: Option<&LogQuery>,
) -> Result<Vec<ViewLine>, QueryError> {
    let log = streamed(analysis, source)?;
    let marker = query.map(Matcher::new).transpose()?;
    let first = first.max(1);
    let last = first.saturating_add(count.saturating_sub(1)).min(log.total);
    let mut out = Vec::new();
    if count > 0 {
        read_range(source, log, first..=last, true, &mut |row| {
            out.push(row.view(analysis.limits.max_line_chars, marker.as_ref()));
        })?;
    }
    Ok(out)
}

/// [`read_rows`] handing over only lines `range` (1-based): nothing when it is empty.
fn read_range(
    source: &mut dyn LogSource,
    log: &KeptLines,
    range: std::ops::RangeInclusive<u32>,
    timed: bool,
    each: &mut dyn FnMut(Row<'_>),
) -> Result<(), QueryError> {
    if range.is_empty() {
        return Ok(());
    }
    let (first, last) = range.into_inner();
    read_rows(source, log, first, timed, &mut |row| {
        let line = row.line;
        if line >= first {
            each(row);
        }
        if line >= last { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })
}

/// [`pick`] over a log read as a stream, from `source`: the lines between two marks are read once.
pub fn pick_from(
    analysis: &Analysis,
    source: &mut dyn LogSource,
    lines: &[u32],
    query: Option<&LogQuery>,
) -> Result<Vec<ViewLine>, QueryError> {
    let log = streamed(analysis, source)?;
    let marker = query.map(Matcher::new).transpose()?;
    let mut wanted: Vec<u32> = lines.iter().copied().filter(|&n| n >= 1 && n <= log.total).collect();
    crate::sort::sort_numbers(&mut wanted);
    wanted.dedup();
    // Read in line order, so a sorted list (a map of this value type was its own table code).
    let mut rows: Vec<(u32, ViewLine)> = Vec::with_capacity(wanted.len());
    let mut next = 0;
    while let Some(&start) = wanted.get(next) {
        // Lines before the next mark come in this read; a later one is read from its own mark.
        let mark = log.index.mark_for(start).map(|m| m.line);
        read_rows(source, log, start, true, &mut |row| {
            let Some(&want) = wanted.get(next) else { return ControlFlow::Break(()) };
            if row.line == want {
                rows.push((want, row.view(analysis.limits.max_line_chars, marker.as_ref())));
                next += 1;
                let further = wanted.get(next).is_none_or(|&w| log.index.mark_for(w).map(|m| m.line) != mark);
                if further {
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        })?;
        if wanted.get(next) == Some(&start) {
            // The file ended before it (it is shorter than when it was analysed).
            break;
        }
    }
    let row =
        |n: &u32| rows.binary_search_by_key(n, |r| r.0).ok().and_then(|i| rows.get(i)).map(|r| r.1.clone());
    Ok(lines.iter().filter_map(row).collect())
}

/// [`excerpt`](crate::export::excerpt::excerpt) over a log read as a stream, from `source`: any radius,
/// not only the context the report kept around its evidence.
pub fn excerpt_from(
    analysis: &Analysis,
    source: &mut dyn LogSource,
    line: u32,
    line_end: Option<u32>,
    radius: u32,
) -> Result<Vec<crate::export::excerpt::ExcerptLine>, QueryError> {
    let log = streamed(analysis, source)?;
    let last_cited = line_end.unwrap_or(line).max(line);
    let first = line.saturating_sub(radius).max(1);
    let last = last_cited.saturating_add(radius).min(log.total);
    let mut out = Vec::new();
    read_range(source, log, first..=last, false, &mut |row| {
        let text = crate::export::clip(row.clean, analysis.limits.max_line_chars).into_owned();
        let cited = (line..=last_cited).contains(&row.line);
        out.push(crate::export::excerpt::ExcerptLine { line: row.line, text, cited });
    })?;
    Ok(out)
}

/// [`search`] over a log read as a stream, from `source`: the whole file is read again.
pub fn search_from(
    analysis: &Analysis,
    source: &mut dyn LogSource,
    query: &LogQuery,
) -> Result<SearchHits, QueryError> {
    let log = streamed(analysis, source)?;
    let mut hits = Hits::new(query)?;
    read_rows(source, log, 1, !query.levels.is_empty(), &mut |row| {
        hits.line(row.line, row.level, || row.clean.into());
        ControlFlow::Continue(())
    })?;
    Ok(hits.hits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream::InMemory;
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
        let w = window(&a, "a.log", 2, 100, None).unwrap_or_default();
        assert_eq!(w.iter().map(|l| l.line).collect::<Vec<_>>(), vec![2, 3, 4]);
        assert!(w[0].text.ends_with("md5sum: Connection timed out"), "{}", w[0].text);
        assert_eq!(w[0].level, Some(Level::Error));
        assert!(window(&a, "a.log", 9, 5, None).unwrap_or_default().is_empty());
        assert_eq!(window(&a, "a.log", 0, 1, None).unwrap_or_default().len(), 1, "line 0 reads as line 1");
        assert_eq!(window(&a, "b.log", 1, 1, None), Err(QueryError::NoSuchLog("b.log".into())));
        assert!(w.iter().all(|l| l.marks.is_empty()), "no query, no marks");
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
        // One line a search box can show, not the pattern repeated with a caret under it.
        let why = search(&a, "a.log", &bad).err().map(|e| e.to_string());
        assert_eq!(why.as_deref(), Some("search pattern: unclosed group"));
        let huge = LogQuery { regex: true, ..q("a{1000}{1000}") };
        assert!(matches!(search(&a, "a.log", &huge), Err(QueryError::Pattern(_))), "size limit holds");
    }

    #[test]
    fn pick_returns_the_asked_lines_that_exist() {
        let a = analysis();
        let lines = pick(&a, "a.log", &[4, 0, 2, 99], None).unwrap_or_default();
        assert_eq!(lines.iter().map(|l| l.line).collect::<Vec<_>>(), vec![4, 2]);
    }

    /// The text each mark covers, read the way JavaScript reads it (UTF-16).
    fn marked(l: &ViewLine) -> Vec<String> {
        let units: Vec<u16> = l.text.encode_utf16().collect();
        l.marks.iter().map(|[s, e]| String::from_utf16_lossy(&units[*s as usize..*e as usize])).collect()
    }

    #[test]
    fn marks_cover_what_the_query_matches_in_the_shown_text() {
        let a = analysis();
        let rows = window(&a, "a.log", 1, 4, Some(&q("MD5"))).unwrap_or_default();
        assert_eq!(
            rows.iter().map(marked).collect::<Vec<_>>(),
            [vec![], vec!["md5".to_string()], vec![], vec!["md5".into()]]
        );
        let re = LogQuery { regex: true, ..q(r"\d+:\d+|TIME\w*") };
        let row = &pick(&a, "a.log", &[2], Some(&re)).unwrap_or_default()[0];
        assert_eq!(marked(row), ["10:00", "timed"], "{row:?}");
        let every_char = LogQuery { regex: true, ..q(".") };
        let row = &window(&a, "a.log", 4, 1, Some(&every_char)).unwrap_or_default()[0];
        assert_eq!(row.marks, [[0, 20]], "touching matches are one mark: {}", row.text);
        let spaced = LogQuery { regex: true, ..q("a") };
        let long = analyze(vec![InputFile::new("l.log", "a ".repeat(500))], &AnalyzeOptions::default());
        let row = &window(&long, "l.log", 1, 1, Some(&spaced)).unwrap_or_default()[0];
        assert_eq!((row.marks.len(), row.marks[MAX_MARKS - 1]), (MAX_MARKS, [126, 127]), "capped");
        let empty_matches = LogQuery { regex: true, ..q("x*") };
        assert!(pick(&a, "a.log", &[1], Some(&empty_matches)).unwrap_or_default()[0].marks.is_empty());
        let bad = LogQuery { regex: true, ..q("(") };
        assert!(matches!(window(&a, "a.log", 1, 1, Some(&bad)), Err(QueryError::Pattern(_))));
    }

    const LINES: &[&[u8]] = &[
        b"2024-11-16T10:15:03.123Z INFO timed",
        b"I1116 10:15:04.000000 1 x.go:1] klog without a year",
        b"Nov 16 10:15:05 host kubelet[1]: syslog error",
        b"untimed continuation",
        b"\x1b[31mERROR\x1b[0m coloured md5sum: Connection timed out",
        b"Starts Uppercase untimed",
        "é→🦀 \u{202e}bidi".as_bytes(),
        b"[2024-11-16T10:15:06Z] WARN bracketed",
        b"",
        b"2099-99-99T99:99:99Z bad stamp",
        // Not UTF-8: each is replaced by U+FFFD, and a streamed log still gets marks past them.
        b"Latin-1 caf\xe9 error",
        b"cut \xe2\x82",
        b"2024-11-16T10:15:07Z stray \xff\xfe bytes, overlong \xc0\xaf",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

        /// Whatever lines a log holds and whatever pieces it arrives in, a streamed log's rows, picks and
        /// hits read again from marks (64 bytes apart in unit tests) are the held log's.
        #[test]
        fn a_streamed_log_views_as_the_held_one(
            picks in proptest::collection::vec((0..LINES.len(), 0u8..4), 0..120),
            chunk in 1usize..200,
            first in 0u32..130,
            count in 0u32..40,
            wanted in proptest::collection::vec(0u32..130, 0..20),
        ) {
            let mut text = Vec::new();
            for (i, end) in picks {
                text.extend_from_slice(LINES[i]);
                text.extend_from_slice(["\n", "\r\n", "\r", "\n\n"][usize::from(end)].as_bytes());
            }
            let options = AnalyzeOptions::default();
            let held = analyze(vec![InputFile::new("p.log", text.clone())], &options);
            let mut source = InMemory { name: "p.log".into(), bytes: text, chunk };
            let again = InMemory { name: "p.log".into(), bytes: source.bytes.clone(), chunk };
            let streamed = crate::analyze_inputs(
                vec![crate::Input::Stream(Box::new(again))],
                &options,
                &mut |_| {},
            );
            let q = LogQuery { pattern: "error|time".into(), regex: true, ..LogQuery::default() };
            let levels = LogQuery { levels: vec![Level::Error, Level::Warn], ..LogQuery::default() };
            proptest::prop_assert_eq!(
                window(&held, "p.log", first, count, Some(&q)),
                window_from(&streamed, &mut source, first, count, Some(&q))
            );
            proptest::prop_assert_eq!(pick(&held, "p.log", &wanted, None), pick_from(&streamed, &mut source, &wanted, None));
            for query in [&q, &levels] {
                proptest::prop_assert_eq!(search(&held, "p.log", query), search_from(&streamed, &mut source, query));
            }
            let (line, radius) = (first.max(1), count);
            let excerpt = crate::export::excerpt::excerpt(&held, "p.log", line, Some(line + 2), radius);
            let from = excerpt_from(&streamed, &mut source, line, Some(line + 2), radius).ok();
            proptest::prop_assert_eq!(excerpt.map(|e| format!("{e:?}")), from.map(|e| format!("{e:?}")));
        }
    }

    #[test]
    fn marks_count_utf16_units_after_wide_characters_and_fold_unicode_case() {
        let log = "Ünïcode 😀 ÉCHEC then échec\n";
        let a = analyze(vec![InputFile::new("u.log", log)], &AnalyzeOptions::default());
        let row = &window(&a, "u.log", 1, 1, Some(&q("échec"))).unwrap_or_default()[0];
        assert_eq!(row.marks, [[11, 16], [22, 27]], "😀 is two units, not four bytes");
        assert_eq!(marked(row), ["ÉCHEC", "échec"]);
    }
}
