//! `link-shortener`: a link through a public link shortener.
//!
//! **What it detects.** A link destination on a public URL shortener (`bit.ly`, `tinyurl.com`,
//! `t.co`, …; the list with sources is [`crate::links::data::SHORTENERS`]).
//!
//! **Why it matters.** A shortener hides where the link leads, and phishing uses them to get
//! past filters that check destinations. Plenty of honest mail uses them too.
//!
//! **Example.** `https://bit.ly/3xYzAbC`.
//!
//! **Grading.** Low, 10: never even a caution banner alone.
//!
//! **Known false positives.** Social-media notifications, marketing mail, people sharing
//! links.

use super::{Input, Rule, finding, followable, link_evidence, link_location};
use crate::links::data;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "link-shortener",
    summary: "a link goes through a public link shortener (weak)",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some((index, link, entry)) =
        followable(input)
            .filter(|(_, l)| l.dest.is_web())
            .find_map(|(i, l)| {
                data::lookup(data::SHORTENERS, &l.dest.host, &l.dest.path).map(|e| (i, l, e))
            })
    else {
        return;
    };
    out.push(finding(
        &RULE,
        Severity::Low,
        10,
        format!("A link is shortened with {}", entry.host),
        format!(
            "The link goes through {} ({}), so where it finally leads cannot be seen before clicking.",
            link.dest.host, entry.reason
        ),
        vec![link_evidence(link)],
        link_location(index),
    ));
}

#[cfg(test)]
mod tests {
    use crate::links::data::{SHORTENERS, lookup};

    #[test]
    fn shorteners() {
        assert!(lookup(SHORTENERS, "bit.ly", "/x").is_some());
        assert!(lookup(SHORTENERS, "t.co", "/x").is_some());
        assert!(lookup(SHORTENERS, "tt.co", "/x").is_none());
    }
}
