//! `forged-authentication-results`: a fake "passed" stamp hidden lower in the headers.
//!
//! **What it detects.** An `Authentication-Results` field written in the name of a trusted
//! receiver (Google, Microsoft 365, or an authserv-id the policy trusts) below the receiver's
//! real, topmost stamp, claiming a pass that the real stamp denies (see
//! [`crate::auth::believe`]).
//!
//! **Why it matters.** Receivers add their stamp on top; anything below came with the message.
//! Senders add fake "dmarc=pass" stamps hoping a filter or a person reading the headers will
//! trust them. Nobody with honest intentions does this.
//!
//! **Grading.** High (40); low (10) when a trusted ARC pass shows the message was forwarded
//! between two providers, which leaves a genuine earlier stamp behind.
//!
//! **Known false positives.** Forwarding between two trusted providers without ARC.

use super::{Input, Rule, finding, header_location_at};
use crate::report::{Evidence, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "forged-authentication-results",
    summary: "A fake authentication stamp claims a pass the real one denies",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let auth = input.auth;
    let Some(first) = auth.forged.first() else {
        return;
    };
    let forwarded = auth.arc.as_deref() == Some("pass");
    let (severity, score) = if forwarded {
        (Severity::Low, 10)
    } else {
        (Severity::High, 40)
    };
    let evidence = auth
        .forged
        .iter()
        .take(8)
        .map(|f| Evidence::Auth {
            method: f.method.clone(),
            result: format!("claimed {}, real result {}", f.claimed, f.believed),
            domain: f.domain.clone(),
            authserv_id: f.authserv_id.clone(),
        })
        .collect();
    out.push(finding(
        &RULE,
        severity,
        score,
        "The message carries a fake security stamp".to_string(),
        format!(
            "Lower in its technical headers this message claims it passed the {} check, written as if by your mail system, \
             but your mail system's real result is \"{}\". Forged stamps like this are added to make a message look trustworthy.",
            first.method, first.believed
        ),
        evidence,
        header_location_at(input.mail, first.header_index),
    ));
}
