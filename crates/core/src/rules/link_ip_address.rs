//! `link-ip-address`: a link to a bare IP address instead of a name.
//!
//! **What it detects.** A link destination (after unwrapping) whose host is an IPv4 or IPv6
//! address that is publicly routable.
//!
//! **Why it matters.** Organisations link to their names; a raw address hides who runs the
//! server and is typical of throw-away phishing hosts and compromised machines.
//!
//! **Example.** `http://203.0.113.45/login/office365/`.
//!
//! **Grading.** Medium, 25 (one weak signal; odd notations are flagged separately by
//! `link-obfuscated-url`). Private, loopback and link-local addresses are skipped.
//!
//! **Known false positives.** Internal tools and appliances linked by address (skipped when
//! private), old mailing lists linking to servers by address.

use super::{Input, Rule, finding, followable, link_evidence, link_location, wrapped_note};
use crate::report::{Finding, Severity};
use std::net::IpAddr;

pub const RULE: Rule = Rule {
    id: "link-ip-address",
    summary: "a link goes to a bare public IP address",
    check,
};

pub fn is_public(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast())
        }
        IpAddr::V6(v6) => {
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80)
        }
    }
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut hits = followable(input).filter(|(_, l)| l.dest.ip.as_ref().is_some_and(is_public));
    let Some((index, link)) = hits.next() else {
        return;
    };
    let more = hits.count();
    out.push(finding(
        &RULE,
        Severity::Medium,
        25,
        format!("A link goes to the bare address {}", link.dest.host),
        format!(
            "The link opens {} instead of a named website, which hides who runs the server.{}{}",
            link.dest.host,
            wrapped_note(link),
            if more > 0 {
                format!(" {} more links do the same.", more)
            } else {
                String::new()
            }
        ),
        vec![link_evidence(link)],
        link_location(index),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_only() {
        assert!(is_public(&"203.0.113.5".parse().unwrap()));
        assert!(is_public(&"8.8.8.8".parse().unwrap()));
        assert!(!is_public(&"192.168.1.1".parse().unwrap()));
        assert!(!is_public(&"127.0.0.1".parse().unwrap()));
        assert!(!is_public(&"fe80::1".parse().unwrap()));
    }
}
