//! `sender-lookalike-domain`: the sender's domain imitates a protected brand or organisation.
//!
//! **What it detects.** A `From`, `Reply-To`, `Sender`, `Return-Path` or `Message-ID` domain
//! that the lookalike engine ([`crate::lookalike`]) finds imitating one of the protected
//! domains: the organisation's own, the policy's, or the built-in list of commonly
//! impersonated brands. Techniques range from look-alike characters of other alphabets
//! (`pаypal.com` with a Cyrillic `а`) and ASCII tricks (`paypa1.com`, `rnicrosoft.com`) to
//! typos, swapped TLDs and brand-plus-keyword names (`paypal-secure-login.com`).
//!
//! **Why it matters.** A lookalike domain is registered for one purpose: to be mistaken for
//! the real one. It passes SPF, DKIM and DMARC for itself, so authentication alone misses it.
//!
//! **Example.** `From: PayPal <service@paypa1.com>`: '1' replaces 'l'.
//!
//! **Grading** (strong / typo / weak: see `lookalike_grade.rs`). From: strong 55 (60 with
//! characters from another alphabet), a typo of a long name 40, weak 20. Reply-To: 45 / 35 /
//! 20. Sender / Return-Path 30 and Message-ID 20, strong matches only (their host names are
//! machine names). One finding, for the most visible role.
//!
//! **Known false positives.** Genuinely different companies with similar names; a brand's
//! own domain missing from the built-in list (add it to the policy's `trustedDomains` and
//! report it). Every listed domain of a brand, its subdomains, and the policy's trusted
//! domains never fire.

use super::lookalike_grade::{Grade, grade};
use super::{Input, Rule, finding, header_location, sender_trusted};
use crate::lookalike::{Lookalike, Technique};
use crate::mail::normalize_host;
use crate::report::{AddressRole, Evidence, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "sender-lookalike-domain",
    summary: "The sender's domain imitates a protected brand or the organisation",
    check,
};

/// Evidence for a lookalike in a given role.
pub fn lookalike_evidence(role: AddressRole, l: &Lookalike) -> Evidence {
    Evidence::Lookalike {
        role,
        domain: super::excerpt(&l.host_unicode),
        imitates: l.target.domain.clone(),
        brand: l.target.brand.clone(),
        techniques: l.techniques.clone(),
        differences: l.differences.clone(),
        label: l.label.clone(),
        notes: l.evidence(),
    }
}

/// "'1' replaces 'l'; extra '-' …": the differences, or the main technique, in words.
pub fn how(l: &Lookalike) -> String {
    let notes = l.evidence();
    if notes.is_empty() {
        l.techniques
            .first()
            .map_or("it is very similar", |t| t.description())
            .to_string()
    } else {
        notes.join("; ")
    }
}

fn foreign_letters(l: &Lookalike) -> bool {
    l.techniques
        .iter()
        .any(|t| matches!(t, Technique::Homoglyph | Technique::MixedScript))
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    if mail
        .author()
        .is_some_and(|from| sender_trusted(input, from))
    {
        return;
    }
    let message_id_domain = mail
        .message_id_raw
        .as_deref()
        .and_then(|id| id.rsplit_once('@'))
        .map(|(_, d)| normalize_host(d.trim_end_matches('>')))
        .unwrap_or_default();
    let roles: [(AddressRole, &str, Option<&str>); 5] = [
        (
            AddressRole::From,
            "From",
            mail.author().map(|m| m.domain.as_str()),
        ),
        (
            AddressRole::ReplyTo,
            "Reply-To",
            mail.reply_to.first().map(|m| m.domain.as_str()),
        ),
        (
            AddressRole::Sender,
            "Sender",
            mail.sender.as_ref().map(|m| m.domain.as_str()),
        ),
        (
            AddressRole::ReturnPath,
            "Return-Path",
            mail.return_path.as_ref().map(|m| m.domain.as_str()),
        ),
        (
            AddressRole::MessageId,
            "Message-ID",
            Some(message_id_domain.as_str()),
        ),
    ];
    for (role, header, domain) in roles {
        let Some(domain) = domain.filter(|d| !d.is_empty()) else {
            continue;
        };
        let Some(l) = input.protected.check_domain(domain) else {
            continue;
        };
        let Some(grade) = grade(&l) else { continue };
        // Envelope and Message-ID host names are machine names (`vps-4410.host.example`):
        // only a strong imitation counts there.
        let visible = matches!(role, AddressRole::From | AddressRole::ReplyTo);
        if !visible && grade != Grade::Strong {
            continue;
        }
        let (severity, score, whose) = match (role, grade) {
            (AddressRole::From, Grade::Weak) => (Severity::Low, 20, "The sender's address"),
            (AddressRole::From, Grade::Typo) => (Severity::Medium, 40, "The sender's address"),
            (AddressRole::From, _) if foreign_letters(&l) => {
                (Severity::High, 60, "The sender's address")
            }
            (AddressRole::From, _) => (Severity::High, 55, "The sender's address"),
            (AddressRole::ReplyTo, Grade::Weak) => (Severity::Low, 20, "The reply address"),
            (AddressRole::ReplyTo, Grade::Typo) => (Severity::Medium, 35, "The reply address"),
            (AddressRole::ReplyTo, _) => (Severity::High, 45, "The reply address"),
            (AddressRole::MessageId, _) => {
                (Severity::Low, 20, "The message's technical identifier")
            }
            _ => (Severity::Medium, 30, "The sending system's address"),
        };
        out.push(finding(
            &RULE,
            severity,
            score,
            format!("{} is a look-alike of {}", l.host_unicode, l.target.domain),
            format!(
                "{whose} is at {}, made to look like {} ({}): {}. Look-alike domains are registered \
                 to be mistaken for the real one.",
                l.host_unicode,
                l.target.domain,
                l.target.brand,
                how(&l)
            ),
            vec![lookalike_evidence(role, &l)],
            header_location(header),
        ));
        return;
    }
}
