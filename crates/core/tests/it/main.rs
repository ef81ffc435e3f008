//! The one integration-test binary of mailward-core. Tests may read files; the engine may not.
#![allow(clippy::disallowed_methods)]

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
