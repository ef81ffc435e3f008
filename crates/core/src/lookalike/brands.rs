//! The built-in brand list, `crates/core/data/brands.tsv`, embedded with `include_str!` and
//! parsed once when [`super::builtin`] is first called. See the file's header for provenance.

/// The embedded data file.
pub(crate) const BRANDS_TSV: &str = include_str!("../../data/brands.tsv");

/// One parsed line of `brands.tsv`.
pub(crate) struct BrandLine<'a> {
    /// Display name first, then aliases.
    pub names: Vec<&'a str>,
    pub category: &'a str,
    /// Everyday word or surname: needs context.
    pub generic: bool,
    pub domains: Vec<(&'a str, Protect)>,
}

/// How a listed domain's label is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Protect {
    /// An imitation target.
    Yes,
    /// `!`: an everyday word; a target only for lookalike characters, not typos.
    Word,
    /// `~`: genuine, never flagged, but too generic to be a target.
    No,
}

/// Parses the brand list, skipping comments, blank and malformed lines.
pub(crate) fn parse(tsv: &str) -> Vec<BrandLine<'_>> {
    let mut out = Vec::new();
    for line in tsv.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(names), Some(category), Some(flags), Some(domains)) =
            (cols.next(), cols.next(), cols.next(), cols.next())
        else {
            continue;
        };
        out.push(BrandLine {
            names: names
                .split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect(),
            category,
            generic: flags.contains('w'),
            domains: domains
                .split_whitespace()
                .map(|d| {
                    if let Some(d) = d.strip_prefix('~') {
                        (d, Protect::No)
                    } else if let Some(d) = d.strip_prefix('!') {
                        (d, Protect::Word)
                    } else {
                        (d, Protect::Yes)
                    }
                })
                .collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brand_list_is_well_formed() {
        let brands = parse(BRANDS_TSV);
        assert!(brands.len() >= 150, "{} brands", brands.len());
        let data_lines = BRANDS_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        assert_eq!(data_lines, brands.len(), "a line is malformed");
        for b in &brands {
            assert!(!b.names.is_empty() && !b.domains.is_empty());
            for (d, _) in &b.domains {
                assert!(
                    d.contains('.')
                        && d.bytes().all(|c| c.is_ascii_lowercase()
                            || c.is_ascii_digit()
                            || c == b'.'
                            || c == b'-'),
                    "bad domain {d:?}"
                );
            }
        }
    }
}
