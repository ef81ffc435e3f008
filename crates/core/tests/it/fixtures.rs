//! Runs every fixture in `tests/fixtures/<category>/<name>.eml` through the engine.
//!
//! Each message is analysed as written (LF) and with CRLF line endings; both must give the same
//! report (apart from the byte count). The report must equal `<name>.expected.json`; on a
//! mismatch the runner writes `<name>.actual.json` beside it. With `MAILWARD_UPDATE_FIXTURES=1`
//! it rewrites the expected files instead. Independently of the snapshots, the intent written in
//! each category's `PROVENANCE` file (`| expects: <level|any> +rule -rule`) must hold, so a
//! careless update cannot bless a wrong verdict.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mailward_core::{Context, Level, Policy, Report, analyze, to_json};

/// The analysis clock for fixtures: 2026-11-01T00:00:00Z.
const NOW: i64 = 1_793_491_200;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

#[derive(Debug)]
struct Intent {
    level: Option<Level>,
    must: Vec<String>,
    must_not: Vec<String>,
}

fn parse_intent(line: &str) -> Result<(String, Intent), String> {
    let (name, rest) = line.split_once(':').ok_or("no ':' after the file name")?;
    let (_, expects) = rest.rsplit_once("| expects:").ok_or("no '| expects:'")?;
    let mut words = expects.split_whitespace();
    let level = match words.next().ok_or("no level")? {
        "any" => None,
        l => Some(Level::parse(l).ok_or_else(|| format!("unknown level {l}"))?),
    };
    let mut intent = Intent {
        level,
        must: vec![],
        must_not: vec![],
    };
    for w in words {
        if let Some(id) = w.strip_prefix('+') {
            intent.must.push(id.to_string());
        } else if let Some(id) = w.strip_prefix('-') {
            intent.must_not.push(id.to_string());
        } else {
            return Err(format!("'{w}' is neither +rule nor -rule"));
        }
    }
    Ok((name.trim().to_string(), intent))
}

fn intents(dir: &Path) -> BTreeMap<String, Intent> {
    let path = dir.join("PROVENANCE");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} is missing: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| parse_intent(l).unwrap_or_else(|e| panic!("{}: {e}: {l}", path.display())))
        .collect()
}

fn emls(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    out.sort();
    out
}

fn to_lf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    for (i, &b) in raw.iter().enumerate() {
        if !(b == b'\r' && raw.get(i + 1) == Some(&b'\n')) {
            out.push(b);
        }
    }
    out
}

fn to_crlf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 20);
    for (i, &b) in raw.iter().enumerate() {
        if b == b'\n' && (i == 0 || raw[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

fn check_intent(report: &Report, intent: &Intent) -> Vec<String> {
    let mut errors = vec![];
    if let Some(level) = intent.level
        && report.verdict.level != level
    {
        errors.push(format!(
            "level is {} (score {}), intent says {}",
            report.verdict.level.as_str(),
            report.verdict.score,
            level.as_str()
        ));
    }
    let fired = |id: &str| report.findings.iter().any(|f| f.rule == id);
    for id in &intent.must {
        if !fired(id) {
            errors.push(format!("rule {id} should fire but did not"));
        }
    }
    for id in &intent.must_not {
        if fired(id) {
            errors.push(format!("rule {id} must not fire but did"));
        }
    }
    errors
}

#[test]
fn fixtures() {
    let policy_json = std::fs::read_to_string(root().join("policy.json")).expect("policy.json");
    let policy = Policy::from_json(&policy_json).expect("fixture policy");
    let ctx = Context { now: Some(NOW) };
    let update = std::env::var_os("MAILWARD_UPDATE_FIXTURES").is_some();

    let mut categories: Vec<PathBuf> = std::fs::read_dir(root())
        .expect("tests/fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && p.join("PROVENANCE").exists())
        .collect();
    categories.sort();

    let mut ran = 0;
    let mut failures: Vec<String> = vec![];
    for dir in &categories {
        let intents = intents(dir);
        let files = emls(dir);
        for name in intents.keys() {
            if !dir.join(name).exists() {
                failures.push(format!(
                    "{}: PROVENANCE names missing {name}",
                    dir.display()
                ));
            }
        }
        for path in files {
            let file = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            let label = format!(
                "{}/{file}",
                dir.file_name().and_then(|n| n.to_str()).unwrap_or("?")
            );
            let Some(intent) = intents.get(&file) else {
                failures.push(format!("{label}: no PROVENANCE line"));
                continue;
            };
            let raw = std::fs::read(&path).expect("read fixture");
            let lf = to_lf(&raw);
            let report = analyze(&lf, &policy, &ctx);
            let mut crlf_report = analyze(&to_crlf(&lf), &policy, &ctx);
            crlf_report.stats.bytes = report.stats.bytes;
            ran += 1;
            if crlf_report != report {
                failures.push(format!("{label}: CRLF variant gives a different report"));
            }
            for e in check_intent(&report, intent) {
                failures.push(format!("{label}: {e}"));
            }
            let json = to_json(&report);
            let expected_path = path.with_extension("expected.json");
            let actual_path = path.with_extension("actual.json");
            let expected = std::fs::read_to_string(&expected_path).ok();
            if expected.as_deref() == Some(json.as_str()) {
                let _ = std::fs::remove_file(&actual_path);
            } else if update {
                std::fs::write(&expected_path, &json).expect("write expected");
                let _ = std::fs::remove_file(&actual_path);
            } else {
                std::fs::write(&actual_path, &json).expect("write actual");
                failures.push(format!(
                    "{label}: report differs from {} (see {})",
                    expected_path.display(),
                    actual_path.display()
                ));
            }
        }
    }
    assert!(ran > 0, "ran zero fixtures");
    assert!(
        failures.is_empty(),
        "{} of {ran} fixtures failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("fixtures: {ran} messages, LF and CRLF");
}
