//! Combines findings into the verdict and writes the banner.
//!
//! The score is the sum of the findings' points, capped at 100. The policy's thresholds turn it
//! into a level (defaults: caution at 30, danger at 70). Weights are chosen so that one weak
//! signal (≤ 25 points) never raises a banner and no single finding reaches danger alone
//! (none is worth 70): danger needs corroboration. The rationale is in `docs/scoring.md`.

use crate::policy::Thresholds;
use crate::report::{BANNER_MAX_CHARS, Banner, Finding, Level, Verdict};

/// Most severe first; ties by points, then rule id, so the order is stable.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.score.cmp(&a.score))
            .then_with(|| a.rule.cmp(&b.rule))
    });
}

pub fn verdict(findings: &[Finding], thresholds: &Thresholds) -> Verdict {
    let score = findings.iter().map(|f| f.score).sum::<u32>().min(100);
    let level = if score >= thresholds.danger {
        Level::Danger
    } else if score >= thresholds.caution {
        Level::Caution
    } else {
        Level::Safe
    };
    Verdict { level, score }
}

/// One sentence naming the most important reason, or `None` when safe.
/// `findings` must already be sorted.
pub fn banner(verdict: &Verdict, findings: &[Finding]) -> Option<Banner> {
    let lead = match verdict.level {
        Level::Safe => return None,
        Level::Caution => "Be careful",
        Level::Danger => "Likely phishing",
    };
    let top = findings.iter().find(|f| f.score > 0)?;
    let text = sentence(lead, &top.title);
    Some(Banner {
        level: verdict.level,
        text,
        rule: top.rule.clone(),
    })
}

/// `"{lead}: {title}."`, cut at a word boundary with an ellipsis to fit the banner limit.
fn sentence(lead: &str, title: &str) -> String {
    let full = format!("{lead}: {title}.");
    if full.chars().count() <= BANNER_MAX_CHARS {
        return full;
    }
    let budget = BANNER_MAX_CHARS - 1;
    let mut cut: String = full.chars().take(budget).collect();
    if let Some(space) = cut.rfind(' ')
        && space > lead.len() + 2
    {
        cut.truncate(space);
    }
    let mut out = cut.trim_end_matches([' ', ',', ';', ':', '.']).to_string();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_fit_the_banner() {
        let title = "word ".repeat(60);
        let s = sentence("Likely phishing", &title);
        assert!(s.chars().count() <= BANNER_MAX_CHARS);
        assert!(s.ends_with('…'));
    }

    #[test]
    fn long_unbroken_titles_fit_too() {
        let title = "é".repeat(400);
        assert!(sentence("Be careful", &title).chars().count() <= BANNER_MAX_CHARS);
    }
}
