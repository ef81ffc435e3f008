//! HTTPS: the generated development certificate and a configured certificate, with a rustls
//! client that trusts only that certificate.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::support::{TempDir, config};

/// `GET path` over TLS to `addr`, checking the certificate against `cert_pem` only and the
/// name `server_name`: the whole response, or the TLS/IO error.
async fn https_get(
    addr: std::net::SocketAddr,
    cert_pem: &Path,
    server_name: &str,
    path: &str,
) -> std::io::Result<String> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(cert_pem).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let client = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(client));
    let name = ServerName::try_from(server_name.to_string()).unwrap();
    let exchange = async {
        let tcp = tokio::net::TcpStream::connect(addr).await?;
        let mut tls = connector.connect(name, tcp).await?;
        let req =
            format!("GET {path} HTTP/1.1\r\nHost: {server_name}\r\nConnection: close\r\n\r\n");
        tls.write_all(req.as_bytes()).await?;
        let mut out = Vec::new();
        tls.read_to_end(&mut out).await?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    };
    tokio::time::timeout(Duration::from_secs(20), exchange)
        .await
        .expect("HTTPS exchange timed out")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_cert_serves_https_and_is_reused_on_restart() {
    let dir = TempDir::new("tls-dev");
    let mut cfg = config(&dir.0);
    cfg.tls.dev_cert = true;
    let running = mailward_server::start(cfg.clone()).await.unwrap();
    let tls = running.tls.clone().expect("serving HTTPS");
    assert!(tls.dev && tls.generated);
    assert!(tls.cert_path.starts_with(&cfg.data_dir));
    assert_eq!(tls.fingerprint.len(), 95, "{}", tls.fingerprint);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let key = tls.cert_path.with_file_name("key.pem");
        let mode = std::fs::metadata(key).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the key is private");
    }
    let addr = running.http_addr;
    for name in ["localhost", "127.0.0.1"] {
        let res = https_get(addr, &tls.cert_path, name, "/healthz")
            .await
            .unwrap();
        assert!(res.starts_with("HTTP/1.1 200"), "{name}: {res}");
        assert!(res.contains("\"status\":\"ok\""), "{res}");
    }
    // A name the certificate does not carry is refused by the client.
    assert!(
        https_get(addr, &tls.cert_path, "example.com", "/healthz")
            .await
            .is_err()
    );
    // Plain HTTP on the HTTPS port gets no HTTP answer.
    let mut plain = tokio::net::TcpStream::connect(addr).await.unwrap();
    plain
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), plain.read_to_end(&mut out)).await;
    assert!(!out.starts_with(b"HTTP/1.1 200"));
    running.shutdown().await;

    // Restarted: the same certificate, so a developer trusts it once.
    let running = mailward_server::start(cfg).await.unwrap();
    let again = running.tls.clone().unwrap();
    assert!(again.dev && !again.generated);
    assert_eq!(again.fingerprint, tls.fingerprint);
    let res = https_get(running.http_addr, &again.cert_path, "localhost", "/healthz")
        .await
        .unwrap();
    assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_certificate_and_key_are_served() {
    let dir = TempDir::new("tls-files");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let (cert_pem, key_pem) = mailward_server::tls::generate_dev_cert(now).unwrap();
    let cert = dir.0.join("server.crt");
    let key = dir.0.join("server.key");
    std::fs::write(&cert, cert_pem).unwrap();
    std::fs::write(&key, key_pem).unwrap();
    let mut cfg = config(&dir.0);
    cfg.tls.cert = Some(cert.clone());
    cfg.tls.key = Some(key);
    let running = mailward_server::start(cfg).await.unwrap();
    let tls = running.tls.clone().unwrap();
    assert!(!tls.dev);
    let res = https_get(running.http_addr, &cert, "localhost", "/healthz")
        .await
        .unwrap();
    assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    running.shutdown().await;
}

#[tokio::test]
async fn bad_tls_settings_are_refused_at_start() {
    let dir = TempDir::new("tls-bad");
    let mut cfg = config(&dir.0);
    cfg.tls.cert = Some(dir.0.join("missing.crt"));
    cfg.tls.key = Some(dir.0.join("missing.key"));
    let err = mailward_server::start(cfg).await.err().unwrap();
    assert!(format!("{err:#}").contains("missing.crt"), "{err:#}");

    let not_pem = dir.0.join("not.pem");
    std::fs::write(&not_pem, "hello").unwrap();
    let mut cfg = config(&dir.0);
    cfg.tls.cert = Some(not_pem.clone());
    cfg.tls.key = Some(not_pem);
    assert!(mailward_server::start(cfg).await.is_err());
}
