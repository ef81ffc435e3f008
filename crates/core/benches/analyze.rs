//! Throughput of `analyze` next to bare `mail-parser` parsing of the same messages, one core.
//!
//! Sets: the project's fixtures, and, when present, each evaluation corpus in
//! `../shared/corpus/` (or `$MAILWARD_CORPUS`). Each set is measured in messages/s and in MB/s.
//! Missing corpora are skipped with a message. Run: `cargo bench -p mailward-core --bench analyze`.
#![allow(clippy::disallowed_methods)]

use std::io::Read;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailward_core::{Context, Policy, analyze};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> Vec<Vec<u8>> {
    let mut out = vec![];
    let root = workspace().join("tests/fixtures");
    let Ok(dirs) = std::fs::read_dir(&root) else {
        return out;
    };
    let mut paths: Vec<PathBuf> = dirs
        .filter_map(|d| d.ok())
        .flat_map(|d| {
            std::fs::read_dir(d.path())
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok())
        })
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    paths.sort();
    for p in paths {
        if let Ok(b) = std::fs::read(p) {
            out.push(b);
        }
    }
    out
}

fn corpus_dir() -> PathBuf {
    std::env::var_os("MAILWARD_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/corpus"))
}

/// Every regular file of a .tar.gz as one message.
fn tar_gz(path: &Path) -> Option<Vec<Vec<u8>>> {
    let file = std::fs::File::open(path).ok()?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut out = vec![];
    for entry in archive.entries().ok()? {
        let Ok(mut entry) = entry else { continue };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let mut buf = vec![];
        if entry.read_to_end(&mut buf).is_ok() && !buf.is_empty() {
            out.push(buf);
        }
    }
    Some(out)
}

/// Messages of a gzipped mbox, split on `From ` lines.
fn mbox_gz(path: &Path) -> Option<Vec<Vec<u8>>> {
    let file = std::fs::File::open(path).ok()?;
    let mut all = vec![];
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut all)
        .ok()?;
    let mut out: Vec<Vec<u8>> = vec![];
    for line in all.split_inclusive(|b| *b == b'\n') {
        if line.starts_with(b"From ") {
            out.push(vec![]);
        } else if let Some(msg) = out.last_mut() {
            msg.extend_from_slice(line);
        }
    }
    Some(out)
}

fn sets() -> Vec<(String, Vec<Vec<u8>>)> {
    let mut sets = vec![("fixtures".to_string(), fixtures())];
    let dir = corpus_dir();
    for (name, loader) in [
        (
            "phish-pot-public-500.tar.gz",
            tar_gz as fn(&Path) -> Option<Vec<Vec<u8>>>,
        ),
        ("spamassassin-easy-ham-1.tar.gz", tar_gz),
        ("modern-ham-lists-public.tar.gz", tar_gz),
        ("nazario-phishing0.mbox.gz", mbox_gz),
    ] {
        match loader(&dir.join(name)) {
            Some(msgs) if !msgs.is_empty() => sets.push((name.to_string(), msgs)),
            _ => eprintln!("bench: {} not found, skipped", dir.join(name).display()),
        }
    }
    sets.retain(|(_, m)| !m.is_empty());
    sets
}

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
