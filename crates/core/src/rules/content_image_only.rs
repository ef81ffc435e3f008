//! `content-image-only`: the message is a picture that links somewhere, with hardly any words.
//!
//! **What it detects.** A message whose readable text (its plain-text body, or the visible text
//! of its HTML when it has none) holds fewer than 15 words while a picture in its HTML is
//! wrapped in a web link (`<a href="https://…"><img …></a>`).
//!
//! **Why it matters.** Text is what filters and screen readers read; a notice drawn as a
//! picture ("Your account is on hold — click to verify") shows the reader everything and the
//! filter nothing, and anywhere the reader clicks on it leads to the link. Phishing and spam
//! have used image-only messages for twenty years for exactly that.
//!
//! **Grading.** Low (15): a corroborating signal only. Not judged in mailing-list mail.
//!
//! **Known false positives.** Retail newsletters that are one big promotional picture.
//! Alone it never shows a banner.

use super::{Input, Rule, finding};
use crate::report::{Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "content-image-only",
    summary: "The message is a linked picture with hardly any words",
    check,
};

/// Fewer visible words than this make a body "image only".
const MAX_WORDS: usize = 15;
/// Image-only bodies are short; longer HTML is not read for this rule.
const MAX_HTML_BYTES: usize = 64 * 1024;

/// Whether a picture sits inside a link to a web address (lower-cased HTML).
fn linked_picture(lower: &str) -> bool {
    let mut rest = lower;
    let mut tries = 0;
    while let Some(at) = rest.find("<a") {
        tries += 1;
        if tries > 200 {
            return false;
        }
        rest = &rest[at + 2..];
        let Some(tag_end) = rest.find('>') else {
            return false;
        };
        let tag = &rest[..tag_end];
        let is_anchor = rest.starts_with(|c: char| c.is_ascii_whitespace());
        let body = &rest[tag_end..];
        let body = &body[..body.find("</a").unwrap_or(body.len())];
        if is_anchor && tag.contains("href") && tag.contains("http") && body.contains("<img") {
            return true;
        }
    }
    false
}

fn words(text: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .take(MAX_WORDS)
        .count()
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    if mail.is_list || mail.html_bodies.is_empty() {
        return;
    }
    // The words a filter reads: the plain-text bodies, or the HTML's visible text when there is
    // no plain body. A plain alternative full of words is not hiding them.
    let n = words(&input.text.visible);
    if n >= MAX_WORDS {
        return;
    }
    for (html, path) in mail.html_bodies.iter().zip(&mail.html_paths) {
        if html.len() > MAX_HTML_BYTES || !linked_picture(&html.to_ascii_lowercase()) {
            continue;
        }
        out.push(finding(
            &RULE,
            Severity::Low,
            15,
            "The message is a linked picture with hardly any words".to_string(),
            "Almost everything in this message is a picture, and the picture is a link. Messages drawn as \
             pictures hide their words from filters; look at where the link goes before clicking anywhere on it."
                .to_string(),
            vec![Evidence::Text {
                text: format!("{n} words of text beside a linked picture"),
            }],
            Location::Part { path: path.clone() },
        ));
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::{linked_picture, words};

    #[test]
    fn finds_pictures_inside_links() {
        assert!(linked_picture(
            r#"<p><a href="http://x.example/in.php"><font><img src="cid:1"></font></a></p>"#
        ));
        assert!(!linked_picture(
            r#"<a href="http://x.example/">text</a><img src="cid:1">"#
        ));
        assert!(!linked_picture(
            r#"<abbr title="x"><img src="cid:1"></abbr>"#
        ));
        assert!(!linked_picture(r##"<a href="#top"><img src="cid:1"></a>"##));
    }

    #[test]
    fn counts_words_of_two_letters_or_more() {
        assert_eq!(words("Get a capable html e-mailer"), 4);
    }
}
