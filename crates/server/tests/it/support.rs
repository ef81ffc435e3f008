//! Shared helpers: temporary data directories, fixture messages, a configured state.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use mailward_server::{AppState, Config};

/// A fresh directory under the target dir's temp area, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "mailward-server-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every fixture message (sorted), as (name, bytes).
pub fn fixtures() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let root = repo().join("tests/fixtures");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        for f in files {
            out.push((f.display().to_string(), std::fs::read(&f).unwrap()));
        }
    }
    assert!(
        !out.is_empty(),
        "no fixtures found under {}",
        root.display()
    );
    out
}

/// A configuration for tests: data in `dir`, no static roots, an admin key.
pub fn config(dir: &Path) -> Config {
    let mut c = Config::load(None, []).unwrap();
    c.data_dir = dir.join("data");
    c.listen = "127.0.0.1:0".parse().unwrap();
    c.admin_key = Some("test-admin-key".into());
    c.statics.www = None;
    c.statics.addin = None;
    c
}

pub fn state(config: Config) -> Arc<AppState> {
    AppState::new(config).unwrap()
}

pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
