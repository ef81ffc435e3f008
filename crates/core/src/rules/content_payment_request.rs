//! `content-payment-request`: the message asks to change bank details, pay, or wire money.
//!
//! **What it detects.** Talk of new or changed bank details, direct-deposit and payroll changes, wire transfers, overdue invoices, IBAN/SWIFT/routing numbers.
//!
//! **Why it matters.** Business e-mail compromise does not need a link or an attachment: the message itself asks for the money to go somewhere else. Combined with a look-alike or impersonated sender it is the costliest fraud there is (FBI IC3).
//!
//! **Example.** "We have changed our bank. Please use the new bank details below for the outstanding invoice."
//!
//! **Grading.** Low, 25 (15 in list mail): a display-name impersonation or a failed authentication next to it reaches danger.
//!
//! **Known false positives.** Real suppliers and payroll departments write these words; alone they never raise a banner.

use super::{Input, Rule, cue_finding};
use crate::content::lexicon::Cue;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "content-payment-request",
    summary: "the message asks to change bank details, pay, or wire money",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    out.extend(cue_finding(
        input,
        &RULE,
        Cue::Payment,
        Severity::Low,
        25,
        "The message is about paying money or changing bank details",
        |words| format!("It uses the words \"{}\". Requests to pay or to change bank details by e-mail must be confirmed by phone with someone you know.", words),
    ));
}
