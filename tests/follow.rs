//! `/follow`, `/unfollow`, `/follows` through the one way in, and the rule for what an article
//! says about a follow, on the 23 real articles of the story fixture.

use std::path::Path;
use std::sync::{Mutex, OnceLock};

use briefing_bot::cmd::follow::{alert, articles_mentioning, mentions};
use briefing_bot::cmd::{Caller, Context, Place, answer};
use briefing_bot::indexed::Indexed;
use briefing_bot::load::{LoadConfig, load_dir};
use briefing_bot::reply::Reply;
use briefing_bot::slash;
use briefing_bot::store::{Follow, FollowKind, Store};
use chrono::{DateTime, Utc};

fn story() -> &'static Indexed {
    static STORY: OnceLock<Indexed> = OnceLock::new();
    STORY.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/story");
        let loaded = load_dir(&dir, &LoadConfig::default())
            .unwrap_or_else(|failure| panic!("{:#?}", failure.problems));
        Indexed::new(loaded.corpus)
    })
}

const GUILD: u64 = 7;
const CHANNEL: u64 = 555;

fn ask(store: &Mutex<Store>, line: &str, is_admin: bool) -> Reply {
    let ctx = Context {
        store: Some(store),
        caller: Caller { is_admin },
        place: Place {
            guild_id: Some(GUILD),
            channel_id: Some(CHANNEL),
            user_id: Some(42),
        },
        now: DateTime::from_timestamp(1_750_000_000, 0).unwrap(),
        ..Context::new(story())
    };
    answer(&ctx, &slash::parse(line).unwrap())
}

fn open() -> (tempfile::TempDir, Mutex<Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("state.db")).unwrap();
    (dir, Mutex::new(store))
}

#[test]
fn follow_a_person_by_a_misspelled_name_then_list_and_unfollow() {
    let (_dir, store) = open();
    let reply = ask(&store, "/follow about:Riabkov", true);
    assert!(reply.ok, "{}", reply.to_text());
    assert_eq!(reply.title, "Following Sergei Ryabkov");
    assert!(reply.body.contains("channel 555"), "{}", reply.body);
    assert!(
        reply.body.contains("15 articles already loaded"),
        "{}",
        reply.body
    );

    let again = ask(&store, "/follow about:sergei-ryabkov", true);
    assert!(again.ok);
    assert!(
        again.title.starts_with("Already following"),
        "{}",
        again.title
    );

    let list = ask(&store, "/follows", false).to_text();
    assert!(list.contains("Sergei Ryabkov (person)"), "{list}");
    assert!(list.contains("channel 555"), "{list}");

    let gone = ask(&store, "/unfollow about:Ryabkov", true);
    assert!(gone.ok, "{}", gone.to_text());
    assert!(gone.title.contains("Sergei Ryabkov"), "{}", gone.title);
    let list = ask(&store, "/follows", false);
    assert!(!list.ok);
    assert_eq!(list.title, "No follows");
}

#[test]
fn follow_a_topic_and_words_and_ask_when_unsure() {
    let (_dir, store) = open();
    let topic = ask(&store, "/follow about:JCPOA channel:<#900>", true);
    assert!(topic.ok, "{}", topic.to_text());
    assert!(topic.body.contains("the topic"), "{}", topic.body);
    assert!(topic.body.contains("channel 900"), "{}", topic.body);

    // A word that is a topic's name follows the topic; other words follow the words.
    let snapback = ask(&store, "/follow about:snapback", true);
    assert!(snapback.ok, "{}", snapback.to_text());
    assert!(
        snapback.body.contains("the topic \u{201c}Snapback"),
        "{}",
        snapback.body
    );
    let words = ask(&store, "/follow about:centrifuge", true);
    assert!(words.ok, "{}", words.to_text());
    assert!(
        words.body.contains("the words \u{201c}centrifuge\u{201d}"),
        "{}",
        words.body
    );

    // "foreign minister" is more than one person: asked, with the words themselves as a choice.
    let unsure = ask(&store, "/follow about:\"foreign minister\"", true);
    assert!(!unsure.ok, "{}", unsure.to_text());
    assert!(unsure.title.starts_with("Did you mean"), "{}", unsure.title);
    let last = unsure.suggestions.last().unwrap();
    assert_eq!(last.invocation.get("about"), Some("\"foreign minister\""));
    assert_eq!(last.invocation.get("channel"), Some("555"));
    // Picking the words follows the words.
    let picked = ask(&store, &last.invocation.to_slash_line(), true);
    assert!(picked.ok, "{}", picked.to_text());
    assert!(
        picked
            .body
            .contains("the words \u{201c}foreign minister\u{201d}"),
        "{}",
        picked.body
    );
}

#[test]
fn members_may_list_but_not_follow() {
    let (_dir, store) = open();
    let refused = ask(&store, "/follow about:Ryabkov", false);
    assert!(!refused.ok);
    assert!(refused.body.contains("Manage Server"), "{}", refused.body);
    assert_eq!(ask(&store, "/follows", false).title, "No follows");
}

fn follow(kind: FollowKind, target: &str, label: &str) -> Follow {
    Follow {
        id: 1,
        guild_id: Some(GUILD),
        channel_id: CHANNEL,
        kind,
        target: target.into(),
        label: label.into(),
        created_by: None,
        disabled: None,
        created_at: DateTime::<Utc>::default(),
        loaded_upto: 0,
    }
}

#[test]
fn articles_mention_a_person_by_taking_part_or_by_name_never_by_substring() {
    let corpus = story();
    let taking_part: Vec<usize> = (0..corpus.articles.len())
        .filter(|&a| {
            corpus.articles[a]
                .participants
                .iter()
                .any(|p| p.id == "sergei-ryabkov")
        })
        .collect();
    let mentioning = articles_mentioning(corpus, FollowKind::Person, "sergei-ryabkov");
    assert_eq!(taking_part.len(), 15);
    // Every article he takes part in, and possibly others that name him in their text.
    for a in &taking_part {
        assert!(mentioning.contains(a), "{}", corpus.articles[*a].id);
    }
    for &a in &mentioning {
        let m = mentions(corpus, FollowKind::Person, "sergei-ryabkov", a).unwrap();
        assert!(!m.lead.is_empty());
    }
    // The one whose article has him only as a reported speaker still gets his words.
    let spoke = mentioning
        .iter()
        .filter(|&&a| {
            !mentions(corpus, FollowKind::Person, "sergei-ryabkov", a)
                .unwrap()
                .statements
                .is_empty()
        })
        .count();
    assert!(spoke >= 2, "{spoke}");
    // Someone nobody names is in no article.
    assert!(articles_mentioning(corpus, FollowKind::Person, "nobody-at-all").is_empty());
}

#[test]
fn topics_and_words_match_by_the_engine_rules() {
    let corpus = story();
    let jcpoa = articles_mentioning(corpus, FollowKind::Topic, "jcpoa");
    assert!(jcpoa.len() >= 11, "{}", jcpoa.len());
    let snapback = articles_mentioning(corpus, FollowKind::Words, "snapback");
    assert!(!snapback.is_empty());
    // A word inside another word is not the word.
    assert!(articles_mentioning(corpus, FollowKind::Words, "apback").is_empty());
    assert!(articles_mentioning(corpus, FollowKind::Words, "zzzz qqqq").is_empty());
}

#[test]
fn an_alert_says_what_the_article_says_about_it() {
    let corpus = story();
    let follow = follow(FollowKind::Person, "sergei-ryabkov", "Sergei Ryabkov");
    let a = articles_mentioning(corpus, FollowKind::Person, "sergei-ryabkov")
        .into_iter()
        .find(|&a| {
            !mentions(corpus, FollowKind::Person, "sergei-ryabkov", a)
                .unwrap()
                .statements
                .is_empty()
        })
        .unwrap();
    let reply = alert(corpus, &follow, a).unwrap();
    assert!(reply.ok);
    assert!(
        reply.title.starts_with("Sergei Ryabkov in \u{201c}"),
        "{}",
        reply.title
    );
    assert!(reply.title.contains(&corpus.articles[a].title));
    let said = reply
        .fields
        .iter()
        .find(|f| f.name == "What it says")
        .expect("his statements are quoted");
    assert!(
        !said.lines.is_empty() && said.lines.len() <= 4,
        "{:?}",
        said.lines
    );
    assert!(said.lines[0].contains("Ryabkov"), "{}", said.lines[0]);
    // An article that does not mention him gives no alert.
    let other = (0..corpus.articles.len())
        .find(|&i| mentions(corpus, FollowKind::Person, "sergei-ryabkov", i).is_none())
        .unwrap();
    assert!(alert(corpus, &follow, other).is_none());
}
