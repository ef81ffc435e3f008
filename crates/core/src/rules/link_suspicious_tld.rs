//! `link-suspicious-tld`: a link to a domain under a top-level domain dominated by abuse.
//!
//! **What it detects.** A link destination whose top-level domain is in
//! [`crate::links::data::SUSPICIOUS_TLDS`] (`.top`, `.xyz`, the former Freenom TLDs, `.zip`,
//! …), each entry with its reason and source.
//!
//! **Why it matters.** Phishing domains are registered where names are cheapest and
//! enforcement weakest; reports by Spamhaus and Interisle show a few TLDs carrying a large
//! share of phishing domains.
//!
//! **Example.** `https://secure-account-update.top/`.
//!
//! **Grading.** Low, 15: plenty of honest sites use these TLDs. Skipped for the sender's
//! authenticated domain and policy-trusted hosts. One finding per message.
//!
//! **Known false positives.** Honest small sites and start-ups on cheap TLDs.

use super::{
    Input, Rule, authenticated_orgs, finding, followable, link_evidence, link_location,
    policy_trusts_host,
};
use crate::links::data;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "link-suspicious-tld",
    summary: "a link to a top-level domain dominated by abuse (.top, .xyz, .tk, …)",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let authenticated = authenticated_orgs(input);
    let Some((index, link, entry)) = followable(input)
        .filter(|(_, l)| l.dest.is_web() && l.dest.ip.is_none())
        .filter(|(_, l)| {
            !policy_trusts_host(input.policy, &l.dest.host)
                && !authenticated.iter().any(|a| a == l.dest.org())
        })
        .find_map(|(i, l)| data::suspicious_tld(&l.dest.host).map(|e| (i, l, e)))
    else {
        return;
    };
    out.push(finding(
        &RULE,
        Severity::Low,
        15,
        format!("A link goes to a .{} domain", entry.host),
        format!(
            "The link opens {}. Domains ending in .{} are {}.",
            link.dest.host_unicode, entry.host, entry.reason
        ),
        vec![link_evidence(link)],
        link_location(index),
    ));
}

#[cfg(test)]
mod tests {
    use crate::links::data::suspicious_tld;

    #[test]
    fn tlds() {
        assert!(suspicious_tld("secure-login.top").is_some());
        assert!(suspicious_tld("example.com").is_none());
        assert!(suspicious_tld("top.example.com").is_none());
    }
}
