//! Live data: a reload picks up new, changed and deleted articles; a broken edit keeps the last
//! good corpus serving and shows in `/status`; queries during reloads see one version each.

use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use briefing_bot::cmd::{Caller, answer_live};
use briefing_bot::live::{Live, ReloadOutcome, watch};
use briefing_bot::load::LoadConfig;
use briefing_bot::reply::Invocation;
use serde_json::json;

fn article(id: &str, person: &str, name: &str) -> String {
    json!({
        "id": id,
        "title": format!("Article {id}"),
        "summary": "A summary.",
        "published": "2025-03-13",
        "participants": [{"id": person, "name": name, "role": "Minister", "country": "Iran"}],
        "statements": [{"speaker": person, "kind": "quote", "text": format!("Words of version {id}.")}]
    })
    .to_string()
}

fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("articles")).unwrap();
    fs::write(
        dir.path().join("articles/a.json"),
        article("a", "kazem-gharibabadi", "Kazem Gharibabadi"),
    )
    .unwrap();
    dir
}

fn ask(live: &Live, line: &str) -> briefing_bot::reply::Reply {
    let invocation = briefing_bot::slash::parse(line).unwrap();
    answer_live(live, &invocation, Caller { is_admin: true })
}

/// Polls until `done` holds, for at most `limit`.
fn eventually(limit: Duration, done: impl Fn() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    done()
}

#[test]
fn the_watcher_picks_up_a_new_article_within_two_seconds() {
    let dir = data_dir();
    let live = Arc::new(Live::load(dir.path(), LoadConfig::default()).unwrap());
    let _watching = watch(&live, Duration::from_millis(100)).unwrap();
    assert!(!ask(&live, "/who Ryabkov").ok);
    fs::write(
        dir.path().join("articles/b.json"),
        article("b", "sergei-ryabkov", "Sergei Ryabkov"),
    )
    .unwrap();
    assert!(
        eventually(Duration::from_secs(2), || ask(&live, "/who Ryabkov").ok),
        "the new article was not served within 2 seconds"
    );
    assert_eq!(live.snapshot().corpus.counts().articles, 2);
}

#[test]
fn the_watcher_ignores_editor_swap_files() {
    let dir = data_dir();
    let live = Arc::new(Live::load(dir.path(), LoadConfig::default()).unwrap());
    let _watching = watch(&live, Duration::from_millis(50)).unwrap();
    fs::write(dir.path().join("articles/.a.json.swp"), "half written {").unwrap();
    fs::write(dir.path().join("articles/a.json~"), "backup").unwrap();
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(live.snapshot().version, 1, "a swap file caused a reload");
    assert!(live.last_failure().is_none());
}

#[test]
fn a_broken_edit_keeps_the_old_answers_and_shows_in_status() {
    let dir = data_dir();
    let live = Live::load(dir.path(), LoadConfig::default()).unwrap();
    fs::write(
        dir.path().join("articles/a.json"),
        "{\"id\": \"a\", \"title\": ",
    )
    .unwrap();
    match live.reload() {
        ReloadOutcome::Failed(failed) => {
            assert_eq!(failed.problems.len(), 1);
            assert!(
                failed.problems[0].contains("a.json:1:"),
                "{:?}",
                failed.problems
            );
        }
        other => panic!("a broken file must not load: {other:?}"),
    }
    let who = ask(&live, "/who Gharibabadi");
    assert!(who.ok, "the last good corpus stops serving");
    assert_eq!(live.snapshot().version, 1);
    let status = ask(&live, "/status").to_text();
    assert!(status.contains("Last reload failed"), "{status}");
    assert!(status.contains("version 1 kept serving"), "{status}");
    assert!(status.contains("a.json:1:"), "{status}");

    // Fixing the file clears the failure.
    fs::write(
        dir.path().join("articles/a.json"),
        article("a", "kazem-gharibabadi", "Kazem Gharibabadi"),
    )
    .unwrap();
    assert!(matches!(
        live.reload(),
        ReloadOutcome::Loaded { version: 2, .. }
    ));
    assert!(ask(&live, "/status").to_text().contains("No failed reload"));
}

#[test]
fn a_deleted_file_removes_its_article() {
    let dir = data_dir();
    fs::write(
        dir.path().join("articles/b.json"),
        article("b", "sergei-ryabkov", "Sergei Ryabkov"),
    )
    .unwrap();
    let live = Live::load(dir.path(), LoadConfig::default()).unwrap();
    assert!(ask(&live, "/who Ryabkov").ok);
    fs::remove_file(dir.path().join("articles/b.json")).unwrap();
    live.reload();
    assert!(!ask(&live, "/who Ryabkov").ok);
    assert_eq!(live.snapshot().corpus.counts().articles, 1);
}

#[test]
fn reload_is_for_admins_only() {
    let dir = data_dir();
    let live = Live::load(dir.path(), LoadConfig::default()).unwrap();
    let reply = answer_live(
        &live,
        &Invocation::new("reload"),
        Caller { is_admin: false },
    );
    assert!(!reply.ok);
    assert_eq!(reply.body, "/reload needs the Manage Server permission.");
    assert_eq!(live.snapshot().version, 1);
    let reply = answer_live(&live, &Invocation::new("reload"), Caller { is_admin: true });
    assert!(reply.ok, "{}", reply.to_text());
    assert_eq!(live.snapshot().version, 2);
}

#[test]
fn queries_during_a_hundred_reloads_each_see_one_version() {
    let dir = data_dir();
    let live = Arc::new(Live::load(dir.path(), LoadConfig::default()).unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let live = Arc::clone(&live);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut answers = 0;
                while !stop.load(Ordering::Relaxed) {
                    let snapshot = live.snapshot();
                    let corpus = &snapshot.corpus;
                    // The article id and the statement text are written together: any mix of
                    // two versions would show as a mismatch.
                    let article = &corpus.articles[0];
                    let words = &article.statements[0].text;
                    assert_eq!(words, &format!("Words of version {}.", article.id));
                    let reply = briefing_bot::cmd::answer(
                        &briefing_bot::cmd::Context::new(corpus),
                        &Invocation::new("statements"),
                    );
                    assert!(
                        reply
                            .to_text()
                            .contains(&format!("Words of version {}.", article.id))
                    );
                    answers += 1;
                }
                answers
            })
        })
        .collect();
    for version in 0..100 {
        let id = format!("v{version}");
        let path = dir.path().join("articles/a.json");
        fs::write(
            &path,
            article(&id, "kazem-gharibabadi", "Kazem Gharibabadi"),
        )
        .unwrap();
        assert!(matches!(live.reload(), ReloadOutcome::Loaded { .. }));
    }
    stop.store(true, Ordering::Relaxed);
    let answers: usize = readers
        .into_iter()
        .map(|r| r.join().expect("no reader saw a mix"))
        .sum();
    assert!(answers > 0);
    assert_eq!(live.snapshot().version, 101);
    assert_eq!(live.snapshot().corpus.articles[0].id, "v99");
}

#[test]
fn check_watch_prints_each_reload() {
    let dir = data_dir();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_briefing-bot"))
        .args(["check", "--watch", "--data"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let wait_for = |needle: &str| -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match received.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        false
    };
    assert!(wait_for("watching"), "no start");
    fs::write(dir.path().join("articles/b.json"), "{ broken").unwrap();
    let found = wait_for("b.json:1:");
    let _ = child.kill();
    let _ = child.wait();
    assert!(found, "check --watch did not report the broken file");
    assert!(Path::new(dir.path()).exists());
}
