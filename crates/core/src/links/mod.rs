//! Links: extraction from every place a message can carry one, normalisation of where each
//! really goes, and unwrapping of security rewriters and redirectors.
//!
//! [`extract`] reads the HTML bodies (anchors and areas with their visible text, forms,
//! frames, meta refresh, `base href`, images), the text bodies (URLs with a scheme and `www.`
//! forms), the Subject, calendar invites and text-like attachments (HTML, SVG, ICS). Each link
//! is parsed the WHATWG way ([`url`]), its host kept in ASCII and Unicode with its registrable
//! domain, tricks in how it was written are noted ([`Trick`]), and known wrappers are peeled off
//! ([`unwrap`]) so rules look at the real destination. Everything is bounded by
//! [`crate::limits`]; nothing here panics on any input.

pub mod data;
pub mod html;
pub mod text;
pub mod unwrap;

use crate::fx::FxHashSet;

use url::{Host, Url};

use crate::limits;
use crate::mail::Mail;
use crate::report::Location;

/// How a link appears in the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// `<a href>` / `<area href>`.
    Anchor,
    /// `<form action>`.
    Form,
    /// `<iframe src>` / `<frame src>`.
    Frame,
    /// `<meta http-equiv=refresh>`.
    Refresh,
    /// `<img src>` (recorded, not flagged by itself).
    Image,
    /// A URL written in plain text (text body, Subject, calendar).
    Text,
    /// A web address decoded from a QR code in an image ([`crate::qr`]).
    QrCode,
    /// The target of a link in an attached document (a PDF's link annotations).
    Document,
}

/// A way of writing a URL that makes it look like it goes somewhere else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trick {
    /// `https://www.paypal.com@evil.example/`: what precedes `@` is not the host.
    UserInfo(String),
    /// The host written as an IPv4 address in decimal, hex, octal or mixed form.
    IpNotation(String),
    /// Percent-encoded characters in the host.
    PercentHost,
    /// Backslashes where slashes belong (`https:\\evil.example`).
    Backslashes,
    /// `https:evil.example` or `https:/evil.example`.
    MissingSlashes,
    /// An explicit port other than the scheme's default.
    Port(u16),
}

/// Where a link really goes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dest {
    /// The serialised URL.
    pub url: String,
    /// Lower-case scheme (`https`, `javascript`, …).
    pub scheme: String,
    /// Lower-case ASCII host (punycode for IDNs), without brackets; empty if none.
    pub host: String,
    /// The host with IDN labels in Unicode.
    pub host_unicode: String,
    /// Registrable domain of [`Dest::host`]; `None` for IPs and public suffixes.
    pub registrable: Option<String>,
    pub ip: Option<std::net::IpAddr>,
    /// The path, as serialised (percent-encoded).
    pub path: String,
    pub tricks: Vec<Trick>,
}

impl Dest {
    /// Whether this is an `http`/`https` (or `ftp`) URL with a host.
    pub fn is_web(&self) -> bool {
        matches!(self.scheme.as_str(), "http" | "https" | "ftp") && !self.host.is_empty()
    }

    /// The registrable domain, or the host when it has none (IPs).
    pub fn org(&self) -> &str {
        self.registrable.as_deref().unwrap_or(&self.host)
    }
}

/// One link found in the message.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub kind: LinkKind,
    /// The URL as written (entities decoded), at most a few hundred characters.
    pub written: String,
    /// Visible text of an anchor (white space collapsed), if any.
    pub text: Option<String>,
    /// Where it was found: a MIME part or a header.
    pub source: Location,
    /// The destination after unwrapping every known wrapper.
    pub dest: Dest,
    /// Rewriters and redirectors unwrapped, outermost first.
    pub wrapped_by: Vec<&'static str>,
    /// The URL as written contained zero-width or bidirectional-control characters.
    pub invisible_chars: Vec<char>,
    /// For [`LinkKind::QrCode`]: where the code is, as a reader would say it ("QR code in
    /// image invoice.png").
    pub image: Option<String>,
}

/// A form in an HTML body or attachment.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// Index in [`Links::links`] of its action, if it has a usable one.
    pub action: Option<usize>,
    pub password: bool,
    /// A user-name or e-mail field.
    pub user_field: bool,
    pub source: Location,
}

/// Everything link-related found in a message.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Links {
    /// Distinct links (not images), in the order found.
    pub links: Vec<Link>,
    pub images: Vec<Link>,
    pub forms: Vec<Form>,
    /// [`limits::MAX_LINKS`] was reached.
    pub truncated: bool,
}

/// Reads every link in `mail`.
pub fn extract(mail: &Mail) -> Links {
    let mut x = Extractor::default();
    for (i, html) in mail.html_bodies.iter().enumerate() {
        let path = mail.html_paths.get(i).cloned().unwrap_or_default();
        x.html(html, Location::Part { path });
    }
    for (i, text) in mail.text_bodies.iter().enumerate() {
        let path = mail.text_paths.get(i).cloned().unwrap_or_default();
        x.text(text, Location::Part { path });
    }
    for att in &mail.attachments {
        if let Some(content) = &att.content {
            let source = Location::Part {
                path: att.path.clone(),
            };
            for uri in &content.links {
                x.push(LinkKind::Document, uri, None, None, &source);
            }
        }
        let Some(content) = att.text.as_deref() else {
            continue;
        };
        let source = Location::Part {
            path: att.path.clone(),
        };
        let ct = att.content_type.as_deref().unwrap_or_default();
        let name = att.name.as_deref().unwrap_or_default().to_ascii_lowercase();
        if ct == "text/calendar" || name.ends_with(".ics") {
            x.text(&text::unfold_calendar(content), source);
        } else {
            x.html(content, source);
        }
    }
    for code in &mail.qr_codes {
        x.qr(code);
    }
    if let Some(subject) = &mail.subject {
        x.text(
            subject,
            Location::Header {
                name: "Subject".to_string(),
                index: 0,
            },
        );
    }
    x.out
}

/// What [`resolve`] answers.
type Resolved = Option<(Dest, Vec<&'static str>, Vec<char>)>;

/// Distinct (URL, base) pairs whose [`resolve`] answer is kept per message.
const MAX_RESOLVED: usize = 1024;

#[derive(Default)]
struct Extractor {
    out: Links,
    seen: FxHashSet<(LinkKind, String, String)>,
    seen_urls: FxHashSet<String>,
    /// [`resolve`] answers by URL as written and base URL: mail repeats the same link (logo
    /// and text, a text alternative of the HTML), and parsing and unwrapping cost the most.
    resolved: crate::fx::FxHashMap<(String, Option<String>), Resolved>,
}

impl Extractor {
    fn push(
        &mut self,
        kind: LinkKind,
        written: &str,
        text: Option<String>,
        base: Option<&Url>,
        source: &Location,
    ) -> Option<usize> {
        let key = (kind, written.to_string(), text.clone().unwrap_or_default());
        if self.seen.contains(&key) {
            return self
                .out
                .links
                .iter()
                .position(|l| l.kind == kind && l.written == written);
        }
        let full = if kind == LinkKind::Image {
            self.out.images.len()
        } else {
            self.out.links.len()
        };
        if full >= limits::MAX_LINKS {
            self.out.truncated = true;
            return None;
        }
        let (dest, wrapped_by, invisible_chars) = self.resolve(written, base)?;
        self.seen.insert(key);
        self.seen_urls.insert(dest.url.clone());
        let link = Link {
            kind,
            written: crate::rules::excerpt(written.trim()),
            text: text.filter(|t| !t.is_empty()),
            source: source.clone(),
            dest,
            wrapped_by,
            invisible_chars,
            image: None,
        };
        if kind == LinkKind::Image {
            self.out.images.push(link);
            None
        } else {
            self.out.links.push(link);
            Some(self.out.links.len() - 1)
        }
    }

    /// [`resolve`], remembered per message.
    fn resolve(&mut self, written: &str, base: Option<&Url>) -> Resolved {
        let key = (written.to_string(), base.map(|b| b.as_str().to_string()));
        if let Some(r) = self.resolved.get(&key) {
            return r.clone();
        }
        let r = resolve(written, base);
        if self.resolved.len() < MAX_RESOLVED {
            self.resolved.insert(key, r.clone());
        }
        r
    }

    fn html(&mut self, content: &str, source: Location) {
        let mut base: Option<Url> = None;
        let mut form: Option<usize> = None;
        for event in html::scan(content) {
            match event {
                html::Event::Base { href } => {
                    if base.is_none() {
                        base = Url::parse(href.trim()).ok().filter(|u| u.has_host());
                    }
                }
                html::Event::Anchor { href, text } => {
                    self.push(LinkKind::Anchor, &href, Some(text), base.as_ref(), &source);
                }
                html::Event::Frame { src } => {
                    self.push(LinkKind::Frame, &src, None, base.as_ref(), &source);
                }
                html::Event::Refresh { url } => {
                    self.push(LinkKind::Refresh, &url, None, base.as_ref(), &source);
                }
                html::Event::Image { src } => {
                    self.push(LinkKind::Image, &src, None, base.as_ref(), &source);
                }
                html::Event::FormStart { action } => {
                    if self.out.forms.len() >= limits::MAX_FORMS {
                        form = None;
                        continue;
                    }
                    let action = if action.trim().is_empty() {
                        None
                    } else {
                        self.push(LinkKind::Form, &action, None, base.as_ref(), &source)
                    };
                    self.out.forms.push(Form {
                        action,
                        password: false,
                        user_field: false,
                        source: source.clone(),
                    });
                    form = Some(self.out.forms.len() - 1);
                }
                html::Event::FormField { password } => {
                    // Fields outside a <form> still make a credential page (scripts post them).
                    let i = match form {
                        Some(i) => i,
                        None if self.out.forms.len() < limits::MAX_FORMS => {
                            self.out.forms.push(Form {
                                action: None,
                                password: false,
                                user_field: false,
                                source: source.clone(),
                            });
                            let i = self.out.forms.len() - 1;
                            form = Some(i);
                            i
                        }
                        None => continue,
                    };
                    if let Some(f) = self.out.forms.get_mut(i) {
                        if password {
                            f.password = true;
                        } else {
                            f.user_field = true;
                        }
                    }
                }
                html::Event::FormEnd => form = None,
            }
        }
    }

    /// A QR code whose text is a web address becomes a link found in its image's part.
    fn qr(&mut self, code: &crate::qr::QrCode) {
        if !crate::qr::is_web_payload(&code.payload) {
            return;
        }
        let source = Location::Part {
            path: code.path.clone(),
        };
        if let Some(i) = self.push(LinkKind::QrCode, code.payload.trim(), None, None, &source)
            && let Some(link) = self.out.links.get_mut(i)
            && link.image.is_none()
        {
            link.image = Some(code.describe());
        }
    }

    fn text(&mut self, content: &str, source: Location) {
        for url in text::find_urls(content) {
            // A text alternative repeats the HTML's links: keep the first sighting.
            if let Some((dest, _, _)) = self.resolve(url, None)
                && self.seen_urls.contains(&dest.url)
            {
                continue;
            }
            self.push(LinkKind::Text, url, None, None, &source);
        }
    }
}

/// Characters that change how a URL displays without being visible.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{ad}' | '\u{180e}'
    )
}

/// Parses and unwraps one written URL. `None` for links that lead nowhere a rule cares about
/// (fragments, `mailto:`, `tel:`, `cid:`, relative links without a base, unparsable text).
pub fn resolve(written: &str, base: Option<&Url>) -> Option<(Dest, Vec<&'static str>, Vec<char>)> {
    // Every invisible character is outside ASCII: an ASCII URL has none.
    let invisible: Vec<char> = if written.is_ascii() {
        Vec::new()
    } else {
        written
            .chars()
            .filter(|c| is_invisible(*c))
            .take(8)
            .collect()
    };
    let mut dest = match parse(written, base) {
        Some(d) => d,
        // Browsers drop some invisible characters; analyse what is left.
        None if !invisible.is_empty() => parse(&written.replace(is_invisible, ""), base)?,
        None => return None,
    };
    let mut wrapped_by = Vec::new();
    for _ in 0..limits::MAX_UNWRAP {
        // Only a few hosts wrap links: any other needs no second parse. (`dest.host` is the
        // parsed host without a trailing dot; with one, `unwrap_once` matches no host.)
        if !unwrap::is_wrapper_host(&dest.host) {
            break;
        }
        let Ok(url) = Url::parse(&dest.url) else {
            break;
        };
        let Some((name, inner)) = unwrap::unwrap_once(&url) else {
            break;
        };
        let Some(next) = parse(&inner, None).filter(|d| !d.scheme.is_empty()) else {
            break;
        };
        wrapped_by.push(name);
        dest = next;
        // Rewriters re-encode slashes their own way (Proofpoint v3 writes `https:/host`).
        dest.tricks
            .retain(|t| !matches!(t, Trick::MissingSlashes | Trick::Backslashes));
    }
    Some((dest, wrapped_by, invisible))
}

/// Normalises one URL as written: WHATWG parsing, host in ASCII and Unicode, registrable
/// domain, and the tricks used to write it.
pub fn parse(written: &str, base: Option<&Url>) -> Option<Dest> {
    // WHATWG strips leading/trailing C0 controls and spaces and removes tabs and newlines.
    let trimmed = written.trim_matches(|c: char| c <= ' ' || is_invisible(c));
    // At most 4096 characters: a string of at most 4096 bytes has no more.
    let cleaned: std::borrow::Cow<'_, str> = if trimmed.len() <= 4096
        && memchr::memchr3(b'\t', b'\n', b'\r', trimmed.as_bytes()).is_none()
    {
        std::borrow::Cow::Borrowed(trimmed)
    } else {
        trimmed
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .take(4096)
            .collect::<String>()
            .into()
    };
    if cleaned.is_empty() || cleaned.starts_with('#') {
        return None;
    }
    let scheme_end = cleaned.find(':').filter(|&i| {
        i > 0
            && cleaned[..i]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    });
    let mut tricks = Vec::new();
    let (url, authority_raw) = match scheme_end {
        Some(i) => {
            let scheme = cleaned[..i].to_ascii_lowercase();
            if matches!(
                scheme.as_str(),
                "mailto"
                    | "tel"
                    | "sms"
                    | "cid"
                    | "callto"
                    | "mid"
                    | "about"
                    | "x-apple-data-detectors"
            ) {
                return None;
            }
            let rest = &cleaned[i + 1..];
            let mut authority = None;
            if matches!(scheme.as_str(), "http" | "https" | "ftp") {
                let slashes = rest.chars().take_while(|c| *c == '/' || *c == '\\').count();
                if slashes < 2 {
                    tricks.push(Trick::MissingSlashes);
                }
                if rest.chars().take(slashes).any(|c| c == '\\') {
                    tricks.push(Trick::Backslashes);
                }
                let after = &rest[slashes.min(rest.len())..];
                let end = after.find(['/', '\\', '?', '#']).unwrap_or(after.len());
                authority = Some(&after[..end]);
            }
            (Url::parse(&cleaned).ok()?, authority)
        }
        None if cleaned
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("www.")) =>
        {
            let url = Url::parse(&format!("http://{cleaned}")).ok()?;
            let end = cleaned.find(['/', '\\', '?', '#']).unwrap_or(cleaned.len());
            (url, Some(&cleaned[..end]))
        }
        None => {
            let url = base?.join(&cleaned).ok()?;
            (url, None)
        }
    };
    let scheme = url.scheme().to_ascii_lowercase();
    let mut dest = Dest {
        scheme,
        path: url.path().to_string(),
        ..Dest::default()
    };
    if let Some(auth) = authority_raw {
        let (userinfo, hostport) = match auth.rfind('@') {
            Some(at) => (Some(&auth[..at]), &auth[at + 1..]),
            None => (None, auth),
        };
        if let Some(u) = userinfo.filter(|u| !u.is_empty()) {
            tricks.push(Trick::UserInfo(crate::rules::excerpt(u)));
        }
        let host_raw = if hostport.starts_with('[') {
            hostport
        } else {
            hostport.rsplit_once(':').map_or(hostport, |(h, _)| h)
        };
        if host_raw.contains('%') {
            tricks.push(Trick::PercentHost);
        }
        if let Some(Host::Ipv4(ip)) = url.host()
            && host_raw.trim_end_matches('.') != ip.to_string()
        {
            tricks.push(Trick::IpNotation(crate::rules::excerpt(host_raw)));
        }
    }
    if let Some(port) = url.port() {
        tricks.push(Trick::Port(port));
    }
    match url.host() {
        Some(Host::Domain(d)) => {
            let host = d.trim_end_matches('.').to_ascii_lowercase();
            // A byte-window test: `str::contains` would build a substring searcher per host.
            dest.host_unicode = if host.as_bytes().windows(4).any(|w| w == b"xn--") {
                idna::domain_to_unicode(&host).0
            } else {
                host.clone()
            };
            dest.registrable = crate::domain::registrable_domain(&host).map(str::to_string);
            dest.host = host;
        }
        Some(Host::Ipv4(ip)) => {
            dest.host = ip.to_string();
            dest.host_unicode = dest.host.clone();
            dest.ip = Some(ip.into());
        }
        Some(Host::Ipv6(ip)) => {
            dest.host = ip.to_string();
            dest.host_unicode = dest.host.clone();
            dest.ip = Some(ip.into());
        }
        None => {}
    }
    dest.tricks = tricks;
    // The serialisation is read last so that it moves out of `url` instead of being copied.
    dest.url = url.into();
    Some(dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Dest {
        parse(s, None).unwrap()
    }

    #[test]
    fn hosts_and_registrable() {
        let d = p("HTTPS://Www.Example.co.uk/Path?q#f");
        assert_eq!(d.host, "www.example.co.uk");
        assert_eq!(d.registrable.as_deref(), Some("example.co.uk"));
        assert!(d.tricks.is_empty());
        let d = p("https://xn--pypal-4ve.com/");
        assert_eq!(d.host_unicode, "pаypal.com");
        let d = p("http://bücher.example/");
        assert_eq!(d.host, "xn--bcher-kva.example");
        let d = p("www.example.com/x");
        assert_eq!(d.url, "http://www.example.com/x");
    }

    #[test]
    fn tricks() {
        let d = p("https://www.paypal.com@evil.example/");
        assert_eq!(d.host, "evil.example");
        assert_eq!(d.tricks, vec![Trick::UserInfo("www.paypal.com".into())]);
        let d = p("http://0x7f.0.0.1/");
        assert_eq!(d.host, "127.0.0.1");
        assert!(matches!(d.tricks[0], Trick::IpNotation(_)));
        let d = p("http://3232235777/");
        assert_eq!(d.host, "192.168.1.1");
        let d = p("http://0300.0250.1.1/");
        assert_eq!(d.host, "192.168.1.1");
        let d = p("http://%65vil.example/");
        assert_eq!(d.host, "evil.example");
        assert_eq!(d.tricks, vec![Trick::PercentHost]);
        let d = p("https:\\\\evil.example\\x");
        assert_eq!(d.host, "evil.example");
        assert!(d.tricks.contains(&Trick::Backslashes));
        let d = p("https:evil.example");
        assert_eq!(d.host, "evil.example");
        assert!(d.tricks.contains(&Trick::MissingSlashes));
        let d = p("https://evil.example:8443/");
        assert_eq!(d.tricks, vec![Trick::Port(8443)]);
        let d = p("http://[::1]/");
        assert!(d.ip.is_some());
    }

    #[test]
    fn ignored_and_relative() {
        assert!(parse("mailto:a@b.c", None).is_none());
        assert!(parse("#top", None).is_none());
        assert!(parse("/x", None).is_none());
        let base = Url::parse("https://b.example/dir/").unwrap();
        assert_eq!(
            parse("x", Some(&base)).unwrap().url,
            "https://b.example/dir/x"
        );
        assert_eq!(p("javascript:alert(1)").scheme, "javascript");
    }

    #[test]
    fn unwraps_nested() {
        let (d, by, _) = resolve(
            "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.google.com%2Furl%3Fq%3Dhttps%253A%252F%252Fx.example%252F&data=1",
            None,
        )
        .unwrap();
        assert_eq!(d.host, "x.example");
        assert_eq!(by, vec!["Microsoft Safe Links", "Google redirect"]);
    }

    #[test]
    fn extracts_from_a_message() {
        let raw = b"From: a@b.example\r\nSubject: see www.subject.example now\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/html\r\n\r\n<base href=https://base.example/><a href=rel>https://shown.example</a><img src=i.png><form action=/login><input type=password></form>\r\n--B\r\nContent-Type: text/calendar\r\nContent-Disposition: attachment; filename=invite.ics\r\n\r\nBEGIN:VCALENDAR\r\nDESCRIPTION:Join at https://meet.exa\r\n mple/x\\nthanks\r\nEND:VCALENDAR\r\n--B--\r\n";
        let mail = Mail::from_raw(raw);
        let links = extract(&mail);
        let urls: Vec<&str> = links.links.iter().map(|l| l.dest.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://base.example/rel",
                "https://base.example/login",
                "https://meet.example/x",
                "http://www.subject.example/"
            ]
        );
        assert_eq!(
            links.links[0].text.as_deref(),
            Some("https://shown.example")
        );
        assert_eq!(links.images.len(), 1);
        assert!(links.forms[0].password);
    }
}
