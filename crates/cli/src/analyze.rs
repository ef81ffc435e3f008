//! `mailward analyze`: one report per message file, as text or JSON.

use std::io::{self, Read as _, Write as _};
use std::path::Path;

use anyhow::{Result, bail};
use mailward_core::render::text::sanitize;
use mailward_core::{Level, Report};

use crate::cli::{AnalyzeArgs, Format};
use crate::sources;

/// Runs the command; the exit status on success, `Err` when a file could not be read.
pub fn run(args: &AnalyzeArgs) -> Result<u8> {
    let policy = args.common.policy()?;
    let ctx = args.common.context();
    if args.files.iter().filter(|f| is_stdin(f)).count() > 1 {
        bail!("`-` (standard input) can be given only once");
    }
    let color = args.format == Format::Text && args.color.enabled();
    let several = args.files.len() > 1;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut worst: Option<Level> = None;
    let mut failed = 0usize;
    let mut first = true;
    for file in &args.files {
        let name = if is_stdin(file) {
            "-".to_string()
        } else {
            file.to_string_lossy().into_owned()
        };
        let raw = match read(file).and_then(sources::single_message) {
            Ok(raw) => raw,
            Err(reason) => {
                out.flush()?;
                eprintln!("mailward: {}: {reason}", sanitize(&name));
                failed += 1;
                continue;
            }
        };
        let report = mailward_core::analyze(&raw, &policy, &ctx);
        worst = worst.max(Some(report.verdict.level));
        write_report(&mut out, &report, &name, args.format, several, color, first)?;
        first = false;
    }
    out.flush()?;
    if failed > 0 {
        bail!(
            "{failed} of {} file{} could not be analysed",
            args.files.len(),
            if args.files.len() == 1 { "" } else { "s" }
        );
    }
    Ok(args.common.fail_on.status(worst))
}

fn write_report(
    out: &mut impl io::Write,
    report: &Report,
    name: &str,
    format: Format,
    several: bool,
    color: bool,
    first: bool,
) -> io::Result<()> {
    match (format, several) {
        (Format::Json, false) => out.write_all(mailward_core::to_json(report).as_bytes()),
        (Format::Json, true) => {
            serde_json::to_writer(&mut *out, report)?;
            out.write_all(b"\n")
        }
        (Format::Text, false) => {
            out.write_all(mailward_core::render::text(report, color).as_bytes())
        }
        (Format::Text, true) => {
            if !first {
                out.write_all(b"\n")?;
            }
            writeln!(out, "==> {} <==", sanitize(name))?;
            out.write_all(mailward_core::render::text(report, color).as_bytes())
        }
    }
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let res = if is_stdin(path) {
        io::stdin().lock().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    res.map(|()| bytes).map_err(|e| e.to_string())
}
