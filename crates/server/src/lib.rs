//! Mailward's server: the same engine as the CLI and the add-ins, behind an HTTP API
//! (`/v1/analyze`, the report-phish back end `/v1/reports`, `/healthz`, `/metrics`), with
//! static hosting of the demo page and the add-in pages, an embedded SQLite store, journaling
//! intake over SMTP and forwarding of user reports to a security mailbox.
//!
//! A thin front end: it decodes input, calls `mailward_core::analyze` with the server's
//! policy and the current time, stores and encodes. `mailward serve` (crates/cli) calls
//! [`serve_blocking`]; tests call [`start`] or drive [`router`] in process.

// The server is where I/O, the clock and the environment belong (see crates/cli).
#![allow(clippy::disallowed_methods)]

pub mod api;
pub mod config;
pub mod error;
pub mod forward;
pub mod gmail;
pub mod journal;
pub mod metrics;
pub mod ratelimit;
pub mod statics;
pub mod store;
pub mod tls;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use axum::Router;
use mailward_core::Policy;
use tokio::sync::{Notify, watch};

pub use config::Config;

/// What every handler shares.
pub struct AppState {
    pub config: Config,
    pub policy: Policy,
    pub store: Arc<store::Store>,
    pub metrics: Arc<metrics::Metrics>,
    pub limiter: ratelimit::RateLimiter,
    /// Woken when a report waits to be forwarded.
    pub forward_wakeup: Arc<Notify>,
    /// The Gmail add-on HTTP runtime, when `[gmail] enabled`.
    pub gmail: Option<Arc<gmail::Gmail>>,
}

impl AppState {
    /// Opens the store and reads the policy the configuration names.
    pub fn new(config: Config) -> Result<Arc<AppState>> {
        let policy = match &config.policy {
            None => Policy::default(),
            Some(path) => {
                let json = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read policy {}", path.display()))?;
                Policy::from_json(&json).with_context(|| format!("policy {}", path.display()))?
            }
        };
        let store = Arc::new(store::Store::open(&config.data_dir)?);
        let metrics = Arc::new(metrics::Metrics::default());
        let limiter = ratelimit::RateLimiter::new(config.reports.per_minute, config.reports.burst);
        let gmail = if config.gmail.enabled {
            Some(Arc::new(gmail::Gmail::new(&config.gmail)?))
        } else {
            None
        };
        Ok(Arc::new(AppState {
            config,
            policy,
            store,
            metrics,
            limiter,
            forward_wakeup: Arc::new(Notify::new()),
            gmail,
        }))
    }
}

/// The whole HTTP application: API, static files, middleware.
pub fn router(state: Arc<AppState>) -> Router {
    let app = api::routes(state.clone()).fallback_service(statics::service(&state.config));
    api::layers(app, state)
}

/// A started server.
pub struct Running {
    /// Where HTTP(S) is served.
    pub http_addr: SocketAddr,
    /// The certificate when serving HTTPS, `None` for plain HTTP.
    pub tls: Option<tls::Tls>,
    /// Where the journaling SMTP listener is, when configured.
    pub smtp_addr: Option<SocketAddr>,
    pub state: Arc<AppState>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stops accepting, lets requests in flight finish, and waits for the tasks.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// Binds every listener of `config` and starts serving in the background.
pub async fn start(config: Config) -> Result<Running> {
    let state = AppState::new(config)?;
    let tls = tls::load(&state.config.tls, &state.config.data_dir)?;
    let (tx, rx) = watch::channel(false);
    let mut tasks = Vec::new();

    let listener = tokio::net::TcpListener::bind(state.config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", state.config.listen))?;
    let http_addr = listener.local_addr()?;
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let mut rx_http = rx.clone();
    let shutdown = async move {
        let _ = rx_http.wait_for(|stop| *stop).await;
    };
    let server = match &tls {
        None => tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
        }),
        Some(tls) => {
            use axum::serve::ListenerExt as _;
            // `tap_io` only so that `ConnectInfo<SocketAddr>` applies to the TLS listener.
            let listener = tls::TlsListener::new(listener, tls, rx.clone())?.tap_io(|_| {});
            tokio::spawn(async move {
                axum::serve(listener, app)
                    .with_graceful_shutdown(shutdown)
                    .await
            })
        }
    };
    tasks.push(tokio::spawn(async move {
        match server.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "HTTP server failed"),
            Err(e) => tracing::error!(error = %e, "HTTP server task failed"),
        }
    }));
    tracing::info!(addr = %http_addr, tls = tls.is_some(), "HTTP listening");

    let smtp_addr = match state.config.journal.listen {
        None => None,
        Some(addr) => {
            let (addr, handles) = journal::start(state.clone(), addr, rx.clone()).await?;
            tasks.extend(handles);
            tracing::info!(addr = %addr, "SMTP journaling listening");
            Some(addr)
        }
    };

    if state.config.forward.to.is_some() {
        tasks.push(tokio::spawn(forward::run(state.clone(), rx.clone())));
    }

    Ok(Running {
        http_addr,
        tls,
        smtp_addr,
        state,
        shutdown: tx,
        tasks,
    })
}

/// `mailward serve`: logging, a runtime, [`start`], then serve until Ctrl-C or SIGTERM.
pub fn serve_blocking(config: Config) -> Result<()> {
    init_logging(&config.log);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let running = start(config).await?;
        match &running.tls {
            None => println!("mailward: serving on http://{}", running.http_addr),
            Some(tls) => {
                println!("mailward: serving on https://{}", running.http_addr);
                if tls.dev {
                    let made = if tls.generated { "generated" } else { "reused" };
                    println!(
                        "mailward: development certificate ({made}) for localhost, 127.0.0.1, ::1: {}",
                        tls.cert_path.display()
                    );
                    println!("mailward: its SHA-256 fingerprint: {}", tls.fingerprint);
                    println!(
                        "mailward: trust it to sideload the add-in (docs/server.md, \"Development certificate\")"
                    );
                } else {
                    println!(
                        "mailward: certificate {} (SHA-256 {})",
                        tls.cert_path.display(),
                        tls.fingerprint
                    );
                }
            }
        }
        if let Some(gmail) = &running.state.gmail {
            println!(
                "mailward: Gmail add-on endpoints {} and {} (docs/gmail-http.md)",
                gmail.config.endpoint_url(gmail::OPEN_PATH),
                gmail.config.endpoint_url(gmail::REPORT_PATH)
            );
        }
        if let Some(addr) = running.smtp_addr {
            println!("mailward: journaling SMTP on {addr}");
        }
        wait_for_signal().await;
        tracing::info!("shutting down");
        running.shutdown().await;
        Ok(())
    })
}

fn init_logging(level: &str) {
    let level = level.parse().unwrap_or(tracing::Level::INFO);
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
