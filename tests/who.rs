//! `/who` on the real story corpus (tests/fixtures/story: 23 articles on the March 2025 Beijing
//! talks, people recurring across many of them): the events a person took part in, newest
//! first; the statements of others that name them; who else each article names. Expected values
//! are walked from the corpus itself, never written down, so the tests hold as the fixture grows.

use std::path::Path;
use std::sync::OnceLock;

use briefing_bot::cmd::{Context, answer};
use briefing_bot::indexed::Indexed;
use briefing_bot::load::{LoadConfig, load_dir};
use briefing_bot::reply::{Field, Invocation, Reply, ResultItem};

fn story() -> &'static Indexed {
    static STORY: OnceLock<Indexed> = OnceLock::new();
    STORY.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/story");
        let loaded = load_dir(&dir, &LoadConfig::default()).expect("the story corpus loads");
        Indexed::new(loaded.corpus)
    })
}

fn who(corpus: &Indexed, name: &str) -> Reply {
    answer(
        &Context::new(corpus),
        &Invocation::new("who").arg("name", name),
    )
}

fn field<'r>(reply: &'r Reply, prefix: &str) -> Option<&'r Field> {
    reply.fields.iter().find(|f| f.name.starts_with(prefix))
}

/// "and 7 more events" → 7.
fn more(line: &str) -> Option<usize> {
    line.strip_prefix("and ")?.split(' ').next()?.parse().ok()
}

#[test]
fn events_the_person_took_part_in_newest_first() {
    let corpus = story();
    let id = "sergei-ryabkov";
    // Every event naming them, in any article, with its date or else its article's.
    let mut expected: Vec<(String, Option<String>)> = Vec::new();
    for article in &corpus.articles {
        for (e, event) in article.events.iter().enumerate() {
            if event.participants.iter().any(|p| p == id) {
                let date = event.date.clone().or(article.published.clone());
                expected.push((format!("{}/events/{e}", article.id), date));
            }
        }
    }
    assert!(expected.len() > 2, "the fixture has Ryabkov in many events");

    let reply = who(corpus, "ryabkov");
    assert_eq!(reply.title, "Sergei Ryabkov");
    let events: Vec<(String, Option<String>)> = reply
        .results
        .iter()
        .filter_map(|r| match r {
            ResultItem::Event { id, date, .. } => Some((id.clone(), date.clone())),
            _ => None,
        })
        .collect();
    assert!(
        matches!(&reply.results[0], ResultItem::Participant { id: p, .. } if p == id),
        "the person comes first"
    );
    let mut ids: Vec<&String> = events.iter().map(|(id, _)| id).collect();
    let mut want: Vec<&String> = expected.iter().map(|(id, _)| id).collect();
    ids.sort();
    want.sort();
    assert_eq!(ids, want, "exactly the events naming them, each once");

    // Newest first: the date each result sorts by never rises (undated last).
    let order: Vec<Option<String>> = events
        .iter()
        .map(|(id, _)| {
            expected
                .iter()
                .find(|(e, _)| e == id)
                .and_then(|(_, d)| d.clone())
        })
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {order:?}"
    );

    // The field shows the first of them, dated, and says how many it left out.
    let field = field(&reply, "Events").expect("an Events field");
    let (shown, rest): (Vec<&String>, Vec<&String>) =
        field.lines.iter().partition(|l| more(l).is_none());
    assert!(shown.len() < expected.len(), "capped: {}", shown.len());
    assert_eq!(rest.len(), 1, "one 'and N more' line: {:?}", field.lines);
    assert_eq!(shown.len() + more(rest[0]).unwrap_or(0), expected.len());
    for (line, date) in shown.iter().zip(&order) {
        if let Some(date) = date.as_deref().filter(|_| !line.contains("(reported ")) {
            assert!(line.starts_with(date), "{line} starts with {date}");
        }
    }
}

#[test]
fn mentioned_by_lists_statements_of_others_naming_them() {
    let corpus = story();
    let id = "kazem-gharibabadi";
    // Statements of others in the articles naming him (as a participant or in an event).
    let near = |a: usize| {
        let article = &corpus.articles[a];
        article.participants.iter().any(|p| p.id == id)
            || article
                .events
                .iter()
                .any(|e| e.participants.iter().any(|p| p == id))
    };
    let naming: Vec<&str> = corpus
        .statements
        .iter()
        .filter(|at| near(at.article))
        .map(|&at| corpus.statement(at))
        .filter(|s| s.speaker.as_deref() != Some(id) && s.text.contains("Gharibabadi"))
        .map(|s| s.text.as_str())
        .collect();
    assert!(!naming.is_empty(), "the fixture has statements naming him");

    let reply = who(corpus, id);
    let field = field(&reply, "Mentioned by").expect("a Mentioned by field");
    assert!(
        field.lines.iter().any(|line| line.contains(naming[0])),
        "{:?} lacks {:?}",
        field.lines,
        naming[0]
    );
    let own: Vec<&str> = corpus
        .statements
        .iter()
        .map(|&at| corpus.statement(at))
        .filter(|s| s.speaker.as_deref() == Some(id))
        .map(|s| s.text.as_str())
        .collect();
    for line in &field.lines {
        assert!(
            !own.iter().any(|t| line.contains(t)),
            "their own words: {line}"
        );
    }
}

/// Splits "A (x, y), B, and 2 more" at the commas outside parentheses.
fn entries(text: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 && chars.peek() == Some(&' ') => {
                chars.next();
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

#[test]
fn also_there_lists_only_people_of_the_same_article_within_the_caps() {
    let corpus = story();
    let id = "sergei-ryabkov";
    // The articles naming him and someone else, newest first.
    let articles: Vec<usize> = (0..corpus.articles.len())
        .filter(|&a| {
            let people = &corpus.articles[a].participants;
            people.iter().any(|p| p.id == id) && people.iter().any(|p| p.id != id)
        })
        .collect();

    let reply = who(corpus, "ryabkov");
    let field = field(&reply, "Also there").expect("an Also there field");
    let (lines, rest): (Vec<&String>, Vec<&String>) =
        field.lines.iter().partition(|l| more(l).is_none());
    assert!(lines.len() < articles.len(), "capped: {}", lines.len());
    assert_eq!(rest.len(), 1, "one 'and N more articles' line");
    assert_eq!(lines.len() + more(rest[0]).unwrap_or(0), articles.len());

    let mut capped_people = false;
    for (line, &a) in lines.iter().zip(&articles) {
        let article = &corpus.articles[a];
        let date = article.published.as_deref().unwrap_or("undated");
        let people = line
            .strip_prefix(&format!("{} ({date}): ", article.title))
            .unwrap_or_else(|| panic!("{line} is about {}", article.title));
        let others: Vec<&str> = article
            .participants
            .iter()
            .filter(|p| p.id != id)
            .map(|p| p.name.as_str())
            .collect();
        let listed = entries(people);
        let mut named = 0;
        for entry in &listed {
            if let Some(n) = more(entry) {
                capped_people = true;
                assert_eq!(named + n, others.len(), "{line}");
                continue;
            }
            let name = entry.split(" (").next().unwrap_or(entry);
            assert!(others.contains(&name), "{name} is not in {}", article.id);
            named += 1;
        }
        assert!(named <= others.len());
        if named < others.len() {
            assert!(more(listed.last().map_or("", String::as_str)).is_some());
        }
    }
    assert!(capped_people, "some article names more than a line shows");
    assert!(field.lines.iter().all(|l| l.chars().count() <= 1024));
    assert!(
        field_absent(&reply, "Not shown"),
        "the command's own caps keep it within the engine's"
    );
}

fn field_absent(reply: &Reply, name: &str) -> bool {
    !reply.fields.iter().any(|f| f.name == name)
}

/// A two-article corpus built here: a person with a bare surname alias, and statements that do
/// and do not name him.
fn mentions_corpus() -> Indexed {
    let article = |id: &str, date: &str, statements: serde_json::Value| {
        serde_json::from_value(serde_json::json!({
            "id": id,
            "title": format!("Article {id}"),
            "published": date,
            "summary": "A summary.",
            "participants": [
                {"id": "ma-zhaoxu", "name": "Ma Zhaoxu", "aliases": ["Ma", "Zhaoxu"],
                 "role": "Vice Foreign Minister", "country": "China"},
                {"id": "mao-ning", "name": "Mao Ning", "role": "Spokesperson", "country": "China"}
            ],
            "statements": statements
        }))
        .expect("a valid article")
    };
    Indexed::build(vec![
        article(
            "one",
            "2025-03-14",
            serde_json::json!([
                {"speaker": "mao-ning", "kind": "quote", "text": "Ma will chair it."},
                {"speaker": "mao-ning", "kind": "quote", "text": "MA ZHAOXU will chair it."},
                {"speaker": "ma-zhaoxu", "kind": "quote", "text": "I, Ma Zhaoxu, will chair it."}
            ]),
        ),
        article(
            "two",
            "2025-03-13",
            serde_json::json!([
                {"speaker": "mao-ning", "kind": "paraphrase", "text": "Zhaoxu's deputy will attend."},
                {"speaker": "mao-ning", "kind": "paraphrase", "text": "Zhaoxux is not a name."}
            ]),
        ),
    ])
}

#[test]
fn a_bare_short_alias_is_not_a_mention() {
    let corpus = mentions_corpus();
    let reply = who(&corpus, "ma-zhaoxu");
    let lines = field(&reply, "Mentioned by")
        .map(|f| f.lines.clone())
        .unwrap_or_default();
    let has = |text: &str| lines.iter().any(|l| l.contains(text));
    assert!(has("MA ZHAOXU will chair it."), "{lines:?}");
    assert!(
        has("Zhaoxu's deputy"),
        "a long single word counts: {lines:?}"
    );
    assert!(
        !has("Ma will chair it."),
        "'Ma' alone is too short: {lines:?}"
    );
    assert!(!has("Zhaoxux"), "whole words only: {lines:?}");
    assert!(!has("I, Ma Zhaoxu"), "not their own words: {lines:?}");
}
