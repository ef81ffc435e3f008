//! Message sets shared by the `analyze` bench and the `bench_engine` example: the project's
//! fixtures and, when present, each evaluation corpus in `../shared/corpus/` (or
//! `$MAILWARD_CORPUS`). Missing corpora are skipped with a message.
#![allow(clippy::disallowed_methods, dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `tests/fixtures/*/*.eml`, in path order.
pub fn fixtures() -> Vec<Vec<u8>> {
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

pub fn corpus_dir() -> PathBuf {
    std::env::var_os("MAILWARD_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/corpus"))
}

/// Every regular file of a .tar.gz as one message.
pub fn tar_gz(path: &Path) -> Option<Vec<Vec<u8>>> {
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
pub fn mbox_gz(path: &Path) -> Option<Vec<Vec<u8>>> {
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

/// The evaluation corpora, by file name.
pub const CORPORA: [&str; 4] = [
    "phish-pot-public-500.tar.gz",
    "spamassassin-easy-ham-1.tar.gz",
    "modern-ham-lists-public.tar.gz",
    "nazario-phishing0.mbox.gz",
];

/// One set by name: `fixtures` or a corpus file name (or a path to one).
pub fn load(name: &str) -> Option<Vec<Vec<u8>>> {
    if name == "fixtures" {
        return Some(fixtures());
    }
    let path = if Path::new(name).exists() {
        PathBuf::from(name)
    } else {
        corpus_dir().join(name)
    };
    let msgs = if name.ends_with(".mbox.gz") {
        mbox_gz(&path)
    } else {
        tar_gz(&path)
    };
    if msgs.is_none() {
        eprintln!("bench: {} not found, skipped", path.display());
    }
    msgs.filter(|m| !m.is_empty())
}

/// The fixtures and every corpus present.
pub fn sets() -> Vec<(String, Vec<Vec<u8>>)> {
    std::iter::once("fixtures")
        .chain(CORPORA)
        .filter_map(|name| Some((name.to_string(), load(name)?)))
        .filter(|(_, m)| !m.is_empty())
        .collect()
}
