//! No secret reaches the log at any level: the built binary runs `run` (against the fake
//! Discord: IDENTIFY with the bot token, interactions with their own tokens, callbacks on
//! routes that hold them) and `serve-http` (signed interactions with their tokens) at
//! `RUST_LOG=trace`, and the whole of stdout and stderr is searched for every secret used, as
//! text, as hex and as a list of byte values (how tungstenite and Debug print payloads).
//!
//! `serve-http` runs against PostgreSQL (when `TEST_DATABASE_URL` is set, a fresh schema) with
//! a password in DATABASE_URL, which is searched for too.

#[allow(dead_code)]
#[path = "support/fake_discord.rs"]
mod fake_discord;
#[path = "support/signed_http.rs"]
mod signed_http;
mod store_support;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fake_discord::{APPLICATION_ID, FakeDiscord, TOKEN, payload};
use serde_json::{Value, json};
use signed_http::{Client, Key, signed_headers};

/// Interaction tokens, each distinctive enough that any trace of it is a leak.
const INTERACTION_TOKENS: [&str; 3] = [
    "aW50ZXJhY3Rpb24.command-secret_77c1",
    "aW50ZXJhY3Rpb24.button-secret_88d2",
    "aW50ZXJhY3Rpb24.autocomplete-secret_99e3",
];

/// The recorded command, button and autocomplete, each with one of [`INTERACTION_TOKENS`].
fn interactions() -> Vec<Value> {
    ["slash_command", "button", "autocomplete"]
        .iter()
        .zip(INTERACTION_TOKENS)
        .map(|(name, token)| {
            let mut interaction = payload(name);
            interaction["token"] = json!(token);
            interaction
        })
        .collect()
}

/// Every form in which `secret` (or a long enough piece of it) could be printed.
fn forms(secret: &str) -> Vec<String> {
    let piece = &secret.as_bytes()[secret.len() - 12..];
    let hex: String = piece.iter().map(|b| format!("{b:02x}")).collect();
    let decimal: Vec<String> = piece.iter().map(u8::to_string).collect();
    vec![
        secret.to_string(),
        String::from_utf8_lossy(piece).into_owned(),
        hex,
        decimal.join(", "),
        decimal.join(","),
    ]
}

fn assert_no_secret(log: &str, secrets: &[&str]) {
    assert!(log.contains("TRACE"), "every log level is on:\n{log}");
    for secret in secrets {
        for form in forms(secret) {
            let line = log.lines().find(|line| line.contains(&form));
            assert!(
                line.is_none(),
                "{secret} (as {form:?}) reached the log: {line:?}"
            );
        }
    }
}

/// The binary in the repository (sample data), with none of the test's own variables.
fn binary(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_briefing-bot"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DATA_DIR", "data")
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for variable in [
        "DISCORD_GUILD_ID",
        "DISCORD_EPHEMERAL",
        "DISCORD_APPLICATION_ID",
    ] {
        command.env_remove(variable);
    }
    command
}

/// Drains stdout and stderr on their own threads (a full pipe must never block the bot);
/// stderr lines go to `lines` as they come.
fn drain(
    child: &mut Child,
    lines: std::sync::mpsc::Sender<String>,
) -> impl FnOnce() -> String + use<> {
    let mut stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        for line in BufReader::new(stderr).split(b'\n') {
            let Ok(line) = line else { break };
            let line = String::from_utf8_lossy(&line).into_owned();
            let _ = lines.send(line.clone());
            text.push_str(&line);
            text.push('\n');
        }
        text
    });
    move || format!("{}{}", out.join().unwrap(), err.join().unwrap())
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_at_trace_logs_no_token() {
    let fake = FakeDiscord::start(interactions(), false).await;
    let db = tempfile::tempdir().unwrap();
    let mut child = binary(&["run"])
        .env("DATABASE_PATH", db.path().join("briefing.db"))
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_HTTP_PROXY", &fake.rest_url)
        .spawn()
        .unwrap();
    let (lines, _) = std::sync::mpsc::channel();
    let output = drain(&mut child, lines);
    let answered = fake
        .wait_for(Duration::from_secs(30), |log| {
            log.requests
                .iter()
                .filter(|r| r.path.ends_with("/callback"))
                .count()
                >= 3
        })
        .await;
    let status = fake_discord::terminate(&mut child).await;
    let log = output();
    assert!(answered, "requests: {:#?}\nlog:\n{log}", fake.requests());
    assert_eq!(status.and_then(|s| s.code()), Some(0), "log:\n{log}");
    // The callbacks went out on routes holding the interaction tokens: the secrets were there
    // to leak.
    let routes: Vec<String> = fake.requests().into_iter().map(|r| r.path).collect();
    for token in INTERACTION_TOKENS {
        assert!(
            routes.iter().any(|route| route.contains(token)),
            "{routes:#?}"
        );
    }
    let mut secrets = vec![TOKEN];
    secrets.extend(INTERACTION_TOKENS);
    assert_no_secret(&log, &secrets);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_http_at_trace_logs_no_token() {
    let fake = FakeDiscord::start(Vec::new(), false).await;
    let key = Key::from_seed(40);
    let db_password = "db-pa55word_5e7f";
    let db = store_support::TestDb::postgres().or_else(store_support::TestDb::sqlite);
    let db = db.expect("a test database");
    let (variable, mut value) = db.env();
    if variable == "DATABASE_URL" {
        // postgres://user@host → postgres://user:password@host (trust auth ignores it).
        let at = value.find('@').expect("the test URL names a user");
        value.insert_str(at, &format!(":{db_password}"));
    }
    let mut child = binary(&["serve-http", "--listen", "127.0.0.1:0"])
        .env(variable, &value)
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_PUBLIC_KEY", key.public_hex())
        .env("DISCORD_HTTP_PROXY", &fake.rest_url)
        .spawn()
        .unwrap();
    let (lines, announced) = std::sync::mpsc::channel();
    let output = drain(&mut child, lines);
    let address = (0..2000).find_map(|_| {
        let line = announced.recv_timeout(Duration::from_secs(60)).ok()?;
        line.split("answering interactions on http://")
            .nth(1)
            .map(|rest| rest.trim_end_matches("/interactions").to_string())
    });
    let mut statuses = Vec::new();
    if let Some(address) = &address {
        let mut client = Client::connect(address).await.unwrap();
        let mut ping = json!({"id": "1", "application_id": APPLICATION_ID, "type": 1,
                              "version": 1});
        ping["token"] = json!("aW50ZXJhY3Rpb24.ping-secret_11f4");
        let mut all = interactions();
        all.push(ping);
        for interaction in all {
            let body = interaction.to_string().into_bytes();
            let response = client
                .post("/interactions", &signed_headers(&key, &body), &body)
                .await
                .unwrap();
            statuses.push(response.status);
        }
    }
    let status = fake_discord::terminate(&mut child).await;
    let log = output();
    assert!(address.is_some(), "no address announced; log:\n{log}");
    assert_eq!(statuses, vec![200; 4], "log:\n{log}");
    assert_eq!(status.and_then(|s| s.code()), Some(0), "log:\n{log}");
    let mut secrets = vec![TOKEN, "aW50ZXJhY3Rpb24.ping-secret_11f4", db_password];
    secrets.extend(INTERACTION_TOKENS);
    assert_no_secret(&log, &secrets);
    if variable == "DATABASE_URL" {
        assert!(
            log.contains("state: PostgreSQL database postgres://"),
            "log:\n{log}"
        );
    }
}
