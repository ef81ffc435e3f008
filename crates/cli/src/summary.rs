//! The end-of-scan summary: messages per level, the rules that fired most, unreadable
//! inputs, and throughput.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::time::Duration;

use mailward_core::{Level, Report};

/// How many rules the table lists.
pub const TOP_RULES: usize = 10;

/// Counts accumulated over a scan.
#[derive(Debug, Default)]
pub struct Tally {
    /// Messages per level: safe, caution, danger.
    pub levels: [u64; 3],
    /// Messages with at least one finding from each rule.
    pub rules: HashMap<String, u64>,
    pub unreadable: u64,
}

impl Tally {
    pub fn add(&mut self, report: &Report) {
        self.levels[level_index(report.verdict.level)] += 1;
        let rules: BTreeSet<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
        for rule in rules {
            *self.rules.entry(rule.to_string()).or_default() += 1;
        }
    }

    pub fn messages(&self) -> u64 {
        self.levels.iter().sum()
    }

    /// The most severe level seen, if any message was analysed.
    pub fn worst(&self) -> Option<Level> {
        [Level::Danger, Level::Caution, Level::Safe]
            .into_iter()
            .find(|&l| self.levels[level_index(l)] > 0)
    }

    /// The summary table, as plain text.
    pub fn table(&self, elapsed: Duration) -> String {
        let total = self.messages();
        let secs = elapsed.as_secs_f64();
        let rate = if secs > 0.0 { total as f64 / secs } else { 0.0 };
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Scanned {total} message{} in {secs:.2} s ({rate:.0} messages/s); {} unreadable.",
            plural(total),
            self.unreadable
        );
        let _ = writeln!(s, "\n{:<10} {:>10} {:>8}", "Level", "Messages", "%");
        for level in [Level::Safe, Level::Caution, Level::Danger] {
            let n = self.levels[level_index(level)];
            let _ = writeln!(s, "{:<10} {n:>10} {:>8}", level.as_str(), percent(n, total));
        }
        let mut rules: Vec<(&str, u64)> =
            self.rules.iter().map(|(r, n)| (r.as_str(), *n)).collect();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        if !rules.is_empty() {
            let width = rules
                .iter()
                .take(TOP_RULES)
                .map(|(r, _)| r.len())
                .max()
                .unwrap_or(0)
                .max(9);
            let _ = writeln!(
                s,
                "\n{:<width$} {:>10} {:>12}",
                "Top rules", "Hits", "% messages"
            );
            for (rule, n) in rules.into_iter().take(TOP_RULES) {
                let _ = writeln!(s, "{rule:<width$} {n:>10} {:>12}", percent(n, total));
            }
        }
        s
    }
}

fn level_index(level: Level) -> usize {
    match level {
        Level::Safe => 0,
        Level::Caution => 1,
        Level::Danger => 2,
    }
}

fn percent(n: u64, total: u64) -> String {
    if total == 0 {
        "-".to_string()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / total as f64)
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_layout() {
        let mut t = Tally {
            levels: [6, 3, 1],
            unreadable: 2,
            ..Tally::default()
        };
        t.rules.insert("external-sender".to_string(), 7);
        t.rules.insert("reply-to-mismatch".to_string(), 2);
        t.rules.insert("date-anomaly".to_string(), 2);
        assert_eq!(t.worst(), Some(Level::Danger));
        assert_eq!(
            t.table(Duration::from_millis(500)),
            "\
Scanned 10 messages in 0.50 s (20 messages/s); 2 unreadable.

Level        Messages        %
safe                6    60.0%
caution             3    30.0%
danger              1    10.0%

Top rules               Hits   % messages
external-sender            7        70.0%
date-anomaly               2        20.0%
reply-to-mismatch          2        20.0%
"
        );
    }

    #[test]
    fn empty_scan() {
        let t = Tally::default();
        assert_eq!(t.worst(), None);
        let table = t.table(Duration::ZERO);
        assert!(table.starts_with("Scanned 0 messages in 0.00 s (0 messages/s); 0 unreadable.\n"));
        assert!(table.contains("safe                0        -\n"));
        assert!(!table.contains("Top rules"));
    }
}
