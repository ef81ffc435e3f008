//! A small deterministic generator for test inputs (a 64-bit LCG), shared by the tests that
//! compare a fast path with its straightforward version on generated data.

pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    /// A number below `n` (`n` > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }

    /// One of `items` (not empty).
    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}
