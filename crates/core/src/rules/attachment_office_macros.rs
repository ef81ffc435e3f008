//! `attachment-office-macros`: an Office document that carries VBA macros.
//!
//! **What it detects.** A `vbaProject.bin` part inside an OOXML package (`.docm`, `.xlsm`,
//! or a renamed `.docx`), VBA storage in a legacy OLE document (`.doc`, `.xls`), or a
//! macro-enabled extension (`.docm`, `.xlsm`, `.pptm`, `.xlam`, …).
//!
//! **Why it matters.** Macros are programs. "Enable content to view this document" was the
//! most common malware delivery for a decade; Microsoft now blocks macros in files from the
//! internet, so attackers coach the reader into unblocking them.
//!
//! **Example.** `Invoice_8841.xlsm` from an unknown supplier; `Resume.doc` with VBA.
//!
//! **Grading.** Medium, 40. From the organisation's own domain with DMARC passing (internal
//! finance spreadsheets): low, 15.
//!
//! **Known false positives.** Business spreadsheets with macros exchanged with partners: add
//! them as trusted senders in the policy (skipped).

use super::{Input, Rule, finding, sender_trusted};
use crate::attachments::extension;
use crate::report::{Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "attachment-office-macros",
    summary: "an Office document carries macros",
    check,
};

fn macro_extension(ext: &str) -> bool {
    matches!(
        ext,
        "docm"
            | "dotm"
            | "xlsm"
            | "xltm"
            | "xlam"
            | "xlsb"
            | "pptm"
            | "potm"
            | "ppam"
            | "ppsm"
            | "sldm"
    )
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    if mail.author().is_some_and(|f| sender_trusted(input, f)) {
        return;
    }
    let Some(att) = mail.attachments.iter().find(|a| {
        a.content.as_ref().is_some_and(|c| c.macros)
            || a.name
                .as_deref()
                .and_then(extension)
                .is_some_and(|e| macro_extension(&e))
    }) else {
        return;
    };
    let internal = mail
        .author()
        .is_some_and(|f| input.policy.is_org_domain(&f.domain))
        && input.auth.dmarc_passed();
    let (severity, score) = if internal {
        (Severity::Low, 15)
    } else {
        (Severity::Medium, 40)
    };
    let file = super::excerpt(att.name.as_deref().unwrap_or("(unnamed)"));
    out.push(finding(
        &RULE,
        severity,
        score,
        "An attached document contains macros".to_string(),
        format!(
            "\"{file}\" contains macros: small programs that run inside Office. If the document asks you \
             to \"enable content\" or \"enable editing\", don't."
        ),
        vec![Evidence::Text { text: file }],
        Location::Part {
            path: att.path.clone(),
        },
    ));
}
