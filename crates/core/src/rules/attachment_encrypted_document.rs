//! `attachment-encrypted-document`: a password-protected PDF, especially with the password
//! written in the message.
//!
//! **What it detects.** A PDF attachment whose trailer names an `/Encrypt` dictionary (it opens
//! only with a password); stronger when the message text states a password (the same reading
//! as `attachment-encrypted-archive`).
//!
//! **Why it matters.** The lure sits inside the document: a link or QR code to a fake sign-in
//! page, or bank "instructions". Encrypting the PDF stops gateways from reading it, and giving
//! the password in the same message shows that hiding it from filters was the whole point.
//!
//! **Example.** `Fatura_7731.pdf` (encrypted) with "Senha de acesso ao PDF: 7731".
//!
//! **Grading.** Encrypted PDF with the password in the text: high, 45. Encrypted PDF alone:
//! low, 20.
//!
//! **Known false positives.** Banks, payroll and tax advisers send encrypted statements and
//! tell the customer which personal number opens them ("your date of birth"); that names no
//! password and stays low. Those that write the password itself in the message get a caution.

use super::attachment_encrypted_archive::{Locked, locked_finding};
use super::{Input, Rule};
use crate::report::Finding;

pub const RULE: Rule = Rule {
    id: "attachment-encrypted-document",
    summary: "a password-protected PDF, especially with the password in the message",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    let Some(att) = mail
        .attachments
        .iter()
        .find(|a| a.content.as_ref().is_some_and(|c| c.pdf_encrypted))
    else {
        return;
    };
    out.push(locked_finding(
        mail,
        att,
        &Locked {
            rule: &RULE,
            title: "An attached PDF is password-protected",
            alone: 20,
            with_password: |file| {
                format!(
                    "The document \"{file}\" is locked with a password, and the password is written in the \
                     message itself. That protects nothing from you; it only stops filters from reading the \
                     document, where a link or payment instructions may be waiting."
                )
            },
            without: |file| {
                format!(
                    "The document \"{file}\" is locked with a password, so nothing could check what it says \
                     before it reached you."
                )
            },
        },
    ));
}
