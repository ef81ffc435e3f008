//! The one integration-test binary of mailward-core. Tests may read files; the engine may not.
#![allow(clippy::disallowed_methods)]

mod cards;
mod fixtures;

#[test]
fn docs_list_every_rule() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules.md"))
        .expect("docs/rules.md");
    for rule in mailward_core::rules::RULES {
        assert!(
            docs.contains(&format!("| `{}` |", rule.id)),
            "docs/rules.md does not list {}",
            rule.id
        );
    }
}

/// Every fixture's report survives a JSON round trip (found by fuzzing: empty lists that are
/// left out of the JSON must read back as empty).
#[test]
fn reports_round_trip_through_json() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut n = 0;
    for dir in std::fs::read_dir(&root).expect("fixtures").flatten() {
        for file in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if file.path().extension().is_some_and(|e| e == "eml") {
                let raw = std::fs::read(file.path()).expect("read");
                let report = mailward_core::analyze(
                    &raw,
                    &mailward_core::Policy::default(),
                    &mailward_core::Context::default(),
                );
                let back: mailward_core::Report =
                    serde_json::from_str(&mailward_core::to_json(&report)).expect("parses");
                assert_eq!(back, report, "{}", file.path().display());
                n += 1;
            }
        }
    }
    assert!(n > 0);
}
