//! A small, bounded HTML scanner: just enough of the HTML tokenizer to find links.
//!
//! It reads start and end tags with their attributes (double-quoted, single-quoted and
//! unquoted values), skips comments, doctypes and the raw text of `script`/`style`, decodes
//! character references (`&amp;`, `&#x41;`, `&#65;` and the common named ones) in attribute
//! values and text, and collects the visible text inside `a` elements. It never panics and
//! runs in one pass over at most [`crate::limits::MAX_LINK_SCAN_BYTES`] bytes. It is not a
//! conforming parser: no tree building, no foreign content rules, and a few legacy
//! references without `;` are left as written.

use std::borrow::Cow;

use memchr::memchr;

/// What the scanner reports, in document order. Values borrow from the HTML unless a
/// character reference had to be decoded.
#[derive(Clone, Debug, PartialEq)]
pub enum Event<'h> {
    /// `<a href>` or `<area href>` with its visible text (entities decoded, white space
    /// collapsed); the text is complete when the event is delivered.
    Anchor {
        href: Cow<'h, str>,
        text: String,
    },
    /// `<form action>` opened (action may be empty).
    FormStart {
        action: Cow<'h, str>,
    },
    /// A field inside the current form: `<input type=password>` or a field whose name looks
    /// like a user name or e-mail address.
    FormField {
        password: bool,
    },
    FormEnd,
    /// `<iframe src>` / `<frame src>`.
    Frame {
        src: Cow<'h, str>,
    },
    /// `<meta http-equiv=refresh content="0; url=...">`.
    Refresh {
        url: String,
    },
    /// `<base href>`.
    Base {
        href: Cow<'h, str>,
    },
    /// `<img src>`.
    Image {
        src: Cow<'h, str>,
    },
}

/// Scans `html`, returning its link events.
pub fn scan(html: &str) -> Vec<Event<'_>> {
    let html = crate::limits::clip(html, crate::limits::MAX_LINK_SCAN_BYTES);
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // The open anchor: its href and collected text.
    let mut anchor: Option<(Cow<'_, str>, String)> = None;
    // The attributes of the current tag; one buffer for all tags.
    let mut attrs: Vec<(&str, &str)> = Vec::new();
    while i < b.len() {
        if b[i] != b'<' {
            let end = memchr(b'<', &b[i..]).map_or(b.len(), |n| i + n);
            if let Some((_, text)) = anchor.as_mut() {
                push_text(text, &html[i..end]);
            }
            i = end;
            continue;
        }
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i = comment_end(b, i + 4).map_or(b.len(), |n| n + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = memchr(b'>', &b[i..]).map_or(b.len(), |n| i + n + 1);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = i + 1 + usize::from(closing);
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            // A lone '<' is text.
            if let Some((_, text)) = anchor.as_mut() {
                push_text(text, "<");
            }
            i += 1;
            continue;
        }
        let mut j = name_start;
        while j < b.len() && !matches!(b[j], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>') {
            j += 1;
        }
        // Lower case, allocated only when the tag name has an upper-case letter.
        let raw_name = &html[name_start..j];
        let name: Cow<'_, str> = if raw_name.bytes().any(|c| c.is_ascii_uppercase()) {
            Cow::Owned(raw_name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(raw_name)
        };
        attrs.clear();
        i = attributes(html, j, interesting(&name) && !closing, &mut attrs);
        if closing {
            match name.as_ref() {
                "a" => {
                    if let Some((href, text)) = anchor.take() {
                        out.push(Event::Anchor {
                            href,
                            text: trimmed(text),
                        });
                    }
                }
                "form" => out.push(Event::FormEnd),
                _ => {}
            }
            continue;
        }
        // The value of attribute `n` (lower case), references decoded: names compare as
        // their lower-case forms would.
        let attr = |n: &str| {
            attrs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| decode_entities(v))
        };
        match name.as_ref() {
            "a" | "area" => {
                if let Some((href, text)) = anchor.take() {
                    out.push(Event::Anchor {
                        href,
                        text: trimmed(text),
                    });
                }
                if let Some(href) = attr("href") {
                    if name == "a" {
                        anchor = Some((href, String::new()));
                    } else {
                        let text = attr("alt").unwrap_or_default().trim().to_string();
                        out.push(Event::Anchor { href, text });
                    }
                }
            }
            "form" => out.push(Event::FormStart {
                action: attr("action").unwrap_or_default(),
            }),
            "input" => {
                let ty = attr("type")
                    .unwrap_or(Cow::Borrowed("text"))
                    .to_ascii_lowercase();
                let field = format!(
                    "{} {}",
                    attr("name").unwrap_or_default(),
                    attr("id").unwrap_or_default()
                )
                .to_ascii_lowercase();
                if ty == "password" {
                    out.push(Event::FormField { password: true });
                } else if (ty == "email" || ty == "text")
                    && ["user", "login", "email", "mail", "account"]
                        .iter()
                        .any(|k| field.contains(k))
                {
                    out.push(Event::FormField { password: false });
                }
            }
            "iframe" | "frame" => {
                if let Some(src) = attr("src") {
                    out.push(Event::Frame { src });
                }
            }
            "meta" => {
                if attr("http-equiv").is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh"))
                    && let Some(url) = attr("content").and_then(|c| refresh_url(&c))
                {
                    out.push(Event::Refresh { url });
                }
            }
            "base" => {
                if let Some(href) = attr("href") {
                    out.push(Event::Base { href });
                }
            }
            "img" => {
                if let Some(src) = attr("src") {
                    out.push(Event::Image { src });
                }
            }
            "script" | "style" | "textarea" | "title" | "xmp" => {
                // Raw text: skip to the matching end tag.
                i = find_end_tag(b, i, name.as_bytes()).unwrap_or(b.len());
            }
            _ => {}
        }
    }
    if let Some((href, text)) = anchor.take() {
        out.push(Event::Anchor {
            href,
            text: trimmed(text),
        });
    }
    out
}

/// `s` without white space at either end, trimmed in place instead of copied.
fn trimmed(mut s: String) -> String {
    s.truncate(s.trim_end().len());
    let start = s.len() - s.trim_start().len();
    s.drain(..start);
    s
}

fn interesting(name: &str) -> bool {
    matches!(
        name,
        "a" | "area" | "form" | "input" | "iframe" | "frame" | "meta" | "base" | "img"
    )
}

/// Parses attributes from `start` (just after the tag name) to the closing `>`, adding them
/// to `attrs` when `keep`: names and values as written, the first of each name (in any ASCII
/// case) only, at most 64. Returns the index after `>`.
fn attributes<'h>(
    html: &'h str,
    start: usize,
    keep: bool,
    attrs: &mut Vec<(&'h str, &'h str)>,
) -> usize {
    let b = html.as_bytes();
    let mut i = start;
    loop {
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/') {
            i += 1;
        }
        if i >= b.len() {
            return b.len();
        }
        if b[i] == b'>' {
            return i + 1;
        }
        let name_start = i;
        // The first character of a name may be '=' (HTML says so); names end at space, '/',
        // '>' or '='.
        i += 1;
        while i < b.len()
            && !matches!(
                b[i],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>' | b'='
            )
        {
            i += 1;
        }
        let name = &html[name_start..i];
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
            i += 1;
        }
        let mut value = "";
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr(q, &b[i + 1..]).map_or(b.len(), |n| i + 1 + n);
                    value = &html[i + 1..end];
                    i = (end + 1).min(b.len());
                }
                Some(_) => {
                    let s = i;
                    while i < b.len()
                        && !matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>')
                    {
                        i += 1;
                    }
                    value = &html[s..i];
                }
                None => {}
            }
        }
        if keep && attrs.len() < 64 && !attrs.iter().any(|(k, _)| k.eq_ignore_ascii_case(name)) {
            attrs.push((name, value));
        }
    }
}

/// The URL in a refresh `content` value: `"5; url='https://x'"` → `https://x`.
fn refresh_url(content: &str) -> Option<String> {
    let (_, rest) = content.split_once([';', ','])?;
    let rest = rest.trim_start();
    let rest = if rest.len() >= 3 && rest[..3].eq_ignore_ascii_case("url") {
        rest[3..].trim_start().strip_prefix('=')?.trim()
    } else {
        rest.trim()
    };
    let url = rest.trim_matches(['"', '\'']).trim();
    (!url.is_empty()).then(|| url.to_string())
}

/// Appends decoded text with white space collapsed, up to the visible-text bound.
fn push_text(out: &mut String, raw: &str) {
    let max = crate::limits::MAX_LINK_TEXT_CHARS;
    if out.len() >= max * 4 {
        return;
    }
    let decoded = decode_entities(raw);
    // Characters in `out`, counted once and then kept up to date (each push adds one).
    let mut count = out.chars().count();
    for c in decoded.chars() {
        if count >= max {
            return;
        }
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
                count += 1;
            }
        } else {
            out.push(c);
            count += 1;
        }
    }
}

/// Decodes character references: numeric ones and the named ones mail HTML uses.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest
            .char_indices()
            .take(34)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|e| entity(&rest[1..e]).map(|c| (c, e + 1)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        return Some(
            char::from_u32(code)
                .filter(|c| *c != '\0')
                .unwrap_or('\u{fffd}'),
        );
    }
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "shy" => '\u{ad}',
        "zwnj" => '\u{200c}',
        "zwj" => '\u{200d}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        "sol" => '/',
        "colon" => ':',
        "period" => '.',
        "commat" => '@',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "bull" => '•',
        "middot" => '·',
        "raquo" => '»',
        "laquo" => '«',
        _ => return None,
    })
}

/// Index of the first `-->` in `b` at or after `from`. Each `>` is found by `memchr` and
/// checked for the two dashes before it: `>` is rare inside a comment, `-` is not.
pub(crate) fn comment_end(b: &[u8], from: usize) -> Option<usize> {
    // The `>` of a `-->` starting at `from` or after is at `from + 2` or after.
    let mut at = from.checked_add(2)?;
    while let Some(p) = b.get(at..).and_then(|r| memchr(b'>', r)) {
        let gt = at + p;
        if b[gt - 2..gt] == *b"--" {
            return Some(gt - 2);
        }
        at = gt + 1;
    }
    None
}

/// Index of the `<` of `</name` (case-insensitive) at or after `from`.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(p) = b.get(i..).and_then(|r| memchr(b'<', r)) {
        let at = i + p;
        if b.get(at + 1) == Some(&b'/')
            && b.get(at + 2..at + 2 + name.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_with_text_and_entities() {
        let ev = scan(
            "<p>Hi <A HREF='https://x.example/?a=1&amp;b=2'>Pay<b>Pal</b>&nbsp;.com</a> \
             <a href=https://y.example/>y</a><!-- <a href=nope> --><area href=\"z\" alt=\"Z\">",
        );
        assert_eq!(
            ev,
            vec![
                Event::Anchor {
                    href: "https://x.example/?a=1&b=2".into(),
                    text: "PayPal .com".into()
                },
                Event::Anchor {
                    href: "https://y.example/".into(),
                    text: "y".into()
                },
                Event::Anchor {
                    href: "z".into(),
                    text: "Z".into()
                },
            ]
        );
    }

    #[test]
    fn forms_frames_refresh_base() {
        let ev = scan(
            "<base href=\"https://b.example/\"><meta http-equiv=Refresh content=\"0;URL='https://r.example/'\">\
             <form action=\"https://f.example/p\"><input name=email><input type=password></form>\
             <iframe src=//i.example/><script>var a='<a href=x>';</script><img src=i.png>",
        );
        assert_eq!(
            ev,
            vec![
                Event::Base {
                    href: "https://b.example/".into()
                },
                Event::Refresh {
                    url: "https://r.example/".into()
                },
                Event::FormStart {
                    action: "https://f.example/p".into()
                },
                Event::FormField { password: false },
                Event::FormField { password: true },
                Event::FormEnd,
                Event::Frame {
                    src: "//i.example/".into()
                },
                Event::Image {
                    src: "i.png".into()
                },
            ]
        );
    }

    #[test]
    fn first_attribute_of_a_name_in_any_case_wins() {
        let ev = scan(
            "<A HREF='https://first.example/?a&amp;b' href=https://second.example/ Href=x>t</A>\
             <img SRC=one.png src=two.png>",
        );
        assert_eq!(
            ev,
            vec![
                Event::Anchor {
                    href: "https://first.example/?a&b".into(),
                    text: "t".into()
                },
                Event::Image {
                    src: "one.png".into()
                },
            ]
        );
        // A value without a reference is the HTML itself, not a copy.
        assert!(matches!(
            &scan("<img src=plain.png>")[0],
            Event::Image {
                src: Cow::Borrowed(_)
            }
        ));
    }

    /// The first `needle` in `hay` at or after `from`, a window at a time.
    fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
        hay.get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    }

    #[test]
    fn comment_ends_found_like_a_window_search() {
        let mut rng = crate::test_rng::Lcg(3);
        let mut found = 0;
        for _ in 0..20_000 {
            let s: String = (0..rng.below(12))
                .map(|_| rng.pick(&["-", "--", ">", "-->", "a", "<!--", "\u{e9}", " "]))
                .collect();
            let b = s.as_bytes();
            for from in 0..=b.len() + 1 {
                let end = comment_end(b, from);
                assert_eq!(end, find(b, from, b"-->"), "{s:?} from {from}");
                found += usize::from(end.is_some());
            }
        }
        assert!(found > 10_000, "{found}");
    }

    #[test]
    fn numeric_entities() {
        assert_eq!(
            decode_entities("&#x68;&#116;tp&#58;&amp&unknown;"),
            "http:&amp&unknown;"
        );
        assert_eq!(decode_entities("&#0;&#x110000;"), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "<",
            "<a",
            "<a href",
            "<a href=",
            "<a href='",
            "<!--",
            "</",
            "<a\u{e9}>",
            "&#",
            "&#x;",
            "<a href=x>é<",
            "<script>",
            "<meta http-equiv=refresh content=",
            "<<<>>>",
        ] {
            let _ = scan(s);
        }
    }
}
