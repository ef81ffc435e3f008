//! The message model every rule reads: what `mail-parser` found, normalised once.
//!
//! Both entry points ([`crate::analyze`] on raw bytes and [`crate::analyze_parts`] on the parts
//! a host supplies) build a [`Mail`]; rules never see `mail-parser` types. Building never fails:
//! whatever could not be read is recorded in [`Mail::problems`] and [`Mail::limits_hit`].

use mail_parser::{Address, HeaderName, HeaderValue, MessageParser, MimeHeaders, PartType};

use crate::limits;

/// The parser, built once: it structures only the header fields the model reads, and skips
/// the rest, whose raw text [`Mail::headers`] takes from the message bytes anyway.
///
/// `MessageParser::new()` parses every field it knows: addresses in `Cc`, `Bcc`, the `Resent-`
/// fields and the eight `List-` fields, identifiers in `References` and `In-Reply-To`, and so
/// on, and nothing read them (13 k of a SpamAssassin ham message's 155 k parse instructions).
/// Skipping a field still finds where it ends (the same offsets), so raw header values are
/// unchanged.
fn parser() -> &'static MessageParser {
    static PARSER: std::sync::OnceLock<MessageParser> = std::sync::OnceLock::new();
    PARSER.get_or_init(|| {
        MessageParser::new()
            // What mail-parser needs to find and decode the parts, and to name attachments
            // and inline images.
            .header_content_type(HeaderName::ContentType)
            .header_content_type(HeaderName::ContentDisposition)
            .header_text(HeaderName::ContentTransferEncoding)
            .header_id(HeaderName::ContentId)
            // What [`Mail::read_headers`] reads structured.
            .header_address(HeaderName::From)
            .header_address(HeaderName::ReplyTo)
            .header_address(HeaderName::To)
            .header_address(HeaderName::Sender)
            .header_text(HeaderName::Subject)
            .header_date(HeaderName::Date)
            // `Received` is read by [`crate::received`], the same reading at a fraction of
            // the cost.
            .default_header_ignore()
    })
}

/// One mailbox from an address header, with its domain normalised.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mailbox {
    /// The display name, decoded, with surrounding quotes and whitespace removed.
    pub name: Option<String>,
    /// The address as written (decoded).
    pub address: String,
    /// Lower-case ASCII (punycode) domain, without a trailing dot; empty if none.
    pub domain: String,
    /// Registrable domain of [`Mailbox::domain`] per the Public Suffix List.
    pub registrable: Option<String>,
}

/// One top-level header field, in message order (top, newest, first).
#[derive(Clone, Debug, PartialEq)]
pub struct RawHeader {
    /// The name as mail-parser spells it: its canonical spelling for the fields it knows
    /// (borrowed, not allocated per message), else as written.
    pub name: std::borrow::Cow<'static, str>,
    /// Raw value with folding removed (CRLF/LF + WSP → one space), lossily decoded as UTF-8.
    pub value: String,
}

/// A parsed `Received` hop.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hop {
    /// Index into [`Mail::headers`].
    pub header_index: usize,
    /// The `from` host name as claimed (lower case), if any.
    pub from_host: Option<String>,
    /// The reverse-DNS or bracketed name the receiving server recorded, if any.
    pub from_iprev: Option<String>,
    pub from_ip: Option<std::net::IpAddr>,
    /// The `by` host (lower case), if any.
    pub by_host: Option<String>,
    /// Unix time of the hop's date, if it parsed.
    pub date: Option<i64>,
}

impl Hop {
    /// The best name for the server that handed the message over: the reverse-DNS name the
    /// receiving server recorded when there is one (`None` when it recorded that the address
    /// has none), otherwise the name the server gave itself.
    pub fn from_name(&self) -> Option<&str> {
        match self.from_iprev.as_deref() {
            Some("unknown") => None,
            Some(name) => Some(name),
            None => self.from_host.as_deref(),
        }
    }
}

/// An attachment or other non-body part.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attachment {
    pub name: Option<String>,
    pub content_type: Option<String>,
    pub size: u64,
    /// MIME path, e.g. `"2"` or `"1.3"`; empty for host-supplied metadata.
    pub path: String,
    /// Shown inside the message rather than offered as a file: `Content-Disposition: inline`
    /// or referenced by `Content-ID` (inline images).
    pub inline: bool,
    /// What the decoded bytes show; `None` when the host gave only metadata.
    pub content: Option<crate::attachments::Content>,
    /// The decoded content of a text-like attachment (HTML, SVG, calendar), at most
    /// [`limits::MAX_ATTACHMENT_TEXT`] bytes, so links can be read from it; `None` otherwise.
    pub text: Option<String>,
}

/// Whether an attachment's name or type says it is HTML, SVG or a calendar: content whose
/// links matter.
pub fn is_text_like(name: Option<&str>, content_type: Option<&str>) -> bool {
    let ext = name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.trim().to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("html" | "htm" | "shtml" | "xhtml" | "svg" | "ics")
    ) || matches!(
        content_type,
        Some("text/html" | "application/xhtml+xml" | "image/svg+xml" | "text/calendar")
    )
}

/// At most [`limits::MAX_ATTACHMENT_TEXT`] bytes of `bytes`, decoded lossily as UTF-8.
fn bounded_text(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(limits::MAX_ATTACHMENT_TEXT)];
    String::from_utf8_lossy(cut).into_owned()
}

/// What was wrong with the input itself.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// Nothing that looks like a header block.
    NoHeaders,
    /// No `From` header (or one that holds no address).
    NoFrom,
    /// A `From` address that no mail system could deliver to: no `@`, or a domain with
    /// characters host names never have (`x@%atendimento.com`).
    InvalidFrom { address: String },
    /// A part whose transfer encoding or charset could not be decoded cleanly.
    Encoding { path: String },
    /// A multipart whose closing boundary never comes: the message was cut short.
    UnterminatedMultipart { boundary: String },
    /// Bytes in the header block that are not valid UTF-8 nor an RFC 2047 encoding.
    RawEightBitHeaders,
    /// A text part declares a character set nobody implements.
    UnknownCharset { path: String, charset: String },
}

/// The normalised message.
#[derive(Clone, Debug, Default)]
pub struct Mail {
    pub bytes: usize,
    pub headers: Vec<RawHeader>,
    pub from: Vec<Mailbox>,
    pub reply_to: Vec<Mailbox>,
    /// Addresses of the first `To` header, lower-case, at most [`limits::MAX_ADDRESSES`].
    pub to: Vec<String>,
    pub sender: Option<Mailbox>,
    /// The envelope sender from `Return-Path`, as a mailbox without a name.
    pub return_path: Option<Mailbox>,
    pub subject: Option<String>,
    /// The `Date` header as written, and its Unix time if it parsed as a valid date.
    pub date_raw: Option<String>,
    pub date: Option<i64>,
    /// The `Message-ID` header as written (raw, with angle brackets).
    pub message_id_raw: Option<String>,
    pub received: Vec<Hop>,
    /// Whether a list manager relayed the message: RFC 2369 `List-Post`, `List-Archive`,
    /// `List-Help`, `List-Subscribe`, or the older `Mailing-List`. Neither `List-Unsubscribe`
    /// nor a bare RFC 2919 `List-Id`: bulk senders of every kind add those, and spam copies them.
    pub is_list: bool,
    pub text_bodies: Vec<String>,
    pub html_bodies: Vec<String>,
    /// MIME paths of [`Mail::text_bodies`] and [`Mail::html_bodies`], index for index
    /// (`"text"` / `"html"` for host-supplied bodies).
    pub text_paths: Vec<String>,
    pub html_paths: Vec<String>,
    pub attachments: Vec<Attachment>,
    /// Calendar invitations (`text/calendar` parts that are not attachments): MIME path and
    /// text, at most [`limits::ATTACHMENT_HEAD`] bytes each.
    pub calendars: Vec<(String, String)>,
    /// QR codes found in the message's images (attachments, inline images, `data:` images in
    /// the HTML), in message order; see [`crate::qr`].
    pub qr_codes: Vec<crate::qr::QrCode>,
    pub parts: usize,
    pub mime_depth: usize,
    pub problems: Vec<Problem>,
    pub limits_hit: Vec<&'static str>,
}

impl Mail {
    /// Header fields called `name` (case-insensitive), with their index in [`Mail::headers`].
    pub fn headers_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = (usize, &'a RawHeader)> + 'a {
        self.headers
            .iter()
            .enumerate()
            .filter(move |(_, h)| h.name.eq_ignore_ascii_case(name))
    }

    /// The first `From` mailbox: the author the reader sees.
    pub fn author(&self) -> Option<&Mailbox> {
        self.from.first()
    }

    fn hit(&mut self, limit: &'static str) {
        if !self.limits_hit.contains(&limit) {
            self.limits_hit.push(limit);
        }
    }

    /// Builds the model from a complete RFC 5322 message.
    pub fn from_raw(raw: &[u8]) -> Mail {
        let mut mail = Mail {
            bytes: raw.len(),
            ..Mail::default()
        };
        let raw = if raw.len() > limits::MAX_BYTES {
            mail.hit("message-size");
            &raw[..limits::MAX_BYTES]
        } else {
            raw
        };
        let Some(message) = parser().parse(raw) else {
            mail.problems.push(Problem::NoHeaders);
            return mail;
        };
        mail.read_headers(&message, raw);
        mail.read_body(&message, raw);
        mail
    }

    /// Builds the model from a header block plus bodies and attachment metadata.
    pub fn from_parts(parts: &crate::MessageParts) -> Mail {
        let mut block = parts.headers.trim_end_matches(['\r', '\n']).to_string();
        block.push_str("\r\n\r\n");
        let mut mail = Mail {
            bytes: block.len()
                + parts.html.as_ref().map_or(0, String::len)
                + parts.text.as_ref().map_or(0, String::len),
            ..Mail::default()
        };
        match parser().parse(block.as_bytes()) {
            Some(message) => mail.read_headers(&message, block.as_bytes()),
            None => mail.problems.push(Problem::NoHeaders),
        }
        mail.text_bodies.extend(parts.text.iter().cloned());
        mail.text_paths
            .extend(parts.text.iter().map(|_| "text".to_string()));
        mail.html_bodies.extend(parts.html.iter().cloned());
        mail.html_paths
            .extend(parts.html.iter().map(|_| "html".to_string()));
        let mut images = crate::qr::Scanner::default();
        for meta in parts.attachments.iter().take(limits::MAX_PARTS) {
            if let Some(bytes) = meta.bytes.as_deref() {
                images.scan(
                    bytes,
                    crate::qr::Origin::Attachment,
                    meta.name.as_deref(),
                    "",
                );
            }
            let content_type = meta.content_type.as_ref().map(|c| c.to_ascii_lowercase());
            let text = meta
                .bytes
                .as_deref()
                .filter(|_| is_text_like(meta.name.as_deref(), content_type.as_deref()))
                .map(bounded_text);
            mail.attachments.push(Attachment {
                text,
                content: meta.bytes.as_deref().map(|b| {
                    crate::attachments::inspect(meta.name.as_deref(), content_type.as_deref(), b)
                }),
                inline: false,
                name: meta.name.clone(),
                content_type,
                size: meta
                    .size
                    .or(meta.bytes.as_ref().map(|b| b.len() as u64))
                    .unwrap_or(0),
                path: String::new(),
            });
        }
        if parts.attachments.len() > limits::MAX_PARTS {
            mail.hit("part-count");
        }
        for (html, path) in mail.html_bodies.iter().zip(&mail.html_paths) {
            images.scan_html(html, path);
        }
        mail.take_images(images);
        mail.parts = usize::from(parts.text.is_some())
            + usize::from(parts.html.is_some())
            + mail.attachments.len();
        mail
    }

    fn read_headers(&mut self, message: &mail_parser::Message<'_>, raw: &[u8]) {
        let root = &message.parts[0];
        if root.headers.is_empty() {
            self.problems.push(Problem::NoHeaders);
            return;
        }
        if root.headers.len() > limits::MAX_HEADERS {
            self.hit("header-count");
        }
        let mut eight_bit = false;
        for header in root.headers.iter().take(limits::MAX_HEADERS) {
            let index = self.headers.len();
            let bytes = raw
                .get(header.offset_start as usize..header.offset_end as usize)
                .unwrap_or_default();
            let value = match std::str::from_utf8(bytes) {
                Ok(s) => unfold(s),
                Err(_) => {
                    eight_bit = true;
                    unfold(&String::from_utf8_lossy(bytes))
                }
            };
            self.headers.push(RawHeader {
                name: match &header.name {
                    HeaderName::Other(other) => std::borrow::Cow::Owned(other.to_string()),
                    known => std::borrow::Cow::Borrowed(known.as_static_str()),
                },
                value,
            });
            match (&header.name, &header.value) {
                (HeaderName::From, HeaderValue::Address(a)) if self.from.is_empty() => {
                    self.from = mailboxes(a);
                }
                (HeaderName::ReplyTo, HeaderValue::Address(a)) if self.reply_to.is_empty() => {
                    self.reply_to = mailboxes(a);
                }
                (HeaderName::To, HeaderValue::Address(a)) if self.to.is_empty() => {
                    self.to = addresses(a);
                }
                (HeaderName::Sender, HeaderValue::Address(a)) if self.sender.is_none() => {
                    self.sender = mailboxes(a).into_iter().next();
                }
                (HeaderName::Subject, v) if self.subject.is_none() => {
                    self.subject = v.as_text().map(str::to_string);
                }
                (HeaderName::Date, v) if self.date_raw.is_none() => {
                    self.date_raw = Some(self.headers[index].value.trim().to_string());
                    self.date = v
                        .as_datetime()
                        .filter(|d| d.is_valid())
                        .map(|d| d.to_timestamp());
                }
                (HeaderName::MessageId, _) if self.message_id_raw.is_none() => {
                    self.message_id_raw = Some(self.headers[index].value.trim().to_string());
                }
                (HeaderName::ReturnPath, _) if self.return_path.is_none() => {
                    self.return_path = return_path(&self.headers[index].value);
                }
                // A list manager (Mailman, Google Groups, LISTSERV, ezmlm) adds how to post, get
                // help, subscribe or read the archive. `List-Id` alone is not enough: bulk-mail
                // services add it to one-way campaigns, and spam copies it.
                (
                    HeaderName::ListPost
                    | HeaderName::ListArchive
                    | HeaderName::ListHelp
                    | HeaderName::ListSubscribe,
                    _,
                ) => self.is_list = true,
                (HeaderName::Other(name), _)
                    if name.eq_ignore_ascii_case("Mailing-List")
                        || name.eq_ignore_ascii_case("X-Mailing-List") =>
                {
                    self.is_list = true
                }
                (HeaderName::Received, _) => {
                    if self.received.len() >= limits::MAX_RECEIVED {
                        self.hit("received-count");
                    } else {
                        let raw = &self.headers[index].value;
                        self.received
                            .push(hop(index, &crate::received::read(bytes), raw));
                    }
                }
                _ => {}
            }
        }
        if eight_bit {
            self.problems.push(Problem::RawEightBitHeaders);
        }
        // With the header limit hit, From may simply lie beyond it: that is limit-exceeded.
        if self.from.iter().all(|m| m.address.is_empty())
            && !self.limits_hit.contains(&"header-count")
        {
            self.problems.push(Problem::NoFrom);
        } else if let Some(from) = self.from.iter().find(|m| !m.address.is_empty())
            && !deliverable(from)
        {
            self.problems.push(Problem::InvalidFrom {
                address: from.address.chars().take(80).collect(),
            });
        }
    }

    fn read_body(&mut self, message: &mail_parser::Message<'_>, raw: &[u8]) {
        if message.parts.len() > limits::MAX_PARTS {
            self.hit("part-count");
        }
        self.parts = message.parts.len().min(limits::MAX_PARTS);
        self.mime_depth = mime_depth(message, 0);
        if self.mime_depth > limits::MAX_MIME_DEPTH {
            self.hit("mime-depth");
        }
        for (i, part) in message.parts.iter().enumerate().take(limits::MAX_PARTS) {
            let undecodable = match &part.body {
                PartType::Text(t) | PartType::Html(t) => t.contains('\u{FFFD}'),
                _ => false,
            };
            if part.is_encoding_problem || undecodable {
                self.problems.push(Problem::Encoding {
                    path: i.to_string(),
                });
            }
            if let Some(charset) = part
                .content_type()
                .filter(|ct| ct.ctype().eq_ignore_ascii_case("text"))
                .and_then(|ct| ct.attribute("charset"))
                .filter(|cs| !known_charset(cs))
            {
                self.problems.push(Problem::UnknownCharset {
                    path: i.to_string(),
                    charset: charset.chars().take(40).collect(),
                });
            }
            if let Some(boundary) = part
                .content_type()
                .filter(|ct| ct.ctype().eq_ignore_ascii_case("multipart"))
                .and_then(|ct| ct.attribute("boundary"))
            {
                let start = part.offset_body as usize;
                let end = (part.offset_end as usize).min(raw.len());
                let body = raw.get(start..end).unwrap_or_default();
                if !contains_closing_boundary(body, boundary.as_bytes()) {
                    self.problems.push(Problem::UnterminatedMultipart {
                        boundary: boundary.chars().take(70).collect(),
                    });
                }
            }
        }
        for (i, part) in message.parts.iter().enumerate().take(limits::MAX_PARTS) {
            let calendar = part.content_type().is_some_and(|ct| {
                ct.ctype().eq_ignore_ascii_case("text")
                    && ct
                        .subtype()
                        .is_some_and(|s| s.eq_ignore_ascii_case("calendar"))
            });
            if calendar && !message.attachments.contains(&(i as u32)) {
                let bytes = part.contents();
                let bytes = &bytes[..bytes.len().min(limits::ATTACHMENT_HEAD)];
                self.calendars
                    .push((i.to_string(), String::from_utf8_lossy(bytes).into_owned()));
            }
        }
        let mut images = crate::qr::Scanner::default();
        self.read_parts(message, "", 0, &mut images);
        for (html, path) in self.html_bodies.iter().zip(&self.html_paths) {
            images.scan_html(html, path);
        }
        self.take_images(images);
    }

    /// Bodies and attachments of `message`, whose part paths get `prefix` (empty for the
    /// message itself, `"2."` for the message attached as part 2). A message attached to this
    /// one (a forward as attachment, or phishing wrapped in an `.eml` to slip past scanners)
    /// is read the same way, its bodies and files counting as this message's, up to
    /// [`limits::MAX_ATTACHED_MESSAGES`] levels deep.
    fn read_parts(
        &mut self,
        message: &mail_parser::Message<'_>,
        prefix: &str,
        depth: usize,
        images: &mut crate::qr::Scanner,
    ) {
        let path = |id: &u32| format!("{prefix}{id}");
        for id in message.text_body.iter().take(limits::MAX_PARTS) {
            if self.text_bodies.len() >= limits::MAX_PARTS {
                break;
            }
            if let Some(PartType::Text(text)) = message.parts.get(*id as usize).map(|p| &p.body) {
                self.text_bodies.push(text.to_string());
                self.text_paths.push(path(id));
            }
        }
        for id in message.html_body.iter().take(limits::MAX_PARTS) {
            if self.html_bodies.len() >= limits::MAX_PARTS {
                break;
            }
            if let Some(PartType::Html(html)) = message.parts.get(*id as usize).map(|p| &p.body) {
                self.html_bodies.push(html.to_string());
                self.html_paths.push(path(id));
            }
        }
        for id in message.attachments.iter().take(limits::MAX_PARTS) {
            if self.attachments.len() >= limits::MAX_PARTS {
                break;
            }
            let Some(part) = message.parts.get(*id as usize) else {
                continue;
            };
            let name = part.attachment_name().map(str::to_string);
            let content_type = part.content_type().map(|ct| match ct.subtype() {
                Some(sub) => format!("{}/{}", ct.ctype(), sub).to_ascii_lowercase(),
                None => ct.ctype().to_ascii_lowercase(),
            });
            let inline = part.content_id().is_some()
                || part
                    .content_disposition()
                    .is_some_and(|d| d.ctype().eq_ignore_ascii_case("inline"));
            let part_path = path(id);
            // Attached messages are analysed as parts of this one, not as files.
            if let PartType::Message(inner) = &part.body {
                self.attachments.push(Attachment {
                    name,
                    content_type,
                    size: part.len() as u64,
                    path: part_path.clone(),
                    inline,
                    content: None,
                    text: None,
                });
                if depth < limits::MAX_ATTACHED_MESSAGES {
                    self.read_parts(inner, &format!("{part_path}."), depth + 1, images);
                } else {
                    self.hit("attached-message-depth");
                }
                continue;
            }
            let content = (!part.contents().is_empty()).then(|| {
                crate::attachments::inspect(
                    name.as_deref(),
                    content_type.as_deref(),
                    part.contents(),
                )
            });
            let text = is_text_like(name.as_deref(), content_type.as_deref())
                .then(|| bounded_text(part.contents()));
            let origin = if inline {
                crate::qr::Origin::Inline
            } else {
                crate::qr::Origin::Attachment
            };
            images.scan(part.contents(), origin, name.as_deref(), &part_path);
            self.attachments.push(Attachment {
                name,
                content_type,
                size: part.len() as u64,
                path: part_path,
                inline,
                content,
                text,
            });
        }
    }

    /// Keeps the QR codes a scan of the message's images found, and the limits it hit.
    fn take_images(&mut self, images: crate::qr::Scanner) {
        for limit in images.limits_hit {
            self.hit(limit);
        }
        self.qr_codes = images.codes;
    }
}

fn mime_depth(message: &mail_parser::Message<'_>, nesting: usize) -> usize {
    // Depth of the multipart tree below the root, following attached messages, bounded.
    fn walk(
        message: &mail_parser::Message<'_>,
        id: usize,
        depth: usize,
        budget: &mut usize,
    ) -> usize {
        if *budget == 0 || depth > limits::MAX_MIME_DEPTH + 1 {
            return depth;
        }
        *budget -= 1;
        match message.parts.get(id).map(|p| &p.body) {
            Some(PartType::Multipart(children)) => children
                .iter()
                .map(|c| walk(message, *c as usize, depth + 1, budget))
                .max()
                .unwrap_or(depth),
            Some(PartType::Message(inner)) => {
                if inner.parts.is_empty() {
                    depth + 1
                } else {
                    walk(inner, 0, depth + 1, budget)
                }
            }
            _ => depth,
        }
    }
    let mut budget = limits::MAX_PARTS;
    walk(message, 0, nesting, &mut budget)
}

/// Whether a charset label names an encoding in real use (WHATWG Encoding Standard labels and
/// their common MIME spellings, by prefix).
pub fn known_charset(label: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "utf-",
        "utf8",
        "us-ascii",
        "ascii",
        "iso-8859-",
        "iso8859-",
        "iso_8859-",
        "latin",
        "windows-",
        "cp",
        "koi8",
        "gb2312",
        "gbk",
        "gb18030",
        "big5",
        "shift_jis",
        "shift-jis",
        "sjis",
        "x-sjis",
        "euc-",
        "iso-2022-",
        "ks_c_5601",
        "ksc5601",
        "tis-620",
        "x-mac-roman",
        "x-mac-cyrillic",
        "x-mac-ukrainian",
        "macintosh",
        "ibm",
        "x-user-defined",
        "unicode",
        "ansi_x3.4",
        "x-gbk",
        "hz-gb",
        "viscii",
        "csiso",
        "x-cp",
        "x-euc",
    ];
    let label = label.trim().trim_matches('"').to_ascii_lowercase();
    PREFIXES.iter().any(|p| label.starts_with(p))
}

fn contains_closing_boundary(body: &[u8], boundary: &[u8]) -> bool {
    if boundary.is_empty() {
        return true;
    }
    // The close delimiter starts a line: "--" boundary "--" (RFC 2046 §5.1.1).
    let closes = |line: &[u8]| {
        line.len() >= boundary.len() + 4
            && line.starts_with(b"--")
            && line[2..].starts_with(boundary)
            && line[2 + boundary.len()..].starts_with(b"--")
    };
    // Line by line, as `split(b'\n')` would cut them, with memchr finding the ends.
    let mut start = 0;
    loop {
        let end = memchr::memchr(b'\n', &body[start..]).map(|n| start + n);
        if closes(&body[start..end.unwrap_or(body.len())]) {
            return true;
        }
        match end {
            Some(e) => start = e + 1,
            None => return false,
        }
    }
}

/// Removes header folding: CR/LF followed by whitespace becomes one space.
pub fn unfold(s: &str) -> String {
    // Trimming first gives the same result as trimming the unfolded text: folding only turns
    // white space into white space, and a line break inside the trimmed text is followed by
    // the same bytes either way. The result then needs no trimming (nor another copy).
    let s = s.trim();
    let bytes = s.as_bytes();
    let Some(mut i) = memchr::memchr2(b'\r', b'\n', bytes) else {
        return s.to_string();
    };
    // CR, LF, space and tab are ASCII, so every index below is a char boundary.
    let mut out = String::with_capacity(s.len());
    let mut start = 0;
    loop {
        // `i` is at a CR or LF.
        out.push_str(&s[start..i]);
        let mut j = i;
        while j < bytes.len() && matches!(bytes[j], b'\r' | b'\n') {
            j += 1;
        }
        if j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
            while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
                j += 1;
            }
            out.push(' ');
        }
        start = j;
        match memchr::memchr2(b'\r', b'\n', &bytes[j..]) {
            Some(n) => i = j + n,
            None => break,
        }
    }
    out.push_str(&s[start..]);
    out
}

/// Whether a mailbox's address could receive mail: a local part, `@`, and a domain of host-name
/// characters (letters, digits, `-`, dots between labels). A single label (`root@backup01`)
/// passes: internal systems send from such names.
fn deliverable(m: &Mailbox) -> bool {
    let Some((local, _)) = m.address.rsplit_once('@') else {
        return false;
    };
    let d = m.domain.as_str();
    !local.is_empty()
        && !d.is_empty()
        && !d.starts_with('.')
        && !d.contains("..")
        && d.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// The bare addresses of an address header, lower-case (no names, no domain analysis).
fn addresses(address: &Address<'_>) -> Vec<String> {
    let addrs: Box<dyn Iterator<Item = &mail_parser::Addr<'_>>> = match address {
        Address::List(list) => Box::new(list.iter()),
        Address::Group(groups) => Box::new(groups.iter().flat_map(|g| g.addresses.iter())),
    };
    addrs
        .filter_map(|a| a.address.as_deref().map(str::trim))
        .filter(|a| a.contains('@'))
        .take(limits::MAX_ADDRESSES)
        .map(str::to_lowercase)
        .collect()
}

fn mailboxes(address: &Address<'_>) -> Vec<Mailbox> {
    let addrs: Box<dyn Iterator<Item = &mail_parser::Addr<'_>>> = match address {
        Address::List(list) => Box::new(list.iter()),
        Address::Group(groups) => Box::new(groups.iter().flat_map(|g| g.addresses.iter())),
    };
    // An unquoted comma in a display name ("Microsoft account team, <x@evil.example>") splits
    // it into a name without an address and the real mailbox. Mail clients show the whole
    // text as the name, so the address-less pieces are joined onto the next mailbox's name.
    let mut out = Vec::new();
    let mut pending: Vec<&str> = Vec::new();
    for a in addrs.take(limits::MAX_ADDRESSES) {
        let address = a.address.as_deref().unwrap_or("");
        if address.trim().is_empty() {
            if let Some(name) = a.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                pending.push(name);
            }
            continue;
        }
        if pending.is_empty() {
            out.push(mailbox(a.name.as_deref(), address));
        } else {
            pending.extend(a.name.as_deref().map(str::trim).filter(|n| !n.is_empty()));
            out.push(mailbox(Some(&pending.join(", ")), address));
            pending.clear();
        }
    }
    if out.is_empty() && !pending.is_empty() {
        out.push(mailbox(Some(&pending.join(", ")), ""));
    }
    out
}

/// Builds a [`Mailbox`] from a display name and an address.
pub fn mailbox(name: Option<&str>, address: &str) -> Mailbox {
    let address = address.trim().trim_matches(['<', '>']).trim();
    let domain = address
        .rsplit_once('@')
        .map(|(_, d)| normalize_host(d))
        .unwrap_or_default();
    let registrable = crate::domain::registrable_domain(&domain).map(str::to_string);
    let name = name
        .map(|n| n.trim().trim_matches('"').trim())
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    Mailbox {
        name,
        address: address.to_string(),
        domain,
        registrable,
    }
}

/// Lower-case ASCII form of a host: trailing dot and brackets removed, IDNs as punycode.
/// Returns an empty string for hosts that cannot be converted.
pub fn normalize_host(host: &str) -> String {
    let host = host
        .trim()
        .trim_matches(['[', ']', '<', '>'])
        .trim_end_matches('.');
    if host.is_ascii() {
        return host.to_ascii_lowercase();
    }
    idna::domain_to_ascii(host).unwrap_or_default()
}

fn return_path(value: &str) -> Option<Mailbox> {
    let inner = value.trim();
    let inner = match (inner.find('<'), inner.rfind('>')) {
        (Some(a), Some(b)) if a < b => &inner[a + 1..b],
        _ => inner,
    };
    let inner = inner.trim();
    // `<>` is the null sender of bounces: no domain to compare.
    (!inner.is_empty()).then(|| mailbox(None, inner))
}

fn hop(index: usize, r: &crate::received::Fields<'_>, raw: &str) -> Hop {
    use crate::received::Host;
    let host = |h: Host<'_>| match h {
        Host::Name(n) => n.trim_end_matches('.').to_ascii_lowercase(),
        Host::Ip(ip) => ip.to_string(),
    };
    Hop {
        header_index: index,
        from_host: r.from.map(host),
        from_iprev: r
            .from_iprev
            .map(|s| s.trim_end_matches('.').to_ascii_lowercase())
            .or_else(|| unknown_reverse_name(raw).then(|| "unknown".to_string())),
        from_ip: r.from_ip,
        by_host: r.by.map(host),
        date: r.date.filter(|d| d.is_valid()).map(|d| d.to_timestamp()),
    }
}

/// Whether the receiving server wrote that the connecting address has no reverse name:
/// Postfix's `from helo.name (unknown [192.0.2.1])`. The name after `from` is then only what
/// the client said about itself. (mail-parser keeps only comments that look like host names.)
fn unknown_reverse_name(raw: &str) -> bool {
    let head = raw.trim_start();
    if !head
        .get(..5)
        .is_some_and(|w| w.eq_ignore_ascii_case("from "))
    {
        return false;
    }
    // `from NAME (unknown [`: the first comment, right after the claimed name.
    let rest = head[5..].trim_start();
    let after_name = rest
        .find(|c: char| c.is_whitespace() || c == '(')
        .map_or("", |i| &rest[i..]);
    after_name
        .trim_start()
        .get(..10)
        .is_some_and(|w| w.eq_ignore_ascii_case("(unknown ["))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postfix_unknown_reverse_name() {
        assert!(unknown_reverse_name(
            "from paypal.com (unknown [192.0.2.7]) by mx.example.net"
        ));
        assert!(unknown_reverse_name("  FROM helo (Unknown [2001:db8::1])"));
        assert!(!unknown_reverse_name(
            "from mail.example.com (mail.example.com [192.0.2.7])"
        ));
        assert!(!unknown_reverse_name(
            "by mx.example.net (unknown [192.0.2.7])"
        ));
        assert!(!unknown_reverse_name("from a (b) (unknown [192.0.2.7])"));
        assert!(!unknown_reverse_name("from"));
    }

    #[test]
    fn unfolds_headers() {
        assert_eq!(unfold("a\r\n b\n\tc"), "a b c");
        assert_eq!(unfold(" x \r\n"), "x");
        // The same as unfolding byte by byte and trimming afterwards.
        let slow = |s: &str| {
            let b = s.as_bytes();
            let (mut out, mut i) = (String::new(), 0);
            while i < b.len() {
                if !matches!(b[i], b'\r' | b'\n') {
                    let c = s[i..].chars().next().unwrap_or_default();
                    out.push(c);
                    i += c.len_utf8();
                    continue;
                }
                while i < b.len() && matches!(b[i], b'\r' | b'\n') {
                    i += 1;
                }
                if i < b.len() && matches!(b[i], b' ' | b'\t') {
                    while i < b.len() && matches!(b[i], b' ' | b'\t') {
                        i += 1;
                    }
                    out.push(' ');
                }
            }
            out.trim().to_string()
        };
        for s in [
            "\u{a0}a\r\n\u{a0}",
            "a\r\n\r\n",
            "\r\n a \r\n b \r\n",
            "a \r\n\tb\u{2003}\r\n ",
            "\r\n\r\n",
            "",
            "x\ry\nz",
        ] {
            assert_eq!(unfold(s), slow(s), "{s:?}");
        }
    }

    #[test]
    fn reads_basic_message() {
        let raw = b"From: \"Alice\" <alice@Mail.Example.co.uk>\r\nReply-To: bob@gmail.com\r\nSubject: hi\r\nDate: Tue, 6 Oct 2026 10:00:00 +0000\r\nMessage-ID: <1@x>\r\nReturn-Path: <bounce@esp.example.net>\r\n\r\nbody\r\n";
        let mail = Mail::from_raw(raw);
        assert_eq!(mail.from[0].name.as_deref(), Some("Alice"));
        assert_eq!(mail.from[0].domain, "mail.example.co.uk");
        assert_eq!(mail.reply_to[0].domain, "gmail.com");
        assert_eq!(mail.return_path.as_ref().unwrap().domain, "esp.example.net");
        assert_eq!(mail.subject.as_deref(), Some("hi"));
        assert_eq!(mail.date, Some(1791280800));
        assert_eq!(mail.text_bodies.len(), 1);
        assert!(mail.problems.is_empty(), "{:?}", mail.problems);
    }

    #[test]
    fn comma_in_display_name_keeps_the_address() {
        let raw = b"From: Microsoft account team ,_<no-reply@access.example>\r\n\r\nx\r\n";
        let mail = Mail::from_raw(raw);
        let from = mail.author().expect("a From mailbox");
        assert_eq!(from.address, "no-reply@access.example");
        assert!(
            from.name
                .as_deref()
                .unwrap_or("")
                .starts_with("Microsoft account team")
        );
        let raw = b"From: Kundenservice, jehd <service@stayfriends.example>\r\n\r\nx\r\n";
        let mail = Mail::from_raw(raw);
        assert_eq!(mail.from.len(), 1);
        assert_eq!(mail.from[0].name.as_deref(), Some("Kundenservice, jehd"));
    }

    #[test]
    fn attached_messages_are_read_to_a_depth() {
        // Five messages, each attached to the one above; the innermost says "level 4".
        let mut raw =
            String::from("From: a@inner.example\r\nSubject: level 4\r\n\r\nlevel 4 body\r\n");
        for level in (0..4).rev() {
            raw = format!(
                "From: a@outer.example\r\nTo: b@outer.example\r\nSubject: level {level}\r\n\
                 Content-Type: multipart/mixed; boundary=\"b{level}\"\r\n\r\n--b{level}\r\n\
                 Content-Type: text/plain\r\n\r\nlevel {level} body\r\n--b{level}\r\n\
                 Content-Type: message/rfc822\r\n\r\n{raw}\r\n--b{level}--\r\n"
            );
        }
        let mail = Mail::from_raw(raw.as_bytes());
        let bodies: Vec<&str> = mail.text_bodies.iter().map(|b| b.trim()).collect();
        assert_eq!(
            bodies,
            [
                "level 0 body",
                "level 1 body",
                "level 2 body",
                "level 3 body"
            ]
        );
        assert_eq!(mail.text_paths, ["1", "2.1", "2.2.1", "2.2.2.1"]);
        assert!(mail.limits_hit.contains(&"attached-message-depth"));
        assert_eq!(mail.to, ["b@outer.example"]);
    }

    #[test]
    fn garbage_is_a_problem_not_a_panic() {
        let mail = Mail::from_raw(b"\x00\x01\x02");
        assert!(!mail.problems.is_empty());
        let mail = Mail::from_raw(b"");
        assert!(mail.problems.contains(&Problem::NoHeaders));
    }

    #[test]
    fn detects_unterminated_multipart() {
        let raw = b"From: a@b.com\r\nContent-Type: multipart/mixed; boundary=XYZ\r\n\r\n--XYZ\r\nContent-Type: text/plain\r\n\r\nhello\r\n";
        let mail = Mail::from_raw(raw);
        assert!(
            mail.problems
                .iter()
                .any(|p| matches!(p, Problem::UnterminatedMultipart { .. }))
        );
    }
}
