//! `limit-exceeded`: the message is larger than the engine examines.
//!
//! **What it detects.** Any limit in [`crate::limits`] was hit: message size, header count,
//! MIME parts, MIME depth, Received hops, links; and the image limits of the QR-code scan
//! (an image too large in bytes or pixels, or more images than are decoded per message).
//!
//! **Why it matters.** The engine analysed what fits and says what it skipped. Inflating a
//! message past a scanner's limits is itself an evasion technique.
//!
//! **Grading.** Low (10). Info (0) when only image limits were hit: photos from phones and
//! picture-heavy newsletters hit them every day; the finding still says which images were not
//! searched for QR codes.
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
        "attached-message-depth" => {
            "it holds messages attached inside attached messages more than 3 levels deep"
        }
        "received-count" => "it passed through more than 100 servers",
        "link-count" => "it has more than 300 links",
        "image-bytes" => "an image is larger than 5 MB, so it was not searched for QR codes",
        "image-pixels" => {
            "an image is larger than 4 megapixels, so it was not searched for QR codes"
        }
        "image-count" => "it has more than 8 images; the rest were not searched for QR codes",
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
    let images_only = hit.iter().all(|l| l.starts_with("image-"));
    let (severity, score, explanation) = if images_only {
        (
            Severity::Info,
            0,
            format!(
                "Some images were not examined ({}). Everything else in the message was checked.",
                reasons.join("; ")
            ),
        )
    } else {
        (
            Severity::Low,
            10,
            format!(
                "The message is unusually large ({}), so only its first part was examined. Oversized messages are sometimes built to slip past filters.",
                reasons.join("; ")
            ),
        )
    };
    out.push(finding(
        &RULE,
        severity,
        score,
        if images_only {
            "Some images were not searched for QR codes".to_string()
        } else {
            "Only part of this message could be checked".to_string()
        },
        explanation,
        hit.iter()
            .map(|l| Evidence::Text {
                text: (*l).to_string(),
            })
            .collect(),
        Location::Message,
    ));
}
