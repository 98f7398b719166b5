//! Statement dates: a relative `said` resolved against the article's `published` date, shown
//! beside the words as written, and a `check` warning (file and field path) where it cannot be.

use std::path::Path;

use briefing_bot::console::answer_line;
use briefing_bot::dates::{Unresolved, When, resolve, shown};
use briefing_bot::live::Live;
use briefing_bot::load::{LoadConfig, load_dir};
use chrono::NaiveDate;
use serde_json::json;

fn day(text: &str) -> When {
    When::Day(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
}

/// Friday 14 March 2025, the day of the Beijing talks.
const FRIDAY: &str = "2025-03-14";

#[test]
fn a_weekday_is_the_most_recent_such_day_on_or_before_publication() {
    assert_eq!(resolve("Thursday", Some(FRIDAY)), Ok(day("2025-03-13")));
    assert_eq!(resolve("on Saturday", Some(FRIDAY)), Ok(day("2025-03-08")));
    // The publication day itself when it is that weekday.
    assert_eq!(resolve("Friday", Some(FRIDAY)), Ok(day("2025-03-14")));
    assert_eq!(
        resolve("FRIDAY evening", Some(FRIDAY)),
        Ok(day("2025-03-14"))
    );
    // Across a month and a year.
    assert_eq!(
        resolve("Tuesday", Some("2025-01-01")),
        Ok(day("2024-12-31"))
    );
}

#[test]
fn an_explicit_date_wins_and_takes_the_year_on_or_before_publication() {
    assert_eq!(
        resolve("Wednesday (March 12)", Some(FRIDAY)),
        Ok(day("2025-03-12"))
    );
    assert_eq!(resolve("26 February", Some(FRIDAY)), Ok(day("2025-02-26")));
    assert_eq!(resolve("March 3", Some(FRIDAY)), Ok(day("2025-03-03")));
    assert_eq!(
        resolve("December 30", Some("2025-01-02")),
        Ok(day("2024-12-30"))
    );
    assert_eq!(resolve("2025-03-12", None), Ok(day("2025-03-12")));
    assert_eq!(resolve("12 March 2024", None), Ok(day("2024-03-12")));
    assert_eq!(
        resolve("February 30", Some(FRIDAY)),
        Err(Unresolved::NoSuchDay)
    );
}

#[test]
fn weeks_and_months_count_back_from_publication() {
    let monday = NaiveDate::from_ymd_opt(2025, 3, 10).unwrap();
    assert_eq!(
        resolve("earlier this week", Some(FRIDAY)),
        Ok(When::Week(monday))
    );
    assert_eq!(
        resolve("last week", Some(FRIDAY)),
        Ok(When::Week(NaiveDate::from_ymd_opt(2025, 3, 3).unwrap()))
    );
    assert_eq!(
        resolve("last month", Some("2025-01-20")),
        Ok(When::Month(NaiveDate::from_ymd_opt(2024, 12, 1).unwrap()))
    );
    assert_eq!(resolve("yesterday", Some(FRIDAY)), Ok(day("2025-03-13")));
}

#[test]
fn other_phrases_are_not_resolved_and_are_shown_as_written() {
    for phrase in [
        "Earlier in the week",
        "After the talks",
        "A day before the trilateral meeting",
        "after the March 12 meeting",
        "",
    ] {
        assert_eq!(
            resolve(phrase, Some(FRIDAY)),
            Err(Unresolved::Unknown),
            "{phrase}"
        );
        assert_eq!(shown(phrase, Some(FRIDAY)), phrase);
    }
    assert_eq!(resolve("Thursday", None), Err(Unresolved::NoPublished));
}

#[test]
fn shown_puts_the_date_beside_the_words() {
    assert_eq!(shown("Thursday", Some(FRIDAY)), "Thursday (2025-03-13)");
    assert_eq!(
        shown("Wednesday (March 12)", Some(FRIDAY)),
        "Wednesday (March 12) (2025-03-12)"
    );
    assert_eq!(
        shown("earlier this week", Some(FRIDAY)),
        "earlier this week (week of 2025-03-10)"
    );
    assert_eq!(shown("last month", Some(FRIDAY)), "last month (2025-02)");
    // Already the date: not repeated.
    assert_eq!(shown("2025-03-12", Some(FRIDAY)), "2025-03-12");
}

/// An article published on `FRIDAY` whose statements were said at `said`.
fn article_with(said: &[&str]) -> String {
    let statements: Vec<_> = said
        .iter()
        .map(|s| {
            json!({"speaker": "mao-ning", "kind": "paraphrase", "text": format!("Said {s}."), "said": s})
        })
        .collect();
    serde_json::to_string_pretty(&json!({
        "id": "a1",
        "title": "Talks in Beijing",
        "published": FRIDAY,
        "summary": "China hosts talks.",
        "participants": [
            {"id": "mao-ning", "name": "Mao Ning", "role": "Spokesperson",
             "organization": "Foreign Ministry", "country": "China"}
        ],
        "statements": statements
    }))
    .unwrap()
}

fn data_dir(article: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("articles")).unwrap();
    std::fs::write(dir.path().join("articles/a1.json"), article).unwrap();
    dir
}

#[test]
fn the_loader_warns_at_each_said_it_cannot_resolve() {
    let said = [
        "Thursday",
        "Wednesday (March 12)",
        "Earlier in the week",
        "on Saturday",
        "Tuesday (March 12)",
        "last month",
    ];
    let dir = data_dir(&article_with(&said));
    let loaded = load_dir(dir.path(), &LoadConfig::default()).expect("warnings do not fail");
    let prefix = format!("{}/", dir.path().display());
    let warnings: Vec<String> = loaded
        .warnings
        .iter()
        .map(|w| w.to_string().replace(&prefix, ""))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].starts_with("articles/a1.json: statements[2].said: \"Earlier in the week\""),
        "{warnings:?}"
    );
    assert!(
        warnings[1].starts_with("articles/a1.json: statements[4].said: \"Tuesday (March 12)\"")
            && warnings[1].contains("is a Wed"),
        "{warnings:?}"
    );
}

#[test]
fn statements_show_the_resolved_date_beside_the_words() {
    let said = ["Thursday", "Wednesday (March 12)", "Earlier in the week"];
    let dir = data_dir(&article_with(&said));
    let live = Live::load(dir.path(), LoadConfig::default()).expect("loads");
    let text = answer_line(&live, "/statements speaker:\"Mao Ning\"")
        .0
        .to_text();
    assert!(
        text.contains("(reported, Thursday (2025-03-13)) Said Thursday."),
        "{text}"
    );
    assert!(
        text.contains("(reported, Wednesday (March 12) (2025-03-12)) Said Wednesday"),
        "{text}"
    );
    assert!(
        text.contains("(reported, Earlier in the week) Said Earlier in the week."),
        "{text}"
    );
}

#[test]
fn the_story_corpus_dates_its_statements() {
    let story = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/story");
    let loaded = load_dir(&story, &LoadConfig::default()).expect("story loads");
    // A weekday in a dated article is always resolved: no warning names one.
    for warning in loaded.warnings.iter().map(ToString::to_string) {
        assert!(
            !["\"Friday\"", "\"Thursday\"", "\"Wednesday\""]
                .iter()
                .any(|day| warning.contains(day)),
            "{warning}"
        );
    }
    // An article without a `published` date is of its events' newest day (dates::article_day):
    // antiwar.com's undated copy reports Saturday 8 March, so its "Saturday" is that day.
    assert!(
        !loaded.warnings.iter().any(|w| w
            .to_string()
            .contains("2025-03-08-antiwar-khamenei-rejects-talks.json")),
        "{:#?}",
        loaded.warnings
    );
    let live = Live::load(&story, LoadConfig::default()).expect("story loads");
    let undated = answer_line(
        &live,
        "/statements speaker:Khamenei article:2025-03-08-antiwar-khamenei-rejects-talks",
    )
    .0
    .to_text();
    assert!(undated.contains("Saturday (2025-03-08)"), "{undated}");
    let text = answer_line(&live, "/statements speaker:Khamenei")
        .0
        .to_text();
    assert!(
        text.contains("(reported, Wednesday (2025-03-12)) Trump's pullout"),
        "{text}"
    );
}
