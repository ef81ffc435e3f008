//! `received-chain-anomaly`: the relay trail contradicts itself.
//!
//! **What it detects.** `Received` hops whose times run backwards by more than an hour
//! (a hop that claims to have received the message long after the next server did), and hops
//! dated more than a day after the time of analysis. Also a hop whose sending server
//! introduces itself as a big provider's (`from mail-sor-f41.google.com`) while the
//! receiving server found its address belongs elsewhere (the reverse-DNS name in parentheses).
//!
//! **Why it matters.** Each server adds its hop on top, so times only grow towards the top,
//! apart from small clock skew. Hops that break this order were usually written by the sender
//! to make a message look like it travelled a legitimate path.
//!
//! **Grading.** Low: 10 for times (servers with badly set clocks exist), 20 for a provider
//! name the connecting address does not back up. Corroborates, never decides.
//!
//! **Known false positives.** Misconfigured time zones on old relays.

use super::provider_missing_from_chain::Provider;
use super::{Input, Rule, finding, header_location_at};
use crate::policy::domain_within;
use crate::report::{Evidence, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "received-chain-anomaly",
    summary: "The Received trail runs backwards in time or lies in the future",
    check,
};

/// Allowed skew before hop times running backwards count.
const SKEW: i64 = 3600;
/// How far past the context's `now` a hop may be dated.
const FUTURE: i64 = 86_400;

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let hops = &input.mail.received;
    for hop in hops {
        let (Some(claimed), Some(iprev)) = (hop.from_host.as_deref(), hop.from_iprev.as_deref())
        else {
            continue;
        };
        let Some(provider) = Provider::serving(claimed) else {
            continue;
        };
        // The reverse name must be a host name (not a bare address) outside the provider.
        let iprev_is_name = iprev.contains('.') && iprev.parse::<std::net::IpAddr>().is_err();
        if (iprev_is_name || iprev == "unknown")
            && provider
                .server_domains
                .iter()
                .all(|d| !domain_within(iprev, d))
        {
            out.push(finding(
                &RULE,
                Severity::Low,
                20,
                format!("A server falsely introduced itself as {}'s", provider.name),
                format!(
                    "A server that passed this message along called itself {claimed}, a {} server, but the \
                     receiving server found its address belongs to {iprev}. Forged relay records like this \
                     make a message look like it came from {}.",
                    provider.name, provider.name
                ),
                vec![Evidence::Header {
                    name: "Received".to_string(),
                    excerpt: super::excerpt(&format!("from {claimed} ({iprev})")),
                }],
                header_location_at(input.mail, hop.header_index),
            ));
            return;
        }
    }
    // Hops are top (newest) first: each lower hop should not be later than the one above.
    let mut newer: Option<(usize, i64)> = None;
    for hop in hops {
        let Some(date) = hop.date else { continue };
        if let Some(now) = input.ctx.now
            && date > now + FUTURE
        {
            push(
                input,
                out,
                hop.header_index,
                "dated in the future",
                date,
                now,
            );
            return;
        }
        if let Some((_, above)) = newer
            && date > above + SKEW
        {
            push(
                input,
                out,
                hop.header_index,
                "dated after the server that received it next",
                date,
                above,
            );
            return;
        }
        newer = Some((hop.header_index, date));
    }
}

fn push(
    input: &Input<'_>,
    out: &mut Vec<Finding>,
    index: usize,
    what: &str,
    value: i64,
    reference: i64,
) {
    let hours = (value - reference) / 3600;
    out.push(finding(
        &RULE,
        Severity::Low,
        10,
        "The message's delivery trail is out of order".to_string(),
        format!(
            "One of the servers that handled this message recorded a time {hours} hours later than it should have ({what}). \
             Senders sometimes forge these records to make a message look like it came a legitimate way."
        ),
        vec![Evidence::Time {
            label: what.to_string(),
            value,
            reference: Some(reference),
        }],
        header_location_at(input.mail, index),
    ));
}
