//! `malformed-message`: the message is not well-formed.
//!
//! **What it detects.** No header block; no `From` address, or one no mail system could deliver
//! to (no `@`, a domain with characters no host name has); parts whose encoding or character
//! set could not be decoded; a multipart whose closing boundary never comes (the message was
//! cut short); raw 8-bit bytes in headers.
//!
//! **Why it matters.** The engine still analyses what it can, but malformed structure is also
//! used to make filters and mail programs see different things.
//!
//! **Grading.** Low: 20 when there is no header block or no usable sender, 10 otherwise.
//!
//! **Known false positives.** Old mail programs writing raw 8-bit headers; truncated exports.

use super::{Input, Rule, finding};
use crate::mail::Problem;
use crate::report::{Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "malformed-message",
    summary: "The message's structure is broken or incomplete",
    check,
};

fn describe(problem: &Problem) -> String {
    match problem {
        Problem::NoHeaders => "no header block".to_string(),
        Problem::NoFrom => "no sender (From) address".to_string(),
        Problem::InvalidFrom { address } => {
            format!(
                "the sender address \"{}\" could not receive mail",
                super::excerpt(address)
            )
        }
        Problem::Encoding { path } => format!("part {path} could not be decoded cleanly"),
        Problem::UnterminatedMultipart { boundary } => {
            format!("multipart with boundary \"{boundary}\" is never closed")
        }
        Problem::RawEightBitHeaders => "headers contain raw 8-bit bytes".to_string(),
        Problem::UnknownCharset { path, charset } => {
            format!("part {path} declares an unknown character set \"{charset}\"")
        }
    }
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let problems = &input.mail.problems;
    if problems.is_empty() {
        return;
    }
    let serious = problems.iter().any(|p| {
        matches!(
            p,
            Problem::NoHeaders | Problem::NoFrom | Problem::InvalidFrom { .. }
        )
    });
    let list: Vec<String> = problems.iter().take(8).map(describe).collect();
    out.push(finding(
        &RULE,
        Severity::Low,
        if serious { 20 } else { 10 },
        if serious {
            "The message is missing basic parts".to_string()
        } else {
            "Part of the message is malformed".to_string()
        },
        format!(
            "This message is not put together the way mail programs do it ({}). What could be read was still checked.",
            list.join("; ")
        ),
        list.into_iter().map(|text| Evidence::Text { text }).collect(),
        Location::Message,
    ));
}
