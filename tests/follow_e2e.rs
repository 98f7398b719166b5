//! The built binary, both ways it talks to Discord, against the fake Discord on 127.0.0.1: a
//! server manager runs `/follow about:Riabkov`, a new article mentioning Ryabkov is dropped into
//! the data directory, one alert embed is posted in the channel, and after a restart on the same
//! database and data nothing is posted again. Beside it, an every-minute digest (from `.env`) in
//! its own channel: an article dated a day before the seed, dropped in after the first digest,
//! is in exactly one later digest. Once through `run` (the gateway delivers the command) and once
//! through `serve-http` (a signed POST delivers it; everything goes out over REST).

#[allow(dead_code)]
#[path = "support/fake_discord.rs"]
mod fake_discord;
#[allow(dead_code)]
#[path = "support/signed_http.rs"]
mod signed_http;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use fake_discord::{FakeDiscord, Recorded, TOKEN, payload};
use serde_json::{Value, json};
use signed_http::{Client, Key, signed_headers};

/// The channel the command is run in (the recorded payloads' channel).
const CHANNEL: &str = "400";
/// The channel of the `.env` digest, every minute.
const DIGEST_CHANNEL: &str = "401";
/// Published 2025-03-11, two days before the seed; does not mention Ryabkov.
const BACKDATED: &str = "2025-03-11-fbc-unsc-closed-door-uranium.json";
const SEED: &str = "2025-03-beijing-iran-nuclear-talks.json";
/// Published after the seed; Ryabkov takes part.
const NEWER: &str = "2025-03-15-nation-diplomats-meet-nuclear-talks.json";

fn story_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/story/articles")
        .join(name)
}

/// A data directory holding the seed article.
fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("articles")).unwrap();
    std::fs::copy(story_file(SEED), dir.path().join("articles").join(SEED)).unwrap();
    dir
}

/// `/follow about:Riabkov` from a member with Manage Server, in CHANNEL.
fn follow_interaction() -> Value {
    let mut command = payload("slash_command");
    command["id"] = json!("1300000000000000077");
    command["token"] = json!("interaction-token-follow");
    command["channel_id"] = json!(CHANNEL);
    // VIEW_CHANNEL | SEND_MESSAGES | MANAGE_GUILD
    command["member"]["permissions"] = json!("3104");
    command["data"] = json!({
        "id": "1300000000000000101",
        "name": "follow",
        "type": 1,
        "options": [{"name": "about", "type": 3, "value": "Riabkov"}]
    });
    command
}

/// The binary with the bot's variables cleared, on `data` and the database `db`.
fn binary(args: &[&str], data: &Path, db: &Path, fake: &FakeDiscord) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_briefing-bot"));
    command.args(args);
    for variable in [
        "DISCORD_GUILD_ID",
        "DISCORD_EPHEMERAL",
        "DISCORD_PUBLIC_KEY",
        "DISCORD_APPLICATION_ID",
        "DATABASE_URL",
    ] {
        command.env_remove(variable);
    }
    command
        .current_dir(data)
        .env("DATA_DIR", data)
        .env("DATABASE_PATH", db)
        .env("DIGEST_CHANNEL_ID", DIGEST_CHANNEL)
        .env("DIGEST_SCHEDULE", "* * * * *")
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_HTTP_PROXY", &fake.rest_url)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// Starts the binary; its log lines arrive on the receiver as they come.
fn start(mut command: Command) -> (Child, Receiver<String>) {
    let mut child = command.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// Reads log lines until one contains `needle` (returns the text read so far with it), or the
/// time is up (returns everything read, and false).
fn wait_for_line(rx: &Receiver<String>, needle: &str, limit: Duration, log: &mut String) -> bool {
    let deadline = std::time::Instant::now() + limit;
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) => {
                log.push_str(&line);
                log.push('\n');
                if line.contains(needle) {
                    return true;
                }
            }
            Err(_) => return false,
        }
    }
    false
}

fn posts_in_channel(fake: &FakeDiscord) -> Vec<Recorded> {
    posts_in(fake, CHANNEL)
}

fn posts_in(fake: &FakeDiscord, channel: &str) -> Vec<Recorded> {
    fake.requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == format!("/api/v10/channels/{channel}/messages"))
        .collect()
}

/// The digest messages (in DIGEST_CHANNEL) with an embed titled `title`.
fn digests_with(fake: &FakeDiscord, title: &str) -> usize {
    digests_among(&fake.requests(), title)
}

/// [`digests_with`] over requests already read (inside `wait_for`, which holds the log).
fn digests_among(requests: &[Recorded], title: &str) -> usize {
    requests
        .iter()
        .filter(|r| {
            r.method == "POST" && r.path == format!("/api/v10/channels/{DIGEST_CHANNEL}/messages")
        })
        .filter(|r| {
            r.body["embeds"]
                .as_array()
                .is_some_and(|embeds| embeds.iter().any(|e| e["title"] == json!(title)))
        })
        .count()
}

fn title_of(name: &str) -> String {
    let article: Value =
        serde_json::from_str(&std::fs::read_to_string(story_file(name)).unwrap()).unwrap();
    article["title"].as_str().unwrap().to_string()
}

/// Waits for the every-minute digest to cover the seed, drops the back-dated article in, and
/// waits for the one later digest that covers it.
async fn expect_the_backdated_article_in_one_digest(fake: &FakeDiscord, data: &Path) {
    let seed = title_of(SEED);
    let first = fake
        .wait_for(Duration::from_secs(75), |l| {
            l.requests.iter().any(|r| {
                r.path
                    .ends_with(&format!("/channels/{DIGEST_CHANNEL}/messages"))
                    && r.body.to_string().contains(&seed)
            })
        })
        .await;
    assert!(first, "no first digest; requests: {:#?}", fake.requests());
    let backdated = title_of(BACKDATED);
    assert_eq!(digests_with(fake, &backdated), 0);
    std::fs::copy(story_file(BACKDATED), data.join("articles").join(BACKDATED)).unwrap();
    let covered = fake
        .wait_for(Duration::from_secs(75), |l| {
            digests_among(&l.requests, &backdated) > 0
        })
        .await;
    assert!(
        covered,
        "the back-dated article is in no digest; requests: {:#?}",
        posts_in(fake, DIGEST_CHANNEL)
    );
    assert_eq!(
        digests_with(fake, &seed),
        1,
        "the seed is in one digest only"
    );
}

/// Drops the newer article into the data directory and waits for its one alert.
async fn add_article_and_expect_one_alert(fake: &FakeDiscord, data: &Path, log: &str) {
    std::fs::copy(story_file(NEWER), data.join("articles").join(NEWER)).unwrap();
    let alerted = fake
        .wait_for(Duration::from_secs(30), |l| {
            l.requests
                .iter()
                .any(|r| r.method == "POST" && r.path.contains("/channels/400/messages"))
        })
        .await;
    assert!(
        alerted,
        "no alert; requests: {:#?}\nlog:\n{log}",
        fake.requests()
    );
    // Give a second pass the chance to post twice, then check it did not.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let posts = posts_in_channel(fake);
    assert_eq!(posts.len(), 1, "{posts:#?}");
    let body = &posts[0].body;
    let embed = &body["embeds"][0];
    let title = embed["title"].as_str().unwrap();
    assert!(title.starts_with("Sergei Ryabkov in "), "{title}");
    assert!(
        embed["footer"]["text"]
            .as_str()
            .unwrap()
            .contains("follow #1")
    );
    assert_eq!(body["allowed_mentions"]["parse"], json!([]), "{body}");
    assert_eq!(body["enforce_nonce"], json!(true), "{body}");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_follow_then_a_new_article_alerts_once_and_never_again_after_a_restart() {
    let data = data_dir();
    let db = tempfile::tempdir().unwrap();
    let db = db.path().join("state.db");
    let fake = FakeDiscord::start(vec![follow_interaction()], false).await;
    let (mut child, rx) = start(binary(&["run"], data.path(), &db, &fake));
    let mut log = String::new();
    let answered = fake
        .wait_for(Duration::from_secs(60), |l| {
            l.requests
                .iter()
                .any(|r| r.path.contains("interaction-token-follow"))
        })
        .await;
    wait_for_line(&rx, "loaded", Duration::from_millis(100), &mut log);
    assert!(
        answered,
        "the follow was not answered; requests: {:#?}",
        fake.requests()
    );
    add_article_and_expect_one_alert(&fake, data.path(), &log).await;
    expect_the_backdated_article_in_one_digest(&fake, data.path()).await;
    let status = fake_discord::terminate(&mut child).await;
    assert_eq!(status.and_then(|s| s.code()), Some(0));

    // Restarted on the same database and data: nothing is new, nothing is posted.
    let log = restart_and_expect_nothing_again(
        &fake,
        start(binary(&["run"], data.path(), &db, &fake)),
        "registered",
    )
    .await;
    assert!(!log.contains(TOKEN));
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_http_follow_then_a_new_article_alerts_once_and_never_again_after_a_restart() {
    let data = data_dir();
    let db = tempfile::tempdir().unwrap();
    let db = db.path().join("state.db");
    let fake = FakeDiscord::start(Vec::new(), false).await;
    let key = Key::from_seed(3);
    let serve = |fake: &FakeDiscord| {
        let mut command = binary(
            &["serve-http", "--listen", "127.0.0.1:0"],
            data.path(),
            &db,
            fake,
        );
        command.env("DISCORD_PUBLIC_KEY", key.public_hex());
        start(command)
    };
    let (mut child, rx) = serve(&fake);
    let mut log = String::new();
    assert!(
        wait_for_line(
            &rx,
            "answering interactions on http://",
            Duration::from_secs(60),
            &mut log
        ),
        "log:\n{log}"
    );
    let address = log
        .split("answering interactions on http://")
        .nth(1)
        .and_then(|rest| rest.split("/interactions").next())
        .unwrap()
        .to_string();
    let body = follow_interaction().to_string().into_bytes();
    let mut client = Client::connect(&address).await.unwrap();
    let response = client
        .post("/interactions", &signed_headers(&key, &body), &body)
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    let answer = response.json();
    let text = answer.to_string();
    assert!(text.contains("Following Sergei Ryabkov"), "{text}");
    add_article_and_expect_one_alert(&fake, data.path(), &log).await;
    expect_the_backdated_article_in_one_digest(&fake, data.path()).await;
    let status = fake_discord::terminate(&mut child).await;
    assert_eq!(status.and_then(|s| s.code()), Some(0));

    restart_and_expect_nothing_again(&fake, serve(&fake), "answering interactions on http://")
        .await;
}

/// The restarted binary (`started`), once it logged `ready`, runs a few seconds and exits 0 on
/// SIGTERM having posted no second alert and no second digest of the back-dated article.
/// Returns its log.
async fn restart_and_expect_nothing_again(
    fake: &FakeDiscord,
    started: (Child, Receiver<String>),
    ready: &str,
) -> String {
    let (mut child, rx) = started;
    let mut log = String::new();
    assert!(
        wait_for_line(&rx, ready, Duration::from_secs(60), &mut log),
        "log:\n{log}"
    );
    tokio::time::sleep(Duration::from_secs(4)).await;
    let status = fake_discord::terminate(&mut child).await;
    while let Ok(line) = rx.try_recv() {
        log.push_str(&line);
        log.push('\n');
    }
    assert_eq!(posts_in_channel(fake).len(), 1, "log:\n{log}");
    assert_eq!(digests_with(fake, &title_of(BACKDATED)), 1, "log:\n{log}");
    assert_eq!(status.and_then(|s| s.code()), Some(0), "log:\n{log}");
    log
}
