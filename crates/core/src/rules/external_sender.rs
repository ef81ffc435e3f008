//! `external-sender`: the message comes from outside the organisation.
//!
//! **What it detects.** A `From` domain outside the policy's organisation domains (only when
//! the policy names some).
//!
//! **Why it matters.** Context for the reader ("this is not from a colleague"), and for the
//! other findings. Informational: it adds no points and never raises a banner by itself.
//!
//! **Known false positives.** None by design; it is a statement of fact.

use super::{Input, Rule, address_evidence, finding, header_location};
use crate::report::{AddressRole, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "external-sender",
    summary: "The sender is outside the organisation (informational)",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(from) = input.mail.author() else {
        return;
    };
    if input.policy.org_domains.is_empty()
        || from.domain.is_empty()
        || input.policy.is_org_domain(&from.domain)
    {
        return;
    }
    out.push(finding(
        &RULE,
        Severity::Info,
        0,
        format!("From outside your organisation ({})", from.domain),
        format!(
            "This message was sent from {}, which is not one of your organisation's domains.",
            from.domain
        ),
        vec![address_evidence(AddressRole::From, from)],
        header_location("From"),
    ));
}
