//! `POST /interactions` over real TCP on 127.0.0.1, signed with a generated key pair as Discord
//! signs: a PING, a slash command, an autocomplete and a button answered exactly as the gateway
//! core answers them; every refusal with its status (bad signature, wrong key, replayed
//! timestamp, oversized body with and without Content-Length, malformed JSON, unknown type);
//! `/healthz`; the deferred path through the REST API; buttons answered by another instance;
//! and garbage that never takes the server down.

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/fake_discord.rs"]
mod fake_discord;
#[path = "support/signed_http.rs"]
mod signed_http;

use std::sync::Arc;
use std::time::Duration;

use briefing_bot::app::App;
use briefing_bot::config::Config;
use briefing_bot::corpus::Corpus;
use briefing_bot::discord::gateway::Timing;
use briefing_bot::discord::interaction::respond;
use briefing_bot::http::endpoint::{self, Endpoint, MAX_BODY};
use briefing_bot::http::rest;
use fake_discord::{APPLICATION_ID, FakeDiscord, TOKEN, payload};
use serde_json::{Value, json};
use signed_http::{Client, Framing, Key, Response, signed_headers, signed_headers_at};

fn ping() -> Value {
    json!({"id": "1300000000000000009", "application_id": APPLICATION_ID, "type": 1,
           "token": "interaction-token-ping", "version": 1})
}

/// One endpoint instance on 127.0.0.1, stopped when dropped.
struct Server {
    address: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// Serves `corpus`, verifying with `key`; follow-ups go to `rest_url`.
async fn start(corpus: Corpus, key: &Key, rest_url: &str, timing: Timing) -> Server {
    let config = Config::from_lookup(|name| match name {
        "DISCORD_TOKEN" => Some(TOKEN.to_string()),
        "DISCORD_HTTP_PROXY" => Some(rest_url.to_string()),
        _ => None,
    })
    .unwrap();
    let endpoint = Endpoint::new(
        Arc::new(App::from_corpus(corpus)),
        key.verifier(),
        Arc::new(rest::client(&config)),
        timing,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(endpoint::serve(listener, Arc::new(endpoint), async {
        let _ = stopped.await;
    }));
    Server {
        address,
        _stop: stop,
    }
}

/// No REST server behind it: nothing listens on port 9 of the loopback.
async fn start_plain(corpus: Corpus, key: &Key) -> Server {
    start(corpus, key, "http://127.0.0.1:9", Timing::default()).await
}

async fn post_signed(server: &Server, key: &Key, body: &Value) -> Response {
    let body = body.to_string().into_bytes();
    let mut client = Client::connect(&server.address).await.unwrap();
    client
        .post("/interactions", &signed_headers(key, &body), &body)
        .await
        .unwrap()
}

/// What the gateway core answers to the same payload.
fn core_answer(corpus: Corpus, payload: &Value) -> Value {
    let app = App::from_corpus(corpus);
    let interaction = serde_json::from_value(payload.clone()).unwrap();
    serde_json::to_value(respond(&app, &interaction)).unwrap()
}

#[tokio::test]
async fn a_ping_answers_pong_as_json() {
    let key = Key::from_seed(1);
    let server = start_plain(corpus::sample(), &key).await;
    let response = post_signed(&server, &key, &ping()).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.json(), json!({"type": 1}));
}

#[tokio::test]
async fn a_command_an_autocomplete_and_a_button_answer_as_the_gateway_does() {
    let key = Key::from_seed(2);
    let server = start_plain(corpus::talkative(60), &key).await;

    let mut command = payload("slash_command");
    command["data"]["name"] = json!("who");
    command["data"]["options"] = json!([{"name": "name", "type": 3, "value": "talker"}]);
    let mut autocomplete = payload("autocomplete");
    autocomplete["data"]["options"] =
        json!([{"name": "name", "type": 3, "value": "tom talkr", "focused": true}]);
    let mut button = payload("button");
    button["data"]["custom_id"] = json!("b1|n1|who|0talker");

    for (payload, response_type) in [(command, 4), (autocomplete, 8), (button, 7)] {
        let response = post_signed(&server, &key, &payload).await;
        assert_eq!(response.status, 200, "{}", response.text());
        assert_eq!(response.header("content-type"), Some("application/json"));
        let body = response.json();
        assert_eq!(body["type"], response_type, "{body:#}");
        assert_eq!(body, core_answer(corpus::talkative(60), &payload));
        if response_type != 8 {
            assert_eq!(
                body["data"]["allowed_mentions"],
                json!({"parse": [], "roles": [], "users": []})
            );
        }
    }
}

#[tokio::test]
async fn the_answer_to_the_recorded_command_mentions_nobody() {
    let key = Key::from_seed(3);
    let server = start_plain(corpus::sample(), &key).await;
    let response = post_signed(&server, &key, &payload("slash_command")).await;
    assert_eq!(response.status, 200);
    let body = response.json();
    assert_eq!(body["type"], 4);
    assert_eq!(
        body,
        core_answer(corpus::sample(), &payload("slash_command"))
    );
    assert!(
        body["data"]["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .contains("\\@everyone")
    );
}

#[tokio::test]
async fn every_refusal_has_its_status_code() {
    let key = Key::from_seed(4);
    let server = start_plain(corpus::sample(), &key).await;
    let body = ping().to_string().into_bytes();
    let mut client = Client::connect(&server.address).await.unwrap();

    // A signature that does not match: one hex digit changed.
    let mut headers = signed_headers(&key, &body);
    let flipped = if headers[0].1.starts_with('0') {
        "1"
    } else {
        "0"
    };
    headers[0].1.replace_range(0..1, flipped);
    let response = client.post("/interactions", &headers, &body).await.unwrap();
    assert_eq!(
        (response.status, response.body.len()),
        (401, 0),
        "bad signature"
    );

    // Signed by another key.
    let other = Key::from_seed(5);
    let response = client
        .post("/interactions", &signed_headers(&other, &body), &body)
        .await
        .unwrap();
    assert_eq!(
        (response.status, response.body.len()),
        (401, 0),
        "wrong key"
    );

    // Correctly signed, but the body changed on the way.
    let headers = signed_headers(&key, &body);
    let response = client
        .post("/interactions", &headers, b"{\"type\":1 }")
        .await
        .unwrap();
    assert_eq!(response.status, 401, "tampered body");

    // No signature headers at all.
    let response = client.post("/interactions", &[], &body).await.unwrap();
    assert_eq!((response.status, response.body.len()), (401, 0), "unsigned");

    // A replay: correctly signed, six minutes ago (or ahead).
    for skew in [-360, 360] {
        let headers = signed_headers_at(&key, &body, signed_http::unix_now() + skew);
        let response = client.post("/interactions", &headers, &body).await.unwrap();
        assert_eq!(
            (response.status, response.body.len()),
            (401, 0),
            "skew {skew}"
        );
    }
    // Four minutes off is still accepted.
    let headers = signed_headers_at(&key, &body, signed_http::unix_now() - 240);
    let response = client.post("/interactions", &headers, &body).await.unwrap();
    assert_eq!(response.status, 200);

    // Malformed JSON and unknown types, correctly signed: 400 with a short reason.
    for (body, reason) in [
        (&b"{\"type\": 1"[..], "malformed JSON"),
        (b"", "malformed JSON"),
        (
            b"{\"type\": 42, \"id\": \"1\"}",
            "unknown interaction type 42",
        ),
        (b"{\"id\": \"1\"}", "the interaction type is missing"),
        (b"{\"type\": 2, \"id\": \"1\"}", "not a valid interaction"),
    ] {
        let response = client
            .post("/interactions", &signed_headers(&key, body), body)
            .await
            .unwrap();
        assert_eq!(response.status, 400, "{}", String::from_utf8_lossy(body));
        let text = response.text();
        assert!(text.starts_with(reason), "{text}");
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.len() < 300, "{text}");
    }

    // Wrong method, wrong path.
    let response = client.get("/interactions").await.unwrap();
    assert_eq!(response.status, 405);
    let response = client.get("/nope").await.unwrap();
    assert_eq!(response.status, 404);
}

#[tokio::test]
async fn a_body_over_64_kib_answers_413_with_or_without_content_length() {
    let key = Key::from_seed(6);
    let server = start_plain(corpus::sample(), &key).await;
    let mut big = ping();
    big["padding"] = json!("x".repeat(MAX_BODY));
    let body = big.to_string().into_bytes();
    assert!(body.len() > MAX_BODY);
    let headers = signed_headers(&key, &body);
    for framing in [Framing::ContentLength, Framing::Chunked(8 * 1024)] {
        let mut client = Client::connect(&server.address).await.unwrap();
        let response = client
            .request("POST", "/interactions", &headers, &body, framing)
            .await
            .unwrap();
        assert_eq!(response.status, 413, "{framing:?}: {}", response.text());
    }
    // A declared length over the limit is refused before any of the body is sent.
    let mut client = Client::connect(&server.address).await.unwrap();
    let response = tokio::time::timeout(
        Duration::from_secs(10),
        client.request(
            "POST",
            "/interactions",
            &headers,
            b"",
            Framing::Declared(10_000_000),
        ),
    )
    .await;
    let response = response
        .expect("answered without waiting for the body")
        .unwrap();
    assert_eq!(response.status, 413);
    // Just under the limit is read, verified and answered.
    let mut small = ping();
    small["padding"] = json!("x".repeat(MAX_BODY - 200));
    let body = small.to_string().into_bytes();
    assert!(body.len() <= MAX_BODY);
    let response = post_signed(&server, &key, &small).await;
    assert_eq!(response.status, 200, "{}", response.text());
}

#[tokio::test]
async fn healthz_reports_the_corpus_counts() {
    let key = Key::from_seed(7);
    let server = start_plain(corpus::sample(), &key).await;
    let mut client = Client::connect(&server.address).await.unwrap();
    let response = client.get("/healthz").await.unwrap();
    assert_eq!(response.status, 200);
    let body = response.json();
    assert_eq!(body["ok"], true);
    assert_eq!(
        body["counts"],
        serde_json::to_value(corpus::sample().counts()).unwrap()
    );
    assert!(body["counts"]["articles"].as_u64().unwrap() >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_answer_is_deferred_then_edited_in_through_rest() {
    let fake = FakeDiscord::start(Vec::new(), false).await;
    let key = Key::from_seed(8);
    let timing = Timing {
        defer_after: Duration::ZERO,
        ..Timing::default()
    };
    let server = start(corpus::talkative(60), &key, &fake.rest_url, timing).await;
    let mut command = payload("slash_command");
    command["data"]["name"] = json!("who");
    command["data"]["options"] = json!([
        {"name": "name", "type": 3, "value": "talker"},
        {"name": "ephemeral", "type": 5, "value": true}
    ]);
    let response = post_signed(&server, &key, &command).await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.json(),
        json!({"type": 5, "data": {"attachments": [], "flags": 64}})
    );

    let mut button = payload("button");
    button["data"]["custom_id"] = json!("b1|n1|who|0talker");
    let response = post_signed(&server, &key, &button).await;
    assert_eq!(response.json(), json!({"type": 6, "data": null}));

    let edited = fake
        .wait_for(Duration::from_secs(20), |log| {
            log.requests.iter().filter(|r| r.method == "PATCH").count() >= 2
        })
        .await;
    assert!(edited, "{:#?}", fake.requests());
    let mut patches: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    patches.sort_by(|a, b| a.path.cmp(&b.path));
    // The application id comes from the (signed) interaction: there is no READY here.
    assert_eq!(
        patches[0].path,
        format!("/api/v10/webhooks/{APPLICATION_ID}/interaction-token-button/messages/@original")
    );
    assert_eq!(
        patches[1].path,
        format!("/api/v10/webhooks/{APPLICATION_ID}/interaction-token-command/messages/@original")
    );
    for patch in &patches {
        assert_eq!(
            patch.authorization.as_deref(),
            Some(format!("Bot {TOKEN}").as_str())
        );
        assert_eq!(
            patch.body["allowed_mentions"],
            json!({"parse": [], "roles": [], "users": []})
        );
        let title = patch.body["embeds"][0]["title"].as_str().unwrap();
        assert!(title.contains("Tom Talker"), "{title}");
    }
    // The button asked for page 2.
    let footer = patches[0].body["embeds"][0]["footer"]["text"]
        .as_str()
        .unwrap();
    assert!(footer.contains("Page 2"), "{footer}");
}

/// Stateless: a button from one instance's answer works on another that never saw the command.
#[tokio::test]
async fn a_button_from_one_instance_works_on_another() {
    let key = Key::from_seed(9);
    let first = start_plain(corpus::talkative(60), &key).await;
    let second = start_plain(corpus::talkative(60), &key).await;
    let mut command = payload("slash_command");
    command["data"]["name"] = json!("who");
    command["data"]["options"] = json!([{"name": "name", "type": 3, "value": "talker"}]);
    let answer = post_signed(&first, &key, &command).await.json();
    let buttons = answer["data"]["components"][0]["components"]
        .as_array()
        .unwrap()
        .clone();
    let next = buttons
        .iter()
        .find(|b| b["label"].as_str().is_some_and(|l| l.contains("Next")))
        .unwrap_or_else(|| panic!("no Next button: {buttons:#?}"));
    let mut button = payload("button");
    button["data"]["custom_id"] = next["custom_id"].clone();
    let on_first = post_signed(&first, &key, &button).await.json();
    let on_second = post_signed(&second, &key, &button).await.json();
    assert_eq!(on_first["type"], 7);
    assert_eq!(on_first, on_second);
    assert_ne!(on_first["data"]["embeds"], answer["data"]["embeds"]);
}

/// Signed garbage (fixtures with fields removed, retyped or cut short) gets 200 or 400, never
/// a dropped connection, and the server still answers afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_garbage_never_takes_the_server_down() {
    let key = Key::from_seed(10);
    let server = start_plain(corpus::sample(), &key).await;
    let mut client = Client::connect(&server.address).await.unwrap();
    let replacements = [
        json!(null),
        json!(-1),
        json!("x"),
        json!([]),
        json!({}),
        json!(1e300),
        json!("b1|n99999999999999999999|who|0x"),
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut sent = 0;
    for name in ["slash_command", "autocomplete", "button"] {
        let original = payload(name);
        let paths = leaf_paths(&original, String::new());
        for _ in 0..60 {
            let mut mutated = original.clone();
            let path = &paths[(random() as usize) % paths.len()];
            let replacement = &replacements[(random() as usize) % replacements.len()];
            *mutated.pointer_mut(path).unwrap() = replacement.clone();
            let mut body = mutated.to_string().into_bytes();
            if random() % 4 == 0 {
                body.truncate((random() as usize) % body.len());
            }
            let response = client
                .post("/interactions", &signed_headers(&key, &body), &body)
                .await
                .unwrap_or_else(|err| panic!("{path} = {replacement}: {err}"));
            assert!(
                [200, 400].contains(&response.status),
                "{path} = {replacement}: {} {}",
                response.status,
                response.text()
            );
            sent += 1;
        }
    }
    assert_eq!(sent, 180);
    assert_eq!(post_signed(&server, &key, &ping()).await.status, 200);
}

fn leaf_paths(value: &Value, at: String) -> Vec<String> {
    let mut paths = vec![at.clone()];
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                paths.extend(leaf_paths(child, format!("{at}/{key}")));
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                paths.extend(leaf_paths(child, format!("{at}/{i}")));
            }
        }
        _ => {}
    }
    paths
}

/// A small version of the load run: 200 signed requests on 8 connections, all answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_signed_requests_all_succeed() {
    let key = Arc::new(Key::from_seed(11));
    let server = start_plain(corpus::sample(), &key).await;
    let mut autocomplete = payload("autocomplete");
    autocomplete["data"]["options"] =
        json!([{"name": "name", "type": 3, "value": "mao", "focused": true}]);
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        [
            ping(),
            payload("slash_command"),
            autocomplete,
            payload("button"),
        ]
        .iter()
        .map(|v| v.to_string().into_bytes())
        .collect(),
    );
    let mut tasks = Vec::new();
    for worker in 0..8 {
        let (key, bodies, address) = (
            Arc::clone(&key),
            Arc::clone(&bodies),
            server.address.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(&address).await.unwrap();
            let mut ok = 0;
            for i in 0..25 {
                let body = &bodies[(worker + i) % bodies.len()];
                let response = client
                    .post("/interactions", &signed_headers(&key, body), body)
                    .await
                    .unwrap();
                assert_eq!(response.status, 200, "{}", response.text());
                ok += 1;
            }
            ok
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    assert_eq!(total, 200);
}
