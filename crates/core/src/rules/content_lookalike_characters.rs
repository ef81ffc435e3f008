//! `content-lookalike-characters`: words in the subject or body that mix Latin letters with
//! look-alike Cyrillic or Greek ones.
//!
//! **What it detects.** A word of three or more letters, mostly Latin, in which every
//! non-Latin letter is a Cyrillic or Greek look-alike of a Latin one ("Pаypal" with a
//! Cyrillic "а", "Miсrosoft" with a Cyrillic "с"). Graded higher when, read as Latin, the
//! word is a brand or account word ([`crate::content::lexicon::DISGUISED_WORDS`] or a
//! protected brand of the policy).
//!
//! **Why it matters.** Look-alike letters make a brand or "password" unreadable to filters
//! while it looks right to people. Nobody types them by accident inside a Latin word.
//!
//! **Example.** Subject `Your Аpple ID was locked` with a Cyrillic "А".
//!
//! Also words drawn in Mathematical Alphanumeric Symbols (U+1D400–U+1D7FF, "𝐏𝐑𝐎𝐓𝐄𝐂𝐓"), which
//! render as bold or italic letters but are not letters to a filter.
//!
//! **Grading.** A disguised brand or account word: medium, 30. A word in styled symbols:
//! low, 20. Another mixed word: low, 15.
//!
//! **Known false positives.** Words wholly in Cyrillic or Greek never fire, nor do scientific
//! units written with Greek letters that have no Latin look-alike ("μs"); a transliteration
//! slip in genuinely bilingual text can give the low grade.

use super::{Input, Rule, finding};
use crate::content::lexicon::DISGUISED_WORDS;
use crate::report::{CharMark, Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "content-lookalike-characters",
    summary: "words mixing Latin letters with look-alike Cyrillic or Greek ones",
    check,
};

/// The Latin letter a Cyrillic or Greek look-alike imitates.
pub fn latin_lookalike(c: char) -> Option<char> {
    Some(match c {
        'а' => 'a',
        'е' => 'e',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'і' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'ԁ' => 'd',
        'һ' => 'h',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'ӏ' => 'l',
        'ɡ' => 'g',
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'Х' => 'X',
        'І' => 'I',
        'Ј' => 'J',
        'Ѕ' => 'S',
        'ο' => 'o',
        'ν' => 'v',
        'ι' => 'i',
        'κ' => 'k',
        'ρ' => 'p',
        'τ' => 't',
        'Α' => 'A',
        'Β' => 'B',
        'Ε' => 'E',
        'Ζ' => 'Z',
        'Η' => 'H',
        'Ι' => 'I',
        'Κ' => 'K',
        'Μ' => 'M',
        'Ν' => 'N',
        'Ο' => 'O',
        'Ρ' => 'P',
        'Τ' => 'T',
        'Υ' => 'Y',
        'Χ' => 'X',
        _ => return None,
    })
}

/// The Latin letter or digit a Mathematical Alphanumeric Symbol (U+1D400–U+1D7FF: bold,
/// italic, script, fraktur, double-struck, sans-serif, monospace) styles.
pub fn styled_latin(c: char) -> Option<char> {
    let cp = c as u32;
    match cp {
        0x1D400..=0x1D6A3 => {
            let i = ((cp - 0x1D400) % 52) as u8;
            Some(if i < 26 { b'A' + i } else { b'a' + i - 26 } as char)
        }
        0x1D7CE..=0x1D7FF => Some((b'0' + ((cp - 0x1D7CE) % 10) as u8) as char),
        _ => None,
    }
}

/// A disguised word: its text, its Latin reading, and the look-alike letters.
#[derive(Debug, PartialEq)]
pub struct Disguised {
    pub word: String,
    pub reads_as: String,
    pub marks: Vec<CharMark>,
    /// Written in styled mathematical letters rather than with look-alikes from another
    /// alphabet.
    pub styled: bool,
}

/// The words of `text` (runs of letters and digits) with a character outside ASCII, in
/// order, among its first 20,000 words and separators: pure ASCII words hold no look-alike or
/// styled characters.
fn words_with_non_ascii(text: &str) -> Box<dyn Iterator<Item = &str> + '_> {
    let all = || {
        text.split(|c: char| !c.is_alphanumeric())
            .take(20_000)
            .filter(|w| !w.is_ascii())
    };
    // Fewer bytes than that many pieces: the cap cannot bind, so only the words around
    // bytes above 0x7F are looked at (most text is ASCII with a few such characters).
    if text.len() >= 20_000 {
        return Box::new(all());
    }
    let mut from = 0;
    Box::new(std::iter::from_fn(move || {
        loop {
            let at = from
                + text
                    .as_bytes()
                    .get(from..)?
                    .iter()
                    .position(|&b| b >= 0x80)?;
            let c = text[at..].chars().next()?;
            if !c.is_alphanumeric() {
                from = at + c.len_utf8();
                continue;
            }
            let start = text[..at]
                .char_indices()
                .rev()
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(0, |(i, c)| i + c.len_utf8());
            let end = text[at..]
                .char_indices()
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(text.len(), |(i, _)| at + i);
            from = end;
            return Some(&text[start..end]);
        }
    }))
}

/// Mixed words in `text` (first 64 KiB characters), at most 20.
pub fn mixed_words(text: &str) -> Vec<Disguised> {
    let mut out = Vec::new();
    if text.is_ascii() {
        return out;
    }
    for word in words_with_non_ascii(text).filter(|w| w.chars().count() >= 3) {
        if out.len() >= 20 {
            break;
        }
        let mut latin = 0;
        let mut marks = Vec::new();
        let mut reads = String::new();
        let mut other = false;
        let mut styled = 0;
        let mut styled_marks = Vec::new();
        for (i, c) in word.chars().enumerate() {
            if c.is_ascii_alphanumeric() {
                latin += 1;
                reads.push(c);
            } else if let Some(l) = styled_latin(c) {
                styled += 1;
                reads.push(l);
                if styled_marks.len() < 10 {
                    styled_marks.push(CharMark {
                        index: i,
                        char: c.to_string(),
                        code_point: format!("U+{:04X}", c as u32),
                        note: format!("styled symbol, not the letter \"{l}\""),
                    });
                }
            } else if let Some(l) = latin_lookalike(c) {
                reads.push(l);
                marks.push(CharMark {
                    index: i,
                    char: c.to_string(),
                    code_point: format!("U+{:04X}", c as u32),
                    note: format!("looks like Latin \"{l}\" but is not"),
                });
            } else {
                other = true;
            }
        }
        if other {
            continue;
        }
        if !marks.is_empty() && latin + styled >= 1 && latin + styled >= marks.len() {
            marks.extend(styled_marks);
            marks.sort_by_key(|m| m.index);
            out.push(Disguised {
                word: word.to_string(),
                reads_as: reads.to_lowercase(),
                marks,
                styled: false,
            });
        } else if styled >= 3 && marks.is_empty() {
            out.push(Disguised {
                word: word.to_string(),
                reads_as: reads.to_lowercase(),
                marks: styled_marks,
                styled: true,
            });
        }
    }
    out
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let brands: Vec<String> = input
        .policy
        .protected_brands
        .iter()
        .flat_map(|b| {
            b.name
                .split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .collect();
    let in_subject = mixed_words(&input.text.subject);
    let in_body = mixed_words(&input.text.visible);
    let subject_loc = !in_subject.is_empty();
    let all: Vec<Disguised> = in_subject.into_iter().chain(in_body).collect();
    let is_brand = |d: &Disguised| {
        DISGUISED_WORDS.contains(&d.reads_as.as_str()) || brands.contains(&d.reads_as)
    };
    let Some(pick) = all
        .iter()
        .find(|d| is_brand(d) && !d.styled)
        .or(all.iter().find(|d| !d.styled))
        .or(all.first())
    else {
        return;
    };
    let (severity, score) = if is_brand(pick) && !pick.styled {
        (Severity::Medium, 30)
    } else if pick.styled {
        (Severity::Low, 20)
    } else {
        (Severity::Low, 15)
    };
    let text = super::excerpt(&pick.word);
    let explanation = if pick.styled {
        format!(
            "The word \"{text}\" reads as \"{}\", but it is drawn with mathematical symbols instead of \
             letters. Mass mailings do this so that filters cannot read their words.",
            pick.reads_as
        )
    } else {
        format!(
            "The word \"{text}\" reads as \"{}\", but some of its letters come from another alphabet. \
             This is done to imitate a name while getting past filters.",
            pick.reads_as
        )
    };
    out.push(finding(
        &RULE,
        severity,
        score,
        format!("\"{text}\" is written with look-alike letters"),
        explanation,
        vec![Evidence::Chars {
            text,
            marks: pick.marks.to_vec(),
        }],
        if subject_loc {
            super::header_location("Subject")
        } else {
            Location::Message
        },
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_with_non_ascii_are_the_split_ones() {
        for text in [
            "",
            "abc",
            "Your P\u{430}ypal account",
            "\u{e9}t\u{e9} caf\u{e9}, na\u{ef}ve\u{a0}x \u{a0}\u{a0}\u{2003}y",
            "\u{1d40f}\u{1d411} x\u{301}y a\u{200b}b \u{440}\u{430}",
            "ab\u{e9}",
            "\u{e9}",
        ] {
            let slow: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_ascii())
                .collect();
            assert_eq!(
                words_with_non_ascii(text).collect::<Vec<_>>(),
                slow,
                "{text:?}"
            );
        }
    }

    #[test]
    fn finds_mixed_words() {
        let w = mixed_words("Your Pаypal account");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].reads_as, "paypal");
        assert!(mixed_words("Привет мир, delay 5 μs, Straße").is_empty());
        assert!(mixed_words("Ок").is_empty());
        let w = mixed_words("𝐏𝐑𝐎𝐓𝐄𝐂𝐓 your home");
        assert_eq!(w.len(), 1);
        assert!(w[0].styled);
        assert_eq!(w[0].reads_as, "protect");
        assert!(mixed_words("x = 𝑥").is_empty());
    }
}
