//! The interaction handler takes anything Discord (or an attacker posing as it) can send: any
//! option value, any button id, any focused autocomplete text, and bytes that are not an
//! interaction at all. It answers or refuses; it never panics. (The fuzz target
//! `fuzz/fuzz_targets/interaction.rs` covers the same entry point without a budget.)

use std::path::Path;
use std::sync::{Arc, OnceLock};

use briefing_bot::app::App;
use briefing_bot::discord::interaction::respond;
use briefing_bot::live::Live;
use briefing_bot::load::LoadConfig;
use proptest::prelude::*;
use serde_json::Value;
use serenity::model::application::Interaction;

fn app() -> &'static App {
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        App::new(Arc::new(Live::load(&data, LoadConfig::default()).unwrap()))
    })
}

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/discord")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Deserializes and answers; the response must serialize as Discord expects.
fn answer(payload: &Value) -> Option<Value> {
    let interaction: Interaction = serde_json::from_value(payload.clone()).ok()?;
    let response = respond(app(), &interaction);
    Some(serde_json::to_value(&response).expect("a response serializes"))
}

const COMMANDS: &[&str] = &[
    "who",
    "brief",
    "statements",
    "context",
    "search",
    "timeline",
    "participants",
    "help",
    "status",
    "digest",
    "nope",
    "",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_slash_command_option_gets_an_answer(
        command in 0usize..COMMANDS.len(),
        option in "[a-z_]{0,12}",
        value in "\\PC{0,150}",
    ) {
        let mut payload = fixture("slash_command.json");
        payload["data"]["name"] = Value::from(COMMANDS[command]);
        payload["data"]["options"] = serde_json::json!([{"name": option, "type": 3, "value": value}]);
        if let Some(response) = answer(&payload) {
            prop_assert_eq!(&response["type"], &Value::from(4));
            prop_assert_eq!(&response["data"]["allowed_mentions"]["parse"], &serde_json::json!([]));
        }
    }

    #[test]
    fn any_button_id_gets_an_answer(custom_id in "\\PC{0,100}") {
        let mut payload = fixture("button.json");
        payload["data"]["custom_id"] = Value::from(custom_id);
        let response = answer(&payload).expect("a button payload deserializes");
        prop_assert!(response["type"] == Value::from(7) || response["type"] == Value::from(4));
    }

    #[test]
    fn any_autocomplete_text_gets_at_most_25_choices(text in "\\PC{0,200}") {
        let mut payload = fixture("autocomplete.json");
        payload["data"]["options"][0]["value"] = Value::from(text);
        let response = answer(&payload).expect("an autocomplete payload deserializes");
        prop_assert_eq!(&response["type"], &Value::from(8));
        let choices = response["data"]["choices"].as_array().unwrap();
        prop_assert!(choices.len() <= 25);
        for choice in choices {
            let name = choice["name"].as_str().unwrap().chars().count();
            prop_assert!((1..=100).contains(&name));
        }
    }

    #[test]
    fn bytes_that_are_not_an_interaction_are_refused(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        // Refused at deserialization, as the HTTP endpoint does; never a panic.
        let _ = serde_json::from_slice::<Interaction>(&bytes);
    }
}

#[test]
fn the_generated_command_payloads_deserialize() {
    // Guards the property above against passing by never deserializing.
    let mut payload = fixture("slash_command.json");
    payload["data"]["name"] = Value::from("who");
    payload["data"]["options"] =
        serde_json::json!([{"name": "name", "type": 3, "value": "@everyone"}]);
    let response = answer(&payload).expect("deserializes");
    assert_eq!(response["type"], Value::from(4));
    let embeds = response["data"]["embeds"].as_array().unwrap();
    assert!(
        embeds[0]["title"].as_str().unwrap().contains("\\@everyone"),
        "{response}"
    );
}
