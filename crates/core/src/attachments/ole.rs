//! VBA macros in OLE compound files (legacy `.doc`, `.xls`, `.ppt`).
//!
//! Rather than walking the FAT, which a malformed file can make arbitrarily expensive, this
//! looks for the directory entries a VBA project always creates: the `_VBA_PROJECT` stream
//! and the `VBA` storage, whose names are stored as UTF-16LE at the start of 128-byte
//! directory entries (sector-aligned, so entry starts are at multiples of 128). The search is
//! bounded to the first [`crate::limits::MAX_OLE_SCAN`] bytes.

use crate::limits;

/// `_VBA_PROJECT` in UTF-16LE.
const VBA_PROJECT: &[u8] = b"_\0V\0B\0A\0_\0P\0R\0O\0J\0E\0C\0T\0";
/// `VBA`, then the terminating NUL, in UTF-16LE.
const VBA_STORAGE: &[u8] = b"V\0B\0A\0\0\0";

/// Whether the OLE file holds a VBA project.
pub fn has_vba(bytes: &[u8]) -> bool {
    let bytes = &bytes[..bytes.len().min(limits::MAX_OLE_SCAN)];
    let mut project = false;
    let mut storage = false;
    let mut at = 512;
    while at + 128 <= bytes.len() && !(project && storage) {
        let entry = &bytes[at..at + 128];
        // Directory entry: name (64 bytes), name length in bytes incl. NUL (u16 at 64),
        // object type at 66 (1 storage, 2 stream).
        let len = u16::from_le_bytes([entry[64], entry[65]]) as usize;
        match (entry[66], len) {
            (2, 26) if entry.starts_with(VBA_PROJECT) => project = true,
            (1, 8) if entry.starts_with(VBA_STORAGE) => storage = true,
            _ => {}
        }
        at += 128;
    }
    project || storage
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_vba_entries() {
        let mut file = vec![0u8; 1024];
        let mut entry = VBA_PROJECT.to_vec();
        entry.resize(128, 0);
        entry[64] = 26;
        entry[66] = 2;
        file[640..768].copy_from_slice(&entry);
        assert!(has_vba(&file));
        assert!(!has_vba(&vec![0u8; 1024]));
        assert!(!has_vba(b"short"));
    }
}
