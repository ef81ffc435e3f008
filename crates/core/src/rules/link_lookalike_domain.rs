//! `link-lookalike-domain`: a link leads to a domain imitating a protected brand.
//!
//! **What it detects.** A link destination (after unwrapping Safe Links, Proofpoint and other
//! rewriters) whose domain the lookalike engine ([`crate::lookalike`]) finds imitating a
//! protected domain: the organisation's, the policy's, or a commonly impersonated brand's.
//!
//! **Why it matters.** The credential page of a phishing message lives at an address made to
//! be mistaken for the real sign-in page: `micros0ft-login.com`, `pаypal.com`.
//!
//! **Example.** `<a href="https://rnicrosoftonline.com/login">Sign in</a>`.
//!
//! **Grading** (strong / typo / weak: see `lookalike_grade.rs`). Strong: high, 50, or 55
//! with characters from another alphabet; a typo of a long name: medium, 30; weak (another
//! ending, a bare brand name as a machine name): low, 15. One finding, for the most telling
//! link.
//!
//! **Known false positives.** A similarly named but unrelated company's site. Genuine brand
//! domains, their subdomains, and domains the policy trusts never fire; a genuine link inside
//! Safe Links stays clean.

use super::lookalike_grade::{Grade, grade};
use super::sender_lookalike_domain::{how, lookalike_evidence};
use super::{Input, Rule, finding, followable, link_evidence, link_location, wrapped_note};
use crate::lookalike::Technique;
use crate::report::{AddressRole, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "link-lookalike-domain",
    summary: "A link leads to a domain imitating a protected brand or the organisation",
    check,
};

/// Distinct hosts looked at per message: lookalike checks cost microseconds each.
const MAX_HOSTS: usize = 64;

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut seen: Vec<&str> = Vec::new();
    let mut best: Option<(u32, usize, crate::lookalike::Lookalike)> = None;
    for (i, link) in followable(input) {
        let host = link.dest.host.as_str();
        if host.is_empty() || link.dest.ip.is_some() || seen.contains(&host) {
            continue;
        }
        if seen.len() >= MAX_HOSTS {
            break;
        }
        seen.push(host);
        let Some(l) = input.protected.check_domain(host) else {
            continue;
        };
        let score = match grade(&l) {
            None => continue,
            Some(Grade::Weak) => 15,
            Some(Grade::Typo) => 30,
            Some(Grade::Strong)
                if l.techniques
                    .iter()
                    .any(|t| matches!(t, Technique::Homoglyph | Technique::MixedScript)) =>
            {
                55
            }
            Some(Grade::Strong) => 50,
        };
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, i, l));
        }
    }
    let Some((score, index, l)) = best else {
        return;
    };
    let Some(link) = input.links.links.get(index) else {
        return;
    };
    let severity = match score {
        50.. => Severity::High,
        30.. => Severity::Medium,
        _ => Severity::Low,
    };
    out.push(finding(
        &RULE,
        severity,
        score,
        format!("A link leads to {}, a look-alike of {}", l.host_unicode, l.target.domain),
        format!(
            "A link in this message goes to {}, made to look like {} ({}): {}.{} Pages at look-alike \
             addresses are set up to collect passwords and payment details.",
            l.host_unicode,
            l.target.domain,
            l.target.brand,
            how(&l),
            wrapped_note(link)
        ),
        vec![link_evidence(link), lookalike_evidence(AddressRole::Link, &l)],
        link_location(index),
    ));
}
