//! The native side of `scripts/bench-wasm.sh`: times `mailward_core::analyze` on the messages
//! in a directory (every file, in name order), with the same policy and clock the wasm side
//! uses, and prints one JSON line of figures. Not a test; numbers only.
//!
//! `cargo run --release -p mailward-wasm --example bench_native -- POLICY NOW ROUNDS DIR`

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, policy, now, rounds, dir] = args.as_slice() else {
        return Err("usage: bench_native POLICY NOW ROUNDS DIR".into());
    };
    let policy = mailward_core::Policy::from_json(&std::fs::read_to_string(policy)?)?;
    let ctx = mailward_core::Context {
        now: Some(now.parse()?),
    };
    let rounds: usize = rounds.parse()?;
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    paths.sort();
    let messages: Vec<Vec<u8>> = paths.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    let bytes: usize = messages.iter().map(Vec::len).sum();
    // Warm-up round, then the timed rounds; the median round is reported.
    let mut sink = 0usize;
    for m in &messages {
        sink += mailward_core::to_json(&mailward_core::analyze(m, &policy, &ctx)).len();
    }
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds.max(1) {
        let t0 = Instant::now();
        for m in &messages {
            // to_json too: the wasm side returns the JSON string.
            sink += mailward_core::to_json(&mailward_core::analyze(m, &policy, &ctx)).len();
        }
        times.push(t0.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "{{\"messages\":{},\"bytes\":{bytes},\"roundSeconds\":{median},\"usPerMessage\":{},\"sink\":{sink}}}",
        messages.len(),
        median * 1e6 / messages.len().max(1) as f64
    );
    Ok(())
}
