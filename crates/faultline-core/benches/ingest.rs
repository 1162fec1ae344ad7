//! Log ingestion throughput on a generated ~100 MB Kubernetes-style log: line splitting and timestamps
//! (`read_log`), pattern extraction over every line with the built-in pack (plain, and with ANSI colours
//! on most lines, which take the line-by-line path), and the whole pipeline for one log (decode, split,
//! frame, extract, assign). About 1.5 % of lines match a pattern, as in real
//! component logs.

use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use faultline_core::extract::Pack;
use faultline_core::input::Limits;
use faultline_core::logview::{self, LogQuery};
use faultline_core::stream::InMemory;
use faultline_core::{AnalyzeOptions, Input, InputFile, analyze, analyze_inputs, logline};

/// A log in memory handed over in 8 MiB slices, as the browser reads a File (`FileReaderSync`).
fn sliced(bytes: Arc<[u8]>) -> InMemory<Arc<[u8]>> {
    InMemory { name: "k8s.log".into(), bytes, chunk: 8 << 20 }
}

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn k8s_log(bytes: usize) -> String {
    let mut rng = Lcg(7);
    let mut s = String::with_capacity(bytes + 512);
    let mut ms: u64 = 0;
    while s.len() < bytes {
        ms += rng.next() % 50;
        let (h, m, sec, milli) = (10 + ms / 3_600_000 % 10, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        let vol = rng.next() % 64;
        match rng.next() % 200 {
            0 => s.push_str(&format!(
                "[2024-11-16T{h:02}:{m:02}:{sec:02}.{milli:03}Z] Got /data/data.txt checksum = md5sum: can't open '/data/data.txt': Connection timed out\n"
            )),
            1 => s.push_str(&format!(
                "time=\"2024-11-16T{h:02}:{m:02}:{sec:02}.{milli:03}Z\" level=info msg=\"Deleting share manager pod\" controller=longhorn-share-manager shareManager=pvc-{vol:04x} state=running\n"
            )),
            2 => s.push_str(&format!("[2024-11-16T{h:02}:{m:02}:{sec:02}.{milli:03}Z] Waiting for pvc-{vol:04x} healthy ... ({})\n", rng.next() % 600)),
            3..=90 => s.push_str(&format!(
                "time=\"2024-11-16T{h:02}:{m:02}:{sec:02}.{milli:03}Z\" level=info msg=\"Requeue volume due to conflict\" func=\"controller.(*VolumeController).syncVolume\" controller=longhorn-volume node=ip-10-0-1-{} volume=pvc-{vol:04x}\n",
                rng.next() % 250
            )),
            91..=150 => s.push_str(&format!(
                "I1116 {h:02}:{m:02}:{sec:02}.{milli:03}123   12345 reconciler.go:{}] attached volume pvc-{vol:04x} to node ip-10-0-1-{}\n",
                rng.next() % 900,
                rng.next() % 250
            )),
            _ => s.push_str(&format!(
                "2024-11-16T{h:02}:{m:02}:{sec:02}.{milli:03}Z DEBUG [replica] engine pvc-{vol:04x}-e-0 replica mode map refreshed in {} ms\n",
                rng.next() % 100
            )),
        }
    }
    s
}

/// The founding case plus 100,000 unrelated manager-log lines: what a diagnosis costs in a noisy run.
fn noisy_founding() -> Vec<InputFile> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rwx-recovery-cr-deleted");
    let mut files: Vec<InputFile> = ["junit.xml", "output.xml", "console.log"]
        .iter()
        .filter_map(|n| std::fs::read(dir.join(n)).ok().map(|b| InputFile::new(*n, b)))
        .collect();
    let mut noise = String::new();
    let mut rng = Lcg(11);
    for i in 0..100_000u64 {
        let ms = 1_731_751_920_000 + i * 3;
        let secs = ms / 1000;
        noise.push_str(&format!(
            "time=\"2024-11-16T10:{:02}:{:02}.{:03}Z\" level=info msg=\"Requeue volume due to conflict\" controller=longhorn-volume node=ip-10-0-1-{} volume=pvc-noise-{:04x}\n",
            (secs / 60) % 60,
            secs % 60,
            ms % 1000,
            rng.next() % 250,
            rng.next() % 4096
        ));
    }
    files.push(InputFile::new("noise/longhorn-manager.log", noise.into_bytes()));
    files
}

fn bench(c: &mut Criterion) {
    let noisy = noisy_founding();
    let noisy_bytes: u64 = noisy.iter().map(|f| f.bytes.len() as u64).sum();
    let mut group = c.benchmark_group("diagnosis");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(noisy_bytes));
    group.bench_function("noisy_founding_case_100k_lines", |b| {
        b.iter(|| {
            let a = analyze(noisy.clone(), &AnalyzeOptions::default());
            assert_eq!(
                a.report.diagnoses.first().map(|d| d.rule.as_str()),
                Some("deleted-cr-instead-of-pod")
            );
            a.report.events.len()
        })
    });
    group.finish();

    let log = k8s_log(100 << 20);
    let mut group = c.benchmark_group("log");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(log.len() as u64));
    group.bench_function("read_log_100MB", |b| {
        b.iter(|| logline::read_log("k8s.log", log.clone(), Some(2024), &mut Vec::new()).lines.len())
    });
    // Extraction alone, over every line, as the analysis drives it (clean text plus the next line).
    let file = logline::read_log("k8s.log", log.clone(), Some(2024), &mut Vec::new());
    let pack = Pack::builtin();
    group.bench_function("extract_100MB", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            pack.extract_log(&file, &mut out, |_, _| {});
            assert!(out.len() > file.lines.len() / 200, "the generated log must keep its matching lines");
            out.len()
        })
    });
    // A coloured console: ANSI escapes on every DEBUG line (60 % of lines). Lines holding an escape byte
    // skip the gate search's fast path and are checked one by one on their ANSI-free text.
    let coloured = logline::read_log(
        "k8s.log",
        log.replace(" DEBUG ", " \x1b[36mDEBUG\x1b[0m "),
        Some(2024),
        &mut Vec::new(),
    );
    group.bench_function("extract_100MB_coloured", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            pack.extract_log(&coloured, &mut out, |_, _| {});
            out.len()
        })
    });
    group.bench_function("analyze_log_100MB", |b| {
        b.iter(|| {
            let a = analyze(
                vec![InputFile::new("k8s.log", log.clone().into_bytes())],
                &AnalyzeOptions::default(),
            );
            a.report.events.len()
        })
    });
    // Streamed with a Latin-1 byte on every line: the decoder places each line start past hundreds of
    // thousands of replaced sequences (a linear lookup made this 16 times slower than a clean log).
    let mut latin1_every_line = Vec::with_capacity(log.len() + log.len() / 64);
    for line in log.split_inclusive('\n') {
        latin1_every_line.push(0xE9);
        latin1_every_line.extend_from_slice(line.as_bytes());
    }
    let latin1_every_line: Arc<[u8]> = latin1_every_line.into();
    group.bench_function("analyze_streamed_100MB_latin1_every_line", |b| {
        b.iter(|| {
            let source =
                InMemory { name: "k8s.log".into(), bytes: latin1_every_line.clone(), chunk: 1 << 20 };
            let a = analyze_inputs(
                vec![Input::Stream(Box::new(source))],
                &AnalyzeOptions::default(),
                &mut |_| {},
            );
            a.report.events.len()
        })
    });
    group.finish();

    // What a viewer asks of the log: held whole, or (past the browser's held budget) read again from its
    // source. A search reads it all; a window of rows reads from the mark before it (a MiB at most).
    let held = analyze(vec![InputFile::new("k8s.log", log.clone().into_bytes())], &AnalyzeOptions::default());
    let bytes: Arc<[u8]> = log.as_bytes().into();
    let streamed = analyze_inputs(
        vec![Input::Stream(Box::new(sliced(bytes.clone())))],
        &AnalyzeOptions::default(),
        &mut |_| {},
    );
    let lines = held.logs.first().map_or(0, |l| l.lines.len()) as u32;
    let search = LogQuery { pattern: "connection timed out".into(), ..LogQuery::default() };
    let mut group = c.benchmark_group("logview");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(log.len() as u64));
    group.bench_function("search_held_100MB", |b| {
        b.iter(|| logview::search(&held, "k8s.log", &search).map(|h| h.total))
    });
    group.bench_function("search_streamed_100MB", |b| {
        b.iter(|| logview::search_from(&streamed, &mut sliced(bytes.clone()), &search).map(|h| h.total))
    });
    group.throughput(Throughput::Elements(200));
    group.bench_function("window_200_rows_streamed_mid_100MB", |b| {
        b.iter(|| {
            logview::window_from(&streamed, &mut sliced(bytes.clone()), lines / 2, 200, None).map(|r| r.len())
        })
    });
    // The same log with one Latin-1 byte in its first line: marks go on past it, so a window still reads
    // from the mark before it, not from the top.
    let mut latin1 = log.clone().into_bytes();
    latin1.splice(10..10, [0xE9]);
    let latin1: Arc<[u8]> = latin1.into();
    let latin1_streamed = analyze_inputs(
        vec![Input::Stream(Box::new(sliced(latin1.clone())))],
        &AnalyzeOptions::default(),
        &mut |_| {},
    );
    group.bench_function("window_200_rows_streamed_mid_100MB_latin1_byte", |b| {
        b.iter(|| {
            logview::window_from(&latin1_streamed, &mut sliced(latin1.clone()), lines / 2, 200, None)
                .map(|r| r.len())
        })
    });
    group.finish();

    // Archives: the same log gzipped and zipped, inflated to one member (CRC checked for the zip).
    let mut group = c.benchmark_group("archive");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(log.len() as u64));
    let gz = {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = enc.write_all(log.as_bytes());
        enc.finish().unwrap_or_default()
    };
    let zip = {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let _ = w.start_file("logs/big.log", opts);
        let _ = w.write_all(log.as_bytes());
        w.finish().map(|c| c.into_inner()).unwrap_or_default()
    };
    for (name, bytes) in [("expand_gz_100MB", gz), ("expand_zip_100MB", zip)] {
        let file = InputFile::new(if name.contains("gz") { "big.log.gz" } else { "big.zip" }, bytes);
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut warnings = Vec::new();
                let out = faultline_core::input::expand(file.clone(), &Limits::default(), &mut warnings);
                assert!(warnings.is_empty() && out.len() == 1 && out[0].bytes.len() == log.len());
                out
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
