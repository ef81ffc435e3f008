//! Fast look-ups of protected brands by domain and by name, for the link rules.
//!
//! The built-in brand list is indexed once ([`builtin`]); a policy's few brands and domains
//! get a small index per analysis ([`BrandIndex::for_policy`]). Every look-up walks the labels
//! of one host or path instead of every brand's every domain.

use std::sync::OnceLock;

use crate::Policy;
use crate::fx::FxHashMap;
use crate::lookalike::BrandRef;

/// Brands by genuine domain and by name label.
#[derive(Default)]
pub struct BrandIndex {
    /// Number of brands indexed (ids are 0..count).
    count: u32,
    by_domain: FxHashMap<String, u32>,
    /// Lower-case ASCII name ("paypal") of brands whose name is not an everyday word.
    by_label: FxHashMap<String, u32>,
}

static BUILTIN: OnceLock<BrandIndex> = OnceLock::new();

/// The index of the built-in brand list, built on first use.
pub fn builtin() -> &'static BrandIndex {
    BUILTIN.get_or_init(|| BrandIndex::from_brands(crate::lookalike::builtin().brands()))
}

/// The brand's name as one lower-case ASCII label ("PayPal" → "paypal").
pub fn name_label(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl BrandIndex {
    fn from_brands<'a>(brands: impl Iterator<Item = BrandRef<'a>>) -> BrandIndex {
        let mut index = BrandIndex::default();
        for brand in brands {
            let id = index.count;
            index.count += 1;
            for d in brand.domains {
                index.by_domain.entry(d.to_ascii_lowercase()).or_insert(id);
            }
            let label = name_label(brand.name);
            if !brand.generic && label.len() >= 4 {
                index.by_label.entry(label).or_insert(id);
            }
        }
        index
    }

    /// The policy's protected brands and protected domains (each domain its own "brand").
    pub fn for_policy(policy: &Policy) -> BrandIndex {
        let mut index = BrandIndex::default();
        for b in &policy.protected_brands {
            let id = index.count;
            index.count += 1;
            for d in &b.domains {
                index.by_domain.entry(d.clone()).or_insert(id);
            }
            let label = name_label(&b.name);
            if label.len() >= 4 {
                index.by_label.entry(label).or_insert(id);
            }
        }
        for d in &policy.protected_domains {
            let id = index.count;
            index.count += 1;
            index.by_domain.entry(d.clone()).or_insert(id);
        }
        index
    }

    /// The brand owning `host`: `host` is one of its domains or a subdomain of one.
    pub fn owner(&self, host: &str) -> Option<u32> {
        let mut rest = host;
        for _ in 0..64 {
            if let Some(id) = self.by_domain.get(rest) {
                return Some(*id);
            }
            rest = rest.split_once('.')?.1;
        }
        None
    }

    /// A brand domain written as whole labels inside `front` and followed by a dot
    /// (`paypal.com.` in `paypal.com.secure.`): the brand and the domain.
    pub fn domain_in_front<'a>(&'a self, front: &str) -> Option<(u32, &'a str)> {
        let starts = std::iter::once(0).chain(front.match_indices('.').map(|(i, _)| i + 1));
        for start in starts.take(64) {
            let tail = &front[start..];
            let ends = tail.match_indices('.').map(|(i, _)| i);
            for end in ends.take(64) {
                if let Some((d, id)) = self.by_domain.get_key_value(&tail[..end]) {
                    return Some((*id, d.as_str()));
                }
            }
        }
        None
    }

    /// A brand whose name is one of `labels` (whole labels or hyphen-separated parts).
    pub fn name_in(&self, front: &str) -> Option<(u32, &str)> {
        front
            .split(['.', '-'])
            .take(64)
            .find_map(|l| self.by_label.get_key_value(l))
            .map(|(l, id)| (*id, l.as_str()))
    }

    /// A brand domain that is a whole segment of a URL path (`/paypal.com/login`).
    pub fn domain_in_path<'a>(&'a self, path: &str) -> Option<(u32, &'a str)> {
        path.split('/')
            .take(64)
            .find_map(|seg| self.by_domain.get_key_value(seg))
            .map(|(d, id)| (*id, d.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        let b = builtin();
        assert!(b.owner("www.paypal.com").is_some());
        assert!(b.owner("paypal.com.evil.top").is_none());
        let (id, d) = b.domain_in_front("paypal.com.secure.").unwrap();
        assert_eq!(d, "paypal.com");
        assert_eq!(b.owner("paypal.com"), Some(id));
        assert!(b.domain_in_front("mypaypal.com.x.").is_none());
        assert!(b.name_in("secure-paypal.").is_some());
        assert!(b.domain_in_path("/login/paypal.com/x").is_some());
    }
}
