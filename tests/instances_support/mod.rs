//! Several `briefing-bot serve-http` processes on one database, posting digests to a fake
//! Discord REST API on 127.0.0.1: the multi-instance test and the throughput example share it.
//!
//! The fake listens on one port per instance (so it knows which process made each call), shares
//! one message store between them, answers each post after `latency` (a real round trip), and
//! can hang one instance's n-th post forever: that instance is then "in the middle of a
//! delivery", to be killed.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::routing::post;

/// One answered post.
#[derive(Debug, Clone)]
pub struct Post {
    pub instance: usize,
    pub channel: u64,
    pub id: u64,
    pub nonce: String,
    pub content: String,
    pub at: Instant,
}

#[derive(Default)]
pub struct Log {
    pub posts: Vec<Post>,
    /// Post calls per instance, answered or not.
    pub calls: HashMap<usize, usize>,
    /// (instance, n): that instance's n-th post (1-based) never gets an answer.
    pub hang: Option<(usize, usize)>,
    /// The channel and nonce of the post left hanging, once it happened.
    pub hung: Option<(u64, String)>,
    next_id: u64,
}

#[derive(Clone)]
struct Port {
    instance: usize,
    log: Arc<Mutex<Log>>,
    latency: Duration,
}

/// The fake Discord: one base URL per instance.
pub struct FakeRest {
    pub log: Arc<Mutex<Log>>,
    pub urls: Vec<String>,
}

impl FakeRest {
    pub async fn start(instances: usize, latency: Duration) -> FakeRest {
        let log = Arc::new(Mutex::new(Log::default()));
        let mut urls = Vec::new();
        for instance in 0..instances {
            let port = Port {
                instance,
                log: Arc::clone(&log),
                latency,
            };
            let app = Router::new()
                .route(
                    "/api/v10/channels/{channel}/messages",
                    post(create).get(recent),
                )
                .with_state(port);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            urls.push(format!("http://{}", listener.local_addr().unwrap()));
            tokio::spawn(async move { axum::serve(listener, app).await });
        }
        FakeRest { log, urls }
    }

    pub fn posts(&self) -> Vec<Post> {
        self.log.lock().unwrap().posts.clone()
    }
}

fn message(id: u64, channel: u64, content: &str, nonce: &str) -> String {
    serde_json::json!({
        "id": id.to_string(),
        "channel_id": channel.to_string(),
        "author": {"id": "100", "username": "bot", "discriminator": "0000", "avatar": null, "bot": true},
        "content": content,
        "timestamp": "2026-05-01T08:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": 0,
        "nonce": nonce
    })
    .to_string()
}

async fn create(
    State(port): State<Port>,
    UrlPath(channel): UrlPath<u64>,
    body: Bytes,
) -> (StatusCode, String) {
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let nonce = body["nonce"].as_str().unwrap_or_default().to_string();
    let content = body["content"].as_str().unwrap_or_default().to_string();
    let hang = {
        let mut log = port.log.lock().unwrap();
        let calls = log.calls.entry(port.instance).or_default();
        *calls += 1;
        let n = *calls;
        if log.hang == Some((port.instance, n)) {
            log.hung = Some((channel, nonce.clone()));
            true
        } else {
            false
        }
    };
    if hang {
        // Discord never answers; the process is killed meanwhile.
        std::future::pending::<()>().await;
    }
    tokio::time::sleep(port.latency).await;
    let mut log = port.log.lock().unwrap();
    log.next_id += 1;
    let id = 5000 + log.next_id;
    log.posts.push(Post {
        instance: port.instance,
        channel,
        id,
        nonce: nonce.clone(),
        content: content.clone(),
        at: Instant::now(),
    });
    (StatusCode::OK, message(id, channel, &content, &nonce))
}

async fn recent(State(port): State<Port>, UrlPath(channel): UrlPath<u64>) -> (StatusCode, String) {
    let log = port.log.lock().unwrap();
    let messages: Vec<String> = log
        .posts
        .iter()
        .rev()
        .filter(|p| p.channel == channel)
        .take(50)
        .map(|p| message(p.id, p.channel, &p.content, &p.nonce))
        .collect();
    (StatusCode::OK, format!("[{}]", messages.join(",")))
}

/// Starts `serve-http` as instance `instance` of the fake, on the database `database`
/// (`("DATABASE_URL", url)`), its output in `dir`.
pub fn spawn_instance(
    fake: &FakeRest,
    instance: usize,
    database: &(&'static str, String),
    public_key: &str,
    lease_seconds: u32,
    dir: &Path,
) -> Child {
    let out = std::fs::File::create(dir.join(format!("instance-{instance}.log"))).unwrap();
    let err = out.try_clone().unwrap();
    let mut command = Command::new(binary());
    command
        .args(["serve-http", "--listen", "127.0.0.1:0"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DATA_DIR", "data")
        .env("RUST_LOG", "info")
        .env(
            "DISCORD_TOKEN",
            "MTAwMDAwMDAwMDAwMDAwMDAw.GabCdE.instances-test-token_0123456789",
        )
        .env("DISCORD_PUBLIC_KEY", public_key)
        .env("DISCORD_HTTP_PROXY", &fake.urls[instance])
        .env("DIGEST_LEASE_SECONDS", lease_seconds.to_string())
        .env_remove("DATABASE_URL")
        .env_remove("DATABASE_PATH")
        .env_remove("DIGEST_CHANNEL_ID")
        .env(database.0, &database.1)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err);
    command.spawn().expect("the built binary starts")
}

/// The built binary; `BRIEFING_BOT_BIN` names another build of it (a target directory shared
/// between work trees holds only the last one built).
pub fn binary() -> String {
    std::env::var("BRIEFING_BOT_BIN")
        .ok()
        .filter(|path| !path.is_empty())
        .or_else(|| option_env!("CARGO_BIN_EXE_briefing-bot").map(str::to_string))
        .unwrap_or_else(|| "target/debug/briefing-bot".to_string())
}

/// Ends a child with SIGTERM (then waits), for the instances still running at the end.
pub fn terminate(child: &mut Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The next whole minute after `now` (unix seconds).
pub fn next_minute(now: i64) -> i64 {
    (now / 60 + 1) * 60
}
