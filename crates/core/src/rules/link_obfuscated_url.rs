//! `link-obfuscated-url`: a URL written to look like it goes somewhere else.
//!
//! **What it detects.** Tricks in how a link's URL is written: a domain before `@`
//! (`https://www.paypal.com@evil.example/`: the host is `evil.example`), an IPv4 host in hex,
//! octal, single-number or mixed notation (`http://0x7f.1/`, `http://3232235777/`),
//! percent-encoded characters in the host, backslashes or missing slashes after the scheme,
//! and unusual ports.
//!
//! **Why it matters.** Browsers accept all of these, but people and naive filters read them
//! wrongly. Legitimate mail has no reason to write URLs this way.
//!
//! **Example.** `https://www.paypal.com@evil.example/signin`.
//!
//! **Grading.** Domain-like user information before `@`: high, 45; other user information:
//! medium, 25. Odd IP notation: medium, 40. Percent-encoded host (decoding to a real domain): medium, 30. Backslashes or
//! missing slashes: low, 15. A port other than 80/443/8080/8443: low, 10. One finding per
//! message, for the worst trick.
//!
//! **Known false positives.** FTP links with a user name (`ftp://anonymous@host`), internal
//! services on custom ports.

use super::{Input, Rule, finding, followable, link_evidence, link_location, wrapped_note};
use crate::links::Trick;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "link-obfuscated-url",
    summary: "a URL disguised with user info before @, odd IP notation, encoded host or broken slashes",
    check,
};

fn grade(trick: &Trick) -> Option<(u32, String)> {
    Some(match trick {
        Trick::UserInfo(u) if u.contains('.') => (
            45,
            format!(
                "\"{u}\" before the @ sign looks like the site name, but it is ignored: the real site is after the @"
            ),
        ),
        Trick::UserInfo(u) => (
            25,
            format!(
                "the address starts with \"{u}@\", a user name that hides where the link really goes"
            ),
        ),
        Trick::IpNotation(h) => (
            40,
            format!(
                "the server is written as \"{h}\", an unusual way of writing a numeric address to hide it"
            ),
        ),
        Trick::PercentHost => (
            30,
            "the site name is written with percent-encoded characters to hide it".to_string(),
        ),
        Trick::Backslashes => (
            15,
            "it uses backslashes where slashes belong, which browsers silently correct".to_string(),
        ),
        Trick::MissingSlashes => (
            15,
            "it lacks the usual // after the scheme, which browsers silently correct".to_string(),
        ),
        Trick::Port(80 | 443 | 8080 | 8443) => return None,
        Trick::Port(p) => (10, format!("it uses the unusual port {p}")),
    })
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let best = followable(input)
        .filter(|(_, l)| {
            !(l.dest.scheme == "ftp"
                && l.dest
                    .tricks
                    .iter()
                    .all(|t| matches!(t, Trick::UserInfo(_))))
        })
        .flat_map(|(i, l)| {
            l.dest
                .tricks
                .iter()
                .filter(move |t| !matches!(t, Trick::PercentHost) || l.dest.registrable.is_some())
                .filter_map(move |t| grade(t).map(|g| (i, l, g)))
        })
        .max_by_key(|(i, _, g)| (g.0, usize::MAX - i));
    let Some((index, link, (score, why))) = best else {
        return;
    };
    let severity = match score {
        45.. => Severity::High,
        25.. => Severity::Medium,
        _ => Severity::Low,
    };
    out.push(finding(
        &RULE,
        severity,
        score,
        format!("A link to {} is disguised", link.dest.host_unicode),
        format!(
            "The link really goes to {}: {why}.{}",
            link.dest.host_unicode,
            wrapped_note(link)
        ),
        vec![link_evidence(link)],
        link_location(index),
    ));
}

#[cfg(test)]
mod tests {
    fn score(href: &str) -> Option<u32> {
        let raw = format!(
            "From: a@sender.example\r\nContent-Type: text/html\r\n\r\n<a href='{href}'>x</a>\r\n"
        );
        crate::analyze(
            raw.as_bytes(),
            &crate::Policy::default(),
            &crate::Context::default(),
        )
        .findings
        .into_iter()
        .find(|f| f.rule == super::RULE.id)
        .map(|f| f.score)
    }

    #[test]
    fn grades() {
        assert_eq!(score("https://www.paypal.com@evil.example/"), Some(45));
        assert_eq!(score("http://0x7f.0.0.1/"), Some(40));
        assert_eq!(score("http://%65vil.com/"), Some(30));
        assert_eq!(score("https:evil.example/"), Some(15));
        assert_eq!(score("https://x.example:8080/"), None);
        assert_eq!(score("https://x.example/"), None);
    }
}
