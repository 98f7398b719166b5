//! The story corpus (tests/fixtures/story) and the expectation checker of its query and question
//! sets, shared by tests/story.rs and tests/ask.rs.
//!
//! Expectations, one per line after a tab:
//! - `answer <id>`: an answer whose first result is `<id>`;
//! - `includes <id>`: an answer with `<id>` among its results;
//! - `dym <id> ...`: no answer, but "did you mean" offering at least these ids;
//! - `nothing`: no answer and no result.
//!
//! A result "is" its id; a statement is also its speaker and its article (unnamed sources are
//! checked by article); an event is also its article.

use std::path::Path;

use briefing_bot::indexed::Indexed;
use briefing_bot::load::{LoadConfig, load_dir};
use briefing_bot::reply::{Reply, ResultItem};

/// The story corpus, checked clean but for relative dates the outlets wrote that no rule can
/// date ("After the talks"): those stay as written, and `check` says so.
pub fn story() -> Indexed {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/story");
    let loaded = load_dir(&dir, &LoadConfig::default()).unwrap_or_else(|failure| {
        panic!("the story corpus must load: {:#?}", failure.problems);
    });
    let other: Vec<String> = loaded
        .warnings
        .iter()
        .map(|w| w.to_string())
        .filter(|w| !w.contains("cannot be dated"))
        .collect();
    assert!(
        other.is_empty(),
        "the story corpus must check clean: {other:#?}"
    );
    Indexed::new(loaded.corpus)
}

fn ids(item: &ResultItem) -> Vec<&str> {
    match item {
        ResultItem::Participant { id, .. }
        | ResultItem::Context { id, .. }
        | ResultItem::Article { id, .. } => vec![id.as_str()],
        ResultItem::Statement {
            speaker, article, ..
        } => speaker
            .iter()
            .map(String::as_str)
            .chain([article.as_str()])
            .collect(),
        ResultItem::Event { id, article, .. } => vec![id.as_str(), article.as_str()],
    }
}

/// Why `reply` does not meet `expect`, or `None` when it does.
pub fn miss(reply: &Reply, expect: &str) -> Option<String> {
    let mut words = expect.split_whitespace();
    let kind = words.next().unwrap_or_default();
    let wanted: Vec<&str> = words.collect();
    let first: Vec<&str> = reply.results.first().map(ids).unwrap_or_default();
    let all: Vec<&str> = reply.results.iter().flat_map(ids).collect();
    let offered: Vec<&str> = reply
        .suggestions
        .iter()
        .flat_map(|s| s.invocation.args.iter().map(|(_, v)| v.as_str()))
        .collect();
    let ok = match kind {
        "answer" => reply.ok && wanted.iter().all(|w| first.contains(w)),
        "includes" => reply.ok && wanted.iter().all(|w| all.contains(w)),
        "dym" => !reply.ok && wanted.iter().all(|w| offered.contains(w)),
        "nothing" => !reply.ok && reply.results.is_empty(),
        other => return Some(format!("unknown expectation \"{other}\"")),
    };
    (!ok).then(|| {
        format!(
            "ok={} first={first:?} offered={offered:?} title={:?}",
            reply.ok, reply.title
        )
    })
}
