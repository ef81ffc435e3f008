//! `link-executable`: a link that downloads a program, script, archive or disk image.
//!
//! **What it detects.** A link destination whose path ends in an executable or script
//! extension (`.exe`, `.scr`, `.js`, `.vbs`, `.hta`, …; not `.com`, which in a path is
//! nearly always a domain name), a disk image (`.iso`, `.img`,
//! `.vhd`) or an archive (`.zip`, `.rar`, `.7z`, …).
//!
//! **Why it matters.** Malware arrives as a link more often than as an attachment now,
//! because gateways inspect attachments; disk images and archives carry the program past
//! browser warnings.
//!
//! **Example.** `https://files.example.top/invoice_2291.iso`.
//!
//! **Grading.** Executable or script: medium, 40. Disk image: medium, 30. Archive: low, 15
//! (archives are ordinary downloads too). One finding per message, for the worst link.
//!
//! **Known false positives.** Software vendors' release mails and mailing lists linking
//! to downloads (archives stay weak; executables from a DMARC-passing sender's own domain are
//! skipped).

use super::{
    Input, Rule, authenticated_orgs, finding, followable, link_evidence, link_location,
    wrapped_note,
};
use crate::links::LinkKind;
use crate::report::{Finding, Severity};

pub const RULE: Rule = Rule {
    id: "link-executable",
    summary: "a link downloads a program, script, disk image or archive",
    check,
};

const EXECUTABLE: &[&str] = &[
    "exe",
    "scr",
    "js",
    "jse",
    "vbs",
    "vbe",
    "hta",
    "bat",
    "cmd",
    "pif",
    "ps1",
    "msi",
    "msix",
    "appx",
    "lnk",
    "jar",
    "wsf",
    "wsh",
    "cpl",
    "reg",
    "apk",
    "dmg",
    "pkg",
    "application",
    "url",
];
const DISK_IMAGE: &[&str] = &["iso", "img", "vhd", "vhdx"];
const ARCHIVE: &[&str] = &[
    "zip", "rar", "7z", "ace", "cab", "arj", "gz", "tgz", "xz", "bz2", "tar", "z", "lzh",
];

/// The extension of the last path segment and its class: (points, words).
fn classify(path: &str) -> Option<(String, u32, &'static str)> {
    let last = path.rsplit('/').next()?;
    let last = crate::links::unwrap::percent_decode(last).to_ascii_lowercase();
    let (_, ext) = last.rsplit_once('.')?;
    let ext = ext.trim();
    if EXECUTABLE.contains(&ext) {
        Some((ext.to_string(), 40, "a program or script"))
    } else if DISK_IMAGE.contains(&ext) {
        Some((
            ext.to_string(),
            30,
            "a disk image, a common way to smuggle programs past warnings",
        ))
    } else if ARCHIVE.contains(&ext) {
        Some((ext.to_string(), 15, "an archive"))
    } else {
        None
    }
}

fn check(input: &Input<'_>, out: &mut Vec<Finding>) {
    let authenticated = authenticated_orgs(input);
    let Some((index, link, (ext, score, what))) = followable(input)
        .filter(|(_, l)| l.dest.is_web() && l.kind != LinkKind::Form)
        .filter_map(|(i, l)| classify(&l.dest.path).map(|c| (i, l, c)))
        .filter(|(_, l, c)| c.1 < 40 || !authenticated.iter().any(|a| a == l.dest.org()))
        .max_by_key(|(i, _, c)| (c.1, usize::MAX - i))
    else {
        return;
    };
    let severity = if score >= 30 {
        Severity::Medium
    } else {
        Severity::Low
    };
    out.push(finding(
        &RULE,
        severity,
        score,
        format!("A link downloads a .{ext} file"),
        format!(
            "The link on {} downloads {what}. Open downloads only when you expected them.{}",
            link.dest.host_unicode,
            wrapped_note(link)
        ),
        vec![link_evidence(link)],
        link_location(index),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(classify("/a/invoice.EXE").map(|c| c.1), Some(40));
        assert_eq!(classify("/a/invoice%2Eiso").map(|c| c.1), Some(30));
        assert_eq!(classify("/a/docs.zip").map(|c| c.1), Some(15));
        assert_eq!(classify("/a/page.html"), None);
        assert_eq!(classify("/listinfo/users_lists.example.com"), None);
        assert_eq!(classify("/"), None);
    }
}
