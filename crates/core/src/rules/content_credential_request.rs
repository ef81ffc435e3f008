//! `content-credential-request`: the message asks you to sign in, verify or re-enter account details.
//!
//! **What it detects.** Phrases that ask the reader to verify, confirm, update or unlock an account, re-enter a password, or that announce an expiring password (threats of suspension are `content-urgency`) (vocabulary: [`crate::content::lexicon`], cue `Credentials`).
//!
//! **Why it matters.** Credential theft is what most phishing is for; the message must get the reader to a sign-in page, and it says so in these words. Real services rarely ask you to "verify your account" by mail.
//!
//! **Example.** "Your account has been limited. Verify your account to restore access."
//!
//! **Grading.** Low, 25 (15 in list mail): never a banner alone, but it turns a sender or link finding into a stronger verdict.
//!
//! **Known false positives.** Genuine account notices ("your password will expire") from the organisation's own IT; weak alone.

use super::{Input, Rule, cue_finding};
use crate::content::lexicon::Cue;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "content-credential-request",
    summary: "the message asks you to sign in, verify or re-enter account details",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    out.extend(cue_finding(
        input,
        &RULE,
        Cue::Credentials,
        Severity::Low,
        25,
        "The message asks you to sign in or confirm account details",
        |words| format!("It uses the words \"{}\", which is how phishing gets people to type their password into a fake page. Go to the service yourself instead of following the message.", words),
    ));
}
