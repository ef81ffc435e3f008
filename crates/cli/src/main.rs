//! The `mailward` command line: `analyze` single messages, `scan` directories, Maildirs,
//! mbox files and archives, `eval` labelled phishing and legitimate sets. A thin layer over `mailward-core`: read input, call
//! `mailward_core::analyze`, render, and map the outcome to an exit status.
//!
//! Errors are `anyhow` up to [`main`], which maps every one of them to exit status 2.

// The CLI is where I/O, the clock and the environment belong. The workspace `clippy.toml`
// list that keeps them out of the pure core is enforced by a warn-by-default lint, so it
// would otherwise apply here too.
#![allow(clippy::disallowed_methods)]

mod analyze;
mod cli;
mod eval;
mod scan;
mod serve;
mod sources;
mod summary;

use std::process::ExitCode;

use clap::Parser as _;

/// Analysis allocates many small strings and vectors; mimalloc serves them faster than the
/// system allocator (docs/performance.md). Only the native binary: the engine itself leaves the
/// allocator to its host.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match &cli.command {
        cli::Command::Analyze(args) => analyze::run(args),
        cli::Command::Scan(args) => scan::run(args),
        cli::Command::Eval(args) => eval::run(args),
        cli::Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mailward: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// A closed pipe (`mailward scan --jsonl ... | head`) ends output quietly.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        let kind = c
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| c.downcast_ref::<serde_json::Error>()?.io_error_kind());
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}
