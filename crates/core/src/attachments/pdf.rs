//! The web addresses a PDF links to: the `/URI` targets of its link annotations.
//!
//! Read without a PDF parser: annotation dictionaries are written in the clear, or (PDF 1.5
//! and later) packed into compressed object streams (`/Type /ObjStm`), which are inflated
//! under a budget. Page content, fonts and images are never decoded.

use memchr::memmem;

/// Links kept per document.
pub const MAX_URIS: usize = 16;
/// Bytes of a document searched.
const MAX_SCAN: usize = 16 << 20;
/// Object streams inflated per document, and the bytes they may inflate to in all.
const MAX_OBJECT_STREAMS: usize = 32;
const MAX_INFLATED: usize = 4 << 20;
/// Characters of one address kept.
const MAX_URI_BYTES: usize = 2048;

/// The distinct link targets of a PDF, in order of appearance, at most [`MAX_URIS`].
pub fn uris(bytes: &[u8]) -> Vec<String> {
    let bytes = &bytes[..bytes.len().min(MAX_SCAN)];
    let mut out = Vec::new();
    find_uris(bytes, &mut out);
    let mut budget = MAX_INFLATED;
    for data in object_streams(bytes).take(MAX_OBJECT_STREAMS) {
        if out.len() >= MAX_URIS || budget == 0 {
            break;
        }
        let inflated = inflate(data, budget);
        budget -= inflated.len().min(budget);
        find_uris(&inflated, &mut out);
    }
    out
}

/// Every `/URI (…)` or `/URI <…>` in `bytes`.
fn find_uris(bytes: &[u8], out: &mut Vec<String>) {
    for at in memmem::find_iter(bytes, b"/URI") {
        if out.len() >= MAX_URIS {
            return;
        }
        let mut i = at + 4;
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n' | b'\x0C' | 0) {
            i += 1;
        }
        let raw = match bytes.get(i) {
            Some(b'(') => literal(&bytes[i + 1..]),
            Some(b'<') => hex(&bytes[i + 1..]),
            _ => continue,
        };
        let uri = String::from_utf8_lossy(&raw).trim().to_string();
        if !uri.is_empty() && !out.contains(&uri) {
            out.push(uri);
        }
    }
}

/// A literal string after its `(`: balanced parentheses, backslash escapes.
fn literal(b: &[u8]) -> Vec<u8> {
    let (mut out, mut depth, mut i) = (Vec::new(), 0usize, 0usize);
    while i < b.len() && out.len() < MAX_URI_BYTES {
        match b[i] {
            b'\\' => {
                i += 1;
                match b.get(i) {
                    Some(b'n') => out.push(b'\n'),
                    Some(b'r') => out.push(b'\r'),
                    Some(b't') => out.push(b'\t'),
                    Some(d @ b'0'..=b'7') => {
                        // Up to three octal digits.
                        let mut v = u32::from(d - b'0');
                        let mut n = 1;
                        while n < 3 && matches!(b.get(i + 1), Some(b'0'..=b'7')) {
                            i += 1;
                            n += 1;
                            v = v * 8 + u32::from(b[i] - b'0');
                        }
                        out.push((v & 0xFF) as u8);
                    }
                    Some(b'\r' | b'\n') | None => {}
                    Some(&c) => out.push(c),
                }
            }
            b'(' => {
                depth += 1;
                out.push(b'(');
            }
            b')' if depth == 0 => break,
            b')' => {
                depth -= 1;
                out.push(b')');
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// A hex string after its `<`, up to `>`; white space ignored, an odd last digit padded.
fn hex(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut high: Option<u8> = None;
    for &c in b.iter().take(MAX_URI_BYTES * 2 + 64) {
        let v = match c {
            b'>' => break,
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => continue,
        };
        match high.take() {
            Some(h) => out.push(h << 4 | v),
            None => high = Some(v),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    out
}

/// The raw data of each stream whose dictionary says `/ObjStm`.
fn object_streams(bytes: &[u8]) -> impl Iterator<Item = &[u8]> + '_ {
    memmem::find_iter(bytes, b"/ObjStm").filter_map(move |at| {
        let rest = &bytes[at..];
        // The dictionary ends before `stream`; another object must not start in between.
        let start = memmem::find(&rest[..rest.len().min(4096)], b"stream")?;
        if memmem::find(&rest[..start], b"endobj").is_some() {
            return None;
        }
        let mut data = &rest[start + 6..];
        data = data.strip_prefix(b"\r").unwrap_or(data);
        data = data.strip_prefix(b"\n").unwrap_or(data);
        let end = memmem::find(data, b"endstream").unwrap_or(data.len());
        Some(&data[..end])
    })
}

/// Inflates zlib data, keeping at most `limit` bytes.
fn inflate(data: &[u8], limit: usize) -> Vec<u8> {
    use fdeflate::BoundedDecompressionError;
    match fdeflate::decompress_to_vec_bounded(data, limit) {
        Ok(v) => v,
        Err(BoundedDecompressionError::OutputTooLarge { partial_output }) => partial_output,
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_and_hex_targets() {
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Annot /Subtype /Link /A << /S /URI /URI (https://a.example/x\\(1\\)) >> >> endobj\n\
                    2 0 obj << /A << /URI <68747470733A2F2F622E6578616D706C652F> >> >> endobj\n\
                    3 0 obj << /A << /URI (https://a.example/x\\(1\\)) >> >> endobj";
        assert_eq!(uris(pdf), ["https://a.example/x(1)", "https://b.example/"]);
    }

    #[test]
    fn object_stream_targets() {
        let objects =
            b"1 0 2 40 << /Type /Annot /Subtype /Link /A << /URI (https://c.example/login) >> >>";
        let packed = fdeflate::compress_to_vec(objects);
        let mut pdf =
            b"%PDF-1.7\n5 0 obj << /Type /ObjStm /N 1 /First 5 /Filter /FlateDecode >>\nstream\r\n"
                .to_vec();
        pdf.extend_from_slice(&packed);
        pdf.extend_from_slice(b"\r\nendstream\nendobj\n");
        assert_eq!(uris(&pdf), ["https://c.example/login"]);
    }

    #[test]
    fn hostile_input_is_bounded() {
        assert!(uris(b"/URI (").is_empty());
        assert!(uris(b"/URI <").is_empty());
        assert!(uris(b"/ObjStm stream\nnot zlib").is_empty());
        let long = [b"/URI (".as_slice(), &[b'a'; 10_000]].concat();
        assert_eq!(uris(&long)[0].len(), MAX_URI_BYTES);
        let many: Vec<u8> = (0..100)
            .flat_map(|i| format!("/URI (https://{i}.example/)").into_bytes())
            .collect();
        assert_eq!(uris(&many).len(), MAX_URIS);
    }
}
