//! The rules: one file, one stable id, one doc block each.
//!
//! A rule reads [`Input`] (the normalised [`Mail`], the believed authentication outcome, the
//! policy and the context) and pushes zero or more [`Finding`]s. Rules never see each other's
//! findings; combining them is [`crate::score`]'s job. The registry [`RULES`] is the one list
//! of what exists; `docs/rules.md` is written from it.

use crate::mail::{Mail, Mailbox};
use crate::report::{Evidence, Finding, Location, Severity};
use crate::{Context, Policy};

mod attachment_deceptive_name;
mod attachment_encrypted_archive;
mod attachment_encrypted_document;
mod attachment_executable;
mod attachment_html_script;
mod attachment_nested_archive;
mod attachment_office_macros;
mod attachment_type_mismatch;
mod brand_claim_link_elsewhere;
pub mod brand_index;
mod brand_sender_unverified;
mod calendar_invite_link;
mod content_credential_request;
mod content_gift_card;
mod content_hidden_text;
mod content_image_only;
mod content_invisible_characters;
mod content_lookalike_characters;
mod content_lure;
mod content_payment_request;
mod content_prize;
mod content_urgency;
mod date_anomaly;
mod display_name_address;
mod display_name_impersonation;
mod display_name_unicode;
mod external_sender;
mod forged_authentication_results;
mod limit_exceeded;
mod link_brand_misuse;
mod link_credential_form;
mod link_dangerous_scheme;
mod link_executable;
mod link_free_hosting;
mod link_invisible_characters;
mod link_ip_address;
mod link_lookalike_domain;
mod link_obfuscated_url;
mod link_shortener;
mod link_suspicious_tld;
mod link_text_mismatch;
mod lookalike_grade;
mod malformed_message;
mod message_id_anomaly;
mod provider_missing_from_chain;
mod qr_code_link;
mod random_token;
mod received_chain_anomaly;
mod recipient_address_in_subject;
mod reply_to_mismatch;
mod return_path_mismatch;
mod sender_authentication_failed;
mod sender_lookalike_domain;
mod sender_random_domain;
mod subject_brand_impersonation;

/// Everything a rule may read.
pub struct Input<'a> {
    pub mail: &'a Mail,
    pub policy: &'a Policy,
    pub ctx: &'a Context,
    pub auth: &'a AuthOutcome,
    /// The message's words: visible and hidden text, normalised for vocabulary matching.
    pub text: &'a crate::content::Text,
    /// Every link in the message, unwrapped and normalised.
    pub links: &'a crate::links::Links,
    /// The protected brands and domains: built-in plus the policy's.
    pub protected: &'a crate::lookalike::WithPolicy<'a>,
    /// The policy's protected brands and domains indexed by domain and name, for the link
    /// rules (the built-in brands' index is [`brand_index::builtin`]). Built once per analysis.
    pub policy_brands: &'a brand_index::BrandIndex,
}

/// A rule's identity and entry point.
pub struct Rule {
    /// Stable kebab-case id; never reused for something else.
    pub id: &'static str,
    /// One line saying what the rule flags.
    pub summary: &'static str,
    pub check: fn(&Input<'_>, &mut Vec<Finding>),
}

/// Every rule, in the order they run. Order does not affect the report: findings are sorted.
pub const RULES: &[Rule] = &[
    sender_authentication_failed::RULE,
    sender_lookalike_domain::RULE,
    forged_authentication_results::RULE,
    return_path_mismatch::RULE,
    display_name_address::RULE,
    display_name_impersonation::RULE,
    brand_claim_link_elsewhere::RULE,
    subject_brand_impersonation::RULE,
    display_name_unicode::RULE,
    reply_to_mismatch::RULE,
    provider_missing_from_chain::RULE,
    brand_sender_unverified::RULE,
    random_token::RULE,
    sender_random_domain::RULE,
    recipient_address_in_subject::RULE,
    received_chain_anomaly::RULE,
    message_id_anomaly::RULE,
    date_anomaly::RULE,
    attachment_executable::RULE,
    attachment_deceptive_name::RULE,
    attachment_type_mismatch::RULE,
    attachment_html_script::RULE,
    attachment_office_macros::RULE,
    attachment_encrypted_archive::RULE,
    attachment_encrypted_document::RULE,
    attachment_nested_archive::RULE,
    calendar_invite_link::RULE,
    content_credential_request::RULE,
    content_payment_request::RULE,
    content_gift_card::RULE,
    content_urgency::RULE,
    content_lure::RULE,
    content_prize::RULE,
    content_hidden_text::RULE,
    content_image_only::RULE,
    content_invisible_characters::RULE,
    content_lookalike_characters::RULE,
    link_lookalike_domain::RULE,
    link_text_mismatch::RULE,
    link_brand_misuse::RULE,
    link_credential_form::RULE,
    link_dangerous_scheme::RULE,
    link_obfuscated_url::RULE,
    link_ip_address::RULE,
    link_executable::RULE,
    link_invisible_characters::RULE,
    link_free_hosting::RULE,
    link_suspicious_tld::RULE,
    link_shortener::RULE,
    qr_code_link::RULE,
    external_sender::RULE,
    malformed_message::RULE,
    limit_exceeded::RULE,
];

/// Runs every rule.
pub fn run(input: &Input<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in RULES {
        (rule.check)(input, &mut findings);
    }
    findings
}

/// The authentication outcome the rules rely on, as believed from trusted stamps.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuthOutcome {
    /// Whether any trusted stamp was found at all; when false, "unknown" is the honest answer.
    pub believed: bool,
    pub authserv_id: Option<String>,
    pub spf: Option<String>,
    /// Domain SPF checked (`smtp.mailfrom`), lower case.
    pub spf_domain: Option<String>,
    /// `pass` if any DKIM signature passed, else the first DKIM result.
    pub dkim: Option<String>,
    /// Domains with a passing DKIM signature (`header.d`, or the domain of `header.i`).
    pub dkim_pass_domains: Vec<String>,
    pub dmarc: Option<String>,
    /// The `header.from` the DMARC result names.
    pub dmarc_from: Option<String>,
    pub compauth: Option<String>,
    pub compauth_reason: Option<String>,
    /// The DMARC policy the domain publishes (`p=` in the result's comment), lower case.
    pub dmarc_policy: Option<String>,
    /// The believed ARC result, telling forwarding apart from forgery.
    pub arc: Option<String>,
    /// Index in [`Mail::headers`] of the believed stamp.
    pub header_index: Option<usize>,
    /// Lower stamps that claim what the believed one denies.
    pub forged: Vec<crate::auth::Forgery>,
}

impl AuthOutcome {
    /// Decides which Authentication-Results to believe and condenses them.
    pub fn from_mail(mail: &Mail, policy: &Policy) -> AuthOutcome {
        let fields: Vec<(&str, &str)> = mail
            .headers
            .iter()
            .map(|h| (h.name.as_ref(), h.value.as_str()))
            .collect();
        let believed = crate::auth::believe(
            &fields,
            &crate::auth::Trust {
                ids: &policy.trusted_authserv_ids,
                providers: policy.trust_provider_authserv_ids,
            },
        );
        let result = |m: &Option<crate::auth::MethodResult>| m.as_ref().map(|m| m.result.clone());
        let dkim_pass_domains: Vec<String> = believed
            .dkim
            .iter()
            .filter(|d| d.is_pass())
            .filter_map(|d| d.domain())
            .collect();
        let dkim = if believed.dkim_pass() {
            Some("pass".to_string())
        } else {
            believed.dkim.first().map(|d| d.result.clone())
        };
        AuthOutcome {
            believed: believed.authserv_id.is_some() || believed.header_index.is_some(),
            authserv_id: believed.authserv_id.clone(),
            spf: result(&believed.spf),
            spf_domain: believed.spf.as_ref().and_then(|m| m.domain()),
            dkim,
            dkim_pass_domains,
            dmarc: result(&believed.dmarc),
            dmarc_from: believed.dmarc.as_ref().and_then(|m| m.domain()),
            compauth: result(&believed.compauth),
            compauth_reason: believed.compauth.as_ref().and_then(|m| m.reason.clone()),
            dmarc_policy: believed
                .dmarc
                .as_ref()
                .and_then(|m| m.comment_param("p"))
                .map(str::to_ascii_lowercase),
            arc: result(&believed.arc),
            header_index: believed.header_index,
            forged: believed.forged,
        }
    }
}

impl AuthOutcome {
    /// DMARC (or Microsoft's composite authentication) explicitly passed.
    pub fn dmarc_passed(&self) -> bool {
        self.dmarc.as_deref() == Some("pass")
            || (self.dmarc.is_none() && self.compauth.as_deref() == Some("pass"))
    }

    /// DMARC was evaluated by a trusted receiver and did not pass.
    pub fn dmarc_not_passed(&self) -> bool {
        self.believed
            && match self.dmarc.as_deref() {
                Some(r) => r != "pass" && r != "bestguesspass",
                None => !matches!(self.compauth.as_deref(), Some("pass") | None),
            }
    }
}

/// Builds a finding. `title` and `explanation` are derived by the rule from its evidence.
pub fn finding(
    rule: &Rule,
    severity: Severity,
    score: u32,
    title: String,
    explanation: String,
    evidence: Vec<Evidence>,
    location: Location,
) -> Finding {
    Finding {
        rule: rule.id.to_string(),
        severity,
        score,
        title,
        explanation,
        evidence,
        location,
    }
}

/// Location of the first header field called `name`.
pub fn header_location(name: &str) -> Location {
    Location::Header {
        name: name.to_string(),
        index: 0,
    }
}

/// Location of the `index`-th field (in [`Mail::headers`]) by its name and occurrence.
pub fn header_location_at(mail: &Mail, header_index: usize) -> Location {
    let Some(h) = mail.headers.get(header_index) else {
        return Location::Message;
    };
    let occurrence = mail.headers[..header_index]
        .iter()
        .filter(|o| o.name.eq_ignore_ascii_case(&h.name))
        .count();
    Location::Header {
        name: h.name.to_string(),
        index: occurrence,
    }
}

/// At most [`crate::limits::MAX_EXCERPT_CHARS`] characters of `s`, with an ellipsis if cut.
pub fn excerpt(s: &str) -> String {
    let max = crate::limits::MAX_EXCERPT_CHARS;
    // A string of at most `max` bytes has at most `max` characters: most are not counted.
    if s.len() <= max || s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// Evidence for a mailbox in a given role.
pub fn address_evidence(role: crate::AddressRole, mailbox: &Mailbox) -> Evidence {
    Evidence::Address {
        role,
        address: excerpt(&mailbox.address),
        display_name: mailbox.name.as_deref().map(excerpt),
    }
}

/// Evidence for a mailbox's domain in a given role.
pub fn domain_evidence(role: crate::AddressRole, mailbox: &Mailbox) -> Evidence {
    Evidence::Domain {
        role,
        domain: excerpt(&mailbox.domain),
        registrable: mailbox.registrable.clone(),
    }
}

/// The sender is one the policy trusts, or belongs to the organisation with DMARC passing.
pub fn sender_trusted(input: &Input<'_>, mailbox: &Mailbox) -> bool {
    input
        .policy
        .is_trusted_sender(&mailbox.address, &mailbox.domain)
}

/// Registrable domain of a mailbox, falling back to its whole domain.
pub fn org_of(mailbox: &Mailbox) -> &str {
    mailbox.registrable.as_deref().unwrap_or(&mailbox.domain)
}

/// A finding for a vocabulary cue: the phrases of `cue` found in the subject and visible
/// text, or nothing. List mail weighs half (rounded down to a multiple of 5).
pub fn cue_finding(
    input: &Input<'_>,
    rule: &Rule,
    cue: crate::content::lexicon::Cue,
    severity: Severity,
    score: u32,
    title: &str,
    explain: impl Fn(&str) -> String,
) -> Option<Finding> {
    let found = input.text.cues(cue, 3);
    let first = found.first()?;
    let score = if input.mail.is_list {
        (score / 2) / 5 * 5
    } else {
        score
    };
    Some(finding(
        rule,
        severity,
        score,
        title.to_string(),
        explain(first.text),
        found
            .iter()
            .map(|p| Evidence::Text {
                text: p.text.to_string(),
            })
            .collect(),
        Location::Message,
    ))
}

/// Evidence for a link: as written, its visible text and its real destination.
pub fn link_evidence(link: &crate::links::Link) -> Evidence {
    Evidence::Link {
        url: excerpt(&link.written),
        text: link.text.as_deref().map(excerpt),
        destination: excerpt(&link.dest.url),
        host: excerpt(&link.dest.host_unicode),
        registrable: link.dest.registrable.clone(),
        wrapped_by: link.wrapped_by.iter().map(|s| (*s).to_string()).collect(),
        image: link.image.clone(),
    }
}

/// Location of the link with this index in [`crate::links::Links::links`].
pub fn link_location(index: usize) -> Location {
    Location::Link { index }
}

/// " The link was wrapped by X; this is where it really goes." or "".
pub fn wrapped_note(link: &crate::links::Link) -> String {
    match link.wrapped_by.first() {
        Some(by) => format!(
            " The link is wrapped by {by}; the destination named here is where it really leads."
        ),
        None => String::new(),
    }
}

/// Links a reader can follow or a page loads (everything but images), with their index.
pub fn followable<'a>(
    input: &'a Input<'_>,
) -> impl Iterator<Item = (usize, &'a crate::links::Link)> + 'a {
    input.links.links.iter().enumerate()
}

/// Registrable domains the sender authenticated: passing DKIM signatures, and the From
/// domain when DMARC passed.
pub fn authenticated_orgs(input: &Input<'_>) -> Vec<String> {
    let mut out: Vec<String> = input
        .auth
        .dkim_pass_domains
        .iter()
        .map(|d| {
            crate::domain::registrable_domain(d)
                .unwrap_or(d)
                .to_ascii_lowercase()
        })
        .collect();
    if input.auth.dmarc_passed()
        && let Some(from) = input.mail.author()
    {
        out.push(org_of(from).to_ascii_lowercase());
    }
    out
}

/// Whether `host` belongs to the organisation, a trusted domain, or a protected brand of the
/// policy: links there are the organisation's own business.
pub fn policy_trusts_host(policy: &Policy, host: &str) -> bool {
    policy.is_org_domain(host)
        || policy
            .trusted_domains
            .iter()
            .chain(policy.protected_domains.iter())
            .chain(
                policy
                    .protected_brands
                    .iter()
                    .flat_map(|b| b.domains.iter()),
            )
            .any(|d| crate::policy::domain_within(host, d))
}
