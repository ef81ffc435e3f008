//! `limit-exceeded`: the message is larger than the engine examines.
//!
//! **What it detects.** Any limit in [`crate::limits`] was hit: message size, header count,
//! MIME parts, MIME depth, Received hops, links.
//!
//! **Why it matters.** The engine analysed what fits and says what it skipped. Inflating a
//! message past a scanner's limits is itself an evasion technique.
//!
//! **Grading.** Low (10).
//!
//! **Known false positives.** Very large legitimate messages (big attachments, long threads).

use super::{Input, Rule, finding};
use crate::report::{Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "limit-exceeded",
    summary: "The message exceeds a size or count limit; only part of it was examined",
    check,
};

fn describe(limit: &str) -> &'static str {
    match limit {
        "message-size" => "the message is larger than 25 MB",
        "header-count" => "it has more than 1,000 header lines",
        "part-count" => "it has more than 500 parts",
        "mime-depth" => "its parts are nested more than 20 levels deep",
        "received-count" => "it passed through more than 100 servers",
        "link-count" => "it has more than 300 links",
        _ => "it exceeds an internal limit",
    }
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut hit = input.mail.limits_hit.clone();
    if input.links.truncated {
        hit.push("link-count");
    }
    if hit.is_empty() {
        return;
    }
    let reasons: Vec<&str> = hit.iter().map(|l| describe(l)).collect();
    out.push(finding(
        &RULE,
        Severity::Low,
        10,
        "Only part of this message could be checked".to_string(),
        format!(
            "The message is unusually large ({}), so only its first part was examined. Oversized messages are sometimes built to slip past filters.",
            reasons.join("; ")
        ),
        hit.iter().map(|l| Evidence::Text { text: (*l).to_string() }).collect(),
        Location::Message,
    ));
}
