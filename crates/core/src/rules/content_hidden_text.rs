//! `content-hidden-text`: text styled to be invisible, splitting words or padding the message.
//!
//! **What it detects.** In HTML bodies, elements hidden by inline style (`display:none`,
//! `visibility:hidden`, a font size below one, zero opacity, text coloured exactly like its
//! own background) that either split a word (letters right before, inside and after:
//! `Pay<span style="font-size:0">x</span>Pal`) or hold a lot of text (400 characters or more).
//!
//! **Why it matters.** Hidden letters inside words break filters' word matching while the
//! reader sees the brand; long hidden passages pad the message with innocent words to fool
//! statistical filters. Neither has a purpose in a message meant for people.
//!
//! **Example.** `Micro<span style="display:none">qz</span>soft account alert`.
//!
//! **Grading.** A hidden fragment inside a word: medium, 25. Long hidden text: low, 15.
//!
//! **Known false positives.** Newsletters hide a short "preheader" (the preview line) with
//! `display:none`: short hidden text between words never fires. Responsive templates that hide
//! a long mobile or desktop variant can reach the 400-character mark: weak alone.

use super::{Input, Rule, finding};
use crate::report::{Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "content-hidden-text",
    summary: "invisible text splits words or pads the message",
    check,
};

/// Hidden characters that count as padding.
const LONG: usize = 400;

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let hidden = &input.text.hidden;
    if let Some(h) = hidden.iter().find(|h| h.splits_word) {
        out.push(finding(
            &RULE,
            Severity::Medium,
            25,
            "Invisible letters are hidden inside words".to_string(),
            format!(
                "The message hides the letters \"{}\" ({}) inside a word. You read the word without them, \
                 while filters read something else.",
                super::excerpt(&h.text),
                h.how
            ),
            vec![Evidence::Text {
                text: super::excerpt(&h.text),
            }],
            Location::Message,
        ));
        return;
    }
    let total: usize = hidden.iter().map(|h| h.chars).sum();
    if total >= LONG
        && let Some(h) = hidden.iter().max_by_key(|h| h.chars)
    {
        out.push(finding(
            &RULE,
            Severity::Low,
            15,
            "The message contains a lot of invisible text".to_string(),
            format!(
                "{total} characters of text are styled to be invisible ({}). Hidden text is used to feed \
                 filters innocent words that you never see.",
                h.how
            ),
            vec![Evidence::Text {
                text: super::excerpt(&h.text),
            }],
            Location::Message,
        ));
    }
}
