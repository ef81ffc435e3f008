//! `return-path-mismatch`: the envelope sender is another organisation, and DMARC did not pass.
//!
//! **What it detects.** The `Return-Path` (the envelope sender that SPF checks) or the `Sender`
//! header on a registrable domain different from the `From` address's, when the believed
//! authentication says DMARC did not pass.
//!
//! **Why it matters.** When DMARC passes, a different envelope domain is normal (newsletter
//! services send on behalf of brands). When it does not, nothing ties the visible sender to the
//! system that actually sent the message, and the mismatch shows who really did.
//!
//! **Grading.** Low (15): corroborates other findings.
//!
//! **Known false positives.** Mailing lists (skipped); forwarding services. Without a trusted
//! authentication result the rule stays silent rather than guess.

use super::{Input, Rule, address_evidence, finding, header_location, org_of, sender_trusted};
use crate::report::{AddressRole, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "return-path-mismatch",
    summary: "The envelope sender is another organisation and DMARC did not pass",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    if !input.auth.dmarc_not_passed() || mail.is_list {
        return;
    }
    let Some(from) = mail.author() else { return };
    if from.domain.is_empty() || sender_trusted(input, from) {
        return;
    }
    let candidates = [
        (
            AddressRole::ReturnPath,
            "Return-Path",
            mail.return_path.as_ref(),
        ),
        (AddressRole::Sender, "Sender", mail.sender.as_ref()),
    ];
    for (role, header, mailbox) in candidates {
        let Some(other) = mailbox.filter(|m| !m.domain.is_empty()) else {
            continue;
        };
        if org_of(other).eq_ignore_ascii_case(org_of(from)) {
            continue;
        }
        out.push(finding(
            &RULE,
            Severity::Low,
            15,
            format!("Actually sent by {}, not {}", org_of(other), org_of(from)),
            format!(
                "The message shows {} as the sender, but the system that sent it used {} ({} header), and nothing \
                 confirms that {} allowed this.",
                from.address,
                other.address,
                header,
                org_of(from)
            ),
            vec![address_evidence(AddressRole::From, from), address_evidence(role, other)],
            header_location(header),
        ));
        return;
    }
}
