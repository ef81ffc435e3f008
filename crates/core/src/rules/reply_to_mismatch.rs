//! `reply-to-mismatch`: replies would go to a different organisation than the sender's.
//!
//! **What it detects.** A `Reply-To` address whose registrable domain differs from the `From`
//! address's, so pressing "Reply" writes to someone other than the apparent sender.
//!
//! **Why it matters.** Business-email-compromise and invoice fraud rely on it: the message
//! looks like it came from a colleague or supplier, but the conversation continues with the
//! attacker, typically at a free-mail address.
//!
//! **Example.** `From: Megan Bowen <megan.bowen@contoso.com>`,
//! `Reply-To: megan.bowen.office@gmail.com`.
//!
//! **Grading.** A free-mail Reply-To under a non-free-mail From is medium (35 points); two
//! different free-mail providers is medium (30); any other organisation is low (20), or 15
//! when the From domain passed DMARC (the brand itself chose that Reply-To).
//!
//! **Known false positives.** Mailing lists (the list, or Mailman's From-munging, sets
//! Reply-To): skipped when `List-Id`/`List-Post` is present. Companies whose support desk
//! lives on another domain: low weight, never enough for a banner alone. Trusted senders
//! from the policy are skipped.

use super::{Input, Rule, address_evidence, finding, header_location, org_of, sender_trusted};
use crate::domain::is_freemail;
use crate::report::{AddressRole, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "reply-to-mismatch",
    summary: "Reply-To sends answers to a different organisation than the sender's",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    let Some(from) = mail.author() else { return };
    if mail.is_list || from.domain.is_empty() || sender_trusted(input, from) {
        return;
    }
    let from_org = org_of(from);
    // One finding, for the first Reply-To address on another organisation.
    let Some(reply) = mail
        .reply_to
        .iter()
        .find(|r| !r.domain.is_empty() && !org_of(r).eq_ignore_ascii_case(from_org))
    else {
        return;
    };
    let reply_free = is_freemail(&reply.domain);
    let from_free = is_freemail(&from.domain);
    let (severity, score, why) = if reply_free && !from_free {
        (
            Severity::Medium,
            35,
            format!(
                "{} is a free personal email service, which a real organisation would not use for replies.",
                reply.domain
            ),
        )
    } else if reply_free && from_free {
        (
            Severity::Medium,
            30,
            "Both are free personal email services, so the sender and the person you would be answering may not be the same."
                .to_string(),
        )
    } else if input.auth.dmarc_passed() {
        (
            Severity::Low,
            15,
            "The sender's domain is verified, so this may be its own choice, but check before sending anything sensitive."
                .to_string(),
        )
    } else {
        (
            Severity::Low,
            20,
            "Check that you know this address before sending anything sensitive.".to_string(),
        )
    };
    out.push(finding(
        &RULE,
        severity,
        score,
        format!("Replies go to {} instead of the sender", reply.domain),
        format!(
            "The message comes from {} but pressing Reply writes to {}. {}",
            from.address, reply.address, why
        ),
        vec![
            address_evidence(AddressRole::From, from),
            address_evidence(AddressRole::ReplyTo, reply),
        ],
        header_location("Reply-To"),
    ));
}
