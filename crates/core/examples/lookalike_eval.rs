//! Evaluation of the lookalike engine, run by `scripts/eval-lookalike.sh`.
//!
//! `lookalike_eval PERMUTATIONS.tsv TOP_SITES.txt [verbose]`
//! - PERMUTATIONS.tsv: `original<TAB>fuzzer<TAB>domain` lines from dnstwist; recall per fuzzer,
//!   excluding the originals and permutations that are genuine domains in the brand list.
//! - TOP_SITES.txt: one host per line; false positives over these plus every genuine domain
//!   of the built-in brand list.

// A host program, not the engine: it reads the generated lists.
#![allow(clippy::disallowed_methods)]

use std::collections::BTreeMap;

use mailward_core::lookalike::builtin;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(perms), Some(top)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: lookalike_eval PERMUTATIONS.tsv TOP_SITES.txt [verbose]");
        std::process::exit(2);
    };
    let verbose = args.get(3).is_some_and(|a| !a.is_empty());
    let perms = std::fs::read_to_string(perms).unwrap_or_else(|e| panic!("{perms}: {e}"));
    let top = std::fs::read_to_string(top).unwrap_or_else(|e| panic!("{top}: {e}"));
    let p = builtin();

    // fuzzer -> (total, detected, excluded, misses)
    let mut table: BTreeMap<String, (usize, usize, usize, Vec<String>)> = BTreeMap::new();
    for line in perms.lines() {
        let mut cols = line.split('\t');
        let (Some(_orig), Some(fuzzer), Some(domain)) = (cols.next(), cols.next(), cols.next())
        else {
            continue;
        };
        if fuzzer == "*original" {
            continue;
        }
        let row = table.entry(fuzzer.to_string()).or_default();
        if p.is_genuine(domain) {
            row.2 += 1;
            continue;
        }
        row.0 += 1;
        if p.check_domain(domain).is_some() {
            row.1 += 1;
        } else {
            row.3.push(domain.to_string());
        }
    }
    println!();
    println!("Recall over dnstwist permutations");
    println!(
        "{:<16} {:>7} {:>9} {:>8} {:>9}",
        "fuzzer", "total", "detected", "recall", "excluded"
    );
    let (mut t, mut d, mut x) = (0, 0, 0);
    for (fuzzer, (total, det, excl, misses)) in &table {
        t += total;
        d += det;
        x += excl;
        println!(
            "{:<16} {:>7} {:>9} {:>7.2}% {:>9}",
            fuzzer,
            total,
            det,
            pct(*det, *total),
            excl
        );
        if verbose {
            for m in misses.iter().take(15) {
                println!("    miss {m}");
            }
        }
    }
    println!(
        "{:<16} {:>7} {:>9} {:>7.2}% {:>9}",
        "ALL",
        t,
        d,
        pct(d, t),
        x
    );
    if let Some((ht, hd, _, _)) = table.get("homoglyph") {
        let (nt, nd) = (t - ht, d - hd);
        println!(
            "{:<16} {:>7} {:>9} {:>7.2}%",
            "ALL but homoglyph",
            nt,
            nd,
            pct(nd, nt)
        );
    }

    println!();
    println!("False positives");
    let mut fp_rows = Vec::new();
    let top_hosts: Vec<&str> = top
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let genuine = p.genuine_domains();
    for (name, hosts) in [
        ("top-sites (Moz 500)", &top_hosts),
        ("brand-list domains", &genuine),
    ] {
        let mut fps = Vec::new();
        for h in hosts.iter() {
            if let Some(l) = p.check_domain(h) {
                fps.push(format!("{h} -> {} ({:?})", l.target.domain, l.techniques));
            }
        }
        println!(
            "{:<22} {:>5} checked {:>4} flagged {:>6.2}%",
            name,
            hosts.len(),
            fps.len(),
            pct(fps.len(), hosts.len())
        );
        fp_rows.extend(fps);
    }
    let all = top_hosts.len() + genuine.len();
    println!(
        "{:<22} {:>5} checked {:>4} flagged {:>6.2}%",
        "ALL",
        all,
        fp_rows.len(),
        pct(fp_rows.len(), all)
    );
    for f in &fp_rows {
        println!("    FP {f}");
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}
