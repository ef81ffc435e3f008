//! `content-gift-card`: the message asks for gift cards or their codes.
//!
//! **What it detects.** Requests involving gift cards, store cards and their codes ("scratch the back", "pictures of the cards").
//!
//! **Why it matters.** Gift cards are untraceable cash; no employer, tax office or supplier is paid in them. "Buy gift cards for the team and send me the codes" is the classic CEO-fraud request.
//!
//! **Example.** "I need you to get 5 Apple gift cards of $200 each and send me pictures of the cards."
//!
//! **Grading.** Low, 25 (15 in list mail): with an impersonated sender, danger.
//!
//! **Known false positives.** Retail newsletters selling gift cards; alone, no banner.

use super::{Input, Rule, cue_finding};
use crate::content::lexicon::Cue;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "content-gift-card",
    summary: "the message asks for gift cards or their codes",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    out.extend(cue_finding(
        input,
        &RULE,
        Cue::GiftCard,
        Severity::Low,
        25,
        "The message asks for gift cards",
        |words| format!("It uses the words \"{}\". Nobody legitimate asks to be paid in gift cards or for their codes by e-mail.", words),
    ));
}
