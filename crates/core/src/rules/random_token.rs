//! `random-token`: a random-looking code in the subject or the sender's name.
//!
//! **What it detects.** A run of letters and digits in the `Subject` or the `From` display name
//! that reads like machine-made noise: at least 8 characters, both upper- and lower-case
//! letters, and made of at least five pieces of which most are one or two characters long
//! ("Dispositivo Bloqueado-WBmmvfJdFtGqOvWw", "Fatura - e6l84FcBSG1GUQ416"). Pieces are split the
//! way names are written (words in CamelCase, runs of capitals, digits), so `PerMsgStatus`,
//! `MIMEDefang` or `AmeriCorpsVISTA` are words, not noise.
//!
//! **Why it matters.** Bulk phishing appends a fresh random string to every copy ("hash
//! busting") so that filters which recognise repeated messages see each one as new. Mail from
//! real organisations numbers things with digits or short upper-case codes, not with
//! alternating-case noise.
//!
//! **Grading.** Low (15): a corroborating signal only.
//!
//! **Known false positives.** Subjects quoting case-sensitive identifiers: some ticketing
//! systems' thread references, video ids, shared-link codes. Alone it never shows a banner.

use super::{Input, Rule, excerpt, finding, header_location};
use crate::report::{Evidence, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "random-token",
    summary: "A random-looking code in the subject or the sender's name",
    check,
};

/// Whether `token` (ASCII letters and digits) looks machine-made.
pub fn looks_random(token: &str) -> bool {
    let b = token.as_bytes();
    if b.len() < 8 || b.len() > 64 || !b.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let upper = b.iter().filter(|c| c.is_ascii_uppercase()).count();
    let lower = b.iter().filter(|c| c.is_ascii_lowercase()).count();
    if upper < 2 || lower < 2 {
        return false;
    }
    // Pieces as names are written: a capitalised word, a run of capitals (an acronym, which
    // ends before the capital that starts the next word), a lower-case run, a digit run.
    let (mut pieces, mut short, mut i) = (0usize, 0usize, 0usize);
    while i < b.len() {
        let start = i;
        let c = b[i];
        if c.is_ascii_digit() {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        } else if c.is_ascii_lowercase() {
            while i < b.len() && b[i].is_ascii_lowercase() {
                i += 1;
            }
        } else {
            // Upper case: a run of capitals, then either a lower-case tail (a word) or, when
            // the run is longer than one and lower case follows, all but its last capital.
            let mut j = i;
            while j < b.len() && b[j].is_ascii_uppercase() {
                j += 1;
            }
            if j - i > 1 && j < b.len() && b[j].is_ascii_lowercase() {
                i = j - 1;
            } else if j - i == 1 {
                i = j;
                while i < b.len() && b[i].is_ascii_lowercase() {
                    i += 1;
                }
            } else {
                i = j;
            }
        }
        pieces += 1;
        if i - start <= 2 {
            short += 1;
        }
    }
    pieces >= 5 && short * 5 >= pieces * 3
}

/// The first random-looking token of `text`.
fn find(text: &str) -> Option<&str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .take(64)
        .find(|t| looks_random(t))
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    let subject = mail
        .subject
        .as_deref()
        .and_then(find)
        .map(|t| (t, "Subject"));
    let name = || {
        mail.author()
            .and_then(|f| f.name.as_deref())
            .and_then(find)
            .map(|t| (t, "From"))
    };
    let Some((token, header)) = subject.or_else(name) else {
        return;
    };
    let place = if header == "Subject" {
        "subject"
    } else {
        "sender's name"
    };
    out.push(finding(
        &RULE,
        Severity::Low,
        15,
        format!("A random-looking code in the {place}"),
        format!(
            "The {place} carries \"{}\", a string of mixed letters that means nothing to a reader. Bulk \
             senders add a fresh one to every copy so that filters do not recognise the same message again.",
            excerpt(token)
        ),
        vec![Evidence::Text {
            text: excerpt(token),
        }],
        header_location(header),
    ));
}

#[cfg(test)]
mod tests {
    use super::looks_random;

    #[test]
    fn noise_is_random() {
        for t in [
            "WBmmvfJdFtGqOvWw",
            "maHSkh0WLRUIpDf6t",
            "e6l84FcBSG1GUQ416",
            "ZGWWYaVnFLl0OB0",
            "E59xZaROik6Ss8NI2VplFvrnc",
        ] {
            assert!(looks_random(t), "{t}");
        }
    }

    #[test]
    fn names_and_codes_are_not() {
        for t in [
            "PerMsgStatus",
            "MIMEDefang",
            "AmeriCorpsVISTA",
            "CelsiusNetworkLLC",
            "KeepOneInN",
            "Mark2CurSeen",
            "ThePhotoStick",
            "INC0012345",
            "ORDER12345AB",
            "abcdefgh",
            "iPhone15Pro",
            "Short1aB",
        ] {
            assert!(!looks_random(t), "{t}");
        }
    }
}
