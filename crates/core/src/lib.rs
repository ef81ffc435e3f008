//! Mailward's analysis engine: raw RFC 5322 bytes (or the parts a mail client can give) and
//! an organisation [`Policy`] in, an explainable [`Report`] out.
//!
//! The crate is pure: no I/O, no clock, no environment, no network, no randomness, so it
//! behaves byte-identically natively, in WebAssembly inside Outlook and Gmail, and in tests.
//! Ambient facts (the current time) arrive in [`Context`]. Analysis never fails: malformed
//! input and exceeded limits become findings.
#![warn(clippy::disallowed_methods)]

pub mod limits;
pub mod lookalike;
pub mod policy;
pub mod report;

pub use policy::{Brand, Context, Policy, Thresholds, Vip};
pub use report::{
    AddressRole, Banner, Evidence, Finding, InputKind, Level, Location, Report, SCHEMA_VERSION,
    Severity, Verdict,
};

/// What a host can give when it cannot give the raw message (e.g. Outlook clients without
/// `getAsFileAsync`): the header block, the bodies and attachment metadata.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MessageParts {
    /// The internet header block as text, one field per line (folded lines allowed).
    pub headers: String,
    pub html: Option<String>,
    pub text: Option<String>,
    pub attachments: Vec<AttachmentMeta>,
}

/// An attachment as a host describes it.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AttachmentMeta {
    pub name: Option<String>,
    pub content_type: Option<String>,
    pub size: Option<u64>,
    /// The content, when the host has it (base64 in JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<Vec<u8>>,
}
