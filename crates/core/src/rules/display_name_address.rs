//! `display-name-address`: the display name shows an address or domain that is not the sender's.
//!
//! **What it detects.** A `From` display name containing an email address or a domain name
//! (`"support@woodgrovebank.com" <x@evil.top>`, `"PayPal paypal.com" <a@b.xyz>`) whose
//! registrable domain differs from the real sender's.
//!
//! **Why it matters.** Most mail apps, on phones especially, show only the display name.
//! Putting a trusted address there makes the message look like it came from that address.
//!
//! **Grading.** High (50) when the shown domain is one of the organisation's or a protected
//! brand's; medium (35) otherwise. A DMARC pass does not lower it: it only proves the
//! attacker's own domain sent the message.
//!
//! **Known false positives.** Mailing lists that put the author's address in the name (skipped
//! when `List-Id` is present); services that send "on behalf of" a person with that person's
//! address in the name (e.g. some calendar and CRM tools).

use super::{Input, Rule, address_evidence, finding, header_location, org_of, sender_trusted};
use crate::mail::normalize_host;
use crate::report::{AddressRole, Evidence, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "display-name-address",
    summary: "The display name shows an address or domain that is not the sender's",
    check,
};

/// Domains written in a display name, normalised, in order of appearance (at most 8).
pub fn domains_in_name(name: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    let is_sep = |c: char| c.is_whitespace() || "<>()[]{}\"',;:|!?*".contains(c);
    for token in name.split(is_sep).filter(|t| !t.is_empty()).take(64) {
        let token = token
            .trim_start_matches("mailto")
            .trim_start_matches("https//")
            .trim_start_matches("http//");
        let token = token.split('/').find(|s| !s.is_empty()).unwrap_or("");
        let (host, explicit) = match token.rsplit_once('@') {
            Some((_, domain)) => (domain, true),
            None => (token, token.starts_with("www.")),
        };
        let host = host.trim_matches(|c: char| c == '.' || c == '-');
        if !host.contains('.') || host.contains("..") {
            continue;
        }
        let ascii = normalize_host(host);
        if ascii.is_empty()
            || !ascii
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            || !crate::domain::has_known_suffix(&ascii)
            || (!explicit && !looks_like_domain(&ascii))
        {
            continue;
        }
        if found.iter().all(|(_, a)| *a != ascii) && found.len() < 8 {
            found.push((token.to_string(), ascii));
        }
    }
    found
}

/// A bare dotted word in a name ("R.Hughes", "St.Louis") is a domain only when its top-level
/// domain is a common one and the label before it is more than an initial.
fn looks_like_domain(host: &str) -> bool {
    const COMMON: &[&str] = &[
        "com", "net", "org", "edu", "gov", "info", "biz", "io", "co", "app", "dev", "xyz", "top",
        "online", "site", "shop", "store", "live", "club", "cloud", "email", "support", "services",
    ];
    let mut labels = host.rsplit('.');
    let tld = labels.next().unwrap_or_default();
    let name = labels.next().unwrap_or_default();
    (tld.len() == 2 || COMMON.contains(&tld)) && name.len() >= 2
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    let Some(from) = mail.author() else { return };
    let Some(name) = from.name.as_deref() else {
        return;
    };
    if mail.is_list || from.domain.is_empty() || sender_trusted(input, from) {
        return;
    }
    let sender_org = org_of(from);
    for (shown, host) in domains_in_name(name) {
        let Some(shown_org) = crate::domain::registrable_domain(&host) else {
            continue;
        };
        if shown_org.eq_ignore_ascii_case(sender_org) {
            continue;
        }
        let protected = input.policy.is_org_domain(shown_org)
            || input
                .policy
                .protected_domains
                .iter()
                .chain(
                    input
                        .policy
                        .protected_brands
                        .iter()
                        .flat_map(|b| b.domains.iter()),
                )
                .any(|d| crate::policy::domain_within(shown_org, d));
        let (severity, score) = if protected {
            (Severity::High, 50)
        } else {
            (Severity::Medium, 35)
        };
        out.push(finding(
            &RULE,
            severity,
            score,
            format!("The sender's name shows {shown_org}, but the mail is from {sender_org}"),
            format!(
                "The name displayed for the sender contains \"{shown}\", yet the real address is {}. \
                 Attackers put a trusted address in the name because many mail apps show only the name.",
                from.address
            ),
            vec![
                address_evidence(AddressRole::From, from),
                Evidence::Domain {
                    role: AddressRole::DisplayName,
                    domain: host.clone(),
                    registrable: Some(shown_org.to_string()),
                },
            ],
            header_location("From"),
        ));
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::domains_in_name;

    #[test]
    fn finds_addresses_and_domains() {
        let d = domains_in_name("\"support@WoodgroveBank.com\" (www.paypal.com/login)");
        let hosts: Vec<&str> = d.iter().map(|(_, h)| h.as_str()).collect();
        assert_eq!(hosts, ["woodgrovebank.com", "www.paypal.com"]);
    }

    #[test]
    fn ignores_initials_and_abbreviations() {
        assert!(domains_in_name("J.R.R. Tolkien").is_empty());
        assert!(domains_in_name("Dr. Smith, Ph.D.").is_empty());
        assert!(domains_in_name("Mr.Smith").is_empty());
        assert!(domains_in_name("Craig R.Hughes").is_empty());
        assert_eq!(domains_in_name("Billing paypal.com").len(), 1);
    }
}
