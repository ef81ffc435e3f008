//! `mailward scan`: every message under the given paths, analysed in parallel.
//!
//! A reader thread walks the inputs sequentially (see [`crate::sources`]) and hands batches
//! of messages over a bounded channel; the main thread analyses each batch on all cores with
//! rayon and writes results in input order. At most a few batches are in memory at once, so
//! a huge archive streams through.

use std::io::{self, IsTerminal as _, Write as _};
use std::ops::ControlFlow;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mailward_core::render::text::sanitize;
use rayon::prelude::*;

use crate::cli::ScanArgs;
use crate::sources::{self, Item};
use crate::summary::Tally;

/// A batch is handed to the analysers when it holds this many messages…
const BATCH_MESSAGES: usize = 256;
/// …or this many bytes.
const BATCH_BYTES: usize = 32 * 1024 * 1024;
/// Batches read ahead while the current one is analysed.
const BATCHES_AHEAD: usize = 2;

pub fn run(args: &ScanArgs) -> Result<u8> {
    let policy = args.common.policy()?;
    let ctx = args.common.context();
    for path in &args.paths {
        if std::fs::symlink_metadata(path).is_err() && std::fs::metadata(path).is_err() {
            bail!(
                "{}: no such file or directory",
                sanitize(&path.to_string_lossy())
            );
        }
    }
    let progress = progress_bar();
    let started = Instant::now();
    let mut tally = Tally::default();
    let mut out = io::BufWriter::new(io::stdout().lock());

    let (tx, rx) = mpsc::sync_channel::<Vec<Item>>(BATCHES_AHEAD);
    let paths = args.paths.clone();
    let result: Result<()> = std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut batch = Vec::new();
            let mut bytes = 0usize;
            for path in &paths {
                let flow = sources::read_path(path, &mut |item| {
                    if let Item::Message { bytes: b, .. } = &item {
                        bytes += b.len();
                    }
                    batch.push(item);
                    if batch.len() >= BATCH_MESSAGES || bytes >= BATCH_BYTES {
                        bytes = 0;
                        if tx.send(std::mem::take(&mut batch)).is_err() {
                            return ControlFlow::Break(());
                        }
                    }
                    ControlFlow::Continue(())
                });
                if flow.is_break() {
                    return;
                }
            }
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
        });
        for batch in rx {
            let reports: Vec<_> = batch
                .par_iter()
                .map(|item| match item {
                    Item::Message { bytes, .. } => {
                        let report = mailward_core::analyze(bytes, &policy, &ctx);
                        progress.inc(1);
                        Some(report)
                    }
                    Item::Unreadable { .. } => None,
                })
                .collect();
            for (item, report) in batch.iter().zip(reports) {
                match (item, report) {
                    (Item::Message { source, .. }, Some(report)) => {
                        tally.add(&report);
                        if args.jsonl {
                            write!(out, "{{\"source\":")?;
                            serde_json::to_writer(&mut out, source)?;
                            write!(out, ",\"report\":")?;
                            serde_json::to_writer(&mut out, &report)?;
                            writeln!(out, "}}")?;
                        }
                    }
                    (Item::Unreadable { source, reason }, _) => {
                        tally.unreadable += 1;
                        progress.suspend(|| {
                            eprintln!("mailward: {}: {}", sanitize(source), sanitize(reason));
                        });
                    }
                    (Item::Message { .. }, None) => {}
                }
            }
        }
        Ok(())
    });
    progress.finish_and_clear();
    result?;
    out.flush()?;
    let table = tally.table(started.elapsed());
    if args.jsonl {
        eprint!("{table}");
    } else {
        out.write_all(table.as_bytes())?;
        out.flush()?;
    }
    Ok(args.common.fail_on.status(tally.worst()))
}

/// A spinner with a count and a rate on standard error, only when that is a terminal.
fn progress_bar() -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {human_pos} messages  {rate}  {elapsed}")
    {
        bar.set_style(style.with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} messages/s", state.per_sec());
            },
        ));
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
