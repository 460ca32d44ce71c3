//! The server's limits on loopback: a slow-client flood while /health keeps answering, the
//! cap on open connections, keep-alive limits and the request timeout. Bounded in time: every
//! wait has a deadline a few seconds past the configured timeout.

use crate::common::edition;
use cityrank_publish::server::{router, serve_within, Limits};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Slack allowed past a configured timeout before a connection counts as held too long (the
/// machine running the tests may be busy).
const SLACK: Duration = Duration::from_secs(3);

async fn start(limits: Limits) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let app = router(vec![edition("2020")]).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve_within(listener, app, limits, async {
        let _ = stopped.await;
    }));
    (addr, stop)
}

/// The whole answer to one request on a fresh connection (the server closes it after).
async fn ask(addr: SocketAddr, request: &str) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(30), s.read_to_end(&mut buf)).await;
    String::from_utf8_lossy(&buf).into_owned()
}

const HEALTH: &str = "GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n";

/// Time until the server closes `s` (reads return end of file or an error), at most `limit`.
async fn closed_after(s: &mut TcpStream, since: Instant, limit: Duration) -> Option<Duration> {
    let mut buf = [0u8; 1024];
    let deadline = since + limit;
    loop {
        match tokio::time::timeout_at(deadline.into(), s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(since.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_client_flood_is_closed_in_time_while_health_answers() {
    let header_timeout = Duration::from_secs(3);
    let limits = Limits {
        header_timeout,
        max_connections: 1000,
        ..Limits::default()
    };
    let (addr, _stop) = start(limits).await;
    const SLOW: usize = 300;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..SLOW {
        tasks.push(tokio::spawn(async move {
            let mut s = TcpStream::connect(addr).await.unwrap();
            let opened = Instant::now();
            // A header that never ends, one byte a second.
            let mut line = b"GET /health HTTP/1.1\r\nx-slow: ".iter().cycle();
            loop {
                if s.write_all(&[*line.next().unwrap()]).await.is_err() {
                    return Some(opened.elapsed());
                }
                let mut buf = [0u8; 256];
                match tokio::time::timeout(Duration::from_secs(1), s.read(&mut buf)).await {
                    Ok(Ok(0)) | Ok(Err(_)) => return Some(opened.elapsed()),
                    _ => {}
                }
                if opened.elapsed() > header_timeout + SLACK {
                    return None;
                }
            }
        }));
    }
    // While the flood is held, /health answers on fresh connections.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut latencies = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let answer = ask(addr, HEALTH).await;
        latencies.push(t.elapsed());
        assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
        assert!(answer.contains("\"status\":\"ok\""), "{answer}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut closed = Vec::new();
    for t in tasks {
        closed.push(t.await.unwrap());
    }
    let held_too_long = closed.iter().filter(|c| c.is_none()).count();
    let closed: Vec<Duration> = closed.into_iter().flatten().collect();
    let earliest = closed.iter().min().unwrap();
    let latest = closed.iter().max().unwrap();
    let slowest_health = latencies.iter().max().unwrap();
    println!(
        "slow clients: {SLOW} held, header timeout {header_timeout:?}: closed between {earliest:?} \
         and {latest:?} after connecting ({held_too_long} held past {:?}); /health during the \
         flood: 20 of 20 answered, slowest {slowest_health:?}, median {:?}; all done in {:?}",
        header_timeout + SLACK,
        {
            let mut l = latencies.clone();
            l.sort();
            l[l.len() / 2]
        },
        start.elapsed()
    );
    assert_eq!(held_too_long, 0, "every slow connection is closed in time");
    assert!(
        *earliest + Duration::from_millis(200) >= header_timeout,
        "closed only at the timeout: {earliest:?}"
    );
    assert!(
        *slowest_health < Duration::from_secs(2),
        "/health stays answering: {slowest_health:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_the_connection_cap_a_client_gets_503_until_slots_free() {
    let header_timeout = Duration::from_secs(2);
    let limits = Limits {
        header_timeout,
        max_connections: 20,
        ..Limits::default()
    };
    let (addr, _stop) = start(limits).await;
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(TcpStream::connect(addr).await.unwrap());
    }
    let opened = Instant::now();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let busy = ask(addr, HEALTH).await;
    assert!(
        busy.starts_with("HTTP/1.1 503 Service Unavailable"),
        "{busy}"
    );
    assert!(busy.contains("retry-after: 1"), "{busy}");
    for s in &mut idle {
        let c = closed_after(s, opened, header_timeout + SLACK).await;
        assert!(
            c.is_some(),
            "an idle connection is closed at the header timeout"
        );
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let again = ask(addr, HEALTH).await;
    assert!(again.starts_with("HTTP/1.1 200 OK"), "{again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keep_alive_is_bounded_in_requests_and_idle_time() {
    let header_timeout = Duration::from_secs(2);
    let limits = Limits {
        header_timeout,
        max_requests: 3,
        ..Limits::default()
    };
    let (addr, _stop) = start(limits).await;
    // Three requests on one connection: the third answer says close, and the server closes.
    let mut s = TcpStream::connect(addr).await.unwrap();
    let one = "GET /health HTTP/1.1\r\nhost: x\r\n\r\n";
    s.write_all(one.repeat(3).as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut buf))
        .await
        .expect("the server closes after the third answer")
        .unwrap();
    let text = String::from_utf8_lossy(&buf);
    assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 3, "{text}");
    assert_eq!(text.matches("connection: close").count(), 1, "{text}");
    // One request, then idle: closed at the header timeout.
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(one.as_bytes()).await.unwrap();
    let mut first = [0u8; 4096];
    let n = s.read(&mut first).await.unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200 OK"));
    let idle = closed_after(&mut s, Instant::now(), header_timeout + SLACK).await;
    let idle = idle.expect("an idle kept-alive connection is closed");
    println!(
        "idle kept-alive connection closed after {idle:?} (header timeout {header_timeout:?})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_whose_body_trickles_in_gets_408_at_the_request_timeout() {
    let request_timeout = Duration::from_secs(2);
    let limits = Limits {
        request_timeout,
        ..Limits::default()
    };
    let (addr, _stop) = start(limits).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(
        b"POST /api/whatif HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"weights\"",
    )
    .await
    .unwrap();
    let sent = Instant::now();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(request_timeout + SLACK, s.read_to_end(&mut buf)).await;
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 408 Request Timeout"), "{text}");
    println!(
        "trickling body answered 408 after {:?} (request timeout {request_timeout:?})",
        sent.elapsed()
    );
    assert!(sent.elapsed() + Duration::from_millis(200) >= request_timeout);
}
