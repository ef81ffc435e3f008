//! Journaling intake (placeholder until the SMTP listener lands).

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Result;
use tokio::sync::watch;

use crate::AppState;

pub async fn start(
    _state: Arc<AppState>,
    _addr: SocketAddr,
    _shutdown: watch::Receiver<bool>,
) -> Result<(SocketAddr, Vec<tokio::task::JoinHandle<()>>)> {
    anyhow::bail!("journaling is not implemented yet")
}
