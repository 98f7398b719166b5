//! Every command's answer on the seed data, pinned as a snapshot so a change of wording is a
//! reviewed diff; the slash-line parser's rules; and the `ask` command line's contract.

use std::path::Path;
use std::process::Command as Process;
use std::sync::{Arc, OnceLock};

#[path = "support/corpus.rs"]
#[allow(dead_code)] // the sample corpus is for the Discord tests
mod support_corpus;

use briefing_bot::cmd::{COMMANDS, Command, Context, answer};
use briefing_bot::console::answer_line;
use briefing_bot::indexed::Indexed;
use briefing_bot::live::{Live, Snapshot};
use briefing_bot::load::LoadConfig;
use briefing_bot::reply::Invocation;
use briefing_bot::slash::parse;

fn live() -> &'static Live {
    static LIVE: OnceLock<Live> = OnceLock::new();
    LIVE.get_or_init(|| {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        Live::load(&data, LoadConfig::default()).expect("seed loads")
    })
}

fn corpus() -> &'static Indexed {
    static SNAPSHOT: OnceLock<Arc<Snapshot>> = OnceLock::new();
    &SNAPSHOT.get_or_init(|| live().snapshot()).corpus
}

fn text(line: &str) -> String {
    answer_line(live(), line).0.to_text()
}

macro_rules! snapshot {
    ($name:ident, $line:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(text($line));
        }
    };
}

snapshot!(brief_newest, "/brief");
snapshot!(brief_by_title, "/brief article:beijing talks");
snapshot!(who_by_typo, "/who riabkov");
snapshot!(who_ambiguous, "/who deputy foreign minister");
snapshot!(who_not_found, "/who Wang Yi");
snapshot!(participants_all, "/participants");
snapshot!(participants_by_country, "/participants country:Iran");
snapshot!(
    statements_by_person_and_topic,
    "/statements speaker:\"Mao Ning\" topic:JCPOA"
);
snapshot!(statements_by_attribution, "/statements speaker:experts");
snapshot!(statements_none, "/statements speaker:khamenei topic:UNSC");
snapshot!(context_jcpoa, "/context JCPOA");
snapshot!(search_mistrust, "/search mistrust");
snapshot!(search_nothing, "/search qqqqzzz");
snapshot!(articles, "/articles");
snapshot!(timeline, "/timeline");
snapshot!(help, "/help");
snapshot!(help_one, "/help statements");
snapshot!(unknown_command, "/weather Beijing");
snapshot!(unknown_option, "/who name:Mao colour:red");
snapshot!(missing_option, "/context");

#[test]
fn every_command_answers_on_the_seed() {
    for spec in COMMANDS {
        let line = match spec.options.iter().find(|o| o.required) {
            Some(option) => format!("/{} {}:Iran", spec.name, option.name),
            None => format!("/{}", spec.name),
        };
        let (reply, _, _) = answer_line(live(), &line);
        assert!(!reply.title.is_empty(), "{line}");
        assert!(!reply.to_text().trim().is_empty(), "{line}");
    }
}

#[test]
fn did_you_mean_buttons_run_the_command_for_the_one_picked() {
    let (reply, _, _) = answer_line(live(), "/who deputy foreign minister");
    assert!(!reply.ok);
    let picked: Vec<String> = reply
        .suggestions
        .iter()
        .map(|s| s.invocation.to_slash_line())
        .collect();
    assert_eq!(
        picked,
        ["/who name:kazem-gharibabadi", "/who name:sergei-ryabkov"]
    );
    let rerun = answer(&Context::new(corpus()), &reply.suggestions[1].invocation);
    assert!(rerun.ok);
    assert_eq!(rerun.title, "Sergei Ryabkov");
}

#[test]
fn slash_lines_parse_options_quotes_and_bare_values() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("/who name:Ryabkov", &[("name", "Ryabkov")]),
        ("who ryabkov", &[("name", "ryabkov")]),
        ("/who mao ning", &[("name", "mao ning")]),
        ("/who \"Mao Ning\"", &[("name", "Mao Ning")]),
        (
            "/statements speaker:\"Mao Ning\" topic:JCPOA",
            &[("speaker", "Mao Ning"), ("topic", "JCPOA")],
        ),
        (
            "/statements topic:JCPOA mao",
            &[("topic", "JCPOA"), ("speaker", "mao")],
        ),
        (
            "/search query:\"say \\\"no\\\"\"",
            &[("query", "say \"no\"")],
        ),
        ("/search 17:30", &[("query", "17:30")]),
        ("/search U.S.: talks", &[("query", "U.S.: talks")]),
        ("/WHO Name:x", &[("name", "x")]),
        ("/who name:", &[("name", "")]),
    ];
    for (line, expected) in cases {
        let invocation = parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        let args: Vec<(&str, &str)> = invocation
            .args
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(&args, expected, "{line}");
    }
}

#[test]
fn slash_line_errors_say_what_is_wrong() {
    let error = |line: &str| parse(line).expect_err(line).to_string();
    assert!(error("/who name:\"Mao").contains("no closing \""));
    assert!(error("/who colour:red").starts_with("/who has no option \"colour\""));
    assert!(
        error("/articles extra words")
            .starts_with("/articles has no option left for \"extra words\"")
    );
    assert!(error("").starts_with("empty line"));
    // Errors from the table list the command's options.
    let err = Command::parse(&Invocation::new("who")).expect_err("name is required");
    assert!(
        err.to_string()
            .contains("name: The person, in any spelling (required)")
    );
    let long = "x".repeat(101);
    let err = Command::parse(&Invocation::new("who").arg("name", &long)).expect_err("too long");
    assert!(
        err.to_string()
            .contains("is 101 characters long; the limit is 100")
    );
}

fn ask(args: &[&str]) -> (i32, String) {
    let output = Process::new(env!("CARGO_BIN_EXE_briefing-bot"))
        .args([
            "--data",
            concat!(env!("CARGO_MANIFEST_DIR"), "/data"),
            "ask",
        ])
        .args(args)
        .env_remove("DISCORD_TOKEN")
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn ask_json_is_the_documented_contract() {
    let (status, out) = ask(&["--json", "/who riabkov"]);
    assert_eq!(status, 0);
    let value: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!(value["command"], "who");
    assert_eq!(value["ok"], true);
    assert!(
        value["text"]
            .as_str()
            .unwrap()
            .starts_with("Sergei Ryabkov\n")
    );
    assert_eq!(value["results"][0]["kind"], "participant");
    assert_eq!(value["results"][0]["id"], "sergei-ryabkov");
    assert_eq!(value["results"][0]["name"], "Sergei Ryabkov");
    assert!(value["suggestions"].as_array().unwrap().is_empty());

    let (_, out) = ask(&["--json", "/statements analyst"]);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    let statement = &value["results"][0];
    assert_eq!(statement["kind"], "statement");
    assert_eq!(statement["speaker"], serde_json::Value::Null);
    assert_eq!(statement["attribution"], "A Chinese analyst");
    assert_eq!(statement["article"], "2025-03-beijing-iran-nuclear-talks");
    assert!(
        statement["text"]
            .as_str()
            .unwrap()
            .contains("strategic ties")
    );

    let (status, out) = ask(&["--json", "/who deputy foreign minister"]);
    assert_eq!(status, 1);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["ok"], false);
    assert_eq!(
        value["suggestions"],
        serde_json::json!([
            "Kazem Gharibabadi (Deputy Foreign Minister, Iran)",
            "Sergei Ryabkov (Deputy Foreign Minister, Russia)"
        ])
    );
}

#[test]
fn ask_usage_errors_exit_2_and_list_the_options() {
    let (status, out) = ask(&["/who"]);
    assert_eq!(status, 2);
    assert!(out.contains("/who needs the option \"name\""), "{out}");
    assert!(out.contains("/who name:<person>"), "{out}");
    let (status, out) = ask(&["/nope"]);
    assert_eq!(status, 2);
    assert!(out.contains("unknown command \"/nope\""), "{out}");
    let (status, _) = ask(&["--json", "/who colour:red"]);
    assert_eq!(status, 2);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn any_string_in_any_option_gets_a_reply(
            command in 0usize..64,
            option in 0usize..8,
            value in "\\PC{0,120}",
        ) {
            let spec = COMMANDS[command % COMMANDS.len()];
            let mut invocation = Invocation::new(spec.name);
            if let Some(o) = spec.options.get(option % spec.options.len().max(1)) {
                invocation = invocation.arg(o.name, &value);
            }
            let reply = answer(&Context::new(corpus()), &invocation);
            prop_assert!(!reply.title.is_empty());
        }

        #[test]
        fn any_line_parses_or_errors_without_panicking(line in "\\PC{0,200}") {
            let (reply, _, _) = answer_line(live(), &line);
            prop_assert!(!reply.title.is_empty());
        }
    }
}

#[test]
fn long_answers_are_capped_and_say_so() {
    use briefing_bot::reply::{Field, Reply};
    let mut reply = Reply {
        ok: true,
        title: "t".into(),
        fields: vec![
            Field {
                name: "a".into(),
                lines: vec!["x".into(); 200],
            },
            Field {
                name: "b".into(),
                lines: vec!["y".into(); 200],
            },
            Field {
                name: "c".into(),
                lines: vec!["z".into(); 5],
            },
        ],
        ..Reply::default()
    };
    reply.cap(300, 10);
    let counts: Vec<(String, usize)> = reply
        .fields
        .iter()
        .map(|f| (f.name.clone(), f.lines.len()))
        .collect();
    assert_eq!(
        counts,
        [
            ("a".to_string(), 200),
            ("b".to_string(), 100),
            ("Not shown".to_string(), 1)
        ]
    );
    assert_eq!(
        reply.fields[2].lines[0],
        "105 more lines. Narrow the question with the command's options."
    );
}

#[test]
fn a_statement_list_over_the_cap_says_how_many_it_left_out() {
    let corpus = Indexed::new(support_corpus::talkative(450));
    let reply = answer(
        &Context::new(&corpus),
        &parse("/statements speaker:talker").unwrap(),
    );
    let lines: usize = reply.fields.iter().map(|f| f.lines.len()).sum();
    assert_eq!(
        lines,
        briefing_bot::cmd::MAX_LINES,
        "{:?}",
        reply.fields.last()
    );
    let not_shown = reply.fields.last().unwrap();
    assert_eq!(not_shown.name, "Not shown");
    assert_eq!(
        not_shown.lines,
        vec!["151 more lines. Narrow the question with the command's options.".to_string()]
    );
    assert_eq!(reply.title, "Statements by Tom Talker (450)");
    assert_eq!(reply.results.len(), 450);
}
