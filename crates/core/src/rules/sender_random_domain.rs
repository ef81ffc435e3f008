//! `sender-random-domain`: the sender's domain name looks machine-made.
//!
//! **What it detects.** A `From` address whose registrable domain's own label (the part left of
//! the public suffix: `i0q7zw6iwr` in `i0q7zw6iwr.com`) is at least 8 characters long, has at
//! least two digits and three letters, and alternates between letters and digits at least four
//! times (three, when a lone letter sits between two digits: `eqbfet2k81`): a string generated
//! by a program, not a name somebody chose. Also a host name that spells letters out one label
//! at a time (`s.u.p.p.o.r.t.example.net`, `a.b.c.d.e.f.g.example.com`): four or more
//! one-character labels in a row.
//!
//! **Why it matters.** Bulk phishing burns through throwaway domains, registered by the
//! hundred with generated names, because each is blocked within days. An organisation's mail
//! domain is a name people are meant to read and remember.
//!
//! **Grading.** Low (20): a corroborating signal only.
//!
//! **Known false positives.** Names that mix words and numbers several times ("top10for2u");
//! a genuine service's generated tenant domain used as a sender address. Trusted senders and
//! domains of protected brands are not judged.

use super::{Input, Rule, address_evidence, finding, header_location, sender_trusted};
use crate::domain::public_suffix;
use crate::report::{AddressRole, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "sender-random-domain",
    summary: "The sender's domain name looks machine-made",
    check,
};

/// Whether a domain label reads as generated: ≥ 8 characters, ≥ 2 digits, ≥ 3 letters, and
/// ≥ 4 switches between a letter and a digit, or 3 with a lone letter between two digits
/// (`2k8`). Chosen names switch less: "web2print24" has three switches around whole words.
/// Hyphens break nothing and count for nothing.
pub fn machine_made(label: &str) -> bool {
    let b = label.as_bytes();
    if b.len() < 8 || b.len() > 63 {
        return false;
    }
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    let letters = b.iter().filter(|c| c.is_ascii_alphabetic()).count();
    if digits < 2 || letters < 3 {
        return false;
    }
    let chars: Vec<u8> = b
        .iter()
        .copied()
        .filter(u8::is_ascii_alphanumeric)
        .collect();
    let switches = chars
        .windows(2)
        .filter(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit())
        .count();
    let lone_letter = chars
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1].is_ascii_alphabetic() && w[2].is_ascii_digit());
    switches >= 4 || (switches == 3 && lone_letter)
}

/// Whether a host name has four or more one-character labels in a row.
pub fn spelled_out(host: &str) -> bool {
    let mut run = 0;
    for label in host.split('.') {
        run = if label.len() == 1 { run + 1 } else { 0 };
        if run >= 4 {
            return true;
        }
    }
    false
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(from) = input.mail.author() else {
        return;
    };
    if spelled_out(&from.domain) && !sender_trusted(input, from) {
        out.push(finding(
            &RULE,
            Severity::Low,
            20,
            format!("The sender's domain {} looks machine-made", from.domain),
            format!(
                "The address {} is at {}, a host name that spells letters out one at a time between dots. \
                 No organisation names its mail servers that way; mass mailers do it to slip past filters.",
                from.address, from.domain
            ),
            vec![address_evidence(AddressRole::From, from)],
            header_location("From"),
        ));
        return;
    }
    let Some(registrable) = from.registrable.as_deref() else {
        return;
    };
    let Some(suffix) = public_suffix(registrable) else {
        return;
    };
    let label = &registrable[..registrable.len().saturating_sub(suffix.len() + 1)];
    // Punycode labels (`xn--…`) are encodings, not generated names.
    if label.starts_with("xn--")
        || !machine_made(label)
        || sender_trusted(input, from)
        || input.protected.is_genuine(&from.domain)
    {
        return;
    }
    out.push(finding(
        &RULE,
        Severity::Low,
        20,
        format!("The sender's domain {registrable} looks machine-made"),
        format!(
            "The address {} is at {registrable}, a jumble of letters and digits rather than a name anyone \
             would choose. Mass mailers register such domains by the hundred and drop each one once it is blocked.",
            from.address
        ),
        vec![address_evidence(AddressRole::From, from)],
        header_location("From"),
    ));
}

#[cfg(test)]
mod tests {
    use super::machine_made;

    #[test]
    fn generated_labels() {
        for l in [
            "i0q7zw6iwr",
            "wkmk3k53ig",
            "eqbfet2k81",
            "05odwp3cj9",
            "c89yh36gem",
        ] {
            assert!(machine_made(l), "{l}");
        }
        for l in [
            "1and1",
            "365online",
            "mail2world",
            "web2py",
            "office365",
            "3com",
            "abc123def",
            "bandsintown",
            "a1b2",
            "web2print24",
            "face2face1",
        ] {
            assert!(!machine_made(l), "{l}");
        }
    }
}
