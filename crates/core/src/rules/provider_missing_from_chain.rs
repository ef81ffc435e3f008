//! `provider-missing-from-chain`: From claims a big mail provider that never handled the message.
//!
//! **What it detects.** A `From` address at Gmail, Outlook.com/Hotmail, Yahoo/AOL, iCloud or
//! Proton while no `Received` hop names a server of that provider. A connecting server counts by
//! the reverse-DNS name the receiving server recorded; the name it gave itself (`from
//! mail.google.com`, free to choose) only where no reverse name was recorded, and never when the
//! receiver wrote that there is none (Postfix's `(unknown [192.0.2.1])`).
//!
//! **Why it matters.** Mail really written at gmail.com leaves through Google's servers, and
//! every receiving server records the hop. A gmail.com sender with no Google hop was typed into
//! the header by whoever sent it: a forgery.
//!
//! **Grading.** Medium (40).
//!
//! **Known false positives.** Messages with no `Received` headers at all (drafts, exports) are
//! not judged; mailing lists are skipped (some rewrite headers); a trusted DMARC pass for the
//! From domain proves the provider sent it and suppresses the rule.

use super::{Input, Rule, address_evidence, finding, header_location};
use crate::policy::domain_within;
use crate::report::{AddressRole, Evidence, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "provider-missing-from-chain",
    summary: "From claims a big mail provider whose servers never handled the message",
    check,
};

pub(super) struct Provider {
    pub(super) name: &'static str,
    /// Registrable From domains of the provider's users.
    pub(super) user_domains: &'static [&'static str],
    /// Domains its servers' names end in.
    pub(super) server_domains: &'static [&'static str],
}

impl Provider {
    /// The provider whose servers `host` names, if any.
    pub(super) fn serving(host: &str) -> Option<&'static Provider> {
        PROVIDERS
            .iter()
            .find(|p| p.server_domains.iter().any(|d| domain_within(host, d)))
    }
}

pub(super) const PROVIDERS: &[Provider] = &[
    Provider {
        name: "Google",
        user_domains: &["gmail.com", "googlemail.com"],
        server_domains: &["google.com", "gmail.com", "googlemail.com"],
    },
    Provider {
        name: "Microsoft",
        user_domains: &[
            "outlook.com",
            "hotmail.com",
            "live.com",
            "msn.com",
            "hotmail.co.uk",
            "hotmail.fr",
            "hotmail.de",
            "hotmail.it",
            "hotmail.es",
            "outlook.fr",
            "outlook.de",
            "live.co.uk",
            "live.fr",
            "live.de",
            "live.nl",
        ],
        server_domains: &[
            "outlook.com",
            "hotmail.com",
            "live.com",
            "msn.com",
            "microsoft.com",
        ],
    },
    Provider {
        name: "Yahoo",
        user_domains: &[
            "yahoo.com",
            "ymail.com",
            "rocketmail.com",
            "aol.com",
            "yahoo.co.uk",
            "yahoo.fr",
            "yahoo.de",
            "yahoo.co.jp",
            "yahoo.com.br",
            "yahoo.co.in",
            "yahoo.es",
            "yahoo.it",
        ],
        server_domains: &[
            "yahoo.com",
            "yahoodns.net",
            "yahoo.net",
            "aol.com",
            "yahoo.co.jp",
        ],
    },
    Provider {
        name: "Apple",
        user_domains: &["icloud.com", "me.com", "mac.com"],
        server_domains: &["icloud.com", "apple.com", "me.com", "mac.com"],
    },
    Provider {
        name: "Proton",
        user_domains: &["protonmail.com", "proton.me", "pm.me", "protonmail.ch"],
        server_domains: &["protonmail.ch", "proton.me", "protonmail.com"],
    },
];

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    let Some(from) = mail.author() else { return };
    let Some(org) = from.registrable.as_deref() else {
        return;
    };
    if mail.received.is_empty() || mail.is_list || input.auth.dmarc_passed() {
        return;
    }
    let Some(provider) = PROVIDERS.iter().find(|p| p.user_domains.contains(&org)) else {
        return;
    };
    let by_provider = |host: Option<&str>| {
        host.is_some_and(|h| provider.server_domains.iter().any(|d| domain_within(h, d)))
    };
    // A name the client gave itself counts only where the receiver recorded no reverse name.
    if mail
        .received
        .iter()
        .any(|hop| by_provider(hop.from_name()) || by_provider(hop.by_host.as_deref()))
    {
        return;
    }
    out.push(finding(
        &RULE,
        Severity::Medium,
        40,
        format!("Claims to be from {} but {}'s servers never sent it", from.domain, provider.name),
        format!(
            "The sender's address is at {}, but none of the {} servers that passed this message along belongs \
             to {}. Real {} mail always leaves through {}'s own servers, so the sender's address was probably forged.",
            from.domain,
            mail.received.len(),
            provider.name,
            from.domain,
            provider.name
        ),
        vec![
            address_evidence(AddressRole::From, from),
            Evidence::Text {
                text: format!("{} Received hops, none at {}", mail.received.len(), provider.server_domains.join(", ")),
            },
        ],
        header_location("Received"),
    ));
}
