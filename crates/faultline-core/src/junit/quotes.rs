//! The lines of an XML report that evidence may quote, kept after the report's text is freed.
//!
//! A diagnosis quotes the lines its evidence cites. Evidence from a JUnit file is always one of the
//! failed test's own events: its `<testcase>` line (test started and finished) or a line of one of its
//! failure elements (the assertion and what the pattern pack found in the failure text, see
//! `analyze::junit_events`). So only those lines are kept: on a 100k-case report, a few hundred
//! kilobytes instead of the whole decoded text (40 MB) and its line index (8 MB) held until the end.
//! output.xml evidence can cite any step or message, so a Robot report is kept whole.

use crate::fast_hash::FastMap;
use crate::model::TestCase;

/// Quotable lines of one XML report, trimmed as evidence shows them.
#[derive(Debug)]
pub enum XmlQuotes {
    /// Only these lines, each trimmed and clipped, in `text`; `lines` holds each one's number (1-based,
    /// ascending) and range in `text` (one buffer rather than a string per line: 30k small allocations
    /// cost more than the text they hold; a line repeated in many failures is held once).
    Cited { text: String, lines: Vec<(u32, (usize, usize))> },
    /// The whole decoded text, with line starts computed on first use.
    Whole { text: String, starts: Option<Vec<usize>> },
}

impl XmlQuotes {
    /// Keeps the lines of `text` that evidence about `cases` can cite, each trimmed and clipped to
    /// `max_chars` (a cited 1 GB line costs `max_chars` characters, not a second gigabyte).
    pub fn cited(text: &str, cases: &[TestCase], max_chars: usize) -> XmlQuotes {
        // (line, byte range) of every kept line. Each case's lines are found by walking from its
        // `<testcase>` line (whose start the reader recorded), so only failed cases' text is scanned,
        // not the whole file (a million lines on 100k cases, 60 ms).
        let mut found: Vec<(u32, usize, usize)> = Vec::new();
        for c in cases.iter().filter(|c| c.status.is_failure() || !c.failures.is_empty()) {
            let mut wanted = citable_lines(c);
            crate::sort::sort_by(&mut wanted, Ord::cmp);
            wanted.dedup();
            let from = usize::try_from(c.source.byte_start).unwrap_or(usize::MAX);
            // The walk starts at the case's line; a line before it (never, from the reader) is not kept.
            let mut want = wanted.into_iter().skip_while(|&n| n < c.source.line).peekable();
            let Some(rest) = text.get(from..) else { continue };
            for (i, line) in Lines::new(rest).enumerate() {
                let Some(&next) = want.peek() else { break };
                let n = c.source.line.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
                if n == next {
                    let start = line.as_ptr() as usize - text.as_ptr() as usize;
                    found.push((n, start, start + line.len()));
                    want.next();
                }
            }
        }
        crate::sort::sort_by(&mut found, Ord::cmp);
        found.dedup_by_key(|&mut (n, _, _)| n);
        // Stack traces repeat the same frames from failure to failure: each distinct line is kept once.
        let mut kept = String::new();
        let mut seen: FastMap<&str, (usize, usize)> = FastMap::default();
        let mut lines = Vec::with_capacity(found.len());
        for (n, start, end) in found {
            let Some(line) = text.get(start..end) else { continue };
            let line = line.trim();
            let at = *seen.entry(line).or_insert_with(|| {
                let from = kept.len();
                kept.push_str(&crate::export::clip(line, max_chars));
                (from, kept.len())
            });
            lines.push((n, at));
        }
        kept.shrink_to_fit();
        XmlQuotes::Cited { text: kept, lines }
    }

    pub fn whole(text: String) -> XmlQuotes {
        XmlQuotes::Whole { text, starts: None }
    }

    /// Line `n` (1-based), trimmed; for a whole text, clipped to `max_chars` as well.
    pub fn line(&mut self, n: u32, max_chars: usize) -> Option<String> {
        let i = usize::try_from(n).ok()?.checked_sub(1)?;
        match self {
            XmlQuotes::Cited { text, lines } => {
                let at = lines.binary_search_by_key(&n, |&(line, _)| line).ok()?;
                let (start, end) = lines[at].1;
                text.get(start..end).map(str::to_string)
            }
            XmlQuotes::Whole { text, starts } => {
                let starts = starts.get_or_insert_with(|| super::lines::line_starts(text.as_bytes()));
                let start = *starts.get(i)?;
                let end = starts.get(i + 1).map_or(text.len(), |&next| next - 1);
                text.get(start..end).map(|l| crate::export::clip(l.trim(), max_chars).into_owned())
            }
        }
    }
}

/// The lines a failed test's events point at: its `<testcase>` line, and each failure element's line
/// through as many lines as its text has (one event source per text line, see `analyze::junit_events`).
fn citable_lines(c: &TestCase) -> Vec<u32> {
    let mut lines = vec![c.source.line];
    for f in &c.failures {
        let n = u32::try_from(f.text.lines().count()).unwrap_or(u32::MAX);
        let last = f.line.saturating_add(n.saturating_sub(1));
        lines.extend(f.line..=last);
    }
    lines
}

/// Lines split as [`super::lines::line_starts`] splits them (`\n`, `\r\n`, a lone `\r`), without
/// building the index of a whole file.
struct Lines<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines { text, at: 0 }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.at > self.text.len() {
            return None;
        }
        let rest = &self.text.as_bytes()[self.at..];
        let start = self.at;
        match memchr::memchr2(b'\n', b'\r', rest) {
            Some(i) => {
                let end = start + i;
                let crlf = rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n');
                self.at = end + if crlf { 2 } else { 1 };
                // As before: a line ends one byte before the next starts, so a CRLF line keeps its CR
                // (trimmed away with the rest of the whitespace).
                let end = if crlf { end + 1 } else { end };
                self.text.get(start..end)
            }
            None => {
                self.at = self.text.len() + 1;
                self.text.get(start..)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kept lines are exactly what the whole text gives for them, whatever the line endings.
    #[test]
    fn cited_lines_equal_the_whole_texts_lines() {
        let text = "<a>\n  <b x=\"1\">\r\n\tline three  \rfour\n\nsix";
        let starts = super::super::lines::line_starts(text.as_bytes());
        let all: Vec<&str> = Lines::new(text).collect();
        assert_eq!(all.len(), starts.len());
        let mut whole = XmlQuotes::whole(text.to_string());
        for (i, l) in all.iter().enumerate() {
            let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
            assert_eq!(whole.line(n, 100), Some(l.trim().to_string()), "line {n}");
        }
        assert_eq!(whole.line(7, 100), None);
        assert_eq!(whole.line(0, 100), None);
        assert_eq!(whole.line(3, 4), Some("line…".to_string()));
    }

    #[test]
    fn a_failed_cases_testcase_and_failure_lines_are_kept() {
        let xml = "<testsuite name=\"s\">\n<testcase name=\"ok\"/>\n<testcase name=\"bad\">\n\
                   <failure message=\"m\">one\ntwo\nthree</failure>\n</testcase>\n</testsuite>\n";
        let mut w = Vec::new();
        let doc = crate::junit::read_junit("j.xml", xml, &mut w);
        let mut cited = XmlQuotes::cited(xml, &doc.cases, 100);
        let mut whole = XmlQuotes::whole(xml.to_string());
        for n in [3, 4, 5, 6] {
            assert_eq!(cited.line(n, 100), whole.line(n, 100), "line {n}");
            assert!(cited.line(n, 100).is_some());
        }
        assert_eq!(cited.line(2, 100), None, "a passing case's line is not kept");
    }

    /// Every line a failed case can cite is kept, equal to the whole text's, whatever the layout: CRLF
    /// files, several failures, a whole report on one line.
    #[test]
    fn cited_lines_match_whole_for_every_citable_line() {
        let crlf = "<testsuites>\r\n<testsuite name=\"s\">\r\n<testcase name=\"a\"/>\r\n\
                    <testcase name=\"b\">\r\n<failure message=\"m\">x &lt; 1\r\n  at f()\r\n</failure>\r\n\
                    <error>e1\r\ne2</error>\r\n</testcase>\r\n<testcase name=\"c\"><failure/></testcase>\r\n\
                    </testsuite>\r\n</testsuites>\r\n";
        let one_line = crlf.replace("\r\n", " ");
        for xml in [crlf.to_string(), one_line, crlf.replace("\r\n", "\r")] {
            let mut w = Vec::new();
            let doc = crate::junit::read_junit("j.xml", &xml, &mut w);
            let mut cited = XmlQuotes::cited(&xml, &doc.cases, 100);
            let mut whole = XmlQuotes::whole(xml.clone());
            let mut checked = 0;
            for c in doc.cases.iter().filter(|c| c.status.is_failure()) {
                for n in citable_lines(c) {
                    assert_eq!(cited.line(n, 100), whole.line(n, 100), "line {n} of {xml:?}");
                    checked += 1;
                }
            }
            assert!(checked >= 3, "{xml:?}");
        }
    }
}
