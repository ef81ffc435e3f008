//! `display-name-impersonation`: the name of a VIP or a protected brand on mail from elsewhere.
//!
//! **What it detects.** A `From` display name that is one of the policy's VIPs (executives,
//! finance staff) while the address is none of theirs and outside the organisation, or that
//! names a protected brand (the policy's or the built-in list's, also when written with
//! look-alike characters: "Ꮲaypal", or misspelt by one letter in a name of seven letters or
//! more: "Microsft") while the address is outside every domain of that brand.
//!
//! **Why it matters.** Business-email compromise starts with "Megan Bowen
//! <megan.bowen.ceo@gmail.com>": the name is right, the address is not, and most people look
//! only at the name. Brand impersonation works the same way.
//!
//! **Grading.** High: 50 when the address is at a free-mail provider, missing, or at a domain
//! that cannot exist (a single label, characters no host name has); 45 otherwise.
//!
//! **Known false positives.** A VIP writing from a personal account (add it to the VIP's
//! `addresses`); a brand mailing through a partner's domain (add it to the brand's domains or
//! to `trustedDomains`). A brand name inside a longer name ("The Verge – Apple news") is not
//! matched: besides the brand, the name may hold only generic words like "Support" or "Team"
//! (in the lexicon's languages too), unless the address is a personal one or none at all,
//! which a brand never writes from ("Banco do Brasil - Protocolo 1234" <x@gmail.com>).

use super::{Input, Rule, address_evidence, finding, header_location, org_of, sender_trusted};
use crate::domain::is_freemail;
use crate::policy::domain_within;
use crate::report::{AddressRole, Evidence, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "display-name-impersonation",
    summary: "The display name is a VIP or a protected brand, but the address is not theirs",
    check,
};

/// Words that may accompany a brand name in a display name without making it another name.
const GENERIC: &[&str] = &[
    "365",
    "access",
    "account",
    "accounts",
    "admin",
    "administrator",
    "alert",
    "alerts",
    "and",
    "app",
    "bank",
    "banking",
    "billing",
    "business",
    // "Amazon.com": the brand's own web address as its name.
    "com",
    "care",
    "center",
    "centre",
    "cloud",
    "communications",
    "corp",
    "customer",
    "customers",
    "delivery",
    "department",
    "desk",
    "docs",
    "drive",
    "email",
    "express",
    "finance",
    "fraud",
    "from",
    "group",
    "help",
    "helpdesk",
    "id",
    "inc",
    "info",
    "information",
    "invoice",
    "invoices",
    "it",
    "llc",
    "login",
    "ltd",
    "mail",
    "message",
    "messages",
    "no",
    "noreply",
    "notice",
    "notification",
    "notifications",
    "office",
    "official",
    "online",
    "password",
    "pay",
    "payment",
    "payments",
    "prevention",
    "protection",
    "reply",
    "reset",
    "safety",
    "secure",
    "security",
    "service",
    "services",
    "shipping",
    "sign",
    "signin",
    "storage",
    "store",
    "support",
    "system",
    "team",
    "the",
    "trust",
    "update",
    "updates",
    "verification",
    "verify",
    "wallet",
    "your",
    // Company-form suffixes.
    "ag",
    "bv",
    "co",
    "gmbh",
    "ltda",
    "nv",
    "plc",
    "s",
    "sa",
    "sas",
    "spa",
    "srl",
    // The same service words in the languages of the lexicon (pt, es, de, fr, nl).
    "atendimento",
    "banco",
    "banque",
    "aviso",
    "avisos",
    "cliente",
    "clientes",
    "comunicado",
    "conta",
    "cuenta",
    "equipe",
    "equipo",
    "informa",
    "kunden",
    "kundenservice",
    "le",
    "les",
    "notificação",
    "notificación",
    "segurança",
    "seguridad",
    "sécurité",
    "serviço",
    "servicio",
    "serviços",
    "servicios",
    "sicherheit",
    "soporte",
    "suporte",
];

/// Whether `domain` could be a mail domain on the internet: host-name characters only, and at
/// least two labels. (Not the Public Suffix List: a new top-level domain must not look forged.)
fn real_domain(domain: &str) -> bool {
    domain.contains('.')
        && !domain.starts_with('.')
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

/// Lower-case words of a name: letters and digits, everything else separates.
pub fn words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(32)
        .map(str::to_lowercase)
        .collect()
}

/// Whether every word of `wanted` appears in `have` (order-free, so "Bowen, Megan" matches).
fn has_all(have: &[String], wanted: &[String]) -> bool {
    !wanted.is_empty() && wanted.iter().all(|w| have.contains(w))
}

/// The protected brand a sender's display name claims while the address is none of the
/// brand's: the brand half of this rule, shared with `brand-claim-link-elsewhere`. `personal`:
/// the address is at a free-mail provider, missing, or at a host that cannot exist.
pub(super) fn brand_claim(
    input: &Input<'_>,
    from: &crate::mail::Mailbox,
    name: &str,
    personal: bool,
) -> Option<crate::lookalike::BrandMention> {
    let mention = input.protected.check_display_name(name)?;
    // Besides the brand, the name may hold only generic words ("PayPal Service Team"), unless
    // the mail comes from a personal account or from no address: brands do not write from
    // those, so "Banco do Brasil - Protocolo 1234" <x@gmail.com> needs no closer reading.
    let rest: String = name
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if (mention.start..mention.end).contains(&i) {
                ' '
            } else {
                c
            }
        })
        .collect();
    if (!personal && !words(&rest).iter().all(|w| GENERIC.contains(&w.as_str())))
        || mention
            .domains
            .iter()
            .any(|d| domain_within(&from.domain, d))
    {
        return None;
    }
    Some(mention)
}

/// Whether a From address is as far from any brand as a free-mail account: free mail, no
/// address at all, or a domain that could not exist on the internet.
pub(super) fn personal(from: &crate::mail::Mailbox) -> bool {
    !real_domain(&from.domain) || is_freemail(&from.domain)
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    let Some(from) = mail.author() else { return };
    let Some(name) = from.name.as_deref() else {
        return;
    };
    if sender_trusted(input, from) {
        return;
    }
    let name_words = words(name);
    // No address at all (`"Facebook" <>`), or one whose domain could not exist on the internet
    // (`x@ubuntu-s-1vcpu-nyc1`, `x@a%b.net`), is as far from the brand as a free-mail account.
    let personal = personal(from);
    let (severity, score) = (Severity::High, if personal { 50 } else { 45 });
    let from_org = org_of(from);

    if !from.domain.is_empty() && !input.policy.is_org_domain(&from.domain) {
        for vip in &input.policy.vips {
            let vip_words = words(&vip.name);
            let matches = if vip_words.len() == 1 {
                name_words == vip_words
            } else {
                has_all(&name_words, &vip_words)
            };
            if !matches
                || vip
                    .addresses
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(&from.address))
            {
                continue;
            }
            let where_from = if personal {
                format!("a free personal {} account", from.domain)
            } else {
                format!("at {from_org}, outside your organisation")
            };
            out.push(finding(
                &RULE,
                severity,
                score,
                format!("Uses the name of {} but comes from {}", vip.name, from.domain),
                format!(
                    "The sender calls themselves \"{name}\", the name of someone important in your organisation, \
                     but the address {} is {where_from}. Confirm any request through a channel you already know.",
                    from.address
                ),
                vec![
                    address_evidence(AddressRole::From, from),
                    Evidence::Text {
                        text: format!("VIP: {}", vip.name),
                    },
                ],
                header_location("From"),
            ));
            return;
        }
    }

    let Some(mention) = brand_claim(input, from, name, personal) else {
        return;
    };
    let disguised = if mention.homoglyph {
        " written with look-alike characters".to_string()
    } else if mention.misspelled {
        format!(
            " (\"{}\", a misspelling of {})",
            mention.matched, mention.brand
        )
    } else {
        String::new()
    };
    let genuine = mention
        .domains
        .iter()
        .take(4)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let (title, explanation) = if from.domain.is_empty() {
        (
            format!("Claims to be {} but has no sender address", mention.brand),
            format!(
                "The sender's name says \"{name}\"{disguised}, but the message carries no sender address at all. \
                 {}'s mail comes from {genuine}.",
                mention.brand
            ),
        )
    } else {
        (
            format!("Claims to be {} but comes from {}", mention.brand, from_org),
            format!(
                "The sender's name says \"{name}\"{disguised}, but the address {} does not belong to {}, whose mail comes from {genuine}.",
                from.address, mention.brand
            ),
        )
    };
    out.push(finding(
        &RULE,
        severity,
        score,
        title,
        explanation,
        vec![
            address_evidence(AddressRole::From, from),
            Evidence::Text {
                text: format!("Brand: {}", mention.brand),
            },
        ],
        header_location("From"),
    ));
}
