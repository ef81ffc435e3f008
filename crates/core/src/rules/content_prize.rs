//! `content-prize`: the message says you won, were selected, or have a reward to claim.
//!
//! **What it detects.** Prize, lottery, reward, inheritance and "compensation fund" wording
//! (vocabulary: [`crate::content::lexicon`], cue `Prize`, several languages).
//!
//! **Why it matters.** Advance-fee and lottery scams, fake surveys with a "free gift" and
//! crypto "withdrawal pending" lures all start by promising money or a prize that has to be
//! claimed, which leads to a fee, a card number or a sign-in page.
//!
//! **Example.** "Congratulations, you have been selected to receive a reward. Claim your
//! reward before Friday."
//!
//! **Grading.** Low, 15 (5 in list mail): corroborating only.
//!
//! **Known false positives.** Genuine competitions and loyalty programmes; alone, no banner.

use super::{Input, Rule, cue_finding};
use crate::content::lexicon::Cue;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "content-prize",
    summary: "the message says you won or have a reward to claim",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    out.extend(cue_finding(
        input,
        &RULE,
        Cue::Prize,
        Severity::Low,
        15,
        "The message promises a prize or reward",
        |words| {
            format!(
                "It uses the words \"{words}\". Unexpected prizes and rewards that must be claimed are a classic \
                 way to get money, card numbers or passwords."
            )
        },
    ));
}
