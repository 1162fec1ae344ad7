//! Evidence in context: a cited line with the lines around it, as the artifact has them.

use crate::analyze::Analysis;

/// One line of an excerpt (serialisable for the wasm package's `excerpt`, which returns these).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExcerptLine {
    pub line: u32,
    /// The line without ANSI sequences (raw control characters still need escaping by the renderer).
    pub text: String,
    /// True for the cited line(s), false for context.
    pub cited: bool,
}

/// Default longest line kept in an excerpt; a 1 GB single-line log must not become a 1 GB report. The
/// analysis's own [`Limits::max_line_chars`](crate::input::Limits::max_line_chars) is what applies.
pub const EXCERPT_LINE_CHARS: usize = crate::input::Limits::DEFAULT_LINE_CHARS;

/// Lines `line..=line_end` of `file` with `radius` lines either side, or `None` when `file` is not a log
/// the analysis read (evidence from JUnit or output.xml carries its own text).
pub fn excerpt(
    analysis: &Analysis,
    file: &str,
    line: u32,
    line_end: Option<u32>,
    radius: u32,
) -> Option<Vec<ExcerptLine>> {
    let last_cited = line_end.unwrap_or(line).max(line);
    let first = line.saturating_sub(radius).max(1);
    let mut out = Vec::new();
    let mut push = |n: u32, text: &str| {
        let text = super::clip(text, analysis.limits.max_line_chars).into_owned();
        out.push(ExcerptLine { line: n, text, cited: (line..=last_cited).contains(&n) });
    };
    if let Some(log) = analysis.logs.iter().find(|l| l.name == file) {
        let last = last_cited.saturating_add(radius).min(u32::try_from(log.lines.len()).unwrap_or(u32::MAX));
        for n in first..=last {
            let Some(idx) = usize::try_from(n).ok().and_then(|n| n.checked_sub(1)) else { continue };
            if idx >= log.lines.len() {
                break;
            }
            push(n, &log.clean(idx));
        }
    } else {
        // A log read as a stream kept the lines its evidence cites, with the HTML excerpt's context.
        let log = analysis.kept.iter().find(|l| l.name == file)?;
        let last = last_cited.saturating_add(radius).min(log.total);
        for n in first..=last {
            push(n, log.line(n).unwrap_or_default());
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalyzeOptions, InputFile, analyze};

    fn analysis() -> Analysis {
        let log = (1..=10).map(|i| format!("line {i}\n")).collect::<String>();
        analyze(vec![InputFile::new("a.log", log)], &AnalyzeOptions::default())
    }

    #[test]
    fn cited_line_with_context_clamped_to_the_file() {
        let a = analysis();
        let ex = excerpt(&a, "a.log", 2, None, 3).unwrap_or_default();
        assert_eq!(ex.iter().map(|l| l.line).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
        assert_eq!(
            ex.iter().filter(|l| l.cited).map(|l| l.text.as_str()).collect::<Vec<_>>(),
            vec!["line 2"]
        );
        let tail = excerpt(&a, "a.log", 9, Some(10), 2).unwrap_or_default();
        assert_eq!(
            tail.iter().map(|l| (l.line, l.cited)).collect::<Vec<_>>(),
            vec![(7, false), (8, false), (9, true), (10, true)]
        );
    }

    #[test]
    fn unknown_file_or_line_gives_nothing_or_clamps() {
        let a = analysis();
        assert!(excerpt(&a, "b.log", 1, None, 1).is_none());
        assert!(excerpt(&a, "a.log", 50, None, 1).unwrap_or_default().is_empty());
        assert!(excerpt(&a, "a.log", 0, None, 0).unwrap_or_default().is_empty());
    }
}
