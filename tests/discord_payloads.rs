//! Recorded Discord interaction payloads (tests/fixtures/discord/) deserialized into serenity's
//! `Interaction`, and the exact response JSON the bot builds for each: embeds, flags,
//! allowed_mentions, choices and components.

#[path = "support/corpus.rs"]
mod corpus;

use std::time::{Duration, Instant};

use briefing_bot::app::App;
use briefing_bot::discord::interaction::respond;
use serde_json::{Value, json};
use serenity::all::Interaction;

fn payload(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/discord/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{path}: {err}"))
}

fn interaction(payload: Value) -> Interaction {
    serde_json::from_value(payload).unwrap_or_else(|err| panic!("not an Interaction: {err}"))
}

fn response(app: &App, payload: Value) -> Value {
    serde_json::to_value(respond(app, &interaction(payload))).unwrap()
}

const NO_MENTIONS: fn() -> Value = || json!({"parse": [], "roles": [], "users": []});

#[test]
fn a_slash_command_echoes_mentions_and_markdown_harmlessly_and_quietly() {
    let app = App::from_corpus(corpus::sample());
    let answer = response(&app, payload("slash_command"));
    let suggestion = |id: &str, label: &str| {
        json!({"custom_id": format!("b1|s0|who|0{id}"), "disabled": false, "label": label,
               "style": 1, "type": 2})
    };
    assert_eq!(
        answer,
        json!({
            "type": 4,
            "data": {
                "allowed_mentions": NO_MENTIONS(),
                "attachments": [],
                "components": [{"type": 1, "components": [
                    suggestion("sergei-ryabkov", "Sergei Ryabkov (Deputy Foreign Minister, Russia)"),
                    suggestion("mao-ning", "Mao Ning (Foreign Ministry Spokesperson, China)"),
                    suggestion("ma-zhaoxu", "Ma Zhaoxu (Vice Foreign Minister, China)"),
                ]}],
                "embeds": [{
                    "color": 0xc05621,
                    "description": "No person, context item, article or statement matches these words.",
                    "title": "Nothing matches \u{201c}\\@everyone \\*now\\*\u{201d}",
                    "type": "rich"
                }],
                "flags": 64
            }
        })
    );
}

#[test]
fn ephemeral_defaults_to_the_configured_value() {
    let mut payload = payload("slash_command");
    payload["data"]["options"] = json!([{"name": "query", "type": 3, "value": "jcpoa"}]);
    let mut app = App::from_corpus(corpus::sample());
    assert_eq!(response(&app, payload.clone())["data"].get("flags"), None);
    app.ephemeral_default = true;
    assert_eq!(response(&app, payload)["data"]["flags"], 64);
}

#[test]
fn autocomplete_offers_fuzzy_choices() {
    let app = App::from_corpus(corpus::sample());
    assert_eq!(
        response(&app, payload("autocomplete")),
        json!({"type": 8, "data": {"choices": [
            {"name": "Sergei Ryabkov (Deputy Foreign Minister, Russia)", "value": "sergei-ryabkov"}
        ]}})
    );
}

#[test]
fn autocomplete_answers_any_input_within_limits_and_quickly() {
    let app = App::from_corpus(corpus::sample());
    let inputs = [
        String::new(),
        " ".to_string(),
        "m".to_string(),
        "@everyone".to_string(),
        "ж".repeat(6000),
        "🙂".repeat(200),
        "a b c d e f g h i j k l m n o p".to_string(),
        "\u{0}\u{200b}\\\"".to_string(),
    ];
    for (option, command) in [
        ("name", "who"),
        ("topic", "statements"),
        ("article", "statements"),
    ] {
        for input in &inputs {
            let mut payload = payload("autocomplete");
            payload["data"]["name"] = json!(command);
            payload["data"]["options"] =
                json!([{"name": option, "type": 3, "value": input, "focused": true}]);
            let started = Instant::now();
            let answer = response(&app, payload);
            let took = started.elapsed();
            assert!(
                took < Duration::from_millis(500),
                "{command} {option}: {took:?}"
            );
            assert_eq!(answer["type"], 8);
            let choices = answer["data"]["choices"].as_array().unwrap();
            assert!(choices.len() <= 25);
            for choice in choices {
                let name = choice["name"].as_str().unwrap().chars().count();
                let value = choice["value"].as_str().unwrap().chars().count();
                assert!(
                    (1..=100).contains(&name) && (1..=100).contains(&value),
                    "{choice}"
                );
            }
            if input.is_empty() {
                assert!(
                    !choices.is_empty(),
                    "{command} {option}: an empty input lists something"
                );
            }
        }
    }
}

#[test]
fn a_did_you_mean_button_runs_the_command_for_the_one_picked() {
    let app = App::from_corpus(corpus::sample());
    let answer = response(&app, payload("button"));
    assert_eq!(answer["type"], 7);
    assert_eq!(answer["data"]["components"], json!([]));
    assert_eq!(answer["data"]["allowed_mentions"], NO_MENTIONS());
    assert_eq!(answer["data"].get("flags"), None);
    let embed = &answer["data"]["embeds"][0];
    assert_eq!(embed["title"], "Mao Ning");
    assert_eq!(
        embed["description"],
        "Foreign Ministry Spokesperson, Ministry of Foreign Affairs of the People's Republic of China\nCountry: China\nChinese Foreign Ministry spokesperson who announced the Beijing meeting on Thursday and explained China's goals for it."
    );
    let names: Vec<&str> = embed["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Also known as",
            "Appears in",
            "Events (1)",
            "Statements (5)",
            "Also there"
        ]
    );
    assert_eq!(
        embed["fields"][0],
        json!({"inline": false, "name": "Also known as",
               "value": "毛宁, Ning Mao, Mao, Spokesperson Mao Ning"})
    );
    assert_eq!(
        embed["footer"],
        json!({"text": "From \u{201c}China hosts Russia and Iran in Beijing for talks on the Iranian nuclear issue\u{201d} (2025-03-13)"})
    );
}

#[test]
fn a_long_answer_pages_with_buttons_that_carry_the_command() {
    let app = App::from_corpus(corpus::talkative(60));
    let mut command = payload("slash_command");
    command["data"]["name"] = json!("who");
    command["data"]["options"] = json!([{"name": "name", "type": 3, "value": "talker"}]);
    let first = response(&app, command);
    assert_eq!(first["type"], 4);
    let footer = first["data"]["embeds"][0]["footer"]["text"]
        .as_str()
        .unwrap();
    let pages: usize = footer.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(pages >= 3, "{footer}");
    assert_eq!(
        footer,
        format!("From \u{201c}A long talk\u{201d} (2025-03-13, Test Wire) · Page 1 of {pages}")
    );
    assert_eq!(
        first["data"]["components"],
        json!([{"type": 1, "components": [
            {"custom_id": "b1|p0|who|0talker", "disabled": true, "label": "Previous", "style": 2, "type": 2},
            {"custom_id": "b1|n1|who|0talker", "disabled": false, "label": "Next", "style": 2, "type": 2},
        ]}])
    );

    let mut click = payload("button");
    click["data"]["custom_id"] = json!("b1|n1|who|0talker");
    let second = response(&app, click);
    assert_eq!(second["type"], 7);
    assert_eq!(
        second["data"]["embeds"][0]["footer"]["text"],
        format!("From \u{201c}A long talk\u{201d} (2025-03-13, Test Wire) · Page 2 of {pages}")
    );
    assert_eq!(
        second["data"]["components"][0]["components"][0]["custom_id"],
        "b1|p0|who|0talker"
    );
    assert_eq!(
        second["data"]["components"][0]["components"][1]["custom_id"],
        "b1|n2|who|0talker"
    );
    assert_eq!(
        second["data"]["components"][0]["components"][0]["disabled"],
        false
    );
    assert_eq!(second["data"]["embeds"][0]["title"], "Tom Talker");
}

#[test]
fn a_foreign_button_gets_a_quiet_notice() {
    let app = App::from_corpus(corpus::sample());
    let mut click = payload("button");
    click["data"]["custom_id"] = json!("someone-else:42");
    let answer = response(&app, click);
    assert_eq!(answer["type"], 4);
    assert_eq!(answer["data"]["flags"], 64);
    assert_eq!(answer["data"]["allowed_mentions"], NO_MENTIONS());
    assert_eq!(
        answer["data"]["embeds"][0]["title"],
        "This button no longer works"
    );
}

#[test]
fn admin_commands_are_checked_again_against_the_member_permissions() {
    let app = App::from_corpus(corpus::sample());
    let mut command = payload("slash_command");
    command["data"]["name"] = json!("status");
    command["data"]["options"] = json!([]);
    // The fixture's member has View Channel and Send Messages only (3072).
    let refused = response(&app, command.clone());
    assert_eq!(refused["type"], 4);
    assert_eq!(
        refused["data"]["flags"], 64,
        "admin answers are always quiet"
    );
    assert_eq!(refused["data"]["embeds"][0]["title"], "Not allowed");

    command["member"]["permissions"] = json!("32"); // Manage Server
    let allowed = response(&app, command.clone());
    assert_eq!(allowed["data"]["flags"], 64);
    assert_ne!(allowed["data"]["embeds"][0]["title"], "Not allowed");

    // Outside a server there is no member, hence no permission.
    let mut direct = command;
    direct.as_object_mut().unwrap().remove("member");
    direct.as_object_mut().unwrap().remove("guild_id");
    direct["user"] = json!({"id": "500", "username": "asker", "discriminator": "0",
                            "global_name": "Asker", "avatar": null});
    direct["context"] = json!(1);
    let refused = response(&app, direct);
    assert_eq!(refused["data"]["embeds"][0]["title"], "Not allowed");

    // A button can carry an admin command too: checked the same way.
    let mut click = payload("button");
    click["data"]["custom_id"] = json!("b1|s0|status");
    assert_eq!(
        response(&app, click)["data"]["embeds"][0]["title"],
        "Not allowed"
    );
}

#[test]
fn a_usage_error_is_answered_not_dropped() {
    let app = App::from_corpus(corpus::sample());
    let mut command = payload("slash_command");
    command["data"]["name"] = json!("who");
    command["data"]["options"] = json!([]);
    let answer = response(&app, command);
    assert_eq!(answer["type"], 4);
    assert_eq!(answer["data"]["embeds"][0]["title"], "Usage");
}

#[test]
fn ask_autocompletes_with_questions_built_from_the_corpus() {
    let app = App::from_corpus(corpus::sample());
    let mut payload = payload("autocomplete");
    payload["data"]["name"] = json!("ask");
    payload["data"]["options"] =
        json!([{"name": "question", "type": 3, "value": "what did mao", "focused": true}]);
    let answer = response(&app, payload);
    assert_eq!(answer["type"], 8, "{answer}");
    let choices = answer["data"]["choices"].as_array().expect("choices");
    assert!(!choices.is_empty() && choices.len() <= 25, "{answer}");
    for choice in choices {
        let value = choice["value"].as_str().unwrap_or_default();
        assert!((1..=100).contains(&value.chars().count()), "{choice}");
    }
    assert!(
        choices
            .iter()
            .any(|c| c["name"].as_str().unwrap_or_default().contains("Mao Ning")),
        "{answer}"
    );
}
