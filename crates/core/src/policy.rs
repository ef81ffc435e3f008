//! Organisation policy and ambient context: everything the engine knows beyond the message.
//!
//! Both are plain data passed into [`crate::analyze`]. The engine reads no file, clock or
//! environment of its own; hosts load `policy.json` and pass the current time.

use serde::{Deserialize, Serialize};

/// What an organisation tells the engine about itself. Every field has a sensible default,
/// so `Policy::default()` (or `{}` as JSON) is a working policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Policy {
    /// The organisation's own domains (mail from elsewhere is "external").
    pub org_domains: Vec<String>,
    /// Extra domains to protect against impersonation, besides the built-in brand list.
    pub protected_domains: Vec<String>,
    /// Brands to protect: a display name and every legitimate domain of the brand.
    pub protected_brands: Vec<Brand>,
    /// People whose names attackers borrow (executives, finance staff).
    pub vips: Vec<Vip>,
    /// Authserv-ids whose Authentication-Results headers are believed, in addition to the
    /// built-in receiving providers (Microsoft 365, Google) unless those are switched off.
    pub trusted_authserv_ids: Vec<String>,
    /// Believe Microsoft 365's and Google's own Authentication-Results stamps.
    pub trust_provider_authserv_ids: bool,
    /// Sender addresses never flagged by sender rules.
    pub trusted_senders: Vec<String>,
    /// Sender domains (and their subdomains) never flagged by sender rules.
    pub trusted_domains: Vec<String>,
    pub thresholds: Thresholds,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            org_domains: Vec::new(),
            protected_domains: Vec::new(),
            protected_brands: Vec::new(),
            vips: Vec::new(),
            trusted_authserv_ids: Vec::new(),
            trust_provider_authserv_ids: true,
            trusted_senders: Vec::new(),
            trusted_domains: Vec::new(),
            thresholds: Thresholds::default(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Brand {
    pub name: String,
    pub domains: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Vip {
    pub name: String,
    #[serde(default)]
    pub addresses: Vec<String>,
}

/// Score thresholds (0–100) for the verdict levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Thresholds {
    pub caution: u32,
    pub danger: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            caution: 30,
            danger: 70,
        }
    }
}

/// A policy file could not be used.
#[derive(Debug)]
pub struct PolicyError(String);

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid policy: {}", self.0)
    }
}

impl std::error::Error for PolicyError {}

impl Policy {
    /// Parses a policy from JSON and normalises it (lower-case domains and addresses,
    /// IDNs as given). Unknown keys are an error, so typos do not silently do nothing.
    pub fn from_json(json: &str) -> Result<Policy, PolicyError> {
        let mut policy: Policy =
            serde_json::from_str(json).map_err(|e| PolicyError(e.to_string()))?;
        policy.normalize();
        if policy.thresholds.caution == 0 || policy.thresholds.caution > policy.thresholds.danger {
            return Err(PolicyError(
                "thresholds: need 0 < caution <= danger".to_string(),
            ));
        }
        Ok(policy)
    }

    /// Lower-cases and trims every domain and address so comparisons can be exact.
    pub fn normalize(&mut self) {
        fn norm(list: &mut Vec<String>) {
            for item in list.iter_mut() {
                *item = item.trim().trim_end_matches('.').to_lowercase();
            }
            list.retain(|s| !s.is_empty());
            list.sort();
            list.dedup();
        }
        norm(&mut self.org_domains);
        norm(&mut self.protected_domains);
        norm(&mut self.trusted_authserv_ids);
        norm(&mut self.trusted_senders);
        norm(&mut self.trusted_domains);
        for brand in &mut self.protected_brands {
            norm(&mut brand.domains);
        }
        for vip in &mut self.vips {
            norm(&mut vip.addresses);
        }
    }

    /// Whether `domain` is one of the organisation's domains or a subdomain of one.
    pub fn is_org_domain(&self, domain: &str) -> bool {
        self.org_domains.iter().any(|d| domain_within(domain, d))
    }

    /// Whether the sender address or its domain is trusted by policy.
    pub fn is_trusted_sender(&self, address: &str, domain: &str) -> bool {
        self.trusted_senders
            .iter()
            .any(|a| a.eq_ignore_ascii_case(address))
            || self
                .trusted_domains
                .iter()
                .any(|d| domain_within(domain, d))
    }
}

/// `domain` equals `parent` or is a subdomain of it (both compared ASCII case-insensitively).
pub fn domain_within(domain: &str, parent: &str) -> bool {
    let (d, p) = (domain.as_bytes(), parent.as_bytes());
    if d.len() == p.len() {
        return d.eq_ignore_ascii_case(p);
    }
    d.len() > p.len()
        && d[d.len() - p.len()..].eq_ignore_ascii_case(p)
        && d[d.len() - p.len() - 1] == b'.'
}

/// Ambient facts the host knows and the engine must not look up itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Context {
    /// The current time in Unix seconds, if the host wants date checks against it.
    pub now: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_json_is_default_policy() {
        assert_eq!(Policy::from_json("{}").unwrap(), Policy::default());
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(Policy::from_json(r#"{"orgDomain": ["x.com"]}"#).is_err());
    }

    #[test]
    fn normalizes_domains() {
        let p = Policy::from_json(r#"{"orgDomains": [" Example.COM. "]}"#).unwrap();
        assert_eq!(p.org_domains, vec!["example.com"]);
        assert!(p.is_org_domain("mail.example.com"));
        assert!(!p.is_org_domain("badexample.com"));
    }

    #[test]
    fn bad_thresholds_are_rejected() {
        assert!(Policy::from_json(r#"{"thresholds": {"caution": 80, "danger": 50}}"#).is_err());
    }
}
