//! `message-id-anomaly`: the Message-ID is missing or not shaped like one.
//!
//! **What it detects.** No `Message-ID` header, or one without the `<left@right>` form that
//! RFC 5322 requires (no `@`, spaces inside, empty).
//!
//! **Why it matters.** Every ordinary mail program and service writes a well-formed
//! Message-ID. Missing or broken ones point at hand-rolled bulk-sending scripts.
//!
//! **Grading.** Low (10): a corroborating signal only.
//!
//! **Known false positives.** Some old scripts and appliances that send legitimate reports.

use super::{Input, Rule, excerpt, finding, header_location};
use crate::report::{Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "message-id-anomaly",
    summary: "The Message-ID is missing or malformed",
    check,
};

/// Whether a raw Message-ID value has the `<id-left@id-right>` shape.
pub fn well_formed(raw: &str) -> bool {
    let Some(inner) = raw
        .trim()
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
    else {
        return false;
    };
    // A quoted local part (`<"a b"@host>`, RFC 5322 obsolete syntax) may hold anything.
    let (left, right) = match inner.strip_prefix('"').and_then(|s| s.split_once("\"@")) {
        Some((quoted, right)) => (quoted, right),
        None => match inner.rsplit_once('@') {
            Some((left, right)) if !bad_chars(left) => (left, right),
            _ => return false,
        },
    };
    !left.is_empty() && !right.is_empty() && !bad_chars(right)
}

fn bad_chars(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '@'))
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    if mail.headers.is_empty() || mail.limits_hit.contains(&"header-count") {
        return;
    }
    match mail.message_id_raw.as_deref() {
        None => out.push(finding(
            &RULE,
            Severity::Low,
            10,
            "The message has no Message-ID".to_string(),
            "Every ordinary mail program gives each message a unique identifier. This one has none, \
             which is typical of bulk-sending scripts."
                .to_string(),
            vec![],
            Location::Message,
        )),
        Some(raw) if !well_formed(raw) => out.push(finding(
            &RULE,
            Severity::Low,
            10,
            "The message's identifier is malformed".to_string(),
            "The Message-ID, a unique identifier every mail program writes, is not in the usual form, \
             which is typical of bulk-sending scripts."
                .to_string(),
            vec![Evidence::Header {
                name: "Message-ID".to_string(),
                excerpt: excerpt(raw),
            }],
            header_location("Message-ID"),
        )),
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shapes() {
        assert!(super::well_formed("<abc.123@mail.example.com>"));
        assert!(!super::well_formed("abc@x"));
        assert!(!super::well_formed("<abc>"));
        assert!(!super::well_formed("<a b@c>"));
        assert!(!super::well_formed("<@c>"));
        assert!(super::well_formed("<\"0208 6*/PN=Robin.Hill/C=GB/\"@MHS>"));
    }
}
