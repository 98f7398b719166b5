//! `briefing-bot complete`: the built binary prints the autocomplete choices Discord would get,
//! as text or one JSON object per line, for one text or for every line of stdin.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use briefing_bot::cmd::Completes;
use briefing_bot::cmd::complete::option_choices;
use briefing_bot::live::Live;
use briefing_bot::load::LoadConfig;
use briefing_bot::search::Kind;

fn data() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    binary("complete", args, stdin)
}

/// The binary's `subcommand` with `args` on the bundled data, `stdin` written and closed.
fn binary(subcommand: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_briefing-bot"));
    command
        .arg("--data")
        .arg(data())
        .arg(subcommand)
        .args(args)
        .env_remove("DATA_DIR")
        .env_remove("DISCORD_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary runs");
    {
        let mut pipe = child.stdin.take().expect("piped stdin");
        if let Some(text) = stdin {
            pipe.write_all(text.as_bytes()).expect("stdin written");
        }
    }
    child.wait_with_output().expect("the binary ends")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// The choices the engine gives, as `name\tvalue` lines.
fn engine_lines(completes: Completes, text: &str) -> Vec<String> {
    let live = Live::load(&data(), LoadConfig::default()).expect("the sample data loads");
    option_choices(&live.snapshot().corpus, completes, text)
        .into_iter()
        .map(|c| format!("{}\t{}", c.name, c.value))
        .collect()
}

#[test]
fn text_output_is_the_engines_choices() {
    let output = run(&["who", "name", "riabkof"], None);
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("> riabkof"));
    let choices: Vec<String> = lines.map(str::to_string).collect();
    assert_eq!(
        choices,
        engine_lines(Completes::Kind(Kind::Person), "riabkof")
    );
    assert!(choices[0].starts_with("Sergei Ryabkov ("), "{choices:?}");
    assert!(choices[0].ends_with("\tsergei-ryabkov"), "{choices:?}");
}

#[test]
fn json_output_has_text_choices_and_micros_with_timings() {
    let output = run(&["--json", "--timings", "/who", "name", "mao"], None);
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    let value: serde_json::Value = serde_json::from_str(lines[0]).expect("one JSON object");
    assert_eq!(value["text"], "mao");
    assert!(value["micros"].is_u64(), "{value}");
    let choices = value["choices"].as_array().expect("choices");
    assert!(!choices.is_empty());
    let name = choices[0]["name"].as_str().expect("a name");
    assert!(name.starts_with("Mao Ning ("), "{name}");
    assert_eq!(choices[0]["value"], "mao-ning");
    for choice in choices {
        assert_eq!(choice.as_object().map(|o| o.len()), Some(2), "{choice}");
    }
    let mut keys: Vec<&String> = value.as_object().expect("object").keys().collect();
    keys.sort();
    assert_eq!(keys, ["choices", "micros", "text"]);
}

#[test]
fn json_without_timings_has_no_micros() {
    let output = run(&["--json", "statements", "speaker", "ghrb"], None);
    assert!(output.status.success(), "{output:?}");
    let value: serde_json::Value =
        serde_json::from_str(stdout(&output).trim()).expect("one JSON object");
    assert!(value.get("micros").is_none(), "{value}");
    assert_eq!(value["choices"][0]["value"], "kazem-gharibabadi");
}

#[test]
fn stdin_answers_every_line_after_one_load() {
    let output = run(
        &["--json", "--timings", "who", "name"],
        Some("mao\r\nryab\n\nzzzzzz\n马朝旭\n"),
    );
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    let values: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object a line"))
        .collect();
    let texts: Vec<&str> = values.iter().filter_map(|v| v["text"].as_str()).collect();
    assert_eq!(texts, ["mao", "ryab", "", "zzzzzz", "马朝旭"]);
    assert!(values.iter().all(|v| v["micros"].is_u64()));
    // The empty text lists the most-quoted people, as Discord's empty input does.
    assert!(!values[2]["choices"].as_array().expect("choices").is_empty());
    assert_eq!(values[1]["choices"][0]["value"], "sergei-ryabkov");
    assert_eq!(values[4]["choices"][0]["value"], "ma-zhaoxu");

    let output = run(&["--timings", "ask", "question"], Some("what did mao\n"));
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    let header = text.lines().next().expect("a header line");
    assert!(
        header.starts_with("> what did mao\t") && header.ends_with(" µs"),
        "{header}"
    );
    let choices: Vec<String> = text.lines().skip(1).map(str::to_string).collect();
    assert_eq!(choices, engine_lines(Completes::Question, "what did mao"));
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    for args in [
        &["nosuch", "name", "x"][..],
        &["who", "nosuch", "x"],
        &["search", "query", "x"],
    ] {
        let output = run(args, None);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.trim().lines().count(), 1, "{args:?}: {stderr}");
        assert!(output.stdout.is_empty());
    }
}

/// `console --timings`: each answer carries the engine's time, as `micros` in JSON and a last
/// line "(N µs)" in text; without the flag neither appears (the `ask --json` object unchanged).
#[test]
fn console_timings_time_each_answer() {
    let console = |args: &[&str]| -> String {
        let output = binary(
            "console",
            args,
            Some("/who ryabkov\nwhat did China say about the JCPOA?\n"),
        );
        assert!(output.status.success(), "{output:?}");
        stdout(&output)
    };
    let timed = console(&["--json", "--timings"]);
    let objects: Vec<serde_json::Value> = timed
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(objects.len(), 2, "{timed}");
    for object in &objects {
        assert!(object["micros"].as_u64().is_some(), "{object}");
        assert_eq!(object["ok"], true, "{object}");
    }
    assert_eq!(
        objects[1]["routed"],
        "/statements speaker:china topic:jcpoa"
    );

    let plain = console(&["--json"]);
    assert!(
        plain
            .lines()
            .all(|line| !line.contains("\"micros\"") && line.contains("\"ok\":true")),
        "{plain}"
    );

    let text = console(&["--timings"]);
    let timings = text
        .lines()
        .filter(|line| line.starts_with('(') && line.ends_with(" µs)"))
        .count();
    assert_eq!(timings, 2, "{text}");
}
