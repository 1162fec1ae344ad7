//! Chunk boundaries must not matter: a small log cut at every byte position (inside `\r\n`, inside a
//! UTF-8 sequence, inside a UTF-16 code unit) reads as the same lines, offsets and warnings as the whole.

use std::ops::ControlFlow;

use super::tally::{Digest, Tally};
use super::{LogSource, each_line};
use crate::decode::decode_owned;
use crate::logline::incremental::{self, Timing, TimingScan};
use crate::logline::read_log;
use crate::warning::Warning;

/// Bytes handed over in the pieces `cuts` makes.
struct Cut<'a> {
    bytes: &'a [u8],
    cuts: Vec<usize>,
}

impl LogSource for Cut<'_> {
    fn name(&self) -> &str {
        "x.log"
    }
    fn size(&self) -> u64 {
        self.bytes.len() as u64
    }
    fn read(&mut self, sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>) -> Result<(), String> {
        let mut from = 0;
        for &to in self.cuts.iter().chain([&self.bytes.len()]) {
            if sink(&self.bytes[from..to]).is_break() {
                return Ok(());
            }
            from = to;
        }
        Ok(())
    }
}

const TEXT: &str = "[2024-11-16T10:15:03.123Z] a\r\nI1116 10:15:04.000000 1 x.go:1] é→🦀 connection refused\rno time\n\n\
                    \x1b[31mERROR\x1b[0m md5sum: can't open '/data/x': Connection timed out\r\n2024-13-45T99:00:00Z bad\nlast";

fn variants() -> Vec<(&'static str, Vec<u8>)> {
    let utf16le: Vec<u8> = TEXT.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let utf16be: Vec<u8> = TEXT.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let mut bom_le = vec![0xFF, 0xFE];
    bom_le.extend(&utf16le);
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend(TEXT.as_bytes());
    let mut invalid = TEXT.as_bytes().to_vec();
    invalid.splice(40..40, [0xFF, b'a', 0xE2, 0x82, b'\n', 0xC3]);
    invalid.extend([0xE2, 0x82]);
    let mut nul = TEXT.as_bytes().to_vec();
    nul.splice(10..10, [0, 0, b'\r']);
    let mut odd = bom_le.clone();
    odd.push(b'z');
    vec![
        ("utf-8", TEXT.as_bytes().to_vec()),
        ("utf-8 bom", bom8),
        ("utf-16le bom", bom_le),
        ("utf-16be", utf16be),
        ("utf-16 odd length", odd),
        ("invalid utf-8", invalid),
        ("nul and cr", nul),
        ("cr only", b"one\rtwo\r\rfour\r".to_vec()),
    ]
}

/// Lines (text, start, end) and warnings as the whole-file path gives them.
fn held(bytes: &[u8]) -> (Vec<(String, usize, usize)>, Vec<Warning>) {
    let mut warnings = Vec::new();
    let text = decode_owned("x.log", bytes.to_vec(), &mut warnings);
    let log = read_log("x.log", text, None, &mut warnings);
    let lines = log.lines.iter().enumerate().map(|(i, l)| (log.raw(i).to_string(), l.start, l.end)).collect();
    (lines, warnings)
}

fn streamed(source: &mut Cut<'_>) -> (Vec<(String, usize, usize)>, Vec<Warning>) {
    let mut lines = Vec::new();
    let _ = each_line(source, &mut |_| {}, &mut |l, _| {
        lines.push((l.text.to_string(), l.start, l.end));
        ControlFlow::Continue(())
    });
    // The counting the events pass does, read again from the top when a line retimes those above it.
    let mut timing = Timing::new(None);
    let counted = loop {
        let mut scan = TimingScan::new(timing);
        let mut retime = None;
        let mut tally = Tally::new(2000);
        let mut idx = 0;
        let (pass, _) = each_line(source, &mut |_| {}, &mut |l, decoded| {
            let clean = incremental::clean(l.text);
            let parsed = match scan.line(idx, &clean) {
                ControlFlow::Continue(parsed) => parsed,
                ControlFlow::Break(t) => {
                    retime = Some(t);
                    return ControlFlow::Break(());
                }
            };
            tally.line(&l, &clean, decoded, parsed.untimed, None);
            idx += 1;
            ControlFlow::Continue(())
        });
        match retime {
            Some(t) => timing = t,
            None => break tally.finish("x.log", pass, Digest::new(u64::MAX), None),
        }
    };
    let mut warnings = counted.decode_warnings;
    warnings.extend(counted.bad_stamps);
    assert_eq!(counted.lines as usize, lines.len());
    (lines, warnings)
}

#[test]
fn every_cut_reads_the_same_lines_and_warnings() {
    for (what, bytes) in variants() {
        let expected = held(&bytes);
        for at in 0..=bytes.len() {
            let got = streamed(&mut Cut { bytes: &bytes, cuts: vec![at] });
            assert_eq!(got, expected, "{what}, cut at {at}");
        }
        let every: Vec<usize> = (1..bytes.len()).collect();
        assert_eq!(streamed(&mut Cut { bytes: &bytes, cuts: every }), expected, "{what}, byte by byte");
    }
}

#[test]
fn every_cut_gives_the_same_report() {
    use crate::{AnalyzeOptions, Input, InputFile, analyze, analyze_inputs};
    let junit = "<testsuite name=\"s\" timestamp=\"2024-11-16T10:15:00Z\"><testcase classname=\"s\" name=\"t\" time=\"60\">\
                 <failure message=\"boom\"/></testcase></testsuite>";
    for (what, bytes) in variants() {
        let files = vec![InputFile::new("junit.xml", junit), InputFile::new("x.log", bytes.clone())];
        let expected = analyze(files, &AnalyzeOptions::default()).report.to_json_pretty();
        // Every third cut keeps the test quick; the line-level test above takes every one.
        for at in (0..=bytes.len()).step_by(3) {
            let inputs = vec![
                Input::Bytes(InputFile::new("junit.xml", junit)),
                Input::Stream(Box::new(OwnedCut { bytes: bytes.clone(), at })),
            ];
            let got = analyze_inputs(inputs, &AnalyzeOptions::default(), &mut |_| {});
            assert!(got.logs.is_empty(), "{what}: the log was held whole");
            assert_eq!(got.report.to_json_pretty(), expected, "{what}, cut at {at}");
        }
    }
}

struct OwnedCut {
    bytes: Vec<u8>,
    at: usize,
}

impl LogSource for OwnedCut {
    fn name(&self) -> &str {
        "x.log"
    }
    fn size(&self) -> u64 {
        self.bytes.len() as u64
    }
    fn read(&mut self, sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>) -> Result<(), String> {
        Cut { bytes: &self.bytes, cuts: vec![self.at] }.read(sink)
    }
}

/// The console marks (searched in the decoded text, not in lines) are found wherever a chunk boundary
/// cuts them, so a console log is framed as when held: the pytest fixture cut through each mark.
#[test]
fn every_cut_frames_a_console_log_the_same() {
    use crate::{AnalyzeOptions, Input, InputFile, analyze, analyze_inputs};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/rwx-recovery-pytest/");
    let read = |f: &str| std::fs::read(format!("{dir}{f}")).unwrap_or_default();
    let (junit, console) = (read("longhorn-test-junit-report.xml"), read("console.log"));
    assert!(!console.is_empty() && !junit.is_empty());
    let files =
        vec![InputFile::new("junit.xml", junit.clone()), InputFile::new("console.log", console.clone())];
    let expected = analyze(files, &AnalyzeOptions::default()).report;
    assert!(expected.assignments.iter().any(|a| a.reason == crate::assign::AssignReason::ConsoleFrame));
    let expected = expected.to_json_pretty();
    // Every cut through the first line (a run of `=`) and through each `.py::`.
    let mut cuts: Vec<usize> = (0..=100).collect();
    for (i, _) in String::from_utf8_lossy(&console).match_indices(".py::") {
        cuts.extend(i.saturating_sub(1)..i + 6);
    }
    for at in cuts {
        let inputs = vec![
            Input::Bytes(InputFile::new("junit.xml", junit.clone())),
            Input::Stream(Box::new(Named {
                name: "console.log",
                inner: OwnedCut { bytes: console.clone(), at },
            })),
        ];
        let got = analyze_inputs(inputs, &AnalyzeOptions::default(), &mut |_| {});
        assert_eq!(got.report.to_json_pretty(), expected, "cut at {at}");
    }
}

struct Named {
    name: &'static str,
    inner: OwnedCut,
}

impl LogSource for Named {
    fn name(&self) -> &str {
        self.name
    }
    fn size(&self) -> u64 {
        self.inner.size()
    }
    fn read(&mut self, sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>) -> Result<(), String> {
        self.inner.read(sink)
    }
}

/// The warnings the events pass counts (decoding, bad timestamps, over-long lines) land where the
/// whole-log path gives them, among those of other files, streamed or held.
#[test]
fn counted_warnings_keep_their_place_among_several_logs() {
    use crate::{AnalyzeOptions, Input, InputFile, analyze, analyze_inputs};
    let junit = "<testsuite name=\"s\" timestamp=\"2024-11-16T10:15:00Z\"><testcase classname=\"s\" name=\"t\" time=\"60\">\
                 <failure message=\"boom\"/></testcase></testsuite>";
    let log = |tag: &str| {
        let mut b = format!("2024-11-16T10:15:01Z {tag} start\n2024-13-45T99:00:00Z bad\n").into_bytes();
        b.extend([0xFF, b'\n']);
        b.extend(format!("2024-11-16T10:15:02Z {}\nconnection refused\n", "x".repeat(5000)).into_bytes());
        b
    };
    let files = vec![
        InputFile::new("a.log", log("a")),
        InputFile::new("junit.xml", junit),
        InputFile::new("b.log", log("b")),
        InputFile::new("c.log", log("c")),
    ];
    let expected = analyze(files.clone(), &AnalyzeOptions::default()).report;
    assert!(expected.warnings.len() >= 9, "{:?}", expected.warnings);
    // Each log streamed or held, in every combination.
    for mask in 0..8u32 {
        let inputs = files
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, f)| {
                let bit = [Some(0), None, Some(1), Some(2)][i];
                match bit {
                    Some(b) if mask & (1 << b) != 0 => {
                        let name = ["a.log", "", "b.log", "c.log"][i];
                        Input::Stream(Box::new(Named { name, inner: OwnedCut { bytes: f.bytes, at: 7 } }))
                    }
                    _ => Input::Bytes(f),
                }
            })
            .collect();
        let got = analyze_inputs(inputs, &AnalyzeOptions::default(), &mut |_| {});
        assert_eq!(got.report.to_json_pretty(), expected.to_json_pretty(), "streamed mask {mask:03b}");
    }
}

/// A log whose seeks are recorded: from where the quoted lines were read.
struct Seeking {
    bytes: Vec<u8>,
    from: std::sync::Arc<std::sync::Mutex<Vec<u64>>>,
}

impl LogSource for Seeking {
    fn name(&self) -> &str {
        "x.log"
    }
    fn size(&self) -> u64 {
        self.bytes.len() as u64
    }
    fn read(&mut self, sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>) -> Result<(), String> {
        self.read_from(0, sink)
    }
    fn read_from(
        &mut self,
        offset: u64,
        sink: &mut dyn FnMut(&[u8]) -> ControlFlow<()>,
    ) -> Result<(), String> {
        self.from.lock().unwrap().push(offset);
        let rest = self.bytes.get(usize::try_from(offset).unwrap_or(usize::MAX)..).unwrap_or_default();
        for piece in rest.chunks(50) {
            if sink(piece).is_break() {
                break;
            }
        }
        Ok(())
    }
}

/// The quoted lines read from a mark the events pass left (not from the start) are the lines a log
/// held whole quotes: with a BOM, CRLF, lone CRs, and an undecodable byte (marks stop before it).
#[test]
fn quoted_lines_read_from_a_mark_are_the_same() {
    use crate::{AnalyzeOptions, Input, InputFile, analyze, analyze_inputs};
    let junit = "<testsuite name=\"s\" timestamp=\"2024-11-16T10:15:00Z\"><testcase classname=\"s\" name=\"t\" time=\"60\">\
                 <failure message=\"boom\"/></testcase></testsuite>";
    let body = |eol: &str| {
        let mut s = String::new();
        for i in 0..60 {
            s.push_str(&format!("2024-11-16T10:15:{:02}Z INFO filler é {i}{eol}", i % 60));
        }
        s.push_str(&format!(
            "2024-11-16T10:16:00Z ERROR md5sum: can't open '/data/x': Connection timed out{eol}"
        ));
        s.push_str(&format!(
            "2024-11-16T10:16:01Z ERROR dial tcp 10.0.0.1:443: connect: connection refused{eol}tail"
        ));
        s.into_bytes()
    };
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(body("\n"));
    let mut invalid = body("\n");
    invalid.insert(2000, 0xFF);
    for (what, bytes, seeks) in [
        ("lf", body("\n"), true),
        ("crlf", body("\r\n"), true),
        ("cr", body("\r"), true),
        ("bom", bom, true),
        ("invalid", invalid, true),
    ] {
        let files = vec![InputFile::new("junit.xml", junit), InputFile::new("x.log", bytes.clone())];
        let held = analyze(files, &AnalyzeOptions::default());
        let expected = held.report;
        assert!(
            expected.diagnoses.iter().flat_map(|d| &d.evidence).any(|e| e.line > 50),
            "{what}: nothing quoted late"
        );
        let from = std::sync::Arc::<std::sync::Mutex<Vec<u64>>>::default();
        let inputs = vec![
            Input::Bytes(InputFile::new("junit.xml", junit)),
            Input::Stream(Box::new(Seeking { bytes, from: std::sync::Arc::clone(&from) })),
        ];
        let got = analyze_inputs(inputs, &AnalyzeOptions::default(), &mut |_| {});
        assert_eq!(got.report.to_json_pretty(), expected.to_json_pretty(), "{what}");
        let from = from.lock().unwrap();
        assert_eq!(from.iter().any(|&o| o > 0), seeks, "{what}: {from:?}");
        // Every kept line is the held log's line of that number.
        let kept = got.kept.first().map(|k| k.lines.clone()).unwrap_or_default();
        assert!(!kept.is_empty(), "{what}");
        for (n, text) in kept {
            let i = n as usize - 1;
            assert_eq!(held.logs.first().map(|l| l.clean(i).into_owned()), Some(text), "{what}, line {n}");
        }
    }
}

#[test]
fn a_source_read_whole_fills_a_buffer_of_its_size() {
    // Grown chunk by chunk, the buffer of a 40 MB report reached 64 MiB (and 96 MiB while moving).
    let bytes = vec![b'x'; 1_000_003];
    let cuts = (4096..bytes.len()).step_by(4096).collect();
    let all = super::whole(&mut Cut { bytes: &bytes, cuts }).unwrap();
    assert_eq!(all, bytes);
    assert_eq!(all.capacity(), bytes.len());
}

/// A line start the decoder places in the file (what a mark records) reads back, with a decoder started
/// there, as the same text the whole file decodes to from that line: past a BOM and past replaced
/// sequences, wherever the chunks are cut; and lines past an invalid byte still get places.
#[test]
fn a_line_start_placed_in_the_file_reads_back_as_the_same_text() {
    let invalid = variants().into_iter().find(|v| v.0 == "invalid utf-8").map(|v| v.1).unwrap_or_default();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    for _ in 0..6 {
        bytes.extend(&invalid);
        bytes.push(b'\n');
    }
    assert!(bytes.len() > 2 * 512, "longer than the decoder's sniffed head, so it decodes in chunks");
    let text = decode_owned("x.log", bytes.clone(), &mut Vec::new());
    let first_bad = text.find('\u{FFFD}').unwrap_or(usize::MAX);
    for (a, b) in [(0, 0), (bytes.len(), bytes.len())]
        .into_iter()
        .chain((1..bytes.len()).map(|c| (c, (c + 97).min(bytes.len()))))
    {
        let mut source = Cut { bytes: &bytes, cuts: vec![a, b] };
        let (mut lines, mut placed, mut past_bad) = (0, 0, 0);
        let _ = each_line(&mut source, &mut |_| {}, &mut |l, decoded| {
            lines += 1;
            if let Some(at) = decoded.file_at {
                let rest = bytes.get(at as usize..).unwrap_or_default();
                assert_eq!(
                    String::from_utf8_lossy(rest),
                    text[l.start..],
                    "cuts at {a} and {b}, line at {}",
                    l.start
                );
                placed += 1;
                past_bad += usize::from(l.start > first_bad);
            }
            ControlFlow::Continue(())
        });
        assert!(past_bad > 0, "cuts at {a} and {b}: no line past the first invalid byte was placed");
        if a == b {
            // The last line ends the file after its last replaced sequence: every line has a place.
            assert_eq!(placed, lines, "one chunk");
        }
    }
}

/// A chunk with more replaced sequences than the decoder keeps places in the file: the lines it cannot
/// place get none (never a wrong one), and those past the chunk's last replacement still do.
#[test]
fn a_chunk_of_many_invalid_bytes_places_only_what_it_can() {
    let mut bytes = Vec::new();
    for i in 0..100 {
        bytes.extend(format!("line {i} ").as_bytes());
        bytes.extend([0xFF, b'\n']);
    }
    bytes.extend(b"clean tail one\nclean tail two\n");
    let text = decode_owned("x.log", bytes.clone(), &mut Vec::new());
    let mut source = Cut { bytes: &bytes, cuts: vec![] };
    let mut placed = Vec::new();
    let _ = each_line(&mut source, &mut |_| {}, &mut |l, decoded| {
        if let Some(at) = decoded.file_at {
            let rest = bytes.get(at as usize..).unwrap_or_default();
            assert_eq!(String::from_utf8_lossy(rest), text[l.start..], "line at {}", l.start);
            placed.push(l.text.to_string());
        }
        ControlFlow::Continue(())
    });
    assert!(placed.len() < 102, "a line past the kept replacements was placed: {placed:?}");
    assert!(placed.iter().any(|l| l == "line 1 \u{FFFD}"), "lines among the kept ones are placed");
    assert!(placed.ends_with(&["clean tail one".to_string(), "clean tail two".to_string()]));
}
