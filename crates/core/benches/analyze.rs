//! Throughput of `analyze` next to bare `mail-parser` parsing of the same messages, one core.
//!
//! Sets: the project's fixtures, and, when present, each evaluation corpus in
//! `../shared/corpus/` (or `$MAILWARD_CORPUS`). Each set is measured in messages/s and in MB/s.
//! Missing corpora are skipped with a message. Run: `cargo bench -p mailward-core --bench analyze`.
//! For CPU time per message and instruction counts on a loaded machine, see
//! `scripts/bench-engine.sh`.
#![allow(clippy::disallowed_methods)]

#[path = "support/corpus.rs"]
mod corpus;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailward_core::{Context, Policy, analyze};

use corpus::sets;

/// The allocator of the shipped binary (crates/cli), so the figures are those of what runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let policy = Policy::default();
    let ctx = Context {
        now: Some(1_793_491_200),
    };
    for (name, msgs) in sets() {
        let bytes: usize = msgs.iter().map(Vec::len).sum();
        eprintln!(
            "bench: {name}: {} messages, {:.1} MB",
            msgs.len(),
            bytes as f64 / 1e6
        );
        for (unit, throughput) in [
            ("msgs", Throughput::Elements(msgs.len() as u64)),
            ("bytes", Throughput::Bytes(bytes as u64)),
        ] {
            let mut group = c.benchmark_group(format!("{name}/{unit}"));
            group.sample_size(10);
            group.throughput(throughput);
            group.bench_function("mail-parser parse", |b| {
                b.iter(|| {
                    let parser = mail_parser::MessageParser::new();
                    msgs.iter()
                        .filter_map(|m| parser.parse(m.as_slice()))
                        .map(|m| m.parts.len())
                        .sum::<usize>()
                })
            });
            group.bench_function("mailward analyze", |b| {
                b.iter(|| {
                    msgs.iter()
                        .map(|m| analyze(m, &policy, &ctx).findings.len())
                        .sum::<usize>()
                })
            });
            group.finish();
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
