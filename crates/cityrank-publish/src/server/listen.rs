//! Accepting connections within limits, so that slow or many clients cannot stall the server.
//!
//! hyper does the HTTP work and enforces the header timeout (also the idle time allowed between
//! requests on a kept-alive connection); tower-http's timeout bounds each request from its
//! headers to its response, reading of the body included. What neither offers is a cap on open
//! connections (a connection still sending its headers is not yet a request, so request-level
//! limits never see it) and a cap on requests per connection: those two are here.

use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;
use tower_http::timeout::TimeoutLayer;

/// The server's limits (flags of `cityrank serve`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Time a client has to send a request's headers, from its connection or the end of its
    /// previous response; also the longest a kept-alive connection may sit idle.
    pub header_timeout: Duration,
    /// Time from a request's headers to its response, reading of the body included (408 after).
    pub request_timeout: Duration,
    /// Open connections at most; one more is answered 503 and closed.
    pub max_connections: usize,
    /// Requests on one connection at most; the last response closes it.
    pub max_requests: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: 512,
            max_requests: 1000,
        }
    }
}

/// Sent, then the connection closed, to a client beyond [`Limits::max_connections`].
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n\
content-length: 37\r\nretry-after: 1\r\nconnection: close\r\n\r\ntoo many open connections; try again\n";

/// Longest wait for a client to take the 503 or a shutdown to finish in-flight requests.
const GRACE: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then lets in-flight
/// connections finish for at most [`GRACE`].
pub async fn serve_within(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let app = app.layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        limits.request_timeout,
    ));
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors or a connection reset before it was taken: wait a
                // moment instead of spinning; the open connections keep being served.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        let (app, watcher) = (app.clone(), graceful.watcher());
        tokio::spawn(async move {
            connection(stream, app, limits, watcher).await;
            drop(slot);
        });
    }
    let _ = tokio::time::timeout(GRACE, graceful.shutdown()).await;
}

/// One HTTP/1.1 connection with the header timeout and the cap on its requests, served to
/// its end (or until a shutdown lets its last request finish).
async fn connection(stream: TcpStream, app: Router, limits: Limits, watcher: Watcher) {
    // A response goes out as soon as it is written, not held back for the client's ack of
    // the one before (Nagle's algorithm); failing that, it merely goes out later.
    let _ = stream.set_nodelay(true);
    let served = Arc::new(AtomicUsize::new(0));
    let max = limits.max_requests;
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let app = app.clone();
        let n = served.fetch_add(1, Ordering::Relaxed) + 1;
        async move {
            let mut res = app.oneshot(req).await?;
            if n >= max {
                res.headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            Ok::<_, std::convert::Infallible>(res)
        }
    });
    let mut b = http1::Builder::new();
    b.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(max > 1);
    // A client that times out or resets is simply gone; nothing to report.
    let _ = watcher
        .watch(b.serve_connection(TokioIo::new(stream), service))
        .await;
}

/// Answers 503 to a connection beyond the cap, without waiting on the client for long. What
/// the client has already sent is read first, and after the answer until it closes, because
/// closing a socket with unread bytes resets it and the client would lose the answer.
async fn refuse(mut stream: TcpStream) {
    let mut buf = [0u8; 4096];
    let _ = tokio::time::timeout(Duration::from_millis(100), stream.read(&mut buf)).await;
    let _ = tokio::time::timeout(GRACE, async {
        stream.write_all(BUSY).await?;
        stream.shutdown().await?;
        while stream.read(&mut buf).await? > 0 {}
        Ok::<_, std::io::Error>(())
    })
    .await;
}
