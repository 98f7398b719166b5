//! Live data: a reload picks up new, changed and deleted articles; a broken edit keeps the last
//! good corpus serving and shows in `/status`; queries during reloads see one version each. The
//! watcher reloads once per change and then stays quiet (its own reads, `touch`, `cat` and
//! byte-identical saves do not count), and keeps watching when the data directory is deleted and
//! re-created or swapped by rename.

use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use briefing_bot::cmd::{Caller, answer_live};
use briefing_bot::live::{Live, ReloadOutcome, watch};
use briefing_bot::load::LoadConfig;
use briefing_bot::reply::Invocation;
use briefing_bot::watch::Watching;
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

/// A data directory at `root/data` (not the temp dir itself, so it can be deleted and swapped),
/// with `articles/a.json`.
fn nested_data_dir(root: &Path) -> std::path::PathBuf {
    let data = root.join("data");
    write_articles(&data, &[("a", "kazem-gharibabadi", "Kazem Gharibabadi")]);
    data
}

/// Creates `dir/articles/` with one file per (id, person id, name).
fn write_articles(dir: &Path, articles: &[(&str, &str, &str)]) {
    fs::create_dir_all(dir.join("articles")).unwrap();
    for (id, person, name) in articles {
        fs::write(
            dir.join("articles").join(format!("{id}.json")),
            article(id, person, name),
        )
        .unwrap();
    }
}

#[test]
fn one_change_reloads_once_then_stays_quiet_for_five_seconds() {
    let dir = data_dir();
    let live = Arc::new(Live::load(dir.path(), LoadConfig::default()).unwrap());
    let _watching = watch(&live, Duration::from_millis(100)).unwrap();
    fs::write(
        dir.path().join("articles/b.json"),
        article("b", "sergei-ryabkov", "Sergei Ryabkov"),
    )
    .unwrap();
    assert!(
        eventually(Duration::from_secs(2), || live.snapshot().version == 2),
        "the change was not loaded"
    );
    // The reload's own reads of the files must not count as changes.
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(live.snapshot().version, 2, "the watcher kept reloading");
    assert!(ask(&live, "/who Ryabkov").ok);
}

#[test]
fn reading_touching_and_saving_the_same_bytes_do_not_reload() {
    let dir = data_dir();
    let live = Arc::new(Live::load(dir.path(), LoadConfig::default()).unwrap());
    let _watching = watch(&live, Duration::from_millis(50)).unwrap();
    let file = dir.path().join("articles/a.json");
    // `cat`
    let text = fs::read_to_string(&file).unwrap();
    // `touch`
    fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(std::time::SystemTime::now())
        .unwrap();
    // An editor saving without a change: a write event, the same bytes.
    fs::write(&file, &text).unwrap();
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(live.snapshot().version, 1, "a no-op reloaded");
    assert!(live.last_failure().is_none());
}

#[test]
fn reload_if_changed_does_nothing_when_no_byte_changed() {
    let dir = data_dir();
    let live = Live::load(dir.path(), LoadConfig::default()).unwrap();
    assert!(live.reload_if_changed().is_none());
    assert_eq!(live.snapshot().version, 1);
    fs::write(
        dir.path().join("articles/a.json"),
        article("a2", "kazem-gharibabadi", "Kazem Gharibabadi"),
    )
    .unwrap();
    assert!(matches!(
        live.reload_if_changed(),
        Some(ReloadOutcome::Loaded { version: 2, .. })
    ));
    assert!(live.reload_if_changed().is_none());
    // A broken file is reported once, not again on every event.
    fs::write(dir.path().join("articles/a.json"), "{").unwrap();
    assert!(matches!(
        live.reload_if_changed(),
        Some(ReloadOutcome::Failed(_))
    ));
    assert!(live.reload_if_changed().is_none());
    assert_eq!(live.snapshot().version, 2);
}

#[test]
fn the_watch_survives_the_directory_being_deleted_and_recreated() {
    let root = tempfile::tempdir().unwrap();
    let data = nested_data_dir(root.path());
    let live = Arc::new(Live::load(&data, LoadConfig::default()).unwrap());
    let _watching = watch(&live, Duration::from_millis(100)).unwrap();
    assert_eq!(live.watching(), Watching::Yes);

    fs::remove_dir_all(&data).unwrap();
    assert!(
        eventually(Duration::from_secs(2), || live.watching() != Watching::Yes),
        "the status still says watching"
    );
    let status = ask(&live, "/status").to_text();
    assert!(status.contains("does not exist"), "{status}");
    assert!(
        ask(&live, "/who Gharibabadi").ok,
        "the last corpus keeps serving"
    );

    write_articles(
        &data,
        &[
            ("a", "kazem-gharibabadi", "Kazem Gharibabadi"),
            ("b", "sergei-ryabkov", "Sergei Ryabkov"),
        ],
    );
    assert!(
        eventually(Duration::from_secs(3), || ask(&live, "/who Ryabkov").ok),
        "the re-created directory was not served"
    );
    assert_eq!(live.watching(), Watching::Yes);

    // `rm -rf data && cp -r backup data`, at once; then a later edit in the new directory.
    let backup = root.path().join("backup");
    write_articles(&backup, &[("c", "mao-ning", "Mao Ning")]);
    fs::remove_dir_all(&data).unwrap();
    copy_dir(&backup, &data);
    assert!(
        eventually(Duration::from_secs(3), || ask(&live, "/who Mao Ning").ok),
        "the copied-in directory was not served"
    );
    write_articles(&data, &[("d", "ma-zhaoxu", "Ma Zhaoxu")]);
    assert!(
        eventually(Duration::from_secs(3), || ask(&live, "/who Ma Zhaoxu").ok),
        "an edit in the copied-in directory was not served"
    );
}

#[test]
fn the_watch_follows_a_rename_swap_of_the_directory() {
    let root = tempfile::tempdir().unwrap();
    let data = nested_data_dir(root.path());
    let live = Arc::new(Live::load(&data, LoadConfig::default()).unwrap());
    let _watching = watch(&live, Duration::from_millis(100)).unwrap();

    let next = root.path().join("data.new");
    write_articles(&next, &[("b", "sergei-ryabkov", "Sergei Ryabkov")]);
    let old = root.path().join("data.old");
    fs::rename(&data, &old).unwrap();
    fs::rename(&next, &data).unwrap();
    assert!(
        eventually(Duration::from_secs(3), || ask(&live, "/who Ryabkov").ok),
        "the swapped-in directory was not served"
    );
    assert_eq!(live.snapshot().corpus.counts().articles, 1);

    // The watch is on the new directory, not the old one.
    write_articles(&data, &[("c", "mao-ning", "Mao Ning")]);
    assert!(
        eventually(Duration::from_secs(3), || ask(&live, "/who Mao Ning").ok),
        "an edit in the swapped-in directory was not served"
    );
    let version = live.snapshot().version;
    write_articles(&old, &[("d", "ma-zhaoxu", "Ma Zhaoxu")]);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        live.snapshot().version,
        version,
        "the old directory still reloads"
    );
    assert_eq!(live.watching(), Watching::Yes);
    assert!(
        ask(&live, "/status")
            .to_text()
            .contains("Watching\n  yes\n"),
        "{}",
        ask(&live, "/status").to_text()
    );
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn check_watch_checks_once_per_change() {
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
    let collect = |wait: Duration| -> Vec<String> {
        let deadline = Instant::now() + wait;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match received.recv_timeout(left) {
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        seen
    };
    let start = collect(Duration::from_secs(2));
    assert!(start.iter().any(|l| l.starts_with("watching")), "{start:?}");
    let file = dir.path().join("articles/a.json");
    let _ = fs::read(&file).unwrap();
    fs::write(
        dir.path().join("articles/b.json"),
        article("b", "sergei-ryabkov", "Sergei Ryabkov"),
    )
    .unwrap();
    let after = collect(Duration::from_secs(4));
    let _ = child.kill();
    let _ = child.wait();
    let checks = after.iter().filter(|l| l.contains(" changed at ")).count();
    assert_eq!(checks, 1, "{after:#?}");
    assert!(after.iter().any(|l| l == "ok: 2 files valid"), "{after:#?}");
}
