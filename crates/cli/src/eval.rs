//! `mailward eval`: detection and false-positive rates over labelled sets of messages.
//!
//! Every `--phish` and `--ham` PATH is one set (a directory, Maildir, mbox or archive, read by
//! [`crate::sources`]) and is reported on its own: rates are never blended across sets, since
//! corpora differ in era and kind. The output is Markdown tables (readable in a terminal):
//! messages per level and set, the share of messages each rule fired on per set, and the rules
//! present in legitimate messages that reached caution or danger (the false-positive sources).
//! `--markdown FILE` also writes them to a file such as `docs/evaluation.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::ops::ControlFlow;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use mailward_core::render::text::sanitize;
use mailward_core::{Level, Report, Thresholds};
use rayon::prelude::*;

use crate::cli::{EvalArgs, context_at, policy_from};
use crate::sources::{self, Item};

/// Messages analysed together on all cores.
const BATCH: usize = 256;
/// Rules listed in the false-positive table.
const TOP_HAM_RULES: usize = 15;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Phish,
    Ham,
}

impl Side {
    fn as_str(self) -> &'static str {
        match self {
            Side::Phish => "phish",
            Side::Ham => "ham",
        }
    }
}

/// Counts for one set.
#[derive(Debug)]
struct Set {
    name: String,
    side: Side,
    /// Messages per level: safe, caution, danger.
    levels: [u64; 3],
    unreadable: u64,
    /// Messages with at least one finding of each rule.
    rules: BTreeMap<String, u64>,
    /// For ham: messages at caution or danger with a finding of each rule, and at danger.
    flagged_rules: BTreeMap<String, (u64, u64)>,
    /// Messages per verdict score (0–100), for the threshold table.
    scores: [u64; 101],
}

impl Set {
    fn messages(&self) -> u64 {
        self.levels.iter().sum()
    }

    fn add(&mut self, report: &Report) {
        let level = report.verdict.level;
        self.levels[level as usize] += 1;
        self.scores[report.verdict.score.min(100) as usize] += 1;
        let rules: BTreeSet<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
        for rule in rules {
            *self.rules.entry(rule.to_string()).or_default() += 1;
            if level >= Level::Caution {
                let e = self.flagged_rules.entry(rule.to_string()).or_default();
                e.0 += 1;
                e.1 += u64::from(level == Level::Danger);
            }
        }
    }
}

pub fn run(args: &EvalArgs) -> Result<u8> {
    let policy = policy_from(args.policy.as_deref())?;
    let ctx = context_at(args.now);
    let inputs: Vec<(Side, &Path)> = args
        .phish
        .iter()
        .map(|p| (Side::Phish, p.as_path()))
        .chain(args.ham.iter().map(|p| (Side::Ham, p.as_path())))
        .collect();
    for (_, path) in &inputs {
        if std::fs::metadata(path).is_err() {
            bail!(
                "{}: no such file or directory",
                sanitize(&path.to_string_lossy())
            );
        }
    }
    let mut sets = Vec::new();
    for (side, path) in inputs {
        let mut set = Set {
            name: set_name(path),
            side,
            levels: [0; 3],
            unreadable: 0,
            rules: BTreeMap::new(),
            flagged_rules: BTreeMap::new(),
            scores: [0; 101],
        };
        let mut batch: Vec<Vec<u8>> = Vec::new();
        let flush = |batch: &mut Vec<Vec<u8>>, set: &mut Set| {
            let reports: Vec<Report> = batch
                .par_iter()
                .map(|bytes| mailward_core::analyze(bytes, &policy, &ctx))
                .collect();
            for report in &reports {
                set.add(report);
            }
            batch.clear();
        };
        let mut unreadable = 0;
        let _ = sources::read_path(path, &mut |item| {
            match item {
                Item::Message { bytes, .. } => batch.push(bytes),
                Item::Unreadable { source, reason } => {
                    unreadable += 1;
                    eprintln!("mailward: {}: {}", sanitize(&source), sanitize(&reason));
                }
            }
            if batch.len() >= BATCH {
                flush(&mut batch, &mut set);
            }
            ControlFlow::Continue(())
        });
        flush(&mut batch, &mut set);
        set.unreadable = unreadable;
        sets.push(set);
    }
    let tables = render(&sets, &policy.thresholds);
    let mut out = std::io::stdout().lock();
    out.write_all(tables.as_bytes())?;
    out.flush()?;
    if let Some(file) = &args.markdown {
        let doc = document(&sets, &tables);
        std::fs::write(file, doc).with_context(|| format!("cannot write {}", file.display()))?;
    }
    Ok(0)
}

/// The last component of a path, which names the set in the tables.
fn set_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned());
    sanitize(&name).replace('|', "\\|")
}

fn percent(n: u64, total: u64) -> String {
    if total == 0 {
        return "–".to_string();
    }
    format!("{:.1}%", n as f64 * 100.0 / total as f64)
}

/// Score thresholds the trade-off table shows, besides the policy's own.
const SWEEP: &[u32] = &[20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 80];

/// The tables, as Markdown.
fn render(sets: &[Set], thresholds: &Thresholds) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "### Verdicts per set\n");
    let _ = writeln!(
        s,
        "| set | side | messages | safe | caution | danger | caution or danger | unreadable |"
    );
    let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|---:|");
    for set in sets {
        let total = set.messages();
        let cell = |n: u64| format!("{n} ({})", percent(n, total));
        let _ = writeln!(
            s,
            "| {} | {} | {total} | {} | {} | {} | **{}** | {} |",
            set.name,
            set.side.as_str(),
            cell(set.levels[0]),
            cell(set.levels[1]),
            cell(set.levels[2]),
            percent(set.levels[1] + set.levels[2], total),
            set.unreadable
        );
    }

    // Per-rule hit rates, phish sets first, ordered by the rule's hits over phish sets.
    let mut all: BTreeSet<&str> = BTreeSet::new();
    for set in sets {
        all.extend(set.rules.keys().map(String::as_str));
    }
    let hits = |rule: &str, side: Side| -> f64 {
        sets.iter()
            .filter(|s| s.side == side)
            .map(|s| {
                let n = s.rules.get(rule).copied().unwrap_or(0);
                n as f64 / s.messages().max(1) as f64
            })
            .sum()
    };
    let mut rules: Vec<&str> = all.into_iter().collect();
    rules.sort_by(|a, b| {
        hits(b, Side::Phish)
            .total_cmp(&hits(a, Side::Phish))
            .then(hits(a, Side::Ham).total_cmp(&hits(b, Side::Ham)))
            .then(a.cmp(b))
    });
    let _ = writeln!(s, "\n### Share of messages each rule fired on, per set\n");
    let mut header = "| rule |".to_string();
    let mut rule_line = "|---|".to_string();
    for set in sets {
        let _ = write!(header, " {} ({}) |", set.name, set.side.as_str());
        rule_line.push_str("---:|");
    }
    let _ = writeln!(s, "{header}\n{rule_line}");
    for rule in &rules {
        let _ = write!(s, "| `{rule}` |");
        for set in sets {
            let n = set.rules.get(*rule).copied().unwrap_or(0);
            let _ = write!(s, " {} |", percent(n, set.messages()));
        }
        s.push('\n');
    }

    s.push_str(&sweep(sets, thresholds));

    let _ = writeln!(
        s,
        "\n### False-positive sources: rules present in legitimate messages at caution or danger\n"
    );
    let ham: Vec<&Set> = sets.iter().filter(|s| s.side == Side::Ham).collect();
    let mut fp: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for set in &ham {
        for (rule, (flagged, danger)) in &set.flagged_rules {
            let e = fp.entry(rule.as_str()).or_default();
            e.0 += flagged;
            e.1 += danger;
        }
    }
    let mut fp: Vec<(&str, (u64, u64))> = fp.into_iter().collect();
    fp.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if fp.is_empty() {
        let _ = writeln!(s, "No legitimate message reached caution or danger.");
        return s;
    }
    let mut header = "| rule |".to_string();
    let mut rule_line = "|---|".to_string();
    for set in &ham {
        let _ = write!(header, " {} flagged (danger) |", set.name);
        rule_line.push_str("---:|");
    }
    let _ = writeln!(s, "{header}\n{rule_line}");
    for (rule, _) in fp.iter().take(TOP_HAM_RULES) {
        let _ = write!(s, "| `{rule}` |");
        for set in &ham {
            let (f, d) = set.flagged_rules.get(*rule).copied().unwrap_or((0, 0));
            let _ = write!(s, " {f} ({d}) |");
        }
        s.push('\n');
    }
    s
}

/// What other thresholds would trade: the share of each set scoring at least each value, with
/// the policy's caution and danger thresholds marked. Shows how far the phish rates could rise
/// before the ham bounds (≤ 1% flagged, ≤ 0.1% danger) break.
fn sweep(sets: &[Set], thresholds: &Thresholds) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\n### Share of each set scoring at least a threshold (caution is {}, danger {})\n",
        thresholds.caution, thresholds.danger
    );
    let mut header = "| score at least |".to_string();
    let mut line = "|---|".to_string();
    for set in sets {
        let _ = write!(header, " {} ({}) |", set.name, set.side.as_str());
        line.push_str("---:|");
    }
    let _ = writeln!(s, "{header}\n{line}");
    let mut points: Vec<u32> = SWEEP.to_vec();
    points.extend([thresholds.caution, thresholds.danger]);
    points.sort_unstable();
    points.dedup();
    for t in points {
        let mark = if t == thresholds.caution {
            " (caution)"
        } else if t == thresholds.danger {
            " (danger)"
        } else {
            ""
        };
        let _ = write!(s, "| {t}{mark} |");
        for set in sets {
            let at_least: u64 = set.scores[(t.min(100)) as usize..].iter().sum();
            let _ = write!(s, " {} |", percent(at_least, set.messages()));
        }
        s.push('\n');
    }
    s
}

/// The Markdown document `--markdown` writes.
fn document(sets: &[Set], tables: &str) -> String {
    let names: Vec<String> = sets
        .iter()
        .map(|s| format!("`{}` ({})", s.name, s.side.as_str()))
        .collect();
    format!(
        "# Evaluation\n\n\
         Generated by `mailward eval` (engine {}) with the default policy over {}. \
         Regenerate with:\n\n\
         ```sh\n\
         C=../shared/corpus\n\
         target/release/mailward eval --now 1793491200 \\\n  \
         --phish $C/phish-pot-public-500.tar.gz $C/nazario-phishing0.mbox.gz \\\n  \
         --ham $C/spamassassin-easy-ham-1.tar.gz $C/modern-ham-lists-public.tar.gz \\\n  \
         --markdown docs/evaluation.md\n\
         ```\n\n\
         The corpora are evaluation data outside the repository (see their README for licences \
         and caveats: the honeypot set holds generic spam too, and the 2002 ham has no \
         authentication headers). Targets: phish-pot ≥ 90% caution or danger and ≥ 60% danger; \
         nazario ≥ 95% caution or danger; each ham set ≤ 1% caution or danger and ≤ 0.1% danger. \
         Rates are per set, never blended.\n\n{tables}",
        mailward_core::ENGINE_VERSION,
        names.join(", ")
    )
}
