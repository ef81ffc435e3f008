//! `content-urgency`: the message puts on pressure: deadlines, threats of suspension, secrecy.
//!
//! **What it detects.** Deadlines ("within 24 hours"), threats ("final notice", "legal action", "your account has been suspended") and the secrecy and availability openers of CEO fraud ("are you at your desk", "keep this confidential").
//!
//! **Why it matters.** Pressure stops people from checking. It is the most constant ingredient of social engineering, but ordinary mail has deadlines too, so it only corroborates.
//!
//! **Example.** "Failure to do so within 24 hours will result in suspension."
//!
//! **Grading.** Low, 10 (5 in list mail).
//!
//! **Known false positives.** Real deadlines and reminders; the weight is the lowest there is.

use super::{Input, Rule, cue_finding};
use crate::content::lexicon::Cue;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "content-urgency",
    summary: "the message puts on pressure: deadlines, threats of suspension, secrecy",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    out.extend(cue_finding(
        input,
        &RULE,
        Cue::Urgency,
        Severity::Low,
        10,
        "The message puts you under time pressure",
        |words| format!("It uses the words \"{}\". Pressure to act at once is a common way to stop people from checking.", words),
    ));
}
