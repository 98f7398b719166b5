//! Load run for `briefing-bot serve-http`: starts the release binary as its own process on
//! 127.0.0.1 with a generated key pair, sends signed requests over keep-alive connections
//! with bounded concurrency and a time limit, and prints errors, requests per second and
//! latency percentiles.
//!
//! ```sh
//! cargo build --release && cargo run --release --example http_load -- --requests 10000 --concurrency 16
//! ```
//!
//! Flags: `--requests N` (10000), `--concurrency N` (16), `--time-limit SECONDS` (120),
//! `--data DIR` (data), `--mix all|ping|command|autocomplete|button` (all: the four in turn),
//! `--server PATH` (default: the `briefing-bot` next to this example's target directory).
//! Exit status 1 when any request failed or the time limit cut the run short.

#[path = "../tests/support/signed_http.rs"]
mod signed_http;

use std::io::{BufRead, BufReader};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use signed_http::{Client, Key, signed_headers};

const TOKEN: &str = "MTAwMDAwMDAwMDAwMDAwMDAw.GabCdE.load-run-token_0123456789";

struct Options {
    requests: usize,
    concurrency: usize,
    time_limit: Duration,
    data: String,
    mix: String,
    server: Option<std::path::PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        requests: 10_000,
        concurrency: 16,
        time_limit: Duration::from_secs(120),
        data: "data".to_string(),
        mix: "all".to_string(),
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
            "--requests" => options.requests = number()?,
            "--concurrency" => options.concurrency = number()?.max(1),
            "--time-limit" => options.time_limit = Duration::from_secs(number()? as u64),
            "--data" => options.data = value,
            "--mix" => options.mix = value,
            "--server" => options.server = Some(value.into()),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(options)
}

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/discord/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("fixture JSON")
}

/// The request bodies, sent in turn.
fn bodies(mix: &str) -> Vec<(&'static str, Vec<u8>)> {
    let ping = json!({"id": "1", "application_id": "200", "type": 1, "token": "t", "version": 1});
    let mut command = fixture("slash_command");
    command["data"]["name"] = json!("who");
    command["data"]["options"] = json!([{"name": "name", "type": 3, "value": "mao ning"}]);
    let mut autocomplete = fixture("autocomplete");
    autocomplete["data"]["options"] =
        json!([{"name": "name", "type": 3, "value": "riabkof", "focused": true}]);
    let button = fixture("button");
    let all = [
        ("ping", ping),
        ("command", command),
        ("autocomplete", autocomplete),
        ("button", button),
    ];
    all.into_iter()
        .filter(|(name, _)| mix == "all" || mix == *name)
        .map(|(name, value)| (name, value.to_string().into_bytes()))
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(err) => {
            eprintln!("http_load: {err}");
            return ExitCode::from(2);
        }
    };
    let bodies = bodies(&options.mix);
    if bodies.is_empty() {
        eprintln!("http_load: --mix must be all, ping, command, autocomplete or button");
        return ExitCode::from(2);
    }
    // target/<profile>/examples/http_load → target/<profile>/briefing-bot
    let server_path = options.server.clone().unwrap_or_else(|| {
        let exe = std::env::current_exe().expect("own path");
        exe.parent()
            .and_then(|p| p.parent())
            .map(|p| p.join("briefing-bot"))
            .expect("target directory")
    });
    let key = Key::from_seed(42);
    let mut server = Command::new(&server_path)
        .args([
            "serve-http",
            "--listen",
            "127.0.0.1:0",
            "--data",
            &options.data,
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_PUBLIC_KEY", key.public_hex())
        .env("DISCORD_HTTP_PROXY", "http://127.0.0.1:9")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| {
            panic!(
                "{}: {err} (cargo build --release first)",
                server_path.display()
            )
        });
    let stderr = server.stderr.take().expect("piped stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("answering interactions on http://").nth(1) {
                let _ = tx.send(rest.trim_end_matches("/interactions").to_string());
            } else {
                eprintln!("server: {line}");
            }
        }
    });
    let Ok(address) = rx.recv_timeout(Duration::from_secs(120)) else {
        eprintln!("http_load: the server did not start");
        let _ = server.kill();
        let _ = server.wait();
        return ExitCode::from(1);
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let report = runtime.block_on(run(&options, &address, Arc::new(key), Arc::new(bodies)));

    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let stopped = server.wait();

    let Report {
        mut latencies,
        errors,
        elapsed,
        first_error,
    } = report;
    latencies.sort();
    let done = latencies.len();
    println!(
        "requests: {done} ok, {errors} errors, in {:.2} s ({} connections, mix {})",
        elapsed.as_secs_f64(),
        options.concurrency,
        options.mix
    );
    println!(
        "throughput: {:.0} requests/s",
        done as f64 / elapsed.as_secs_f64()
    );
    println!(
        "latency: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        percentile(&latencies, 50.0).as_secs_f64() * 1e3,
        percentile(&latencies, 90.0).as_secs_f64() * 1e3,
        percentile(&latencies, 99.0).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
    if let Some(error) = first_error {
        println!("first error: {error}");
    }
    println!(
        "server: {}",
        match stopped {
            Ok(status) => format!("exited with {status} after SIGTERM"),
            Err(err) => format!("wait failed: {err}"),
        }
    );
    if errors == 0 && done == options.requests {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

struct Report {
    latencies: Vec<Duration>,
    errors: usize,
    elapsed: Duration,
    first_error: Option<String>,
}

async fn run(
    options: &Options,
    address: &str,
    key: Arc<Key>,
    bodies: Arc<Vec<(&'static str, Vec<u8>)>>,
) -> Report {
    let next = Arc::new(AtomicUsize::new(0));
    let total = options.requests;
    let deadline = tokio::time::Instant::now() + options.time_limit;
    let start = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..options.concurrency {
        let (next, key, bodies, address) = (
            Arc::clone(&next),
            Arc::clone(&key),
            Arc::clone(&bodies),
            address.to_string(),
        );
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            let mut first_error = None;
            let mut client = None;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total || tokio::time::Instant::now() > deadline {
                    break;
                }
                let (kind, body) = &bodies[i % bodies.len()];
                let headers = signed_headers(&key, body);
                let began = Instant::now();
                if client.is_none() {
                    client = Client::connect(&address).await.ok();
                }
                let result = match client.as_mut() {
                    Some(c) => {
                        tokio::time::timeout_at(deadline, c.post("/interactions", &headers, body))
                            .await
                            .map_err(|_| "time limit".to_string())
                            .and_then(|r| r.map_err(|err| err.to_string()))
                    }
                    None => Err("could not connect".to_string()),
                };
                match result {
                    Ok(response) if response.status == 200 => latencies.push(began.elapsed()),
                    Ok(response) => {
                        errors += 1;
                        first_error.get_or_insert(format!(
                            "{kind}: HTTP {} {}",
                            response.status,
                            response.text()
                        ));
                    }
                    Err(err) => {
                        errors += 1;
                        client = None;
                        first_error.get_or_insert(format!("{kind}: {err}"));
                    }
                }
            }
            (latencies, errors, first_error)
        }));
    }
    let mut report = Report {
        latencies: Vec::with_capacity(total),
        errors: 0,
        elapsed: Duration::ZERO,
        first_error: None,
    };
    for worker in workers {
        if let Ok((latencies, errors, first_error)) = worker.await {
            report.latencies.extend(latencies);
            report.errors += errors;
            if report.first_error.is_none() {
                report.first_error = first_error;
            }
        }
    }
    report.elapsed = start.elapsed();
    report
}
