//! `qr-code-link`: a QR code in an image of the message leads to a web address.
//!
//! **What it detects.** A QR code decoded from an image attachment, an inline image or a
//! `data:` image in the HTML ([`crate::qr`]) whose text is an `http(s)` or `www.` address.
//! The decoded address is also a link of the message (kind `qr-code`), so every link rule
//! (look-alike domains, brand misuse, IP hosts, shorteners, free hosting…) judges its
//! destination; this rule names the technique.
//!
//! **Why it matters.** "Quishing" moves the link into a picture: mail filters that check
//! links do not see it, the reader cannot hover over it, and the phone that scans it is
//! usually outside the company's protection. The lure is typically an MFA re-enrolment, a
//! document to sign or a parcel, with "scan the code with your phone".
//!
//! **Example.** "Your multi-factor authentication expires today. Scan the QR code below with
//! your phone camera to keep access", with a PNG whose code opens
//! `https://rnicrosoft-mfa.example/enrol`.
//!
//! **Grading.** Info, 0, when the code leads to the sender's own authenticated organisation or
//! to a domain the policy trusts (the reader still learns where it goes). Otherwise Low, 10;
//! 20 when the text asks the reader to scan the code or the code is the message's only web
//! link; Medium, 30 when the text asks to sign in, approve or re-enrol MFA, or the destination
//! is itself suspicious (bare IP, shortener, free hosting, abuse-heavy TLD, URL tricks, a
//! look-alike of a protected domain). Half of that in list mail. A QR code alone never raises
//! a banner; with an MFA lure and a suspicious destination the link rules and content cues add
//! up to danger.
//!
//! **Known false positives.** Event tickets and boarding passes (their codes usually hold an
//! id, not an address, and are not flagged), payment slips (Swiss QR-bill and EPC/SEPA codes
//! are not addresses either), app-download codes in newsletters (list mail weighs half), and
//! third-party ticketing or survey sites linked by a code: 10 to 20 points, under the caution
//! threshold alone.

use super::lookalike_grade::{Grade, grade};
use super::{
    Input, Rule, authenticated_orgs, finding, followable, link_evidence, link_location,
    policy_trusts_host,
};
use crate::content::lexicon::Cue;
use crate::links::{Link, LinkKind, data};
use crate::report::{Evidence, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "qr-code-link",
    summary: "a QR code in an image of the message leads to a web address (stronger with an MFA or sign-in lure)",
    check,
};

/// Lure phrases asking the reader to scan a code with a phone.
fn asks_to_scan(phrase: &str) -> bool {
    [
        "scan", "qr", "escane", "camera", "câmera", "cámara", "kamera",
    ]
    .iter()
    .any(|w| phrase.contains(w))
}

/// Lure phrases about multi-factor sign-in.
fn mfa_wording(phrase: &str) -> bool {
    [
        "factor",
        "authenticat",
        "mfa",
        "2fa",
        "sign-in",
        "re-enrol",
        "re-register",
    ]
    .iter()
    .any(|w| phrase.contains(w))
}

/// Why a destination is suspicious in itself, or `None`.
fn suspicious(input: &Input<'_>, link: &Link) -> Option<&'static str> {
    let dest = &link.dest;
    if dest
        .ip
        .as_ref()
        .is_some_and(super::link_ip_address::is_public)
    {
        return Some("a bare IP address");
    }
    if !dest.tricks.is_empty() {
        return Some("an address written to deceive");
    }
    if data::lookup(data::SHORTENERS, &dest.host, &dest.path).is_some() {
        return Some("a link shortener that hides the destination");
    }
    if data::lookup(data::FREE_HOSTING, &dest.host, &dest.path).is_some() {
        return Some("a free hosting service");
    }
    if data::suspicious_tld(&dest.host).is_some() {
        return Some("a domain ending often used for abuse");
    }
    if dest.ip.is_none()
        && let Some(l) = input.protected.check_domain(&dest.host)
        && matches!(grade(&l), Some(Grade::Typo | Grade::Strong))
    {
        return Some("a look-alike of a protected domain");
    }
    None
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let qr: Vec<(usize, &Link)> = followable(input)
        .filter(|(_, l)| l.kind == LinkKind::QrCode && l.dest.is_web())
        .collect();
    if qr.is_empty() {
        return;
    }
    let lures = input.text.cues(Cue::Lure, 32);
    let scan = lures.iter().find(|p| asks_to_scan(p.text)).map(|p| p.text);
    let ask = input
        .text
        .cues(Cue::Credentials, 1)
        .first()
        .map(|p| p.text)
        .or_else(|| lures.iter().find(|p| mfa_wording(p.text)).map(|p| p.text));
    let only_link = followable(input).all(|(_, l)| l.kind == LinkKind::QrCode || !l.dest.is_web());
    let trusted_orgs = authenticated_orgs(input);

    // The most concerning code decides; the others are counted.
    let mut best: Option<(u32, usize, &Link, Option<&'static str>)> = None;
    for &(index, link) in &qr {
        let org = link.dest.org().to_ascii_lowercase();
        let trusted =
            policy_trusts_host(input.policy, &link.dest.host) || trusted_orgs.contains(&org);
        let why = suspicious(input, link);
        let score = if trusted {
            0
        } else if ask.is_some() || why.is_some() {
            30
        } else if scan.is_some() || only_link {
            20
        } else {
            10
        };
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, index, link, why));
        }
    }
    let Some((score, index, link, why)) = best else {
        return;
    };
    let score = if input.mail.is_list && score > 0 {
        (score / 2) / 5 * 5
    } else {
        score
    };
    let severity = match score {
        0 => Severity::Info,
        30.. => Severity::Medium,
        _ => Severity::Low,
    };
    let place = link.image.clone().unwrap_or_else(|| "QR code".to_string());
    let host = &link.dest.host_unicode;
    let mut explanation = if score == 0 {
        format!(
            "The {place} opens {host}, which belongs to the sender's own organisation. \
             A phone that scans it goes there."
        )
    } else {
        format!(
            "The {place} opens {host}. A link inside a picture cannot be checked by hovering \
             over it and is usually opened on a phone, away from the protection of your \
             computer; phishing uses QR codes for exactly that."
        )
    };
    if score > 0 {
        if let Some(why) = why {
            explanation.push_str(&format!(" The address is {why}."));
        }
        if let Some(ask) = ask {
            explanation.push_str(&format!(
                " The message also asks you to act on your account (\"{ask}\")."
            ));
        } else if let Some(scan) = scan {
            explanation.push_str(&format!(" The message asks you to scan it (\"{scan}\")."));
        }
    }
    if qr.len() > 1 {
        explanation.push_str(&format!(
            " {} more QR codes lead to web addresses.",
            qr.len() - 1
        ));
    }
    let mut evidence = vec![link_evidence(link), Evidence::Text { text: place }];
    evidence.extend(ask.or(scan).filter(|_| score > 0).map(|t| Evidence::Text {
        text: t.to_string(),
    }));
    out.push(finding(
        &RULE,
        severity,
        score,
        if score == 0 {
            format!("A QR code leads to {host}")
        } else {
            format!("A QR code in an image leads to {host}")
        },
        explanation,
        evidence,
        link_location(index),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording_classes() {
        assert!(asks_to_scan("scan the qr code"));
        assert!(asks_to_scan("escanee el código qr"));
        assert!(!asks_to_scan("voicemail"));
        assert!(mfa_wording("multi-factor authentication"));
        assert!(mfa_wording("approve the sign-in"));
        assert!(!mfa_wording("invoice attached"));
    }
}
