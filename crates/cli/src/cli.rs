//! Command-line definitions (clap derive) and the options shared by the subcommands.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use mailward_core::{Context, Level, Policy};

const EXIT_CODES: &str = "\
Exit status:
  0  every message is below the --fail-on level
  1  at least one message is at or above the --fail-on level
  2  an error: bad arguments, an unreadable policy, a file `analyze` could not read,
     or a scan PATH that does not exist";

/// Mailward: explainable phishing analysis of email messages.
#[derive(Debug, Parser)]
#[command(name = "mailward", version, after_help = EXIT_CODES, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse messages (.eml files, or `-` for standard input) and print a report for each.
    #[command(after_help = EXIT_CODES)]
    Analyze(AnalyzeArgs),
    /// Scan directories, Maildirs, mbox files and .tar/.tar.gz archives, in parallel, and
    /// print a summary (or one JSON report per line with --jsonl).
    #[command(after_help = EXIT_CODES)]
    Scan(ScanArgs),
    /// Measure detection and false positives: analyse labelled phishing and legitimate sets
    /// and print per-set rates per level and per-rule hit rates, as a table.
    Eval(EvalArgs),
    /// Run the HTTP server (analysis API, report-phish back end, static add-in hosting) and,
    /// when configured, the journaling SMTP listener. See docs/server.md.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// TOML configuration file; without it, the embedded defaults. `MAILWARD_*` environment
    /// variables override the file, and these options override both.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// HTTP(S) listen address, e.g. 127.0.0.1:8080.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<std::net::SocketAddr>,
    /// Directory of the database (created if missing).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Journaling SMTP listen address, e.g. 127.0.0.1:2525.
    #[arg(long, value_name = "ADDR")]
    pub journal_listen: Option<std::net::SocketAddr>,
    /// Serve HTTPS with a self-signed development certificate for localhost, 127.0.0.1 and
    /// ::1, generated under the data directory on first use and reused after (`[tls] dev_cert`).
    #[arg(long)]
    pub dev_cert: bool,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Message files (RFC 5322, e.g. .eml); `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// `text` for people; `json` for the canonical report (one file), or one compact report
    /// per line in argument order (several files).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Colour the text output: `auto` when standard output is a terminal and NO_COLOR is
    /// unset.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Directories (searched recursively for .eml files and Maildir cur/new files),
    /// Maildirs, mbox files (.gz too), single messages, or .tar/.tar.gz/.tgz archives.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print one line per message, `{"source": ..., "report": {...}}`, on standard output;
    /// the summary goes to standard error.
    #[arg(long)]
    pub jsonl: bool,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Phishing sets: directories, Maildirs, mbox files (.gz too) or .tar(.gz) archives; each
    /// PATH is one set, reported on its own.
    #[arg(long, value_name = "PATH", num_args = 1.., required = true)]
    pub phish: Vec<PathBuf>,
    /// Legitimate ("ham") sets, in the same forms; each PATH is one set.
    #[arg(long, value_name = "PATH", num_args = 1.., required = true)]
    pub ham: Vec<PathBuf>,
    /// Also write the tables as Markdown to FILE (e.g. docs/evaluation.md).
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Organisation policy (JSON); the built-in defaults without it.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// The current time for date checks, in Unix seconds; defaults to the system clock.
    #[arg(long, value_name = "UNIX_SECONDS", allow_negative_numbers = true)]
    pub now: Option<i64>,
}

#[derive(Debug, Args)]
pub struct Common {
    /// Organisation policy (JSON); the built-in defaults without it.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Exit with status 1 when any message is at or above this level.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = FailOn::Danger)]
    pub fail_on: FailOn,
    /// The current time for date checks, in Unix seconds; defaults to the system clock.
    #[arg(long, value_name = "UNIX_SECONDS", allow_negative_numbers = true)]
    pub now: Option<i64>,
}

impl Common {
    pub fn policy(&self) -> Result<Policy> {
        policy_from(self.policy.as_deref())
    }

    pub fn context(&self) -> Context {
        context_at(self.now)
    }
}

/// The policy in `path`, or the built-in defaults.
pub fn policy_from(path: Option<&Path>) -> Result<Policy> {
    match path {
        None => Ok(Policy::default()),
        Some(path) => load_policy(path),
    }
}

/// The analysis context at `now` (Unix seconds), or at the system clock's current time.
pub fn context_at(now: Option<i64>) -> Context {
    let now = now.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    });
    // Spelled with `..Default::default()` so later Context fields need no change here.
    #[allow(clippy::needless_update)]
    Context {
        now: Some(now),
        ..Default::default()
    }
}

fn load_policy(path: &Path) -> Result<Policy> {
    let json = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read policy {}", path.display()))?;
    Policy::from_json(&json).with_context(|| format!("policy {}", path.display()))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether to emit ANSI colours on standard output.
    pub fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Safe,
    Caution,
    Danger,
}

impl FailOn {
    pub fn level(self) -> Level {
        match self {
            FailOn::Safe => Level::Safe,
            FailOn::Caution => Level::Caution,
            FailOn::Danger => Level::Danger,
        }
    }

    /// The exit status for the most severe level seen (`None`: no message at all).
    pub fn status(self, worst: Option<Level>) -> u8 {
        match worst {
            Some(level) if level >= self.level() => 1,
            _ => 0,
        }
    }
}
