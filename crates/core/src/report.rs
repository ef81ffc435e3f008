//! The one wire format: [`Report`] and everything in it.
//!
//! Serialised as JSON with camelCase keys and a `schemaVersion`. The CLI, the server and the
//! wasm build all emit exactly this, byte for byte, for the same input. A change here is a
//! visible snapshot diff in `tests/fixtures`; bump [`SCHEMA_VERSION`] when a field changes
//! meaning or disappears.

use serde::{Deserialize, Serialize};

/// Version of the report's JSON shape.
pub const SCHEMA_VERSION: u32 = 1;

/// The result of analysing one message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub schema_version: u32,
    /// Version of the engine that wrote the report.
    pub engine: String,
    /// Which input path produced the report: the raw message, or parts a host supplied.
    pub input: InputKind,
    pub verdict: Verdict,
    /// The one-sentence banner, or `None` when the verdict is safe.
    pub banner: Option<Banner>,
    /// Every finding, most severe first.
    pub findings: Vec<Finding>,
    /// The links found (images left out), in message order, at most
    /// [`crate::limits::MAX_LINKS`]; [`Location::Link`] indexes into this list.
    #[serde(default)]
    pub links: Vec<LinkSummary>,
    pub message: MessageSummary,
    pub stats: Stats,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// The complete RFC 5322 message.
    Raw,
    /// Header block, bodies and attachment metadata supplied separately.
    Parts,
}

/// The overall judgement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Safe,
    Caution,
    Danger,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Safe => "safe",
            Level::Caution => "caution",
            Level::Danger => "danger",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s.to_ascii_lowercase().as_str() {
            "safe" => Some(Level::Safe),
            "caution" => Some(Level::Caution),
            "danger" => Some(Level::Danger),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub level: Level,
    /// 0–100; see `docs/scoring.md`.
    pub score: u32,
}

/// What the mail client shows above the message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Banner {
    pub level: Level,
    /// One sentence, at most [`BANNER_MAX_CHARS`] characters.
    pub text: String,
    /// The rule whose finding the sentence names.
    pub rule: String,
}

/// Outlook's limit for a notification message, in characters.
pub const BANNER_MAX_CHARS: usize = 150;

/// How much a single finding matters on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Context worth knowing; never raises the verdict alone.
    Info,
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// One thing the engine noticed, with the evidence for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Stable kebab-case rule id, e.g. `reply-to-mismatch`. Never reused.
    pub rule: String,
    pub severity: Severity,
    /// Points this finding contributes to the score.
    pub score: u32,
    /// A short title, e.g. "Replies go to a different organisation".
    pub title: String,
    /// One to three sentences for a non-technical reader.
    pub explanation: String,
    pub evidence: Vec<Evidence>,
    pub location: Location,
}

/// Where in the message a finding was seen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Location {
    /// A header field; `index` counts occurrences of that name from the top, from 0.
    Header { name: String, index: usize },
    /// A MIME part, by its position in the message (`"1.2"` style path).
    Part { path: String },
    /// The message as a whole.
    Message,
    /// A link, by its index in [`Report::links`].
    Link { index: usize },
}

/// One row of the links table: what the reader sees and where the link really goes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkSummary {
    pub index: usize,
    /// `anchor`, `form`, `frame`, `refresh`, `text` or `qr-code`.
    pub kind: crate::links::LinkKind,
    /// The visible text of an anchor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The URL as written in the message.
    pub url: String,
    /// The real destination, after unwrapping rewriters and redirectors.
    pub destination: String,
    /// The destination's host (IDNs in Unicode).
    pub host: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registrable: Option<String>,
    /// Rewriters and redirectors the link was wrapped in, outermost first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wrapped_by: Vec<String>,
    /// For a `qr-code` link: where the code is ("QR code in image invoice.png").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The MIME part or header it was found in.
    pub found_in: Location,
}

/// Typed evidence. Words in titles and explanations are derived from these, so a UI can
/// localise them and highlight the exact characters involved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum Evidence {
    /// A header field and an excerpt of its value.
    Header { name: String, excerpt: String },
    /// An address as it appears in a header.
    Address {
        role: AddressRole,
        address: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        display_name: Option<String>,
    },
    /// A domain, with its registrable part (from the Public Suffix List).
    Domain {
        role: AddressRole,
        domain: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        registrable: Option<String>,
    },
    /// An authentication result that was believed (or shown to be forged).
    Auth {
        method: String,
        result: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        domain: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        authserv_id: Option<String>,
    },
    /// Text with characters worth highlighting.
    Chars { text: String, marks: Vec<CharMark> },
    /// Two timestamps (Unix seconds) that should be ordered but are not.
    Time {
        label: String,
        value: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        reference: Option<i64>,
    },
    /// A link: the URL as written, its visible text, and where it really goes.
    Link {
        url: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        destination: String,
        host: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        registrable: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        wrapped_by: Vec<String>,
        /// For a link decoded from a QR code: where the code is ("QR code in image x.png").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        image: Option<String>,
    },
    /// A domain made to look like a protected one, with exactly what differs.
    Lookalike {
        role: AddressRole,
        /// The domain as a reader sees it (IDN labels in Unicode).
        domain: String,
        /// The genuine domain it imitates, and whose it is.
        imitates: String,
        brand: String,
        techniques: Vec<crate::lookalike::Technique>,
        /// Each difference, with its character position in `label`.
        differences: Vec<crate::lookalike::Difference>,
        /// The label carrying the imitation (Unicode), which `differences` index into.
        label: String,
        /// The differences in words ("'1' replaces 'l'").
        notes: Vec<String>,
    },
    /// Anything else, as plain text.
    Text { text: String },
}

/// A highlighted character inside [`Evidence::Chars`] text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CharMark {
    /// Character offset (not byte offset) into the text.
    pub index: usize,
    /// The character, e.g. "а".
    pub char: String,
    /// `U+0430` form.
    pub code_point: String,
    /// What it is, e.g. "Cyrillic small letter a", "zero-width space".
    pub note: String,
}

/// Which header an address or domain came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddressRole {
    From,
    ReplyTo,
    ReturnPath,
    Sender,
    MessageId,
    DisplayName,
    Received,
    /// A link's destination.
    Link,
}

impl AddressRole {
    pub fn header_name(self) -> &'static str {
        match self {
            AddressRole::From | AddressRole::DisplayName => "From",
            AddressRole::ReplyTo => "Reply-To",
            AddressRole::ReturnPath => "Return-Path",
            AddressRole::Sender => "Sender",
            AddressRole::MessageId => "Message-ID",
            AddressRole::Received => "Received",
            AddressRole::Link => "link",
        }
    }
}

/// The header facts a reader or analyst wants at a glance.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageSummary {
    pub from: Option<AddressSummary>,
    pub reply_to: Vec<AddressSummary>,
    pub return_path: Option<String>,
    pub sender: Option<AddressSummary>,
    pub subject: Option<String>,
    /// The Date header as written.
    pub date: Option<String>,
    pub message_id: Option<String>,
    pub authentication: AuthSummary,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressSummary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub address: String,
}

/// Outcome of SPF, DKIM, DMARC (and Microsoft's composite authentication) as believed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthSummary {
    /// The authserv-id whose results were believed, or `None` when no trusted result exists.
    pub authserv_id: Option<String>,
    pub spf: Option<String>,
    pub dkim: Option<String>,
    pub dmarc: Option<String>,
    pub compauth: Option<String>,
    /// The domain DKIM signed for (`header.d`/`header.i`), when it passed.
    pub dkim_domain: Option<String>,
    /// The envelope domain SPF checked (`smtp.mailfrom`).
    pub spf_domain: Option<String>,
}

/// What was examined, and which limits were hit.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub bytes: usize,
    pub headers: usize,
    pub parts: usize,
    pub mime_depth: usize,
    pub text_bodies: usize,
    pub html_bodies: usize,
    pub attachments: usize,
    pub received_hops: usize,
    /// Names of limits hit, e.g. `"header-count"`; see [`crate::limits`].
    pub limits_hit: Vec<String>,
}
