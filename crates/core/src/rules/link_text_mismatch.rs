//! `link-text-mismatch`: a link's visible text shows one domain, but it leads to another.
//!
//! **What it detects.** An anchor whose visible text is a URL or domain name
//! (`https://www.paypal.com/signin`, `paypal.com`) while the real destination, after
//! unwrapping security rewriters and redirectors, is on a different registrable domain.
//!
//! **Why it matters.** It is the oldest phishing trick and still the most common: the reader
//! checks the text, the click goes elsewhere. A destination that imitates the shown domain
//! (`paypa1-login.top` under "paypal.com") is deliberate deception.
//!
//! **Example.** `<a href="https://paypa1-login.top/x">https://www.paypal.com/</a>`.
//!
//! **Grading.** Destination imitating the shown domain (contains its name, or differs by a
//! character or a homoglyph): high, 50. Shown domain is a protected brand's (policy or the
//! built-in seed) and the destination is not: high, 45. Any other mismatch: medium, 25, or
//! low, 15 when the sender's domain passed DMARC. Destination is a link shortener: low, 15;
//! an e-mail service provider's click tracker (data list): low, 10. No finding when the
//! destination is the sender's authenticated domain (passing DKIM, or the From domain under
//! DMARC pass) or a domain the policy trusts, nor when the authenticated sender shows its
//! own domain over a known click tracker. One finding per message, for the worst link.
//!
//! **Known false positives.** Newsletters show "www.brand.com" over a click-tracking link on
//! their e-mail provider's domain: known trackers weigh 10, unknown ones 15 when the sender
//! authenticated. Brands linking to a sister domain (text "brand.com", link "brand.co.uk").
//! Mimecast's scanning links carry an opaque id instead of the target; they are not judged
//! unless their `domain` parameter names another domain than the text.

use super::{
    Input, Rule, authenticated_orgs, finding, followable, link_evidence, link_location,
    policy_trusts_host, wrapped_note,
};
use crate::links::{LinkKind, data};
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "link-text-mismatch",
    summary: "a link's visible text shows a different domain than where it really leads",
    check,
};

/// The host a link's visible text shows, if the text is (essentially) a URL or domain.
pub fn shown_host(text: &str) -> Option<String> {
    let text = text.trim_matches(|c: char| c.is_whitespace() || "<>()[]\"'.,:;!".contains(c));
    // Only a text that is one token, or whose first token is the URL, counts.
    let token = text.split_whitespace().next()?;
    // A host needs a dot: ASCII without a dot or a percent escape cannot give one (non-ASCII
    // could: IDNA maps "。" to "."), so most anchor texts ("Click here") are answered here.
    if token.is_ascii() && !token.contains(['.', '%']) {
        return None;
    }
    if token.chars().count() > 200 {
        return None;
    }
    let lower = token.to_lowercase();
    let explicit = lower.starts_with("http://") || lower.starts_with("https://");
    let candidate = if explicit {
        token.to_string()
    } else {
        format!("http://{token}")
    };
    let has_path = !explicit && token.contains('/');
    let url = url::Url::parse(&candidate).ok()?;
    let host = match url.host()? {
        url::Host::Domain(d) => d.trim_end_matches('.').to_ascii_lowercase(),
        _ => return None,
    };
    if !host.contains('.') || !crate::domain::has_known_suffix(&host) {
        return None;
    }
    let tld = host.rsplit('.').next().unwrap_or_default();
    // File names in text ("report.zip", "photo.mov") are not domains unless written as URLs.
    if !explicit
        && !lower.starts_with("www.")
        && !has_path
        && matches!(
            tld,
            "zip"
                | "mov"
                | "py"
                | "sh"
                | "md"
                | "rs"
                | "pl"
                | "so"
                | "im"
                | "in"
                | "is"
                | "it"
                | "at"
                | "to"
                | "me"
                | "us"
                | "do"
        )
    {
        return None;
    }
    // Text words with a dot that are not names ("e.g", "Mr.Smith") need a plausible label.
    let label = host.rsplit('.').nth(1).unwrap_or_default();
    if label.len() < 2 {
        return None;
    }
    Some(host)
}

/// Registrable label: `paypal-login` of `paypal-login.top`.
fn label(registrable: &str) -> &str {
    registrable.split('.').next().unwrap_or(registrable)
}

/// Characters attackers swap for look-alikes, folded to the letter they imitate.
fn fold(s: &str) -> String {
    s.replace("rn", "m")
        .replace("vv", "w")
        .replace("cl", "d")
        .chars()
        .map(|c| match c {
            '1' | 'i' | '!' | '|' => 'l',
            '0' => 'o',
            '3' => 'e',
            '5' | '$' => 's',
            '@' | '4' => 'a',
            '-' | '_' => '\0',
            c => c,
        })
        .filter(|c| *c != '\0')
        .collect()
}

fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Whether the destination imitates the shown domain.
pub fn imitates(shown_registrable: &str, dest_host: &str, dest_registrable: &str) -> bool {
    let shown = label(shown_registrable);
    let dest = label(dest_registrable);
    if shown.len() < 4 || shown == dest {
        return false;
    }
    // paypal.com.secure.top, paypal-login.top
    if dest_host.contains(shown_registrable) || dest.contains(shown) {
        return true;
    }
    let (fs, fd) = (fold(shown), fold(dest));
    fs == fd || fd.contains(&fs) || distance(&fs, &fd) <= if fs.len() >= 8 { 2 } else { 1 }
}

/// Whether `dest` is a mail security gateway's scanning link for the shown domain. Mimecast
/// rewrites every link to `https://url.<region>.m.mimecastprotect.com/s/<id>?domain=<host>`
/// (older: `protect-<region>.mimecast.com/s/<id>`): the target is an opaque id, so the text is
/// all there is to compare, and the `domain` parameter, when given, must agree with it.
fn gateway_for(dest: &crate::links::Dest, shown_reg: &str) -> bool {
    let within = crate::policy::domain_within;
    let mimecast = within(&dest.host, "mimecastprotect.com")
        || (within(&dest.host, "mimecast.com") && dest.host.starts_with("protect-"));
    if !mimecast || !dest.path.starts_with("/s/") {
        return false;
    }
    let domain = dest
        .url
        .split_once('?')
        .and_then(|(_, q)| q.split('&').find_map(|kv| kv.strip_prefix("domain=")));
    domain.is_none_or(|d| {
        let d = d.to_ascii_lowercase();
        crate::domain::registrable_domain(&d).unwrap_or(&d) == shown_reg
    })
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let authenticated = authenticated_orgs(input);
    let policy_brands = input.policy_brands;
    let builtin = super::brand_index::builtin();
    // (which index, brand id) owning a host.
    let brand_of = |host: &str| {
        policy_brands
            .owner(host)
            .map(|id| (0, id))
            .or_else(|| builtin.owner(host).map(|id| (1, id)))
    };
    // (score, severity, index, shown registrable, why)
    let mut worst: Option<(u32, Severity, usize, String, String)> = None;
    let mut count = 0;
    for (i, link) in followable(input) {
        if link.kind != LinkKind::Anchor || !link.dest.is_web() {
            continue;
        }
        let Some(text) = link.text.as_deref() else {
            continue;
        };
        let Some(shown) = shown_host(text) else {
            continue;
        };
        let shown_reg = crate::domain::registrable_domain(&shown)
            .unwrap_or(&shown)
            .to_string();
        let dest = &link.dest;
        let dest_org = dest.org().to_string();
        if shown_reg == dest_org
            || policy_trusts_host(input.policy, &dest.host)
            || gateway_for(dest, &shown_reg)
        {
            continue;
        }
        // The shown domain and the destination both belong to one brand.
        let shown_brand_index = brand_of(&shown);
        if shown_brand_index.is_some() && shown_brand_index == brand_of(&dest.host) {
            continue;
        }
        // A sender may link to its own authenticated domain under any text, except text that
        // shows a protected brand's or the organisation's domain: attackers authenticate their
        // own domains too.
        if authenticated.contains(&dest_org)
            && shown_brand_index.is_none()
            && !input.policy.is_org_domain(&shown)
        {
            continue;
        }
        count += 1;
        let shown_brand = shown_brand_index.is_some();
        let (score, severity, why) = if imitates(&shown_reg, &dest.host, &dest_org) {
            (
                50,
                Severity::High,
                format!(
                    "{} imitates {shown_reg}, which is a classic phishing trick.",
                    dest.host_unicode
                ),
            )
        } else if shown_brand {
            (
                45,
                Severity::High,
                format!(
                    "{shown_reg} belongs to a well-known brand, but the link does not go there."
                ),
            )
        } else if let Some(rw) = data::lookup(data::OPAQUE_REWRITERS, &dest.host, &dest.path) {
            // Mimecast names the destination's domain in `?domain=`: check it when present.
            let hint = url::Url::parse(&dest.url).ok().and_then(|u| {
                u.query_pairs()
                    .take(32)
                    .find(|(k, _)| k == "domain")
                    .map(|(_, v)| v.to_ascii_lowercase())
            });
            if hint.as_deref().is_some_and(|h| {
                crate::policy::domain_within(h, &shown_reg)
                    || crate::policy::domain_within(&shown, h)
            }) {
                continue;
            }
            (
                10,
                Severity::Low,
                format!(
                    "The link is rewritten by {}, which hides the destination; it cannot be checked from here.",
                    rw.reason
                ),
            )
        } else if data::lookup(data::ESP_TRACKERS, &dest.host, &dest.path).is_some() {
            // The authenticated sender showing its own domain over its mail provider's click
            // tracker is how newsletters work.
            if authenticated.contains(&shown_reg) {
                continue;
            }
            (
                10,
                Severity::Low,
                format!(
                    "{} is an e-mail marketing service's click tracker, which newsletters use routinely; where it forwards to cannot be checked from here.",
                    dest.registrable.as_deref().unwrap_or(&dest.host)
                ),
            )
        } else if data::lookup(data::SHORTENERS, &dest.host, &dest.path).is_some() {
            (
                15,
                Severity::Low,
                format!(
                    "{} is a link shortener, which hides the final destination.",
                    dest.host
                ),
            )
        } else if input.auth.dmarc_passed() {
            (15, Severity::Low, "The sender's domain is verified, so this may be ordinary click tracking, but the link does not go where it says.".to_string())
        } else {
            (
                25,
                Severity::Medium,
                "Links that say one address and open another are a common phishing trick."
                    .to_string(),
            )
        };
        if worst.as_ref().is_none_or(|w| score > w.0) {
            worst = Some((score, severity, i, shown_reg, why));
        }
    }
    let Some((score, severity, index, shown_reg, why)) = worst else {
        return;
    };
    let Some(link) = input.links.links.get(index) else {
        return;
    };
    let more = if count > 1 {
        format!(" {} links in this message do this.", count)
    } else {
        String::new()
    };
    out.push(finding(
        &RULE,
        severity,
        score,
        format!("A link shows {shown_reg} but leads to {}", link.dest.org()),
        format!(
            "The link text reads \"{}\", but clicking it opens {}. {why}{}{more}",
            super::excerpt(link.text.as_deref().unwrap_or_default()),
            link.dest.host_unicode,
            wrapped_note(link)
        ),
        vec![link_evidence(link)],
        link_location(index),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_hosts() {
        assert_eq!(
            shown_host("https://www.PayPal.com/signin").as_deref(),
            Some("www.paypal.com")
        );
        assert_eq!(shown_host(" paypal.com ").as_deref(), Some("paypal.com"));
        assert_eq!(shown_host("Click here"), None);
        assert_eq!(shown_host("report.zip"), None);
        assert_eq!(shown_host("e.g."), None);
        assert_eq!(
            shown_host("www.example.com/more info").as_deref(),
            Some("www.example.com")
        );
    }

    #[test]
    fn imitation() {
        assert!(imitates(
            "paypal.com",
            "paypa1-login.top",
            "paypa1-login.top"
        ));
        assert!(imitates(
            "paypal.com",
            "paypal.com.secure.top",
            "secure.top"
        ));
        assert!(imitates(
            "microsoft.com",
            "rnicrosoft.net",
            "rnicrosoft.net"
        ));
        assert!(!imitates(
            "paypal.com",
            "list-manage.com",
            "list-manage.com"
        ));
        assert!(!imitates("example.com", "example.net", "example.net"));
    }

    fn run(html: &str, extra_headers: &str) -> Vec<Finding> {
        let raw = format!(
            "From: news@shopexample.com\r\n{extra_headers}Content-Type: text/html\r\n\r\n{html}\r\n"
        );
        crate::analyze(
            raw.as_bytes(),
            &crate::Policy::default(),
            &crate::Context::default(),
        )
        .findings
        .into_iter()
        .filter(|f| f.rule == RULE.id)
        .collect()
    }

    #[test]
    fn grades() {
        let f = run(
            "<a href='https://paypa1-login.top/x'>https://www.paypal.com/</a>",
            "",
        );
        assert_eq!(f[0].score, 50);
        let f = run("<a href='https://evil.example/x'>www.paypal.com</a>", "");
        assert_eq!(f[0].score, 45);
        let f = run(
            "<a href='https://evil.example/x'>www.shopexample.com</a>",
            "",
        );
        assert_eq!(f[0].score, 25);
        let f = run(
            "<a href='https://x.list-manage.com/track/click?u=1'>www.shopexample.com</a>",
            "",
        );
        assert_eq!(f[0].score, 10);
        assert!(
            run(
                "<a href='https://www.shopexample.com/x'>shopexample.com</a>",
                ""
            )
            .is_empty()
        );
        assert!(run("<a href='https://evil.example/'>Click here</a>", "").is_empty());
        let safe = "<a href='https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.paypal.com%2F&data=1'>www.paypal.com</a>";
        assert!(run(safe, "").is_empty());
        let auth = "Authentication-Results: mx.google.com; dkim=pass header.d=esp.example; dmarc=pass header.from=shopexample.com\r\n";
        assert!(
            run(
                "<a href='https://t.esp.example/c/1'>www.shopexample.com</a>",
                auth
            )
            .is_empty()
        );
    }
}
