//! Character-level tools: RFC 3492 punycode decoding, the visual fold of a character to the
//! ASCII it imitates (UTS #39 confusables plus diacritics, see `confusables_data.rs`), and a
//! compact script lookup for mixed-script detection.

use super::confusables_data::{FOLD_1, FOLD_N, MARKS, SCRIPTS};
use serde::Serialize;

/// A writing system, as far as lookalike detection needs one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Script {
    Common,
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Cherokee,
    Georgian,
    Hebrew,
    Arabic,
    Han,
    Hiragana,
    Katakana,
    Hangul,
    Thai,
    Devanagari,
    Other,
}

impl Script {
    fn from_index(i: u8) -> Script {
        use Script::*;
        const ALL: [Script; 16] = [
            Common, Latin, Greek, Cyrillic, Armenian, Cherokee, Georgian, Hebrew, Arabic, Han,
            Hiragana, Katakana, Hangul, Thai, Devanagari, Other,
        ];
        ALL.get(usize::from(i)).copied().unwrap_or(Other)
    }

    /// English name, e.g. "Cyrillic".
    pub fn name(self) -> &'static str {
        use Script::*;
        match self {
            Common => "common",
            Latin => "Latin",
            Greek => "Greek",
            Cyrillic => "Cyrillic",
            Armenian => "Armenian",
            Cherokee => "Cherokee",
            Georgian => "Georgian",
            Hebrew => "Hebrew",
            Arabic => "Arabic",
            Han => "Han",
            Hiragana => "Hiragana",
            Katakana => "Katakana",
            Hangul => "Hangul",
            Thai => "Thai",
            Devanagari => "Devanagari",
            Other => "other-script",
        }
    }
}

/// The script of a character (`Common` for digits, hyphen, punctuation and marks).
pub fn script_of(c: char) -> Script {
    let cp = c as u32;
    if cp < 0x80 {
        return if c.is_ascii_alphabetic() {
            Script::Latin
        } else {
            Script::Common
        };
    }
    match SCRIPTS.binary_search_by(|&(lo, hi, _)| {
        if hi < cp {
            std::cmp::Ordering::Less
        } else if lo > cp {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }) {
        Ok(i) => Script::from_index(SCRIPTS[i].2),
        Err(_) => Script::Common,
    }
}

/// What a character looks like in lower-case ASCII.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fold {
    /// ASCII letter, digit or hyphen: itself (lower-cased).
    Same(u8),
    /// A non-ASCII character that looks like this ASCII character.
    One(u8),
    /// A non-ASCII character that looks like several ASCII characters ('æ' → "ae").
    Many(&'static str),
    /// A combining mark or invisible joiner: looks like nothing.
    Nothing,
    /// No ASCII lookalike.
    Opaque,
}

/// The visual fold of one character.
pub fn fold(c: char) -> Fold {
    let cp = c as u32;
    if cp < 0x80 {
        let b = (cp as u8).to_ascii_lowercase();
        return if b.is_ascii_alphanumeric() || b == b'-' {
            Fold::Same(b)
        } else {
            Fold::Opaque
        };
    }
    if let Some(f) = lookup(cp) {
        return f;
    }
    // Upper-case non-ASCII letters: try the lower-case form.
    let mut lower = c.to_lowercase();
    if let (Some(l), None) = (lower.next(), lower.next())
        && l != c
        && let Some(f) = lookup(l as u32)
    {
        return f;
    }
    Fold::Opaque
}

fn lookup(cp: u32) -> Option<Fold> {
    if let Ok(i) = FOLD_1.binary_search_by(|&w| (w >> 7).cmp(&cp)) {
        return Some(Fold::One((FOLD_1[i] & 0x7f) as u8));
    }
    if let Ok(i) = FOLD_N.binary_search_by(|&(c, _)| c.cmp(&cp)) {
        return Some(Fold::Many(FOLD_N[i].1));
    }
    let in_marks = MARKS
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok();
    in_marks.then_some(Fold::Nothing)
}

/// Decodes one punycode label body (without the `xn--` prefix), RFC 3492 section 6.2.
/// `None` on any malformed input or overflow. Output is bounded by the input length.
pub fn punycode_decode(input: &str) -> Option<Vec<char>> {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    const SKEW: u32 = 38;
    const DAMP: u32 = 700;
    if input.len() > 63 || !input.is_ascii() {
        return None;
    }
    let (basic, rest) = match input.rfind('-') {
        Some(i) => (&input[..i], &input[i + 1..]),
        None => ("", input),
    };
    let mut out: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (128u32, 0u32, 72u32);
    let bytes = rest.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        let old_i = i;
        let mut w = 1u32;
        let mut k = BASE;
        loop {
            let b = *bytes.get(pos)?;
            pos += 1;
            let digit = match b {
                b'a'..=b'z' => u32::from(b - b'a'),
                b'A'..=b'Z' => u32::from(b - b'A'),
                b'0'..=b'9' => u32::from(b - b'0') + 26,
                _ => return None,
            };
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = if k <= bias {
                TMIN
            } else if k >= bias + TMAX {
                TMAX
            } else {
                k - bias
            };
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
            if k > BASE * 64 {
                return None;
            }
        }
        let len = out.len() as u32 + 1;
        // adapt
        let mut delta = if old_i == 0 {
            (i - old_i) / DAMP
        } else {
            (i - old_i) / 2
        };
        delta += delta / len;
        let mut k = 0;
        while delta > ((BASE - TMIN) * TMAX) / 2 {
            delta /= BASE - TMIN;
            k += BASE;
        }
        bias = k + (((BASE - TMIN + 1) * delta) / (delta + SKEW));
        n = n.checked_add(i / len)?;
        i %= len;
        let c = char::from_u32(n)?;
        out.insert(i as usize, c);
        i += 1;
        if out.len() > 63 {
            return None;
        }
    }
    Some(out)
}

/// A label as characters: punycode (`xn--…`) decoded, anything else as given.
/// `None` when an `xn--` label does not decode.
pub fn decode_label(label: &str) -> Option<Vec<char>> {
    match label.strip_prefix("xn--") {
        Some(body) => punycode_decode(body),
        None => {
            // At most one char per byte: allocated once, not grown from a quarter.
            let mut chars = Vec::with_capacity(label.len());
            chars.extend(label.chars());
            Some(chars)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: Option<Vec<char>>) -> String {
        v.map(|v| v.into_iter().collect()).unwrap_or_default()
    }

    #[test]
    fn punycode_examples() {
        assert_eq!(s(decode_label("xn--mller-kva")), "müller");
        assert_eq!(s(decode_label("xn--bcher-kva")), "bücher");
        assert_eq!(s(decode_label("xn--pypal-4ve")), "pаypal");
        assert_eq!(s(decode_label("xn--80ak6aa92e")), "аррӏе");
        assert_eq!(s(decode_label("paypal")), "paypal");
        assert!(decode_label("xn--").is_some());
        assert!(decode_label("xn--zzzzzzzzzzzzzzzzzzzzzzzzz").is_none());
        assert!(decode_label("xn--a-ü").is_none());
    }

    #[test]
    fn folds() {
        assert_eq!(fold('а'), Fold::One(b'a'));
        assert_eq!(fold('ü'), Fold::One(b'u'));
        assert_eq!(fold('Ꮲ'), Fold::One(b'p'));
        assert_eq!(fold('ɗ'), Fold::One(b'd'));
        assert_eq!(fold('æ'), Fold::Many("ae"));
        assert_eq!(fold('\u{301}'), Fold::Nothing);
        assert_eq!(fold('P'), Fold::Same(b'p'));
        assert_eq!(fold('中'), Fold::Opaque);
        assert_eq!(script_of('а'), Script::Cyrillic);
        assert_eq!(script_of('a'), Script::Latin);
        assert_eq!(script_of('ü'), Script::Latin);
        assert_eq!(script_of('α'), Script::Greek);
        assert_eq!(script_of('Ꮲ'), Script::Cherokee);
        assert_eq!(script_of('中'), Script::Han);
        assert_eq!(script_of('1'), Script::Common);
    }
}
