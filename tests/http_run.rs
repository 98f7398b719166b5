//! The built binary in HTTP mode: `serve-http` refuses a missing or malformed
//! DISCORD_PUBLIC_KEY (exit 2, one line naming it), serves signed requests on the address it
//! was given until SIGTERM (exit 0) without ever logging the token; `register` pushes the
//! command table by bulk overwrite through DISCORD_HTTP_PROXY, on a server or globally.

#[allow(dead_code)]
#[path = "support/fake_discord.rs"]
mod fake_discord;
#[path = "support/signed_http.rs"]
mod signed_http;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use briefing_bot::cmd::COMMANDS;
use briefing_bot::discord::register;
use fake_discord::{APPLICATION_ID, FakeDiscord, TOKEN};
use serde_json::json;
use signed_http::{Client, Key, signed_headers};

/// The binary with none of the bot's variables from the test's environment, in an empty
/// directory (no .env) unless `in_repo`.
fn binary(args: &[&str], in_repo: bool) -> (Command, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_briefing-bot"));
    command.args(args);
    if in_repo {
        command
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("DATA_DIR", "data");
    } else {
        command.current_dir(dir.path());
    }
    // serve-http keeps digest state too: in the test's own directory, never the repository.
    command.env("DATABASE_PATH", dir.path().join("briefing.db"));
    for variable in [
        "DATABASE_URL",
        "DIGEST_CHANNEL_ID",
        "DISCORD_TOKEN",
        "DISCORD_GUILD_ID",
        "DISCORD_HTTP_PROXY",
        "DISCORD_EPHEMERAL",
        "DISCORD_PUBLIC_KEY",
        "DISCORD_APPLICATION_ID",
        "RUST_LOG",
        "HTTP_HEADER_TIMEOUT_SECS",
        "HTTP_BODY_TIMEOUT_SECS",
        "HTTP_IDLE_TIMEOUT_SECS",
        "HTTP_MAX_CONNECTIONS",
    ] {
        command.env_remove(variable);
    }
    (command, dir)
}

#[test]
fn a_missing_or_malformed_public_key_exits_2_with_one_line_naming_it() {
    let valid = Key::from_seed(1).public_hex();
    for key in [
        None,
        Some(""),
        Some("abc"),
        Some(&valid[2..]),
        Some("z".repeat(64).as_str()),
    ] {
        let (mut command, _dir) = binary(&["serve-http", "--listen", "127.0.0.1:0"], false);
        command.env("DISCORD_TOKEN", TOKEN);
        if let Some(key) = key {
            command.env("DISCORD_PUBLIC_KEY", key);
        }
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{key:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{key:?}: {stderr}");
        assert!(stderr.contains("DISCORD_PUBLIC_KEY"), "{key:?}: {stderr}");
    }
}

#[test]
fn a_malformed_http_limit_exits_2_with_one_line_naming_it() {
    let key = Key::from_seed(1).public_hex();
    for (variable, value) in [
        ("HTTP_HEADER_TIMEOUT_SECS", "0"),
        ("HTTP_BODY_TIMEOUT_SECS", "soon"),
        ("HTTP_IDLE_TIMEOUT_SECS", "-5"),
        ("HTTP_MAX_CONNECTIONS", "many"),
    ] {
        let (mut command, _dir) = binary(&["serve-http", "--listen", "127.0.0.1:0"], false);
        let output = command
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_PUBLIC_KEY", &key)
            .env(variable, value)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{variable}={value}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{variable}={value}: {stderr}");
        assert!(stderr.contains(variable), "{stderr}");
        assert!(stderr.contains(&format!("\"{value}\"")), "{stderr}");
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_http_answers_signed_requests_until_sigterm_and_never_logs_the_token() {
    let key = Key::from_seed(2);
    let (mut command, _dir) = binary(&["serve-http", "--listen", "127.0.0.1:0"], true);
    let mut child = command
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_PUBLIC_KEY", key.public_hex())
        .env("DISCORD_HTTP_PROXY", "http://127.0.0.1:9")
        .env("RUST_LOG", "trace")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (address_tx, address_rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut log = String::new();
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.split("answering interactions on http://").nth(1) {
                let _ = address_tx.send(rest.trim_end_matches("/interactions").to_string());
            }
            log.push_str(&line);
            log.push('\n');
        }
        log
    });
    let address = address_rx.recv_timeout(Duration::from_secs(60));
    let mut statuses = Vec::new();
    if let Ok(address) = &address {
        let mut client = Client::connect(address).await.unwrap();
        let ping = json!({"id": "1", "application_id": APPLICATION_ID, "type": 1, "token": "t",
                          "version": 1})
        .to_string()
        .into_bytes();
        let response = client
            .post("/interactions", &signed_headers(&key, &ping), &ping)
            .await
            .unwrap();
        statuses.push((response.status, response.json()));
        let response = client.get("/healthz").await.unwrap();
        statuses.push((response.status, response.json()["ok"].clone()));
    }
    let status = fake_discord::terminate(&mut child).await;
    let log = reader.join().unwrap();
    assert!(address.is_ok(), "no address announced; log:\n{log}");
    assert_eq!(
        statuses,
        vec![(200, json!({"type": 1})), (200, json!(true))],
        "log:\n{log}"
    );
    let status = status.unwrap_or_else(|| panic!("no exit 15 s after SIGTERM; log:\n{log}"));
    assert_eq!(status.code(), Some(0), "log:\n{log}");
    assert!(log.contains("SIGTERM received"), "log:\n{log}");
    assert!(log.contains("TRACE"), "every log level is on");
    assert!(
        !log.contains("fake-token-for-tests"),
        "the token reached the log"
    );
}

/// SIGTERM with partial requests open (heads and bodies that never finish, an idle keep-alive
/// connection): the process closes them and exits 0 within 5 s.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_with_partial_requests_open_exits_within_5_seconds() {
    use tokio::io::AsyncWriteExt;

    let key = Key::from_seed(3);
    let (mut command, _dir) = binary(&["serve-http", "--listen", "127.0.0.1:0"], true);
    let mut child = command
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_PUBLIC_KEY", key.public_hex())
        .env("DISCORD_HTTP_PROXY", "http://127.0.0.1:9")
        // Long timeouts: only the shutdown deadline can close these connections in time.
        .env("HTTP_HEADER_TIMEOUT_SECS", "120")
        .env("HTTP_BODY_TIMEOUT_SECS", "120")
        .env("HTTP_IDLE_TIMEOUT_SECS", "120")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (address_tx, address_rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut log = String::new();
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.split("answering interactions on http://").nth(1) {
                let _ = address_tx.send(rest.trim_end_matches("/interactions").to_string());
            }
            log.push_str(&line);
            log.push('\n');
        }
        log
    });
    let address = address_rx.recv_timeout(Duration::from_secs(60));
    let mut open = Vec::new();
    let mut pinged = None;
    if let Ok(address) = &address {
        let ping = json!({"id": "1", "application_id": APPLICATION_ID, "type": 1, "token": "t",
                          "version": 1})
        .to_string()
        .into_bytes();
        for i in 0..5 {
            let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
            let partial: &[u8] = if i % 2 == 0 {
                b"POST /interactions HTTP/1.1\r\nHost: x\r\nX-Sig"
            } else {
                b"POST /interactions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
            };
            stream.write_all(partial).await.unwrap();
            open.push(stream);
        }
        // Signed, with a body that stops halfway.
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        let mut head = "POST /interactions HTTP/1.1\r\nHost: x\r\n".to_string();
        for (name, value) in signed_headers(&key, &ping) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", ping.len()));
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&ping[..8]).await.unwrap();
        open.push(stream);
        // An idle keep-alive connection after an answered request.
        let mut client = Client::connect(address).await.unwrap();
        let response = client
            .post("/interactions", &signed_headers(&key, &ping), &ping)
            .await
            .unwrap();
        pinged = Some(response.status);
        open.push(client.into_stream());
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let signalled = std::time::Instant::now();
    let status = fake_discord::terminate(&mut child).await;
    let took = signalled.elapsed();
    let log = reader.join().unwrap();
    drop(open);
    assert!(address.is_ok(), "no address announced; log:\n{log}");
    assert_eq!(pinged, Some(200), "log:\n{log}");
    let status = status.unwrap_or_else(|| panic!("no exit 15 s after SIGTERM; log:\n{log}"));
    assert_eq!(status.code(), Some(0), "log:\n{log}");
    assert!(
        took < Duration::from_secs(5),
        "exited {took:?} after SIGTERM; log:\n{log}"
    );
}

/// Runs `briefing-bot register ARGS` against the fake with `env`, off the async threads.
async fn register_with(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let (mut command, dir) = binary(args, false);
    for (name, value) in env {
        command.env(name, value);
    }
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    drop(dir);
    output
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_overwrites_the_commands_on_a_server_or_globally() {
    let expected = serde_json::to_value(register::commands(COMMANDS)).unwrap();

    // On a server, asking Discord for the application id first.
    let fake = FakeDiscord::start(Vec::new(), false).await;
    let output = register_with(
        &["register", "--guild", "300"],
        &[
            ("DISCORD_TOKEN", TOKEN),
            ("DISCORD_HTTP_PROXY", &fake.rest_url),
        ],
    )
    .await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert_eq!(
        stdout.trim(),
        format!("registered {} commands on server 300", COMMANDS.len())
    );
    let requests = fake.requests();
    let routes: Vec<(String, String)> = requests
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect();
    assert_eq!(
        routes,
        vec![
            (
                "GET".to_string(),
                "/api/v10/oauth2/applications/@me".to_string()
            ),
            (
                "PUT".to_string(),
                format!("/api/v10/applications/{APPLICATION_ID}/guilds/300/commands")
            ),
        ]
    );
    assert_eq!(requests[1].body, expected);
    assert_eq!(
        requests[1].authorization.as_deref(),
        Some(format!("Bot {TOKEN}").as_str())
    );

    // Globally, with the application id given.
    let fake = FakeDiscord::start(Vec::new(), false).await;
    let output = register_with(
        &["register"],
        &[
            ("DISCORD_TOKEN", TOKEN),
            ("DISCORD_HTTP_PROXY", &fake.rest_url),
            ("DISCORD_APPLICATION_ID", "777"),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let requests = fake.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    assert_eq!(requests[0].method, "PUT");
    assert_eq!(requests[0].path, "/api/v10/applications/777/commands");
    assert_eq!(requests[0].body, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_with_a_rejected_token_exits_2() {
    let fake = FakeDiscord::start(Vec::new(), true).await;
    let output = register_with(
        &["register", "--guild", "300"],
        &[
            ("DISCORD_TOKEN", TOKEN),
            ("DISCORD_HTTP_PROXY", &fake.rest_url),
        ],
    )
    .await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("DISCORD_TOKEN was rejected"), "{stderr}");
    assert!(!stderr.contains("fake-token-for-tests"), "{stderr}");
}
