//! `recipient-address-in-subject`: the subject addresses you by your email address.
//!
//! **What it detects.** A `Subject` that contains one of the message's `To` addresses
//! ("john.doe@contoso.com, your mailbox is almost full", "Congrats! john.doe@contoso.com, you
//! have received a reward").
//!
//! **Why it matters.** Bulk phishing is mail-merged from a list of addresses: the address is all
//! the sender knows about you, so it is what the greeting uses. Organisations that know you
//! use your name, or no greeting in the subject at all.
//!
//! **Grading.** Low (20): a corroborating signal only.
//!
//! **Known false positives.** Honest notices that name the account they are about ("Security
//! alert for john.doe@gmail.com", sign-up confirmations). A brand's own genuine domain is not
//! judged (forged brand mail is other rules' business), nor is list mail whose subject names
//! the list's address.

use super::{Input, Rule, excerpt, finding, header_location, sender_trusted};
use crate::report::{Evidence, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "recipient-address-in-subject",
    summary: "The subject addresses the recipient by their email address",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    let Some(subject) = mail.subject.as_deref() else {
        return;
    };
    if mail.to.is_empty() || mail.is_list || !subject.contains('@') {
        return;
    }
    if let Some(from) = mail.author() {
        // `Mail::to` holds lower-case addresses; a note to oneself names one's own.
        let own = from.address.to_lowercase();
        if sender_trusted(input, from)
            || input.protected.is_genuine(&from.domain)
            || mail.to.contains(&own)
        {
            return;
        }
    }
    let subject_lower = subject.to_lowercase();
    let Some(address) = mail
        .to
        .iter()
        .find(|a| a.len() >= 3 && subject_lower.contains(a.as_str()))
    else {
        return;
    };
    out.push(finding(
        &RULE,
        Severity::Low,
        20,
        "The subject greets you by your email address".to_string(),
        format!(
            "The subject contains your address {}. Mass mailings fill in the address because it is all \
             they know about you; people and companies you deal with use your name.",
            excerpt(address)
        ),
        vec![Evidence::Text {
            text: excerpt(subject),
        }],
        header_location("Subject"),
    ));
}
