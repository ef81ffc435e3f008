//! `attachment-executable`: a program, script, shortcut, disk image or OneNote file attached,
//! directly or inside a ZIP archive.
//!
//! **What it detects.** An attachment whose name (`.exe`, `.scr`, `.js`, `.vbs`, `.hta`,
//! `.ps1`, `.bat`, `.lnk`, `.iso`, `.img`, `.vhd`, `.one`, …) or whose bytes (PE, ELF and
//! Mach-O headers, the LNK header, ISO 9660/UDF and VHD/VHDX signatures, the OneNote GUID)
//! say it runs code or mounts something that does; and the same names inside a ZIP archive,
//! read from its central directory.
//!
//! **Why it matters.** Opening such a file is enough to infect the computer. Mail gateways
//! block the obvious types, so attackers wrap them in archives, disk images (which also drop
//! the "downloaded from the internet" mark) and OneNote notebooks with a "double-click to
//! view" button over an embedded script.
//!
//! **Example.** `Invoice_0931.zip` containing `Invoice_0931.pdf.js`; `Scan.iso`; a `.one`
//! file from an unknown sender.
//!
//! **Grading.** Program: high, 55. Script or shortcut: high, 50. Disk image or OneNote: medium,
//! 40. The same inside an archive. One finding per message, for the most dangerous file.
//! An Internet Shortcut (`.url`) to an ordinary web address is a link, not a program, and is
//! skipped; one that points at `file:` or a network share is not.
//! Scripts posted to mailing lists (patches, build scripts) weigh 15.
//!
//! **Known false positives.** IT departments and software vendors occasionally mail
//! installers or scripts; a trusted sender in the policy is skipped, and a finding alone is a
//! caution banner, never danger.

use super::{Input, Rule, finding, sender_trusted};
use crate::attachments::{Kind, extension, kind_of_extension};
use crate::report::{Evidence, Finding, Location, Severity};

pub const RULE: Rule = Rule {
    id: "attachment-executable",
    summary: "a program, script, shortcut, disk image or OneNote file is attached (or zipped)",
    check,
};

fn points(kind: Kind) -> u32 {
    match kind {
        Kind::Program => 55,
        Kind::Script | Kind::Shortcut => 50,
        _ => 40,
    }
}

/// The dangerous kind of one file: by its extension, or by its bytes.
pub fn dangerous_kind(name: Option<&str>, bytes_kind: Option<Kind>) -> Option<Kind> {
    let by_name = name
        .and_then(extension)
        .map(|e| kind_of_extension(&e))
        .filter(|k| k.is_dangerous());
    // A `#!` line alone is not dangerous (shell scripts are shared as text); a named script is.
    let by_bytes = bytes_kind.filter(|k| k.is_dangerous() && *k != Kind::Script);
    match (by_name, by_bytes) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// An Internet Shortcut (`.url`) whose target is an ordinary web address: a link in a file,
/// judged like a link. Those pointing at `file:` or network shares (the SmartScreen-bypass
/// technique) stay shortcuts.
fn web_shortcut(name: Option<&str>, content: Option<&crate::attachments::Content>) -> bool {
    if name.and_then(extension).as_deref() != Some("url") {
        return false;
    }
    let Some(content) = content else {
        return false;
    };
    let text = String::from_utf8_lossy(&content.head).to_ascii_lowercase();
    let target = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("url="))
        .unwrap_or_default();
    (target.starts_with("http://") || target.starts_with("https://"))
        && !text.contains("file:")
        && !text.contains("\\\\")
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let mail = input.mail;
    if mail
        .author()
        .is_some_and(|from| sender_trusted(input, from))
    {
        return;
    }
    // (kind, file name, archive it sits in, MIME path)
    let mut worst: Option<(Kind, String, Option<String>, String)> = None;
    let mut consider = |kind: Kind, name: String, inside: Option<String>, path: &str| {
        if worst.as_ref().is_none_or(|w| kind < w.0) {
            worst = Some((kind, name, inside, path.to_string()));
        }
    };
    for att in &mail.attachments {
        let name = att.name.as_deref();
        let content = att.content.as_ref();
        if let Some(kind) = dangerous_kind(name, content.and_then(|c| c.kind))
            && !web_shortcut(name, content)
        {
            consider(
                kind,
                name.unwrap_or("(unnamed)").to_string(),
                None,
                &att.path,
            );
        }
        if let Some(listing) = content.and_then(|c| c.archive.as_ref()) {
            for entry in &listing.entries {
                if entry.name.ends_with('/') {
                    continue;
                }
                if let Some(kind) = dangerous_kind(Some(&entry.name), None) {
                    consider(
                        kind,
                        entry.name.clone(),
                        Some(name.unwrap_or("(unnamed)").to_string()),
                        &att.path,
                    );
                }
            }
        }
    }
    let Some((kind, name, inside, path)) = worst else {
        return;
    };
    let (severity, score) = if kind == Kind::Script && mail.is_list {
        (Severity::Low, 15)
    } else if points(kind) >= 50 {
        (Severity::High, points(kind))
    } else {
        (Severity::Medium, points(kind))
    };
    let file = super::excerpt(&name);
    let (title, where_) = match &inside {
        Some(archive) => (
            format!("The attached archive contains {}", kind.describe()),
            format!(
                "\"{}\" inside the attached archive \"{}\"",
                file,
                super::excerpt(archive)
            ),
        ),
        None => (
            format!("The attachment is {}", kind.describe()),
            format!("The attachment \"{file}\""),
        ),
    };
    let why = match kind {
        Kind::DiskImage => "Opening it mounts a drive whose files run without the usual warnings.",
        Kind::OneNote => {
            "Notebooks sent by strangers hide programs behind buttons that say \"click to view\"."
        }
        _ => {
            "Opening it runs code on your computer. Real invoices and documents are never programs."
        }
    };
    let mut evidence = vec![Evidence::Text { text: file }];
    if let Some(archive) = inside {
        evidence.push(Evidence::Text {
            text: super::excerpt(&archive),
        });
    }
    out.push(finding(
        &RULE,
        severity,
        score,
        title,
        format!("{where_} is {}. {why}", kind.describe()),
        evidence,
        Location::Part { path },
    ));
}
