//! How strongly a lookalike match speaks for imitation, shared by the sender and link rules.
//!
//! The lookalike engine reports every near match; not every near match is an imitation.
//! Characters from another alphabet, ASCII look-alikes (`paypa1`), a brand's whole domain in
//! front of another (`paypal.com.evil.top`) and a long brand name plus a keyword
//! (`paypal-secure-login`) are made to deceive. A one-letter typo of a long name usually is
//! too, but a typo of a short name is often another word (`pcloud`, `email`). A different
//! ending (`canada.com` for `canada.ca`) or a bare brand name as a machine name
//! (`gitlab.university.example`) is as often a different organisation or the brand's own
//! country site as an attack: weak.

use crate::lookalike::{Lookalike, Technique};

/// Strength of a lookalike match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grade {
    Weak,
    Typo,
    Strong,
}

/// Grades `l`, or `None` when the host has no known top-level domain (internal machine names
/// such as `pop3.norton.antivirus` are not domains anyone can register).
pub fn grade(l: &Lookalike) -> Option<Grade> {
    if !crate::domain::has_known_suffix(&l.host) {
        return None;
    }
    let target_label = l.target.domain.split('.').next().unwrap_or_default();
    let long = target_label.chars().count() >= 6;
    let has = |t: Technique| l.techniques.contains(&t);
    let in_registrable = l.registrable.split('.').next() == Some(l.label.as_str());
    let whole_domain_in_front = l
        .host
        .strip_suffix(l.registrable.as_str())
        .is_some_and(|front| front.contains(&format!("{}.", l.target.domain)));
    if has(Technique::Homoglyph)
        || has(Technique::MixedScript)
        || has(Technique::AsciiHomoglyph)
        || whole_domain_in_front
        || (has(Technique::BrandPlusKeyword) && target_label.len() >= 5)
    {
        return Some(Grade::Strong);
    }
    if has(Technique::TldSwap) || has(Technique::BrandInSubdomain) || !in_registrable {
        return Some(Grade::Weak);
    }
    Some(if long { Grade::Typo } else { Grade::Weak })
}
