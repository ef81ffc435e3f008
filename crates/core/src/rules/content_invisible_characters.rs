//! `content-invisible-characters`: zero-width characters inside words of the subject or body.
//!
//! **What it detects.** Zero-width space, zero-width (non-)joiner, word joiner or a byte-order
//! mark between two Latin letters in the subject or the visible body text
//! (`Pass\u{200B}word`).
//!
//! **Why it matters.** They split words for filters while the reader sees them whole: a
//! filter looking for "password" or a brand misses "pass\u{200B}word". Typed text never
//! contains them between Latin letters.
//!
//! **Example.** Subject `Your Micro\u{200C}soft 365 pass\u{200B}word expires today`.
//!
//! **Grading.** In the subject or in three or more places: low, 20. Otherwise: low, 10.
//!
//! **Known false positives.** Scripts that need joiners (Persian, Indic) are not Latin and
//! never count; emoji sequences are not letters; newsletters pad preview text with `&zwnj;`
//! between spaces, not inside words. Soft hyphens are legitimate hyphenation and ignored.

use super::display_name_unicode::{Script, script_of};
use super::{Input, Rule, finding};
use crate::report::{CharMark, Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "content-invisible-characters",
    summary: "zero-width characters hidden inside words",
    check,
};

fn zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Whether `text` contains one of the [`zero_width`] characters, looking only at the bytes
/// after each E2 or EF lead byte (`E2 80 8B`–`8D`, `E2 81 A0`, `EF BB BF`).
fn has_zero_width(text: &str) -> bool {
    let b = text.as_bytes();
    let mut at = 0;
    while let Some(n) = memchr::memchr2(0xE2, 0xEF, &b[at..]) {
        let i = at + n;
        if matches!(
            b.get(i..i + 3),
            Some([0xE2, 0x80, 0x8B..=0x8D] | [0xE2, 0x81, 0xA0] | [0xEF, 0xBB, 0xBF])
        ) {
            return true;
        }
        at = i + 1;
    }
    false
}

/// Zero-width characters between Latin letters in `text` (first 64 KiB characters), as marks.
pub fn inside_words(text: &str) -> Vec<CharMark> {
    if !has_zero_width(text) {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().take(64 * 1024).collect();
    let latin = |c: Option<&char>| c.is_some_and(|c| script_of(*c) == Some(Script::Latin));
    let mut marks = Vec::new();
    let mut i = 0;
    while i < chars.len() && marks.len() < 50 {
        if zero_width(chars[i]) {
            let mut j = i;
            while j < chars.len() && zero_width(chars[j]) {
                j += 1;
            }
            if latin(i.checked_sub(1).and_then(|p| chars.get(p))) && latin(chars.get(j)) {
                marks.push(CharMark {
                    index: i,
                    char: chars[i].to_string(),
                    code_point: format!("U+{:04X}", chars[i] as u32),
                    note: "invisible character inside a word".to_string(),
                });
            }
            i = j;
        } else {
            i += 1;
        }
    }
    marks
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let subject = inside_words(&input.text.subject);
    let body = inside_words(&input.text.visible);
    if subject.is_empty() && body.is_empty() {
        return;
    }
    let score = if !subject.is_empty() || body.len() >= 3 {
        20
    } else {
        10
    };
    let (text, marks, location) = if subject.is_empty() {
        // Evidence: the stretch of body text around the first mark.
        let first = body[0].index;
        let start = first.saturating_sub(40);
        let text: String = input
            .text
            .visible
            .chars()
            .enumerate()
            .filter(|(i, _)| *i >= start)
            .map(|(_, c)| c)
            .take(120)
            .collect();
        let marks = body
            .into_iter()
            .filter(|m| m.index >= start && m.index < start + 120)
            .map(|mut m| {
                m.index -= start;
                m
            })
            .collect();
        (text, marks, Location::Message)
    } else {
        (
            super::excerpt(&input.text.subject),
            subject,
            super::header_location("Subject"),
        )
    };
    out.push(finding(
        &RULE,
        Severity::Low,
        score,
        "Invisible characters are hidden inside words".to_string(),
        "Some words contain characters that take no space on screen. They make a word look normal to \
         you while filters see something else."
            .to_string(),
        vec![Evidence::Chars { text, marks }],
        location,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_between_latin_letters() {
        assert_eq!(inside_words("pass\u{200B}word").len(), 1);
        assert!(inside_words("preview \u{200C} \u{200C} text").is_empty());
        assert!(inside_words("می\u{200C}خواهم").is_empty());
        assert!(inside_words("👩\u{200D}💻").is_empty());
    }
}
