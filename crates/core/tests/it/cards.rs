//! Snapshot tests of the card renderer (`render::card`): representative fixtures' reports as
//! Google Workspace card JSON in `tests/cards/<category>/<name>.card.json`, plus the HTTP
//! runtime and "already reported" variants in `tests/cards/variants/`.
//!
//! Same conventions as `fixtures.rs`: the fixtures' policy and clock, a
//! `<name>.card.actual.json` beside the snapshot on a mismatch, `MAILWARD_UPDATE_FIXTURES=1`
//! rewrites the snapshots, and the run must cover more than zero cases. Snapshots are compared
//! as JSON values, so key order never matters.

use std::path::{Path, PathBuf};

use mailward_core::render::{CardOptions, ReportAction, card};
use mailward_core::{Context, Policy, analyze};

const NOW: i64 = 1_793_491_200;
/// Categories snapshotted whole: every level, hostile markup, Unicode tricks, content cues.
const CATEGORIES: &[&str] = &[
    "ham",
    "phish",
    "hostile",
    "display-name-unicode",
    "content-cues",
    "lookalike",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Compares `value` with the snapshot at `path` (or writes it in update mode).
fn check(path: &Path, value: &serde_json::Value, failures: &mut Vec<String>) {
    let update = std::env::var_os("MAILWARD_UPDATE_FIXTURES").is_some();
    let mut text = serde_json::to_string_pretty(value).expect("card serialises");
    text.push('\n');
    let actual = path.with_extension("actual.json");
    let expected: Option<serde_json::Value> = std::fs::read_to_string(path)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok());
    if expected.as_ref() == Some(value) {
        let _ = std::fs::remove_file(&actual);
    } else if update {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, &text).expect("write snapshot");
        let _ = std::fs::remove_file(&actual);
    } else {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&actual, &text).expect("write actual");
        failures.push(format!(
            "{} differs (see {})",
            path.display(),
            actual.display()
        ));
    }
}

/// A string of the card that opens a tag other than the renderer's own `<b>`, `</b>`, `<br>`,
/// or carries a live `://`, if any.
fn markup_outside_ours(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => {
            let rest = s.replace("<b>", "").replace("</b>", "").replace("<br>", "");
            let url_field = s.starts_with("https://") && !s.contains(char::is_whitespace);
            (rest.contains('<') || rest.contains('>') || (s.contains("://") && !url_field))
                .then(|| s.clone())
        }
        serde_json::Value::Array(a) => a.iter().find_map(markup_outside_ours),
        serde_json::Value::Object(o) => o.values().find_map(markup_outside_ours),
        _ => None,
    }
}

#[test]
fn card_snapshots() {
    let root = repo();
    let policy_json =
        std::fs::read_to_string(root.join("tests/fixtures/policy.json")).expect("policy.json");
    let policy = Policy::from_json(&policy_json).expect("fixture policy");
    let ctx = Context { now: Some(NOW) };
    let mut failures = vec![];
    let mut ran = 0;
    for cat in CATEGORIES {
        let dir = root.join("tests/fixtures").join(cat);
        let mut emls: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("fixture category")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        emls.sort();
        for eml in emls {
            let raw = std::fs::read(&eml).expect("read fixture");
            let report = analyze(&raw, &policy, &ctx);
            let name = eml.file_stem().and_then(|s| s.to_str()).expect("name");
            let out = root
                .join("tests/cards")
                .join(cat)
                .join(format!("{name}.card.json"));
            let c = card(&report, &CardOptions::default());
            if let Some(bad) = markup_outside_ours(&c) {
                failures.push(format!("{cat}/{name}: attacker markup in the card: {bad}"));
            }
            check(&out, &c, &mut failures);
            ran += 1;
        }
    }

    // The same phishing message for the HTTP runtime, and after it was reported.
    let raw =
        std::fs::read(root.join("tests/fixtures/phish/m365-password-expiry-lookalike-domain.eml"))
            .expect("phish fixture");
    let report = analyze(&raw, &policy, &ctx);
    let variants = root.join("tests/cards/variants");
    let http = CardOptions::http("https://mailward.example/gmail/report");
    check(
        &variants.join("phish-http.card.json"),
        &card(&report, &http),
        &mut failures,
    );
    let reported = CardOptions {
        reported: true,
        ..CardOptions::default()
    };
    check(
        &variants.join("phish-reported.card.json"),
        &card(&report, &reported),
        &mut failures,
    );
    let bare = CardOptions {
        report: ReportAction::None,
        learn_more_url: None,
        reported: false,
    };
    check(
        &variants.join("phish-no-footer.card.json"),
        &card(&report, &bare),
        &mut failures,
    );
    ran += 3;

    assert!(ran > 3, "ran no fixtures");
    assert!(
        failures.is_empty(),
        "{} of {ran} card snapshots failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("cards: {ran} snapshots");
}
