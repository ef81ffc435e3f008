//! `brand-claim-link-elsewhere`: the sender's name claims a brand, and the message's links lead
//! away from it.
//!
//! **What it detects.** Mail on which `display-name-impersonation` finds a protected brand's
//! name on an address outside the brand, and which has at least one web link (in the body, an
//! attachment, a QR code or a PDF) to a site that is none of the brand's domains.
//!
//! **Why it matters.** The name gets the message read; the link is where the harm happens. A
//! message that speaks for PayPal and asks you to click through to somewhere that is not PayPal
//! is the whole phishing pattern in two observations, and the link is the one a careful reader
//! would check by hovering over it.
//!
//! **Grading.** Low (15): a second, independent observation that adds to the name claim; it
//! never fires without one. Links to the brand's own domains, to the organisation's and to
//! trusted domains are not counted.
//!
//! **Known false positives.** A brand's partner or reseller writing under the brand's name
//! and linking to its own shop (add it to the brand's domains or to `trustedDomains`).

use super::display_name_impersonation::{brand_claim, personal};
use super::{
    Input, Rule, finding, followable, link_evidence, link_location, policy_trusts_host,
    sender_trusted,
};
use crate::links::LinkKind;
use crate::policy::domain_within;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "brand-claim-link-elsewhere",
    summary: "The sender's name claims a brand and the message's links lead elsewhere",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(from) = input.mail.author() else {
        return;
    };
    let Some(name) = from.name.as_deref() else {
        return;
    };
    if input.links.links.is_empty() || sender_trusted(input, from) {
        return;
    }
    let Some(mention) = brand_claim(input, from, name, personal(from)) else {
        return;
    };
    let Some((index, link)) = followable(input).find(|(_, l)| {
        l.kind != LinkKind::Image
            && l.dest.is_web()
            && !mention
                .domains
                .iter()
                .any(|d| domain_within(&l.dest.host, d))
            && !policy_trusts_host(input.policy, &l.dest.host)
    }) else {
        return;
    };
    let brand = &mention.brand;
    out.push(finding(
        &RULE,
        Severity::Low,
        15,
        format!("Speaks for {brand}, but its links go to {}", link.dest.org()),
        format!(
            "The sender's name claims {brand}, and the message asks you to follow a link to {}, which is not a \
             {brand} website. Reach {brand} through its own app or a bookmark instead.",
            link.dest.host_unicode
        ),
        vec![link_evidence(link)],
        link_location(index),
    ));
}
