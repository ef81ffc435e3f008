//! URLs in plain text: `http://`, `https://` and `ftp://` URLs, and `www.` forms without a
//! scheme. A URL ends at white space, quotes, angle brackets or a backslash; trailing
//! punctuation and an unbalanced closing parenthesis are dropped, as mail clients do when
//! they make text clickable.

/// URLs written in `text`, in order, at most [`crate::limits::MAX_LINKS`].
pub fn find_urls(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let limit = text.len().min(crate::limits::MAX_LINK_SCAN_BYTES);
    // Where looking for the next URL starts: after the last one.
    let mut from = 0;
    // Every URL starts a few bytes before a `:` (after `http`, `https` or `ftp`) or a `.`
    // (after `www`): memchr finds those faster than a look at every h, f and w. The starts
    // come out in order, as the triggers do (a start lies 3 to 5 bytes before its trigger,
    // and no two triggers that close give starts out of order).
    // A start before `limit` has its trigger at most five bytes on.
    let triggers = &b[..b.len().min(limit.saturating_add(5))];
    for at in memchr::memchr2_iter(b':', b'.', triggers) {
        if out.len() >= crate::limits::MAX_LINKS {
            break;
        }
        let Some(i) = url_start(b, at) else {
            continue;
        };
        if i >= limit {
            break;
        }
        // Must start a word: "xwww.a.com" and "ahttp://" are not links.
        let starts_word = i == 0
            || !(b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'.' | b'-' | b'/' | b'@'));
        if i < from || !starts_word {
            continue;
        }
        let end = url_end(text, i);
        let url = trim_url(&text[i..end]);
        if url.contains('.') {
            out.push(url);
        }
        from = end.max(i + 1);
    }
    out
}

/// Where a URL starts if the `:` or `.` at `at` follows its scheme or `www`.
fn url_start(b: &[u8], at: usize) -> Option<usize> {
    let before = |n: usize, word: &[u8]| {
        at.checked_sub(n)
            .filter(|&i| b[i..at].eq_ignore_ascii_case(word))
    };
    if b[at] == b'.' {
        return before(3, b"www").filter(|_| b.get(at + 1).is_some_and(u8::is_ascii_alphanumeric));
    }
    if !b[at..].starts_with(b"://") {
        return None;
    }
    before(5, b"https")
        .or_else(|| before(4, b"http"))
        .or_else(|| before(3, b"ftp"))
}

/// Where the URL starting at `i` ends: at white space, a quote, an angle bracket or another
/// character URLs do not carry, at most 2,048 bytes on, on a character boundary.
fn url_end(text: &str, i: usize) -> usize {
    let b = text.as_bytes();
    let mut end = i;
    while end < b.len()
        && !matches!(
            b[end],
            b' ' | b'\t'
                | b'\r'
                | b'\n'
                | b'"'
                | b'\''
                | b'<'
                | b'>'
                | b'\\'
                | b'`'
                | b'{'
                | b'}'
                | b'|'
                | b'^'
        )
        && end - i < 2048
    {
        end += 1;
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// Without the punctuation that ends the sentence around it, and without a closing
/// parenthesis it did not open.
fn trim_url(mut url: &str) -> &str {
    loop {
        let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '*', ']', '\u{a0}']);
        let trimmed = if trimmed.ends_with(')')
            && trimmed.matches('(').count() < trimmed.matches(')').count()
        {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if trimmed.len() == url.len() {
            return url;
        }
        url = trimmed;
    }
}

/// An iCalendar object with folding removed (RFC 5545 §3.1) and text escapes made plain, so
/// URLs in `DESCRIPTION`, `URL` and `ATTACH` can be found.
pub fn unfold_calendar(ics: &str) -> String {
    let mut out = String::with_capacity(ics.len());
    let mut lines = ics.split('\n').peekable();
    while let Some(line) = lines.next() {
        out.push_str(line.trim_end_matches('\r'));
        while let Some(next) = lines.peek() {
            if next.starts_with([' ', '\t']) {
                out.push_str(next.trim_end_matches('\r').get(1..).unwrap_or_default());
                lines.next();
            } else {
                break;
            }
        }
        out.push('\n');
    }
    out.replace("\\n", "\n ")
        .replace("\\N", "\n ")
        .replace("\\,", ",")
        .replace("\\;", ";")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scan before memchr: every h, f and w looked at.
    fn find_urls_slowly(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let b = text.as_bytes();
        let limit = text.len().min(crate::limits::MAX_LINK_SCAN_BYTES);
        let mut i = 0;
        while i < limit && out.len() < crate::limits::MAX_LINKS {
            // Only h, f and w (either case) can start a URL: skip other bytes in a tight loop.
            while i < limit && !URL_START[usize::from(b[i])] {
                i += 1;
            }
            if i >= limit {
                break;
            }
            let c = b[i];
            let candidate = match c {
                b'h' | b'H' => {
                    starts_with_ci(&b[i..], b"http://") || starts_with_ci(&b[i..], b"https://")
                }
                b'f' | b'F' => starts_with_ci(&b[i..], b"ftp://"),
                b'w' | b'W' => {
                    starts_with_ci(&b[i..], b"www.")
                        && b.get(i + 4).is_some_and(u8::is_ascii_alphanumeric)
                }
                _ => false,
            };
            // Must start a word: "xwww.a.com" and "ahttp://" are not links.
            let starts_word = i == 0
                || !(b[i - 1].is_ascii_alphanumeric()
                    || matches!(b[i - 1], b'.' | b'-' | b'/' | b'@'));
            if !(candidate && starts_word) {
                i += 1;
                continue;
            }
            let mut end = i;
            while end < b.len()
                && !matches!(
                    b[end],
                    b' ' | b'\t'
                        | b'\r'
                        | b'\n'
                        | b'"'
                        | b'\''
                        | b'<'
                        | b'>'
                        | b'\\'
                        | b'`'
                        | b'{'
                        | b'}'
                        | b'|'
                        | b'^'
                )
                && end - i < 2048
            {
                end += 1;
            }
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let mut url = &text[i..end];
            loop {
                let trimmed =
                    url.trim_end_matches(['.', ',', ';', ':', '!', '?', '*', ']', '\u{a0}']);
                let trimmed = if trimmed.ends_with(')')
                    && trimmed.matches('(').count() < trimmed.matches(')').count()
                {
                    &trimmed[..trimmed.len() - 1]
                } else {
                    trimmed
                };
                if trimmed.len() == url.len() {
                    break;
                }
                url = trimmed;
            }
            if url.contains('.') {
                out.push(url);
            }
            i = end.max(i + 1);
        }
        out
    }

    /// The bytes a URL can start with: h, f and w in either case.
    static URL_START: [bool; 256] = {
        let mut t = [false; 256];
        let mut i = 0;
        while i < 256 {
            t[i] = matches!(i as u8 | 0x20, b'h' | b'f' | b'w');
            i += 1;
        }
        t
    };

    fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
        hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
    }

    #[test]
    fn memchr_scan_finds_what_a_scan_of_every_byte_finds() {
        const PIECES: [&str; 22] = [
            "http://", "https://", "HTTPS://", "ftp://", "www.", "WWW.", "a", "example", ".", ":",
            "//", " ", "\n", "(", ")", "x", "é", "com", "-", "@", ",", "wwww.",
        ];
        let mut state: u32 = 0x1234_5678;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as usize
        };
        for _ in 0..20_000 {
            let len = next() % 16;
            let s: String = (0..len).map(|_| PIECES[next() % PIECES.len()]).collect();
            assert_eq!(find_urls(&s), find_urls_slowly(&s), "{s:?}");
        }
    }

    #[test]
    fn finds_urls() {
        assert_eq!(
            find_urls(
                "See https://a.example/x?y=1. Or (www.b.example/p), not xwww.c.com or mail@www.d.com; HTTP://E.example!"
            ),
            [
                "https://a.example/x?y=1",
                "www.b.example/p",
                "HTTP://E.example"
            ]
        );
        assert_eq!(find_urls("<https://a.example/>"), ["https://a.example/"]);
        assert_eq!(find_urls("http://"), Vec::<&str>::new());
        assert_eq!(
            find_urls("wiki (https://en.example/Foo_(bar))"),
            ["https://en.example/Foo_(bar)"]
        );
    }

    #[test]
    fn calendar() {
        assert_eq!(
            unfold_calendar("DESCRIPTION:Join https://m.exa\r\n mple/x\\nBye\\, now\r\n"),
            "DESCRIPTION:Join https://m.example/x\n Bye, now\n\n"
        );
    }

    #[test]
    fn unicode_never_panics() {
        let _ = find_urls("ééé https://é.example/ü wwwé www.");
    }
}
