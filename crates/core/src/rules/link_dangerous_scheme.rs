//! `link-dangerous-scheme`: a link that runs code or opens something other than a web page.
//!
//! **What it detects.** Links with the `javascript:` or `vbscript:` scheme, `data:` URLs
//! carrying HTML or script, and `file:` URLs (local files or network shares).
//!
//! **Why it matters.** A `data:text/html` link opens an attacker's page with no address bar
//! to check; `javascript:` runs code; `file://attacker/share` makes Windows send the user's
//! password hash to the attacker's server.
//!
//! **Example.** `<a href="data:text/html;base64,PHNjcmlwdD4...">View invoice</a>`.
//!
//! **Grading.** `data:` with HTML or script: high, 45. `javascript:` / `vbscript:`: medium,
//! 35. `file:`: medium, 30. `javascript:void(0)` and similar no-ops are ignored. One finding
//! per message.
//!
//! **Known false positives.** Newsletter builders leave `javascript:` no-op links; only
//! no-ops are ignored, and anything else mail clients would refuse to run anyway.

use super::{Input, Rule, finding, followable, link_evidence, link_location};
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "link-dangerous-scheme",
    summary: "javascript:, vbscript:, file: or data: (HTML/script) links",
    check,
};

fn grade(url: &str, scheme: &str) -> Option<(u32, Severity, &'static str)> {
    let lower = url.to_ascii_lowercase();
    match scheme {
        "data" => {
            let media = lower.trim_start_matches("data:");
            (media.starts_with("text/html")
                || media.starts_with("application/xhtml")
                || media.starts_with("image/svg")
                || media.starts_with("text/javascript")
                || media.starts_with("application/javascript")
                || media.contains("<script"))
            .then_some((
                45,
                Severity::High,
                "opens a web page stored inside the link itself, with no real address to check",
            ))
        }
        "javascript" | "vbscript" => {
            let body: String = lower
                .split_once(':')
                .map(|(_, b)| b)
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let noop = matches!(
                body.as_str(),
                "" | ";"
                    | "void(0)"
                    | "void(0);"
                    | "void0"
                    | "void(0)/"
                    | "//"
                    | "false"
                    | "false;"
            );
            (!noop).then_some((
                35,
                Severity::Medium,
                "runs a script instead of opening a web page",
            ))
        }
        "file" => Some((
            30,
            Severity::Medium,
            "opens a file or network share, which can leak your Windows sign-in to the attacker",
        )),
        _ => None,
    }
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some((index, link, (score, severity, why))) = followable(input)
        .filter_map(|(i, l)| grade(&l.dest.url, &l.dest.scheme).map(|g| (i, l, g)))
        .max_by_key(|(i, _, g)| (g.0, usize::MAX - i))
    else {
        return;
    };
    out.push(finding(
        &RULE,
        severity,
        score,
        format!("A link uses the {}: scheme", link.dest.scheme),
        format!("This link {why}. Ordinary e-mail links open web pages."),
        vec![link_evidence(link)],
        link_location(index),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades() {
        assert_eq!(
            grade("data:text/html;base64,xx", "data").map(|g| g.0),
            Some(45)
        );
        assert_eq!(grade("data:image/png;base64,xx", "data"), None);
        assert_eq!(
            grade("javascript:alert(document.cookie)", "javascript").map(|g| g.0),
            Some(35)
        );
        assert_eq!(grade("javascript:void(0)", "javascript"), None);
        assert_eq!(
            grade("file://attacker.example/share/x.lnk", "file").map(|g| g.0),
            Some(30)
        );
        assert_eq!(grade("https://x.example", "https"), None);
    }
}
