//! The data format and its loader: the seed loads, and every validation rule names what and where.

use std::fs;
use std::path::{Path, PathBuf};

use briefing_bot::load::{LoadConfig, LoadFailure, Loaded, load_dir, parse_article};
use serde_json::{Value, json};

fn seed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// A data directory in a temp dir with the given article files.
fn data_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("articles")).unwrap();
    for (name, text) in files {
        fs::write(dir.path().join("articles").join(name), text).unwrap();
    }
    dir
}

/// The smallest valid article: one participant, one statement, one context item, one event.
fn minimal() -> Value {
    json!({
        "id": "a1",
        "title": "Talks in Beijing",
        "summary": "China hosts talks.",
        "participants": [
            {"id": "mao-ning", "name": "Mao Ning", "aliases": ["毛宁"], "role": "Spokesperson",
             "organization": "Foreign Ministry", "country": "China"}
        ],
        "statements": [
            {"speaker": "mao-ning", "kind": "paraphrase", "text": "Dialogue matters.", "topics": ["jcpoa"]}
        ],
        "context": [{"id": "jcpoa", "title": "JCPOA", "text": "The 2015 deal."}],
        "events": [{"when": "Friday", "where": "Beijing", "what": "The meeting.", "participants": ["mao-ning"]}]
    })
}

fn load(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<Loaded, LoadFailure>) {
    let dir = data_dir(files);
    let result = load_dir(dir.path(), &LoadConfig::default());
    (dir, result)
}

/// The problems of a directory that must not load, as printed, with the temp path cut off.
fn problems(files: &[(&str, &str)]) -> Vec<String> {
    let (dir, result) = load(files);
    let failure = result.expect_err("the directory should not load");
    let prefix = format!("{}/", dir.path().display());
    failure
        .problems
        .iter()
        .map(|p| p.to_string().replace(&prefix, ""))
        .collect()
}

fn with(mut article: Value, edit: impl FnOnce(&mut Value)) -> String {
    edit(&mut article);
    serde_json::to_string_pretty(&article).unwrap()
}

#[test]
fn the_seed_loads_with_its_people_and_counts() {
    let loaded = load_dir(&seed_dir(), &LoadConfig::default()).expect("seed loads");
    let counts = loaded.corpus.counts();
    assert_eq!(counts.articles, 1);
    assert_eq!(counts.people, 6);
    assert_eq!(counts.statements, 16);
    assert_eq!(counts.context, 11);
    assert_eq!(counts.events, 4);
    let mut ids: Vec<&str> = loaded.corpus.people.iter().map(|p| p.id.as_str()).collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "ali-khamenei",
            "kazem-gharibabadi",
            "liu-zhongmin",
            "ma-zhaoxu",
            "mao-ning",
            "sergei-ryabkov"
        ]
    );
    let ryabkov = loaded.corpus.person("sergei-ryabkov").unwrap();
    assert!(
        ryabkov
            .aliases
            .iter()
            .any(|a| a == "Ryabkov Sergey Alexeevich")
    );
    assert!(ryabkov.aliases.iter().any(|a| a == "Рябков"));
    // The one warning: a `said` no date rule reads (issue 12: shown as written, and warned).
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].ends_with(
            "2025-03-beijing-iran-nuclear-talks.json: statements[2].said: \"Around the same time\" cannot be dated; write a weekday, a date such as \"March 12\", or \"last week\" (shown as written)"
        ),
        "{warnings:?}"
    );
}

#[test]
fn a_minimal_article_loads() {
    let (_dir, result) = load(&[("a1.json", &minimal().to_string())]);
    let loaded = result.expect("loads");
    assert_eq!(loaded.corpus.counts().people, 1);
}

#[test]
fn unknown_speaker_suggests_the_nearest_id() {
    let text = with(minimal(), |a| {
        a["statements"][0]["speaker"] = json!("mao-nign")
    });
    assert_eq!(
        problems(&[("x.json", &text)]),
        [
            r#"articles/x.json: statements[0].speaker: unknown participant "mao-nign" (did you mean "mao-ning"?)"#
        ]
    );
}

#[test]
fn speaker_and_attribution_are_exclusive_and_one_is_required() {
    let both = with(minimal(), |a| {
        a["statements"][0]["attribution"] = json!("experts")
    });
    assert_eq!(
        problems(&[("x.json", &both)]),
        [
            r#"articles/x.json: statements[0]: has both "speaker" and "attribution"; give exactly one"#
        ]
    );
    let neither = with(minimal(), |a| {
        a["statements"][0]
            .as_object_mut()
            .unwrap()
            .remove("speaker");
    });
    assert_eq!(
        problems(&[("x.json", &neither)]),
        [
            r#"articles/x.json: statements[0]: has neither "speaker" nor "attribution"; give exactly one"#
        ]
    );
}

#[test]
fn unknown_topic_and_event_participant_are_reported() {
    let text = with(minimal(), |a| {
        a["statements"][0]["topics"] = json!(["jcpoaa"]);
        a["events"][0]["participants"] = json!(["nobody-at-all"]);
    });
    assert_eq!(
        problems(&[("x.json", &text)]),
        [
            r#"articles/x.json: statements[0].topics[0]: unknown context id "jcpoaa" (did you mean "jcpoa"?)"#,
            r#"articles/x.json: events[0].participants[0]: unknown participant "nobody-at-all" (known: mao-ning)"#,
        ]
    );
}

#[test]
fn duplicate_ids_within_an_article() {
    let text = with(minimal(), |a| {
        let person = a["participants"][0].clone();
        a["participants"].as_array_mut().unwrap().push(person);
        let item = a["context"][0].clone();
        a["context"].as_array_mut().unwrap().push(item);
    });
    assert_eq!(
        problems(&[("x.json", &text)]),
        [
            r#"articles/x.json: participants[1].id: duplicate participant id "mao-ning""#,
            r#"articles/x.json: context[1].id: duplicate context id "jcpoa""#,
        ]
    );
}

#[test]
fn duplicate_article_ids_across_files_name_both_files() {
    let text = minimal().to_string();
    let found = problems(&[("a.json", &text), ("b.json", &text)]);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with(r#"articles/b.json: id: duplicate article id "a1", also used by "#),
        "{}",
        found[0]
    );
    assert!(found[0].ends_with("articles/a.json"), "{}", found[0]);
}

#[test]
fn slugs_dates_and_empty_text_are_checked() {
    let text = with(minimal(), |a| {
        a["id"] = json!("Not A Slug");
        a["published"] = json!("2025-02-30");
        a["participants"][0]["name"] = json!("  ");
        a["statements"][0]["text"] = json!("");
        a["events"][0]["date"] = json!("14 March 2025");
    });
    assert_eq!(
        problems(&[("x.json", &text)]),
        [
            r#"articles/x.json: id: "Not A Slug" is not a slug (lowercase letters, digits and '-', e.g. "mao-ning")"#,
            r#"articles/x.json: published: "2025-02-30" is not a date; write YYYY-MM-DD, e.g. "2025-03-14""#,
            "articles/x.json: participants[0].name: must not be empty",
            "articles/x.json: statements[0].text: must not be empty",
            r#"articles/x.json: events[0].date: "14 March 2025" is not a date; write YYYY-MM-DD, e.g. "2025-03-14""#,
        ]
    );
}

#[test]
fn an_article_url_must_be_a_web_address() {
    let example = r#"e.g. "https://www.example.com/news/2025/03/14/talks""#;
    for (url, why) in [
        (
            "www.dw.com/en/talks",
            "is not a web address (relative URL without a base)",
        ),
        (
            "ftp://example.org/a",
            "is a ftp address; write an http or https address",
        ),
        (
            "https://example.org/a b",
            "contains spaces; write the address without them",
        ),
        (
            "mailto:desk@example.org",
            "is a mailto address; write an http or https address",
        ),
        ("https://", "is not a web address (empty host)"),
    ] {
        let text = with(minimal(), |a| a["url"] = json!(url));
        let found = problems(&[("x.json", &text)]);
        assert_eq!(found.len(), 1, "{url}: {found:?}");
        assert!(
            found[0].starts_with(&format!("articles/x.json: url: \"{url}\" {why}")),
            "{url}: {}",
            found[0]
        );
        assert!(found[0].ends_with(example), "{}", found[0]);
    }
    for url in [
        "https://www.dw.com/en/a-71918878",
        "http://en.people.cn/n3/2025/0314/c9.html",
    ] {
        let text = with(minimal(), |a| a["url"] = json!(url));
        let (_dir, loaded) = load(&[("x.json", &text)]);
        let loaded = loaded.unwrap_or_else(|f| panic!("{url}: {:?}", f.problems));
        assert_eq!(loaded.corpus.articles[0].url.as_deref(), Some(url));
    }
}

#[test]
fn malformed_json_names_line_and_column() {
    assert_eq!(
        problems(&[("x.json", "{\n  \"id\": \"a1\",\n  \"title\": \n")]),
        ["articles/x.json:4:1: title: EOF while parsing a value"]
    );
}

#[test]
fn a_wrong_type_names_line_column_and_field() {
    let text = "{\"id\": \"a1\", \"title\": \"T\", \"summary\": \"S\",\n \"statements\": [{\"speaker\": \"x\", \"kind\": \"quote\", \"text\": 5}]}";
    assert_eq!(
        problems(&[("x.json", text)]),
        ["articles/x.json:2:59: statements[0].text: invalid type: integer `5`, expected a string"]
    );
}

#[test]
fn unknown_fields_and_kinds_are_refused() {
    let text = with(minimal(), |a| {
        a["statements"][0]["speakr"] = json!("mao-ning")
    });
    let found = problems(&[("x.json", &text)]);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].contains("statements[0].speakr: unknown field `speakr`"),
        "{}",
        found[0]
    );
    let text = with(minimal(), |a| a["statements"][0]["kind"] = json!("rumour"));
    let found = problems(&[("x.json", &text)]);
    assert!(
        found[0].contains(
            "statements[0].kind: unknown variant `rumour`, expected `quote` or `paraphrase`"
        ),
        "{}",
        found[0]
    );
}

#[test]
fn every_problem_in_the_directory_is_reported_and_nothing_loads() {
    // The issue's example: a typo in a speaker id, a duplicate id and a truncated file.
    let typo = with(minimal(), |a| {
        a["statements"][0]["speaker"] = json!("mao-nign")
    });
    let duplicate = with(minimal(), |a| {
        a["id"] = json!("a2");
        let person = a["participants"][0].clone();
        a["participants"].as_array_mut().unwrap().push(person);
    });
    let truncated = &minimal().to_string()[..40];
    let found = problems(&[
        ("1.json", &typo),
        ("2.json", &duplicate),
        ("3.json", truncated),
    ]);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].starts_with("articles/1.json: statements[0].speaker: unknown participant"));
    assert!(found[1].starts_with("articles/2.json: participants[1].id: duplicate participant id"));
    assert!(
        found[2].starts_with("articles/3.json:1:40: "),
        "{}",
        found[2]
    );
}

#[test]
fn an_oversized_file_is_refused() {
    let dir = data_dir(&[("big.json", &minimal().to_string())]);
    let config = LoadConfig { max_file_bytes: 16 };
    let failure = load_dir(dir.path(), &config).expect_err("refused");
    let message = failure.problems[0].to_string();
    assert!(
        message.ends_with(
            "bytes, over the limit of 16 bytes (raise it with --max-file-bytes or MAX_FILE_BYTES)"
        ),
        "{message}"
    );
}

#[test]
fn an_empty_directory_loads_an_empty_corpus_with_a_warning() {
    let (_dir, result) = load(&[]);
    let loaded = result.expect("an empty corpus is valid");
    assert_eq!(loaded.corpus.counts().articles, 0);
    assert_eq!(loaded.warnings.len(), 1);
    assert!(loaded.warnings[0].to_string().contains("no article files"));
}

#[test]
fn a_missing_directory_is_an_error_naming_it() {
    let failure = load_dir(
        Path::new("/nonexistent/briefing-data"),
        &LoadConfig::default(),
    )
    .expect_err("missing");
    assert_eq!(
        failure.problems[0].to_string(),
        "/nonexistent/briefing-data: data directory not found (set --data DIR or DATA_DIR)"
    );
}

#[test]
fn editor_temporary_files_are_skipped() {
    let text = minimal().to_string();
    let (_dir, result) = load(&[
        ("a1.json", &text),
        (".a1.json.swp", "garbage"),
        ("a1.json~", "garbage"),
        ("#a1.json#", "garbage"),
    ]);
    assert_eq!(result.expect("loads").files.len(), 1);
}

#[test]
fn people_merge_across_articles_keeping_each_role() {
    let newer = with(minimal(), |a| {
        a["id"] = json!("a2");
        a["published"] = json!("2025-04-01");
        a["participants"][0]["role"] = json!("Vice Minister");
        a["participants"][0]["aliases"] = json!(["Ning Mao"]);
    });
    let older = with(minimal(), |a| a["published"] = json!("2025-03-01"));
    let (_dir, result) = load(&[("a.json", &older), ("b.json", &newer)]);
    let corpus = result.expect("loads").corpus;
    let person = corpus.person("mao-ning").unwrap();
    let roles: Vec<&str> = person
        .appearances
        .iter()
        .map(|&a| corpus.participant(a).role.as_str())
        .collect();
    assert_eq!(roles, ["Vice Minister", "Spokesperson"]);
    assert_eq!(person.current().role, "Vice Minister");
    assert!(person.aliases.contains(&"毛宁".to_string()));
    assert!(person.aliases.contains(&"Ning Mao".to_string()));
}

#[test]
fn likely_duplicate_people_warn_without_failing() {
    let first = with(minimal(), |a| {
        a["participants"][0]["id"] = json!("sergey-ryabkov");
        a["participants"][0]["name"] = json!("Sergey Ryabkov");
        a["statements"][0]["speaker"] = json!("sergey-ryabkov");
        a["events"][0]["participants"] = json!([]);
    });
    let second = with(minimal(), |a| {
        a["id"] = json!("a2");
        a["participants"][0]["id"] = json!("ryabkov-sergey");
        a["participants"][0]["name"] = json!("Ryabkov Sergey");
        a["statements"][0]["speaker"] = json!("ryabkov-sergey");
        a["events"][0]["participants"] = json!([]);
    });
    let (_dir, result) = load(&[("a.json", &first), ("b.json", &second)]);
    let loaded = result.expect("warnings do not fail");
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    let warning = loaded.warnings[0].to_string();
    assert!(
        warning.contains(
            r#"participants[0]: "ryabkov-sergey" may be the same person as "sergey-ryabkov""#
        ),
        "{warning}"
    );
}

#[test]
fn the_committed_schema_matches_the_types() {
    let committed = fs::read_to_string(seed_dir().join("article.schema.json")).unwrap();
    assert_eq!(
        committed,
        briefing_bot::article::schema_json(),
        "data/article.schema.json is stale: run `cargo run -- schema > data/article.schema.json`"
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse_article(Path::new("x.json"), &bytes);
        }

        #[test]
        fn mutations_of_a_valid_file_give_errors_not_panics(
            cut in 0usize..2000,
            at in 0usize..2000,
            byte in any::<u8>(),
        ) {
            let mut text = with(minimal(), |_| {}).into_bytes();
            let at = at % text.len();
            text[at] = byte;
            let text = &text[..cut.min(text.len())];
            if let Ok(article) = parse_article(Path::new("x.json"), text) {
                // Whatever parses is then validated without panicking.
                let _ = briefing_bot::load::validate_article(&article, Path::new("x.json"));
            }
        }
    }
}

fn check(data: &Path) -> (i32, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_briefing-bot"))
        .arg("--data")
        .arg(data)
        .arg("check")
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn check_prints_the_seed_summary_and_exits_0() {
    let (status, out) = check(&seed_dir());
    assert_eq!(status, 0, "{out}");
    assert!(
        out.contains("data: 1 article, 6 people, 16 statements, 11 context items, 4 events\n"),
        "{out}"
    );
    assert!(
        out.ends_with("statements[2].said: \"Around the same time\" cannot be dated; write a weekday, a date such as \"March 12\", or \"last week\" (shown as written)\nok: 1 file valid\n"),
        "{out}"
    );
}

#[test]
fn check_prints_every_problem_and_exits_1() {
    let typo = with(minimal(), |a| {
        a["statements"][0]["speaker"] = json!("mao-nign")
    });
    let duplicate = with(minimal(), |a| a["id"] = json!("a1"));
    let truncated = &minimal().to_string()[..40];
    let dir = data_dir(&[
        ("1.json", &typo),
        ("2.json", &duplicate),
        ("3.json", truncated),
    ]);
    let (status, out) = check(dir.path());
    assert_eq!(status, 1, "{out}");
    let errors: Vec<&str> = out.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 3, "{out}");
    assert!(errors[0].ends_with(r#"1.json: statements[0].speaker: unknown participant "mao-nign" (did you mean "mao-ning"?)"#), "{out}");
    assert!(errors[1].contains("3.json:1:40: "), "{out}");
    assert!(
        errors[2].contains(r#"2.json: id: duplicate article id "a1", also used by "#),
        "{out}"
    );
    assert!(out.contains("3 problems in "), "{out}");
}

// ---- Reading files: encodings, empty files, names, and what is skipped ----

/// The skipped entries of a directory that loads, as `name: reason`.
fn skipped(loaded: &Loaded) -> Vec<String> {
    loaded
        .skipped
        .iter()
        .map(|s| {
            let name = s.path.file_name().unwrap().to_string_lossy();
            format!("{name}: {}", s.reason)
        })
        .collect()
}

#[test]
fn a_utf8_byte_order_mark_is_accepted() {
    let text = format!("\u{FEFF}{}", minimal());
    let (_dir, result) = load(&[("a1.json", &text)]);
    assert_eq!(result.expect("loads").corpus.counts().articles, 1);
}

#[test]
fn an_empty_file_says_it_is_empty() {
    let expected = r#"articles/x.json: the file is empty; an article is a JSON object with at least "id", "title" and "summary""#;
    assert_eq!(problems(&[("x.json", "")]), [expected]);
    assert_eq!(problems(&[("x.json", " \n\n")]), [expected]);
}

#[test]
fn bytes_that_are_not_utf8_name_their_offset() {
    let dir = data_dir(&[]);
    // Latin-1 "é" (0xE9) on the second line, 14 bytes into the file.
    fs::write(
        dir.path().join("articles/x.json"),
        b"{\n  \"id\": \"caf\xE9\"}",
    )
    .unwrap();
    let failure = load_dir(dir.path(), &LoadConfig::default()).expect_err("refused");
    let prefix = format!("{}/", dir.path().display());
    let found: Vec<String> = failure
        .problems
        .iter()
        .map(|p| p.to_string().replace(&prefix, ""))
        .collect();
    assert_eq!(
        found,
        [
            "articles/x.json:2:13: not UTF-8: byte 0xE9 at byte offset 14 is not valid UTF-8; save the file as UTF-8"
        ]
    );
}

#[test]
fn utf16_is_named_as_such() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "{}".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    let problem = parse_article(Path::new("x.json"), &bytes).expect_err("refused");
    assert_eq!(
        problem.to_string(),
        "x.json: UTF-16 text (it starts with a UTF-16 byte order mark); save the file as UTF-8"
    );
}

#[test]
fn json_in_any_case_is_an_article_file() {
    let second = with(minimal(), |a| a["id"] = json!("a2"));
    let (_dir, result) = load(&[
        ("UPPER.JSON", &minimal().to_string()),
        ("mixed.Json", &second),
    ]);
    let loaded = result.expect("loads");
    assert_eq!(loaded.files.len(), 2, "{:?}", loaded.files);
    assert_eq!(loaded.corpus.counts().articles, 2);
}

#[test]
fn every_entry_that_is_not_read_is_listed_with_why() {
    let dir = data_dir(&[
        ("a1.json", &minimal().to_string()),
        ("notes.txt", "to do"),
        (".a1.json.swp", "garbage"),
        ("a1.json~", "garbage"),
        ("#a1.json#", "garbage"),
    ]);
    let articles = dir.path().join("articles");
    fs::create_dir(articles.join("x.json")).unwrap();
    std::os::unix::fs::symlink("missing.json", articles.join("broken.json")).unwrap();
    std::os::unix::fs::symlink("loop-b.json", articles.join("loop-a.json")).unwrap();
    std::os::unix::fs::symlink("loop-a.json", articles.join("loop-b.json")).unwrap();
    // A link to a file is followed and read.
    let linked = with(minimal(), |a| a["id"] = json!("a2"));
    fs::write(dir.path().join("elsewhere.json"), linked).unwrap();
    std::os::unix::fs::symlink("../elsewhere.json", articles.join("linked.json")).unwrap();

    let loaded = load_dir(dir.path(), &LoadConfig::default()).expect("loads");
    assert_eq!(loaded.corpus.counts().articles, 2);
    assert_eq!(
        skipped(&loaded),
        [
            "#a1.json#: an editor's autosave file",
            ".a1.json.swp: a hidden file (editors' swap files start with a dot)",
            "a1.json~: an editor's backup file",
            "broken.json: a broken symbolic link: its target missing.json does not exist",
            "loop-a.json: a symbolic link loop: following it leads back to itself",
            "loop-b.json: a symbolic link loop: following it leads back to itself",
            "notes.txt: not a .json file",
            "x.json: a directory, not a file",
        ]
    );
}

#[test]
fn a_failed_load_keeps_the_skipped_entries() {
    let dir = data_dir(&[("bad.json", "{")]);
    fs::create_dir(dir.path().join("articles/x.json")).unwrap();
    let failure = load_dir(dir.path(), &LoadConfig::default()).expect_err("refused");
    assert_eq!(failure.skipped.len(), 1);
    assert!(
        failure.skipped[0]
            .to_string()
            .ends_with("articles/x.json: a directory, not a file"),
        "{:?}",
        failure.skipped
    );
}

#[test]
fn check_prints_every_skipped_path_and_why() {
    let dir = data_dir(&[("a1.json", &minimal().to_string()), ("notes.txt", "")]);
    let articles = dir.path().join("articles");
    fs::create_dir(articles.join("x.json")).unwrap();
    std::os::unix::fs::symlink("missing.json", articles.join("broken.json")).unwrap();
    let (status, out) = check(dir.path());
    assert_eq!(status, 0, "{out}");
    let prefix = format!("{}/", dir.path().display());
    let lines: Vec<String> = out
        .lines()
        .filter(|l| l.starts_with("skipped: "))
        .map(|l| l.replace(&prefix, ""))
        .collect();
    assert_eq!(
        lines,
        [
            "skipped: articles/broken.json: a broken symbolic link: its target missing.json does not exist",
            "skipped: articles/notes.txt: not a .json file",
            "skipped: articles/x.json: a directory, not a file",
        ],
        "{out}"
    );
    assert!(out.ends_with("ok: 1 file valid\n"), "{out}");

    // And when the directory does not load.
    fs::write(articles.join("bad.json"), "{").unwrap();
    let (status, out) = check(dir.path());
    assert_eq!(status, 1, "{out}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("skipped: ")).count(),
        3,
        "{out}"
    );
}

#[test]
fn a_cut_off_object_names_no_made_up_field() {
    let problem =
        parse_article(Path::new("x.json"), b"{\"id\": \"x\", \"title\": \"\"\n").unwrap_err();
    let text = problem.to_string();
    assert!(
        text.starts_with("x.json:2:1: EOF while parsing an object"),
        "{text}"
    );
    assert!(!text.contains("?:"), "{text}");
}

/// Problems come in file order, a file that did not parse among articles that did not
/// validate, whether the directory is read on one thread or on several (from 64 files).
#[test]
fn problems_come_in_file_order_among_many_files() {
    for count in [5, 70] {
        let texts: Vec<(String, String)> = (0..count)
            .map(|i| {
                let name = format!("{i:03}.json");
                let text = if i % 4 == 1 {
                    "{\"id\": ".to_string()
                } else if i % 4 == 3 {
                    with(minimal(), |a| {
                        a["id"] = json!(format!("a{i}"));
                        a["statements"][0]["speaker"] = json!(format!("nobody-{i}"));
                    })
                } else {
                    with(minimal(), |a| a["id"] = json!(format!("a{i}")))
                };
                (name, text)
            })
            .collect();
        let files: Vec<(&str, &str)> = texts
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str()))
            .collect();
        let found: Vec<String> = problems(&files)
            .iter()
            .map(|p| p.split(':').next().unwrap_or_default().to_string())
            .collect();
        let expected: Vec<String> = (0..count)
            .filter(|i| i % 2 == 1)
            .map(|i| format!("articles/{i:03}.json"))
            .collect();
        assert_eq!(found, expected, "{count} files");
    }
}

/// One id warns of two people when an entry shares no word with any earlier entry of that id
/// (not only the first), even when its own name and alias repeat a word; and of two countries
/// only when they differ once folded.
#[test]
fn one_id_two_people_compares_with_every_earlier_entry() {
    let entry = |i: usize, name: &str, aliases: Value, country: &str| {
        with(minimal(), |a| {
            a["id"] = json!(format!("a{i}"));
            a["participants"]
                .as_array_mut()
                .unwrap()
                .push(json!({"id": "x", "name": name, "aliases": aliases, "country": country}));
        })
    };
    let texts = [
        entry(1, "Sergey Ryabkov", json!([]), "Russia"),
        entry(2, "Ryabkov", json!(["S. Ryabkov"]), " russia "),
        entry(3, "Deputy Minister", json!(["Minister"]), "Iran"),
        entry(4, "Deputy", json!([]), ""),
    ];
    let names = ["1.json", "2.json", "3.json", "4.json"];
    let files: Vec<(&str, &str)> = names
        .iter()
        .zip(&texts)
        .map(|(name, text)| (*name, text.as_str()))
        .collect();
    let (dir, result) = load(&files);
    let prefix = format!("{}/", dir.path().display());
    let warnings: Vec<String> = result
        .expect("the directory loads")
        .warnings
        .iter()
        .map(|w| w.to_string().replace(&prefix, ""))
        .collect();
    let two_people: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("two people under one id"))
        .collect();
    assert_eq!(two_people.len(), 1, "{warnings:#?}");
    assert!(
        two_people[0].starts_with("articles/3.json: participants[1]:")
            && two_people[0].contains("\"Sergey Ryabkov\" in")
            && two_people[0].contains("articles/1.json"),
        "{warnings:#?}"
    );
    let countries: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("the newest article's country is shown"))
        .collect();
    assert_eq!(countries.len(), 1, "{warnings:#?}");
    assert!(
        countries[0].starts_with("articles/3.json: participants[1].country:")
            && countries[0].contains("\"Iran\" here but \"Russia\""),
        "{warnings:#?}"
    );
}
