//! `calendar-invite-link`: a calendar invitation that carries a link to a site other than a
//! meeting service's or the sender's.
//!
//! **What it detects.** A `text/calendar` part or `.ics` attachment whose text (description,
//! location, attachments, URL property) holds an `http(s)` link to a host that is neither a
//! known meeting service (Teams, Zoom, Google Meet, Webex, GoTo, …) nor under the sender's
//! registrable domain. The link itself is judged by the link rules; this rule only says the
//! invitation is a vehicle.
//!
//! **Why it matters.** Clients add invitations to the calendar automatically, so the link
//! reappears in reminders even when the message is deleted or filtered; "calendar phishing"
//! uses this to deliver credential pages.
//!
//! **Example.** An invite "Payroll review – action required" whose description says "Sign in
//! to confirm: https://hr-portal.example.top/login".
//!
//! **Grading.** Low, 15: a corroborating signal.
//!
//! **Known false positives.** Webinar invitations linking to a registration site on a third
//! party's domain; weak on its own.

use super::{Input, Rule, finding, org_of};
use crate::report::{Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "calendar-invite-link",
    summary: "a calendar invitation links to a site other than a meeting service or the sender",
    check,
};

/// Registrable domains of meeting services whose join links invitations normally carry.
const MEETING_SERVICES: &[&str] = &[
    "microsoft.com",
    "office.com",
    "office365.com",
    "live.com",
    "skype.com",
    "zoom.us",
    "zoom.com",
    "zoomgov.com",
    "google.com",
    "webex.com",
    "gotomeeting.com",
    "gotomeet.me",
    "goto.com",
    "bluejeans.com",
    "whereby.com",
    "chime.aws",
    "ringcentral.com",
    "slack.com",
    "jit.si",
    "calendly.com",
    "apple.com",
    "icloud.com",
];

/// Links in calendar text (lines unfolded), as (url, registrable host).
pub fn links(text: &str) -> Vec<(String, String)> {
    let unfolded = text
        .replace("\r\n ", "")
        .replace("\n ", "")
        .replace("\\n", " ");
    let mut out = Vec::new();
    let lower = unfolded.to_ascii_lowercase();
    let mut from = 0;
    while out.len() < 20 {
        let Some(pos) = lower[from..].find("http") else {
            break;
        };
        let at = from + pos;
        from = at + 4;
        let rest = &lower[at..];
        let Some(after) = rest
            .strip_prefix("https://")
            .or_else(|| rest.strip_prefix("http://"))
        else {
            continue;
        };
        let url: String = unfolded[at..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '<' | '>' | '\\' | ','))
            .take(300)
            .collect();
        let host: String = after
            .chars()
            .take_while(|c| {
                !matches!(c, '/' | ':' | '?' | '#' | '"' | '<' | '>' | '\\' | ',')
                    && !c.is_whitespace()
            })
            .collect();
        let host = host.rsplit('@').next().unwrap_or_default().to_string();
        if host.is_empty() {
            continue;
        }
        let org = crate::domain::registrable_domain(&host)
            .unwrap_or(&host)
            .to_string();
        out.push((url, org));
    }
    out
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    let sender = mail
        .author()
        .map(org_of)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let calendars = mail
        .calendars
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .chain(mail.attachments.iter().filter_map(|a| {
            a.content
                .as_ref()
                .and_then(|c| c.calendar.as_deref())
                .map(|t| (a.path.as_str(), t))
        }));
    for (path, text) in calendars {
        let Some((url, org)) = links(text)
            .into_iter()
            .find(|(_, org)| *org != sender && !MEETING_SERVICES.contains(&org.as_str()))
        else {
            continue;
        };
        let url = super::excerpt(&url);
        out.push(finding(
            &RULE,
            Severity::Low,
            15,
            "A calendar invitation carries a link".to_string(),
            format!(
                "The invitation links to {org}, which is neither a meeting service nor the sender's \
                 organisation. Invitations are added to your calendar automatically, so the link can \
                 come back in reminders."
            ),
            vec![Evidence::Text { text: url }],
            Location::Part {
                path: path.to_string(),
            },
        ));
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links() {
        let l = links(
            "DESCRIPTION:Join: https://teams.microsoft.com/l/x\\nSign in at https://hr.ex\r\n ample.top/login\r\n",
        );
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].1, "microsoft.com");
        assert_eq!(l[1].0, "https://hr.example.top/login");
        assert_eq!(l[1].1, "example.top");
    }
}
