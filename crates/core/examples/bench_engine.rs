//! CPU time per message of bare `mail-parser` parsing and of `analyze` on one message set,
//! measured from the process's own CPU time so the figure holds on a loaded machine. Used by
//! `scripts/bench-engine.sh`; also a steady workload for `valgrind --tool=callgrind`
//! (`ROUNDS` fixed, then instruction counts are exact and repeatable). Figures, not a test.
//!
//! `cargo run --release -p mailward-core --example bench_engine -- MODE SET [ROUNDS]`
//! MODE: `parse`, `analyze`, `load` (only reads the set: the baseline to subtract under
//! callgrind) or `json` (prints each report as one line of JSON, to compare builds). SET: `fixtures`, a corpus file name in `../shared/corpus/`, or a path.
//! Without ROUNDS, rounds repeat until 2 s of CPU time have been spent.
#![allow(clippy::disallowed_methods)]

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::hint::black_box;

use mailward_core::{Context, Policy, analyze};

/// The allocator of the shipped binary (crates/cli), so the figures are those of what runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// User + system CPU time of this process in seconds, from `/proc/self/stat` (Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // `getconf CLK_TCK` is 100 on every Linux target we measure on.
    (ticks(11) + ticks(12)) / 100.0
}

fn round(mode: &str, msgs: &[Vec<u8>], policy: &Policy, ctx: &Context) -> usize {
    match mode {
        "parse" => {
            let parser = mail_parser::MessageParser::new();
            msgs.iter()
                .filter_map(|m| parser.parse(m.as_slice()))
                .map(|m| m.parts.len())
                .sum()
        }
        "analyze" => msgs
            .iter()
            .map(|m| analyze(m, policy, ctx).findings.len())
            .sum(),
        _ => msgs.len(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(mode), Some(set)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: bench_engine parse|analyze|load SET [ROUNDS]");
        std::process::exit(2);
    };
    let fixed: Option<usize> = args.get(3).and_then(|r| r.parse().ok());
    let Some(msgs) = corpus::load(set) else {
        std::process::exit(2);
    };
    let bytes: usize = msgs.iter().map(Vec::len).sum();
    let policy = Policy::default();
    let ctx = Context {
        now: Some(1_793_491_200),
    };
    if mode == "json" {
        for m in &msgs {
            println!(
                "{}",
                serde_json::to_string(&analyze(m, &policy, &ctx)).unwrap_or_default()
            );
        }
        return;
    }
    if let Some(n) = fixed {
        for _ in 0..n {
            black_box(round(mode, black_box(&msgs), &policy, &ctx));
        }
        return;
    }
    black_box(round(mode, &msgs, &policy, &ctx)); // warm-up
    let (t0, mut rounds) = (cpu_seconds(), 0usize);
    while cpu_seconds() - t0 < 2.0 || rounds < 3 {
        black_box(round(mode, black_box(&msgs), &policy, &ctx));
        rounds += 1;
    }
    let secs = (cpu_seconds() - t0) / rounds as f64;
    let n = msgs.len() as f64;
    println!(
        "{set}\t{mode}\t{} msgs\t{:.1} µs/msg\t{:.0} msgs/s\t{:.1} MB/s",
        msgs.len(),
        secs * 1e6 / n,
        n / secs,
        bytes as f64 / 1e6 / secs
    );
}
