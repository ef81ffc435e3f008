//! `attachment-nested-archive`: an archive inside an attached archive.
//!
//! **What it detects.** A ZIP attachment whose central directory lists another archive
//! (`.zip`, `.rar`, `.7z`, `.gz`, `.cab`, …).
//!
//! **Why it matters.** Scanners unpack one or two levels; nesting archives (and padding
//! them) is a plain evasion technique. Real senders rarely zip a zip.
//!
//! **Example.** `Order.zip` containing `Order_details.rar`.
//!
//! **Grading.** Low, 15: a corroborating signal.
//!
//! **Known false positives.** Software distributions and backups can nest archives; the
//! weight stays under a banner alone.

use super::{Input, Rule, finding};
use crate::attachments::{Kind, extension, kind_of_extension};
use crate::report::{Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "attachment-nested-archive",
    summary: "an archive inside an attached archive",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    for att in &input.mail.attachments {
        let Some(listing) = att.content.as_ref().and_then(|c| c.archive.as_ref()) else {
            continue;
        };
        let Some(inner) = listing
            .entries
            .iter()
            .find(|e| extension(&e.name).is_some_and(|x| kind_of_extension(&x) == Kind::Archive))
        else {
            continue;
        };
        let outer = super::excerpt(att.name.as_deref().unwrap_or("(unnamed)"));
        let inner = super::excerpt(&inner.name);
        out.push(finding(
            &RULE,
            Severity::Low,
            15,
            "An attached archive contains another archive".to_string(),
            format!(
                "\"{outer}\" contains the archive \"{inner}\". Packing archives inside archives is a way \
                 to get files past scanners."
            ),
            vec![Evidence::Text { text: outer }, Evidence::Text { text: inner }],
            Location::Part {
                path: att.path.clone(),
            },
        ));
        return;
    }
}
