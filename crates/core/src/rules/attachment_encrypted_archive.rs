//! `attachment-encrypted-archive`: a password-protected archive, especially with the password
//! written in the message.
//!
//! **What it detects.** A ZIP attachment whose central directory marks entries as encrypted;
//! stronger when the message text states a password (a password word from
//! [`crate::content::lexicon::PASSWORD_WORDS`] followed by a short token).
//!
//! **Why it matters.** Encryption stops gateways and antivirus from looking inside; giving the
//! password in the same message defeats the only purpose encryption could have, which shows
//! the goal was to hide the content from filters, not from eavesdroppers. Malware campaigns
//! (Emotet, Qakbot, IcedID) used exactly this.
//!
//! **Example.** `Docs_4471.zip` (encrypted) with "The archive password is: 4471".
//!
//! **Grading.** Encrypted archive with the password in the text: high, 45. Encrypted archive
//! alone: low, 25.
//!
//! **Known false positives.** Some organisations send encrypted archives by policy and give the
//! password separately; alone, that stays below a banner. Those that put the password in the
//! same message get a caution, which is fair advice.

use super::{Input, Rule, finding};
use crate::content::lexicon::PASSWORD_WORDS;
use crate::report::{Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "attachment-encrypted-archive",
    summary: "a password-protected archive, especially with the password in the message",
    check,
};

/// A password stated in `text`: a password word, up to a few separator characters or
/// "is", then a token of 3–32 characters. Returns the excerpt around it.
pub fn stated_password(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    // Bounded: the first 64 KiB of text.
    let lower = lower.get(..lower.len().min(64 * 1024)).unwrap_or(&lower);
    for word in PASSWORD_WORDS {
        let mut from = 0;
        let mut tries = 0;
        while let Some(pos) = lower[from..].find(word.text) {
            tries += 1;
            if tries > 50 {
                break;
            }
            let at = from + pos;
            from = at + word.text.len();
            let mut rest = &lower[from..];
            // "senha de acesso ao pdf: 123", "password for the attachment: 4471": a few words
            // naming what it opens, then a colon, on the same line.
            let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
            if let Some(colon) = line.find(':')
                && line[..colon].chars().count() <= 30
                && line[..colon].split_whitespace().count() <= 5
            {
                rest = &rest[colon..];
            }
            let rest = rest.trim_start_matches(|c: char| {
                c == ' ' || c == ':' || c == '=' || c == '-' || c == '\u{a0}' || c == '\t'
            });
            let rest = rest
                .strip_prefix("is ")
                .or_else(|| rest.strip_prefix("is:"))
                .unwrap_or(rest)
                .trim_start_matches([' ', ':', '"', '\'', '«', '“']);
            let token: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '”' | '»'))
                .take(40)
                .collect();
            let token = token.trim_end_matches(['.', ',', ';', ')']);
            let n = token.chars().count();
            if (3..=32).contains(&n)
                && !matches!(
                    token,
                    "for" | "the" | "and" | "you" | "your" | "will" | "was"
                )
            {
                let start = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .take_while(|i| *i <= at)
                    .last()
                    .unwrap_or(0);
                return Some(super::excerpt(
                    text.get(start..)
                        .unwrap_or_default()
                        .lines()
                        .next()
                        .unwrap_or_default(),
                ));
            }
        }
    }
    None
}

/// A password stated in the message's text bodies (plain first, then HTML) or subject.
pub fn password_in_message(mail: &crate::mail::Mail) -> Option<String> {
    mail.text_bodies
        .iter()
        .chain(mail.html_bodies.iter())
        .find_map(|t| stated_password(t))
        .or_else(|| mail.subject.as_deref().and_then(stated_password))
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    let Some(att) = mail.attachments.iter().find(|a| {
        a.content
            .as_ref()
            .and_then(|c| c.archive.as_ref())
            .is_some_and(|l| l.entries.iter().any(|e| e.encrypted))
    }) else {
        return;
    };
    out.push(locked_finding(
        mail,
        att,
        &Locked {
            rule: &RULE,
            title: "An attached archive is password-protected",
            alone: 25,
            with_password: |file| {
                format!(
                    "The archive \"{file}\" is locked with a password, and the password is written in the \
                     message itself. That protects nothing from you; it only stops filters from looking inside."
                )
            },
            without: |file| {
                format!(
                    "The archive \"{file}\" is locked with a password, so nothing could check what is inside \
                     before it reached you."
                )
            },
        },
    ));
}

/// What a finding about a password-locked attachment says (an archive, a document).
pub struct Locked<'a> {
    pub rule: &'a Rule,
    pub title: &'a str,
    /// Points when no password is written in the message (45 when one is).
    pub alone: u32,
    /// Explanations for the file name given: password in the message, and not.
    pub with_password: fn(&str) -> String,
    pub without: fn(&str) -> String,
}

/// The finding for the locked attachment `att`: high (45) with the password written in the
/// message, low (`alone`) without.
pub fn locked_finding(
    mail: &crate::mail::Mail,
    att: &crate::mail::Attachment,
    locked: &Locked<'_>,
) -> Finding {
    let file = super::excerpt(att.name.as_deref().unwrap_or("(unnamed)"));
    let mut evidence = vec![Evidence::Text { text: file.clone() }];
    let (severity, score, explanation) = match password_in_message(mail) {
        Some(p) => {
            evidence.push(Evidence::Text { text: p });
            (Severity::High, 45, (locked.with_password)(&file))
        }
        None => (Severity::Low, locked.alone, (locked.without)(&file)),
    };
    finding(
        locked.rule,
        severity,
        score,
        locked.title.to_string(),
        explanation,
        evidence,
        Location::Part {
            path: att.path.clone(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_stated_passwords() {
        assert!(stated_password("The archive password is: 4471").is_some());
        assert!(stated_password("Password: Xk7-22").is_some());
        assert!(stated_password("PW 123abc").is_none(), "unlisted word");
        assert!(stated_password("Reset your password for the portal").is_none());
        assert!(stated_password("Kennwort: abc123").is_some());
        assert!(stated_password("SENHA DE ACESSO AO PDF: 123").is_some());
        assert!(stated_password("The password for the attachment: Q7-x91").is_some());
        assert!(stated_password("your password\nfor the portal: none").is_none());
        assert!(stated_password("nothing here").is_none());
    }
}
