//! Streamed logs against held ones: any bytes, read as a log in chunks of a size the input picks (its
//! first byte), must give exactly the report the same bytes give held whole. The split points land
//! inside UTF-8 sequences, UTF-16 code units, CRLF pairs and over-long lines. A viewer reading the
//! streamed log's rows, hits and picks again from the source gets the held log's.
#![no_main]

use faultline_core::logline::Level;
use faultline_core::logview::{self, LogQuery};
use faultline_core::stream::InMemory;
use faultline_core::{AnalyzeOptions, Input, InputFile, analyze, analyze_inputs};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else { return };
    let chunk = usize::from(first % 64) + 1;
    // Small limits, so clipping and the event cap are exercised by short inputs too.
    let mut options = AnalyzeOptions::default();
    options.limits.max_line_chars = 40;
    options.limits.max_events_per_test = 8;
    let held = analyze(vec![InputFile::new("console.log", bytes.to_vec())], &options);
    let source = InMemory { name: "console.log".into(), bytes: bytes.to_vec(), chunk };
    let streamed = analyze_inputs(vec![Input::Stream(Box::new(source))], &options, &mut |_| {});
    assert_eq!(held.report.to_json_pretty(), streamed.report.to_json_pretty(), "chunks of {chunk}");
    if held.logs.is_empty() || streamed.kept.is_empty() {
        return; // read whole (XML-like, binary): nothing streamed to view
    }
    let mut again = InMemory { name: "console.log".into(), bytes, chunk };
    let all = logview::window(&held, "console.log", 1, u32::MAX, None);
    assert_eq!(all, logview::window_from(&streamed, &mut again, 1, u32::MAX, None), "rows, chunks of {chunk}");
    let lines: Vec<u32> = (0..=all.as_ref().map_or(0, |r| r.len() as u32 + 1)).rev().collect();
    let picked = logview::pick(&held, "console.log", &lines, None);
    assert_eq!(picked, logview::pick_from(&streamed, &mut again, &lines, None), "picks, chunks of {chunk}");
    let queries = [
        LogQuery { pattern: "e".into(), ..LogQuery::default() },
        LogQuery { pattern: r"\d+".into(), regex: true, ..LogQuery::default() },
        LogQuery { levels: vec![Level::Error, Level::Warn, Level::Info], ..LogQuery::default() },
    ];
    for q in &queries {
        let hits = logview::search(&held, "console.log", q);
        assert_eq!(hits, logview::search_from(&streamed, &mut again, q), "search {q:?}, chunks of {chunk}");
    }
});
