//! The webhook server under clients that are slow, idle or too many, over real TCP on
//! 127.0.0.1 with short limits (1 s header and body timeouts, 3 s idle): a head sent a byte at a
//! time is cut at the header timeout while a real request is answered; a silent connection is
//! closed at the header timeout and an idle keep-alive one at the idle timeout; a body that
//! stops is answered 408; at the connection cap idle connections make room and a connection
//! that finds none is closed; on shutdown, partial requests are closed at once and a request
//! in progress is answered, all within the deadline.

#[allow(dead_code)] // only the sample corpus is served here
#[path = "support/corpus.rs"]
mod corpus;
#[allow(dead_code)]
#[path = "support/fake_discord.rs"]
mod fake_discord;
#[path = "support/signed_http.rs"]
mod signed_http;

use std::sync::Arc;
use std::time::{Duration, Instant};

use briefing_bot::app::App;
use briefing_bot::config::{Config, ServerLimits};
use briefing_bot::discord::gateway::Timing;
use briefing_bot::http::endpoint::{self, Endpoint};
use briefing_bot::http::rest;
use fake_discord::{APPLICATION_ID, TOKEN};
use serde_json::json;
use signed_http::{Client, Key, signed_headers};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const LIMITS: ServerLimits = ServerLimits {
    header_timeout: Duration::from_secs(1),
    body_timeout: Duration::from_secs(1),
    idle_timeout: Duration::from_secs(3),
    max_connections: 64,
};

struct Server {
    address: String,
    stop: tokio::sync::oneshot::Sender<()>,
    served: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(key: &Key, limits: ServerLimits) -> Server {
    let config = Config::from_lookup(|name| match name {
        "DISCORD_TOKEN" => Some(TOKEN.to_string()),
        "DISCORD_HTTP_PROXY" => Some("http://127.0.0.1:9".to_string()),
        _ => None,
    })
    .unwrap();
    let mut endpoint = Endpoint::new(
        Arc::new(App::from_corpus(corpus::sample())),
        key.verifier(),
        Arc::new(rest::client(&config)),
        Timing::default(),
    );
    endpoint.limits = limits;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(endpoint::serve(listener, Arc::new(endpoint), async {
        let _ = stopped.await;
    }));
    Server {
        address,
        stop,
        served,
    }
}

fn ping() -> Vec<u8> {
    json!({"id": "1", "application_id": APPLICATION_ID, "type": 1, "token": "t", "version": 1})
        .to_string()
        .into_bytes()
}

async fn signed_ping(address: &str, key: &Key) -> u16 {
    let mut client = Client::connect(address).await.unwrap();
    let body = ping();
    client
        .post("/interactions", &signed_headers(key, &body), &body)
        .await
        .map_or(0, |response| response.status)
}

/// Reads until the server closes the connection (or resets it), at most `limit`; the time
/// that took, or `None` when it was still open at `limit`.
async fn closed_after(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout_at((start + limit).into(), stream.read(&mut buffer)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(start.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

/// The head of a signed POST of `body`, declaring `length` bytes.
fn head(key: &Key, body: &[u8], length: usize) -> String {
    let mut head = "POST /interactions HTTP/1.1\r\nHost: test\r\n".to_string();
    for (name, value) in signed_headers(key, body) {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {length}\r\n\r\n"));
    head
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_head_is_cut_at_the_header_timeout_while_a_real_request_is_answered() {
    let key = Key::from_seed(30);
    let server = start(&key, LIMITS).await;
    let text = head(&key, &ping(), ping().len());
    let mut slow = TcpStream::connect(&server.address).await.unwrap();
    let started = Instant::now();
    // One byte every 100 ms: the head would take seconds; it is cut after one.
    let dribble = tokio::spawn(async move {
        for byte in text.bytes() {
            if slow.write_all(&[byte]).await.is_err() {
                return (slow, true);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            if started.elapsed() > Duration::from_secs(5) {
                return (slow, false);
            }
        }
        (slow, false)
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(signed_ping(&server.address, &key).await, 200);
    let (mut slow, _) = dribble.await.unwrap();
    let cut = closed_after(&mut slow, Duration::from_secs(5)).await;
    let cut = cut.map(|_| started.elapsed());
    assert!(
        cut.is_some_and(|t| t >= Duration::from_millis(900) && t < Duration::from_millis(2500)),
        "the slow head was cut after {cut:?}"
    );
    assert_eq!(signed_ping(&server.address, &key).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_idle_connections_are_closed_at_their_timeouts() {
    let key = Key::from_seed(31);
    let server = start(&key, LIMITS).await;
    // A connection that never says anything: it had the header timeout for its first head.
    let mut silent = TcpStream::connect(&server.address).await.unwrap();
    // A keep-alive connection after one answered request: it has the idle timeout.
    let mut idle = Client::connect(&server.address).await.unwrap();
    let body = ping();
    let response = idle
        .post("/interactions", &signed_headers(&key, &body), &body)
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    let answered = Instant::now();
    let silent_closed = closed_after(&mut silent, Duration::from_secs(6)).await;
    assert!(
        silent_closed
            .is_some_and(|t| t >= Duration::from_millis(800) && t < Duration::from_secs(2)),
        "the silent connection closed after {silent_closed:?}"
    );
    let mut idle = idle.into_stream();
    let idle_closed = closed_after(&mut idle, Duration::from_secs(6))
        .await
        .map(|_| answered.elapsed());
    assert!(
        idle_closed
            .is_some_and(|t| t >= Duration::from_millis(2800) && t < Duration::from_millis(4500)),
        "the idle connection closed after {idle_closed:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_stops_is_answered_408_at_the_body_timeout() {
    let key = Key::from_seed(32);
    let server = start(&key, LIMITS).await;
    let body = ping();
    let mut stream = TcpStream::connect(&server.address).await.unwrap();
    stream
        .write_all(head(&key, &body, body.len()).as_bytes())
        .await
        .unwrap();
    stream.write_all(&body[..10]).await.unwrap();
    let sent = Instant::now();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(read.is_ok(), "no answer, connection still open: {answer}");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        sent.elapsed() >= Duration::from_millis(900) && sent.elapsed() < Duration::from_secs(3),
        "{:?}",
        sent.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_cap_idle_connections_make_room_and_partial_ones_do_not() {
    let key = Key::from_seed(33);
    let limits = ServerLimits {
        max_connections: 3,
        header_timeout: Duration::from_secs(2),
        ..LIMITS
    };
    let server = start(&key, limits).await;
    // Three keep-alive connections, idle after a request each: the cap is reached.
    let mut idle = Vec::new();
    for _ in 0..3 {
        let mut client = Client::connect(&server.address).await.unwrap();
        let body = ping();
        let response = client
            .post("/interactions", &signed_headers(&key, &body), &body)
            .await
            .unwrap();
        assert_eq!(response.status, 200);
        idle.push(client.into_stream());
    }
    // A fourth is answered: the idle ones were closed to make room.
    assert_eq!(signed_ping(&server.address, &key).await, 200);
    for stream in &mut idle {
        let closed = closed_after(stream, Duration::from_secs(1)).await;
        assert!(closed.is_some(), "an idle connection was kept at the cap");
    }

    // Three connections in the middle of a head hold the cap; a fourth is closed at once.
    let mut partial = Vec::new();
    for _ in 0..3 {
        let mut stream = TcpStream::connect(&server.address).await.unwrap();
        stream
            .write_all(b"POST /interactions HTTP/1.1\r\n")
            .await
            .unwrap();
        partial.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut refused = TcpStream::connect(&server.address).await.unwrap();
    let closed = closed_after(&mut refused, Duration::from_millis(1500)).await;
    assert!(
        closed.is_some_and(|t| t < Duration::from_millis(500)),
        "over the cap, closed after {closed:?}"
    );
    // Once the partial heads are cut at the header timeout, there is room again.
    for stream in &mut partial {
        assert!(closed_after(stream, Duration::from_secs(4)).await.is_some());
    }
    assert_eq!(signed_ping(&server.address, &key).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_closes_partial_requests_at_once_and_stops_within_the_deadline() {
    let key = Key::from_seed(34);
    // Long timeouts: only shutdown can close these connections in time.
    let limits = ServerLimits {
        header_timeout: Duration::from_secs(60),
        body_timeout: Duration::from_secs(60),
        idle_timeout: Duration::from_secs(60),
        max_connections: 64,
    };
    let server = start(&key, limits).await;
    let body = ping();
    let mut heads = Vec::new();
    for _ in 0..5 {
        let mut stream = TcpStream::connect(&server.address).await.unwrap();
        stream
            .write_all(b"POST /interactions HTTP/1.1\r\nHo")
            .await
            .unwrap();
        heads.push(stream);
    }
    let mut bodies = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(&server.address).await.unwrap();
        stream
            .write_all(head(&key, &body, body.len()).as_bytes())
            .await
            .unwrap();
        stream.write_all(&body[..5]).await.unwrap();
        bodies.push(stream);
    }
    let mut idle = Client::connect(&server.address).await.unwrap();
    let response = idle
        .post("/interactions", &signed_headers(&key, &body), &body)
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    let mut idle = idle.into_stream();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let stopped = Instant::now();
    server.stop.send(()).unwrap();
    for stream in heads.iter_mut().chain([&mut idle]) {
        let closed = closed_after(stream, Duration::from_secs(2)).await;
        assert!(
            closed.is_some_and(|_| stopped.elapsed() < Duration::from_secs(1)),
            "a partial head or idle connection stayed open after the signal"
        );
    }
    // New connections are no longer accepted.
    let refused = TcpStream::connect(&server.address).await;
    assert!(refused.is_err(), "still listening after the signal");
    let served = tokio::time::timeout(Duration::from_secs(6), server.served).await;
    let took = stopped.elapsed();
    assert!(matches!(served, Ok(Ok(Ok(())))), "{served:?}");
    assert!(took < Duration::from_millis(4700), "shutdown took {took:?}");
    for stream in &mut bodies {
        assert!(
            closed_after(stream, Duration::from_millis(500))
                .await
                .is_some()
        );
    }
}
