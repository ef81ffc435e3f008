//! `subject-brand-impersonation`: the subject speaks for a brand about your account, but the
//! sender is not that brand.
//!
//! **What it detects.** A `Subject` that names a protected brand (the policy's or the built-in
//! list's, look-alike characters included) *and* carries phishing vocabulary of its own (an
//! account, payment, prize or delivery pretext from the lexicon: "Microsoft account unusual
//! sign-in activity", "Confirme sus datos de entrega con FedEx"), on mail whose `From` address
//! is outside every domain of that brand.
//!
//! **Why it matters.** The subject is what a reader sees first in the message list. When it
//! reads like a notice from their bank or mail provider, most people never look at who sent
//! it. A brand's own notices come from the brand's domains; the same words from anywhere else
//! are someone speaking in its name.
//!
//! **Grading.** Low (20), a corroborating signal: news, reviews and resellers name brands in
//! subjects too, and the lexicon's phrases are ordinary words. It never raises a banner alone.
//! Not judged for list mail, senders the policy trusts, or a brand's own genuine domains
//! (forgeries of those are `brand-sender-unverified`'s and `sender-authentication-failed`'s).
//!
//! **Known false positives.** A merchant's receipt that names the payment service in the
//! subject ("Payment received via PayPal"); a security newsletter headline.

use super::{Input, Rule, excerpt, finding, header_location, sender_trusted};
use crate::content::lexicon::PHRASES;
use crate::policy::domain_within;
use crate::report::{Evidence, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "subject-brand-impersonation",
    summary: "The subject speaks for a brand about your account, but the sender is not the brand",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    let Some(subject) = mail.subject.as_deref() else {
        return;
    };
    let Some(from) = mail.author() else { return };
    if mail.is_list || sender_trusted(input, from) || input.protected.is_genuine(&from.domain) {
        return;
    }
    // The cheap test first: most subjects carry no lure phrase.
    let Some(&phrase) = input.text.subject_phrases().first() else {
        return;
    };
    let Some(mention) = input.protected.check_display_name(subject) else {
        return;
    };
    if !from.domain.is_empty()
        && mention
            .domains
            .iter()
            .any(|d| domain_within(&from.domain, d))
    {
        return;
    }
    let words = PHRASES[phrase].text;
    let sender = if from.domain.is_empty() {
        "a message with no sender address".to_string()
    } else {
        format!(
            "{}, which is not one of {}'s addresses",
            from.address, mention.brand
        )
    };
    out.push(finding(
        &RULE,
        Severity::Low,
        20,
        format!("The subject speaks for {}, but the sender is not {}", mention.brand, mention.brand),
        format!(
            "The subject names {} and says \"{words}\", as a notice from {} would, but it comes from {sender}. \
             Check your account on {}'s own website or app rather than through this message.",
            mention.brand, mention.brand, mention.brand
        ),
        vec![
            Evidence::Text {
                text: excerpt(subject),
            },
            Evidence::Text {
                text: format!("Brand: {}", mention.brand),
            },
        ],
        header_location("Subject"),
    ));
}
