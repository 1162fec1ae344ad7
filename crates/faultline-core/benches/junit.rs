//! JUnit reading throughput on a generated 100k-case file shaped like big real suites: ~5 % failures
//! with multi-line bodies, some `<system-out>`, 50 cases per suite (about 39 MB).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// A tiny deterministic generator (64-bit LCG) so the input is the same on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

pub fn junit_xml(cases: usize) -> String {
    let mut rng = Lcg(42);
    let mut s = String::with_capacity(cases * 400);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    for suite in 0..cases.div_ceil(50) {
        s.push_str(&format!(
            "<testsuite name=\"pkg{suite}.Suite\" tests=\"50\" failures=\"0\" errors=\"0\" skipped=\"0\" \
             time=\"12.5\" timestamp=\"2026-11-20T10:00:00\" hostname=\"ci-runner-3\">\n  <properties>\n    \
             <property name=\"python\" value=\"3.11.7\"/>\n  </properties>\n"
        ));
        for case in 0..50 {
            let n = suite * 50 + case;
            if n >= cases {
                break;
            }
            let roll = rng.next() % 100;
            s.push_str(&format!(
                "  <testcase classname=\"pkg{suite}.Suite\" name=\"test_case_{n}_volume_recovery\" \
                 time=\"{}.{:03}\" file=\"tests/test_{suite}.py\" line=\"{}\">\n",
                rng.next() % 20,
                rng.next() % 1000,
                rng.next() % 2000
            ));
            if roll < 5 {
                s.push_str("    <failure message=\"AssertionError: assert &apos;&apos; == &apos;6dae5b70&apos;\" type=\"AssertionError\">");
                for frame in 0..25 {
                    s.push_str(&format!(
                        "tests/test_{suite}.py:{frame}: in test_case_{n}\n    checksum = read_checksum(pod, &quot;/data/data.txt&quot;)\n"
                    ));
                }
                s.push_str("E   AssertionError</failure>\n");
            } else if roll < 6 {
                s.push_str("    <skipped message=\"requires v2 data engine\"/>\n");
            }
            if roll % 10 == 7 {
                s.push_str("    <system-out>");
                for i in 0..15 {
                    s.push_str(&format!(
                        "Waiting for pvc-{n:08x} healthy ({i}) ...\nvolume state = attaching &lt;retry&gt;\n"
                    ));
                }
                s.push_str("</system-out>\n");
            }
            s.push_str("  </testcase>\n");
        }
        s.push_str("</testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}

fn bench(c: &mut Criterion) {
    let xml = junit_xml(100_000);
    let mut group = c.benchmark_group("junit");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.bench_function("read_junit_100k_cases", |b| {
        b.iter(|| {
            let mut warnings = Vec::new();
            let doc = faultline_core::junit::read_junit("bench.xml", &xml, &mut warnings);
            assert_eq!(doc.cases.len(), 100_000);
            doc
        })
    });
    // The whole pipeline on the same file: diagnoses (5,000 failures), clusters, timelines and every
    // report a CI step writes. Quadratic steps hide here, not in the reader (a per-diagnosis rescan of
    // the XML once cost 12 s).
    let analysis = faultline_core::analyze(
        vec![faultline_core::InputFile::new("bench.xml", xml.clone())],
        &faultline_core::AnalyzeOptions::default(),
    );
    group.bench_function("analyze_junit_100k_cases", |b| {
        b.iter(|| {
            faultline_core::analyze(
                vec![faultline_core::InputFile::new("bench.xml", xml.clone())],
                &faultline_core::AnalyzeOptions::default(),
            )
            .report
            .diagnoses
            .len()
        })
    });
    group.bench_function("markdown_100k_cases", |b| {
        b.iter(|| {
            faultline_core::export::markdown::render(
                &analysis,
                &faultline_core::export::markdown::MarkdownOptions::default(),
            )
        })
    });
    // The report as `--format json` writes it, and compact as the web app's worker hands it over.
    group.bench_function("report_json_100k_cases", |b| b.iter(|| analysis.report.to_json_pretty()));
    group.bench_function("report_json_compact_100k_cases", |b| {
        b.iter(|| faultline_core::json::to_string(&analysis.report, faultline_core::json::Layout::Compact))
    });
    group
        .bench_function("ctrf_100k_cases", |b| b.iter(|| faultline_core::export::ctrf::to_string(&analysis)));
    group.bench_function("html_100k_cases", |b| b.iter(|| faultline_core::export::html::render(&analysis)));
    // What the CLI does: the page streamed into a writer, never held whole.
    group.bench_function("html_write_100k_cases", |b| {
        b.iter(|| faultline_core::export::html::write(&analysis, &mut std::io::sink()))
    });
    group.bench_function("github_100k_cases", |b| {
        b.iter(|| faultline_core::export::github::render(&analysis))
    });
    group.finish();

    // Clustering the failures' fingerprints (one text per diagnosis, as the analysis builds them):
    // identical failures must cost O(n), not a scan of every cluster per failure.
    let messages: std::collections::HashMap<&str, &str> = analysis
        .report
        .tests
        .iter()
        .filter_map(|t| t.message.as_deref().map(|m| (t.id.as_str(), m)))
        .collect();
    let texts: Vec<String> = analysis
        .report
        .diagnoses
        .iter()
        .map(|d| {
            let message = messages.get(d.test.id.as_str()).copied();
            format!("{}\n{}", d.rule, message.unwrap_or_default())
        })
        .collect();
    let mut group = c.benchmark_group("fingerprint");
    group.sample_size(10);
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function("cluster_100k_case_failures", |b| {
        b.iter(|| faultline_core::fingerprint::cluster(&texts))
    });
    group.finish();

    // The float reader against the standard one on what artifacts hold: durations with 3 decimals
    // (Surefire, pytest), a few full-precision ones (`repr` of a float) and integers.
    let mut rng = Lcg(7);
    let durations: Vec<String> = (0..100_000)
        .map(|i| match i % 20 {
            0 => format!("{}", rng.next() as f64 / 3.0e6),
            1 => format!("{}", rng.next() % 600),
            _ => format!("{}.{:03}", rng.next() % 120, rng.next() % 1000),
        })
        .collect();
    let mut group = c.benchmark_group("float");
    group.throughput(Throughput::Elements(durations.len() as u64));
    group.bench_function("parse_100k_durations", |b| {
        b.iter(|| durations.iter().filter_map(|s| faultline_core::parse_float::parse_f64(s)).sum::<f64>())
    });
    group.bench_function("parse_100k_durations_std", |b| {
        b.iter(|| durations.iter().filter_map(|s| s.parse::<f64>().ok()).sum::<f64>())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
