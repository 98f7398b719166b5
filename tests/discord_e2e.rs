//! The real serenity `Client`, as `briefing-bot run` builds it, against a fake Discord on
//! 127.0.0.1 (tests/support/fake_discord.rs): it registers the command table on the guild by
//! bulk overwrite, and answers a slash command, an autocomplete and a page button.

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/fake_discord.rs"]
mod fake_discord;

use std::sync::Arc;
use std::time::Duration;

use briefing_bot::app::App;
use briefing_bot::cmd::COMMANDS;
use briefing_bot::config::Config;
use briefing_bot::discord::gateway::{self, RunError, Timing};
use fake_discord::{APPLICATION_ID, FakeDiscord, TOKEN, payload};
use serde_json::{Value, json};

fn config(fake: &FakeDiscord) -> Config {
    let proxy = fake.rest_url.clone();
    Config::from_lookup(move |name| match name {
        "DISCORD_TOKEN" => Some(TOKEN.to_string()),
        "DISCORD_GUILD_ID" => Some("300".to_string()),
        "DISCORD_HTTP_PROXY" => Some(proxy.clone()),
        _ => None,
    })
    .unwrap()
}

fn interactions() -> Vec<Value> {
    let mut command = payload("slash_command");
    command["data"]["name"] = json!("who");
    command["data"]["options"] = json!([
        {"name": "name", "type": 3, "value": "talker"},
        {"name": "ephemeral", "type": 5, "value": true}
    ]);
    let mut autocomplete = payload("autocomplete");
    autocomplete["data"]["options"] =
        json!([{"name": "name", "type": 3, "value": "tom talkr", "focused": true}]);
    let mut button = payload("button");
    button["data"]["custom_id"] = json!("b1|n1|who|0talker");
    vec![command, autocomplete, button]
}

fn callbacks(fake: &FakeDiscord) -> Vec<(String, Value)> {
    let mut callbacks: Vec<(String, Value)> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/callback"))
        .map(|r| (r.path, r.body))
        .collect();
    // Events are handled on separate tasks: order by interaction id.
    callbacks.sort_by(|a, b| a.0.cmp(&b.0));
    callbacks
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_client_registers_and_answers_a_command_an_autocomplete_and_a_button() {
    let fake = FakeDiscord::start(interactions(), false).await;
    let config = config(&fake);
    let app = Arc::new(App::from_corpus(corpus::talkative(60)));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let bot = tokio::spawn(async move {
        gateway::run(app, &config, Timing::default(), None, async {
            let _ = stopped.await;
        })
        .await
    });

    let answered = fake
        .wait_for(Duration::from_secs(30), |log| {
            let callbacks = log
                .requests
                .iter()
                .filter(|r| r.path.ends_with("/callback"))
                .count();
            let registered = log.requests.iter().any(|r| r.method == "PUT");
            callbacks >= 3 && registered
        })
        .await;
    let _ = stop.send(());
    let stopped = tokio::time::timeout(Duration::from_secs(15), bot).await;
    assert!(answered, "requests: {:#?}", fake.requests());
    let result = stopped.expect("the bot stops on shutdown").unwrap();
    assert!(result.is_ok(), "{result:?}");

    let requests = fake.requests();
    // Every REST call carried the token, and none hit a route the fake does not know.
    for request in &requests {
        assert_eq!(
            request.authorization.as_deref(),
            Some(format!("Bot {TOKEN}").as_str()),
            "{} {}",
            request.method,
            request.path
        );
        assert!(
            !request.path.contains("/webhooks/"),
            "no follow-up or edit expected: {}",
            request.path
        );
    }
    let identify = fake.log.lock().unwrap().identify.clone().unwrap();
    assert_eq!(identify["intents"], 0, "no privileged (or any) intent");

    // Registration: one bulk overwrite of the guild's commands with the whole table.
    let puts: Vec<_> = requests.iter().filter(|r| r.method == "PUT").collect();
    assert_eq!(puts.len(), 1);
    assert_eq!(
        puts[0].path,
        format!("/api/v10/applications/{APPLICATION_ID}/guilds/300/commands")
    );
    let names: Vec<&str> = puts[0]
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
    assert_eq!(names, expected);

    let callbacks = callbacks(&fake);
    assert_eq!(callbacks.len(), 3, "{callbacks:#?}");
    for (path, body) in &callbacks {
        println!("answered {path}: response type {}", body["type"]);
    }

    let (path, command) = &callbacks[0];
    assert_eq!(
        path,
        "/api/v10/interactions/1300000000000000001/interaction-token-command/callback"
    );
    assert_eq!(command["type"], 4);
    assert_eq!(
        command["data"]["flags"], 64,
        "the fixture asks for ephemeral"
    );
    assert_eq!(
        command["data"]["allowed_mentions"],
        json!({"parse": [], "users": [], "roles": []})
    );
    assert_eq!(command["data"]["embeds"][0]["title"], "Tom Talker");
    assert_eq!(
        command["data"]["components"][0]["components"][1]["custom_id"],
        "b1|n1|who|0talker"
    );

    let (path, autocomplete) = &callbacks[1];
    assert!(path.contains("/1300000000000000002/interaction-token-autocomplete/"));
    assert_eq!(
        autocomplete,
        &json!({"type": 8, "data": {"choices": [
            {"name": "Tom Talker (Spokesperson, Nowhere)", "value": "talker"}
        ]}})
    );

    let (path, button) = &callbacks[2];
    assert!(path.contains("/1300000000000000003/interaction-token-button/"));
    assert_eq!(button["type"], 7);
    let footer = button["data"]["embeds"][0]["footer"]["text"]
        .as_str()
        .unwrap();
    assert!(footer.contains("Page 2 of "), "{footer}");
    assert_eq!(
        button["data"]["components"][0]["components"][0]["custom_id"],
        "b1|p0|who|0talker"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_answer_is_deferred_then_edited_in() {
    let mut command = payload("slash_command");
    command["data"]["name"] = json!("who");
    command["data"]["options"] = json!([
        {"name": "name", "type": 3, "value": "talker"},
        {"name": "ephemeral", "type": 5, "value": true}
    ]);
    let fake = FakeDiscord::start(vec![command], false).await;
    let config = config(&fake);
    let app = Arc::new(App::from_corpus(corpus::talkative(60)));
    let timing = Timing {
        defer_after: Duration::ZERO,
        ..Timing::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let bot = tokio::spawn(async move {
        gateway::run(app, &config, timing, None, async {
            let _ = stopped.await;
        })
        .await
    });
    let edited = fake
        .wait_for(Duration::from_secs(30), |log| {
            log.requests.iter().any(|r| r.method == "PATCH")
        })
        .await;
    let _ = stop.send(());
    let stopped = tokio::time::timeout(Duration::from_secs(15), bot).await;
    assert!(edited, "requests: {:#?}", fake.requests());
    assert!(stopped.expect("the bot stops").unwrap().is_ok());

    let requests = fake.requests();
    let deferral = requests
        .iter()
        .find(|r| r.path.ends_with("/callback"))
        .unwrap();
    // serenity adds the client's default allowed_mentions (none) to every response.
    assert_eq!(
        deferral.body,
        json!({"type": 5, "data": {"flags": 64, "attachments": [],
               "allowed_mentions": {"parse": [], "users": [], "roles": []}}})
    );
    let edit = requests.iter().find(|r| r.method == "PATCH").unwrap();
    assert_eq!(
        edit.path,
        format!("/api/v10/webhooks/{APPLICATION_ID}/interaction-token-command/messages/@original")
    );
    assert_eq!(edit.body["embeds"][0]["title"], "Tom Talker");
    assert_eq!(
        edit.body["allowed_mentions"],
        json!({"parse": [], "users": [], "roles": []})
    );
    assert_eq!(
        edit.body["components"][0]["components"][1]["custom_id"],
        "b1|n1|who|0talker"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_discord_rejects_is_reported_as_such() {
    let fake = FakeDiscord::start(Vec::new(), true).await;
    let config = config(&fake);
    let app = Arc::new(App::from_corpus(corpus::sample()));
    let result = tokio::time::timeout(
        Duration::from_secs(15),
        gateway::run(
            app,
            &config,
            Timing::default(),
            None,
            std::future::pending(),
        ),
    )
    .await
    .expect("a rejected token stops the bot");
    match result {
        Err(err @ RunError::TokenRejected(_)) => {
            let line = err.to_string();
            assert!(line.starts_with("DISCORD_TOKEN was rejected"), "{line}");
            assert!(!line.contains(TOKEN), "{line}");
        }
        other => panic!("expected a rejected token, got {other:?}"),
    }
}

/// The built binary, configured only through the environment, connects, registers, and on
/// SIGTERM closes its shard and exits 0; with every log level on, the token never shows.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_runs_until_sigterm_and_never_logs_the_token() {
    let fake = FakeDiscord::start(interactions(), false).await;
    let db = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_briefing-bot"))
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DATA_DIR", "data")
        .env("DATABASE_PATH", db.path().join("briefing.db"))
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_GUILD_ID", "300")
        .env("DISCORD_HTTP_PROXY", &fake.rest_url)
        .env("RUST_LOG", "trace")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Drain the log as it comes, so a full pipe never blocks the bot.
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut log = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut log);
        log
    });
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
    let output = reader.join().unwrap();
    let log = String::from_utf8_lossy(&output);
    let status = status.unwrap_or_else(|| panic!("no exit 15 s after SIGTERM; log:\n{log}"));
    assert!(answered, "requests: {:#?}\nlog:\n{log}", fake.requests());
    assert_eq!(status.code(), Some(0), "log:\n{log}");
    assert!(log.contains("SIGTERM received"), "log:\n{log}");
    assert!(
        log.contains("commands registered on the server"),
        "log:\n{log}"
    );
    assert!(log.contains("TRACE"), "every log level is on");
    assert!(!log.contains(TOKEN), "the token reached the log");
    assert!(
        !log.contains("fake-token-for-tests"),
        "part of the token reached the log"
    );
}

/// `run --shards 1-1 --shard-total 2`: the process identifies as shard 1 of 2 only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shard_range_identifies_as_those_shards_of_the_total() {
    let fake = FakeDiscord::start(Vec::new(), false).await;
    let mut config = config(&fake);
    config.shards = Some(briefing_bot::config::Shards {
        first: 1,
        last: 1,
        total: 2,
    });
    let app = Arc::new(App::from_corpus(corpus::talkative(5)));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let bot = tokio::spawn(async move {
        gateway::run(app, &config, Timing::default(), None, async {
            let _ = stopped.await;
        })
        .await
    });
    let identified = fake
        .wait_for(Duration::from_secs(30), |log| log.identify.is_some())
        .await;
    let _ = stop.send(());
    let stopped = tokio::time::timeout(Duration::from_secs(15), bot).await;
    assert!(identified, "requests: {:#?}", fake.requests());
    let identify = fake.log.lock().unwrap().identify.clone().unwrap();
    assert_eq!(identify["shard"], json!([1, 2]), "{identify}");
    let result = stopped.expect("the bot stops on shutdown").unwrap();
    assert!(result.is_ok(), "{result:?}");
}
