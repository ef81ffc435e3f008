//! `display-name-unicode`: invisible or look-alike characters in the sender's name.
//!
//! **What it detects.** In the `From` display name: a word mixing letters of different
//! scripts (Cyrillic "Р" and "а" inside Latin "Раypal"), zero-width characters that split a
//! word so filters miss it ("Pay\u{200B}Pal"), and bidirectional controls that reorder how the
//! name is drawn.
//!
//! **Why it matters.** None of these occur in a real person's or company's name typed on a
//! keyboard; they exist to look like a trusted name while being different text.
//!
//! **Grading.** Mixed scripts: high (40). Bidi controls: medium (35). Zero-width
//! characters: medium (25).
//!
//! **Known false positives.** Names wholly in one non-Latin script (Greek, Cyrillic, Japanese)
//! never fire; zero-width joiners inside emoji sequences are allowed.

use super::{Input, Rule, finding, header_location};
use crate::report::{CharMark, Evidence, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "display-name-unicode",
    summary: "The sender's name mixes alphabets or hides invisible characters",
    check,
};

/// Scripts that are confusable with Latin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Cherokee,
    Other,
}

impl Script {
    pub fn name(self) -> &'static str {
        match self {
            Script::Latin => "Latin",
            Script::Greek => "Greek",
            Script::Cyrillic => "Cyrillic",
            Script::Armenian => "Armenian",
            Script::Cherokee => "Cherokee",
            Script::Other => "other",
        }
    }
}

/// The script of a letter (only the scripts that imitate Latin are told apart).
pub fn script_of(c: char) -> Option<Script> {
    if !c.is_alphabetic() {
        return None;
    }
    Some(match c as u32 {
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF | 0xFF21..=0xFF5A => {
            Script::Latin
        }
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        0x530..=0x58F => Script::Armenian,
        0x13A0..=0x13FF | 0xAB70..=0xABBF => Script::Cherokee,
        _ => Script::Other,
    })
}

/// Zero-width and other invisible formatting characters.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}' | '\u{00AD}'
    )
}

/// Bidirectional formatting controls.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn mark(index: usize, c: char, note: String) -> CharMark {
    CharMark {
        index,
        char: c.to_string(),
        code_point: format!("U+{:04X}", c as u32),
        note,
    }
}

/// What is wrong with a name, with the characters to highlight.
#[derive(Debug, Default, PartialEq)]
pub struct NameTricks {
    pub mixed: Vec<CharMark>,
    /// Scripts mixed in one word, e.g. ("Latin", "Cyrillic").
    pub scripts: Option<(&'static str, &'static str)>,
    pub bidi: Vec<CharMark>,
    pub invisible: Vec<CharMark>,
}

pub fn inspect(name: &str) -> NameTricks {
    let chars: Vec<char> = name.chars().take(512).collect();
    let mut tricks = NameTricks::default();
    for (i, &c) in chars.iter().enumerate() {
        if is_bidi_control(c) {
            tricks
                .bidi
                .push(mark(i, c, "direction control".to_string()));
        } else if is_invisible(c) {
            // A zero-width joiner between two symbols (emoji sequences) is legitimate.
            let symbol =
                |j: Option<&char>| j.is_some_and(|c| !c.is_alphanumeric() && !c.is_whitespace());
            if c == '\u{200D}'
                && symbol(i.checked_sub(1).and_then(|j| chars.get(j)))
                && symbol(chars.get(i + 1))
            {
                continue;
            }
            tricks
                .invisible
                .push(mark(i, c, "invisible character".to_string()));
        }
    }
    // Mixed scripts within one word (invisible characters do not split words here).
    let mut start = 0;
    while start < chars.len() {
        let end = chars[start..]
            .iter()
            .position(|c| c.is_whitespace() || (!c.is_alphanumeric() && !is_invisible(*c)))
            .map_or(chars.len(), |p| start + p);
        let word = &chars[start..end];
        let scripts: Vec<Script> = word
            .iter()
            .filter_map(|c| script_of(*c))
            .filter(|s| *s != Script::Other)
            .collect();
        let base = scripts.iter().filter(|s| **s == Script::Latin).count();
        let foreign = scripts.iter().find(|s| **s != Script::Latin).copied();
        if let (true, Some(other)) = (base > 0, foreign) {
            tricks
                .scripts
                .get_or_insert((Script::Latin.name(), other.name()));
            for (k, c) in word.iter().enumerate() {
                if let Some(s) =
                    script_of(*c).filter(|s| *s != Script::Latin && *s != Script::Other)
                {
                    tricks.mixed.push(mark(
                        start + k,
                        *c,
                        format!("{} letter among Latin ones", s.name()),
                    ));
                }
            }
        } else if let Some(first) = scripts.first()
            && let Some(other) = scripts.iter().find(|s| *s != first)
        {
            tricks.scripts.get_or_insert((first.name(), other.name()));
            for (k, c) in word.iter().enumerate() {
                if script_of(*c) == Some(*other) {
                    tricks.mixed.push(mark(
                        start + k,
                        *c,
                        format!("{} letter among {} ones", other.name(), first.name()),
                    ));
                }
            }
        }
        start = end + 1;
    }
    tricks
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(from) = input.mail.author() else {
        return;
    };
    let Some(name) = from.name.as_deref() else {
        return;
    };
    let tricks = inspect(name);
    let text = super::excerpt(name);
    let (severity, score, title, explanation, marks) = if let Some((a, b)) = tricks.scripts {
        (
            Severity::High,
            40,
            "The sender's name mixes look-alike letters from different alphabets".to_string(),
            format!(
                "The name \"{text}\" mixes {a} and {b} letters inside one word. Real names are typed in one alphabet; \
                 mixing them makes a name look familiar while being different text."
            ),
            tricks.mixed,
        )
    } else if !tricks.bidi.is_empty() {
        (
            Severity::Medium,
            35,
            "The sender's name contains hidden text-direction controls".to_string(),
            "The name contains invisible characters that change the order in which letters are shown, \
             so what you read is not what was written."
                .to_string(),
            tricks.bidi,
        )
    } else if !tricks.invisible.is_empty() {
        (
            Severity::Medium,
            25,
            "The sender's name contains invisible characters".to_string(),
            format!(
                "The name \"{text}\" contains characters that take no space on screen. They are used to split a \
                 familiar name so that filters do not recognise it."
            ),
            tricks.invisible,
        )
    } else {
        return;
    };
    out.push(finding(
        &RULE,
        severity,
        score,
        title,
        explanation,
        vec![Evidence::Chars { text, marks }],
        header_location("From"),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_latin_cyrillic() {
        let t = inspect("\u{0420}\u{0430}ypal Support");
        assert_eq!(t.scripts, Some(("Latin", "Cyrillic")));
        assert_eq!(t.mixed.len(), 2);
        assert_eq!(t.mixed[0].code_point, "U+0420");
    }

    #[test]
    fn single_script_names_are_fine() {
        for name in [
            "Γιώργος Παπαδόπουλος",
            "山田太郎",
            "Jürgen Müller",
            "Дмитрий Иванов",
            "José Ñúñez",
        ] {
            assert_eq!(inspect(name), NameTricks::default(), "{name}");
        }
    }

    #[test]
    fn invisible_and_bidi() {
        assert_eq!(inspect("Pay\u{200B}Pal").invisible.len(), 1);
        assert_eq!(inspect("abc\u{202E}fdp.exe").bidi.len(), 1);
        assert!(inspect("Team 👩\u{200D}💻").invisible.is_empty());
    }
}
