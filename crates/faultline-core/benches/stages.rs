//! The stages after extraction, on the founding case copied 2,000 times (each copy its own test ids):
//! rule evaluation (`rules::diagnose` over every test and its events) and the replay (one
//! `Timeline::build` per test with events), in tests per second. Reading JUnit is in `junit.rs`; log
//! line classification (`read_log`) and extraction in `ingest.rs`.

use std::collections::HashMap;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use faultline_core::replay::Timeline;
use faultline_core::rules::{self, RuleSet};
use faultline_core::{AnalyzeOptions, Event, InputFile, TestCase, analyze};

const COPIES: usize = 2_000;

fn founding_copies() -> (Vec<TestCase>, Vec<Event>) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rwx-recovery-cr-deleted");
    let files: Vec<InputFile> = ["junit.xml", "output.xml", "console.log"]
        .iter()
        .filter_map(|n| std::fs::read(dir.join(n)).ok().map(|b| InputFile::new(*n, b)))
        .collect();
    let one = analyze(files, &AnalyzeOptions::default()).report;
    let mut tests = Vec::new();
    let mut events = Vec::new();
    for c in 0..COPIES {
        tests.extend(one.tests.iter().cloned().map(|mut t| {
            t.id = format!("{}#copy{c}", t.id);
            t
        }));
        events.extend(one.events.iter().cloned().map(|mut e| {
            if let Some(id) = &mut e.test {
                *id = format!("{id}#copy{c}");
            }
            e
        }));
    }
    (tests, events)
}

fn bench(c: &mut Criterion) {
    let (tests, events) = founding_copies();
    let rule_set = RuleSet::builtin();
    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    group.warm_up_time(std::time::Duration::from_secs(1));
    group.measurement_time(std::time::Duration::from_secs(3));
    group.throughput(Throughput::Elements(tests.len() as u64));
    group.bench_function("rules_diagnose_2000_founding_cases", |b| {
        b.iter(|| {
            let d = rules::diagnose(&tests, &events, &rule_set);
            assert!(d.iter().filter(|d| d.rule == "deleted-cr-instead-of-pod").count() >= COPIES);
            d.len()
        })
    });
    let mut by_test: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        if let Some(t) = &e.test {
            by_test.entry(t.as_str()).or_default().push(i);
        }
    }
    group.bench_function("replay_timelines_2000_founding_cases", |b| {
        b.iter(|| {
            tests
                .iter()
                .filter_map(|t| by_test.get(t.id.as_str()).map(|idx| Timeline::build(&t.id, &events, idx)))
                .map(|tl| tl.state_at(0).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
