//! Unwrapping link rewriters and single-target redirectors without following them.
//!
//! Security gateways rewrite every link so a click goes through their scanner first:
//! Microsoft Defender Safe Links (`*.safelinks.protection.outlook.com/?url=`, and OWA's
//! `safelink.html?url=`), Proofpoint URL Defense v1 (`/v1/url?u=`, percent-encoded), v2
//! (`/v2/url?u=`, with `-` for `%` and `_` for `/`) and v3 (`urldefense.com/v3/__URL__;…!!`,
//! with `*` placeholders whose characters follow `__;` in URL-safe base64), and Google's
//! `www.google.com/url?q=`. Redirectors in [`super::data::REDIRECTORS`] carry their target in
//! a query parameter too. Only these exact hosts are unwrapped: anyone can put `?url=` on their
//! own host.

use url::Url;

/// Whether `host` (lower case) is one of the hosts [`unwrap_once`] unwraps: when it is not,
/// a URL with that host is no wrapper, and callers can skip parsing it again.
pub fn is_wrapper_host(host: &str) -> bool {
    crate::policy::domain_within(host, "safelinks.protection.outlook.com")
        || matches!(
            host,
            "outlook.office.com"
                | "outlook.office365.com"
                | "outlook.live.com"
                | "urldefense.proofpoint.com"
                | "urldefense.us"
                | "urldefense.com"
                | "www.google.com"
                | "google.com"
        )
        || super::data::REDIRECTORS.iter().any(|(e, _)| host == e.host)
}

/// The rewriter's name and the wrapped URL, if `url` is a known wrapper.
pub fn unwrap_once(url: &Url) -> Option<(&'static str, String)> {
    let host = url.host_str()?.to_ascii_lowercase();
    if !is_wrapper_host(&host) {
        return None;
    }
    let path = url.path();
    let within = crate::policy::domain_within;
    if within(&host, "safelinks.protection.outlook.com") {
        return param(url, "url").map(|u| ("Microsoft Safe Links", u));
    }
    if matches!(
        host.as_str(),
        "outlook.office.com" | "outlook.office365.com" | "outlook.live.com"
    ) && path.to_ascii_lowercase().ends_with("/safelink.html")
    {
        return param(url, "url").map(|u| ("Microsoft Safe Links", u));
    }
    if host == "urldefense.proofpoint.com" || host == "urldefense.us" {
        if path.starts_with("/v1/url") {
            return param(url, "u").map(|u| ("Proofpoint URL Defense", u));
        }
        if path.starts_with("/v2/url") {
            let u = param(url, "u")?;
            let decoded = percent_decode(&u.replace('-', "%").replace('_', "/"));
            return Some(("Proofpoint URL Defense", decoded));
        }
    }
    if (host == "urldefense.com" || host == "urldefense.us") && path.starts_with("/v3/__") {
        return proofpoint_v3(url.as_str()).map(|u| ("Proofpoint URL Defense", u));
    }
    if (host == "www.google.com" || host == "google.com") && path == "/url" {
        return param(url, "q")
            .or_else(|| param(url, "url"))
            .map(|u| ("Google redirect", u));
    }
    let (entry, name) = super::data::REDIRECTORS
        .iter()
        .find(|(e, _)| host == e.host && path.starts_with(e.path))?;
    let target = if name.is_empty() {
        url.query().map(percent_decode)?
    } else {
        param(url, name)?
    };
    Some((entry.reason, target))
}

fn param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .take(64)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .filter(|v| !v.trim().is_empty())
}

/// Decodes `%XX` escapes (invalid ones are kept as written; invalid UTF-8 is replaced).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|c| (*c as char).to_digit(16)),
                b.get(i + 2).and_then(|c| (*c as char).to_digit(16)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Proofpoint v3: `https://urldefense.com/v3/__https://example.com/a*b__;Iw!!ID!sig$`.
/// Each `*` stands for the next character of the URL-safe base64 text after `__;`; `**` plus
/// one character from the run alphabet stands for a run of them.
fn proofpoint_v3(s: &str) -> Option<String> {
    let start = s.find("/v3/__")? + 6;
    let rest = &s[start..];
    let end = rest.find("__;").or_else(|| rest.rfind("__"))?;
    let template = &rest[..end];
    let after = rest.get(end + 3..).unwrap_or_default();
    let encoded = after.split("!!").next().unwrap_or_default();
    let bytes = base64_url(encoded);
    let chars: Vec<char> = String::from_utf8_lossy(&bytes).chars().collect();
    const RUN: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(template.len());
    let mut next = chars.into_iter();
    let mut it = template.chars().peekable();
    while let Some(c) = it.next() {
        if c != '*' {
            out.push(c);
            continue;
        }
        if it.peek() == Some(&'*') {
            it.next();
            let len = it.next().and_then(|r| RUN.find(r)).map_or(1, |n| n + 2);
            for _ in 0..len.min(64) {
                out.push(next.next()?);
            }
        } else {
            out.push(next.next()?);
        }
    }
    Some(out)
}

/// URL-safe (or standard) base64 without padding; stops at the first foreign character.
fn base64_url(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes().take(4096) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => break,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn un(s: &str) -> Option<String> {
        unwrap_once(&Url::parse(s).unwrap()).map(|(_, u)| u)
    }

    #[test]
    fn safe_links() {
        assert_eq!(
            un("https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.contoso.com%2Fa%3Fb%3D1&data=05%7C01&reserved=0").as_deref(),
            Some("https://www.contoso.com/a?b=1")
        );
        assert_eq!(
            un("https://outlook.office.com/mail/safelink.html?url=https%3A%2F%2Fx.example%2F")
                .as_deref(),
            Some("https://x.example/")
        );
        assert_eq!(
            un("https://evil.example/safelink.html?url=https%3A%2F%2Fx.example%2F"),
            None
        );
    }

    #[test]
    fn proofpoint() {
        assert_eq!(
            un("https://urldefense.proofpoint.com/v1/url?u=http://www.example.com/x&k=abc")
                .as_deref(),
            Some("http://www.example.com/x")
        );
        assert_eq!(
            un("https://urldefense.proofpoint.com/v2/url?u=https-3A__www.example.com_path_-3Fa-3D1&d=DwMF&c=x").as_deref(),
            Some("https://www.example.com/path/?a=1")
        );
        assert_eq!(
            un("https://urldefense.com/v3/__https://www.example.com/a*b?c=d__;Iw!!ABC!def$")
                .as_deref(),
            Some("https://www.example.com/a#b?c=d")
        );
        assert_eq!(
            un("https://urldefense.com/v3/__https://www.example.com/x__;!!ABC!def$").as_deref(),
            Some("https://www.example.com/x")
        );
    }

    #[test]
    fn redirectors() {
        assert_eq!(
            un("https://www.google.com/url?q=https://x.example/&sa=D").as_deref(),
            Some("https://x.example/")
        );
        assert_eq!(
            un("https://l.facebook.com/l.php?u=https%3A%2F%2Fx.example%2F&h=AT0").as_deref(),
            Some("https://x.example/")
        );
        assert_eq!(
            un("https://href.li/?https://x.example/").as_deref(),
            Some("https://x.example/")
        );
        assert_eq!(un("https://www.google.com/search?q=x"), None);
    }

    #[test]
    fn garbage() {
        assert_eq!(proofpoint_v3("/v3/__a*__;"), None);
        assert_eq!(base64_url("Iw"), b"#");
    }
}
