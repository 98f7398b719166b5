//! What a digest says: the developments new to one subscription, as a [`Reply`].
//!
//! Articles carry a publication *date* (`published`, YYYY-MM-DD) and no time, so "new since the
//! last post" is decided on dates and on what was already sent:
//!
//! - an article is new when it was not covered by an earlier delivery of this subscription, and
//!   its `published` date is on or after the local date of the last delivered slot (so an article
//!   dated the day of a morning post, added in the afternoon, is still picked up the next day);
//!   an undated article is new until it has been covered once;
//! - a subscription that has never posted treats every article as new (the newest
//!   [`MAX_ARTICLES`] are listed, the rest counted);
//! - new statements and new context are those of new articles: the data has no other way to say
//!   when something was said or added.
//!
//! Filters narrow the articles: `tags` keeps articles with any of the tags, `people` keeps
//! articles in which any of the people take part, and their statements only.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::article::{Article, StatementKind};
use crate::corpus::{Corpus, StatementRef};
use crate::normalize::fold;
use crate::reply::Reply;
use crate::search::words_match;
use crate::wording;

/// The most articles a digest lists by title; more are counted.
pub const MAX_ARTICLES: usize = 10;
/// The most lines of "New statements by person" and "New context".
pub const MAX_LINES: usize = 15;
/// How many top statements a digest quotes.
pub const TOP_STATEMENTS: usize = 5;

/// What the reader has already seen.
#[derive(Debug, Clone, Default)]
pub struct Since {
    /// The local date of the last post; `None` when there was none (or for a full preview).
    pub date: Option<NaiveDate>,
    /// The article ids earlier posts covered.
    pub seen: HashSet<String>,
}

/// A subscription's filters; empty lists keep everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filters<'a> {
    pub tags: &'a [String],
    pub people: &'a [String],
}

/// A digest, ready to render.
#[derive(Debug, Clone)]
pub struct Digest {
    pub reply: Reply,
    /// Every article the digest covers (listed or counted), newest first.
    pub articles: Vec<String>,
}

impl Digest {
    /// Nothing new: the digest is the one line "no new developments".
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }
}

/// Builds the digest of what is new in `corpus` since `since`, titled `heading`.
pub fn build(corpus: &Corpus, since: &Since, filters: Filters, heading: &str) -> Digest {
    let new: Vec<usize> = corpus
        .articles
        .iter()
        .enumerate()
        .filter(|(_, article)| is_new(article, since) && passes(corpus, article, filters))
        .map(|(index, _)| index)
        .collect();
    let since_text = match since.date {
        Some(date) => format!("since {date}"),
        None => "in the briefing".to_string(),
    };
    let mut reply = Reply {
        ok: true,
        title: heading.to_string(),
        ..Reply::default()
    };
    if new.is_empty() {
        reply.body = format!("No new developments {since_text}.");
        reply.footer = Some("Full briefing: /brief".to_string());
        return Digest {
            reply,
            articles: Vec::new(),
        };
    }

    let statements: Vec<StatementRef> = corpus
        .statements
        .iter()
        .copied()
        .filter(|at| new.contains(&at.article) && said_by_wanted(corpus, *at, filters.people))
        .collect();
    reply.body = format!(
        "{} and {} {since_text}.",
        wording::count(new.len(), "new article"),
        wording::count(statements.len(), "new statement"),
    );

    let mut lines: Vec<String> = new
        .iter()
        .take(MAX_ARTICLES)
        .map(|&a| article_line(&corpus.articles[a]))
        .collect();
    if new.len() > MAX_ARTICLES {
        lines.push(format!(
            "and {} more: see /articles",
            wording::count(new.len() - MAX_ARTICLES, "older article")
        ));
    }
    reply.field("New articles", lines);
    reply.field("New statements by person", by_person(corpus, &statements));
    reply.field("New context", new_context(corpus, &new));
    reply.field(
        "Top statements",
        top_statements(corpus, &statements)
            .into_iter()
            .map(|at| wording::statement_line(corpus, at, true))
            .collect(),
    );
    reply.footer = Some(match new.as_slice() {
        [one] => format!("Full briefing: /brief article:{}", corpus.articles[*one].id),
        _ => "Full briefing: /brief (newest), or /brief article:<id> for each article above"
            .to_string(),
    });
    reply.results = new
        .iter()
        .map(|&a| wording::article_result(corpus, a))
        .collect();
    Digest {
        reply,
        articles: new.iter().map(|&a| corpus.articles[a].id.clone()).collect(),
    }
}

fn is_new(article: &Article, since: &Since) -> bool {
    if since.seen.contains(&article.id) {
        return false;
    }
    match (since.date, article.published.as_deref()) {
        (Some(date), Some(published)) => match NaiveDate::parse_from_str(published, "%Y-%m-%d") {
            Ok(published) => published >= date,
            // The loader validates dates; an unreadable one is treated like no date.
            Err(_) => true,
        },
        _ => true,
    }
}

fn passes(corpus: &Corpus, article: &Article, filters: Filters) -> bool {
    let tags_ok = filters.tags.is_empty()
        || article
            .tags
            .iter()
            .any(|tag| filters.tags.iter().any(|want| fold(want) == fold(tag)));
    let people_ok = filters.people.is_empty()
        || article.participants.iter().any(|p| {
            filters
                .people
                .iter()
                .any(|want| person_matches(corpus, &p.id, want))
        });
    tags_ok && people_ok
}

/// Whether the person with `id` is the one the user named `want` (id, name or alias).
fn person_matches(corpus: &Corpus, id: &str, want: &str) -> bool {
    if fold(id) == fold(want) {
        return true;
    }
    match corpus.person(id) {
        Some(person) => std::iter::once(&person.name)
            .chain(&person.aliases)
            .any(|name| fold(name) == fold(want) || words_match(want, name)),
        None => false,
    }
}

fn said_by_wanted(corpus: &Corpus, at: StatementRef, people: &[String]) -> bool {
    if people.is_empty() {
        return true;
    }
    match &corpus.statement(at).speaker {
        Some(id) => people.iter().any(|want| person_matches(corpus, id, want)),
        None => false,
    }
}

/// "Title (2025-03-13, Global Times) — /brief article:<id>".
fn article_line(article: &Article) -> String {
    let detail: Vec<&str> = [article.published.as_deref(), article.source.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let mut line = article.title.clone();
    if !detail.is_empty() {
        line.push_str(&format!(" ({})", detail.join(", ")));
    }
    line.push_str(&format!(" \u{2014} /brief article:{}", article.id));
    line
}

/// "Mao Ning: 4 statements", most first.
fn by_person(corpus: &Corpus, statements: &[StatementRef]) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for &at in statements {
        let who = corpus.speaker_name(corpus.statement(at));
        match counts.iter_mut().find(|(name, _)| *name == who) {
            Some((_, n)) => *n += 1,
            None => counts.push((who, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut lines: Vec<String> = counts
        .iter()
        .take(MAX_LINES)
        .map(|(who, n)| format!("{who}: {}", wording::count(*n, "statement")))
        .collect();
    if counts.len() > MAX_LINES {
        lines.push(format!(
            "and {} more",
            wording::count(counts.len() - MAX_LINES, "source")
        ));
    }
    lines
}

/// Context items of the new articles: "(new)" when no older article had them.
fn new_context(corpus: &Corpus, new: &[usize]) -> Vec<String> {
    let topics: Vec<_> = corpus
        .topics
        .iter()
        .filter(|t| t.texts.iter().any(|(a, _)| new.contains(a)))
        .collect();
    let mut lines: Vec<String> = topics
        .iter()
        .take(MAX_LINES)
        .map(|topic| {
            let only_new = topic.texts.iter().all(|(a, _)| new.contains(a));
            let status = if only_new { "new" } else { "updated" };
            format!(
                "{} ({status}) \u{2014} /context topic:{}",
                topic.title, topic.id
            )
        })
        .collect();
    if topics.len() > MAX_LINES {
        lines.push(format!(
            "and {} more",
            wording::count(topics.len() - MAX_LINES, "item")
        ));
    }
    lines
}

/// The statements most worth reading: one per source, quotes before paraphrases, named speakers
/// before unnamed sources, then in corpus order (newest article first).
fn top_statements(corpus: &Corpus, statements: &[StatementRef]) -> Vec<StatementRef> {
    let mut ranked: Vec<(usize, StatementRef)> = statements
        .iter()
        .enumerate()
        .map(|(order, &at)| (order, at))
        .collect();
    ranked.sort_by_key(|&(order, at)| {
        let statement = corpus.statement(at);
        (
            statement.kind != StatementKind::Quote,
            statement.speaker.is_none(),
            order,
        )
    });
    let mut sources = Vec::new();
    let mut top = Vec::new();
    for (_, at) in ranked {
        let who = corpus.speaker_name(corpus.statement(at));
        if !sources.contains(&who) {
            sources.push(who);
            top.push(at);
            if top.len() == TOP_STATEMENTS {
                break;
            }
        }
    }
    top
}

/// "Briefing digest · Mon 30 Mar 2026, 08:00 BST".
pub fn heading(slot: chrono::DateTime<chrono::Utc>, zone: chrono_tz::Tz) -> String {
    format!(
        "Briefing digest \u{b7} {}",
        slot.with_timezone(&zone).format("%a %-d %b %Y, %H:%M %Z")
    )
}
