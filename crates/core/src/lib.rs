//! Mailward's analysis engine: raw RFC 5322 bytes (or the parts a mail client can give) and
//! an organisation [`Policy`] in, an explainable [`Report`] out.
//!
//! The crate is pure: no I/O, no clock, no environment, no network, no randomness, so it
//! behaves byte-identically natively, in WebAssembly inside Outlook and Gmail, and in tests.
//! Ambient facts (the current time) arrive in [`Context`]. Analysis never fails: malformed
//! input and exceeded limits become findings.
#![warn(clippy::disallowed_methods)]

pub mod attachments;
pub mod auth;
pub mod content;
pub mod domain;
mod fx;
pub mod limits;
pub mod links;
pub mod lookalike;
pub mod mail;
pub mod policy;
pub mod qr;
mod received;
pub mod render;
pub mod report;
pub mod rules;
pub mod score;
#[cfg(test)]
mod test_rng;

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

/// Analyses a complete RFC 5322 message. Never fails: problems with the input are findings.
pub fn analyze(raw: &[u8], policy: &Policy, ctx: &Context) -> Report {
    let mail = mail::Mail::from_raw(raw);
    assemble(&mail, InputKind::Raw, policy, ctx)
}

/// Analyses what a host could supply instead of the raw message.
pub fn analyze_parts(parts: &MessageParts, policy: &Policy, ctx: &Context) -> Report {
    let mail = mail::Mail::from_parts(parts);
    assemble(&mail, InputKind::Parts, policy, ctx)
}

/// The one pipeline: extract → rules → score → banner → report.
fn assemble(mail: &mail::Mail, input: InputKind, policy: &Policy, ctx: &Context) -> Report {
    let auth = rules::AuthOutcome::from_mail(mail, policy);
    let text = content::Text::from_mail(mail);
    let links = links::extract(mail);
    let protected = lookalike::builtin().with_policy(policy);
    let policy_brands = rules::brand_index::BrandIndex::for_policy(policy);
    let mut findings = rules::run(&rules::Input {
        mail,
        policy,
        ctx,
        auth: &auth,
        text: &text,
        links: &links,
        protected: &protected,
        policy_brands: &policy_brands,
    });
    score::sort(&mut findings);
    let verdict = score::verdict(&findings, &policy.thresholds);
    let banner = score::banner(&verdict, &findings);
    Report {
        schema_version: SCHEMA_VERSION,
        engine: ENGINE_VERSION.to_string(),
        input,
        verdict,
        banner,
        findings,
        links: links
            .links
            .iter()
            .enumerate()
            .map(|(index, l)| report::LinkSummary {
                index,
                kind: l.kind,
                text: l.text.as_deref().map(rules::excerpt),
                url: rules::excerpt(&l.written),
                destination: rules::excerpt(&l.dest.url),
                host: rules::excerpt(&l.dest.host_unicode),
                registrable: l.dest.registrable.clone(),
                wrapped_by: l.wrapped_by.iter().map(|s| (*s).to_string()).collect(),
                image: l.image.clone(),
                found_in: l.source.clone(),
            })
            .collect(),
        message: summary(mail, &auth),
        stats: report::Stats {
            bytes: mail.bytes,
            headers: mail.headers.len(),
            parts: mail.parts,
            mime_depth: mail.mime_depth,
            text_bodies: mail.text_bodies.len(),
            html_bodies: mail.html_bodies.len(),
            attachments: mail.attachments.len(),
            received_hops: mail.received.len(),
            limits_hit: mail
                .limits_hit
                .iter()
                .copied()
                .chain(links.truncated.then_some("link-count"))
                .map(str::to_string)
                .collect(),
        },
    }
}

/// The engine's version, as written into every report.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

fn summary(mail: &mail::Mail, auth: &rules::AuthOutcome) -> report::MessageSummary {
    let addr = |m: &mail::Mailbox| report::AddressSummary {
        name: m.name.as_deref().map(rules::excerpt),
        address: rules::excerpt(&m.address),
    };
    report::MessageSummary {
        from: mail.author().map(addr),
        reply_to: mail.reply_to.iter().take(8).map(addr).collect(),
        return_path: mail
            .return_path
            .as_ref()
            .map(|m| rules::excerpt(&m.address)),
        sender: mail.sender.as_ref().map(addr),
        subject: mail.subject.as_deref().map(rules::excerpt),
        date: mail.date_raw.as_deref().map(rules::excerpt),
        message_id: mail.message_id_raw.as_deref().map(rules::excerpt),
        authentication: report::AuthSummary {
            authserv_id: auth.authserv_id.clone(),
            spf: auth.spf.clone(),
            dkim: auth.dkim.clone(),
            dmarc: auth.dmarc.clone(),
            compauth: auth.compauth.clone(),
            dkim_domain: auth.dkim_pass_domains.first().cloned(),
            spf_domain: auth.spf_domain.clone(),
        },
    }
}

/// The canonical JSON of a report: pretty-printed, two-space indent, trailing newline.
/// Every front end emits exactly this.
pub fn to_json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
    s.push('\n');
    s
}
