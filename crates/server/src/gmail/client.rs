//! A small HTTP/1.1 GET client for the Gmail API (and a JWKS URL): hyper's connection API
//! over tokio, TLS with rustls on `ring` and Mozilla's root certificates (`webpki-roots`),
//! one connection per request, an overall deadline and a cap on the response body.
//!
//! `http://` URLs are allowed so that tests can point it at a fake on loopback; in
//! production the Gmail API base is `https://gmail.googleapis.com`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode, Uri, header};
use http_body_util::{BodyExt as _, Empty, LengthLimitError, Limited};
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;

/// Why a request got no usable answer. Messages name the host and the failure, never a
/// header value (the requests carry user tokens).
#[derive(Debug)]
pub enum FetchError {
    /// The URL is not `http(s)://host[:port]/...`.
    Url(String),
    /// Connecting, TLS or HTTP failed.
    Io(String),
    /// No complete answer within the deadline.
    Timeout,
    /// The body is larger than the cap.
    TooLarge(usize),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Url(m) => write!(f, "bad URL: {m}"),
            FetchError::Io(m) => write!(f, "{m}"),
            FetchError::Timeout => f.write_str("no answer in time"),
            FetchError::TooLarge(cap) => write!(f, "the answer is larger than {cap} bytes"),
        }
    }
}

impl std::error::Error for FetchError {}

/// A response: status, headers and the whole body.
#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Reusable: holds the TLS configuration and the deadline.
#[derive(Clone)]
pub struct HttpClient {
    tls: tokio_rustls::TlsConnector,
    timeout: Duration,
}

impl HttpClient {
    /// A client that trusts Mozilla's roots and gives each request `timeout` in all.
    pub fn new(timeout: Duration) -> anyhow::Result<HttpClient> {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        HttpClient::with_roots(roots, timeout)
    }

    /// A client that trusts only `roots` (tests: a local certificate).
    pub fn with_roots(
        roots: rustls::RootCertStore,
        timeout: Duration,
    ) -> anyhow::Result<HttpClient> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(HttpClient {
            tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
            timeout,
        })
    }

    /// `GET url` with `headers`; the body is read up to `cap` bytes.
    pub async fn get(
        &self,
        url: &str,
        headers: &[(HeaderName, HeaderValue)],
        cap: usize,
    ) -> Result<Response, FetchError> {
        match tokio::time::timeout(self.timeout, self.get_inner(url, headers, cap)).await {
            Ok(r) => r,
            Err(_) => Err(FetchError::Timeout),
        }
    }

    async fn get_inner(
        &self,
        url: &str,
        headers: &[(HeaderName, HeaderValue)],
        cap: usize,
    ) -> Result<Response, FetchError> {
        let uri: Uri = url
            .parse()
            .map_err(|_| FetchError::Url("not a URL".into()))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err(FetchError::Url("the scheme must be http or https".into())),
        };
        let authority = uri
            .authority()
            .ok_or_else(|| FetchError::Url("no host".into()))?
            .clone();
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let port = authority.port_u16().unwrap_or(if https { 443 } else { 80 });
        let path = uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());

        let mut req = Request::get(path)
            .header(header::HOST, authority.as_str())
            .header(header::USER_AGENT, "mailward")
            .body(Empty::<Bytes>::new())
            .map_err(|_| FetchError::Url("cannot build the request".into()))?;
        for (name, value) in headers {
            req.headers_mut().insert(name.clone(), value.clone());
        }

        let io_err = |what: &str, e: &dyn std::fmt::Display| {
            FetchError::Io(format!("{what} {host}:{port}: {e}"))
        };
        let tcp = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|e| io_err("cannot connect to", &e))?;
        let _ = tcp.set_nodelay(true);
        if https {
            let name = ServerName::try_from(host.clone())
                .map_err(|_| FetchError::Url("the host is not a valid TLS name".into()))?;
            let tls = self
                .tls
                .connect(name, tcp)
                .await
                .map_err(|e| io_err("TLS with", &e))?;
            exchange(TokioIo::new(tls), req, cap)
                .await
                .map_err(|e| with_host(e, &host, port))
        } else {
            exchange(TokioIo::new(tcp), req, cap)
                .await
                .map_err(|e| with_host(e, &host, port))
        }
    }
}

fn with_host(e: FetchError, host: &str, port: u16) -> FetchError {
    match e {
        FetchError::Io(m) => FetchError::Io(format!("{host}:{port}: {m}")),
        other => other,
    }
}

/// One request on a fresh HTTP/1.1 connection.
async fn exchange<IO>(
    io: IO,
    req: Request<Empty<Bytes>>,
    cap: usize,
) -> Result<Response, FetchError>
where
    IO: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| FetchError::Io(format!("HTTP handshake: {e}")))?;
    // The connection is driven in its own task; it ends when the response is read and
    // `sender` is dropped, or with the request's deadline (the task is aborted on drop).
    let driver = AbortOnDrop(tokio::spawn(async move {
        let _ = conn.await;
    }));
    let res = sender
        .send_request(req)
        .await
        .map_err(|e| FetchError::Io(format!("HTTP: {e}")))?;
    let status = res.status();
    let headers = res.headers().clone();
    if let Some(n) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        && n > cap as u64
    {
        return Err(FetchError::TooLarge(cap));
    }
    let body = match Limited::new(res.into_body(), cap).collect().await {
        Ok(c) => c.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            return Err(FetchError::TooLarge(cap));
        }
        Err(e) => return Err(FetchError::Io(format!("reading the answer: {e}"))),
    };
    drop(sender);
    drop(driver);
    Ok(Response {
        status,
        headers,
        body,
    })
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
