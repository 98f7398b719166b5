//! `SerenityPoster` against a fake Discord REST API on 127.0.0.1: the request serenity really
//! sends (path, JSON body) and how Discord's answers are classified.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use briefing_bot::digest::pages::Message;
use briefing_bot::digest::poster::{PostError, Poster, SerenityPoster};
use serenity::http::HttpBuilder;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone)]
struct Captured {
    method: String,
    path: String,
    body: String,
}

fn message_json(id: &str, channel: &str, content: &str) -> String {
    serde_json::json!({
        "id": id,
        "channel_id": channel,
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
        "nonce": "d1.0.0"
    })
    .to_string()
}

/// A message of embeds only, its marker in the last embed's footer.
fn embed_message_json(id: &str, channel: &str, footer: &str) -> String {
    let mut message: serde_json::Value =
        serde_json::from_str(&message_json(id, channel, "")).unwrap();
    message["embeds"] = serde_json::json!([
        {"type": "rich", "title": "Briefing digest", "description": "Overview"},
        {"type": "rich", "title": "An article", "url": "https://example.org/a",
         "fields": [{"name": "Mao Ning", "value": "Words", "inline": false}],
         "footer": {"text": footer}}
    ]);
    message.to_string()
}

/// What the fake answers: (status, JSON body).
fn respond(method: &str, path: &str) -> (u16, String) {
    let error = |status: u16, code: i64, message: &str| {
        (
            status,
            serde_json::json!({"message": message, "code": code}).to_string(),
        )
    };
    match (method, path) {
        ("POST", "/api/v10/channels/555/messages") => (200, message_json("1001", "555", "posted")),
        ("GET", p) if p.starts_with("/api/v10/channels/555/messages") => (
            200,
            format!(
                "[{}, {}, {}]",
                embed_message_json("1003", "555", "digest 1-3 page 1 of 1"),
                message_json("1002", "555", "newest\n-# digest 1-2 page 1 of 1"),
                message_json("1001", "555", "older")
            ),
        ),
        ("GET", "/api/v10/applications/200/commands") => (
            200,
            r#"[{"id": "901", "name": "brief", "type": 1, "version": "1"},
                {"id": "902", "name": "who"}]"#
                .to_string(),
        ),
        ("GET", "/api/v10/applications/200/guilds/300/commands") => {
            (200, r#"[{"id": "903", "name": "brief"}]"#.to_string())
        }
        ("POST", "/api/v10/channels/403/messages") => error(403, 50013, "Missing Permissions"),
        ("POST", "/api/v10/channels/4031/messages") => error(403, 50001, "Missing Access"),
        ("POST", "/api/v10/channels/404/messages") => error(404, 10003, "Unknown Channel"),
        ("GET", p) if p.starts_with("/api/v10/channels/404/messages") => {
            error(404, 10003, "Unknown Channel")
        }
        ("POST", "/api/v10/channels/429/messages") => (
            429,
            r#"{"message": "You are being rate limited.", "retry_after": 0.5, "global": false}"#
                .to_string(),
        ),
        ("POST", "/api/v10/channels/500/messages") => error(500, 0, "Internal Server Error"),
        _ => error(404, 0, "404: Not Found"),
    }
}

async fn handle(mut socket: TcpStream, captured: Arc<Mutex<Vec<Captured>>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())
                .flatten()
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let mut request_line = head.lines().next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_string();
    let path = request_line.next().unwrap_or_default().to_string();
    let body = String::from_utf8_lossy(&buf[head_end..head_end + length]).to_string();
    let (status, reply) = respond(&method, &path);
    captured
        .lock()
        .unwrap()
        .push(Captured { method, path, body });
    let response = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
        reply.len()
    );
    let _ = socket.write_all(response.as_bytes()).await;
    let _ = socket.shutdown().await;
}

async fn fake_discord() -> (SerenityPoster, Arc<Mutex<Vec<Captured>>>) {
    let (http, captured) = fake_http().await;
    (SerenityPoster::new(http), captured)
}

async fn fake_http() -> (Arc<serenity::http::Http>, Arc<Mutex<Vec<Captured>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let captured: Arc<Mutex<Vec<Captured>>> = Arc::default();
    let sink = captured.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(handle(socket, sink.clone()));
        }
    });
    let http = HttpBuilder::new("test-token")
        .proxy(format!("http://127.0.0.1:{port}"))
        .ratelimiter_disabled(true)
        .application_id(serenity::all::ApplicationId::new(200))
        .build();
    (Arc::new(http), captured)
}

#[tokio::test]
async fn command_ids_are_read_back_for_command_mentions() {
    use briefing_bot::discord::rest::command_ids;
    use briefing_bot::discord::text::command_mention;
    tokio::time::timeout(Duration::from_secs(20), async {
        let (http, _) = fake_http().await;
        let ids = command_ids(&http, None).await.unwrap();
        assert_eq!(ids.get("brief"), Some(901));
        assert_eq!(command_mention("who", &ids), "</who:902>");
        assert_eq!(command_mention("context", &ids), "/context");
        let ids = command_ids(&http, Some(300)).await.unwrap();
        assert_eq!(command_mention("brief", &ids), "</brief:903>");
    })
    .await
    .expect("fake Discord answered in time");
}

#[tokio::test]
async fn posts_content_with_nonce_and_no_mentions() {
    tokio::time::timeout(Duration::from_secs(20), async {
        let (poster, captured) = fake_discord().await;
        let content = "**Briefing digest**\n\\@everyone stays text";
        let id = poster
            .post(555, &Message::text(content), "d1.69e3a2c0.0")
            .await
            .unwrap();
        assert_eq!(id, 1001);

        let captured = captured.lock().unwrap().clone();
        assert_eq!(captured.len(), 1);
        assert_eq!(captured[0].method, "POST");
        assert_eq!(captured[0].path, "/api/v10/channels/555/messages");
        let body: serde_json::Value = serde_json::from_str(&captured[0].body).unwrap();
        assert_eq!(body["content"], content);
        assert_eq!(body["nonce"], "d1.69e3a2c0.0");
        assert_eq!(body["enforce_nonce"], true);
        let mentions = &body["allowed_mentions"];
        assert_eq!(mentions["parse"], serde_json::json!([]), "{body}");
        for list in ["users", "roles"] {
            assert!(
                mentions[list].as_array().is_none_or(|l| l.is_empty()),
                "{list} allowed: {body}"
            );
        }
        assert_ne!(mentions["replied_user"], true);
    })
    .await
    .expect("fake Discord answered in time");
}

#[tokio::test]
async fn reads_recent_messages() {
    tokio::time::timeout(Duration::from_secs(20), async {
        let (poster, captured) = fake_discord().await;
        let messages = poster.recent_messages(555).await.unwrap();
        assert_eq!(messages.len(), 3);
        // A digest of embeds is found by the marker in its footer.
        assert_eq!(messages[0].id, 1003);
        assert!(messages[0].content.is_empty());
        assert!(messages[0].contains("digest 1-3 page 1 of"));
        assert!(messages[0].embed_texts.iter().any(|t| t == "Mao Ning"));
        assert_eq!(messages[1].id, 1002);
        assert!(messages[1].contains("digest 1-2 page 1 of"));
        assert!(!messages[2].contains("digest"));
        let captured = captured.lock().unwrap().clone();
        assert_eq!(captured[0].method, "GET");
        // serenity writes the query as "?&limit=50"; Discord reads it all the same.
        let (path, query) = captured[0].path.split_once('?').unwrap();
        assert_eq!(path, "/api/v10/channels/555/messages");
        assert!(query.split('&').any(|p| p == "limit=50"), "{query}");

        let err = poster.recent_messages(404).await.unwrap_err();
        assert!(
            matches!(
                err,
                PostError::Disabling {
                    code: Some(10003),
                    ..
                }
            ),
            "{err:?}"
        );
    })
    .await
    .expect("fake Discord answered in time");
}

#[tokio::test]
async fn discord_errors_map_to_what_the_scheduler_does() {
    tokio::time::timeout(Duration::from_secs(20), async {
        let (poster, _) = fake_discord().await;
        let x = Message::text("x");
        let err = poster.post(403, &x, "n").await.unwrap_err();
        match &err {
            PostError::Disabling {
                status: 403,
                code: Some(50013),
                reason,
            } => assert!(reason.contains("permission"), "{reason}"),
            other => panic!("403/50013 must disable, got {other:?}"),
        }
        let err = poster.post(4031, &x, "n").await.unwrap_err();
        assert!(
            matches!(
                err,
                PostError::Disabling {
                    code: Some(50001),
                    ..
                }
            ),
            "{err:?}"
        );
        let err = poster.post(404, &x, "n").await.unwrap_err();
        assert!(
            matches!(
                err,
                PostError::Disabling {
                    code: Some(10003),
                    ..
                }
            ),
            "{err:?}"
        );
        let err = poster.post(429, &x, "n").await.unwrap_err();
        assert!(matches!(err, PostError::Retryable { .. }), "{err:?}");
        let err = poster.post(500, &x, "n").await.unwrap_err();
        assert!(matches!(err, PostError::Retryable { .. }), "{err:?}");
        // No request for channel 0: it is rejected before serenity could panic on it.
        assert!(matches!(
            poster.post(0, &x, "n").await.unwrap_err(),
            PostError::Disabling { .. }
        ));
    })
    .await
    .expect("fake Discord answered in time");
}

/// Every Discord limit a posted message body must respect (see the platform reference).
fn check_limits(body: &serde_json::Value) {
    let chars = |v: &serde_json::Value| v.as_str().map_or(0, |s| s.chars().count());
    assert!(chars(&body["content"]) <= 2000, "{body}");
    let embeds = body["embeds"].as_array().expect("embeds");
    assert!(
        !embeds.is_empty() && embeds.len() <= 10,
        "{} embeds",
        embeds.len()
    );
    let mut total = 0;
    for embed in embeds {
        let title = chars(&embed["title"]);
        let description = chars(&embed["description"]);
        let footer = chars(&embed["footer"]["text"]);
        assert!(
            title <= 256 && description <= 4096 && footer <= 2048,
            "{embed}"
        );
        total += title + description + footer;
        let fields = embed["fields"].as_array().map_or(&[][..], |f| f.as_slice());
        assert!(fields.len() <= 25, "{embed}");
        for field in fields {
            let (name, value) = (chars(&field["name"]), chars(&field["value"]));
            assert!(
                (1..=256).contains(&name) && (1..=1024).contains(&value),
                "{field}"
            );
            total += name + value;
        }
        if let Some(url) = embed["url"].as_str() {
            assert!(
                url.starts_with("https://") || url.starts_with("http://"),
                "{url}"
            );
        }
    }
    assert!(total <= 6000, "{total} characters of embeds");
    assert_eq!(
        body["allowed_mentions"]["parse"],
        serde_json::json!([]),
        "{body}"
    );
    assert_eq!(body["enforce_nonce"], true);
}

/// The scheduler's first digest of `data` posted to the fake Discord: the message bodies and the
/// subscription and slot.
async fn post_first_digest(data: &std::path::Path) -> (Vec<serde_json::Value>, i64, i64) {
    use briefing_bot::digest::scheduler::{Scheduler, SystemClock};
    use briefing_bot::digest::store::{NewSubscription, Store};
    use briefing_bot::load::{LoadConfig, load_dir};

    let (poster, captured) = fake_discord().await;
    let corpus = load_dir(data, &LoadConfig::default()).unwrap().corpus;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("briefing.db")).unwrap();
    // Created a day ago, every minute: the latest minute is due now.
    let id = store
        .subscribe(
            &NewSubscription {
                guild_id: Some(1),
                channel_id: 555,
                schedule: "* * * * *".into(),
                timezone: "UTC".into(),
                tags: vec![],
                people: vec![],
                skip_empty: false,
            },
            chrono::Utc::now() - chrono::TimeDelta::days(1),
        )
        .unwrap();
    let mut scheduler = Scheduler::new(store, poster, SystemClock);
    let report = scheduler.tick(&corpus).await.unwrap();
    assert_eq!(report.delivered.len(), 1, "{report:?}");
    let slot = report.delivered[0].1;
    let posts: Vec<serde_json::Value> = captured
        .lock()
        .unwrap()
        .iter()
        .filter(|c| c.method == "POST" && c.path == "/api/v10/channels/555/messages")
        .map(|c| serde_json::from_str(&c.body).unwrap())
        .collect();
    (posts, id, slot.timestamp())
}

#[tokio::test]
async fn the_scheduler_posts_a_digest_through_serenity() {
    tokio::time::timeout(Duration::from_secs(20), async {
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let (posts, id, slot) = post_first_digest(&data).await;
        assert_eq!(posts.len(), 1, "the seed digest is one message");
        let post = &posts[0];
        check_limits(post);
        let embeds = post["embeds"].as_array().unwrap();
        assert_eq!(embeds.len(), 2, "an overview and the seed article");
        assert!(
            embeds[1]["title"]
                .as_str()
                .unwrap()
                .contains("China hosts Russia and Iran")
        );
        let key = briefing_bot::digest::pages::marker_key(id, slot, 0);
        let footer = embeds[1]["footer"]["text"].as_str().unwrap();
        assert!(footer.contains(&key), "{footer}");
    })
    .await
    .expect("fake Discord answered in time");
}

#[tokio::test]
async fn a_long_digest_posts_as_several_messages_each_within_the_limits() {
    tokio::time::timeout(Duration::from_secs(20), async {
        let story = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/story");
        let (posts, id, slot) = post_first_digest(&story).await;
        assert!(posts.len() > 1, "{} messages", posts.len());
        let nonces: std::collections::HashSet<&str> =
            posts.iter().map(|p| p["nonce"].as_str().unwrap()).collect();
        assert_eq!(nonces.len(), posts.len());
        let mut linked = 0;
        for (page, post) in posts.iter().enumerate() {
            check_limits(post);
            let embeds = post["embeds"].as_array().unwrap();
            let key = briefing_bot::digest::pages::marker_key(id, slot, page);
            let footer = embeds.last().unwrap()["footer"]["text"].as_str().unwrap();
            assert!(footer.contains(&key), "{footer}");
            linked += embeds.iter().filter(|e| e["url"].is_string()).count();
        }
        // Every article with a known address links to it.
        assert!(linked >= 9, "{linked} linked articles");
    })
    .await
    .expect("fake Discord answered in time");
}
