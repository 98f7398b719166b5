//! A fake Discord on 127.0.0.1 for the real serenity client: a REST server that serves the
//! gateway URL, records every request and answers the few routes the bot uses, and a gateway
//! over tokio-tungstenite that sends HELLO, READY and the given INTERACTION_CREATE events and
//! acknowledges heartbeats. HTTP/1.1 is spoken by hand (keep-alive, Content-Length or chunked
//! bodies), which is all serenity's reqwest client needs.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;

pub const APPLICATION_ID: &str = "200";

/// A well-formed bot token the fake accepts; it must never show in a log.
pub const TOKEN: &str = "MTAwMDAwMDAwMDAwMDAwMDAw.GabCdE.fake-token-for-tests_0123456789";

/// A recorded interaction payload from tests/fixtures/discord/.
#[allow(dead_code)] // not every test file that uses the fake sends recorded payloads
pub fn payload(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/discord/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Sends SIGTERM to a child briefing-bot and waits up to 15 s for it to exit; kills it after
/// that. Returns its exit status, or `None` when it had to be killed.
#[allow(dead_code)] // used by the tests that run the built binary
pub async fn terminate(child: &mut std::process::Child) -> Option<std::process::ExitStatus> {
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    for _ in 0..750 {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// One request the REST fake received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    pub body: Value,
}

#[derive(Debug, Default)]
pub struct Log {
    pub requests: Vec<Recorded>,
    /// The IDENTIFY payload the shard sent.
    pub identify: Option<Value>,
    pub heartbeats: usize,
}

pub struct FakeDiscord {
    /// What DISCORD_HTTP_PROXY is set to.
    pub rest_url: String,
    pub log: Arc<Mutex<Log>>,
}

impl FakeDiscord {
    /// Starts both servers. The gateway sends `interactions` once the shard is identified;
    /// `reject_token` makes every REST call answer 401.
    pub async fn start(interactions: Vec<Value>, reject_token: bool) -> FakeDiscord {
        let log = Arc::new(Mutex::new(Log::default()));
        let gateway = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let gateway_url = format!("ws://{}", gateway.local_addr().unwrap());
        let rest = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let rest_url = format!("http://{}", rest.local_addr().unwrap());

        let rest_log = Arc::clone(&log);
        let url = gateway_url.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = rest.accept().await {
                let log = Arc::clone(&rest_log);
                let url = url.clone();
                tokio::spawn(serve_rest(stream, log, url, reject_token));
            }
        });
        let gateway_log = Arc::clone(&log);
        tokio::spawn(async move {
            while let Ok((stream, _)) = gateway.accept().await {
                let log = Arc::clone(&gateway_log);
                let events = interactions.clone();
                let url = gateway_url.clone();
                tokio::spawn(serve_gateway(stream, log, events, url));
            }
        });
        FakeDiscord { rest_url, log }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().requests.clone()
    }

    /// Waits until `done` holds for the log, polling; false after `limit`.
    pub async fn wait_for(&self, limit: Duration, done: impl Fn(&Log) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            if done(&self.log.lock().unwrap()) {
                return true;
            }
            if tokio::time::Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn serve_rest(stream: TcpStream, log: Arc<Mutex<Log>>, gateway_url: String, reject: bool) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).await.unwrap_or(0) == 0 {
            return;
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let path = parts.next().unwrap_or_default().to_string();
        let mut length = 0usize;
        let mut chunked = false;
        let mut authorization = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                let value = value.trim();
                match name.to_ascii_lowercase().as_str() {
                    "content-length" => length = value.parse().unwrap_or(0),
                    "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                    "authorization" => authorization = Some(value.to_string()),
                    _ => {}
                }
            }
        }
        let body = if chunked {
            let mut body = Vec::new();
            loop {
                let mut size = String::new();
                reader.read_line(&mut size).await.unwrap();
                let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
                let mut chunk = vec![0; size + 2];
                reader.read_exact(&mut chunk).await.unwrap();
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
            body
        } else {
            let mut body = vec![0; length];
            reader.read_exact(&mut body).await.unwrap();
            body
        };
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let (status, reply) = route(&method, &path, &gateway_url, reject);
        log.lock().unwrap().requests.push(Recorded {
            method,
            path,
            authorization,
            body,
        });
        let reply = reply.map(|v| v.to_string()).unwrap_or_default();
        let head = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            reply.len()
        );
        if write.write_all(head.as_bytes()).await.is_err()
            || write.write_all(reply.as_bytes()).await.is_err()
        {
            return;
        }
    }
}

fn route(
    method: &str,
    path: &str,
    gateway_url: &str,
    reject: bool,
) -> (&'static str, Option<Value>) {
    if reject {
        return (
            "401 Unauthorized",
            Some(json!({"message": "401: Unauthorized", "code": 0})),
        );
    }
    let path = path.split('?').next().unwrap_or_default();
    match (method, path) {
        ("GET", "/api/v10/users/@me") => (
            "200 OK",
            Some(json!({"id": "100", "username": "bot", "discriminator": "0",
                        "global_name": null, "avatar": null, "bot": true,
                        "verified": true, "mfa_enabled": false, "flags": 0})),
        ),
        ("GET", "/api/v10/oauth2/applications/@me") => (
            "200 OK",
            Some(
                json!({"id": APPLICATION_ID, "name": "briefing-bot", "icon": null,
                        "description": "", "bot_public": false,
                        "bot_require_code_grant": false, "verify_key": "00", "team": null,
                        "owner": null}),
            ),
        ),
        ("GET", "/api/v10/gateway") => ("200 OK", Some(json!({"url": gateway_url}))),
        ("PUT", p) if p.starts_with("/api/v10/applications/") && p.ends_with("/commands") => {
            ("200 OK", Some(json!([])))
        }
        ("POST", p) if p.starts_with("/api/v10/interactions/") && p.ends_with("/callback") => {
            ("204 No Content", None)
        }
        ("PATCH", p)
            if p.starts_with("/api/v10/webhooks/") && p.ends_with("/messages/@original") =>
        {
            ("200 OK", Some(message()))
        }
        // A digest or alert posted in a channel: a new message id each time.
        ("POST", p) if p.starts_with("/api/v10/channels/") && p.ends_with("/messages") => {
            let id = NEXT_MESSAGE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut posted = message();
            posted["id"] = json!(id.to_string());
            ("200 OK", Some(posted))
        }
        ("GET", p) if p.starts_with("/api/v10/channels/") && p.ends_with("/messages") => {
            ("200 OK", Some(json!([])))
        }
        _ => (
            "404 Not Found",
            Some(json!({"message": "Unknown route", "code": 0})),
        ),
    }
}

/// The id of the next message posted in a channel.
static NEXT_MESSAGE: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(1_300_000_000_000_001_000);

/// A message as Discord returns it after an edit.
fn message() -> Value {
    json!({
        "id": "1300000000000000900",
        "channel_id": "400",
        "author": {"id": "100", "username": "bot", "discriminator": "0", "global_name": null,
                   "avatar": null, "bot": true},
        "content": "",
        "timestamp": "2025-03-13T10:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": 20,
        "flags": 0,
        "components": []
    })
}

async fn serve_gateway(stream: TcpStream, log: Arc<Mutex<Log>>, events: Vec<Value>, url: String) {
    let Ok(mut ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let send = |value: Value| Message::Text(value.to_string());
    if ws
        .send(send(json!({"op": 10, "d": {"heartbeat_interval": 1000}})))
        .await
        .is_err()
    {
        return;
    }
    let mut sequence = 0u64;
    while let Some(Ok(message)) = ws.next().await {
        let Message::Text(text) = message else {
            if matches!(message, Message::Close(_)) {
                return;
            }
            continue;
        };
        let Ok(payload) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        match payload["op"].as_u64() {
            Some(1) => {
                log.lock().unwrap().heartbeats += 1;
                if ws.send(send(json!({"op": 11}))).await.is_err() {
                    return;
                }
            }
            Some(2) => {
                log.lock().unwrap().identify = Some(payload["d"].clone());
                sequence += 1;
                let ready = json!({"op": 0, "s": sequence, "t": "READY", "d": {
                    "v": 10,
                    "user": {"id": "100", "username": "bot", "discriminator": "0", "bot": true},
                    "guilds": [],
                    "session_id": "session",
                    "resume_gateway_url": url,
                    "application": {"id": APPLICATION_ID, "flags": 0}
                }});
                if ws.send(send(ready)).await.is_err() {
                    return;
                }
                for event in &events {
                    sequence += 1;
                    let event =
                        json!({"op": 0, "s": sequence, "t": "INTERACTION_CREATE", "d": event});
                    if ws.send(send(event)).await.is_err() {
                        return;
                    }
                }
            }
            _ => {}
        }
    }
}
