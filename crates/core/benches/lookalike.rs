//! Time per `check_domain` against the whole built-in protected set (tables built once).
//! Target: ≤ 5 µs per domain. Run: `cargo bench -p mailward-core --bench lookalike`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailward_core::lookalike::builtin;

/// The allocator of the shipped binary (crates/cli), so the figures are those of what runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A mix of genuine, unrelated, lookalike and long hosts.
const HOSTS: &[&str] = &[
    "paypal.com",
    "www.google.com",
    "login.microsoftonline.com",
    "example.org",
    "news.ycombinator.com",
    "wikipedia.org",
    "github.io",
    "xn--pypal-4ve.com",
    "paypa1.com",
    "rnicrosoft.com",
    "amazon-secure-login.top",
    "paypal.com.account-verify.example.net",
    "docusign.files-share.net",
    "pay-pal.com",
    "netfliix.com",
    "mail.some-long-company-name-here.co.uk",
    "xn--80ak6aa92e.com",
    "bankofamerica-alerts.info",
    "shop.randomstore.de",
    "cdn.static.assets.example-cdn.net",
];

fn bench(c: &mut Criterion) {
    let p = builtin();
    let mut g = c.benchmark_group("lookalike");
    g.throughput(Throughput::Elements(HOSTS.len() as u64));
    g.bench_function("check_domain x20 hosts", |b| {
        b.iter(|| {
            for h in HOSTS {
                black_box(p.check_domain(black_box(h)));
            }
        })
    });
    g.bench_function("check_domain clean host", |b| {
        b.iter(|| black_box(p.check_domain(black_box("shop.randomstore.de"))))
    });
    g.bench_function("check_domain lookalike", |b| {
        b.iter(|| black_box(p.check_domain(black_box("xn--pypal-4ve.com"))))
    });
    g.bench_function("check_display_name", |b| {
        b.iter(|| black_box(p.check_display_name(black_box("Microsoft 365 Team"))))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
