//! The words of a message: visible text, hidden text, and lure vocabulary found in them.
//!
//! [`Text::from_mail`] is computed once per message (by [`crate::analyze`]'s pipeline) from the
//! subject, the plain-text bodies and, when there is none, the visible text of the HTML
//! bodies (HTML beside a plain-text alternative is read for its hidden text only). HTML is
//! read by a small bounded scanner: tags, comments, `script`/`style`/`head` content skipped,
//! character references decoded, and elements styled invisible (`display:none`,
//! `visibility:hidden`, zero font size, zero opacity, text coloured like its own background)
//! set aside as [`Hidden`] text instead of visible text. Vocabulary ([`lexicon`]) is matched
//! on [`Text::normalized`].

pub mod lexicon;

use crate::mail::Mail;

/// Bytes of one body read.
const MAX_BODY_BYTES: usize = 256 * 1024;
/// Characters of visible text kept in total.
const MAX_TEXT_CHARS: usize = 64 * 1024;
/// Bytes of text one HTML body's reader collects into its visible text or a hidden fragment
/// (room for [`MAX_TEXT_CHARS`] characters of up to four bytes).
const MAX_HTML_TEXT_BYTES: usize = MAX_TEXT_CHARS * 4;
/// Hidden fragments kept.
const MAX_HIDDEN: usize = 200;

/// Text set aside because it is styled invisible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hidden {
    /// The hidden text (collapsed white space, at most 200 characters).
    pub text: String,
    /// Its full length in characters.
    pub chars: usize,
    /// How it is hidden, e.g. `display:none`.
    pub how: &'static str,
    /// Letters right before and after it, and letters inside: it splits a word.
    pub splits_word: bool,
    /// MIME path of the HTML body.
    pub path: String,
}

/// The message's words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    /// The subject as written.
    pub subject: String,
    /// Visible body text as written (characters preserved, white space collapsed).
    pub visible: String,
    /// Subject and visible body, lower case, invisible characters removed, typographic quotes
    /// and dashes folded, white space collapsed: what vocabulary is matched on.
    pub normalized: String,
    pub hidden: Vec<Hidden>,
    /// Indices into [`lexicon::PHRASES`] of the phrases found in [`Text::normalized`].
    pub found: Vec<usize>,
    /// Where the subject ends in [`Text::normalized`] (byte offset).
    pub subject_end: usize,
}

impl Text {
    pub fn from_mail(mail: &Mail) -> Text {
        let mut text = Text {
            subject: mail.subject.clone().unwrap_or_default(),
            ..Text::default()
        };
        // Collapsing white space only shortens a body: room for all of them up front.
        let mut visible = String::with_capacity(
            mail.text_bodies
                .iter()
                .map(|b| b.len().min(MAX_BODY_BYTES) + 1)
                .sum(),
        );
        for body in &mail.text_bodies {
            push_collapsed(&mut visible, crate::limits::clip(body, MAX_BODY_BYTES));
            visible.push(' ');
        }
        for (i, body) in mail.html_bodies.iter().enumerate() {
            // Multipart/alternative carries the same words twice; reading both only doubles
            // the work, so HTML adds its text only when there was no plain body.
            let mut hidden = Vec::new();
            let html = crate::limits::clip(body, MAX_BODY_BYTES);
            if mail.text_bodies.is_empty() {
                visible.push_str(&html_text(html, &mut hidden));
                visible.push(' ');
            } else {
                html_hidden(html, &mut hidden);
            }
            for h in &mut hidden {
                h.path = i.to_string();
            }
            text.hidden.extend(hidden);
        }
        text.hidden.truncate(MAX_HIDDEN);
        // The first MAX_TEXT_CHARS characters; a string of at most that many bytes has no more.
        if visible.len() > MAX_TEXT_CHARS
            && let Some((cut, _)) = visible.char_indices().nth(MAX_TEXT_CHARS)
        {
            visible.truncate(cut);
        }
        text.visible = visible;
        let mut normalized = Normalizer::with_capacity(text.subject.len() + text.visible.len() + 3);
        normalized.push_str(&text.subject);
        text.subject_end = normalized.out.len();
        normalized.push_str(" \n ");
        normalized.push_str(&text.visible);
        text.normalized = normalized.out;
        text.found = lexicon_index().find(&text.normalized);
        text
    }

    /// The subject's part of [`Text::normalized`].
    pub fn normalized_subject(&self) -> &str {
        self.normalized.get(..self.subject_end).unwrap_or_default()
    }

    /// Lexicon phrases found in the subject alone (indices into [`lexicon::PHRASES`]).
    pub fn subject_phrases(&self) -> Vec<usize> {
        lexicon_index().find(self.normalized_subject())
    }

    /// Phrases of `cue` found in the normalized text, in lexicon order, at most `max`.
    pub fn cues(&self, cue: lexicon::Cue, max: usize) -> Vec<&'static lexicon::Phrase> {
        self.found
            .iter()
            .map(|&i| &lexicon::PHRASES[i])
            .filter(|p| p.cue == cue)
            .take(max)
            .collect()
    }
}

/// Indices of the `phrases` that occur in `text` at word boundaries, in list order. One pass
/// over the word starts of `text` (see [`PhraseIndex`]).
pub fn find_phrases(text: &str, phrases: &[lexicon::Phrase]) -> Vec<usize> {
    PhraseIndex::new(phrases).find(text)
}

/// The index of [`lexicon::PHRASES`], built once.
fn lexicon_index() -> &'static PhraseIndex {
    static INDEX: std::sync::OnceLock<PhraseIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| PhraseIndex::new(lexicon::PHRASES))
}

/// Phrases keyed by their first word (the alphanumeric characters they start with).
///
/// A phrase that matches at a word start, with a word boundary after it, begins with exactly
/// the word of the text found there: its first word is followed in the phrase by a
/// non-alphanumeric character, or ends the phrase and is then followed in the text by one. So
/// each word of the text is looked up once and only the phrases starting with that word are
/// compared; phrases starting with a non-alphanumeric character are compared at every word
/// start.
pub struct PhraseIndex {
    /// First word → indices of the phrases starting with it, in list order.
    by_word: crate::fx::FxHashMap<&'static str, Vec<usize>>,
    /// A one-hash Bloom filter of the first words, by [`word_sketch`]: most words of a text
    /// fail it and are never hashed.
    sketches: [u64; 64],
    /// Another one-hash Bloom filter of the first words of one to seven ASCII bytes, by
    /// [`short_bit`] of the word's bytes as one little-endian number.
    short: [u64; 64],
    /// Phrases whose first character is not alphanumeric.
    loose: Vec<usize>,
    phrases: Vec<&'static str>,
}

impl PhraseIndex {
    pub fn new(phrases: &[lexicon::Phrase]) -> PhraseIndex {
        let mut index = PhraseIndex {
            by_word: std::collections::HashMap::default(),
            sketches: [0; 64],
            short: [0; 64],
            loose: Vec::new(),
            phrases: phrases.iter().map(|p| p.text).collect(),
        };
        for (i, p) in phrases.iter().enumerate() {
            let word = &p.text[..word_end(p.text, 0)];
            match word.as_bytes().first() {
                Some(_) => {
                    let bit = word_sketch(word.as_bytes());
                    index.sketches[bit / 64] |= 1u64 << (bit % 64);
                    if word.is_ascii() && word.len() < 8 {
                        let mut key = [0; 8];
                        key[..word.len()].copy_from_slice(word.as_bytes());
                        let bit = short_bit(u64::from_le_bytes(key));
                        index.short[bit / 64] |= 1u64 << (bit % 64);
                    }
                    index.by_word.entry(word).or_default().push(i);
                }
                None if !p.text.is_empty() => index.loose.push(i),
                None => {}
            }
        }
        index
    }

    /// Indices of the phrases that occur in `text` at word boundaries, in list order.
    ///
    /// Eight bytes at a time: one mask of their letters and digits ([`ascii_word_bytes`])
    /// skips the separators before a word and, for a word of ASCII that ends within the
    /// eight bytes (most words), gives the word itself, tested against [`PhraseIndex::short`]
    /// as one number. Other words are read a character at a time.
    pub fn find(&self, text: &str) -> Vec<usize> {
        if !self.loose.is_empty() {
            return self.find_by_chars(text);
        }
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let mut found: Vec<usize> = Vec::new();
        let b = text.as_bytes();
        // `at` is the start of the text, follows a character that is not alphanumeric, or is
        // an ASCII byte that is not a letter or digit.
        let mut at = 0;
        loop {
            if let Some(w) = word_at(b, at) {
                let word = ascii_word_bytes(w);
                // The first letter, digit or byte of a character that is not ASCII.
                let start = ((word | (w & HIGH)).trailing_zeros() / 8) as usize;
                if start == 8 {
                    at += 8;
                    continue;
                }
                let end =
                    ((!word & HIGH & (u64::MAX << (start * 8))).trailing_zeros() / 8) as usize;
                if start < end && end < 8 && (w >> (end * 8)) & 0x80 == 0 {
                    // The whole word: an ASCII byte that is no letter or digit follows it.
                    let key = (w >> (start * 8)) & ((1u64 << ((end - start) * 8)) - 1);
                    if self.short[short_bit(key) / 64] & (1u64 << (short_bit(key) % 64)) != 0 {
                        self.look_up(text, at + start, at + end, &mut found);
                    }
                    at += end;
                    continue;
                }
                at += start;
            } else {
                while at < b.len() && ASCII_SEPARATOR[usize::from(b[at])] {
                    at += 1;
                }
                if at >= b.len() {
                    break;
                }
            }
            // A word starts at `at`, or a character that is not ASCII.
            let end = word_end(text, at);
            if end > at {
                if self.sketched(word_sketch(&b[at..end])) {
                    self.look_up(text, at, end, &mut found);
                }
                at = end;
                if at >= b.len() {
                    break;
                }
            }
            // The character at `at` is not alphanumeric.
            at += char_len(b[at]);
        }
        found.sort_unstable();
        found
    }

    /// Whether a first word may have sketch `bit`.
    #[inline(always)]
    fn sketched(&self, bit: usize) -> bool {
        self.sketches[bit / 64] & (1u64 << (bit % 64)) != 0
    }

    /// Compares the phrases starting with the word `text[at..end]` at `at`, and adds those
    /// found to `found`.
    fn look_up(&self, text: &str, at: usize, end: usize, found: &mut Vec<usize>) {
        let Some(candidates) = self.by_word.get(&text[at..end]) else {
            return;
        };
        for &i in candidates {
            let p = self.phrases[i];
            if text.as_bytes()[at..].starts_with(p.as_bytes())
                && !text[at + p.len()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
                && !found.contains(&i)
            {
                found.push(i);
            }
        }
    }

    /// [`PhraseIndex::find`] a character at a time: the way for phrases that start with a
    /// character that is not alphanumeric (they are compared at every such character), and
    /// the reference the eight-byte steps are tested against.
    fn find_by_chars(&self, text: &str) -> Vec<usize> {
        // Indices found so far: few, so a linear look-up beats a flag per phrase.
        let mut found: Vec<usize> = Vec::new();
        let bytes = text.as_bytes();
        let check = |at: usize, i: usize, found: &mut Vec<usize>| {
            let p = self.phrases[i];
            if bytes[at..].starts_with(p.as_bytes())
                && !text[at + p.len()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
                && !found.contains(&i)
            {
                found.push(i);
            }
        };
        let mut at = 0;
        while at < bytes.len() {
            if self.loose.is_empty() {
                // No phrase starts here unless a word does: skip ASCII that starts none.
                while at < bytes.len() && ASCII_SEPARATOR[usize::from(bytes[at])] {
                    at += 1;
                }
                if at >= bytes.len() {
                    break;
                }
            }
            // `at` starts a word: the character before it, if any, is not alphanumeric.
            for &i in &self.loose {
                check(at, i, &mut found);
            }
            let end = word_end(text, at);
            if end > at {
                let bit = word_sketch(&bytes[at..end]);
                if self.sketches[bit / 64] & (1u64 << (bit % 64)) != 0
                    && let Some(candidates) = self.by_word.get(&text[at..end])
                {
                    for &i in candidates {
                        check(at, i, &mut found);
                    }
                }
                // The character at `end` follows a word: no word starts there.
                at = end;
                if at >= bytes.len() {
                    break;
                }
            }
            at += char_len(bytes[at]);
        }
        found.sort_unstable();
        found
    }
}

/// Which of 4,096 bits stands for a word in [`PhraseIndex::sketches`]: a hash of its first
/// two bytes, its last byte and its length.
#[inline]
fn word_sketch(word: &[u8]) -> usize {
    let (first, second, last) = match word {
        [] => (0, 0, 0),
        [a] => (*a, 0, *a),
        [a, b] => (*a, *b, *b),
        [a, b, .., z] => (*a, *b, *z),
    };
    let key = u32::from(first)
        | u32::from(second) << 8
        | u32::from(last) << 16
        | (word.len().min(255) as u32) << 24;
    (key.wrapping_mul(0x9E37_79B1) >> 20) as usize
}

/// Which of 4,096 bits stands for a word of one to seven ASCII bytes in
/// [`PhraseIndex::short`]: a multiplicative hash of its bytes as one little-endian number.
#[inline(always)]
fn short_bit(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 52) as usize
}

/// End of the run of alphanumeric characters starting at byte `at` of `s`.
#[inline(always)]
fn word_end(s: &str, mut at: usize) -> usize {
    let b = s.as_bytes();
    loop {
        // ASCII letters and digits eight at a time; anything else ends the word or is a
        // character to decode.
        at = ascii_word_end(b, at);
        if at >= b.len() || b[at] < 0x80 {
            return at;
        }
        match s[at..].chars().next() {
            Some(c) if c.is_alphanumeric() => at += c.len_utf8(),
            _ => return at,
        }
    }
}

/// End of the run of ASCII letters and digits starting at byte `at` of `b`: most words of a
/// text end inside the first eight bytes, so one step of [`ascii_word_bytes`] finds the end.
#[inline(always)]
fn ascii_word_end(b: &[u8], mut at: usize) -> usize {
    while let Some(w) = word_at(b, at) {
        let stop = !ascii_word_bytes(w) & 0x8080_8080_8080_8080;
        if stop != 0 {
            return at + (stop.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while at < b.len() && ASCII_WORD[usize::from(b[at])] {
        at += 1;
    }
    at
}

/// The high bit of each byte of `w` (eight bytes, little-endian) that is an ASCII letter or
/// digit, and no other bit. Range tests on the low seven bits of every byte at once: adding
/// `0x80 - lo` sets a byte's high bit exactly when it is `lo` or above, and no sum carries
/// into the next byte.
#[inline(always)]
fn ascii_word_bytes(w: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const fn every(b: u8) -> u64 {
        u64::from_le_bytes([b; 8])
    }
    let low = w & !HIGH;
    let digit = low.wrapping_add(every(0x80 - b'0')) & !low.wrapping_add(every(0x7F - b'9'));
    // Upper-case letters fold onto lower-case ones; no other byte lands among them.
    let folded = low | every(0x20);
    let letter = folded.wrapping_add(every(0x80 - b'a')) & !folded.wrapping_add(every(0x7F - b'z'));
    (digit | letter) & !w & HIGH
}

/// ASCII letters and digits, by byte (a look-up is cheaper than the three range tests); no
/// byte of 0x80 or above.
static ASCII_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 128 {
        t[i] = (i as u8).is_ascii_alphanumeric();
        i += 1;
    }
    t
};

/// ASCII bytes that are not letters or digits: they start no word.
static ASCII_SEPARATOR: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 128 {
        t[i] = !(i as u8).is_ascii_alphanumeric();
        i += 1;
    }
    t
};

/// Length of the UTF-8 sequence that starts with `lead`.
fn char_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

fn push_collapsed(out: &mut String, s: &str) {
    let mut space = out.ends_with(' ') || out.is_empty();
    let b = s.as_bytes();
    let (mut i, mut run) = (0, 0);
    while i < b.len() {
        // Eight plain bytes at a time (see [`plain_word`]). A space first in the word stays
        // only inside a run; at a run's start it is white space to collapse.
        while let Some(w) = word_at(b, i)
            && plain_word(w)
            && (run < i || w & 0xFF != u64::from(b' '))
        {
            i += 8;
        }
        // Most bytes cannot start white space: skip them in a tight loop.
        while i < b.len() && !MAY_START_SPACE[usize::from(b[i])] {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        // A lone space between two characters that are not white space stays as it is: the
        // run goes on (most spaces in text are these).
        if b[i] == b' ' && run < i && i + 1 < b.len() && !MAY_START_SPACE[usize::from(b[i + 1])] {
            i += 1;
            continue;
        }
        // ASCII white space (most of it) is answered here, without a call.
        let n = if is_ascii_space(b[i]) {
            1
        } else if let Some(n) = whitespace_at(s, i) {
            n
        } else {
            i += 1;
            continue;
        };
        if run < i {
            out.push_str(&s[run..i]);
            space = false;
        }
        if !space {
            out.push(' ');
            space = true;
        }
        i += n;
        run = i;
    }
    out.push_str(&s[run..]);
}

/// The eight bytes of `b` from `i`, as a little-endian word, when there are eight.
#[inline]
fn word_at(b: &[u8], i: usize) -> Option<u64> {
    let bytes: [u8; 8] = b.get(i..i.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(bytes))
}

/// Whether eight bytes (a little-endian word) are all printable ASCII or lone spaces: no byte
/// of `0x80` or above, none below `0x20` (controls and the other white space), no two spaces
/// in a row, and no space last (what follows it is not known here). The text scanners step
/// over such words whole: most of a plain-text body is made of them.
#[inline]
fn plain_word(w: u64) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    if w & HIGH != 0 {
        return false;
    }
    // Every byte is below 0x80 now, so adding 0x60 carries into no neighbour: the high bit
    // is set exactly for the bytes of 0x20 and above.
    if !w.wrapping_add(0x6060_6060_6060_6060) & HIGH != 0 {
        return false;
    }
    // Zero bytes of `t` are the spaces; the high bit of `nonzero` is set for every other byte.
    let t = w ^ 0x2020_2020_2020_2020;
    let nonzero = (((t & LOW7) + LOW7) | t) & HIGH;
    let spaces = !nonzero & HIGH;
    spaces & (spaces >> 8) == 0 && spaces >> 56 == 0
}

/// ASCII white space as `char::is_whitespace` counts it.
#[inline]
const fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' | b' ')
}

/// ASCII bytes that are not white space.
static ASCII_PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 128 {
        t[i] = !is_ascii_space(i as u8);
        i += 1;
    }
    t
};

/// The bytes [`whitespace_at`] may answer `Some` for: ASCII white space and the lead bytes
/// `C2`, `E1`, `E2`, `E3`.
static MAY_START_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = matches!(i, 0x09..=0x0D | 0x20 | 0xC2 | 0xE1 | 0xE2 | 0xE3);
        i += 1;
    }
    t
};

/// Byte length of the white-space character (`char::is_whitespace`) at byte `i` of `s`, if
/// one starts there. Only ASCII and the lead bytes `C2`, `E1`, `E2`, `E3` can start one, so
/// every other byte (continuation bytes included) is answered without decoding.
#[inline]
fn whitespace_at(s: &str, i: usize) -> Option<usize> {
    match s.as_bytes()[i] {
        b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' | b' ' => Some(1),
        0xC2 | 0xE1 | 0xE2 | 0xE3 => s
            .get(i..)
            .and_then(|r| r.chars().next())
            .filter(|c| c.is_whitespace())
            .map(char::len_utf8),
        _ => None,
    }
}

/// Lower case, invisible characters removed, quotes and dashes folded, white space collapsed.
pub fn normalize(s: &str) -> String {
    let mut n = Normalizer::with_capacity(s.len());
    n.push_str(s);
    n.out
}

/// [`normalize`] over several pieces, as if they were one string.
struct Normalizer {
    out: String,
    space: bool,
}

impl Normalizer {
    fn with_capacity(n: usize) -> Normalizer {
        Normalizer {
            out: String::with_capacity(n),
            space: true,
        }
    }

    fn push_str(&mut self, s: &str) {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let byte = b[i];
            if byte < 0x80 {
                if is_ascii_space(byte) {
                    i += 1;
                    self.space_char();
                    continue;
                }
                // A run of ASCII that is not white space, lone spaces between such characters
                // included: kept as it is, lower-cased in place.
                let run = i;
                loop {
                    // The byte before `i` is not white space here, so a plain word's first
                    // space is a lone one.
                    while let Some(w) = word_at(b, i)
                        && plain_word(w)
                    {
                        i += 8;
                    }
                    while i < b.len() && ASCII_PLAIN[usize::from(b[i])] {
                        i += 1;
                    }
                    if i + 1 < b.len() && b[i] == b' ' && ASCII_PLAIN[usize::from(b[i + 1])] {
                        i += 1;
                        continue;
                    }
                    break;
                }
                let at = self.out.len();
                self.out.push_str(&s[run..i]);
                self.out[at..].make_ascii_lowercase();
                self.space = false;
                continue;
            }
            let Some(c) = s[i..].chars().next() else {
                break;
            };
            i += c.len_utf8();
            let c = match c {
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {
                    continue;
                }
                '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
                '\u{201C}' | '\u{201D}' => '"',
                '\u{2010}'..='\u{2015}' => '-',
                c if c.is_whitespace() => {
                    self.space_char();
                    continue;
                }
                c => c,
            };
            self.space = false;
            if c.is_ascii() {
                self.out.push(c);
            } else {
                self.out.extend(c.to_lowercase());
            }
        }
    }

    fn space_char(&mut self) {
        if !self.space {
            self.out.push(' ');
        }
        self.space = true;
    }
}

/// Whether `phrase` occurs in `text` at word boundaries.
pub fn contains_phrase(text: &str, phrase: &str) -> bool {
    let mut from = 0;
    while let Some(pos) = text[from..].find(phrase) {
        let at = from + pos;
        let end = at + phrase.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        from = at + phrase.len().max(1);
        while from < text.len() && !text.is_char_boundary(from) {
            from += 1;
        }
        if from >= text.len() {
            break;
        }
    }
    false
}

/// Elements whose content is never visible text.
fn skipped_element(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "head" | "title" | "noscript" | "template" | "svg" | "xml"
    )
}

fn void_element(name: &str) -> bool {
    matches!(
        name,
        "br" | "img"
            | "hr"
            | "meta"
            | "link"
            | "input"
            | "area"
            | "base"
            | "col"
            | "embed"
            | "source"
            | "track"
            | "wbr"
            | "param"
    )
}

fn block_element(name: &str) -> bool {
    matches!(
        name,
        "br" | "p"
            | "div"
            | "td"
            | "th"
            | "tr"
            | "li"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "blockquote"
            | "center"
            | "ul"
            | "ol"
            | "section"
            | "article"
            | "header"
            | "footer"
    )
}

/// How an element's inline style or attributes hide it, if they do.
pub fn hiding(tag: &str) -> Option<&'static str> {
    let named = hiding_names(tag);
    if named == 0 {
        return None;
    }
    // An attribute whose name the tag does not contain is not looked for.
    let lower = tag.to_ascii_lowercase();
    let attr = |bit: u8, name: &str| {
        if named & bit == 0 {
            None
        } else {
            attribute(&lower, name)
        }
    };
    let style = without_whitespace(attr(NAMES_STYLE, "style").unwrap_or_default());
    // The last declaration of each property read below, in one pass.
    let mut decls: [Option<&str>; 7] = [None; 7];
    for (p, v) in style.split(';').filter_map(|d| d.split_once(':')) {
        if let Some(k) = STYLE_PROPERTIES.iter().position(|q| *q == p) {
            decls[k] = Some(trim_important(v));
        }
    }
    let decl = |prop: &str| -> Option<&str> {
        STYLE_PROPERTIES
            .iter()
            .position(|q| *q == prop)
            .and_then(|k| decls[k])
    };
    if decl("display") == Some("none") || attr(NAMES_HIDDEN, "hidden").is_some() {
        return Some("display:none");
    }
    if decl("visibility") == Some("hidden") {
        return Some("visibility:hidden");
    }
    if let Some(size) = decl("font-size").or_else(|| attr(NAMES_FONT_SIZE, "size")) {
        let digits = size
            .bytes()
            .take_while(|c| c.is_ascii_digit() || *c == b'.')
            .count();
        if below(&size[..digits], 1, 0) {
            return Some("font-size:0");
        }
    }
    if let Some(op) = decl("opacity")
        && below(op.trim(), 0, 5)
    {
        return Some("opacity:0");
    }
    // The background is looked for only when there is a colour to compare it with.
    let color = decl("color").or_else(|| attr(NAMES_COLOR, "color"));
    let background = || {
        decl("background-color")
            .or_else(|| decl("background"))
            .or_else(|| attr(NAMES_COLOR, "bgcolor"))
    };
    if let Some(c) = color
        && let Some(b) = background()
        && let (Some(c), Some(b)) = (parse_color(c), parse_color(b))
        && c == b
    {
        return Some("same colour as background");
    }
    None
}

/// `v` without the `!important` at its end, repeated or not (`trim_end_matches`, without
/// building a substring searcher for each declaration).
fn trim_important(mut v: &str) -> &str {
    while let Some(rest) = v.strip_suffix("!important") {
        v = rest;
    }
    v
}

/// `s` without its white-space characters (`char::is_whitespace`), copied by runs.
fn without_whitespace(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut i, mut run) = (0, 0);
    while i < b.len() {
        match MAY_START_SPACE[usize::from(b[i])]
            .then(|| whitespace_at(s, i))
            .flatten()
        {
            Some(n) => {
                out.push_str(&s[run..i]);
                i += n;
                run = i;
            }
            None => i += 1,
        }
    }
    out.push_str(&s[run..]);
    out
}

/// The style properties [`hiding`] reads.
const STYLE_PROPERTIES: [&str; 7] = [
    "display",
    "visibility",
    "font-size",
    "opacity",
    "color",
    "background-color",
    "background",
];

/// [`hiding_names`]: the tag contains `style`.
const NAMES_STYLE: u8 = 1;
/// [`hiding_names`]: the tag contains `hidden`.
const NAMES_HIDDEN: u8 = 2;
/// [`hiding_names`]: the tag contains `color` (so perhaps `bgcolor`).
const NAMES_COLOR: u8 = 4;
/// [`hiding_names`]: the tag is a `<font` and contains `size`.
const NAMES_FONT_SIZE: u8 = 8;

/// Which of the attributes [`hiding`] reads `tag` names, in any ASCII case, as `NAMES_*`
/// bits: an attribute is found only where its name is. Most tags name none of them and are
/// answered without allocating.
fn hiding_names(tag: &str) -> u8 {
    let b = tag.as_bytes();
    let at = |i: usize, word: &[u8]| {
        b.len() - i >= word.len() && b[i..i + word.len()].eq_ignore_ascii_case(word)
    };
    let font = at(0, b"<font");
    let mut named = 0;
    let mut i = 0;
    // Eight bytes at a time (the last ones padded with zero bytes): only the bytes of
    // [`name_starts`] are looked at.
    while i < b.len() {
        let w = word_at(b, i).unwrap_or_else(|| {
            let mut last = [0; 8];
            last[..b.len() - i].copy_from_slice(&b[i..]);
            u64::from_le_bytes(last)
        });
        let mut starts = name_starts(w);
        while starts != 0 {
            let k = i + (starts.trailing_zeros() / 8) as usize;
            starts &= starts - 1;
            named |= match b.get(k).map(|c| c | 0x20) {
                Some(b's') if at(k, b"style") => NAMES_STYLE,
                Some(b's') if font && at(k, b"size") => NAMES_FONT_SIZE,
                Some(b'h') if at(k, b"hidden") => NAMES_HIDDEN,
                Some(b'c') if at(k, b"color") => NAMES_COLOR,
                _ => 0,
            };
        }
        i += 8;
    }
    named
}

/// The high bit of every byte of `w` (eight bytes, little-endian) that is `s`, `h` or `c` in
/// either case, and perhaps of a few others: a byte right after one of those may be marked
/// too (the subtraction borrows), but none of them is missed.
#[inline(always)]
fn name_starts(w: u64) -> u64 {
    const fn every(b: u8) -> u64 {
        u64::from_le_bytes([b; 8])
    }
    // A byte of `x` is zero where `w` has the letter; zero bytes are found by borrowing.
    let zero = |x: u64| x.wrapping_sub(every(1)) & !x & every(0x80);
    let folded = w | every(0x20);
    zero(folded ^ every(b's')) | zero(folded ^ every(b'h')) | zero(folded ^ every(b'c'))
}

/// Whether a CSS number (`0`, `0.5`, `.02`) is below `int` + `hundredths`/100, decided on
/// its digits (no float parsing, which would cost the wasm build tens of kilobytes).
fn below(number: &str, int: u32, hundredths: u32) -> bool {
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return false;
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > 3 {
        return false;
    }
    let w: u32 = whole.parse().unwrap_or(0);
    let mut f = frac.bytes().take(2).map(|b| u32::from(b - b'0'));
    let h = f.next().unwrap_or(0) * 10 + f.next().unwrap_or(0);
    w * 100 + h < int * 100 + hundredths
}

fn parse_color(v: &str) -> Option<(u8, u8, u8)> {
    let v = v.trim().trim_matches(['"', '\'']);
    let hex = |s: &str| u8::from_str_radix(s, 16).ok();
    if let Some(h) = v.strip_prefix('#') {
        // Byte slicing below: anything but ASCII is no colour (and could split a character).
        if !h.is_ascii() {
            return None;
        }
        return match h.len() {
            3 => {
                let d: Vec<u8> = h.chars().filter_map(|c| hex(&c.to_string())).collect();
                (d.len() == 3).then(|| (d[0] * 17, d[1] * 17, d[2] * 17))
            }
            6 => Some((hex(&h[0..2])?, hex(&h[2..4])?, hex(&h[4..6])?)),
            _ => None,
        };
    }
    match v {
        "white" => Some((255, 255, 255)),
        "black" => Some((0, 0, 0)),
        _ => None,
    }
}

/// The value of attribute `name` in a lower-cased start tag.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let b = tag.as_bytes();
    let mut from = 0;
    while let Some(pos) = find_bytes(&b[from..], name.as_bytes()) {
        let at = from + pos;
        from = at + name.len();
        let before_ok = at > 0 && matches!(b[at - 1], b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'');
        if !before_ok {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            // A bare attribute (`hidden`).
            if rest.starts_with([' ', '>', '/']) || rest.is_empty() {
                return Some("");
            }
            continue;
        };
        let rest = rest.trim_start();
        let value = if let Some(r) = rest.strip_prefix('"') {
            r.split('"').next().unwrap_or_default()
        } else if let Some(r) = rest.strip_prefix('\'') {
            r.split('\'').next().unwrap_or_default()
        } else {
            rest.split([' ', '>']).next().unwrap_or_default()
        };
        return Some(value);
    }
    None
}

/// First position of `needle` in `hay` (what `str::find` answers for these short ASCII
/// names, without building a two-way searcher per call). The needle's rarest letter is
/// searched for, not its first: a tag is full of `s` and `c`, and each one found costs a
/// comparison and another search.
fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    // How common a byte is in tags, roughly: the commonest letters of English and CSS text
    // rank highest, anything else lowest.
    let rank = |c: u8| match c {
        b'e' | b't' | b'a' | b'o' | b'i' | b'n' | b's' => 3,
        b'h' | b'r' | b'd' | b'l' | b'c' => 2,
        b'u' | b'm' | b'w' | b'f' | b'g' | b'p' | b'x' => 1,
        _ => 0,
    };
    if needle.is_empty() {
        return Some(0);
    }
    let (k, rare) = needle
        .iter()
        .copied()
        .enumerate()
        .min_by_key(|&(_, c)| rank(c))?;
    // Each `rare` at `at` (with room for the rest of the needle) places it at `at - k`.
    let mut from = k;
    while from + needle.len() - k <= hay.len() {
        let at = from + memchr::memchr(rare, &hay[from..=hay.len() - (needle.len() - k)])?;
        if hay[at - k..].starts_with(needle) {
            return Some(at - k);
        }
        from = at + 1;
    }
    None
}

/// Decodes the common character references.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let end = s.find(';').filter(|&e| e <= 10)?;
    let name = &s[1..end];
    let c = if let Some(num) = name.strip_prefix('#') {
        let n = if let Some(h) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(h, 16).ok()?
        } else {
            num.parse().ok()?
        };
        char::from_u32(n)?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => ' ',
            "zwnj" => '\u{200C}',
            "zwj" => '\u{200D}',
            "shy" => '\u{00AD}',
            "rsquo" => '\u{2019}',
            "lsquo" => '\u{2018}',
            "ldquo" => '\u{201C}',
            "rdquo" => '\u{201D}',
            "ndash" => '\u{2013}',
            "mdash" => '\u{2014}',
            "copy" => '©',
            "reg" => '®',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// The visible text of an HTML document; hidden fragments go to `hidden`.
pub fn html_text(html: &str, hidden: &mut Vec<Hidden>) -> String {
    let mut out = String::new();
    read_html(html, hidden, Some(&mut out));
    out
}

/// The hidden fragments of an HTML document, as [`html_text`] finds them, without building
/// its visible text: for an HTML body whose words a plain-text alternative already gives.
pub fn html_hidden(html: &str, hidden: &mut Vec<Hidden>) {
    // The visible text is needed only for the letter before a hidden fragment, and that
    // comes from the last text pushed (see `read_html`), unless the visible text can reach
    // its cap (`MAX_HTML_TEXT_BYTES`): never for a body clipped to `MAX_BODY_BYTES`, since
    // text and references never grow when read, and a tag adds at most one space.
    if html.len() <= MAX_HTML_TEXT_BYTES {
        read_html(html, hidden, None);
    } else {
        let _ = html_text(html, hidden);
    }
}

/// What the visible text of [`read_html`] last had pushed onto it.
#[derive(Clone, Copy)]
enum Tail {
    /// Nothing, or a space (a block element's).
    Other,
    /// The text between these byte offsets of the document.
    Text(usize, usize),
}

/// Reads `html` into its hidden fragments and, when `visible` is given, its visible text.
/// Without it only the last text that would have been pushed is remembered ([`Tail`]), and
/// rendered when a hidden fragment opens: its last character is the visible text's. (The
/// visible text's first characters differ only in white space: text that is all white space
/// leaves a space or nothing, so no letter, either way.)
fn read_html(html: &str, hidden: &mut Vec<Hidden>, mut visible: Option<&mut String>) {
    let mut scratch = String::new();
    let mut tail = Tail::Other;
    let b = html.as_bytes();
    let mut i = 0;
    // Open hiding elements: (tag name, nesting depth of that name, how, text so far, letter before).
    let mut hide: Option<(String, usize, &'static str, String, bool)> = None;
    let mut skip: Option<String> = None;
    // The lower-cased name of the current tag; one buffer for all tags.
    let mut name = String::new();
    let mut steps = 0usize;
    while i < b.len() {
        steps += 1;
        if steps > 2_000_000 {
            break;
        }
        if b[i] == b'<' {
            if html[i..].starts_with("<!--") {
                i = crate::links::html::comment_end(b, i + 4).map_or(b.len(), |n| n + 3);
                continue;
            }
            let end = memchr::memchr(b'>', &b[i..]).map_or(b.len(), |n| i + n + 1);
            let tag = &html[i..end];
            i = end;
            let closing = tag.starts_with("</");
            name.clear();
            // The name: the letters and digits after the leading `<`, `/`, `!` and `?`.
            let tb = tag.as_bytes();
            let mut k = 0;
            while k < tb.len() && matches!(tb[k], b'<' | b'/' | b'!' | b'?') {
                k += 1;
            }
            let start = k;
            while k < tb.len() && tb[k].is_ascii_alphanumeric() {
                k += 1;
            }
            name.push_str(&tag[start..k]);
            name.make_ascii_lowercase();
            if let Some(s) = &skip {
                if closing && *s == name {
                    skip = None;
                }
                continue;
            }
            if !closing && skipped_element(&name) && !tag.ends_with("/>") {
                skip = Some(name.clone());
                continue;
            }
            if let Some((hname, depth, how, text, before)) = &mut hide {
                if *hname == name && !void_element(&name) {
                    if closing {
                        if *depth == 0 {
                            let after = html[i..]
                                .chars()
                                .find(|c| *c != '\u{200B}')
                                .is_some_and(char::is_alphabetic);
                            let collapsed = normalize_space(text);
                            if !collapsed.is_empty() {
                                let chars = collapsed.chars().count();
                                hidden.push(Hidden {
                                    splits_word: *before
                                        && after
                                        && collapsed.chars().all(char::is_alphabetic),
                                    text: collapsed.chars().take(200).collect(),
                                    chars,
                                    how,
                                    path: String::new(),
                                });
                            }
                            hide = None;
                        } else {
                            *depth -= 1;
                        }
                    } else if !tag.ends_with("/>") {
                        *depth += 1;
                    }
                }
                continue;
            }
            if !closing
                && !void_element(&name)
                && !tag.ends_with("/>")
                && let Some(how) = hiding(tag)
            {
                let before = match (&visible, tail) {
                    (Some(out), _) => out.chars().next_back(),
                    (None, Tail::Text(start, end)) => {
                        scratch.clear();
                        push_text(&mut scratch, &html[start..end]);
                        scratch.chars().next_back()
                    }
                    (None, Tail::Other) => None,
                }
                .is_some_and(char::is_alphabetic);
                hide = Some((name.clone(), 0, how, String::new(), before));
                continue;
            }
            if block_element(&name) {
                match &mut visible {
                    Some(out) => {
                        if !out.ends_with(' ') {
                            out.push(' ');
                        }
                    }
                    None => tail = Tail::Other,
                }
            }
            continue;
        }
        // Text up to the next tag.
        let end = memchr::memchr(b'<', &b[i..]).map_or(b.len(), |n| i + n);
        if skip.is_none() {
            let target = match (&mut hide, &mut visible) {
                (Some((_, _, _, text, _)), _) => Some(text),
                (None, Some(out)) => Some(&mut **out),
                (None, None) => {
                    tail = Tail::Text(i, end);
                    None
                }
            };
            if let Some(target) = target
                && target.len() < MAX_HTML_TEXT_BYTES
            {
                push_text(target, &html[i..end]);
            }
        }
        i = end;
    }
}

/// Appends the text between two tags to `target`: character references decoded, white space
/// collapsed to one space (none first in `target`).
fn push_text(target: &mut String, chunk: &str) {
    let cb = chunk.as_bytes();
    let mut j = 0;
    while j < chunk.len() {
        // A run of characters pushed as they are: no reference, no white space (non-ASCII
        // white space starts with one of the lead bytes below). It ends at an ASCII byte or a
        // lead byte, so on a character boundary. A lone space between two such characters is
        // pushed as it is too.
        let run = j;
        j = text_run_end(cb, run);
        target.push_str(&chunk[run..j]);
        // A run of ASCII white space adds one space at most, as its first character would
        // (the others then follow a space).
        if j < cb.len() && is_ascii_space(cb[j]) {
            while j < cb.len() && is_ascii_space(cb[j]) {
                j += 1;
            }
            push_char(target, ' ');
            continue;
        }
        let rest = &chunk[j..];
        let Some(c) = rest.chars().next() else { break };
        if c == '&'
            && let Some((d, n)) = decode_entity(rest)
        {
            push_char(target, d);
            j += n;
            continue;
        }
        push_char(target, c);
        j += c.len_utf8();
    }
}

/// End of the run of text starting at `run` that [`push_text`] pushes as it is: bytes that
/// are not [`TEXT_SPECIAL`], and lone spaces between such bytes after the first. Eight bytes
/// at a time while they are a [`plain_word`] without `&` (a space first in the word is a lone
/// one only inside the run), then a byte at a time.
#[inline]
fn text_run_end(b: &[u8], run: usize) -> usize {
    const fn every(b: u8) -> u64 {
        u64::from_le_bytes([b; 8])
    }
    let mut j = run;
    loop {
        while let Some(w) = word_at(b, j)
            && plain_word(w)
            && (run < j || w & 0xFF != u64::from(b' '))
        {
            // A zero byte of `amp` is an '&' (exact as a yes or no for any word).
            let amp = w ^ every(b'&');
            if amp.wrapping_sub(every(1)) & !amp & every(0x80) != 0 {
                break;
            }
            j += 8;
        }
        while j < b.len() && !TEXT_SPECIAL[usize::from(b[j])] {
            j += 1;
        }
        if j > run && j + 1 < b.len() && b[j] == b' ' && !TEXT_SPECIAL[usize::from(b[j + 1])] {
            j += 1;
            continue;
        }
        return j;
    }
}

/// The bytes that end a run of text [`push_text`] pushes as it is: a character reference,
/// white space, or a lead byte of non-ASCII white space.
static TEXT_SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = matches!(i, 0x26 | 0x09..=0x0D | 0x20 | 0xC2 | 0xE1..=0xE3);
        i += 1;
    }
    t
};

fn push_char(out: &mut String, c: char) {
    if c.is_whitespace() {
        if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    } else {
        out.push(c);
    }
}

/// The words of `s` joined by single spaces (`split_whitespace` then `join(" ")`).
fn normalize_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_collapsed(&mut out, s);
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_with_non_ascii_bytes_are_no_colour() {
        // Found by the fuzzer: a six-byte "hex" value that splits a character.
        assert_eq!(parse_color("#a\u{fffd}bc"), None);
        assert_eq!(parse_color("#\u{e9}\u{e9}\u{e9}"), None);
        assert_eq!(parse_color("#ffffff"), Some((255, 255, 255)));
        assert_eq!(parse_color("#fff"), Some((255, 255, 255)));
        let mut hidden = Vec::new();
        let _ = html_text(
            "<p style=\"color:#a\u{fffd}bc;background:#fff\">x</p>",
            &mut hidden,
        );
    }

    #[test]
    fn visible_and_hidden_text() {
        let mut hidden = Vec::new();
        let v = html_text(
            "<html><head><title>t</title><style>p{}</style></head><body><p>Pay<span style=\"font-size:0px\">xq</span>Pal &amp; you</p>\
             <div style='display: none'>lots <b>of</b> filler</div><script>var a;</script>done</body></html>",
            &mut hidden,
        );
        assert_eq!(v.trim(), "PayPal & you done");
        assert_eq!(hidden.len(), 2, "{hidden:?}");
        assert!(hidden[0].splits_word);
        assert_eq!(hidden[0].how, "font-size:0");
        assert_eq!(hidden[1].text, "lots of filler");
        assert!(!hidden[1].splits_word);
    }

    #[test]
    fn numbers_below() {
        assert!(below("0", 1, 0));
        assert!(below("0.5", 1, 0));
        assert!(!below("1", 1, 0));
        assert!(!below("12", 1, 0));
        assert!(below(".02", 0, 5));
        assert!(!below("0.5", 0, 5));
        assert!(!below("", 1, 0));
        assert!(!below("x", 1, 0));
    }

    #[test]
    fn colour_like_background() {
        assert_eq!(
            hiding("<span style=\"color:#FFF; background-color:#ffffff\">"),
            Some("same colour as background")
        );
        assert_eq!(hiding("<span style=\"color:#000\">"), None);
        assert_eq!(hiding("<p style=\"font-size:12px\">"), None);
    }

    #[test]
    fn one_pass_matches_like_contains() {
        let t = normalize(
            "Verify your account within 24 hours; buy gift cards. Gift cardboard. Überweisung",
        );
        let found = find_phrases(&t, lexicon::PHRASES);
        let slow: Vec<usize> = lexicon::PHRASES
            .iter()
            .enumerate()
            .filter(|(_, p)| contains_phrase(&t, p.text))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(found, slow);
        assert!(!found.is_empty());
        // Every phrase, once, among words that start like them: the filter in front of the
        // first-word table lets each one through.
        let every: Vec<String> = lexicon::PHRASES
            .iter()
            .map(|p| format!("{0}x {0} x{0}", p.text))
            .collect();
        let t = every.join(" / ");
        let slow: Vec<usize> = lexicon::PHRASES
            .iter()
            .enumerate()
            .filter(|(_, p)| contains_phrase(&t, p.text))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(find_phrases(&t, lexicon::PHRASES), slow);
        assert_eq!(slow.len(), lexicon::PHRASES.len());
    }

    #[test]
    fn collapsing_matches_char_by_char() {
        let samples = [
            "",
            "  a\u{a0}b\u{2003}\u{3000}c\t\n",
            "é\u{1680}x\u{85}y \u{2028}z\u{200B}",
            "ab  ",
            "\u{2014}\u{2060} \u{202F}",
            "one two  three\tfour \u{a0}five six ",
            " a b\u{e9} c\u{2003}d e\u{a0} f",
        ];
        for s in samples {
            for start in ["", "x", "x "] {
                let mut fast = start.to_string();
                push_collapsed(&mut fast, s);
                assert_eq!(fast, collapsed_slowly(start, s), "{s:?} after {start:?}");
            }
        }
    }

    /// [`push_collapsed`] a character at a time.
    fn collapsed_slowly(start: &str, s: &str) -> String {
        let mut slow = start.to_string();
        let mut space = slow.ends_with(' ') || slow.is_empty();
        for c in s.chars() {
            if c.is_whitespace() {
                if !space {
                    slow.push(' ');
                }
                space = true;
            } else {
                slow.push(c);
                space = false;
            }
        }
        slow
    }

    /// [`normalize`] a character at a time.
    fn normalized_slowly(s: &str) -> String {
        let (mut out, mut space) = (String::new(), true);
        for c in s.chars() {
            let c = match c {
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {
                    continue;
                }
                '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
                '\u{201C}' | '\u{201D}' => '"',
                '\u{2010}'..='\u{2015}' => '-',
                c if c.is_whitespace() => {
                    if !space {
                        out.push(' ');
                    }
                    space = true;
                    continue;
                }
                c => c,
            };
            space = false;
            out.extend(c.to_lowercase());
        }
        out
    }

    /// Strings of pieces chosen by a fixed pseudo-random sequence: runs long enough to cross
    /// the eight-byte words the scanners step over, with every kind of white space in them.
    fn mixed_strings() -> Vec<String> {
        const PIECES: [&str; 14] = [
            "a", "Bc", "defgHIJK", " ", "  ", "\t", "\r\n", "\u{a0}", "\u{2003}", "\u{200B}",
            "\u{e9}", "\u{2019}", ".", "\u{1}",
        ];
        let mut state: u32 = 0x2545_F491;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as usize
        };
        (0..2000)
            .map(|_| {
                let len = next() % 24;
                (0..len).map(|_| PIECES[next() % PIECES.len()]).collect()
            })
            .collect()
    }

    #[test]
    fn word_steps_change_nothing() {
        for s in mixed_strings() {
            for start in ["", "x", "x "] {
                let mut fast = start.to_string();
                push_collapsed(&mut fast, &s);
                assert_eq!(fast, collapsed_slowly(start, &s), "{s:?} after {start:?}");
            }
            assert_eq!(normalize(&s), normalized_slowly(&s), "{s:?}");
        }
    }

    #[test]
    fn word_bytes_are_the_ascii_letters_and_digits() {
        for v in 0..=255u8 {
            for k in 0..8 {
                for filler in [b'a', b'!', 0xC3] {
                    let mut bytes = [filler; 8];
                    bytes[k] = v;
                    let mask = ascii_word_bytes(u64::from_le_bytes(bytes));
                    for (j, &byte) in bytes.iter().enumerate() {
                        let bit = (mask >> (j * 8)) & 0xFF;
                        let want = if byte.is_ascii_alphanumeric() {
                            0x80
                        } else {
                            0
                        };
                        assert_eq!(bit, want, "{bytes:?} byte {j}");
                    }
                }
            }
        }
    }

    /// Texts made of lexicon phrases, their first words and pieces of words, with words of
    /// every length around eight bytes, upper case, digits, letters and separators that are
    /// not ASCII, in a fixed pseudo-random order.
    fn phrase_texts() -> Vec<String> {
        let mut pieces: Vec<&str> = vec![
            "a",
            "ab",
            "abcdefg",
            "abcdefgh",
            "abcdefghijk",
            "7",
            "2fa",
            " ",
            "  ",
            ".",
            "-",
            ", ",
            "\u{e9}",
            "\u{fc}berweisung",
            "\u{a0}",
            "\u{2014}",
            "\u{200B}",
            "VERIFY",
            "x",
            "\u{3b1}",
            "\n> ",
            "cards",
            "your",
            "s",
        ];
        for p in lexicon::PHRASES.iter().step_by(3) {
            pieces.push(p.text);
            pieces.push(&p.text[..word_end(p.text, 0)]);
        }
        let mut state: u32 = 0x9E37_79B9;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as usize
        };
        (0..3000)
            .map(|_| {
                let mut t = String::new();
                for _ in 0..next() % 16 {
                    t.push_str(pieces[next() % pieces.len()]);
                    // A space after half the pieces: phrases then stand as words.
                    if next() % 2 == 0 {
                        t.push(' ');
                    }
                }
                t
            })
            .collect()
    }

    /// The eight-byte steps of [`PhraseIndex::find`] find what a character at a time finds,
    /// and what [`contains_phrase`] finds phrase by phrase.
    #[test]
    fn find_in_steps_matches_char_by_char() {
        let index = PhraseIndex::new(lexicon::PHRASES);
        let mut hits = 0;
        for t in phrase_texts() {
            let found = index.find(&t);
            assert_eq!(found, index.find_by_chars(&t), "{t:?}");
            let slow: Vec<usize> = lexicon::PHRASES
                .iter()
                .enumerate()
                .filter(|(_, p)| contains_phrase(&t, p.text))
                .map(|(i, _)| i)
                .collect();
            assert_eq!(found, slow, "{t:?}");
            hits += found.len();
        }
        assert!(hits > 1000, "{hits}");
    }

    #[test]
    fn plain_words() {
        let plain = |s: &str| plain_word(word_at(s.as_bytes(), 0).unwrap_or(0));
        assert!(plain("abcdefgh"));
        assert!(plain("a b c d!"));
        assert!(plain(" bcdefg~"));
        assert!(!plain("abcdefg "));
        assert!(!plain("ab  cdef"));
        assert!(!plain("abc\tdefg"));
        // DEL is a control character but not white space: as plain as a letter.
        assert!(plain("abc\u{7f}defg"));
        assert!(!plain("abc\u{1f}defg"));
        assert!(!plain("abcd\u{e9}fg"));
        assert!(!plain("abcdef\n"));
        assert_eq!(word_at(b"abcdefg", 0), None);
    }

    #[test]
    fn spaces_normalized_like_split_join() {
        for s in [
            "",
            "  ",
            " a  b\u{a0}\u{3000}c \n",
            "x",
            "\u{2003}x\u{2003}",
        ] {
            assert_eq!(
                normalize_space(s),
                s.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }

    /// The normaliser's runs (ASCII kept with lone spaces, lower-cased in place) give what
    /// a character at a time gives.
    #[test]
    fn normalizer_matches_char_by_char() {
        let slow = normalized_slowly;
        for s in [
            "",
            " ",
            "Hello World",
            "Hello  World ",
            " a B c\tD\r\nE  F G",
            "Sub\u{2019}ject: VERIFY your\u{200B} Account \u{a0}now",
            "x y\u{e9} Z\u{2003}w v\u{a0} U",
            "A-B C\u{2013}D \"Q\" ",
        ] {
            assert_eq!(normalize(s), slow(s), "{s:?}");
        }
    }

    #[test]
    fn find_bytes_is_str_find() {
        for (hay, needle) in [
            ("<p style='x'>", "style"),
            ("<p stylestyle=1>", "style"),
            ("<p sty", "style"),
            ("", "color"),
            ("bgcolor color", "color"),
            ("ab", ""),
            ("é color", "color"),
        ] {
            assert_eq!(
                find_bytes(hay.as_bytes(), needle.as_bytes()),
                hay.find(needle)
            );
        }
    }

    #[test]
    fn find_bytes_is_str_find_on_generated_tags() {
        const PIECES: [&str; 14] = [
            "s", "S", "style", "sty", "yle", "y", "color", "col", "bg", "hidden", "hid", "size",
            " ", "\u{e9}",
        ];
        let mut rng = crate::test_rng::Lcg(11);
        for _ in 0..20_000 {
            let hay: String = (0..rng.below(24))
                .map(|_| PIECES[rng.below(PIECES.len())])
                .collect();
            let needle = rng.pick(&["style", "hidden", "size", "color", "bgcolor", "y", "é"]);
            assert_eq!(
                find_bytes(hay.as_bytes(), needle.as_bytes()),
                hay.find(needle),
                "{needle:?} in {hay:?}"
            );
        }
    }

    /// [`hiding_names`] a byte at a time, as first written.
    fn hiding_names_by_bytes(tag: &str) -> u8 {
        let b = tag.as_bytes();
        let at = |i: usize, word: &[u8]| {
            b.len() - i >= word.len() && b[i..i + word.len()].eq_ignore_ascii_case(word)
        };
        let font = at(0, b"<font");
        let mut named = 0;
        for (i, c) in b.iter().enumerate() {
            named |= match c | 0x20 {
                b's' if at(i, b"style") => NAMES_STYLE,
                b's' if font && at(i, b"size") => NAMES_FONT_SIZE,
                b'h' if at(i, b"hidden") => NAMES_HIDDEN,
                b'c' if at(i, b"color") => NAMES_COLOR,
                _ => 0,
            };
        }
        named
    }

    #[test]
    fn hiding_names_in_words_match_byte_by_byte() {
        const PIECES: [&str; 20] = [
            "<font", "<FONT", "<p", " ", "STYLE", "style", "sty", "Hidden", "hid", "den", "COLOR",
            "bgcolor", "col", "or", "size", "SiZe", "siz", "ze", "\u{e9}", "\u{133}",
        ];
        let mut rng = crate::test_rng::Lcg(5);
        let mut named = 0;
        for _ in 0..20_000 {
            let tag: String = (0..rng.below(16))
                .map(|_| PIECES[rng.below(PIECES.len())])
                .collect();
            let fast = hiding_names(&tag);
            assert_eq!(fast, hiding_names_by_bytes(&tag), "{tag:?}");
            named += usize::from(fast.count_ones() >= 2);
        }
        assert!(named > 1000, "{named}");
    }

    #[test]
    fn pieces_normalize_as_one() {
        let (a, b) = (
            "Sub\u{2019}ject  ",
            "  B\u{00C9}\u{200B}ody\u{3000}\u{2013} X",
        );
        let mut n = Normalizer::with_capacity(0);
        n.push_str(a);
        n.push_str(" \n ");
        n.push_str(b);
        assert_eq!(n.out, normalize(&format!("{a} \n {b}")));
        assert_eq!(n.out, "sub'ject b\u{e9}ody - x");
    }

    #[test]
    fn only_tags_naming_a_hiding_attribute_are_parsed() {
        for tag in [
            "<span STYLE=\"display:none\">",
            "<div Hidden>",
            "<FONT size=0>",
            "<td bgColor=#fff color=#fff>",
        ] {
            assert_ne!(hiding_names(tag), 0, "{tag}");
            assert!(hiding(tag).is_some(), "{tag}");
        }
        for tag in ["<p>", "<a href=\"x\">", "<b size=0>", "<table width=1>"] {
            assert_eq!(hiding_names(tag), 0, "{tag}");
        }
    }

    /// [`hiding`] as it was first written: every attribute looked for, the style's white space
    /// removed a character at a time.
    fn hiding_slowly(tag: &str) -> Option<&'static str> {
        let lower = tag.to_ascii_lowercase();
        let style = attribute(&lower, "style").unwrap_or_default();
        let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
        // The last declaration of each property read below, in one pass.
        let mut decls: [Option<&str>; 7] = [None; 7];
        for (p, v) in style.split(';').filter_map(|d| d.split_once(':')) {
            if let Some(k) = STYLE_PROPERTIES.iter().position(|q| *q == p) {
                decls[k] = Some(v.trim_end_matches("!important"));
            }
        }
        let decl = |prop: &str| -> Option<&str> {
            STYLE_PROPERTIES
                .iter()
                .position(|q| *q == prop)
                .and_then(|k| decls[k])
        };
        if decl("display") == Some("none") || attribute(&lower, "hidden").is_some() {
            return Some("display:none");
        }
        if decl("visibility") == Some("hidden") {
            return Some("visibility:hidden");
        }
        if let Some(size) = decl("font-size").or_else(|| {
            lower
                .starts_with("<font")
                .then(|| attribute(&lower, "size"))
                .flatten()
        }) {
            let digits = size
                .bytes()
                .take_while(|c| c.is_ascii_digit() || *c == b'.')
                .count();
            if below(&size[..digits], 1, 0) {
                return Some("font-size:0");
            }
        }
        if let Some(op) = decl("opacity")
            && below(op.trim(), 0, 5)
        {
            return Some("opacity:0");
        }
        // The background is looked for only when there is a colour to compare it with.
        let color = decl("color").or_else(|| attribute(&lower, "color"));
        let background = || {
            decl("background-color")
                .or_else(|| decl("background"))
                .or_else(|| attribute(&lower, "bgcolor"))
        };
        if let Some(c) = color
            && let Some(b) = background()
            && let (Some(c), Some(b)) = (parse_color(c), parse_color(b))
            && c == b
        {
            return Some("same colour as background");
        }
        None
    }

    #[test]
    fn hiding_matches_every_attribute_looked_for() {
        const PIECES: [&str; 34] = [
            "<span",
            "<FONT",
            "<div",
            "<p",
            " style=\"",
            " STYLE='",
            "display:none",
            "display : none !important",
            "visibility:hidden",
            "font-size:0",
            "font-size: 0.5px",
            "FONT-SIZE:12px",
            "opacity:0.2",
            "opacity: 1",
            "color:#fff",
            "color:white",
            "background-color:#FFFFFF",
            "background:white",
            " hidden",
            " Hidden>",
            " size=0",
            " size='.5'",
            " color=\"#000\"",
            " bgcolor=black",
            " BGCOLOR=#000",
            "\"",
            "'",
            ";",
            " ",
            "\u{a0}",
            "\u{2003}",
            ">",
            "/>",
            " data-style=",
        ];
        let mut state: u32 = 0x1234_5679;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as usize
        };
        let mut hidden = 0;
        for _ in 0..20_000 {
            let tag: String = (0..1 + next() % 10)
                .map(|_| PIECES[next() % PIECES.len()])
                .collect();
            let how = hiding(&tag);
            assert_eq!(how, hiding_slowly(&tag), "{tag:?}");
            hidden += usize::from(how.is_some());
        }
        assert!(hidden > 1000, "{hidden}");
    }

    /// [`text_run_end`] a byte at a time, as [`html_text`] first read its runs.
    fn text_run_end_by_bytes(b: &[u8], run: usize) -> usize {
        let mut j = run;
        loop {
            while j < b.len() && !TEXT_SPECIAL[usize::from(b[j])] {
                j += 1;
            }
            if j > run && j + 1 < b.len() && b[j] == b' ' && !TEXT_SPECIAL[usize::from(b[j + 1])] {
                j += 1;
                continue;
            }
            return j;
        }
    }

    #[test]
    fn text_runs_in_words_match_byte_by_byte() {
        const PIECES: [&str; 16] = [
            "a", "Bc", "defgHIJK", " ", "  ", "\t", "\r\n", "&", "&amp;", "\u{a0}", "\u{2003}",
            "\u{e9}", "\u{2019}", ".", "\u{1}", "\u{7f}",
        ];
        let mut rng = crate::test_rng::Lcg(7);
        let mut ends = 0;
        for _ in 0..5000 {
            let len = rng.below(40);
            let s: String = (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect();
            let b = s.as_bytes();
            for run in 0..=b.len() {
                let fast = text_run_end(b, run);
                assert_eq!(fast, text_run_end_by_bytes(b, run), "{s:?} from {run}");
                ends += usize::from(fast >= run + 8);
            }
        }
        // Long runs were read, so the eight-byte steps were taken.
        assert!(ends > 10_000, "{ends}");
    }

    #[test]
    fn hidden_without_visible_text_as_with_it() {
        // Documents of hiding elements around letters, spaces, references, block elements,
        // skipped elements and comments: the letter before each hidden fragment is what
        // `html_hidden` works out from the last text alone.
        const PIECES: [&str; 37] = [
            "<span style=\"display:none\">xq</span>",
            "<b style=\"display:none\">\u{e9}t\u{e9}</b>",
            "Zz",
            "a",
            "<div hidden>a b</div>",
            "<span style='font-size:0'>z&amp;</span>",
            "<span style='font-size:0'> </span>",
            "Pay",
            "Pal",
            "x",
            "9",
            " ",
            "   ",
            "\n",
            "\u{a0}",
            "\u{2003}",
            "&amp;",
            "&nbsp;",
            "&#233;",
            "&eacute",
            "&",
            "\u{e9}",
            ".",
            "<span style=\"display:none\">",
            "<span style='font-size:0'>",
            "<div hidden>",
            "</span>",
            "</div>",
            "<p>",
            "</p>",
            "<br/>",
            "<b>",
            "</b>",
            "<script>",
            "</script>",
            "<!-- c -->",
            "<img src=x>",
        ];
        let mut rng = crate::test_rng::Lcg(11);
        let (mut fragments, mut splits) = (0, 0);
        for _ in 0..40_000 {
            let html: String = (0..1 + rng.below(12)).map(|_| rng.pick(&PIECES)).collect();
            let mut with_text = Vec::new();
            let _ = html_text(&html, &mut with_text);
            let mut without = Vec::new();
            html_hidden(&html, &mut without);
            assert_eq!(without, with_text, "{html:?}");
            fragments += with_text.len();
            splits += with_text.iter().filter(|h| h.splits_word).count();
        }
        // Fragments were found, some splitting a word, so the letter before was tested.
        assert!(fragments > 2000 && splits > 200, "{fragments} {splits}");
    }

    #[test]
    fn white_space_removed_like_char_by_char() {
        for s in mixed_strings() {
            let slow: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(without_whitespace(&s), slow, "{s:?}");
        }
    }

    #[test]
    fn phrases_at_word_boundaries() {
        let t = normalize("Please VERIFY\u{200B} your   Account today");
        assert!(contains_phrase(&t, "verify your account"));
        assert!(!contains_phrase("gift cardboard", "gift card"));
        assert!(contains_phrase("buy gift cards.", "gift cards"));
    }
}
