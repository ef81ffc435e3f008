//! A bounded reader of a ZIP archive's central directory: entry names, sizes and the
//! "encrypted" flag. It decompresses nothing.
//!
//! The end-of-central-directory record is looked for in the last 64 KiB + 22 bytes; the
//! directory it points to is read entry by entry, at most [`limits::MAX_ZIP_ENTRIES`]
//! entries. When there is no readable directory (a truncated archive), the local file headers
//! are walked from the start instead, as far as their sizes allow. Never panics.

use crate::limits;

/// One entry of the directory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    /// The entry's path inside the archive (lossily decoded), at most 255 characters.
    pub name: String,
    /// General-purpose flag bit 0: the entry's data is encrypted.
    pub encrypted: bool,
    pub compressed_size: u64,
    pub size: u64,
}

/// The entries read, and whether the reader stopped early.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    pub entries: Vec<Entry>,
    /// More entries than [`limits::MAX_ZIP_ENTRIES`], or a directory that ends mid-entry.
    pub truncated: bool,
    /// No central directory was found; entries come from local headers, if any.
    pub no_directory: bool,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn name_of(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).chars().take(255).collect()
}

/// Lists the archive in `bytes`.
pub fn list(bytes: &[u8]) -> Listing {
    match directory(bytes) {
        Some(listing) => listing,
        None => local_headers(bytes),
    }
}

fn directory(bytes: &[u8]) -> Option<Listing> {
    let window = 65_535 + 22;
    let from = bytes.len().saturating_sub(window);
    let eocd = (from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..].starts_with(b"PK\x05\x06"))?;
    let count = u16_at(bytes, eocd + 10)? as usize;
    let size = u32_at(bytes, eocd + 12)? as usize;
    let mut offset = u32_at(bytes, eocd + 16)? as usize;
    // Self-extracting or prefixed archives: the directory sits `prefix` bytes later than
    // the offset says.
    if !bytes
        .get(offset..)
        .is_some_and(|b| b.starts_with(b"PK\x01\x02"))
        && let Some(start) = eocd.checked_sub(size)
        && bytes[start..].starts_with(b"PK\x01\x02")
    {
        offset = start;
    }
    let mut listing = Listing::default();
    let mut at = offset;
    for _ in 0..count.min(limits::MAX_ZIP_ENTRIES) {
        if !bytes
            .get(at..)
            .is_some_and(|b| b.starts_with(b"PK\x01\x02"))
        {
            listing.truncated = true;
            break;
        }
        let (Some(flags), Some(csize), Some(usize_), Some(nlen), Some(xlen), Some(clen)) = (
            u16_at(bytes, at + 8),
            u32_at(bytes, at + 20),
            u32_at(bytes, at + 24),
            u16_at(bytes, at + 28),
            u16_at(bytes, at + 30),
            u16_at(bytes, at + 32),
        ) else {
            listing.truncated = true;
            break;
        };
        let name_start = at + 46;
        let Some(raw) = bytes.get(name_start..name_start + nlen as usize) else {
            listing.truncated = true;
            break;
        };
        listing.entries.push(Entry {
            name: name_of(raw),
            encrypted: flags & 1 == 1,
            compressed_size: u64::from(csize),
            size: u64::from(usize_),
        });
        at = name_start + nlen as usize + xlen as usize + clen as usize;
    }
    if count > limits::MAX_ZIP_ENTRIES {
        listing.truncated = true;
    }
    (!listing.entries.is_empty() || count == 0).then_some(listing)
}

fn local_headers(bytes: &[u8]) -> Listing {
    let mut listing = Listing {
        no_directory: true,
        ..Listing::default()
    };
    let mut at = 0;
    while listing.entries.len() < limits::MAX_ZIP_ENTRIES {
        if !bytes
            .get(at..)
            .is_some_and(|b| b.starts_with(b"PK\x03\x04"))
        {
            break;
        }
        let (Some(flags), Some(csize), Some(usize_), Some(nlen), Some(xlen)) = (
            u16_at(bytes, at + 6),
            u32_at(bytes, at + 18),
            u32_at(bytes, at + 22),
            u16_at(bytes, at + 26),
            u16_at(bytes, at + 28),
        ) else {
            break;
        };
        let name_start = at + 30;
        let Some(raw) = bytes.get(name_start..name_start + nlen as usize) else {
            break;
        };
        listing.entries.push(Entry {
            name: name_of(raw),
            encrypted: flags & 1 == 1,
            compressed_size: u64::from(csize),
            size: u64::from(usize_),
        });
        // Bit 3: sizes follow the data in a descriptor; the next header cannot be found.
        if flags & 8 != 0 {
            listing.truncated = true;
            break;
        }
        at = name_start + nlen as usize + xlen as usize + csize as usize;
    }
    listing
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A stored (uncompressed) ZIP with the given entries and flags, as a test helper.
    pub fn build(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut dir = Vec::new();
        for (name, data, encrypted) in entries {
            let offset = out.len() as u32;
            let flags: u16 = u16::from(*encrypted);
            out.extend_from_slice(b"PK\x03\x04\x14\x00");
            out.extend_from_slice(&flags.to_le_bytes());
            out.extend_from_slice(&[0; 10]);
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            dir.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00");
            dir.extend_from_slice(&flags.to_le_bytes());
            dir.extend_from_slice(&[0; 10]);
            dir.extend_from_slice(&(data.len() as u32).to_le_bytes());
            dir.extend_from_slice(&(data.len() as u32).to_le_bytes());
            dir.extend_from_slice(&(name.len() as u16).to_le_bytes());
            dir.extend_from_slice(&[0; 12]);
            dir.extend_from_slice(&offset.to_le_bytes());
            dir.extend_from_slice(name.as_bytes());
        }
        let dir_offset = out.len() as u32;
        out.extend_from_slice(&dir);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(dir.len() as u32).to_le_bytes());
        out.extend_from_slice(&dir_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn reads_directory() {
        let zip = build(&[("a.txt", b"hi", false), ("dir/b.exe", b"MZ", true)]);
        let l = list(&zip);
        assert!(!l.no_directory && !l.truncated);
        assert_eq!(l.entries.len(), 2);
        assert_eq!(l.entries[1].name, "dir/b.exe");
        assert!(l.entries[1].encrypted && !l.entries[0].encrypted);
    }

    #[test]
    fn truncated_archive_falls_back_to_local_headers() {
        let zip = build(&[("a.txt", b"hi", false), ("b.js", b"x", false)]);
        let cut = &zip[..zip.len() - 30];
        let l = list(cut);
        assert_eq!(l.entries.len(), 2, "{l:?}");
        assert!(l.no_directory);
    }

    #[test]
    fn garbage_never_panics() {
        for n in 0..64 {
            let mut v = b"PK\x05\x06".to_vec();
            v.extend(std::iter::repeat_n(0xFFu8, n));
            let _ = list(&v);
            let mut w = b"PK\x03\x04".to_vec();
            w.extend(std::iter::repeat_n(0xFFu8, n));
            let _ = list(&w);
        }
    }
}
