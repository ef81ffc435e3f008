//! Prometheus text-format metrics, kept in memory: requests by route and status, latency
//! histogram by route, analyses by source and level, reports by outcome, journal counts and
//! queue depth.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Upper bounds of the latency histogram buckets, in seconds.
const BUCKETS: &[f64] = &[
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; 12],
    count: u64,
    sum: f64,
}

/// The server's counters.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    analyses: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
    reports: Mutex<BTreeMap<&'static str, u64>>,
    journal: Mutex<BTreeMap<&'static str, u64>>,
    /// Journal messages accepted (250) and not yet analysed.
    pub queue_depth: AtomicI64,
}

fn bump<K: Ord>(map: &Mutex<BTreeMap<K, u64>>, key: K) {
    if let Ok(mut m) = map.lock() {
        *m.entry(key).or_default() += 1;
    }
}

impl Metrics {
    pub fn request(&self, route: &str, status: u16, elapsed: Duration) {
        bump(&self.requests, (route.to_string(), status));
        if let Ok(mut h) = self.latency.lock() {
            let h = h.entry(route.to_string()).or_default();
            let secs = elapsed.as_secs_f64();
            for (i, bound) in BUCKETS.iter().enumerate() {
                if secs <= *bound {
                    h.counts[i] += 1;
                }
            }
            h.count += 1;
            h.sum += secs;
        }
    }

    /// One analysis: `source` is `api`, `report` or `journal`.
    pub fn analysis(&self, source: &'static str, level: mailward_core::Level) {
        bump(&self.analyses, (source, level_name(level)));
    }

    /// A report outcome: `created`, `duplicate`, `rejected`, `rate-limited`, `forwarded`,
    /// `forward-failed`.
    pub fn report(&self, outcome: &'static str) {
        bump(&self.reports, outcome);
    }

    /// A journal outcome: `accepted`, `deferred` (queue full), `too-large`, `analysed`,
    /// `unwrapped`.
    pub fn journal(&self, outcome: &'static str) {
        bump(&self.journal, outcome);
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP mailward_http_requests_total HTTP requests by route and status.\n");
        out.push_str("# TYPE mailward_http_requests_total counter\n");
        if let Ok(m) = self.requests.lock() {
            for ((route, status), n) in m.iter() {
                let _ = writeln!(
                    out,
                    "mailward_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str(
            "# HELP mailward_http_request_duration_seconds HTTP request latency by route.\n",
        );
        out.push_str("# TYPE mailward_http_request_duration_seconds histogram\n");
        if let Ok(m) = self.latency.lock() {
            for (route, h) in m.iter() {
                for (i, bound) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "mailward_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {}",
                        h.counts[i]
                    );
                }
                let _ = writeln!(
                    out,
                    "mailward_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "mailward_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "mailward_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count
                );
            }
        }
        out.push_str(
            "# HELP mailward_analyses_total Messages analysed, by source and verdict level.\n",
        );
        out.push_str("# TYPE mailward_analyses_total counter\n");
        if let Ok(m) = self.analyses.lock() {
            for ((source, level), n) in m.iter() {
                let _ = writeln!(
                    out,
                    "mailward_analyses_total{{source=\"{source}\",level=\"{level}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP mailward_reports_total User reports by outcome.\n");
        out.push_str("# TYPE mailward_reports_total counter\n");
        if let Ok(m) = self.reports.lock() {
            for (outcome, n) in m.iter() {
                let _ = writeln!(out, "mailward_reports_total{{outcome=\"{outcome}\"}} {n}");
            }
        }
        out.push_str("# HELP mailward_journal_messages_total Journal messages by outcome.\n");
        out.push_str("# TYPE mailward_journal_messages_total counter\n");
        if let Ok(m) = self.journal.lock() {
            for (outcome, n) in m.iter() {
                let _ = writeln!(
                    out,
                    "mailward_journal_messages_total{{outcome=\"{outcome}\"}} {n}"
                );
            }
        }
        out.push_str(
            "# HELP mailward_journal_queue_depth Journal messages accepted and not yet analysed.\n",
        );
        out.push_str("# TYPE mailward_journal_queue_depth gauge\n");
        let _ = writeln!(
            out,
            "mailward_journal_queue_depth {}",
            self.queue_depth.load(Ordering::Relaxed)
        );
        out
    }
}

pub fn level_name(level: mailward_core::Level) -> &'static str {
    match level {
        mailward_core::Level::Safe => "safe",
        mailward_core::Level::Caution => "caution",
        mailward_core::Level::Danger => "danger",
    }
}
