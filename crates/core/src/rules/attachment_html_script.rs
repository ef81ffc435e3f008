//! `attachment-html-script`: an HTML or SVG attachment that runs script, redirects, or
//! assembles a file in the browser ("HTML smuggling").
//!
//! **What it detects.** In an attached web page or SVG image: script (`<script>`, event
//! handlers, `javascript:`), automatic redirects (`meta refresh`, `location.href = …`), and the
//! markers of smuggling and obfuscation (`atob`, `new Blob`, `URL.createObjectURL`,
//! `msSaveOrOpenBlob`, `data:application/…`, `Uint8Array`, `fromCharCode`, `unescape`,
//! `eval`, `document.write`). Password forms inside attachments are `link-credential-form`'s.
//!
//! **Why it matters.** An HTML attachment opens locally in the browser, where no URL filter
//! looks: it can decode a hidden payload and hand it over as a "download", or draw a fake
//! sign-in page. Real invoices and receipts are PDFs, not scripted pages; SVG images have no
//! reason to carry script at all.
//!
//! **Example.** `Fax_Message.html` containing `<script>var d = atob("TVqQ…");
//! … URL.createObjectURL(new Blob([d]))</script>`.
//!
//! **Grading.** Smuggling or obfuscation markers together with script: high, 50. Script in an
//! SVG: high, 45. Other script or an automatic redirect: medium, 30. One finding per message.
//!
//! **Known false positives.** Saved web pages forwarded as attachments can contain script;
//! without smuggling markers they stay at 30, a caution only with another signal.

use super::{Input, Rule, finding};
use crate::attachments::extension;
use crate::report::{Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "attachment-html-script",
    summary: "an HTML or SVG attachment runs script, redirects, or smuggles a file",
    check,
};

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut best: Option<(u32, Finding)> = None;
    for att in &input.mail.attachments {
        let Some(markup) = att.content.as_ref().and_then(|c| c.markup.as_ref()) else {
            continue;
        };
        let svg = att.name.as_deref().and_then(extension).as_deref() == Some("svg")
            || att.content_type.as_deref() == Some("image/svg+xml");
        let file = super::excerpt(att.name.as_deref().unwrap_or("(unnamed)"));
        let (severity, score, what) = if markup.script && !markup.smuggling.is_empty() {
            (
                Severity::High,
                50,
                format!(
                    "runs script that decodes or assembles hidden content ({})",
                    markup.smuggling.join(", ")
                ),
            )
        } else if markup.script && svg {
            (
                Severity::High,
                45,
                "is an image that carries script".to_string(),
            )
        } else if markup.script || markup.redirect {
            (
                Severity::Medium,
                30,
                if markup.redirect {
                    "sends your browser to another page as soon as it opens".to_string()
                } else {
                    "runs script when opened".to_string()
                },
            )
        } else {
            continue;
        };
        if best.as_ref().is_some_and(|(s, _)| *s >= score) {
            continue;
        }
        let mut evidence = vec![Evidence::Text { text: file.clone() }];
        evidence.extend(markup.smuggling.iter().map(|m| Evidence::Text {
            text: (*m).to_string(),
        }));
        best = Some((
            score,
            finding(
                &RULE,
                severity,
                score,
                "An attached web page runs hidden code".to_string(),
                format!(
                    "The attachment \"{file}\" {what}. It opens in your browser, outside the protection \
                     that checks links, to show a fake sign-in page or drop a file."
                ),
                evidence,
                Location::Part {
                    path: att.path.clone(),
                },
            ),
        ));
    }
    if let Some((_, f)) = best {
        out.push(f);
    }
}
