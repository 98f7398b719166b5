//! `briefing-bot run` refuses a missing or malformed DISCORD_TOKEN with one line naming the
//! variable and exit status 2, before loading anything or touching the network.

use std::process::Command;

fn run_with_token(token: Option<&str>) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_briefing-bot"));
    // An empty working directory: no .env to load, no data directory.
    command
        .arg("run")
        .current_dir(dir.path())
        .env_remove("DISCORD_GUILD_ID")
        .env_remove("DISCORD_HTTP_PROXY")
        .env_remove("DISCORD_EPHEMERAL");
    match token {
        Some(token) => command.env("DISCORD_TOKEN", token),
        None => command.env_remove("DISCORD_TOKEN"),
    };
    let output = command.output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn an_empty_missing_or_malformed_token_exits_2_with_one_line_naming_it() {
    for token in [Some(""), None, Some("not-a-token"), Some("a.b.c d")] {
        let (status, stdout, stderr) = run_with_token(token);
        assert_eq!(status, Some(2), "{token:?}: {stderr}");
        assert_eq!(stdout, "", "{token:?}");
        assert_eq!(stderr.lines().count(), 1, "{token:?}: {stderr}");
        assert!(stderr.contains("DISCORD_TOKEN"), "{token:?}: {stderr}");
        if let Some(token) = token.filter(|t| t.len() > 3) {
            assert!(!stderr.contains(token), "the token leaked: {stderr}");
        }
    }
}
