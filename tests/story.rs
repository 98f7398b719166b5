//! The story corpus (tests/fixtures/story: real articles on one story from many outlets,
//! structured by hand) and its query set (queries.tsv: slash lines with the right answer written
//! down by a person, not by the bot). Prints the score and every miss; fails below the target.
//!
//! Expectations, one per line after a tab:
//! - `answer <id>`: an answer whose first result is `<id>`;
//! - `includes <id>`: an answer with `<id>` among its results;
//! - `dym <id> ...`: no answer, but "did you mean" offering at least these ids;
//! - `nothing`: no answer and no result.
//!
//! A result "is" its id; a statement is also its speaker and its article (unnamed sources are
//! checked by article); an event is also its article.

#[path = "support/story.rs"]
mod support;
use support::{miss, story};

use std::path::Path;

use briefing_bot::cmd::{Caller, Context, answer};
use briefing_bot::slash;

/// The share of query lines that must be answered right.
const TARGET: f64 = 0.95;

#[test]
fn the_story_query_set_is_answered_right() {
    let corpus = story();
    let ctx = Context {
        caller: Caller { is_admin: true },
        ..Context::new(&corpus)
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/story/queries.tsv");
    let text = std::fs::read_to_string(&path).expect("queries.tsv");
    let mut total = 0;
    let mut misses = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (query, expect) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("queries.tsv:{}: no tab", n + 1));
        total += 1;
        let reply = match slash::parse(query) {
            Ok(invocation) => answer(&ctx, &invocation),
            Err(err) => err.into_reply(),
        };
        if let Some(why) = miss(&reply, expect) {
            misses.push(format!("  {}: {query}  [{expect}]  {why}", n + 1));
        }
    }
    let right = total - misses.len();
    let score = right as f64 / total as f64;
    println!(
        "story query set: {right}/{total} right ({:.1}%); misses:\n{}",
        score * 100.0,
        misses.join("\n")
    );
    assert!(total >= 60, "only {total} query lines");
    assert!(
        score >= TARGET,
        "{right}/{total} ({:.1}%) is under the {:.0}% target",
        score * 100.0,
        TARGET * 100.0
    );
}

#[test]
fn brief_and_who_link_to_the_source_articles() {
    let corpus = story();
    let ctx = Context::new(&corpus);
    let ask = |line: &str| answer(&ctx, &slash::parse(line).unwrap());

    let brief = ask("/brief article:2025-03-14-dw-diplomats-hold-nuclear-talks");
    assert!(brief.ok, "{}", brief.to_text());
    assert_eq!(
        brief.url.as_deref(),
        Some("https://www.dw.com/en/china-russia-iran-diplomats-hold-nuclear-talks/a-71918878")
    );
    assert!(brief.to_text().contains(
        "<https://www.dw.com/en/china-russia-iran-diplomats-hold-nuclear-talks/a-71918878>"
    ));
    // The seed article names no address: no link, nothing made up.
    let seed = ask("/brief article:2025-03-beijing-iran-nuclear-talks");
    assert!(seed.ok && seed.url.is_none(), "{:?}", seed.url);

    let who = ask("/who name:\"Sergei Ryabkov\"");
    assert!(who.ok, "{}", who.to_text());
    assert!(
        !who.links.is_empty() && who.links.len() <= 5,
        "{:?}",
        who.links
    );
    for link in &who.links {
        assert!(link.url.starts_with("http"), "{link:?}");
        let article = corpus
            .articles
            .iter()
            .find(|a| a.url.as_deref() == Some(link.url.as_str()))
            .expect("a link is an article's own address");
        assert!(link.text.starts_with(&article.title), "{link:?}");
    }
    assert!(
        who.to_text().contains("Read the articles"),
        "{}",
        who.to_text()
    );
}
