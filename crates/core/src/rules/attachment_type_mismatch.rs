//! `attachment-type-mismatch`: the bytes of an attachment contradict its name or declared type.
//!
//! **What it detects.** An attachment named or declared as a document or image (`.pdf`,
//! `.docx`, `.jpg`, `application/pdf`, `image/png`, …) whose bytes are a program, a shortcut,
//! a disk image, a OneNote file, an archive or a web page.
//!
//! **Why it matters.** Renaming is the cheapest way past filters that judge files by their
//! name: a "PDF" that is really an HTML page opens a fake sign-in form in the browser; one
//! that is a program runs when the viewer is bypassed.
//!
//! **Example.** `Remittance.pdf` (`application/pdf`) whose content starts with
//! `<html><script>`; `photo.jpg` whose content starts with `MZ`.
//!
//! **Grading.** Program, shortcut, disk image or OneNote behind a document name: high, 50.
//! A web page behind a document name: medium, 35. An archive behind a document name:
//! low, 20. Harmless confusions (a PNG named `.jpg`, a DOCX named `.doc`, text named
//! `.csv`) are ignored.
//!
//! **Known false positives.** Some systems send ZIP-compressed reports under the report's
//! name; that is the low grade. Generic types (`application/octet-stream`) never contradict.

use super::{Input, Rule, finding};
use crate::attachments::{Kind, extension, is_document_extension};
use crate::report::{Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "attachment-type-mismatch",
    summary: "an attachment's bytes contradict its document name or type",
    check,
};

/// The document type a name or MIME type claims, as a word for the explanation.
fn claimed(name: Option<&str>, content_type: Option<&str>) -> Option<String> {
    if let Some(ext) = name.and_then(extension)
        && is_document_extension(&ext)
        && !matches!(ext.as_str(), "htm" | "html" | "txt" | "csv" | "eml")
    {
        return Some(format!(".{ext}"));
    }
    let ct = content_type?;
    (ct == "application/pdf"
        || ct.starts_with("image/") && ct != "image/svg+xml"
        || ct == "application/msword"
        || ct.starts_with("application/vnd.openxmlformats")
        || ct.starts_with("application/vnd.ms-"))
    .then(|| ct.to_string())
}

/// Whether bytes of `kind` are normal for a file claiming `claim`.
fn compatible(claim: &str, kind: Kind) -> bool {
    match kind {
        Kind::Archive => {
            // OOXML and OpenDocument files are ZIP packages.
            claim.ends_with("x")
                || claim.starts_with(".od")
                || claim.contains("openxmlformats")
                || claim.contains("opendocument")
        }
        Kind::Markup => false,
        _ => true,
    }
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut best: Option<(u32, Finding)> = None;
    for att in &input.mail.attachments {
        let Some(kind) = att.content.as_ref().and_then(|c| c.kind) else {
            continue;
        };
        let Some(claim) = claimed(att.name.as_deref(), att.content_type.as_deref()) else {
            continue;
        };
        let (severity, score) = if kind.is_dangerous() && kind != Kind::Script {
            (Severity::High, 50)
        } else if kind == Kind::Markup {
            (Severity::Medium, 35)
        } else if kind == Kind::Archive && !compatible(&claim, kind) {
            (Severity::Low, 20)
        } else {
            continue;
        };
        if best.as_ref().is_some_and(|(s, _)| *s >= score) {
            continue;
        }
        let file = super::excerpt(att.name.as_deref().unwrap_or("(unnamed)"));
        best = Some((
            score,
            finding(
                &RULE,
                severity,
                score,
                format!(
                    "An attachment claims to be {claim} but is {}",
                    kind.describe()
                ),
                format!(
                    "\"{file}\" presents itself as {claim}, but its content is {}. Files are renamed like \
                     this to get past filters and to make you open them.",
                    kind.describe()
                ),
                vec![
                    Evidence::Text { text: file },
                    Evidence::Text {
                        text: format!("content: {}", kind.describe()),
                    },
                ],
                Location::Part {
                    path: att.path.clone(),
                },
            ),
        ));
    }
    if let Some((_, f)) = best {
        out.push(f);
    }
}
