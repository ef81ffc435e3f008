//! `sender-authentication-failed`: the receiving mail system could not confirm the sender.
//!
//! **What it detects.** The believed Authentication-Results (see [`crate::auth::believe`]: the
//! topmost stamp of a trusted receiver such as Microsoft 365 or Google) say that the `From`
//! domain failed DMARC, that Microsoft's composite authentication (`compauth`) failed, or — with
//! no DMARC result or record — that SPF failed and no DKIM signature passed.
//!
//! **Why it matters.** DMARC is how a domain owner lets receivers check that mail using its
//! name really comes from it. A failure means the message may be using a name it has no right
//! to: the classic spoof of a bank, a supplier or your own organisation.
//!
//! **Grading.** High 60 when the spoofed domain is the organisation's own or a protected
//! brand's; high 45 for a DMARC failure under a `reject`/`quarantine` policy; medium 40 under
//! `p=none`; medium 35 for a composite-authentication failure alone; medium 30 for SPF failure
//! without DKIM. Mailing-list mail and mail with a trusted ARC pass (forwarding) only get low
//! (10): lists and forwarders change messages in ways that break these checks.
//!
//! **Known false positives.** Forwarding services and lists without ARC; organisations whose
//! own mail servers are misconfigured (fix the DNS records, or add the domain to
//! `trustedDomains` meanwhile).

use super::{Input, Rule, address_evidence, finding, header_location_at, org_of, sender_trusted};
use crate::policy::domain_within;
use crate::report::{AddressRole, Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "sender-authentication-failed",
    summary: "The receiving mail system could not confirm that the sender is who it claims",
    check,
};

fn failed(result: Option<&str>) -> bool {
    matches!(result, Some("fail" | "softfail" | "permerror"))
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let auth = input.auth;
    let mail = input.mail;
    if !auth.believed {
        return;
    }
    let Some(from) = mail.author() else { return };
    if from.domain.is_empty() || sender_trusted(input, from) {
        return;
    }
    let domain = auth.dmarc_from.as_deref().unwrap_or(&from.domain);
    let dmarc_failed = auth.dmarc.as_deref() == Some("fail");
    let compauth_failed = failed(auth.compauth.as_deref());
    // `dmarc=none` means the domain publishes no DMARC record: SPF and DKIM are all there is.
    let spf_only = matches!(auth.dmarc.as_deref(), None | Some("none"))
        && auth.compauth.is_none()
        && auth.spf.as_deref() == Some("fail")
        && auth.dkim.as_deref() != Some("pass");
    if !(dmarc_failed || compauth_failed || spf_only) {
        return;
    }
    let org = org_of(from);
    let protected = input.policy.is_org_domain(org)
        || input
            .policy
            .protected_domains
            .iter()
            .chain(
                input
                    .policy
                    .protected_brands
                    .iter()
                    .flat_map(|b| b.domains.iter()),
            )
            .any(|d| domain_within(org, d));
    let forwarded = mail.is_list || auth.arc.as_deref() == Some("pass");
    let strict = matches!(auth.dmarc_policy.as_deref(), Some("reject" | "quarantine"));
    let (severity, score) = if forwarded {
        (Severity::Low, 10)
    } else if protected && (dmarc_failed || compauth_failed) {
        (Severity::High, 60)
    } else if dmarc_failed && strict {
        (Severity::High, 45)
    } else if dmarc_failed {
        (Severity::Medium, 40)
    } else if compauth_failed {
        (Severity::Medium, 35)
    } else {
        (Severity::Medium, 30)
    };
    let what = if dmarc_failed {
        format!(
            "{domain} publishes a rule (DMARC) that lets receiving servers check mail sent in its name, and this message failed that check"
        )
    } else if compauth_failed {
        format!("Microsoft's check of whether this message really comes from {domain} failed")
    } else {
        format!(
            "the server that sent this message is not one {domain} allows to send its mail (SPF), and no digital signature (DKIM) vouches for it"
        )
    };
    let consequence = if forwarded {
        " The message came through a mailing list or forwarding service, which often breaks this check, so on its own this is not alarming."
    } else if protected {
        " Someone is probably pretending to be this sender."
    } else {
        " The sender's address may be forged."
    };
    let mut evidence = vec![address_evidence(AddressRole::From, from)];
    for (method, result) in [
        ("dmarc", &auth.dmarc),
        ("compauth", &auth.compauth),
        ("spf", &auth.spf),
        ("dkim", &auth.dkim),
    ] {
        if let Some(result) = result {
            evidence.push(Evidence::Auth {
                method: method.to_string(),
                result: result.clone(),
                domain: match method {
                    "spf" => auth.spf_domain.clone(),
                    "dkim" => auth.dkim_pass_domains.first().cloned(),
                    _ => Some(domain.to_string()),
                },
                authserv_id: auth.authserv_id.clone(),
            });
        }
    }
    out.push(finding(
        &RULE,
        severity,
        score,
        format!("{domain} could not confirm it sent this message"),
        format!("Your mail system reports that {what}.{consequence}"),
        evidence,
        auth.header_index
            .map_or(Location::Message, |i| header_location_at(mail, i)),
    ));
}
