//! `attachment-deceptive-name`: a file name built to show a different type than it has.
//!
//! **What it detects.** In an attachment's name, or a name inside an attached ZIP archive:
//! a right-to-left override or other direction control (`invoice\u{202E}fdp.exe` is drawn
//! as "invoiceexe.pdf"); zero-width characters; a double extension whose decoy is a document
//! and whose real extension runs code (`Statement.pdf.exe`, `scan.jpg      .js`).
//!
//! **Why it matters.** Windows hides known extensions by default, so `Statement.pdf.exe`
//! shows as `Statement.pdf`. Nobody names a real document this way.
//!
//! **Example.** `Payment_Advice.pdf.js` in a ZIP; `Rechnung\u{202E}fdp.scr`.
//!
//! **Grading.** Direction controls: high, 50. Double extension hiding a program, script,
//! shortcut or disk image: high, 45. Zero-width characters: medium, 30. One finding per
//! message.
//!
//! **Known false positives.** Archives named `backup.tar.gz` and names with dates such as
//! `report.2026.pdf` never fire: the real extension must run code. Bidi controls can appear in
//! file names written in Arabic or Hebrew; they are rare in attachments and never reach danger
//! alone.

use super::display_name_unicode::inspect;
use super::{Input, Rule, finding};
use crate::attachments::{extension, is_document_extension, kind_of_extension};
use crate::report::{Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "attachment-deceptive-name",
    summary: "an attachment's name hides its real type (direction controls, double extension)",
    check,
};

/// Why a name deceives, if it does: (severity, points, explanation, marks).
fn judge(name: &str) -> Option<(Severity, u32, &'static str, Vec<crate::report::CharMark>)> {
    let tricks = inspect(name);
    if !tricks.bidi.is_empty() {
        return Some((
            Severity::High,
            50,
            "contains an invisible control that reverses the order of the letters after it, so the \
             end of the name you see is not its real type",
            tricks.bidi,
        ));
    }
    if let Some(real) = extension(name)
        && kind_of_extension(&real).is_dangerous()
    {
        let stem = &name.trim_end_matches(['.', ' '])
            [..name.trim_end_matches(['.', ' ']).len() - real.len() - 1];
        let padded = stem.ends_with("   ") || stem.ends_with("___");
        if let Some(decoy) = extension(stem.trim_end_matches([' ', '_']))
            && (is_document_extension(&decoy) || padded)
        {
            return Some((
                Severity::High,
                45,
                "has two extensions: the first makes it look like a document, the last one, which \
                 Windows usually hides, makes it a program",
                vec![],
            ));
        }
    }
    if !tricks.invisible.is_empty() {
        return Some((
            Severity::Medium,
            30,
            "contains characters that take no space on screen, used to slip past filters that \
             block names",
            tricks.invisible,
        ));
    }
    None
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut best: Option<(u32, Finding)> = None;
    for att in &input.mail.attachments {
        let inner = att
            .content
            .as_ref()
            .and_then(|c| c.archive.as_ref())
            .map(|l| {
                l.entries
                    .iter()
                    .map(|e| e.name.as_str())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        for name in att.name.as_deref().into_iter().chain(inner) {
            let Some((severity, score, why, marks)) = judge(name) else {
                continue;
            };
            if best.as_ref().is_some_and(|(s, _)| *s >= score) {
                continue;
            }
            let text = super::excerpt(name);
            let f = finding(
                &RULE,
                severity,
                score,
                "An attachment's name disguises its real type".to_string(),
                format!("The file name \"{text}\" {why}."),
                vec![Evidence::Chars { text, marks }],
                Location::Part {
                    path: att.path.clone(),
                },
            );
            best = Some((score, f));
        }
    }
    if let Some((_, f)) = best {
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_names() {
        assert_eq!(judge("Statement.pdf.exe").map(|j| j.1), Some(45));
        assert_eq!(judge("scan.jpg      .js").map(|j| j.1), Some(45));
        assert_eq!(judge("inv\u{202E}fdp.scr").map(|j| j.1), Some(50));
        assert_eq!(judge("In\u{200B}voice.pdf").map(|j| j.1), Some(30));
        for ok in [
            "backup.tar.gz",
            "report.2026.pdf",
            "setup.exe",
            "a.b.c.docx",
            ".exe",
            "x.exe",
        ] {
            assert_eq!(judge(ok).map(|j| j.1), None, "{ok}");
        }
    }
}
