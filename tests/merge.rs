//! Many articles, one story: a person is the union of their entries across articles, topics are
//! shared by id, and references may cross articles. Each test writes a minimal data directory.

use std::path::Path;

use briefing_bot::cmd::{Context, answer};
use briefing_bot::indexed::Indexed;
use briefing_bot::load::{LoadConfig, load_dir};
use briefing_bot::slash;

fn write(dir: &Path, name: &str, json: &str) {
    let articles = dir.join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    std::fs::write(articles.join(name), json).unwrap();
}

const OLDER: &str = r#"{
  "id": "older", "title": "Khamenei rejects talks", "published": "2025-03-08",
  "summary": "Iran's Supreme Leader rejects talks with the United States.",
  "participants": [
    {"id": "ali-khamenei", "name": "Ali Khamenei", "role": "Supreme Leader",
     "organization": "Islamic Republic of Iran", "country": "Iran",
     "description": "Iran's Supreme Leader, who called talks with the U.S. pointless."}
  ],
  "context": [{"id": "jcpoa", "title": "JCPOA", "text": "The 2015 nuclear deal."}],
  "statements": [{"speaker": "ali-khamenei", "kind": "paraphrase",
    "text": "Negotiating with the U.S. is not wise.", "topics": ["jcpoa"]}]
}"#;

const NEWER: &str = r#"{
  "id": "newer", "title": "Beijing hosts talks", "published": "2025-03-14",
  "summary": "China hosts Russia and Iran.",
  "participants": [
    {"id": "ali-khamenei", "name": "Ayatollah Ali Khamenei"},
    {"id": "mao-ning", "name": "Mao Ning", "role": "Spokesperson", "country": "China"}
  ],
  "context": [{"id": "jcpoa", "title": "JCPOA", "text": "The deal the talks want to revive."}],
  "statements": [{"speaker": "mao-ning", "kind": "quote",
    "text": "Dialogue is the only way.", "topics": ["jcpoa"]}],
  "events": [{"when": "Friday", "date": "2025-03-14", "where": "Beijing",
    "what": "Talks", "participants": ["mao-ning", "ali-khamenei"]}]
}"#;

fn load(dir: &Path) -> Indexed {
    let loaded = load_dir(dir, &LoadConfig::default())
        .unwrap_or_else(|failure| panic!("{:#?}", failure.problems));
    Indexed::new(loaded.corpus)
}

fn ask(corpus: &Indexed, line: &str) -> briefing_bot::reply::Reply {
    answer(&Context::new(corpus), &slash::parse(line).unwrap())
}

#[test]
fn a_bare_mention_in_a_newer_article_never_blanks_an_older_one() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "older.json", OLDER);
    write(dir.path(), "newer.json", NEWER);
    let corpus = load(dir.path());
    let person = corpus.person("ali-khamenei").unwrap();
    assert_eq!(person.name, "Ayatollah Ali Khamenei", "the newest name");
    assert!(person.aliases.contains(&"Ali Khamenei".to_string()));
    assert_eq!(person.current().role, "Supreme Leader");
    assert_eq!(person.current().country, "Iran");
    assert!(person.current().description.is_some());
    assert_eq!(person.appearances.len(), 2, "each article's entry is kept");

    let who = ask(&corpus, "/who khamenei").to_text();
    assert!(who.contains("Supreme Leader"), "{who}");
    assert!(who.contains("Country: Iran"), "{who}");
    let iran = ask(&corpus, "/participants country:iran").to_text();
    assert!(iran.contains("Khamenei"), "{iran}");
}

#[test]
fn topics_are_one_across_articles_and_references_may_cross_articles() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "older.json", OLDER);
    // The newer article cites the shared topic without defining it, and names in an event a
    // person only the older article defines.
    let newer = NEWER
        .replace(
            r#""context": [{"id": "jcpoa", "title": "JCPOA", "text": "The deal the talks want to revive."}],"#,
            "",
        )
        .replace(
            r#"{"id": "ali-khamenei", "name": "Ayatollah Ali Khamenei"},"#,
            "",
        );
    write(dir.path(), "newer.json", &newer);
    let corpus = load(dir.path());
    assert_eq!(corpus.topics.len(), 1);
    let context = ask(&corpus, "/context jcpoa").to_text();
    assert!(context.contains("Dialogue is the only way"), "{context}");
    assert!(context.contains("Negotiating with the U.S."), "{context}");
}

#[test]
fn one_id_for_two_people_or_two_countries_is_a_warning_naming_both_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "older.json", OLDER);
    let newer = NEWER.replace(
        r#"{"id": "ali-khamenei", "name": "Ayatollah Ali Khamenei"}"#,
        r#"{"id": "ali-khamenei", "name": "Hassan Rouhani", "country": "Iraq"}"#,
    );
    write(dir.path(), "newer.json", &newer);
    let loaded = load_dir(dir.path(), &LoadConfig::default()).unwrap();
    let warnings: Vec<String> = loaded.warnings.iter().map(|w| w.to_string()).collect();
    let two_people = warnings
        .iter()
        .find(|w| w.contains("two people under one id"))
        .unwrap_or_else(|| panic!("{warnings:#?}"));
    assert!(
        two_people.contains("older.json") && two_people.contains("newer.json"),
        "{two_people}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("\"Iraq\"") && w.contains("older.json")),
        "{warnings:#?}"
    );
}

#[test]
fn an_unknown_reference_is_still_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "newer.json",
        &NEWER.replace(r#""topics": ["jcpoa"]"#, r#""topics": ["jcpao"]"#),
    );
    let failure = load_dir(dir.path(), &LoadConfig::default()).unwrap_err();
    let text = failure.problems[0].to_string();
    assert!(
        text.contains("statements[0].topics[0]") && text.contains("jcpoa"),
        "{text}"
    );
}

#[test]
fn a_speaker_narrows_an_ambiguous_topic_to_the_ones_they_spoke_on() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.json",
        r#"{
  "id": "a", "title": "Sanctions talk", "published": "2025-03-14", "summary": "Two kinds of sanctions.",
  "participants": [
    {"id": "wang-yi", "name": "Wang Yi", "role": "Foreign Minister", "country": "China"},
    {"id": "mao-ning", "name": "Mao Ning", "role": "Spokesperson", "country": "China"}
  ],
  "context": [
    {"id": "unilateral-sanctions", "title": "Unilateral sanctions on Iran", "text": "US sanctions."},
    {"id": "snapback", "title": "Snapback of UN sanctions", "text": "The UN mechanism."}
  ],
  "statements": [
    {"speaker": "wang-yi", "kind": "paraphrase", "text": "Illegal sanctions must end.",
     "topics": ["unilateral-sanctions"]},
    {"speaker": "mao-ning", "kind": "paraphrase", "text": "Snapback would be a mistake.",
     "topics": ["snapback"]}
  ]
}"#,
    );
    let corpus = load(dir.path());
    // Alone, "sanctions" names two topics: the user picks.
    let alone = ask(&corpus, "/context sanctions");
    assert!(
        !alone.ok && alone.suggestions.len() == 2,
        "{}",
        alone.to_text()
    );
    // Wang Yi spoke on one of them only: that one is meant.
    let narrowed = ask(&corpus, "/statements speaker:\"Wang Yi\" topic:sanctions");
    assert!(narrowed.ok, "{}", narrowed.to_text());
    assert!(
        narrowed.title.contains("Unilateral sanctions"),
        "{}",
        narrowed.title
    );
}
