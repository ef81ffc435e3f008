//! FxHash (rustc's hasher) for the engine's hash tables: a multiply and a rotate per 8 bytes
//! instead of SipHash's rounds. The keys are short (words, host names, URLs), and every
//! table keyed by message content is bounded by [`crate::limits`], so SipHash's protection
//! against crafted collisions buys nothing worth its cost; no report depends on a table's
//! iteration order.

use std::collections::{HashMap, HashSet};

/// Builds [`FxHasher`]s.
#[derive(Clone, Copy, Default)]
pub struct FxBuild;

impl std::hash::BuildHasher for FxBuild {
    type Hasher = FxHasher;
    fn build_hasher(&self) -> FxHasher {
        FxHasher(0)
    }
}

/// See the module documentation.
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Whole words, then the rest zero-padded (no copy of a variable length: that would
        // be a call to memcpy per word).
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.add(u64::from_le_bytes([
                w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7],
            ]));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let word = rest
                .iter()
                .rev()
                .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
            self.add(word);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A `HashMap` with [`FxBuild`].
pub type FxHashMap<K, V> = HashMap<K, V, FxBuild>;
/// A `HashSet` with [`FxBuild`].
pub type FxHashSet<T> = HashSet<T, FxBuild>;
