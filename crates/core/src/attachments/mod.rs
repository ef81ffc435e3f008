//! What an attachment really is: file kinds by magic bytes and by name, deceptive file names,
//! the central directory of ZIP archives ([`zip`]), VBA macros in OLE and OOXML documents
//! ([`ole`]), and active content in HTML/SVG attachments.
//!
//! Everything here is a pure function of bytes and names, bounded by [`crate::limits`]. The
//! model ([`crate::mail::Mail`]) calls [`inspect`] once per attachment whose content is
//! available; rules read the resulting [`Content`].

pub mod ole;
pub mod pdf;
pub mod zip;

use crate::limits;

/// What the content (or name) says a file is, as far as it matters for phishing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A native program: PE (Windows), ELF, Mach-O; or an installer/package that runs code.
    Program,
    /// A script the operating system runs on a double-click (JScript, VBScript, HTA,
    /// PowerShell, batch, Windows Script File, shell script with a `#!` line).
    Script,
    /// A Windows shortcut (`.lnk`) or its relatives (`.url`, `.scf`, `.library-ms`).
    Shortcut,
    /// A disk image Windows mounts on a double-click (ISO, IMG, VHD, VHDX).
    DiskImage,
    /// A OneNote notebook section: a carrier for embedded files behind "click to view".
    OneNote,
    /// An archive format: ZIP, RAR, 7z, gzip, CAB, ACE…
    Archive,
    /// HTML or SVG: markup that can run script in a browser.
    Markup,
    /// An OLE compound file (legacy Office .doc/.xls/.ppt, .msg).
    Ole,
    /// A PDF document.
    Pdf,
    /// A raster image.
    Image,
    /// Anything else, or unknown.
    Other,
}

impl Kind {
    /// A short noun phrase for explanations.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Program => "a program",
            Kind::Script => "a script",
            Kind::Shortcut => "a Windows shortcut",
            Kind::DiskImage => "a disk image",
            Kind::OneNote => "a OneNote notebook",
            Kind::Archive => "an archive",
            Kind::Markup => "a web page",
            Kind::Ole => "an Office document",
            Kind::Pdf => "a PDF document",
            Kind::Image => "an image",
            Kind::Other => "a file",
        }
    }

    /// Kinds that run code (or mount something that does) when opened.
    pub fn is_dangerous(self) -> bool {
        matches!(
            self,
            Kind::Program | Kind::Script | Kind::Shortcut | Kind::DiskImage | Kind::OneNote
        )
    }
}

/// The kind a file-name extension claims (lower case, without the dot).
pub fn kind_of_extension(ext: &str) -> Kind {
    match ext {
        "exe" | "scr" | "com" | "pif" | "cpl" | "msi" | "msix" | "msp" | "dll" | "jar" | "appx"
        | "appxbundle" | "msixbundle" | "app" | "dmg" | "pkg" | "apk" | "xll" | "elf"
        | "gadget" | "application" | "appref-ms" => Kind::Program,
        "js" | "jse" | "vbs" | "vbe" | "wsf" | "wsh" | "wsc" | "hta" | "ps1" | "psm1" | "psd1"
        | "bat" | "cmd" | "reg" | "msc" | "inf" | "sct" | "chm" | "xsl" => Kind::Script,
        "lnk" | "url" | "scf" | "library-ms" | "searchconnector-ms" | "settingcontent-ms" => {
            Kind::Shortcut
        }
        "iso" | "img" | "vhd" | "vhdx" | "udf" => Kind::DiskImage,
        "one" | "onepkg" => Kind::OneNote,
        "zip" | "rar" | "7z" | "gz" | "tgz" | "bz2" | "xz" | "tar" | "cab" | "ace" | "arj"
        | "lzh" | "lha" | "z" | "zipx" | "r00" | "r01" => Kind::Archive,
        "html" | "htm" | "shtml" | "xhtml" | "svg" | "svgz" | "mht" | "mhtml" => Kind::Markup,
        "doc" | "xls" | "ppt" | "dot" | "xlt" | "pot" | "msg" => Kind::Ole,
        "pdf" => Kind::Pdf,
        "png" | "jpg" | "jpeg" | "gif" | "bmp" | "webp" | "tif" | "tiff" => Kind::Image,
        _ => Kind::Other,
    }
}

/// Extensions of documents people expect to open safely: the decoy half of a double
/// extension, and names whose bytes should not be a program.
pub fn is_document_extension(ext: &str) -> bool {
    matches!(
        ext,
        "pdf"
            | "doc"
            | "docx"
            | "xls"
            | "xlsx"
            | "ppt"
            | "pptx"
            | "rtf"
            | "txt"
            | "csv"
            | "odt"
            | "ods"
            | "jpg"
            | "jpeg"
            | "png"
            | "gif"
            | "tif"
            | "tiff"
            | "mp3"
            | "wav"
            | "mp4"
            | "htm"
            | "html"
            | "eml"
    )
}

/// The kind the bytes show, from magic numbers (and, for text, a shebang or markup).
pub fn sniff(head: &[u8], tail: &[u8]) -> Kind {
    let starts = |m: &[u8]| head.starts_with(m);
    if starts(b"MZ") && is_pe(head) {
        return Kind::Program;
    }
    if starts(b"\x7fELF")
        || starts(&[0xFE, 0xED, 0xFA, 0xCE])
        || starts(&[0xFE, 0xED, 0xFA, 0xCF])
        || starts(&[0xCE, 0xFA, 0xED, 0xFE])
        || starts(&[0xCF, 0xFA, 0xED, 0xFE])
    {
        return Kind::Program;
    }
    if starts(&[0x4C, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00]) {
        return Kind::Shortcut;
    }
    if starts(&[
        0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D, 0xAE, 0xB1, 0x53, 0x78, 0xD0, 0x29, 0x96,
        0xD3,
    ]) {
        return Kind::OneNote;
    }
    // ISO 9660 / UDF volume descriptors at 32 KiB + 1; VHDX header; VHD footer (also copied
    // at the start of dynamic disks).
    if matches!(
        head.get(0x8001..0x8006),
        Some(b"CD001" | b"BEA01" | b"NSR02" | b"NSR03")
    ) || starts(b"vhdxfile")
        || starts(b"conectix")
        || (tail.len() >= 512 && tail[tail.len() - 512..].starts_with(b"conectix"))
    {
        return Kind::DiskImage;
    }
    if starts(b"PK\x03\x04")
        || starts(b"PK\x05\x06")
        || starts(b"Rar!\x1a\x07")
        || starts(&[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C])
        || starts(&[0x1F, 0x8B])
        || starts(b"MSCF")
        || head.get(7..14) == Some(b"**ACE**")
    {
        return Kind::Archive;
    }
    if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Kind::Ole;
    }
    if head
        .get(..1024)
        .unwrap_or(head)
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        return Kind::Pdf;
    }
    if starts(&[0x89, b'P', b'N', b'G'])
        || starts(&[0xFF, 0xD8, 0xFF])
        || starts(b"GIF8")
        || (starts(b"RIFF") && head.get(8..12) == Some(b"WEBP"))
        || starts(b"BM")
    {
        return Kind::Image;
    }
    if starts(b"#!") {
        return Kind::Script;
    }
    let start = lower_prefix(head, 1024);
    let start = start.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || start.starts_with("<svg")
        || (start.starts_with("<?xml") && start.contains("<svg"))
        || start.starts_with("<script")
    {
        return Kind::Markup;
    }
    Kind::Other
}

/// A PE file: `MZ`, then the offset at 0x3C pointing at `PE\0\0`.
fn is_pe(head: &[u8]) -> bool {
    let Some(off) = head.get(0x3C..0x40) else {
        return false;
    };
    let off = u32::from_le_bytes([off[0], off[1], off[2], off[3]]) as usize;
    // Some droppers truncate or pad the stub; an MZ header with a PE offset beyond what we
    // kept still counts, since nothing else starts with a DOS header.
    match head.get(off..off.saturating_add(4)) {
        Some(sig) => sig == b"PE\0\0",
        None => off < 16 * 1024 * 1024,
    }
}

/// The first `n` bytes, lossily decoded and lower-cased.
fn lower_prefix(bytes: &[u8], n: usize) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(n)]).to_ascii_lowercase()
}

/// Markers of active content found in an HTML or SVG attachment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Markup {
    /// `<script` elements or `on…=` / `javascript:` handlers.
    pub script: bool,
    /// Smuggling markers: the names found (`atob`, `Blob`, `createObjectURL`, …).
    pub smuggling: Vec<&'static str>,
    /// An automatic redirect (`meta refresh`, `window.location` / `location.href`
    /// assignment, `location.replace`).
    pub redirect: bool,
    /// A `<form` element.
    pub form: bool,
}

const SMUGGLING: &[(&str, &str)] = &[
    ("atob(", "atob"),
    ("newblob", "Blob"),
    ("createobjecturl", "createObjectURL"),
    ("mssaveoropenblob", "msSaveOrOpenBlob"),
    ("data:application/", "data: URL"),
    ("uint8array", "Uint8Array"),
    ("fromcharcode", "fromCharCode"),
    ("unescape(", "unescape"),
    ("eval(", "eval"),
    ("document.write(", "document.write"),
];

/// Scans markup (head and tail of the content) for script, redirects, forms and smuggling.
pub fn scan_markup(head: &[u8], tail: &[u8]) -> Markup {
    let mut m = Markup::default();
    for part in [head, tail] {
        let text = String::from_utf8_lossy(part).to_ascii_lowercase();
        // Strip white space so `atob (` and split tokens still match.
        let dense: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        m.script |= dense.contains("<script")
            || dense.contains("javascript:")
            || [
                "onload=",
                "onerror=",
                "onclick=",
                "onmouseover=",
                "onfocus=",
            ]
            .iter()
            .any(|h| dense.contains(h));
        m.redirect |= dense.contains("http-equiv=\"refresh\"")
            || dense.contains("http-equiv='refresh'")
            || dense.contains("http-equiv=refresh")
            || dense.contains("window.location=")
            || dense.contains("location.href=")
            || dense.contains("document.location=")
            || dense.contains("location.replace(")
            || dense.contains("location.assign(");
        m.form |= dense.contains("<form");
        for (needle, name) in SMUGGLING {
            if dense.contains(needle) && !m.smuggling.contains(name) {
                m.smuggling.push(name);
            }
        }
    }
    m
}

/// What the content of one attachment shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Content {
    /// The kind the bytes show.
    pub kind: Option<Kind>,
    /// For ZIP content (and OOXML documents): the central directory.
    pub archive: Option<zip::Listing>,
    /// A VBA project: `vbaProject.bin` in an OOXML package or VBA storage in an OLE file.
    pub macros: bool,
    /// For HTML and SVG: active-content markers.
    pub markup: Option<Markup>,
    /// For calendar invitations: the text (bounded), so links can be found in it.
    pub calendar: Option<String>,
    /// A PDF whose trailer (or cross-reference stream) names an `/Encrypt` dictionary: it
    /// opens only with a password, so nothing can read it on the way.
    pub pdf_encrypted: bool,
    /// For PDFs: the web addresses its links open ([`pdf::uris`]).
    pub links: Vec<String>,
    /// The first bytes, as kept for rules that read magic numbers or text markers.
    pub head: Vec<u8>,
}

/// Inspects the decoded content of an attachment.
pub fn inspect(name: Option<&str>, content_type: Option<&str>, bytes: &[u8]) -> Content {
    let head = &bytes[..bytes.len().min(limits::ATTACHMENT_HEAD)];
    let tail = if bytes.len() > limits::ATTACHMENT_HEAD {
        &bytes[bytes.len() - (bytes.len() - limits::ATTACHMENT_HEAD).min(limits::ATTACHMENT_TAIL)..]
    } else {
        &[][..]
    };
    let kind = sniff(head, tail);
    let ext = name.and_then(extension);
    let mut content = Content {
        kind: Some(kind),
        head: head[..head.len().min(limits::ATTACHMENT_KEEP)].to_vec(),
        ..Content::default()
    };
    if bytes.starts_with(b"PK") {
        let listing = zip::list(bytes);
        content.macros = listing.entries.iter().any(|e| {
            e.name
                .rsplit('/')
                .next()
                .is_some_and(|n| n.eq_ignore_ascii_case("vbaProject.bin"))
        });
        content.archive = Some(listing);
    }
    if kind == Kind::Ole {
        content.macros = ole::has_vba(bytes);
    }
    if kind == Kind::Pdf {
        // The trailer sits at the end; a linearised file repeats it near the start.
        let names_encrypt = |b: &[u8]| b.windows(8).any(|w| w == b"/Encrypt");
        content.pdf_encrypted = names_encrypt(tail) || names_encrypt(head);
        content.links = pdf::uris(bytes);
    }
    let markup_named = matches!(
        ext.as_deref(),
        Some("html" | "htm" | "shtml" | "xhtml" | "svg" | "mht" | "mhtml")
    ) || matches!(
        content_type,
        Some("text/html" | "image/svg+xml" | "application/xhtml+xml")
    );
    if kind == Kind::Markup || (markup_named && kind == Kind::Other) {
        content.markup = Some(scan_markup(head, tail));
    }
    if ext.as_deref() == Some("ics") || content_type == Some("text/calendar") {
        content.calendar = Some(String::from_utf8_lossy(head).into_owned());
    }
    content
}

/// The last extension of a file name, lower case, without trailing dots or spaces.
pub fn extension(name: &str) -> Option<String> {
    let name = name.trim_end_matches(['.', ' ', '\u{0}']);
    let (_, ext) = name.rsplit_once('.')?;
    (!ext.is_empty() && ext.len() <= 20 && !ext.contains(['/', '\\', ' ']))
        .then(|| ext.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_magic() {
        let mut pe = b"MZ".to_vec();
        pe.resize(0x40, 0);
        pe[0x3C] = 0x40;
        pe.extend_from_slice(b"PE\0\0");
        assert_eq!(sniff(&pe, &[]), Kind::Program);
        assert_eq!(sniff(b"\x7fELF\x02\x01", &[]), Kind::Program);
        assert_eq!(sniff(b"#!/bin/sh\necho", &[]), Kind::Script);
        assert_eq!(sniff(b"%PDF-1.7\n", &[]), Kind::Pdf);
        assert_eq!(sniff(b"PK\x03\x04rest", &[]), Kind::Archive);
        assert_eq!(sniff(b"  <!DOCTYPE html><p>", &[]), Kind::Markup);
        assert_eq!(sniff(b"MZ", &[]), Kind::Other);
        let mut iso = vec![0u8; 0x8010];
        iso[0x8001..0x8006].copy_from_slice(b"CD001");
        assert_eq!(sniff(&iso, &[]), Kind::DiskImage);
        assert_eq!(sniff(b"hello", &[]), Kind::Other);
    }

    #[test]
    fn extensions() {
        assert_eq!(extension("a.PDF").as_deref(), Some("pdf"));
        assert_eq!(extension("a.pdf.exe. ").as_deref(), Some("exe"));
        assert_eq!(extension("noext"), None);
        assert_eq!(kind_of_extension("lnk"), Kind::Shortcut);
    }

    #[test]
    fn markup_markers() {
        let m = scan_markup(
            b"<html><script>var b = atob ('AAA'); var u = URL.createObjectURL(new Blob([b]));</script>",
            &[],
        );
        assert!(m.script);
        assert_eq!(m.smuggling, vec!["atob", "Blob", "createObjectURL"]);
        assert!(!m.form);
    }
}
