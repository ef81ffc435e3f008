//! `link-free-hosting`: a link to free hosting, an app platform, a form builder or an IPFS
//! gateway.
//!
//! **What it detects.** A link destination on a shared platform where anyone can publish a
//! page in minutes under the platform's name (`*.web.app`, `*.pages.dev`, `*.workers.dev`,
//! `sites.google.com`, Google Forms, `*.blob.core.windows.net`, `ipfs.io/ipfs/`, …): the list
//! with a reason and source per entry is [`crate::links::data::FREE_HOSTING`].
//!
//! **Why it matters.** Credential-phishing kits are hosted there because the domains have a
//! good reputation, cost nothing, and IPFS content cannot be taken down.
//!
//! **Example.** `https://office365-verify-2291.web.app/`.
//!
//! **Grading.** Low, 20: many honest projects live on these platforms too, so this only adds
//! weight to other signals. Skipped for the sender's authenticated domain and policy-trusted
//! hosts. One finding per message.
//!
//! **Known false positives.** Project pages and documentation hosted on GitHub Pages or
//! Netlify, surveys on Google Forms, files shared from cloud storage.

use super::{
    Input, Rule, authenticated_orgs, finding, followable, link_evidence, link_location,
    policy_trusts_host, wrapped_note,
};
use crate::links::data;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "link-free-hosting",
    summary: "a link to free hosting, an app platform, a form builder or an IPFS gateway",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let authenticated = authenticated_orgs(input);
    let Some((index, link, entry)) = followable(input)
        .filter(|(_, l)| l.dest.is_web())
        .filter(|(_, l)| {
            !policy_trusts_host(input.policy, &l.dest.host)
                && !authenticated.iter().any(|a| a == l.dest.org())
        })
        .find_map(|(i, l)| {
            data::lookup(data::FREE_HOSTING, &l.dest.host, &l.dest.path).map(|e| (i, l, e))
        })
    else {
        return;
    };
    out.push(finding(
        &RULE,
        Severity::Low,
        20,
        format!("A link goes to a page anyone can create on {}", entry.host),
        format!(
            "The link opens {}, on {} ({}). Such free pages are often used for fake sign-in pages.{}",
            link.dest.host_unicode,
            entry.host,
            entry.reason,
            wrapped_note(link)
        ),
        vec![link_evidence(link)],
        link_location(index),
    ));
}

#[cfg(test)]
mod tests {
    use crate::links::data::{FREE_HOSTING, lookup};

    #[test]
    fn matches_hosts_and_paths() {
        assert!(lookup(FREE_HOSTING, "office-verify.web.app", "/").is_some());
        assert!(lookup(FREE_HOSTING, "ipfs.io", "/ipfs/bafy").is_some());
        assert!(lookup(FREE_HOSTING, "ipfs.io", "/docs").is_none());
        assert!(lookup(FREE_HOSTING, "docs.google.com", "/forms/d/x").is_some());
        assert!(lookup(FREE_HOSTING, "docs.google.com", "/document/d/x").is_none());
        assert!(lookup(FREE_HOSTING, "notweb.app.example", "/").is_none());
    }
}
