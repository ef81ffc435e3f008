//! `link-invisible-characters`: zero-width or text-direction characters in a link.
//!
//! **What it detects.** Zero-width characters (U+200B–U+200D, U+2060, U+FEFF, soft hyphen) and
//! bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/F) in a URL as written or in
//! the visible text of a link that shows a domain.
//!
//! **Why it matters.** They change what a URL looks like without changing what the reader
//! sees, or reverse part of it ("moc.lapyap" displayed as "paypal.com"), and they break
//! naive filters that compare strings.
//!
//! **Example.** `https://pay\u{200b}pal.com.evil.top/`.
//!
//! **Grading.** Bidirectional control: medium, 40. Zero-width only: medium, 30.
//!
//! **Known false positives.** Text copied from right-to-left documents can carry direction
//! marks (U+200E/F) next to a link; those two alone weigh 30 like zero-width characters.

use super::{Input, Rule, finding, followable, link_evidence, link_location};
use crate::report::{CharMark, Evidence, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "link-invisible-characters",
    summary: "zero-width or bidirectional-control characters in a link",
    check,
};

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn note(c: char) -> &'static str {
    match c {
        '\u{200b}' => "zero-width space",
        '\u{200c}' => "zero-width non-joiner",
        '\u{200d}' => "zero-width joiner",
        '\u{200e}' => "left-to-right mark",
        '\u{200f}' => "right-to-left mark",
        '\u{202e}' => "right-to-left override",
        '\u{202d}' => "left-to-right override",
        '\u{feff}' => "zero-width no-break space",
        '\u{ad}' => "soft hyphen",
        '\u{2060}' => "word joiner",
        c if is_bidi(c) => "text-direction control",
        _ => "invisible character",
    }
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    for (index, link) in followable(input) {
        // Visible text counts only when it shows a domain.
        let text_chars: Vec<char> = link
            .text
            .as_deref()
            .filter(|t| {
                super::link_text_mismatch::shown_host(&t.replace(crate::links::is_invisible, ""))
                    .is_some()
            })
            .map(|t| {
                t.chars()
                    .filter(|c| crate::links::is_invisible(*c))
                    .collect()
            })
            .unwrap_or_default();
        let (subject, chars) = if !link.invisible_chars.is_empty() {
            (link.written.as_str(), link.invisible_chars.clone())
        } else if !text_chars.is_empty() {
            (link.text.as_deref().unwrap_or_default(), text_chars)
        } else {
            continue;
        };
        let bidi = chars.iter().any(|c| is_bidi(*c));
        let (severity, score) = if bidi {
            (Severity::Medium, 40)
        } else {
            (Severity::Medium, 30)
        };
        let marks: Vec<CharMark> = subject
            .chars()
            .enumerate()
            .filter(|(_, c)| crate::links::is_invisible(*c))
            .take(8)
            .map(|(i, c)| CharMark {
                index: i,
                char: c.to_string(),
                code_point: format!("U+{:04X}", c as u32),
                note: note(c).to_string(),
            })
            .collect();
        out.push(finding(
            &RULE,
            severity,
            score,
            "A link contains invisible characters".to_string(),
            format!(
                "The link contains {} ({}), which you cannot see but which change what the address looks like or where it goes.",
                note(chars[0]),
                format_args!("U+{:04X}", chars[0] as u32)
            ),
            vec![
                Evidence::Chars {
                    text: super::excerpt(subject),
                    marks,
                },
                link_evidence(link),
            ],
            link_location(index),
        ));
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(html: &str) -> Option<u32> {
        let raw = format!(
            "From: a@sender.example\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n"
        );
        crate::analyze(
            raw.as_bytes(),
            &crate::Policy::default(),
            &crate::Context::default(),
        )
        .findings
        .into_iter()
        .find(|f| f.rule == RULE.id)
        .map(|f| f.score)
    }

    #[test]
    fn grades() {
        assert_eq!(
            score("<a href='https://pay&#x200b;pal.example/'>x</a>"),
            Some(30)
        );
        assert_eq!(
            score("<a href='https://x.example/'>pay&#x202e;lap.com</a>"),
            Some(40)
        );
        assert_eq!(
            score("<a href='https://x.example/'>Hello&zwj;there</a>"),
            None
        );
    }
}
