//! Any reply the engine can produce renders within every Discord limit, on every page, with
//! buttons that decode back to the command; and every answer of the real commands on the sample
//! data does too.

#[path = "support/corpus.rs"]
mod corpus;

use briefing_bot::app::App;
use briefing_bot::discord::custom_id;
use briefing_bot::discord::interaction::Answer;
use briefing_bot::discord::render::{self, limits};
use briefing_bot::reply::{Field, Invocation, Link, Reply, Suggestion};
use proptest::prelude::*;
use serde_json::Value;

/// Checks one rendered message as Discord would, on the JSON serenity sends.
fn check_message(data: &Value) -> Result<(), String> {
    let embeds = data["embeds"].as_array().ok_or("no embeds")?;
    if embeds.is_empty() || embeds.len() > 10 {
        return Err(format!("{} embeds", embeds.len()));
    }
    let len = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    let mut total = 0;
    for embed in embeds {
        let title = len(&embed["title"]);
        let description = len(&embed["description"]);
        let footer = len(&embed["footer"]["text"]);
        if title > limits::TITLE || description > limits::DESCRIPTION || footer > limits::FOOTER {
            return Err(format!(
                "title {title}, description {description}, footer {footer}"
            ));
        }
        if title + description == 0 && embed["fields"].as_array().is_none_or(Vec::is_empty) {
            return Err("an empty embed".to_string());
        }
        total += title + description + footer;
        let fields = embed["fields"].as_array().cloned().unwrap_or_default();
        if fields.len() > limits::FIELDS {
            return Err(format!("{} fields", fields.len()));
        }
        for field in &fields {
            let (name, value) = (len(&field["name"]), len(&field["value"]));
            if !(1..=limits::FIELD_NAME).contains(&name)
                || !(1..=limits::FIELD_VALUE).contains(&value)
            {
                return Err(format!("field name {name}, value {value}"));
            }
            if field["value"].as_str().is_some_and(|v| v.trim().is_empty()) {
                return Err("a blank field value".to_string());
            }
            total += name + value;
        }
    }
    if total > limits::MESSAGE_TOTAL {
        return Err(format!("{total} characters in the embeds"));
    }
    if data["allowed_mentions"] != serde_json::json!({"parse": [], "users": [], "roles": []}) {
        return Err(format!("allowed_mentions {}", data["allowed_mentions"]));
    }
    let rows = data["components"].as_array().ok_or("no components")?;
    if rows.len() > limits::ROWS {
        return Err(format!("{} rows", rows.len()));
    }
    let mut ids = Vec::new();
    for row in rows {
        let buttons = row["components"]
            .as_array()
            .ok_or("a row without buttons")?;
        if buttons.is_empty() || buttons.len() > limits::BUTTONS_PER_ROW {
            return Err(format!("{} buttons in a row", buttons.len()));
        }
        for button in buttons {
            let id = button["custom_id"].as_str().ok_or("a button without id")?;
            if !(1..=custom_id::MAX_LEN).contains(&id.chars().count()) {
                return Err(format!("custom_id {id:?}"));
            }
            custom_id::decode(id).map_err(|e| e.to_string())?;
            if !(1..=limits::BUTTON_LABEL).contains(&len(&button["label"])) {
                return Err(format!("label {}", button["label"]));
            }
            if ids.contains(&id.to_string()) {
                return Err(format!("custom_id {id:?} twice"));
            }
            ids.push(id.to_string());
        }
    }
    Ok(())
}

fn rendered_json(reply: &Reply, invocation: &Invocation, page: usize) -> (Value, usize) {
    let rendered = render::render(reply, invocation, page);
    let count = rendered.count;
    let response = Answer::Message {
        rendered,
        ephemeral: false,
    }
    .into_response();
    (
        serde_json::to_value(response).unwrap()["data"].clone(),
        count,
    )
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => "[ -~]{0,40}",
        6 => "[a-z*_~`|@<>#\\-\\\\\\[\\] \n]{0,300}",
        2 => "[a-zé😀\u{301} \n]{0,200}",
        1 => "[a-z *@]{1000,5000}",
    ]
}

fn invocation() -> impl Strategy<Value = Invocation> {
    prop_oneof![
        "[a-z0-9 \\-]{0,100}".prop_map(|name| Invocation::new("who").arg("name", &name)),
        "[ -~]{0,100}".prop_map(|query| Invocation::new("search").arg("query", &query)),
        Just(Invocation::new("help")),
    ]
}

fn reply() -> impl Strategy<Value = Reply> {
    (
        any::<bool>(),
        text(),
        text(),
        prop::collection::vec((text(), prop::collection::vec(text(), 0..12)), 0..32),
        prop::option::of(text()),
        prop::collection::vec((text(), invocation()), 0..30),
        prop::collection::vec((text(), "https://[a-z]{1,20}\\.org/[a-z()_ ]{0,700}"), 0..8),
    )
        .prop_map(
            |(ok, title, body, fields, footer, suggestions, links)| Reply {
                ok,
                title,
                url: None,
                links: links
                    .into_iter()
                    .map(|(text, url)| Link { text, url })
                    .collect(),
                body,
                fields: fields
                    .into_iter()
                    .map(|(name, lines)| Field { name, lines })
                    .collect(),
                footer,
                suggestions: suggestions
                    .into_iter()
                    .map(|(label, invocation)| Suggestion { label, invocation })
                    .collect(),
                results: Vec::new(),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_reply_renders_within_every_limit(reply in reply(), invocation in invocation(), page in 0usize..4) {
        let (first, count) = rendered_json(&reply, &invocation, page);
        prop_assert!(count >= 1);
        if let Err(problem) = check_message(&first) {
            return Err(TestCaseError::fail(format!("page {page}: {problem}")));
        }
        for page in 0..count.min(30) {
            let (data, _) = rendered_json(&reply, &invocation, page);
            if let Err(problem) = check_message(&data) {
                return Err(TestCaseError::fail(format!("page {page} of {count}: {problem}")));
            }
        }
    }
}

/// Every command on the sample data, with each person, topic and article, renders within limits.
#[test]
fn every_answer_on_the_sample_data_renders_within_every_limit() {
    let corpus = corpus::sample();
    let mut invocations = vec![
        Invocation::new("help"),
        Invocation::new("articles"),
        Invocation::new("brief"),
        Invocation::new("timeline"),
        Invocation::new("participants"),
        Invocation::new("statements"),
        Invocation::new("search").arg("query", "nuclear"),
        Invocation::new("search").arg("query", "@everyone"),
    ];
    for person in &corpus.people {
        invocations.push(Invocation::new("who").arg("name", &person.id));
        invocations.push(Invocation::new("statements").arg("speaker", &person.id));
    }
    let talkative = App::from_corpus(corpus::talkative(80));
    let who = Invocation::new("who").arg("name", "talker");
    let reply = talkative.answer(&who, false);
    let (_, count) = rendered_json(&reply, &who, 0);
    assert!(count > 3, "{count} pages");
    for page in 0..count {
        let (data, _) = rendered_json(&reply, &who, page);
        if let Err(problem) = check_message(&data) {
            panic!("/who talker: page {page}: {problem}");
        }
    }
    for topic in &corpus.topics {
        invocations.push(Invocation::new("context").arg("topic", &topic.id));
        invocations.push(Invocation::new("statements").arg("topic", &topic.id));
    }
    let app = App::from_corpus(corpus);
    for invocation in invocations {
        let reply = app.answer(&invocation, false);
        let (data, count) = rendered_json(&reply, &invocation, 0);
        for page in 0..count {
            let (data, _) = if page == 0 {
                (data.clone(), count)
            } else {
                rendered_json(&reply, &invocation, page)
            };
            if let Err(problem) = check_message(&data) {
                panic!("{}: page {page}: {problem}", invocation.to_slash_line());
            }
        }
    }
}
