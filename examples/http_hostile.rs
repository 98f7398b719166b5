//! A hostile burst against `briefing-bot serve-http`, and the server's memory before, during
//! and after it: starts the release binary on 127.0.0.1, reads its resident set size
//! (`VmRSS` in /proc/PID/status), opens `--connections` connections that each send a request
//! head and all but the last byte of a `--body`-byte body, reads the RSS while they are all
//! held, sends one real signed PING on a new connection while they are held, lets them finish
//! and leave, and reads the RSS again after `--settle` seconds. Then it sends SIGTERM and times
//! the exit. Linux only (it reads /proc).
//!
//! ```sh
//! cargo build --release --bin briefing-bot --example http_hostile
//! target/release/examples/http_hostile --connections 500 --body 65535 --signature fake
//! ```
//!
//! Flags: `--mode body|idle` (body; `idle`: the clients connect and say nothing),
//! `--nofile N` (run the server under `prlimit --nofile=N`), `--connections N` (500), `--body BYTES` (65535), `--signature fake|none` (`fake`:
//! well-formed headers with a fresh timestamp and a signature that does not match, so the body
//! is read before the 401; `none`: no signature headers, refused before the body), `--settle
//! SECONDS` (3), `--server PATH` (the `briefing-bot` beside this example). Every socket is on
//! the loopback, the burst is bounded by `--connections` and each wait by a time limit.

#[path = "../tests/support/signed_http.rs"]
mod signed_http;

use std::io::{BufRead, BufReader};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use signed_http::{Key, unix_now};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TOKEN: &str = "MTAwMDAwMDAwMDAwMDAwMDAw.GabCdE.hostile-run-token_0123456789";

struct Options {
    /// `body`: each client sends a head and all but one byte of its body; `idle`: each
    /// client connects and says nothing.
    idle: bool,
    /// Run the server under `prlimit --nofile=N`.
    nofile: Option<usize>,
    connections: usize,
    body: usize,
    signed: bool,
    settle: u64,
    server: Option<std::path::PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        idle: false,
        nofile: None,
        connections: 500,
        body: 65_535,
        signed: true,
        settle: 3,
        server: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag}: not a number"))
        };
        match flag.as_str() {
            "--connections" => options.connections = number()?.clamp(1, 5000),
            "--body" => options.body = number()?.max(2),
            "--settle" => options.settle = number()? as u64,
            "--signature" => match value.as_str() {
                "fake" => options.signed = true,
                "none" => options.signed = false,
                _ => return Err("--signature must be fake or none".to_string()),
            },
            "--server" => options.server = Some(value.into()),
            "--mode" => match value.as_str() {
                "body" => options.idle = false,
                "idle" => options.idle = true,
                _ => return Err("--mode must be body or idle".to_string()),
            },
            "--nofile" => options.nofile = Some(number()?),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(options)
}

/// The resident set size of `pid` in KiB.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("?".to_string(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(err) => {
            eprintln!("http_hostile: {err}");
            return ExitCode::from(2);
        }
    };
    let server_path = options.server.clone().unwrap_or_else(|| {
        let exe = std::env::current_exe().expect("own path");
        exe.parent()
            .and_then(|p| p.parent())
            .map(|p| p.join("briefing-bot"))
            .expect("target directory")
    });
    let key = Key::from_seed(43);
    let mut server = match options.nofile {
        Some(n) => {
            let mut command = Command::new("prlimit");
            command
                .arg(format!("--nofile={n}"))
                .arg("--")
                .arg(&server_path);
            command
        }
        None => Command::new(&server_path),
    };
    let mut server = server
        .args(["serve-http", "--listen", "127.0.0.1:0"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DATA_DIR", "data")
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_PUBLIC_KEY", key.public_hex())
        .env("DISCORD_HTTP_PROXY", "http://127.0.0.1:9")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the server");
    let pid = server.id();
    let stderr = server.stderr.take().expect("stderr");
    let (address_tx, address_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.split("answering interactions on http://").nth(1) {
                let _ = address_tx.send(rest.trim_end_matches("/interactions").to_string());
            } else {
                eprintln!("server: {line}");
            }
        }
    });
    let Ok(address) = address_rx.recv_timeout(Duration::from_secs(60)) else {
        eprintln!("http_hostile: the server did not start");
        let _ = server.kill();
        let _ = server.wait();
        return ExitCode::from(1);
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = rss_kib(pid);

    let signature = "ab".repeat(64);
    let mut head = format!("POST /interactions HTTP/1.1\r\nHost: {address}\r\n");
    if options.signed {
        head.push_str(&format!(
            "X-Signature-Ed25519: {signature}\r\nX-Signature-Timestamp: {}\r\n",
            unix_now()
        ));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", options.body));
    let request = Arc::new([head.into_bytes(), vec![b'x'; options.body]].concat());
    let release = Arc::new(tokio::sync::Notify::new());
    let (held_tx, mut held_rx) = tokio::sync::mpsc::channel(options.connections);
    let mut clients = Vec::new();
    for _ in 0..options.connections {
        let (request, release, held) =
            (Arc::clone(&request), Arc::clone(&release), held_tx.clone());
        let (address, idle) = (address.clone(), options.idle);
        clients.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(&address).await.ok()?;
            let notified = release.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let (most, last) = if idle {
                (&[][..], &[][..])
            } else {
                request.split_at(request.len() - 1)
            };
            let _ = stream.write_all(most).await;
            let _ = held.send(()).await;
            notified.await;
            if idle {
                let mut buffer = [0u8; 1];
                let open = tokio::time::timeout(Duration::from_millis(1), stream.read(&mut buffer))
                    .await
                    .is_err();
                return Some(if open { "still open" } else { "closed" }.to_string());
            }
            let _ = stream.write_all(last).await;
            let mut answer = [0u8; 12];
            let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut answer));
            let status = match read.await {
                Ok(Ok(n)) if n >= 12 => String::from_utf8_lossy(&answer[9..12]).into_owned(),
                _ => "closed".to_string(),
            };
            Some(status)
        }));
    }
    drop(held_tx);
    let started = Instant::now();
    let mut held = 0;
    while held < options.connections {
        match tokio::time::timeout(Duration::from_secs(30), held_rx.recv()).await {
            Ok(Some(())) => held += 1,
            _ => break,
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let during = rss_kib(pid);
    let ping = br#"{"id":"1","application_id":"200","type":1,"token":"t","version":1}"#;
    let asked = Instant::now();
    let pinged = match tokio::time::timeout(Duration::from_secs(10), async {
        let mut client = signed_http::Client::connect(&address).await?;
        client
            .post(
                "/interactions",
                &signed_http::signed_headers(&key, ping),
                ping,
            )
            .await
    })
    .await
    {
        Ok(Ok(response)) => format!("{} in {} ms", response.status, asked.elapsed().as_millis()),
        Ok(Err(err)) => format!("failed after {} ms ({err})", asked.elapsed().as_millis()),
        Err(_) => "no answer in 10 s".to_string(),
    };
    release.notify_waiters();
    let mut outcomes = std::collections::BTreeMap::new();
    for client in clients {
        let outcome = client
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| "no connection".to_string());
        *outcomes.entry(outcome).or_insert(0) += 1;
    }
    let burst = started.elapsed();
    tokio::time::sleep(Duration::from_secs(options.settle)).await;
    let after = rss_kib(pid);

    let signalled = Instant::now();
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let mut exit = None;
    for _ in 0..1000 {
        if let Ok(Some(status)) = server.try_wait() {
            exit = Some((status, signalled.elapsed()));
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    if exit.is_none() {
        let _ = server.kill();
        let _ = server.wait();
    }
    let what = if options.idle {
        "idle (silent)".to_string()
    } else {
        format!(
            "{}-byte bodies, signature {}",
            options.body,
            if options.signed { "fake" } else { "none" }
        )
    };
    println!(
        "{} connections, {what}{}: burst {:.1} s, outcomes {outcomes:?}",
        options.connections,
        options
            .nofile
            .map_or(String::new(), |n| format!(", server nofile {n}")),
        burst.as_secs_f64()
    );
    println!("a real signed PING during the burst: {pinged}");
    println!(
        "RSS before {}, during {} ({held} held), after {} ({} s later)",
        mib(before),
        mib(during),
        mib(after),
        options.settle
    );
    match exit {
        Some((status, took)) => {
            println!("SIGTERM → exit {status} in {} ms", took.as_millis());
            ExitCode::SUCCESS
        }
        None => {
            println!("SIGTERM → no exit in 10 s (killed)");
            ExitCode::from(1)
        }
    }
}
