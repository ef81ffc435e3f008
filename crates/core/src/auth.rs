//! Authentication results: parsing RFC 8601 `Authentication-Results`,
//! `ARC-Authentication-Results` (RFC 8617) and `Received-SPF` (RFC 7208 §9.1) header fields,
//! and deciding which of them to believe.
//!
//! Anyone can write an `Authentication-Results` field. Only the stamp added by the receiving
//! system the organisation trusts means anything, and it sits above everything the sender
//! wrote. [`believe`] therefore takes the top-level fields in message order and believes the
//! topmost stamp from a trusted authserv-id ([`Trust`]); lower stamps that borrow a trusted id
//! to claim a `pass` the believed stamp contradicts are reported as [`Forgery`].
//!
//! Parsing never fails and never panics: every string comes from an attacker. Comments (nested
//! to any depth), quoted strings, folding, missing authserv-ids (Microsoft 365), missing `;`
//! between results and plain garbage are tolerated; what cannot be understood is skipped.
//! Every loop is bounded: a field is read on its first [`MAX_FIELD_BYTES`] bytes, at most
//! [`MAX_RESULTS`] results per field, [`MAX_PROPS`] properties per result, values truncated to
//! [`MAX_VALUE_CHARS`] characters, and [`believe`] looks at no more than
//! [`MAX_AUTH_HEADERS`] relevant fields.

use crate::limits::{MAX_AUTH_HEADERS, MAX_EXCERPT_CHARS, MAX_HEADERS, clip};

/// Bytes of one header field value that are parsed; the rest is ignored.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// Results kept per header field.
pub const MAX_RESULTS: usize = 64;
/// Properties kept per result.
pub const MAX_PROPS: usize = 16;
/// Characters kept of a value (authserv-id, property value, reason).
pub const MAX_VALUE_CHARS: usize = 256;
/// Characters kept of a comment.
pub const MAX_COMMENT_CHARS: usize = MAX_EXCERPT_CHARS;
/// Longest method, result or property name accepted.
const MAX_KEYWORD_BYTES: usize = 64;

/// The [`Believed::authserv_id`] / [`Forgery::authserv_id`] label of Microsoft 365's (and
/// Outlook.com's) `Authentication-Results` stamp, which carries no authserv-id at all. It
/// cannot be confused with a real authserv-id written as a plain token, which cannot contain
/// spaces or parentheses.
pub const MICROSOFT_365: &str = "(microsoft 365)";

/// One `Authentication-Results` header field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuthResults {
    /// The authserv-id, lower-case; `None` when absent (Microsoft 365 writes none: its value
    /// starts with `method=result`).
    pub authserv_id: Option<String>,
    /// The optional version after the authserv-id (`mx.microsoft.com 1;`).
    pub version: Option<u32>,
    /// The results, in field order; empty for `; none` and for garbage.
    pub results: Vec<MethodResult>,
}

impl AuthResults {
    /// Microsoft's form: no authserv-id, the value starts with a result.
    pub fn is_id_less(&self) -> bool {
        self.authserv_id.is_none() && !self.results.is_empty()
    }
}

/// One `method=result` of an authentication results field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MethodResult {
    /// Lower-case: `spf`, `dkim`, `dmarc`, `arc`, `compauth`, `iprev`, `auth`, `bimi`, … Unknown
    /// methods are kept. A method version (`dkim/1`) is dropped.
    pub method: String,
    /// Lower-case: `pass`, `fail`, `softfail`, `neutral`, `none`, `temperror`, `permerror`,
    /// `policy`, `bestguesspass`, …
    pub result: String,
    /// `reason=…` (Microsoft's compauth writes `reason=001` and the like).
    pub reason: Option<String>,
    /// Properties as written, keys lower-case: `("header.from", "example.com")`,
    /// `("smtp.mailfrom", "a@example.com")`, `("header.i", "@example.com")`, and dot-less keys
    /// such as Microsoft's `("action", "quarantine")`.
    pub props: Vec<(String, String)>,
    /// The first comment of the result, whitespace collapsed:
    /// `p=REJECT sp=REJECT dis=QUARANTINE`,
    /// `google.com: domain of a@b.com designates 1.2.3.4 as permitted sender`.
    pub comment: Option<String>,
}

impl MethodResult {
    /// The value of property `key` (case-insensitive), the first one when repeated.
    pub fn prop(&self, key: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// `key=value` inside the comment (case-insensitive key), e.g. `p` in Google's DMARC
    /// comment `p=REJECT sp=REJECT dis=NONE` gives `REJECT`.
    pub fn comment_param(&self, key: &str) -> Option<&str> {
        let comment = self.comment.as_deref()?;
        comment
            .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ';')
            .find_map(|word| {
                let (k, v) = word.split_once('=')?;
                k.eq_ignore_ascii_case(key).then_some(v)
            })
    }

    /// `result == "pass"`.
    pub fn is_pass(&self) -> bool {
        self.result == "pass"
    }

    /// The domain the result is about: `header.d` (or the domain of `header.i`) for DKIM,
    /// `header.from` for DMARC, the domain of `smtp.mailfrom` (or `smtp.helo`) for SPF;
    /// otherwise the first of those present. Lower-case.
    pub fn domain(&self) -> Option<String> {
        let keys: &[&str] = match self.method.as_str() {
            "dkim" => &["header.d", "header.i"],
            "spf" => &["smtp.mailfrom", "smtp.helo"],
            _ => &["header.from", "header.d", "header.i", "smtp.mailfrom"],
        };
        keys.iter()
            .filter_map(|k| self.prop(k))
            .map(domain_of)
            .find(|d| !d.is_empty())
            .map(str::to_ascii_lowercase)
    }
}

/// The part after the last `@`, or the whole value: `a@b.com` and `@b.com` give `b.com`,
/// `b.com` gives `b.com`.
pub fn domain_of(value: &str) -> &str {
    match value.rfind('@') {
        Some(at) => value.get(at + 1..).unwrap_or(""),
        None => value,
    }
}

// ---------------------------------------------------------------------------------------------
// Lexing

fn is_wsp(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_delim(b: u8) -> bool {
    is_wsp(b) || matches!(b, b';' | b'=' | b'(' | b')' | b'"')
}

/// A byte cursor over a header value. `pos` always sits on a char boundary: it only moves by
/// one byte over ASCII bytes, and over anything else either by whole chars ([`Cursor::bump`])
/// or by scanning until an ASCII delimiter or the end.
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(value: &'a str) -> Self {
        Cursor {
            s: clip(value, MAX_FIELD_BYTES),
            pos: 0,
        }
    }

    fn len(&self) -> usize {
        self.s.len()
    }

    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    fn slice(&self, from: usize, to: usize) -> &'a str {
        self.s.get(from..to).unwrap_or("")
    }

    /// Advances over one char (at least one byte).
    fn bump(&mut self) {
        let n = self
            .s
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
            .map_or(1, char::len_utf8);
        self.pos = (self.pos + n).min(self.len());
    }

    /// Skips whitespace (folding included) and comments; returns the first comment's text.
    fn skip_cfws(&mut self) -> Option<&'a str> {
        let mut first = None;
        while let Some(b) = self.peek() {
            if is_wsp(b) {
                self.pos += 1;
            } else if b == b'(' {
                let text = self.comment();
                first = first.or(Some(text));
            } else {
                break;
            }
        }
        first
    }

    /// At `(`: consumes a comment, nested to any depth, unterminated ones to the end; returns
    /// the text between the outer parentheses.
    fn comment(&mut self) -> &'a str {
        let start = self.pos + 1;
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => {
                    self.pos += 1;
                    if self.pos < self.len() {
                        self.bump();
                    }
                    continue;
                }
                b'(' => depth += 1,
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        let text = self.slice(start, self.pos);
                        self.pos += 1;
                        return text;
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
        self.slice(start.min(self.len()), self.len())
    }

    /// At `"`: consumes a quoted string, unterminated ones to the end; returns its content
    /// with quoted-pairs resolved.
    fn quoted(&mut self) -> String {
        self.pos += 1;
        let mut out = String::new();
        let mut seg = self.pos;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    out.push_str(self.slice(seg, self.pos));
                    self.pos += 1;
                    return out;
                }
                b'\\' => {
                    out.push_str(self.slice(seg, self.pos));
                    self.pos += 1;
                    seg = self.pos;
                    if self.pos < self.len() {
                        self.bump();
                    }
                }
                _ => self.pos += 1,
            }
        }
        out.push_str(self.slice(seg, self.pos));
        out
    }

    /// A token or quoted string (or a mix such as `"john doe"@example.com`, kept as written).
    /// Stops at whitespace, `;`, `(`, `)` and, unless `allow_eq`, `=` (property values may
    /// hold base64 padding). Returns an empty string, without moving, at a delimiter.
    fn word(&mut self, allow_eq: bool) -> String {
        let start = self.pos;
        let stops = |b: u8| b != b'"' && is_delim(b) && !(allow_eq && b == b'=');
        if self.peek() == Some(b'"') {
            let content = self.quoted();
            if self.peek().is_none_or(stops) {
                return content;
            }
        }
        while let Some(b) = self.peek() {
            if b == b'"' {
                self.quoted();
            } else if stops(b) {
                break;
            } else {
                self.pos += 1;
            }
        }
        self.slice(start, self.pos).to_string()
    }
}

/// A value as kept: folding removed, trimmed, at most [`MAX_VALUE_CHARS`] characters.
fn clean_value(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|&c| c != '\r' && c != '\n')
        .take(MAX_VALUE_CHARS)
        .collect()
}

/// A comment as kept: whitespace runs collapsed, at most [`MAX_COMMENT_CHARS`] characters.
fn clean_comment(s: &str) -> String {
    let mut out = String::new();
    for (n, word) in s.split_whitespace().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.len() > MAX_COMMENT_CHARS * 4 {
            break;
        }
    }
    if out.chars().count() > MAX_COMMENT_CHARS {
        out = out.chars().take(MAX_COMMENT_CHARS).collect();
    }
    out
}

/// An RFC 8601 Keyword (letters, digits, `-`, `_`), bounded.
fn is_keyword(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_KEYWORD_BYTES
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A property name: `ptype.property` or a dot-less keyword (`action`).
fn is_prop_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_KEYWORD_BYTES
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Methods that start a new result even where a producer forgot the `;` before them.
fn is_known_method(s: &str) -> bool {
    matches!(
        s,
        "spf"
            | "dkim"
            | "dmarc"
            | "arc"
            | "compauth"
            | "iprev"
            | "auth"
            | "bimi"
            | "dkim-atps"
            | "dkim-adsp"
            | "domainkeys"
            | "sender-id"
            | "dnswl"
            | "rrvs"
            | "smime"
            | "vbr"
    )
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// Parses an `Authentication-Results` value. Never fails: what cannot be understood is
/// skipped. When the value starts with `method=result` (Microsoft 365) the authserv-id is
/// `None`.
pub fn parse_authentication_results(value: &str) -> AuthResults {
    let mut c = Cursor::new(value);
    let mut out = AuthResults::default();
    c.skip_cfws();
    let start = c.pos;
    let id = c.word(false);
    c.skip_cfws();
    if !id.is_empty() && matches!(c.peek(), Some(b'=' | b'/')) {
        // No authserv-id: the first token is already a method.
        c.pos = start;
    } else {
        let id = clean_value(&id).to_ascii_lowercase();
        if !id.is_empty() {
            out.authserv_id = Some(id);
        }
        let save = c.pos;
        let version = c.word(false);
        if !version.is_empty() && version.len() <= 9 && version.bytes().all(|b| b.is_ascii_digit())
        {
            out.version = version.parse().ok();
        } else {
            c.pos = save;
        }
    }
    parse_resinfos(&mut c, &mut out.results);
    out
}

/// Parses `resinfo`s up to the end: `; method=result [reason=…] [ptype.prop=value …]`.
fn parse_resinfos(c: &mut Cursor<'_>, results: &mut Vec<MethodResult>) {
    // The result that takes the properties read next, if any.
    let mut current: Option<usize> = None;
    // At the start of a resinfo (input start or after `;`): the next `key=` is a method.
    let mut fresh = true;
    // Every iteration moves the cursor by at least one byte.
    let mut steps = 0usize;
    while steps <= c.len() {
        steps += 1;
        if let Some(text) = c.skip_cfws()
            && let Some(r) = current.and_then(|i| results.get_mut(i))
            && r.comment.is_none()
        {
            r.comment = Some(clean_comment(text));
        }
        let Some(b) = c.peek() else { break };
        if b == b';' {
            c.pos += 1;
            fresh = true;
            current = None;
            continue;
        }
        let before = c.pos;
        let key = c.word(false);
        if c.pos == before {
            // A stray `)` or `=`.
            c.bump();
            continue;
        }
        c.skip_cfws();
        if c.peek() == Some(b'/') {
            // `method / version` with spaces around the slash.
            c.pos += 1;
            c.skip_cfws();
            c.word(false);
            c.skip_cfws();
        }
        if c.peek() != Some(b'=') {
            // A bare word: `none`, or garbage.
            continue;
        }
        c.pos += 1;
        c.skip_cfws();
        let key = key.to_ascii_lowercase();
        let base = key.split('/').next().unwrap_or("").trim();
        if fresh || is_known_method(base) {
            fresh = false;
            let result = c.word(false).to_ascii_lowercase();
            current = None;
            if is_keyword(base) && is_keyword(&result) {
                if results.len() >= MAX_RESULTS {
                    break;
                }
                results.push(MethodResult {
                    method: base.to_string(),
                    result,
                    ..MethodResult::default()
                });
                current = Some(results.len() - 1);
            }
        } else {
            let value = c.word(true);
            if let Some(r) = current.and_then(|i| results.get_mut(i)) {
                if key == "reason" {
                    if r.reason.is_none() {
                        r.reason = Some(clean_value(&value));
                    }
                } else if is_prop_key(&key) && r.props.len() < MAX_PROPS {
                    r.props.push((key, clean_value(&value)));
                }
            }
        }
    }
}

/// Parses an `ARC-Authentication-Results` value: `i=N;` then an `Authentication-Results`
/// payload. Without a leading `i=` the whole value is parsed as the payload and the instance
/// is `None`.
pub fn parse_arc_authentication_results(value: &str) -> (Option<u32>, AuthResults) {
    let mut c = Cursor::new(value);
    c.skip_cfws();
    let key = c.word(false);
    c.skip_cfws();
    if key.eq_ignore_ascii_case("i") && c.peek() == Some(b'=') {
        c.pos += 1;
        c.skip_cfws();
        let n = c.word(false);
        let instance = if n.len() <= 9 && n.bytes().all(|b| b.is_ascii_digit()) {
            n.parse().ok()
        } else {
            None
        };
        c.skip_cfws();
        if c.peek() == Some(b';') {
            c.pos += 1;
        }
        let rest = c.s.get(c.pos..).unwrap_or("");
        return (instance, parse_authentication_results(rest));
    }
    (None, parse_authentication_results(value))
}

/// Parses a `Received-SPF` value (RFC 7208 §9.1, and Microsoft's
/// `Pass (protection.outlook.com: domain of x designates 1.2.3.4 as permitted sender)
/// receiver=…; client-ip=…; helo=…;`) into an `spf` result.
///
/// The key-value pairs become properties (`client-ip`, `envelope-from`, `helo`, `receiver`,
/// …). So that `prop("smtp.mailfrom")` works whatever the source, `smtp.mailfrom` is added
/// from `envelope-from`, or else from the comment's `domain of X` (Microsoft and Google write
/// the checked domain or address only there). `None` when the value does not start with a
/// result keyword.
pub fn parse_received_spf(value: &str) -> Option<MethodResult> {
    let mut c = Cursor::new(value);
    c.skip_cfws();
    let result = c.word(false);
    if !is_keyword(&result) {
        return None;
    }
    let mut r = MethodResult {
        method: "spf".to_string(),
        result: result.to_ascii_lowercase(),
        ..MethodResult::default()
    };
    let mut steps = 0usize;
    while steps <= c.len() {
        steps += 1;
        if let Some(text) = c.skip_cfws()
            && r.comment.is_none()
        {
            r.comment = Some(clean_comment(text));
        }
        let Some(b) = c.peek() else { break };
        if b == b';' {
            c.pos += 1;
            continue;
        }
        let before = c.pos;
        let key = c.word(false);
        if c.pos == before {
            c.bump();
            continue;
        }
        c.skip_cfws();
        if c.peek() != Some(b'=') {
            continue;
        }
        c.pos += 1;
        c.skip_cfws();
        let value = c.word(true);
        let key = key.to_ascii_lowercase();
        if is_prop_key(&key) && r.props.len() < MAX_PROPS {
            r.props.push((key, clean_value(&value)));
        }
    }
    if r.prop("smtp.mailfrom").is_none() {
        let from = r
            .prop("envelope-from")
            .map(str::to_string)
            .or_else(|| r.comment.as_deref().and_then(spf_comment_domain))
            .filter(|v| !v.is_empty());
        if let Some(from) = from {
            r.props.push(("smtp.mailfrom".to_string(), from));
        }
    }
    Some(r)
}

/// `X` in `… domain of [transitioning] X designates|does not designate|discourages …`.
fn spf_comment_domain(comment: &str) -> Option<String> {
    let mut words = comment.split_whitespace();
    let mut prev = "";
    for word in words.by_ref().take(64) {
        if prev.eq_ignore_ascii_case("domain") && word.eq_ignore_ascii_case("of") {
            break;
        }
        prev = word;
    }
    let mut next = words.next()?;
    if next.eq_ignore_ascii_case("transitioning") {
        next = words.next()?;
    }
    let next = next.trim_matches(|c: char| matches!(c, '<' | '>' | ',' | ';' | ':'));
    (!next.is_empty()).then(|| clean_value(next))
}

/// The host a `Received-SPF` result was checked by: the comment's prefix before `:`
/// (`protection.outlook.com`, `google.com`, `mybox.example.org`), or `receiver=`.
fn spf_checker(r: &MethodResult) -> impl Iterator<Item = String> + '_ {
    let from_comment = r
        .comment
        .as_deref()
        .and_then(|c| c.split_once(':'))
        .map(|(host, _)| host.trim().to_ascii_lowercase());
    let receiver = r.prop("receiver").map(|v| v.trim().to_ascii_lowercase());
    from_comment.into_iter().chain(receiver)
}

// ---------------------------------------------------------------------------------------------
// Deciding what to believe

/// Which authserv-ids to believe.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trust<'a> {
    /// Configured trusted authserv-ids (compared case-insensitively, trailing dot ignored).
    pub ids: &'a [String],
    /// Also trust the built-in provider stamps: Google (`mx.google.com`) and Microsoft 365 /
    /// Outlook.com (the id-less stamp, `*.protection.outlook.com`, `*.prod.outlook.com`,
    /// `mx.microsoft.com`).
    pub providers: bool,
}

impl Trust<'_> {
    /// Whether `id` (an authserv-id or an SPF checker host) is trusted.
    pub fn trusts_id(&self, id: &str) -> bool {
        let id = id.trim().trim_end_matches('.');
        if id.is_empty() {
            return false;
        }
        self.ids
            .iter()
            .any(|t| t.trim().trim_end_matches('.').eq_ignore_ascii_case(id))
            || (self.providers && is_provider_id(&id.to_ascii_lowercase()))
    }

    /// Whether an `Authentication-Results` stamp is trusted; the id-less (Microsoft) form is
    /// trusted when the providers are.
    pub fn trusts(&self, ar: &AuthResults) -> bool {
        match ar.authserv_id.as_deref() {
            Some(id) => self.trusts_id(id),
            None => self.providers && ar.is_id_less(),
        }
    }

    fn trusts_spf_checker(&self, r: &MethodResult) -> bool {
        spf_checker(r).any(|host| {
            self.trusts_id(&host)
                || (self.providers
                    && (host == "google.com"
                        || host == "protection.outlook.com"
                        || host.ends_with(".protection.outlook.com")))
        })
    }
}

/// The built-in provider authserv-ids (lower-case input).
fn is_provider_id(id: &str) -> bool {
    id == "mx.google.com"
        || id == "protection.outlook.com"
        || id.ends_with(".protection.outlook.com")
        || id.ends_with(".prod.outlook.com")
        || id == "mx.microsoft.com"
        || id.ends_with(".mx.microsoft.com")
}

/// Which kind of field the believed results come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    AuthenticationResults,
    ArcAuthenticationResults {
        instance: Option<u32>,
    },
    /// No trusted stamp: only SPF, from a `Received-SPF` written by a trusted checker.
    ReceivedSpf,
}

/// What [`believe`] decided.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Believed {
    /// The authserv-id of the believed stamp, lower-case; [`MICROSOFT_365`] for Microsoft's
    /// id-less stamp; `None` when nothing was believed or only a `Received-SPF`.
    pub authserv_id: Option<String>,
    /// Index (in the given slice) of the believed field.
    pub header_index: Option<usize>,
    pub source: Option<Source>,
    /// Indices of further `Authentication-Results` fields of the same authserv-id and hop
    /// whose methods were merged in (see [`believe`], rule 3).
    pub merged: Vec<usize>,
    /// Index of the field the SPF result comes from (differs from `header_index` when it was
    /// taken from a `Received-SPF`).
    pub spf_index: Option<usize>,
    pub spf: Option<MethodResult>,
    /// Every DKIM result, in field order.
    pub dkim: Vec<MethodResult>,
    pub dmarc: Option<MethodResult>,
    pub compauth: Option<MethodResult>,
    pub arc: Option<MethodResult>,
    /// Lower stamps of trusted ids claiming a pass the believed stamp contradicts.
    pub forged: Vec<Forgery>,
    /// More than [`MAX_AUTH_HEADERS`] relevant fields: the rest were not looked at.
    pub truncated: bool,
}

impl Believed {
    /// Whether any DKIM result passed.
    pub fn dkim_pass(&self) -> bool {
        self.dkim.iter().any(MethodResult::is_pass)
    }
}

/// A lower `Authentication-Results` field that uses a trusted authserv-id to claim `pass`
/// where the believed stamp says otherwise.
#[derive(Clone, Debug, PartialEq)]
pub struct Forgery {
    pub header_index: usize,
    /// Lower-case; [`MICROSOFT_365`] for the id-less form.
    pub authserv_id: Option<String>,
    /// `spf`, `dkim`, `dmarc` or `compauth`.
    pub method: String,
    /// What the forged field claims (`pass`).
    pub claimed: String,
    /// What the believed stamp says for the method (for DKIM: for the claimed domain);
    /// `absent` when it has no DKIM result for that domain.
    pub believed: String,
    /// The domain the claim is about, when it names one (`header.d`, `header.from`,
    /// `smtp.mailfrom`).
    pub domain: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ar,
    Arc,
    Spf,
}

struct Field {
    index: usize,
    kind: Kind,
    instance: Option<u32>,
    ar: AuthResults,
    spf: Option<MethodResult>,
    trusted: bool,
}

fn label(ar: &AuthResults) -> Option<String> {
    match &ar.authserv_id {
        Some(id) => Some(id.clone()),
        None if ar.is_id_less() => Some(MICROSOFT_365.to_string()),
        None => None,
    }
}

/// Results Microsoft and others write for "would have passed" count as not contradicting a
/// lower `pass`.
fn pass_like(result: &str) -> bool {
    matches!(result, "pass" | "bestguesspass")
}

/// Decides which authentication results to believe.
///
/// `fields` are the top-level header fields in message order, newest (top) first, as
/// `(name, raw value)`; names are case-insensitive. Only `Authentication-Results`,
/// `ARC-Authentication-Results` and `Received-SPF` are looked at (at most
/// [`MAX_AUTH_HEADERS`] of them, then [`Believed::truncated`]); `Received` fields only mark
/// hop boundaries. `Authentication-Results-Original` (Microsoft's copy of a previous hop) is
/// never believed.
///
/// 1. The topmost `Authentication-Results` field whose authserv-id is trusted ([`Trust`]) is
///    believed.
/// 2. Without one, the trusted `ARC-Authentication-Results` with the highest `i=` (the topmost
///    on a tie). Then, if SPF is still unknown, the topmost `Received-SPF` is used when its
///    checker (comment prefix or `receiver=`) is trusted, or when a stamp was believed and no
///    `Received` field separates the two (same hop). Nothing else makes a `Received-SPF`
///    believable.
/// 3. Merging: receivers running one milter per method write one `Authentication-Results`
///    per method. Fields just below the believed one with the same (non-empty) authserv-id,
///    with no `Received` field and no other authserv-id in between, fill the methods the
///    believed field lacks (SPF, DMARC, compauth, ARC; DKIM results are appended when the
///    believed field itself has none, as OpenDKIM writes one field per signature).
///    Their indices are in [`Believed::merged`]. The id-less Microsoft stamp is never merged.
/// 4. Forgery: an `Authentication-Results` field below the believed one (not merged) whose
///    authserv-id is trusted (the id-less form included) and that claims `pass` for SPF,
///    DMARC or compauth where the believed result is present and not pass, or claims a DKIM
///    pass for a domain (`header.d`, else `header.i`) that no believed DKIM result passes
///    (any believed DKIM pass when the claim names no domain). Untrusted ids below (mailing
///    lists, relays) are not forgeries, nor are ARC fields (forwarders legitimately carry
///    earlier passes there). Without a believed stamp nothing is flagged.
///    Known false positive: mail forwarded from one trusted provider to another (Microsoft
///    365 to Gmail) can carry the first provider's genuine pass below the second's fail;
///    the believed `arc` result tells such forwarding apart.
pub fn believe(fields: &[(&str, &str)], trust: &Trust<'_>) -> Believed {
    let mut out = Believed::default();
    let mut relevant: Vec<Field> = Vec::new();
    let mut received: Vec<usize> = Vec::new();
    for (index, (name, value)) in fields.iter().enumerate().take(MAX_HEADERS) {
        let name = name.trim();
        let kind = if name.eq_ignore_ascii_case("authentication-results") {
            Kind::Ar
        } else if name.eq_ignore_ascii_case("arc-authentication-results") {
            Kind::Arc
        } else if name.eq_ignore_ascii_case("received-spf") {
            Kind::Spf
        } else {
            if name.eq_ignore_ascii_case("received") {
                received.push(index);
            }
            continue;
        };
        if relevant.len() >= MAX_AUTH_HEADERS {
            out.truncated = true;
            break;
        }
        let mut field = Field {
            index,
            kind,
            instance: None,
            ar: AuthResults::default(),
            spf: None,
            trusted: false,
        };
        match kind {
            Kind::Ar => {
                field.ar = parse_authentication_results(value);
                field.trusted = trust.trusts(&field.ar);
            }
            Kind::Arc => {
                let (instance, ar) = parse_arc_authentication_results(value);
                field.instance = instance;
                field.trusted = ar.authserv_id.is_some() && trust.trusts(&ar);
                field.ar = ar;
            }
            Kind::Spf => field.spf = parse_received_spf(value),
        }
        relevant.push(field);
    }
    let received_between = |a: usize, b: usize| {
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        received.iter().any(|&r| lo < r && r < hi)
    };

    // Rules 1 and 2: the stamp.
    let mut stamp = relevant
        .iter()
        .position(|f| f.kind == Kind::Ar && f.trusted);
    if stamp.is_none() {
        for (i, f) in relevant.iter().enumerate() {
            if f.kind != Kind::Arc || !f.trusted {
                continue;
            }
            let better = match stamp.and_then(|s| relevant.get(s)) {
                None => true,
                Some(best) => f.instance.unwrap_or(0) > best.instance.unwrap_or(0),
            };
            if better {
                stamp = Some(i);
            }
        }
    }

    if let Some(field) = stamp.and_then(|s| relevant.get(s)) {
        out.authserv_id = label(&field.ar);
        out.header_index = Some(field.index);
        out.source = Some(match field.kind {
            Kind::Arc => Source::ArcAuthenticationResults {
                instance: field.instance,
            },
            _ => Source::AuthenticationResults,
        });
        take_results(&mut out, &field.ar, field.index);

        // Rule 3: merge same-id, same-hop fields just below — only for authserv-ids the
        // policy configured (OpenDKIM-style one-field-per-method stamps). Google and Microsoft
        // write one field per message, so a second "mx.google.com" field right below is the
        // sender's, and a field that contradicts the believed one is never merged.
        let configured = field
            .ar
            .authserv_id
            .as_deref()
            .is_some_and(|id| trust.ids.iter().any(|t| t.eq_ignore_ascii_case(id)));
        if field.kind == Kind::Ar && configured {
            let start = stamp.unwrap_or(0) + 1;
            let top_had_dkim = !out.dkim.is_empty();
            for other in relevant.get(start..).unwrap_or_default() {
                if other.kind != Kind::Ar {
                    continue;
                }
                if other.ar.authserv_id != field.ar.authserv_id
                    || received_between(field.index, other.index)
                {
                    break;
                }
                if contradicts(&out, &other.ar) {
                    break;
                }
                fill_missing(&mut out, &other.ar, other.index, top_had_dkim);
                out.merged.push(other.index);
            }
        }
    }

    // Rule 2, SPF from Received-SPF.
    if out.spf.is_none() {
        let top_spf = relevant.iter().find(|f| f.kind == Kind::Spf);
        if let Some((field, spf)) = top_spf.and_then(|f| f.spf.as_ref().map(|s| (f, s))) {
            let same_hop = out
                .header_index
                .is_some_and(|h| !received_between(h, field.index));
            if same_hop || trust.trusts_spf_checker(spf) {
                out.spf = Some(spf.clone());
                out.spf_index = Some(field.index);
                if out.source.is_none() {
                    out.source = Some(Source::ReceivedSpf);
                    out.header_index = Some(field.index);
                }
            }
        }
    }

    // Rule 4: forgeries.
    if let Some(believed_index) = stamp.and_then(|s| relevant.get(s)).map(|f| f.index) {
        for f in &relevant {
            if f.kind != Kind::Ar
                || f.index <= believed_index
                || !f.trusted
                || out.merged.contains(&f.index)
            {
                continue;
            }
            find_forgeries(&mut out, f);
        }
    }
    out
}

/// Takes the believed results from `ar` (field `index`).
fn take_results(out: &mut Believed, ar: &AuthResults, index: usize) {
    fill_missing(out, ar, index, false);
}

/// Fills methods `out` lacks from `ar`; DKIM results are appended unless `skip_dkim`.
fn fill_missing(out: &mut Believed, ar: &AuthResults, index: usize, skip_dkim: bool) {
    for r in &ar.results {
        match r.method.as_str() {
            "spf" if out.spf.is_none() => {
                out.spf = Some(r.clone());
                out.spf_index = Some(index);
            }
            "dkim" if !skip_dkim => out.dkim.push(r.clone()),
            "dmarc" if out.dmarc.is_none() => out.dmarc = Some(r.clone()),
            "compauth" if out.compauth.is_none() => out.compauth = Some(r.clone()),
            "arc" if out.arc.is_none() => out.arc = Some(r.clone()),
            _ => {}
        }
    }
}

fn find_forgeries(out: &mut Believed, f: &Field) {
    let mut found: Vec<Forgery> = Vec::new();
    for method in ["spf", "dkim", "dmarc", "compauth"] {
        for claim in
            f.ar.results
                .iter()
                .filter(|r| r.method == method && r.is_pass())
        {
            let domain = claim.domain();
            let believed = match method {
                "dkim" => believed_dkim_contradiction(&out.dkim, domain.as_deref()),
                "spf" => contradiction(out.spf.as_ref()),
                "dmarc" => contradiction(out.dmarc.as_ref()),
                _ => contradiction(out.compauth.as_ref()),
            };
            if let Some(believed) = believed {
                found.push(Forgery {
                    header_index: f.index,
                    authserv_id: label(&f.ar),
                    method: method.to_string(),
                    claimed: claim.result.clone(),
                    believed,
                    domain,
                });
                // One forgery per method and field.
                break;
            }
        }
    }
    out.forged.extend(found);
}

/// The believed result when it exists and is not a pass.
fn contradiction(believed: Option<&MethodResult>) -> Option<String> {
    believed
        .filter(|r| !pass_like(&r.result))
        .map(|r| r.result.clone())
}

/// Whether `ar` claims a pass for a method the believed stamp already settled otherwise
/// (a same-hop field that does this is not merged: it is examined as a possible forgery).
fn contradicts(out: &Believed, ar: &AuthResults) -> bool {
    ar.results
        .iter()
        .filter(|r| r.is_pass())
        .any(|claim| match claim.method.as_str() {
            "dkim" => {
                !out.dkim.is_empty()
                    && believed_dkim_contradiction(&out.dkim, claim.domain().as_deref()).is_some()
            }
            "spf" => contradiction(out.spf.as_ref()).is_some(),
            "dmarc" => contradiction(out.dmarc.as_ref()).is_some(),
            "compauth" => contradiction(out.compauth.as_ref()).is_some(),
            _ => false,
        })
}

/// For a claimed DKIM pass about `domain`: the believed result contradicting it, if any.
fn believed_dkim_contradiction(believed: &[MethodResult], domain: Option<&str>) -> Option<String> {
    let about: Vec<&MethodResult> = match domain {
        Some(d) => believed
            .iter()
            .filter(|r| r.domain().as_deref() == Some(d))
            .collect(),
        None => believed.iter().collect(),
    };
    if about.iter().any(|r| r.is_pass()) {
        return None;
    }
    Some(
        about
            .first()
            .map_or_else(|| "absent".to_string(), |r| r.result.clone()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const GMAIL_PASS: &str = "mx.google.com;\r\n       dkim=pass header.i=@example.com header.s=20230601 header.b=AbC+/1xy;\r\n       spf=pass (google.com: domain of alice@example.com designates 209.85.220.41 as permitted sender) smtp.mailfrom=alice@example.com;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com";
    const GMAIL_FAIL: &str = "mx.google.com;\r\n       spf=fail (google.com: domain of billing@paypal.com does not designate 203.0.113.7 as permitted sender) smtp.mailfrom=billing@paypal.com;\r\n       dmarc=fail (p=REJECT sp=REJECT dis=REJECT) header.from=paypal.com";
    const M365_FAIL: &str = "spf=none (sender IP is 203.0.113.7)\r\n smtp.mailfrom=paypal.com; dkim=none (message not signed)\r\n header.d=none;dmarc=fail action=quarantine\r\n header.from=paypal.com;compauth=fail reason=001";
    const M365_PASS: &str = "spf=pass (sender IP is 209.85.220.41) smtp.mailfrom=example.com; dkim=pass (signature was verified) header.d=example.com;dmarc=pass action=none header.from=example.com;compauth=pass reason=100";
    const M365_ARC: &str = "i=1; mx.microsoft.com 1; spf=pass\r\n smtp.mailfrom=example.com; dmarc=pass action=none header.from=example.com;\r\n dkim=pass header.d=example.com; arc=none";
    const SPF_MS_PASS: &str = "Pass (protection.outlook.com: domain of example.com designates 209.85.220.41 as permitted sender) receiver=protection.outlook.com; client-ip=209.85.220.41; helo=mail-sor-f41.google.com; pr=C";
    const SPF_MS_SOFTFAIL: &str = "SoftFail (protection.outlook.com: domain of transitioning example.com discourages use of 203.0.113.7 as permitted sender)";
    const SPF_MS_FAIL: &str = "Fail (protection.outlook.com: domain of example.com does not designate 203.0.113.7 as permitted sender) receiver=protection.outlook.com; client-ip=203.0.113.7; helo=evil.example;";

    const PROVIDERS: Trust<'static> = Trust {
        ids: &[],
        providers: true,
    };

    fn one<'a>(ar: &'a AuthResults, method: &str) -> &'a MethodResult {
        let found = ar.results.iter().find(|r| r.method == method);
        assert!(found.is_some(), "no {method} in {ar:?}");
        found.unwrap_or_else(|| unreachable!())
    }

    fn methods(ar: &AuthResults) -> Vec<(&str, &str)> {
        ar.results
            .iter()
            .map(|r| (r.method.as_str(), r.result.as_str()))
            .collect()
    }

    /// Tiny deterministic generator for garbage inputs (the engine has no randomness).
    struct XorShift(u64);
    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    // --- parsing: real-shaped stamps ---------------------------------------------------------

    #[test]
    fn gmail_pass() {
        let ar = parse_authentication_results(GMAIL_PASS);
        assert_eq!(ar.authserv_id.as_deref(), Some("mx.google.com"));
        assert_eq!(ar.version, None);
        assert_eq!(
            methods(&ar),
            vec![("dkim", "pass"), ("spf", "pass"), ("dmarc", "pass")]
        );
        let dkim = one(&ar, "dkim");
        assert_eq!(dkim.prop("header.i"), Some("@example.com"));
        assert_eq!(dkim.prop("header.s"), Some("20230601"));
        assert_eq!(dkim.prop("header.b"), Some("AbC+/1xy"));
        assert_eq!(dkim.domain().as_deref(), Some("example.com"));
        let spf = one(&ar, "spf");
        assert_eq!(spf.prop("smtp.mailfrom"), Some("alice@example.com"));
        assert_eq!(spf.domain().as_deref(), Some("example.com"));
        assert_eq!(
            spf.comment.as_deref(),
            Some(
                "google.com: domain of alice@example.com designates 209.85.220.41 as permitted sender"
            )
        );
        let dmarc = one(&ar, "dmarc");
        assert_eq!(dmarc.prop("header.from"), Some("example.com"));
        assert_eq!(dmarc.comment_param("p"), Some("REJECT"));
        assert_eq!(dmarc.comment_param("dis"), Some("NONE"));
    }

    #[test]
    fn gmail_fail_with_reject_policy() {
        let ar = parse_authentication_results(GMAIL_FAIL);
        assert_eq!(methods(&ar), vec![("spf", "fail"), ("dmarc", "fail")]);
        let dmarc = one(&ar, "dmarc");
        assert_eq!(
            dmarc.comment.as_deref(),
            Some("p=REJECT sp=REJECT dis=REJECT")
        );
        assert_eq!(dmarc.comment_param("P"), Some("REJECT"));
        assert_eq!(dmarc.domain().as_deref(), Some("paypal.com"));
    }

    #[test]
    fn microsoft_id_less() {
        let ar = parse_authentication_results(M365_FAIL);
        assert_eq!(ar.authserv_id, None);
        assert!(ar.is_id_less());
        assert_eq!(
            methods(&ar),
            vec![
                ("spf", "none"),
                ("dkim", "none"),
                ("dmarc", "fail"),
                ("compauth", "fail")
            ]
        );
        let dmarc = one(&ar, "dmarc");
        assert_eq!(dmarc.prop("action"), Some("quarantine"));
        assert_eq!(dmarc.prop("header.from"), Some("paypal.com"));
        let compauth = one(&ar, "compauth");
        assert_eq!(compauth.reason.as_deref(), Some("001"));
        assert_eq!(one(&ar, "dkim").prop("header.d"), Some("none"));
        assert_eq!(
            one(&ar, "spf").comment.as_deref(),
            Some("sender IP is 203.0.113.7")
        );
    }

    #[test]
    fn microsoft_pass_no_space_after_semicolon() {
        let ar = parse_authentication_results(M365_PASS);
        assert_eq!(ar.authserv_id, None);
        assert_eq!(ar.results.len(), 4);
        let dmarc = one(&ar, "dmarc");
        assert_eq!(
            dmarc.props,
            vec![
                ("action".to_string(), "none".to_string()),
                ("header.from".to_string(), "example.com".to_string())
            ]
        );
        assert_eq!(one(&ar, "compauth").reason.as_deref(), Some("100"));
        assert_eq!(
            one(&ar, "dkim").comment.as_deref(),
            Some("signature was verified")
        );
    }

    #[test]
    fn arc_authentication_results_microsoft() {
        let (i, ar) = parse_arc_authentication_results(M365_ARC);
        assert_eq!(i, Some(1));
        assert_eq!(ar.authserv_id.as_deref(), Some("mx.microsoft.com"));
        assert_eq!(ar.version, Some(1));
        assert_eq!(
            methods(&ar),
            vec![
                ("spf", "pass"),
                ("dmarc", "pass"),
                ("dkim", "pass"),
                ("arc", "none")
            ]
        );
    }

    #[test]
    fn arc_authentication_results_google_with_arc_comment() {
        let v = "i=2; mx.google.com;\r\n       dkim=pass header.i=@lists.example.org;\r\n       arc=pass (i=1 spf=pass spfdomain=example.com dkim=pass dkdomain=example.com dmarc=pass fromdomain=example.com);\r\n       spf=pass (google.com: domain of list-bounces@lists.example.org designates 192.0.2.9 as permitted sender) smtp.mailfrom=list-bounces@lists.example.org";
        let (i, ar) = parse_arc_authentication_results(v);
        assert_eq!(i, Some(2));
        assert_eq!(ar.authserv_id.as_deref(), Some("mx.google.com"));
        assert_eq!(
            methods(&ar),
            vec![("dkim", "pass"), ("arc", "pass"), ("spf", "pass")]
        );
        let arc = one(&ar, "arc");
        assert_eq!(arc.comment_param("spfdomain"), Some("example.com"));
        assert_eq!(arc.comment_param("dmarc"), Some("pass"));
    }

    #[test]
    fn arc_without_instance_is_parsed_whole() {
        let (i, ar) = parse_arc_authentication_results("mx.example.net; spf=pass");
        assert_eq!(i, None);
        assert_eq!(ar.authserv_id.as_deref(), Some("mx.example.net"));
        assert_eq!(methods(&ar), vec![("spf", "pass")]);
        let (i, ar) = parse_arc_authentication_results("i=x; mx.example.net; spf=pass");
        assert_eq!(i, None);
        assert_eq!(ar.authserv_id.as_deref(), Some("mx.example.net"));
        let (i, _) = parse_arc_authentication_results("i=99999999999999; mx; spf=pass");
        assert_eq!(i, None);
        let (i, ar) = parse_arc_authentication_results(" i = 3 ; mx.example.net 1; dkim=fail");
        assert_eq!(i, Some(3));
        assert_eq!(ar.version, Some(1));
    }

    #[test]
    fn version_after_authserv_id() {
        let ar = parse_authentication_results("mx.google.com 1; spf=pass smtp.mailfrom=a@b.com");
        assert_eq!(ar.authserv_id.as_deref(), Some("mx.google.com"));
        assert_eq!(ar.version, Some(1));
        assert_eq!(methods(&ar), vec![("spf", "pass")]);
    }

    #[test]
    fn authserv_id_is_lower_cased_and_may_have_comment() {
        let ar = parse_authentication_results(
            "(first comment) MX.Example.COM (the receiver) ; SPF=Pass smtp.MailFrom=Bob@Example.COM",
        );
        assert_eq!(ar.authserv_id.as_deref(), Some("mx.example.com"));
        let spf = one(&ar, "spf");
        assert_eq!(spf.result, "pass");
        assert_eq!(spf.props[0].0, "smtp.mailfrom");
        // Values are kept as written.
        assert_eq!(spf.prop("SMTP.MAILFROM"), Some("Bob@Example.COM"));
    }

    #[test]
    fn none_result_set() {
        let ar = parse_authentication_results("mx.example.com; none");
        assert_eq!(ar.authserv_id.as_deref(), Some("mx.example.com"));
        assert!(ar.results.is_empty());
        assert!(!ar.is_id_less());
        let ar = parse_authentication_results("mx.example.com 1 ;\r\n\tnone (nothing checked)");
        assert_eq!(ar.version, Some(1));
        assert!(ar.results.is_empty());
    }

    #[test]
    fn nested_comments() {
        let ar = parse_authentication_results(
            "mx.example.com; spf=pass (outer (inner (deepest)) still outer) smtp.mailfrom=a@b.com; dkim=fail (bad (very bad) signature) header.d=b.com",
        );
        assert_eq!(methods(&ar), vec![("spf", "pass"), ("dkim", "fail")]);
        assert_eq!(
            one(&ar, "spf").comment.as_deref(),
            Some("outer (inner (deepest)) still outer")
        );
        assert_eq!(one(&ar, "spf").prop("smtp.mailfrom"), Some("a@b.com"));
        assert_eq!(one(&ar, "dkim").prop("header.d"), Some("b.com"));
    }

    #[test]
    fn comments_everywhere_and_escaped_parens() {
        let ar = parse_authentication_results(
            "mx.example.com (c1); (c2) dkim (c3) = (c4) pass (c5 \\) not the end) header.d (c6) = example.com",
        );
        let dkim = one(&ar, "dkim");
        assert_eq!(dkim.result, "pass");
        assert_eq!(dkim.comment.as_deref(), Some("c5 \\) not the end"));
        // CFWS before the `=` of a property is tolerated; after it too.
        assert_eq!(dkim.prop("header.d"), Some("example.com"));
    }

    #[test]
    fn quoted_strings_with_semicolons() {
        let ar = parse_authentication_results(
            "mx.example.com; dkim=fail reason=\"signature verification failed; body hash mismatch\" header.d=example.com; spf=pass smtp.mailfrom=\"john; doe\"@example.com",
        );
        assert_eq!(methods(&ar), vec![("dkim", "fail"), ("spf", "pass")]);
        let dkim = one(&ar, "dkim");
        assert_eq!(
            dkim.reason.as_deref(),
            Some("signature verification failed; body hash mismatch")
        );
        assert_eq!(dkim.prop("header.d"), Some("example.com"));
        let spf = one(&ar, "spf");
        assert_eq!(spf.prop("smtp.mailfrom"), Some("\"john; doe\"@example.com"));
        assert_eq!(spf.domain().as_deref(), Some("example.com"));
    }

    #[test]
    fn quoted_authserv_id_and_escapes() {
        let ar = parse_authentication_results("\"mx \\\"odd\\\" id\"; spf=pass");
        assert_eq!(ar.authserv_id.as_deref(), Some("mx \"odd\" id"));
        assert_eq!(methods(&ar), vec![("spf", "pass")]);
    }

    #[test]
    fn folding_lf_only_and_tabs() {
        let ar = parse_authentication_results(
            "mx.example.com;\n\tspf=pass\n\t smtp.mailfrom=a@b.com;\n\tdkim=pass\n header.d=b.com",
        );
        assert_eq!(methods(&ar), vec![("spf", "pass"), ("dkim", "pass")]);
        assert_eq!(one(&ar, "dkim").prop("header.d"), Some("b.com"));
    }

    #[test]
    fn folded_comment_is_collapsed() {
        let ar = parse_authentication_results(
            "mx.google.com; spf=pass (google.com: domain of\r\n a@b.com designates\r\n\t1.2.3.4 as permitted sender) smtp.mailfrom=a@b.com",
        );
        assert_eq!(
            one(&ar, "spf").comment.as_deref(),
            Some("google.com: domain of a@b.com designates 1.2.3.4 as permitted sender")
        );
    }

    #[test]
    fn multiple_dkim_results() {
        let ar = parse_authentication_results(
            "mx.google.com; dkim=pass header.i=@example.com header.s=s1 header.b=abc; dkim=pass header.i=@esp.example.net header.s=s2 header.b=def; dkim=fail header.i=@other.example header.b=ghi",
        );
        let dkim: Vec<_> = ar.results.iter().filter(|r| r.method == "dkim").collect();
        assert_eq!(dkim.len(), 3);
        assert_eq!(dkim[1].domain().as_deref(), Some("esp.example.net"));
        assert_eq!(dkim[2].result, "fail");
    }

    #[test]
    fn base64_padding_in_property_value() {
        let ar = parse_authentication_results("mx; dkim=pass header.b=AbC+/1==; spf=pass");
        assert_eq!(one(&ar, "dkim").prop("header.b"), Some("AbC+/1=="));
        assert_eq!(methods(&ar), vec![("dkim", "pass"), ("spf", "pass")]);
    }

    #[test]
    fn unknown_methods_kept_and_method_version_dropped() {
        let ar = parse_authentication_results(
            "mx.example.com; x-custom=ok x.y=z; iprev=pass policy.iprev=192.0.2.1; dkim/1=pass header.d=a.com; auth = pass smtp.auth=bob; bimi=skipped; dkim-atps=neutral",
        );
        assert_eq!(
            methods(&ar),
            vec![
                ("x-custom", "ok"),
                ("iprev", "pass"),
                ("dkim", "pass"),
                ("auth", "pass"),
                ("bimi", "skipped"),
                ("dkim-atps", "neutral")
            ]
        );
        assert_eq!(one(&ar, "x-custom").prop("x.y"), Some("z"));
        assert_eq!(one(&ar, "auth").prop("smtp.auth"), Some("bob"));
        let ar = parse_authentication_results("mx; dkim / 1 = pass header.d=a.com");
        assert_eq!(methods(&ar), vec![("dkim", "pass")]);
    }

    #[test]
    fn missing_semicolon_between_known_methods() {
        let ar = parse_authentication_results(
            "mx.example.com; spf=pass smtp.mailfrom=a.com dkim=pass header.d=a.com dmarc=pass header.from=a.com",
        );
        assert_eq!(
            methods(&ar),
            vec![("spf", "pass"), ("dkim", "pass"), ("dmarc", "pass")]
        );
        assert_eq!(one(&ar, "dmarc").prop("header.from"), Some("a.com"));
    }

    #[test]
    fn missing_authserv_id_with_leading_semicolon() {
        let ar = parse_authentication_results("; spf=pass smtp.mailfrom=a.com");
        assert_eq!(ar.authserv_id, None);
        assert!(ar.is_id_less());
        assert_eq!(methods(&ar), vec![("spf", "pass")]);
        let ar = parse_authentication_results("");
        assert_eq!(ar, AuthResults::default());
        assert!(!ar.is_id_less());
    }

    #[test]
    fn authserv_id_followed_by_result_without_semicolon() {
        let ar = parse_authentication_results("mx.example.com spf=pass");
        assert_eq!(ar.authserv_id.as_deref(), Some("mx.example.com"));
        assert_eq!(methods(&ar), vec![("spf", "pass")]);
    }

    #[test]
    fn invalid_methods_and_results_are_skipped() {
        let ar = parse_authentication_results(
            "mx; sp@f=pass header.d=x; dkim=\"pa ss\" header.d=y; =pass; dkim=; dmarc=pass header.from=z",
        );
        assert_eq!(methods(&ar), vec![("dmarc", "pass")]);
        assert_eq!(one(&ar, "dmarc").props.len(), 1);
    }

    #[test]
    fn first_reason_and_first_comment_win() {
        let ar = parse_authentication_results(
            "mx; dkim=fail (one) reason=first (two) reason=second header.d=a.com",
        );
        let dkim = one(&ar, "dkim");
        assert_eq!(dkim.reason.as_deref(), Some("first"));
        assert_eq!(dkim.comment.as_deref(), Some("one"));
        assert_eq!(dkim.props.len(), 1);
    }

    #[test]
    fn non_ascii_values_survive() {
        let ar = parse_authentication_results(
            "mx.bücher.example; dmarc=fail header.from=bücher.example (ümlaut)",
        );
        assert_eq!(ar.authserv_id.as_deref(), Some("mx.bücher.example"));
        let dmarc = one(&ar, "dmarc");
        assert_eq!(dmarc.prop("header.from"), Some("bücher.example"));
        assert_eq!(dmarc.comment.as_deref(), Some("ümlaut"));
    }

    #[test]
    fn domain_of_cases() {
        assert_eq!(domain_of("a@b.com"), "b.com");
        assert_eq!(domain_of("@b.com"), "b.com");
        assert_eq!(domain_of("b.com"), "b.com");
        assert_eq!(domain_of("\"x@y\"@b.com"), "b.com");
        assert_eq!(domain_of("a@"), "");
        assert_eq!(domain_of(""), "");
    }

    // --- parsing: Received-SPF ---------------------------------------------------------------

    #[test]
    fn received_spf_microsoft_pass() {
        let r = parse_received_spf(SPF_MS_PASS);
        let r = r.unwrap_or_default();
        assert_eq!(r.method, "spf");
        assert_eq!(r.result, "pass");
        assert_eq!(r.prop("receiver"), Some("protection.outlook.com"));
        assert_eq!(r.prop("client-ip"), Some("209.85.220.41"));
        assert_eq!(r.prop("helo"), Some("mail-sor-f41.google.com"));
        assert_eq!(r.prop("pr"), Some("C"));
        assert_eq!(r.prop("smtp.mailfrom"), Some("example.com"));
        assert!(
            r.comment
                .as_deref()
                .is_some_and(|c| c.starts_with("protection.outlook.com: domain of example.com"))
        );
    }

    #[test]
    fn received_spf_microsoft_softfail_and_fail() {
        let r = parse_received_spf(SPF_MS_SOFTFAIL).unwrap_or_default();
        assert_eq!(r.result, "softfail");
        assert_eq!(r.prop("smtp.mailfrom"), Some("example.com"));
        assert!(r.props.iter().all(|(k, _)| k == "smtp.mailfrom"));
        let r = parse_received_spf(SPF_MS_FAIL).unwrap_or_default();
        assert_eq!(r.result, "fail");
        assert_eq!(r.prop("client-ip"), Some("203.0.113.7"));
        assert_eq!(r.prop("helo"), Some("evil.example"));
        assert_eq!(r.prop("smtp.mailfrom"), Some("example.com"));
    }

    #[test]
    fn received_spf_rfc7208_form() {
        let r = parse_received_spf(
            "pass (mybox.example.org: domain of myname@example.com designates 192.0.2.1 as permitted sender)\r\n receiver=mybox.example.org; client-ip=192.0.2.1;\r\n envelope-from=\"myname@example.com\"; helo=foo.example.com;",
        )
        .unwrap_or_default();
        assert_eq!(r.result, "pass");
        assert_eq!(r.prop("envelope-from"), Some("myname@example.com"));
        assert_eq!(r.prop("smtp.mailfrom"), Some("myname@example.com"));
        assert_eq!(r.prop("receiver"), Some("mybox.example.org"));
        let r = parse_received_spf(
            "None (protection.outlook.com: example.com does not designate permitted sender hosts)",
        )
        .unwrap_or_default();
        assert_eq!(r.result, "none");
        assert_eq!(r.prop("smtp.mailfrom"), None);
    }

    #[test]
    fn received_spf_google() {
        let r = parse_received_spf(
            "pass (google.com: domain of alice@example.com designates 209.85.220.41 as permitted sender) client-ip=209.85.220.41;",
        )
        .unwrap_or_default();
        assert_eq!(r.result, "pass");
        assert_eq!(r.prop("smtp.mailfrom"), Some("alice@example.com"));
        assert_eq!(r.domain().as_deref(), Some("example.com"));
    }

    #[test]
    fn received_spf_garbage() {
        assert_eq!(parse_received_spf(""), None);
        assert_eq!(parse_received_spf("   (only a comment)"), None);
        assert_eq!(parse_received_spf("=;=;="), None);
        assert_eq!(parse_received_spf("p@ss client-ip=1"), None);
        let r = parse_received_spf("neutral ((((((").unwrap_or_default();
        assert_eq!(r.result, "neutral");
    }

    // --- parsing: garbage and bounds ---------------------------------------------------------

    fn parse_everything(s: &str) {
        let _ = parse_authentication_results(s);
        let _ = parse_arc_authentication_results(s);
        let _ = parse_received_spf(s);
        let fields = [
            ("Authentication-Results", s),
            ("ARC-Authentication-Results", s),
            ("Received-SPF", s),
            ("Authentication-Results", M365_FAIL),
            ("Authentication-Results", s),
        ];
        let _ = believe(&fields, &PROVIDERS);
    }

    #[test]
    fn garbage_random_bytes() {
        let alphabet = b"()\";=\\ \t\r\n.@/abcdefpsmx-_0123456789";
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        for round in 0..400 {
            let len = (rng.next() % 300) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let r = rng.next();
                    if round % 2 == 0 {
                        alphabet[(r % alphabet.len() as u64) as usize]
                    } else {
                        (r & 0xFF) as u8
                    }
                })
                .collect();
            let s = String::from_utf8_lossy(&bytes);
            parse_everything(&s);
            // Prefixed with real stamps too.
            parse_everything(&format!("mx.google.com; {s}"));
            parse_everything(&format!("i=1; mx.microsoft.com 1; {s}"));
        }
    }

    #[test]
    fn garbage_unbalanced() {
        for s in [
            "(",
            ")",
            "\"",
            "\\",
            "=",
            ";",
            "mx; spf=pass (unterminated comment smtp.mailfrom=a",
            "mx; spf=pass \"unterminated quote; dkim=pass",
            "mx; spf=pass ))) smtp.mailfrom=a@b.com",
            "mx; spf=pass (\\",
            "mx; spf=pass \"\\",
            "é(ü\"ö\\ä;=",
            "mx; dkim=pass header.d=\u{0}\u{7f}\u{feff}",
        ] {
            parse_everything(s);
        }
        let ar = parse_authentication_results("mx; spf=pass ))) smtp.mailfrom=a@b.com");
        assert_eq!(one(&ar, "spf").prop("smtp.mailfrom"), Some("a@b.com"));
        let ar = parse_authentication_results("mx; spf=pass (unterminated smtp.mailfrom=a");
        assert_eq!(one(&ar, "spf").props.len(), 0);
    }

    #[test]
    fn garbage_many_delimiters() {
        let semis = ";".repeat(10_000);
        parse_everything(&semis);
        assert!(parse_authentication_results(&semis).results.is_empty());
        parse_everything(&"(".repeat(10_000));
        parse_everything(&")".repeat(10_000));
        parse_everything(&"\"".repeat(10_001));
        parse_everything(&"=".repeat(10_000));
        parse_everything(&"\\".repeat(10_001));
        parse_everything(&"a=".repeat(10_000));
        parse_everything(&"header.d=x ".repeat(10_000));
        parse_everything(&format!(
            "mx; spf=pass {}",
            "(".repeat(5_000) + &")".repeat(5_000)
        ));
        let big = "x".repeat(1_000_000);
        parse_everything(&big);
    }

    #[test]
    fn bounded_results_props_and_values() {
        let many = "spf=pass; ".repeat(10_000);
        let ar = parse_authentication_results(&format!("mx; {many}"));
        assert_eq!(ar.results.len(), MAX_RESULTS);
        let props = "header.d=x ".repeat(1_000);
        let ar = parse_authentication_results(&format!("mx; dkim=pass {props}"));
        assert_eq!(one(&ar, "dkim").props.len(), MAX_PROPS);
        let long = "a".repeat(5_000);
        let ar = parse_authentication_results(&format!(
            "{long}; dkim=pass header.d={long} reason={long} ({long})"
        ));
        assert_eq!(
            ar.authserv_id.as_ref().map(|s| s.chars().count()),
            Some(MAX_VALUE_CHARS)
        );
        let dkim = one(&ar, "dkim");
        assert_eq!(dkim.props[0].1.chars().count(), MAX_VALUE_CHARS);
        assert_eq!(
            dkim.reason.as_ref().map(|s| s.chars().count()),
            Some(MAX_VALUE_CHARS)
        );
        assert_eq!(
            dkim.comment.as_ref().map(|s| s.chars().count()),
            Some(MAX_COMMENT_CHARS)
        );
        // Multi-byte characters are truncated on char boundaries.
        let wide = "ü".repeat(MAX_FIELD_BYTES);
        let ar = parse_authentication_results(&format!("mx; dkim=pass header.d={wide}"));
        assert_eq!(one(&ar, "dkim").props[0].1.chars().count(), MAX_VALUE_CHARS);
    }

    #[test]
    fn only_the_first_field_bytes_are_read() {
        let value = format!("mx; spf=pass{} ; dkim=pass", " ".repeat(MAX_FIELD_BYTES));
        let ar = parse_authentication_results(&value);
        assert_eq!(methods(&ar), vec![("spf", "pass")]);
    }

    #[test]
    fn clip_respects_char_boundaries() {
        assert_eq!(clip("aü", 2), "a");
        assert_eq!(clip("aü", 3), "aü");
        assert_eq!(clip("aü", 100), "aü");
        assert_eq!(clip("", 0), "");
    }

    // --- trust -------------------------------------------------------------------------------

    #[test]
    fn trust_of_ids() {
        let ids = vec!["MX.Corp.Example.".to_string()];
        let t = Trust {
            ids: &ids,
            providers: false,
        };
        assert!(t.trusts_id("mx.corp.example"));
        assert!(t.trusts_id("mx.corp.example."));
        assert!(!t.trusts_id("mx.google.com"));
        assert!(!t.trusts_id(""));
        assert!(!t.trusts(&parse_authentication_results(M365_FAIL)));
        let t = Trust {
            ids: &ids,
            providers: true,
        };
        for id in [
            "mx.google.com",
            "mx.microsoft.com",
            "am7eur03ft012.mail.protection.outlook.com",
            "db8pr04mb1234.eurprd04.prod.outlook.com",
        ] {
            assert!(t.trusts_id(id), "{id}");
        }
        for id in [
            "google.com",
            "mx.google.com.evil.example",
            "evilprotection.outlook.com.example",
            "notmx.microsoft.com",
            "lists.example.org",
        ] {
            assert!(!t.trusts_id(id), "{id}");
        }
        assert!(t.trusts(&parse_authentication_results(M365_FAIL)));
        // Empty and `none`-only id-less fields are not Microsoft's stamp.
        assert!(!t.trusts(&parse_authentication_results("")));
        assert!(!t.trusts(&parse_authentication_results("; none")));
    }

    // --- believe -----------------------------------------------------------------------------

    #[test]
    fn gmail_pass_is_believed() {
        let fields = [
            ("Delivered-To", "bob@gmail.com"),
            ("Received", "by 2002:a05:6a10:... with SMTP id ..."),
            (
                "ARC-Authentication-Results",
                "i=1; mx.google.com; dkim=pass header.i=@example.com",
            ),
            ("Authentication-Results", GMAIL_PASS),
            (
                "Received-SPF",
                "pass (google.com: domain of alice@example.com designates 209.85.220.41 as permitted sender) client-ip=209.85.220.41;",
            ),
            ("Received", "from mail-sor-f41.google.com ..."),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b.authserv_id.as_deref(), Some("mx.google.com"));
        assert_eq!(b.header_index, Some(3));
        assert_eq!(b.source, Some(Source::AuthenticationResults));
        assert_eq!(b.spf_index, Some(3));
        assert!(b.spf.as_ref().is_some_and(MethodResult::is_pass));
        assert!(b.dmarc.as_ref().is_some_and(MethodResult::is_pass));
        assert!(b.dkim_pass());
        assert_eq!(b.compauth, None);
        assert!(b.forged.is_empty());
        assert!(!b.truncated);
    }

    #[test]
    fn gmail_fail_is_believed() {
        let fields = [("authentication-results", GMAIL_FAIL)];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b.header_index, Some(0));
        assert_eq!(b.spf.as_ref().map(|r| r.result.as_str()), Some("fail"));
        let dmarc = b.dmarc.unwrap_or_default();
        assert_eq!(dmarc.result, "fail");
        assert_eq!(dmarc.comment_param("p"), Some("REJECT"));
        assert!(b.dkim.is_empty());
    }

    #[test]
    fn microsoft_id_less_is_believed_with_label() {
        let fields = [
            ("Received", "from AM0PR... by DB8PR... with HTTPS"),
            ("Authentication-Results-Original", GMAIL_PASS),
            ("Authentication-Results", M365_FAIL),
            ("Received-SPF", SPF_MS_FAIL),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b.authserv_id.as_deref(), Some(MICROSOFT_365));
        assert_eq!(b.header_index, Some(2));
        let compauth = b.compauth.clone().unwrap_or_default();
        assert_eq!(compauth.result, "fail");
        assert_eq!(compauth.reason.as_deref(), Some("001"));
        let dmarc = b.dmarc.clone().unwrap_or_default();
        assert_eq!(dmarc.prop("action"), Some("quarantine"));
        // The A-R's own spf wins over Received-SPF.
        assert_eq!(b.spf.as_ref().map(|r| r.result.as_str()), Some("none"));
        assert_eq!(b.spf_index, Some(2));
        // Authentication-Results-Original is neither believed nor a forgery.
        assert!(b.forged.is_empty());
    }

    #[test]
    fn microsoft_not_trusted_without_providers() {
        let fields = [("Authentication-Results", M365_FAIL)];
        let b = believe(
            &fields,
            &Trust {
                ids: &[],
                providers: false,
            },
        );
        assert_eq!(b, Believed::default());
    }

    #[test]
    fn authentication_results_original_never_believed() {
        let fields = [("Authentication-Results-Original", M365_PASS)];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b, Believed::default());
    }

    #[test]
    fn topmost_trusted_wins_over_untrusted_above() {
        let ids = vec!["mx.corp.example".to_string()];
        let t = Trust {
            ids: &ids,
            providers: false,
        };
        let fields = [
            (
                "Authentication-Results",
                "relay.untrusted.example; dmarc=pass header.from=paypal.com",
            ),
            (
                "Authentication-Results",
                "MX.CORP.EXAMPLE; dmarc=fail header.from=paypal.com",
            ),
            (
                "Authentication-Results",
                "mx.corp.example; dmarc=pass header.from=paypal.com",
            ),
        ];
        let b = believe(&fields, &t);
        assert_eq!(b.header_index, Some(1));
        assert_eq!(b.authserv_id.as_deref(), Some("mx.corp.example"));
        assert_eq!(b.dmarc.as_ref().map(|r| r.result.as_str()), Some("fail"));
        // The lower same-id field sits directly below with no Received between, but it
        // contradicts the believed stamp: never merged, and flagged as a forgery.
        assert!(b.merged.is_empty());
        assert_eq!(b.forged.len(), 1);
        assert_eq!(b.forged[0].method, "dmarc");
    }

    #[test]
    fn forged_lower_google_stamp_is_flagged() {
        let fields = [
            ("Received", "by 2002:a05:... with SMTP id"),
            ("Authentication-Results", GMAIL_FAIL),
            ("Received", "from attacker.example (203.0.113.7)"),
            (
                "Authentication-Results",
                "mx.google.com; dkim=pass header.i=@paypal.com header.s=pp; spf=pass smtp.mailfrom=billing@paypal.com; dmarc=pass (p=REJECT) header.from=paypal.com",
            ),
            ("Received", "from localhost"),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b.header_index, Some(1));
        assert!(b.merged.is_empty());
        let summary: Vec<_> = b
            .forged
            .iter()
            .map(|f| {
                (
                    f.header_index,
                    f.method.as_str(),
                    f.claimed.as_str(),
                    f.believed.as_str(),
                    f.domain.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (3, "spf", "pass", "fail", Some("paypal.com")),
                (3, "dkim", "pass", "absent", Some("paypal.com")),
                (3, "dmarc", "pass", "fail", Some("paypal.com")),
            ]
        );
        assert!(
            b.forged
                .iter()
                .all(|f| f.authserv_id.as_deref() == Some("mx.google.com"))
        );
    }

    #[test]
    fn forged_dmarc_pass_only() {
        let fields = [
            ("Authentication-Results", GMAIL_FAIL),
            ("Received", "from attacker"),
            (
                "Authentication-Results",
                "mx.google.com; dmarc=pass header.from=paypal.com",
            ),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b.forged.len(), 1);
        let f = &b.forged[0];
        assert_eq!(
            (f.header_index, f.method.as_str(), f.believed.as_str()),
            (2, "dmarc", "fail")
        );
    }

    #[test]
    fn forged_microsoft_id_less_stamp_is_flagged() {
        let fields = [
            ("Authentication-Results", M365_FAIL),
            ("Received", "from attacker"),
            ("Authentication-Results", M365_PASS),
        ];
        let b = believe(&fields, &PROVIDERS);
        let found: Vec<_> = b
            .forged
            .iter()
            .map(|f| (f.method.as_str(), f.believed.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("spf", "none"),
                ("dkim", "absent"),
                ("dmarc", "fail"),
                ("compauth", "fail")
            ]
        );
        assert!(
            b.forged
                .iter()
                .all(|f| f.authserv_id.as_deref() == Some(MICROSOFT_365))
        );
    }

    #[test]
    fn list_server_stamp_below_is_not_a_forgery() {
        let fields = [
            (
                "Authentication-Results",
                "mx.google.com; dkim=fail header.i=@example.com header.s=s1 header.b=abc; spf=pass (google.com: domain of list-bounces@lists.example.org designates 192.0.2.9 as permitted sender) smtp.mailfrom=list-bounces@lists.example.org; dmarc=fail (p=NONE sp=NONE dis=NONE) header.from=example.com",
            ),
            ("Received", "from lists.example.org"),
            (
                "Authentication-Results",
                "lists.example.org; dkim=pass header.d=example.com; spf=pass smtp.mailfrom=example.com; dmarc=pass header.from=example.com",
            ),
            ("Received", "from mail.example.com"),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b.header_index, Some(0));
        assert!(!b.dkim_pass());
        assert!(b.forged.is_empty());
    }

    #[test]
    fn dkim_pass_for_the_same_domain_is_not_a_forgery() {
        let fields = [
            (
                "Authentication-Results",
                "mx.google.com; dkim=pass header.i=@example.com; dkim=fail header.i=@other.example",
            ),
            ("Received", "from x"),
            (
                "Authentication-Results",
                "mx.google.com; dkim=pass header.d=Example.com; dkim=pass header.i=@other.example",
            ),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b.forged.len(), 1);
        assert_eq!(b.forged[0].domain.as_deref(), Some("other.example"));
        assert_eq!(b.forged[0].believed, "fail");
        // A claim naming no domain is checked against any believed pass.
        let fields = [
            (
                "Authentication-Results",
                "mx.google.com; dkim=pass header.i=@example.com",
            ),
            ("Authentication-Results", "mx.google.com; spf=none"),
            ("Received", "from x"),
            ("Authentication-Results", "mx.google.com; dkim=pass"),
        ];
        let b = believe(&fields, &PROVIDERS);
        // Provider stamps are never merged; the lower spf=none claims no pass.
        assert!(b.merged.is_empty());
        assert!(b.forged.is_empty());
    }

    #[test]
    fn lower_pass_where_believed_lacks_method_is_not_a_forgery() {
        // Google writes no compauth: a lower compauth=pass contradicts nothing.
        let fields = [
            ("Authentication-Results", GMAIL_FAIL),
            ("Received", "from x"),
            (
                "Authentication-Results",
                "spf=fail smtp.mailfrom=x;compauth=pass reason=100",
            ),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert!(b.forged.is_empty());
    }

    #[test]
    fn bestguesspass_does_not_contradict_a_lower_pass() {
        let fields = [
            (
                "Authentication-Results",
                "spf=pass smtp.mailfrom=a.com; dmarc=bestguesspass action=none header.from=a.com",
            ),
            ("Received", "from x"),
            (
                "Authentication-Results",
                "mx.google.com; dmarc=pass header.from=a.com",
            ),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b.authserv_id.as_deref(), Some(MICROSOFT_365));
        assert!(b.forged.is_empty());
    }

    #[test]
    fn trusted_ids_above_the_believed_are_not_looked_at_again() {
        // The believed stamp is the topmost trusted one; stamps above it are untrusted.
        let fields = [
            ("Authentication-Results", "relay.example; dmarc=pass"),
            ("Authentication-Results", GMAIL_FAIL),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b.header_index, Some(1));
        assert!(b.forged.is_empty());
    }

    #[test]
    fn untrusted_only_message_believes_nothing() {
        let fields = [
            ("Received", "from relay.example"),
            (
                "Authentication-Results",
                "relay.example; spf=pass smtp.mailfrom=paypal.com; dkim=pass header.d=paypal.com; dmarc=pass header.from=paypal.com",
            ),
            (
                "ARC-Authentication-Results",
                "i=1; relay.example; dmarc=pass header.from=paypal.com",
            ),
            (
                "Received-SPF",
                "pass (relay.example: domain of paypal.com designates 1.2.3.4 as permitted sender)",
            ),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b, Believed::default());
    }

    #[test]
    fn trusted_ids_without_a_believed_stamp_are_not_flagged() {
        // Only ARC and A-R-Original from trusted ids: nothing believed from A-R; the ARC is.
        // A lower A-R claiming pass without any trusted A-R is not flagged when nothing at
        // all is believed.
        let fields = [(
            "Authentication-Results",
            "mx.google.com; dmarc=pass header.from=paypal.com",
        )];
        let b = believe(
            &fields,
            &Trust {
                ids: &[],
                providers: false,
            },
        );
        assert_eq!(b, Believed::default());
    }

    #[test]
    fn arc_fallback_microsoft() {
        let fields = [
            ("Received", "from DB8PR... with HTTPS"),
            ("ARC-Authentication-Results", M365_ARC),
            (
                "ARC-Seal",
                "i=1; a=rsa-sha256; s=arcselector9901; d=microsoft.com; cv=none; b=...",
            ),
            ("Received", "from mail.example.com"),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b.authserv_id.as_deref(), Some("mx.microsoft.com"));
        assert_eq!(b.header_index, Some(1));
        assert_eq!(
            b.source,
            Some(Source::ArcAuthenticationResults { instance: Some(1) })
        );
        assert!(b.dmarc.as_ref().is_some_and(MethodResult::is_pass));
        assert_eq!(b.arc.as_ref().map(|r| r.result.as_str()), Some("none"));
        assert!(b.dkim_pass());
    }

    #[test]
    fn arc_fallback_takes_highest_trusted_instance() {
        let fields = [
            (
                "ARC-Authentication-Results",
                "i=3; relay.untrusted.example; dmarc=pass",
            ),
            (
                "ARC-Authentication-Results",
                "i=1; mx.microsoft.com 1; dmarc=pass",
            ),
            (
                "ARC-Authentication-Results",
                "i=2; mx.google.com; dmarc=fail",
            ),
            (
                "ARC-Authentication-Results",
                "i=2; mx.google.com; dmarc=pass",
            ),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b.header_index, Some(2));
        assert_eq!(b.dmarc.as_ref().map(|r| r.result.as_str()), Some("fail"));
        assert!(b.forged.is_empty());
    }

    #[test]
    fn arc_not_used_when_a_trusted_authentication_results_exists() {
        let fields = [
            ("ARC-Authentication-Results", M365_ARC),
            ("Authentication-Results", M365_FAIL),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b.header_index, Some(1));
        assert_eq!(b.source, Some(Source::AuthenticationResults));
    }

    #[test]
    fn id_less_arc_is_not_trusted() {
        let fields = [(
            "ARC-Authentication-Results",
            "i=1; spf=pass smtp.mailfrom=a.com",
        )];
        assert_eq!(believe(&fields, &PROVIDERS), Believed::default());
    }

    #[test]
    fn trusted_authentication_results_below_a_trusted_arc_is_still_believed() {
        // Rule 1 is positional only among Authentication-Results fields: a trusted A-R wins
        // over any ARC field, even one above it from another hop.
        // FIXME: when a Received separates a trusted ARC above from the A-R below, the A-R
        // is another hop's (or forged); believing the ARC then would be safer.
        let fields = [
            (
                "ARC-Authentication-Results",
                "i=1; mx.microsoft.com 1; dmarc=fail header.from=paypal.com",
            ),
            ("Received", "from attacker"),
            (
                "Authentication-Results",
                "mx.google.com; dmarc=pass header.from=paypal.com",
            ),
            (
                "ARC-Authentication-Results",
                "i=1; mx.google.com; dmarc=fail header.from=paypal.com",
            ),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b.header_index, Some(2));
        assert!(b.dmarc.as_ref().is_some_and(MethodResult::is_pass));
        // ARC fields are never forgeries.
        assert!(b.forged.is_empty());
    }

    #[test]
    fn received_spf_alone_from_microsoft() {
        for (value, result) in [
            (SPF_MS_PASS, "pass"),
            (SPF_MS_SOFTFAIL, "softfail"),
            (SPF_MS_FAIL, "fail"),
        ] {
            let fields = [("Received", "from x"), ("Received-SPF", value)];
            let b = believe(&fields, &PROVIDERS);
            assert_eq!(b.source, Some(Source::ReceivedSpf));
            assert_eq!(b.authserv_id, None);
            assert_eq!(b.header_index, Some(1));
            assert_eq!(b.spf_index, Some(1));
            assert_eq!(b.spf.as_ref().map(|r| r.result.as_str()), Some(result));
            assert!(b.dkim.is_empty() && b.dmarc.is_none());
        }
        // Without the providers, protection.outlook.com is just a name.
        let fields = [("Received-SPF", SPF_MS_PASS)];
        let none = Trust {
            ids: &[],
            providers: false,
        };
        assert_eq!(believe(&fields, &none), Believed::default());
        // A configured checker is trusted by name.
        let ids = vec!["mybox.example.org".to_string()];
        let fields = [(
            "Received-SPF",
            "fail (mybox.example.org: domain of a@b.com does not designate 1.2.3.4 as permitted sender)",
        )];
        let b = believe(
            &fields,
            &Trust {
                ids: &ids,
                providers: false,
            },
        );
        assert_eq!(b.spf.as_ref().map(|r| r.result.as_str()), Some("fail"));
    }

    #[test]
    fn received_spf_only_the_topmost_counts() {
        let fields = [
            ("Received-SPF", "pass (relay.example: whatever)"),
            ("Received-SPF", SPF_MS_FAIL),
        ];
        assert_eq!(believe(&fields, &PROVIDERS), Believed::default());
    }

    #[test]
    fn received_spf_fills_missing_spf_of_the_same_hop() {
        let ids = vec!["mx.corp.example".to_string()];
        let t = Trust {
            ids: &ids,
            providers: false,
        };
        let fields = [
            (
                "Authentication-Results",
                "mx.corp.example; dkim=pass header.d=a.com",
            ),
            (
                "Received-SPF",
                "softfail (mx.corp.example: transitioning) client-ip=1.2.3.4; envelope-from=x@a.com",
            ),
            ("Received", "from a.com"),
        ];
        let b = believe(&fields, &t);
        assert_eq!(b.header_index, Some(0));
        assert_eq!(b.spf_index, Some(1));
        assert_eq!(b.source, Some(Source::AuthenticationResults));
        let spf = b.spf.clone().unwrap_or_default();
        assert_eq!(spf.result, "softfail");
        assert_eq!(spf.prop("smtp.mailfrom"), Some("x@a.com"));
        // Another hop's Received-SPF, not naming a trusted checker, is not used.
        let fields = [
            (
                "Authentication-Results",
                "mx.corp.example; dkim=pass header.d=a.com",
            ),
            ("Received", "from relay.example"),
            ("Received-SPF", "pass (relay.example: ok) client-ip=1.2.3.4"),
        ];
        let b = believe(&fields, &t);
        assert_eq!(b.spf, None);
        assert_eq!(b.spf_index, None);
    }

    #[test]
    fn merge_same_id_fields_of_one_hop() {
        let ids = vec!["mx.corp.example".to_string()];
        let t = Trust {
            ids: &ids,
            providers: false,
        };
        let fields = [
            (
                "Authentication-Results",
                "mx.corp.example; dmarc=fail header.from=a.com",
            ),
            (
                "Authentication-Results",
                "mx.corp.example; dkim=pass header.d=esp.example",
            ),
            ("DKIM-Signature", "v=1; d=esp.example; ..."),
            (
                "Authentication-Results",
                "mx.corp.example; dkim=fail header.d=a.com",
            ),
            (
                "Authentication-Results",
                "mx.corp.example; spf=pass smtp.mailfrom=esp.example; dmarc=pass",
            ),
            ("Authentication-Results", "other.example; spf=fail"),
            ("Authentication-Results", "mx.corp.example; arc=pass"),
            ("Received", "from esp.example"),
        ];
        let b = believe(&fields, &t);
        assert_eq!(b.header_index, Some(0));
        // Field 4 claims dmarc=pass against the believed fail: merging stops there.
        assert_eq!(b.merged, vec![1, 3]);
        assert_eq!(b.dkim.len(), 2);
        assert_eq!(b.spf, None);
        // The believed field's own dmarc is kept.
        assert_eq!(b.dmarc.as_ref().map(|r| r.result.as_str()), Some("fail"));
        // Separated by another id: not merged; a lower same-id field is examined as usual.
        assert_eq!(b.arc, None);
        assert_eq!(b.forged.len(), 1);
        assert_eq!(b.forged[0].header_index, 4);
    }

    #[test]
    fn merge_does_not_duplicate_dkim_and_stops_at_received() {
        let ids = vec!["mx.corp.example".to_string()];
        let t = Trust {
            ids: &ids,
            providers: false,
        };
        let fields = [
            (
                "Authentication-Results",
                "mx.corp.example; dkim=fail header.d=a.com",
            ),
            (
                "Authentication-Results",
                "mx.corp.example; dkim=neutral header.d=a.com; spf=fail",
            ),
            ("Received", "from a.com"),
            (
                "Authentication-Results",
                "mx.corp.example; dmarc=pass header.from=a.com; dkim=pass header.d=a.com",
            ),
        ];
        let b = believe(&fields, &t);
        assert_eq!(b.merged, vec![1]);
        assert_eq!(b.dkim.len(), 1);
        assert!(!b.dkim_pass());
        assert_eq!(b.spf.as_ref().map(|r| r.result.as_str()), Some("fail"));
        assert_eq!(b.dmarc, None);
        let found: Vec<_> = b
            .forged
            .iter()
            .map(|f| (f.header_index, f.method.as_str(), f.believed.as_str()))
            .collect();
        // dmarc is absent from the believed stamp: not flagged; the dkim claim is.
        assert_eq!(found, vec![(3, "dkim", "fail")]);
    }

    #[test]
    fn microsoft_stamp_is_never_merged() {
        let fields = [
            ("Authentication-Results", "spf=fail smtp.mailfrom=a.com"),
            ("Authentication-Results", "dmarc=pass header.from=a.com"),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert!(b.merged.is_empty());
        assert_eq!(b.dmarc, None);
    }

    #[test]
    fn names_are_case_insensitive_and_indices_are_slice_relative() {
        let fields = [
            ("Subject", "hello"),
            ("From", "a@b.com"),
            (" AUTHENTICATION-RESULTS ", GMAIL_PASS),
        ];
        let b = believe(&fields, &PROVIDERS);
        assert_eq!(b.header_index, Some(2));
    }

    #[test]
    fn at_most_fifty_relevant_fields() {
        let mut fields =
            vec![("Authentication-Results", "relay.example; spf=pass"); MAX_AUTH_HEADERS];
        fields.push(("Authentication-Results", GMAIL_PASS));
        let b = believe(&fields, &PROVIDERS);
        assert!(b.truncated);
        assert_eq!(b.header_index, None);
        // Irrelevant fields do not count.
        let mut fields = vec![("X-Noise", "x"); 500];
        fields.push(("Authentication-Results", GMAIL_PASS));
        let b = believe(&fields, &PROVIDERS);
        assert!(!b.truncated);
        assert_eq!(b.header_index, Some(500));
    }

    #[test]
    fn forgeries_are_bounded() {
        let many = "mx.google.com; dkim=pass header.d=x.com; spf=pass; dmarc=pass";
        let mut fields = vec![("Authentication-Results", GMAIL_FAIL), ("Received", "x")];
        fields.extend(std::iter::repeat_n(
            ("Authentication-Results", many),
            10_000,
        ));
        let b = believe(&fields, &PROVIDERS);
        assert!(b.truncated);
        // 49 lower fields, 3 forgeries each.
        assert_eq!(b.forged.len(), (MAX_AUTH_HEADERS - 1) * 3);
    }
}
