//! `link-brand-misuse`: a brand's name in the subdomain or path of an unrelated domain.
//!
//! **What it detects.** A link destination whose host carries a protected brand's domain or
//! name as a label in front of an unrelated registrable domain (`paypal.com.secure-login.top`,
//! `paypal-verify.account-check.top`), or whose path carries the brand's domain
//! (`evil.top/paypal.com/login`).
//!
//! **Why it matters.** Phones and narrow windows show the start of a long host name; readers
//! see "paypal.com" and stop reading. Putting a brand's domain into the path does the same for
//! readers who look at the whole URL.
//!
//! **Example.** `https://paypal.com.account-verify.top/signin`.
//!
//! **Grading.** Brand domain in the host: high, 45. Brand name as a whole label or a
//! hyphenated part of one in the host: medium, 30. Brand domain in the path: low, 20. Skipped
//! when the destination belongs to the brand, to the sender's authenticated domain, or to a
//! domain the policy trusts. One finding per message.
//!
//! **Known false positives.** Software-as-a-service tenants named after a customer
//! (`microsoft.zoom.us`, `apple.myshopify.com`): medium, not a banner alone. News and
//! review pages about a brand mention its name, but rarely its domain, in the path.
//! Universities and governments (`.edu`, `.gov`, `ac.uk`, `gov.br`, …) name subdomains after
//! their departments, whose acronyms meet brand names (`citi.umich.edu`): there a brand's
//! name alone as a subdomain is not judged, its whole domain still is.
//!
//! Brands: the policy's protected brands and domains, plus the built-in brand list
//! (`crates/core/data/brands.tsv`); brands whose name is an everyday word ("Apple",
//! "Chase") only count by their domains.

use super::brand_index;
use super::{
    Input, Rule, authenticated_orgs, finding, followable, link_evidence, link_location,
    policy_trusts_host, wrapped_note,
};
use crate::links::LinkKind;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "link-brand-misuse",
    summary: "a brand's name or domain in the subdomain or path of an unrelated domain",
    check,
};

/// Whether a registrable domain sits under a suffix only institutions get (universities,
/// governments, the military), which hand out their own subdomains.
fn institutional(registrable: &str) -> bool {
    crate::domain::public_suffix(registrable).is_some_and(|suffix| {
        matches!(suffix, "edu" | "gov" | "mil")
            || ["edu.", "gov.", "ac.", "mil.", "gob.", "go."]
                .iter()
                .any(|p| suffix.starts_with(p))
    })
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let policy_brands = input.policy_brands;
    let builtin = brand_index::builtin();
    let authenticated = authenticated_orgs(input);
    let mut worst: Option<(u32, usize, String, &'static str)> = None;
    for (i, link) in followable(input) {
        if !link.dest.is_web() || link.kind == LinkKind::Image {
            continue;
        }
        let dest = &link.dest;
        let Some(reg) = dest.registrable.as_deref() else {
            continue;
        };
        if authenticated.iter().any(|a| a == reg) || policy_trusts_host(input.policy, &dest.host) {
            continue;
        }
        let sub = &dest.host[..dest.host.len() - reg.len()];
        let path = dest.path.to_ascii_lowercase();
        for index in [policy_brands, builtin] {
            if index.owner(&dest.host).is_some() {
                continue;
            }
            let hit = if let Some((_, d)) = index.domain_in_front(sub) {
                Some((45, d.to_string(), "host"))
            } else if let Some((_, name)) = index.name_in(sub).filter(|_| !institutional(reg)) {
                Some((30, name.to_string(), "host"))
            } else {
                index
                    .domain_in_path(&path)
                    .map(|(_, d)| (20, d.to_string(), "path"))
            };
            if let Some((score, what, place)) = hit
                && worst.as_ref().is_none_or(|w| score > w.0)
            {
                worst = Some((score, i, what, place));
            }
        }
    }
    let Some((score, index, what, place)) = worst else {
        return;
    };
    let Some(link) = input.links.links.get(index) else {
        return;
    };
    let severity = match score {
        45.. => Severity::High,
        30.. => Severity::Medium,
        _ => Severity::Low,
    };
    let reg = link.dest.org();
    out.push(finding(
        &RULE,
        severity,
        score,
        format!("A link puts \"{what}\" in front of an unrelated site, {reg}"),
        format!(
            "The link goes to {}, which belongs to {reg}, not to {what}. The brand's name is only part of the {} to make the address look genuine.{}",
            link.dest.host_unicode,
            if place == "host" { "site name" } else { "page path" },
            wrapped_note(link)
        ),
        vec![link_evidence(link)],
        link_location(index),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(html: &str) -> Option<u32> {
        let raw = format!("From: a@sender.example\r\nContent-Type: text/html\r\n\r\n{html}\r\n");
        crate::analyze(
            raw.as_bytes(),
            &crate::Policy::default(),
            &crate::Context::default(),
        )
        .findings
        .into_iter()
        .find(|f| f.rule == RULE.id)
        .map(|f| f.score)
    }

    #[test]
    fn grades() {
        assert_eq!(
            score("<a href='https://paypal.com.secure-login.top/x'>x</a>"),
            Some(45)
        );
        assert_eq!(
            score("<a href='https://paypal-verify.account.top/x'>x</a>"),
            Some(30)
        );
        assert_eq!(
            score("<a href='https://evil.top/paypal.com/login'>x</a>"),
            Some(20)
        );
        assert_eq!(score("<a href='https://www.paypal.com/signin'>x</a>"), None);
        assert_eq!(
            score("<a href='https://news.example/paypal-earnings'>x</a>"),
            None
        );
    }
}
