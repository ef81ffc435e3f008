//! Integration tests of mailward-server: the router in process, the store across restarts,
//! journaling over real SMTP on loopback.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

mod api;
mod gmail;
mod journal;
mod support;
mod tls;
