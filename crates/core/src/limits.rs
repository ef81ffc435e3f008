//! Bounds on every loop over input. Exceeding one is a finding (`limit-exceeded`), never an
//! error: the engine analyses what fits and says what it skipped.

/// Messages larger than this are analysed on their first `MAX_BYTES` bytes.
pub const MAX_BYTES: usize = 25 * 1024 * 1024;
/// Header fields looked at in the top-level header block.
pub const MAX_HEADERS: usize = 1000;
/// MIME parts looked at.
pub const MAX_PARTS: usize = 500;
/// Nesting depth of multiparts and attached messages.
pub const MAX_MIME_DEPTH: usize = 20;
/// Messages attached to messages (forwards of forwards) whose bodies and files are read.
pub const MAX_ATTACHED_MESSAGES: usize = 3;
/// Received hops examined.
pub const MAX_RECEIVED: usize = 100;
/// Authentication-Results header fields examined.
pub const MAX_AUTH_HEADERS: usize = 50;
/// Addresses looked at per address header.
pub const MAX_ADDRESSES: usize = 100;
/// Characters of a header value quoted in evidence.
pub const MAX_EXCERPT_CHARS: usize = 200;
/// Bytes at the start of an attachment examined for magic numbers and markers.
pub const ATTACHMENT_HEAD: usize = 64 * 1024;
/// Bytes at the end of an attachment examined (VHD footers, script at the end of HTML).
pub const ATTACHMENT_TAIL: usize = 64 * 1024;
/// Bytes of an attachment's start kept in the model for rules.
pub const ATTACHMENT_KEEP: usize = 4 * 1024;
/// Central-directory entries read from one ZIP archive.
pub const MAX_ZIP_ENTRIES: usize = 1000;
/// Bytes of an OLE compound file searched for VBA directory entries.
pub const MAX_OLE_SCAN: usize = 16 * 1024 * 1024;
/// Bytes of a text-like attachment (HTML, SVG, calendar) kept to read links from.
pub const MAX_ATTACHMENT_TEXT: usize = 2 * 1024 * 1024;
/// Distinct links (anchors, forms, frames, text URLs) kept per message; images are counted
/// separately against the same bound.
pub const MAX_LINKS: usize = 300;
/// Bytes of one body or attachment scanned for links.
pub const MAX_LINK_SCAN_BYTES: usize = 4 * 1024 * 1024;
/// Characters kept of a link's visible text.
pub const MAX_LINK_TEXT_CHARS: usize = 300;
/// Nested rewriters and redirectors unwrapped around one link.
pub const MAX_UNWRAP: usize = 5;
/// Forms kept per message.
pub const MAX_FORMS: usize = 50;
/// Bytes of one image (attachment, inline image or `data:` image) decoded to look for QR
/// codes; larger images are skipped (`image-bytes`).
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;
/// Pixels of one image, read from its header before decoding; larger images are skipped
/// (`image-pixels`). 4 MP: a phone screenshot or a scanned A4 page at 200 dpi fits.
pub const MAX_IMAGE_PIXELS: usize = 4_000_000;
/// Images decoded per message (`image-count`). Newsletters carry dozens of pictures; QR lures
/// carry one or two.
pub const MAX_IMAGES_DECODED: usize = 8;
/// `data:image/…;base64` URLs read from one HTML body.
pub const MAX_DATA_URI_IMAGES: usize = 16;
/// The smallest side, in pixels, an image needs to hold a QR code (version 1 is 21 modules);
/// smaller images (tracking pixels, icons) are skipped without decoding.
pub const MIN_QR_SIDE: u32 = 21;
/// Images longer than this many times their width (or wider than their height) are strips
/// (banners, dividers, spacers) and skipped without decoding.
pub const MAX_IMAGE_ASPECT: u32 = 6;
/// JPEG marker segments walked to find the frame header with the image size.
pub const MAX_JPEG_SEGMENTS: usize = 256;
/// Images with more pixels than this are searched for QR codes at half resolution first
/// (full resolution only when a code-like pattern did not decode there).
pub const QR_FULL_RES_PIXELS: usize = 1_000_000;
/// QR codes kept per image and per message.
pub const MAX_QR_CODES: usize = 8;
/// Characters kept of a QR code's text.
pub const MAX_QR_PAYLOAD_CHARS: usize = 2048;

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary: how a
/// byte limit is applied to text.
pub fn clip(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
