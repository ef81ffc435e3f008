//! QR codes in images: image attachments, inline images (`Content-ID` or inline
//! disposition) and `data:image/…;base64` images inside HTML bodies.
//!
//! QR-code phishing ("quishing") puts the link where URL filters and link-hover habits do not
//! reach: in a picture the reader scans with a phone. This module finds the pictures, reads
//! their size from the header, decodes the small enough ones to grayscale (PNG with `png`,
//! JPEG with `zune-jpeg`, GIF with `gif`; [`image`]) and looks for QR codes with `quircs`.
//! [`crate::links::extract`] turns each decoded payload that is a web address into a link of
//! kind [`crate::links::LinkKind::QrCode`], so every link rule applies to it, and the
//! `qr-code-link` rule names the technique.
//!
//! Bounded by [`crate::limits`]: an image larger than [`limits::MAX_IMAGE_BYTES`] or
//! [`limits::MAX_IMAGE_PIXELS`] (read from the header, before decoding) is skipped, and at
//! most [`limits::MAX_IMAGES_DECODED`] images are decoded per message; each skip is recorded
//! as a limit hit. Malformed images are skipped, never a panic. The decoders are behind the
//! cargo feature `qr` (on by default); without it, images are never decoded and
//! [`Scanner::scan`] reports [`Outcome::Unsupported`].
//!
//! Cost (November 2026, after the third pass; instructions counted with valgrind on the
//! native release build, wasm in Node is 3 to 5 times slower): decoding takes about 15
//! instructions a pixel for GIF (LZW, then a palette table); PNG photographs cost more (on
//! the list corpus decoding is 70% of the scan, half of it the `png` crate's inflate and
//! unfiltering). Pictures over 1 MP are searched at half size first. The search first
//! counts quirc's capstones (finder patterns) its way ([`image`]'s `capstones`: the same
//! threshold, row test and flood fills, without copying the picture); quirc runs only when
//! there are three, since it needs three for a grid. That is 12 to 21 instructions a pixel on
//! the corpora's pictures, where quirc took 24 to 35, and in the corpora only the one
//! picture with a QR code gets to quirc; each code found costs about 2 ms more (quirc's grid
//! fitting). The whole scan per message: `nazario-phishing0` (20 pictures in 414 messages)
//! about 171 k of the analysis's 1,140 k instructions, `modern-ham-lists-public` (62 in 1,325)
//! about 1,217 k of 3,042 k. Later (November 2026, 209cb05 to f0c2f1f) RGBA rows go to gray
//! four pixels at a time while they repeat a colour, and the capstone count's flood fills
//! step over a bit map of dark pixels, a word at a time: the list corpus's scan went from
//! about 1,070 k to 937 k instructions a message (decoding 675 k, the search 262 k; the
//! analysis 2,602 k to 2,468 k); `nazario-phishing0`'s stayed at about 170 k (its GIFs have
//! few large regions to fill, and the bit map is made and copied). The wasm build grew
//! by about 112 KB gzip with the decoders (428 to 540 KB when they came).

pub mod image;

use crate::limits;

/// Where a QR code's image was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// An attachment offered as a file.
    Attachment,
    /// An image shown inside the message (`Content-ID` / inline disposition).
    Inline,
    /// A `data:image/…;base64` URL inside an HTML body.
    DataUri,
}

/// A QR code found in an image of the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrCode {
    /// The decoded text, at most [`limits::MAX_QR_PAYLOAD_CHARS`] characters.
    pub payload: String,
    pub origin: Origin,
    /// The image's file name, when it has one.
    pub image: Option<String>,
    /// MIME path of the part holding the image (the HTML body for `data:` images).
    pub path: String,
}

impl QrCode {
    /// How a reader would name where the code is: "QR code in image invoice.png".
    pub fn describe(&self) -> String {
        match (&self.image, self.origin) {
            (Some(name), _) => format!("QR code in image {}", crate::rules::excerpt(name)),
            (None, Origin::Attachment) => "QR code in an attached image".to_string(),
            (None, Origin::Inline) => "QR code in an image shown in the message".to_string(),
            (None, Origin::DataUri) => "QR code in an image embedded in the HTML".to_string(),
        }
    }
}

/// What scanning one image gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Not a PNG, JPEG or GIF.
    NotImage,
    /// Smaller than a QR code can be ([`limits::MIN_QR_SIDE`]) or too elongated to hold one:
    /// skipped without decoding.
    TooSmall,
    /// More than [`limits::MAX_IMAGE_BYTES`] bytes: skipped.
    TooManyBytes,
    /// More than [`limits::MAX_IMAGE_PIXELS`] pixels by its header: skipped without decoding.
    TooManyPixels { width: u32, height: u32 },
    /// [`limits::MAX_IMAGES_DECODED`] images were already decoded in this message.
    CountLimit,
    /// The header was readable but the image was not.
    Corrupt,
    /// Built without the `qr` feature: images are not decoded.
    Unsupported,
    /// Decoded; the payloads of the QR codes found (possibly none).
    Decoded(Vec<String>),
}

/// Scans the images of one message, keeping count against the per-message limits.
#[derive(Clone, Debug, Default)]
pub struct Scanner {
    /// Images decoded so far.
    pub decoded: usize,
    /// QR codes found so far.
    pub codes: Vec<QrCode>,
    /// Names of the limits hit (`image-bytes`, `image-pixels`, `image-count`).
    pub limits_hit: Vec<&'static str>,
}

impl Scanner {
    fn hit(&mut self, limit: &'static str) {
        if !self.limits_hit.contains(&limit) {
            self.limits_hit.push(limit);
        }
    }

    /// Scans one image and records what it holds. Bytes that are not a PNG, JPEG or GIF are
    /// ignored cheaply (a look at the magic number).
    pub fn scan(
        &mut self,
        bytes: &[u8],
        origin: Origin,
        image: Option<&str>,
        path: &str,
    ) -> Outcome {
        let Some(header) = image::header(bytes) else {
            return Outcome::NotImage;
        };
        if !header.could_hold_qr() {
            return Outcome::TooSmall;
        }
        if bytes.len() > limits::MAX_IMAGE_BYTES {
            self.hit("image-bytes");
            return Outcome::TooManyBytes;
        }
        if header.pixels() > limits::MAX_IMAGE_PIXELS as u64 {
            self.hit("image-pixels");
            return Outcome::TooManyPixels {
                width: header.width,
                height: header.height,
            };
        }
        if !cfg!(feature = "qr") {
            return Outcome::Unsupported;
        }
        if self.decoded >= limits::MAX_IMAGES_DECODED {
            self.hit("image-count");
            return Outcome::CountLimit;
        }
        self.decoded += 1;
        let Some(gray) = image::decode(bytes, &header) else {
            return Outcome::Corrupt;
        };
        let payloads = image::find_qr(&gray);
        for payload in &payloads {
            if self.codes.len() >= limits::MAX_QR_CODES {
                break;
            }
            self.codes.push(QrCode {
                payload: payload.clone(),
                origin,
                image: image.map(str::to_string),
                path: path.to_string(),
            });
        }
        Outcome::Decoded(payloads)
    }

    /// Scans the `data:image/…;base64,` images of one HTML body.
    pub fn scan_html(&mut self, html: &str, path: &str) {
        if !cfg!(feature = "qr") {
            return; // nothing would read the pictures
        }
        for bytes in data_uri_images(html) {
            self.scan(&bytes, Origin::DataUri, None, path);
        }
    }
}

/// The decoded bytes of `data:image/png|jpeg|gif;base64,` URLs in `html`, at most
/// [`limits::MAX_DATA_URI_IMAGES`] of them, each at most [`limits::MAX_IMAGE_BYTES`] bytes
/// (longer ones are cut, so the decoder sees a truncated image and skips it).
pub fn data_uri_images(html: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut from = 0;
    while out.len() < limits::MAX_DATA_URI_IMAGES {
        let Some(at) = find_ascii_ci(&bytes[from..], b"data:image/") else {
            break;
        };
        let start = from + at + b"data:image/".len();
        from = start;
        let rest = &bytes[start..];
        let Some(comma) = rest.iter().take(64).position(|b| *b == b',') else {
            continue;
        };
        let params = rest[..comma].to_ascii_lowercase();
        let wanted = [&b"png"[..], b"jpeg", b"jpg", b"gif", b"pjpeg"]
            .iter()
            .any(|t| params.starts_with(t));
        if !wanted || !params.ends_with(b";base64") {
            continue;
        }
        let body = &rest[comma + 1..];
        let max = limits::MAX_IMAGE_BYTES / 3 * 4 + 4;
        let encoded: Vec<u8> = body
            .iter()
            .take_while(|b| {
                b.is_ascii_alphanumeric()
                    || matches!(b, b'+' | b'/' | b'=')
                    || b.is_ascii_whitespace()
            })
            .filter(|b| !b.is_ascii_whitespace())
            .take(max)
            .copied()
            .collect();
        from += comma + 1;
        let usable = encoded.len() / 4 * 4;
        if let Some(decoded) = mail_parser::decoders::base64::base64_decode(&encoded[..usable]) {
            out.push(decoded);
        }
    }
    out
}

/// Position of `needle` (lower-case ASCII) in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    // Jump between the candidates for the first byte (either case) with memchr.
    let first = needle[0];
    let last = hay.len() - needle.len();
    let mut from = 0;
    while from <= last {
        let at = from + memchr::memchr2(first, first.to_ascii_uppercase(), &hay[from..=last])?;
        if hay[at..at + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Whether a QR payload is a web address a reader's phone would open: `http(s)://…` or
/// `www.…`. Other payloads (Wi-Fi settings, contact cards, payment slips, ticket numbers,
/// `otpauth://`) are not links.
pub fn is_web_payload(payload: &str) -> bool {
    let p = payload.trim_start();
    let head: String = p.chars().take(8).collect::<String>().to_ascii_lowercase();
    head.starts_with("http://") || head.starts_with("https://") || head.starts_with("www.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_needles_in_either_case() {
        assert_eq!(find_ascii_ci(b"xxDATA:image/", b"data:image/"), Some(2));
        assert_eq!(find_ascii_ci(b"data:imagE/", b"data:image/"), Some(0));
        assert_eq!(find_ascii_ci(b"ddd data:imag", b"data:image/"), None);
        assert_eq!(find_ascii_ci(b"d", b"data:image/"), None);
        assert_eq!(find_ascii_ci(b"dada data:image/x", b"data:image/"), Some(5));
    }

    #[test]
    fn finds_data_uri_images() {
        let html = "<p>x</p><img src=\"DATA:image/png;base64,iVBO\r\nRw0K\"><img src='data:image/svg+xml;base64,PHN2Zz4='><img src=\"data:image/gif;base64,R0lGODlh\">";
        let found = data_uri_images(html);
        assert_eq!(found.len(), 2);
        assert_eq!(&found[0][..4], b"\x89PNG");
        assert_eq!(&found[1][..6], b"GIF89a");
    }

    #[test]
    fn web_payloads() {
        assert!(is_web_payload("https://example.com/x"));
        assert!(is_web_payload("HTTP://EXAMPLE.COM"));
        assert!(is_web_payload("www.example.com"));
        assert!(!is_web_payload("WIFI:S:guest;T:WPA;P:secret;;"));
        assert!(!is_web_payload("otpauth://totp/x?secret=ABC"));
        assert!(!is_web_payload("BCD\n002\n1\nSCT"));
    }

    #[cfg(feature = "qr")]
    #[test]
    fn parts_from_a_host_are_scanned_too() {
        let parts = crate::MessageParts {
            headers: "From: IT <it@helpdesk.example>\r\nSubject: MFA\r\n".to_string(),
            text: Some("Scan the QR code with your phone camera.".to_string()),
            attachments: vec![crate::AttachmentMeta {
                name: Some("code.png".to_string()),
                content_type: Some("image/png".to_string()),
                size: None,
                bytes: Some(include_bytes!("testdata/url.png").to_vec()),
            }],
            ..crate::MessageParts::default()
        };
        let report = crate::analyze_parts(
            &parts,
            &crate::Policy::default(),
            &crate::Context::default(),
        );
        let link = report.links.first().expect("a link from the QR code");
        assert_eq!(link.destination, "https://mfa-reset.example/enrol?u=1");
        assert_eq!(link.image.as_deref(), Some("QR code in image code.png"));
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.rule == "qr-code-link" && f.score == 20)
        );
    }

    /// A small deterministic fuzz: flipped, zeroed and random bytes all over real PNG, JPEG
    /// and GIF QR images (headers included) never panic the decoders or the QR reader.
    #[cfg(feature = "qr")]
    #[test]
    fn mutated_images_never_panic() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for original in [
            &include_bytes!("testdata/url.png")[..],
            include_bytes!("testdata/transparent.png"),
            include_bytes!("testdata/url.jpg"),
            include_bytes!("testdata/url.gif"),
        ] {
            for round in 0..150 {
                let mut bytes = original.to_vec();
                for _ in 0..1 + next() % 8 {
                    let at = (next() as usize) % bytes.len();
                    // Mostly near the start, where headers and tables live.
                    let at = if round % 2 == 0 {
                        at % 256.min(bytes.len())
                    } else {
                        at
                    };
                    bytes[at] = match next() % 3 {
                        0 => bytes[at] ^ (1 << (next() % 8)),
                        1 => 0,
                        _ => next() as u8,
                    };
                }
                let mut scanner = Scanner::default();
                let _ = scanner.scan(&bytes, Origin::Attachment, None, "1");
            }
        }
    }

    #[test]
    fn non_images_are_ignored_cheaply() {
        let mut s = Scanner::default();
        assert_eq!(
            s.scan(b"%PDF-1.7", Origin::Attachment, None, "2"),
            Outcome::NotImage
        );
        assert_eq!(s.decoded, 0);
    }
}
