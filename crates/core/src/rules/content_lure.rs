//! `content-lure`: the message uses a pretext: invoices, e-signatures, voicemail, shared documents, MFA and QR prompts.
//!
//! **What it detects.** The pretexts that carry a link or attachment: an invoice, a document to sign or view, a shared file, a voicemail or fax, a QR code to scan, an MFA prompt to approve, a failed delivery, a refund, a payment or renewal to "cancel", a part-time job from home; and the greetings of mail sent to a list of addresses ("Dear customer", "Dear email user").
//!
//! **Why it matters.** These pretexts make clicking look like routine work. They are everyday words too, so they only corroborate.
//!
//! **Example.** "You have a new voice message (0:43). Review document to listen."
//!
//! **Grading.** Low, 10 (5 in list mail).
//!
//! **Known false positives.** Real invoices, e-signature services and voicemail systems; the weight is the lowest there is.

use super::{Input, Rule, cue_finding};
use crate::content::lexicon::Cue;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "content-lure",
    summary: "the message uses a pretext: invoices, e-signatures, voicemail, shared documents, MFA and QR prompts",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    out.extend(cue_finding(
        input,
        &RULE,
        Cue::Lure,
        Severity::Low,
        10,
        "The message uses a common phishing pretext",
        |words| format!("It uses the words \"{}\", as mass phishing does: a routine pretext for getting people to open a link or attachment, or a greeting for someone the sender does not know.", words),
    ));
}
