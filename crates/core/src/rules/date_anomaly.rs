//! `date-anomaly`: the Date header is missing, unreadable or in the future.
//!
//! **What it detects.** No `Date` header; a value that is not a valid RFC 5322 date; a date
//! more than a day after the newest `Received` hop (or, with no hops, the time of analysis).
//!
//! **Why it matters.** Mail programs stamp the current time. A future date keeps a message at
//! the top of a date-sorted inbox, a trick of bulk senders; a missing or garbled one points at a
//! hand-made message.
//!
//! **Grading.** Low (10).
//!
//! **Known false positives.** Devices with wrong clocks (a date far in the past is not
//! flagged for that reason).

use super::{Input, Rule, excerpt, finding, header_location};
use crate::report::{Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "date-anomaly",
    summary: "The Date header is missing, unreadable or in the future",
    check,
};

const FUTURE: i64 = 86_400;

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    if mail.headers.is_empty() || mail.limits_hit.contains(&"header-count") {
        return;
    }
    let Some(raw) = mail.date_raw.as_deref() else {
        out.push(finding(
            &RULE,
            Severity::Low,
            10,
            "The message has no date".to_string(),
            "Mail programs always record when a message was written. This one has no date, which points at a hand-made message."
                .to_string(),
            vec![],
            Location::Message,
        ));
        return;
    };
    let Some(date) = mail.date else {
        out.push(finding(
            &RULE,
            Severity::Low,
            10,
            "The message's date is unreadable".to_string(),
            "The date the message claims to have been written is not a valid date, which ordinary mail programs never produce."
                .to_string(),
            vec![Evidence::Header { name: "Date".to_string(), excerpt: excerpt(raw) }],
            header_location("Date"),
        ));
        return;
    };
    let received = mail.received.iter().find_map(|h| h.date);
    let reference = match (received, input.ctx.now) {
        (Some(r), _) => Some(("the time it was received", r)),
        (None, Some(now)) => Some(("the time of this check", now)),
        (None, None) => None,
    };
    if let Some((what, reference)) = reference
        && date > reference + FUTURE
    {
        let days = (date - reference) / 86_400;
        out.push(finding(
                &RULE,
                Severity::Low,
                10,
                "The message is dated in the future".to_string(),
                format!(
                    "The message claims to have been written {days} days after {what}. Bulk senders do this to stay at the top of your inbox."
                ),
                vec![Evidence::Time { label: "Date".to_string(), value: date, reference: Some(reference) }],
                header_location("Date"),
            ));
    }
}
