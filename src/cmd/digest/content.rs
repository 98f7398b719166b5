//! What a digest says: the developments new to one subscription, as a [`Digest`]: an overview
//! (the story in a sentence or two, the counts in one line, the background topics) and one
//! [`Section`] per new article (title, link, date, outlet and byline, summary, the most telling
//! statements with speaker and absolute date, who took part). [`super::super::super::digest`]
//! renders it as Discord embeds and as console text; [`Digest::to_reply`] is the `/digest
//! preview` reply.
//!
//! Which articles a digest covers is the caller's choice ([`build`] takes their ids): the
//! scheduler and `/digest preview` ask [`super::new_to`] (new to the subscription: first loaded
//! by the bot after its last digest, whatever the published date); [`select`] is the date rule of
//! the console's `digest --preview --since DATE`:
//!
//! - an article is new when it was not covered by an earlier delivery (`seen`), and its
//!   `published` date is on or after `since`; an undated article is new until covered once;
//! - with no date, every article is new (the newest [`MAX_ARTICLES`] get a section, the rest are
//!   counted);
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

/// The most articles a digest gives a section; more are counted.
pub const MAX_ARTICLES: usize = 10;
/// The most background topics the overview lists.
pub const MAX_TOPICS: usize = 6;
/// How many statements a section quotes: the most telling, one per source.
pub const TOP_STATEMENTS: usize = 3;
/// How many people a section names before saying how many more.
pub const MAX_PARTICIPANTS: usize = 8;
/// The longest overview story, in characters (the newest summary's first sentences).
pub const STORY_CHARS: usize = 420;

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

/// A digest, ready to render: plain text throughout (renderers escape it).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Digest {
    /// "Briefing digest · Mon 30 Mar 2026, 08:00 BST".
    pub heading: String,
    /// The story in one or two sentences (the newest article's summary, opening sentences);
    /// empty when nothing is new.
    pub story: String,
    /// The most cited background topic of the new statements, when any: "Iranian nuclear issue".
    pub main_topic: Option<String>,
    /// One line of counts: "3 new articles · 12 statements from 7 sources · since 2026-03-01",
    /// or "No new developments since 2026-03-01."
    pub counts: String,
    /// Background the new articles bring: (title, topic id, "new" or "updated").
    pub topics: Vec<(String, String, &'static str)>,
    /// How many topics there were beyond [`MAX_TOPICS`].
    pub more_topics: usize,
    /// One per article shown, newest first.
    pub sections: Vec<Section>,
    /// New articles covered but not given a section (beyond [`MAX_ARTICLES`]).
    pub more_articles: usize,
    /// Every article the digest covers (with a section or counted), newest first.
    pub articles: Vec<String>,
}

/// One new article.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    pub id: String,
    pub title: String,
    /// The source article's address (http or https, checked at load).
    pub url: Option<String>,
    /// "2025-03-13 · Beijing · Global Times · by Geoff Thomas" (what the article gives).
    pub detail: String,
    pub summary: String,
    /// The most telling statements, at most [`TOP_STATEMENTS`].
    pub statements: Vec<Quote>,
    /// "Ma Zhaoxu (Vice Foreign Minister, China)", at most [`MAX_PARTICIPANTS`].
    pub participants: Vec<String>,
    /// People beyond [`MAX_PARTICIPANTS`].
    pub more_participants: usize,
}

/// A statement as a digest quotes it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Quote {
    /// The speaker's name or the attribution ("a Chinese analyst").
    pub who: String,
    /// An absolute date: "2025-03-13", "week of 2025-03-10", "2025-03", or "reported
    /// 2025-03-14" (the article's date) when the article does not say when; empty when
    /// nothing is dated.
    pub when: String,
    /// "via Reuters", when relayed.
    pub via: Option<String>,
    /// The words: in quotation marks when the article quotes them, else reported speech.
    pub words: String,
}

impl Digest {
    /// Nothing new: the digest is the one line "no new developments".
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The digest as one reply (for `/digest preview`, rendered like any other answer).
    pub fn to_reply(&self) -> Reply {
        let mut reply = Reply {
            ok: true,
            title: self.heading.clone(),
            ..Reply::default()
        };
        let mut body: Vec<String> = Vec::new();
        if !self.story.is_empty() {
            body.push(self.story.clone());
        }
        if let Some(topic) = &self.main_topic {
            body.push(format!("Most discussed: {topic}"));
        }
        body.push(self.counts.clone());
        reply.body = body.join("\n");
        for section in &self.sections {
            let mut lines = vec![section.detail.clone(), section.summary.clone()];
            for quote in &section.statements {
                lines.push(format!("{}: {}", quote.heading(), quote.words));
            }
            if !section.participants.is_empty() {
                lines.push(format!("Who took part: {}", section.participants_line()));
            }
            lines.push(format!("/brief article:{}", section.id));
            lines.retain(|l| !l.trim().is_empty());
            reply.field(section.title.clone(), lines);
        }
        if self.more_articles > 0 {
            reply.field("More", vec![self.more_articles_line()]);
        }
        reply.links = self
            .sections
            .iter()
            .filter_map(|section| {
                Some(crate::reply::Link {
                    text: section.title.clone(),
                    url: section.url.clone()?,
                })
            })
            .collect();
        reply.field(
            "Background",
            self.topics
                .iter()
                .map(|(title, id, status)| {
                    format!("{title} ({status}) \u{2014} /context topic:{id}")
                })
                .collect(),
        );
        reply.footer = Some(match self.sections.as_slice() {
            [] => "Full briefing: /brief".to_string(),
            [one] => format!("Full briefing: /brief article:{}", one.id),
            _ => "Full briefing: /brief article:<id> for each article above".to_string(),
        });
        reply
    }

    /// "and 13 older articles: see /articles".
    pub fn more_articles_line(&self) -> String {
        format!(
            "and {}: see /articles",
            wording::count(self.more_articles, "older article")
        )
    }
}

impl Section {
    /// "Ma Zhaoxu (Vice Foreign Minister, China), Sergei Ryabkov (…) and 3 more".
    pub fn participants_line(&self) -> String {
        let mut line = self.participants.join(", ");
        if self.more_participants > 0 {
            line.push_str(&format!(" and {} more", self.more_participants));
        }
        line
    }
}

impl Quote {
    /// "Mao Ning · 2025-03-13 · via Reuters".
    pub fn heading(&self) -> String {
        [
            Some(self.who.as_str()),
            Some(self.when.as_str()),
            self.via.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" \u{b7} ")
    }
}

/// The ids of the articles new since `since` that pass `filters` (the date rule of the module
/// doc), for the console preview and `/digest preview`.
pub fn select(corpus: &Corpus, since: &Since, filters: Filters) -> HashSet<String> {
    corpus
        .articles
        .iter()
        .filter(|article| is_new(article, since) && passes(corpus, article, filters))
        .map(|article| article.id.clone())
        .collect()
}

/// Builds the digest of the articles whose ids are in `cover` (chosen by the caller), narrowed
/// by `filters`, titled `heading`. `since` only words the counts ("since 2026-03-01"; `None`:
/// "everything in the briefing"). Ids not in the corpus are ignored.
pub fn build(
    corpus: &Corpus,
    cover: &HashSet<String>,
    filters: Filters,
    heading: &str,
    since: Option<NaiveDate>,
) -> Digest {
    let new: Vec<usize> = corpus
        .articles
        .iter()
        .enumerate()
        .filter(|(_, article)| cover.contains(&article.id) && passes(corpus, article, filters))
        .map(|(index, _)| index)
        .collect();
    let since_text = match since {
        Some(date) => format!("since {date}"),
        None => "everything in the briefing".to_string(),
    };
    let mut digest = Digest {
        heading: heading.to_string(),
        ..Digest::default()
    };
    let Some(&newest) = new.first() else {
        digest.counts = match since {
            Some(date) => format!("No new developments since {date}."),
            None => "No developments in the briefing yet.".to_string(),
        };
        return digest;
    };

    let statements: Vec<StatementRef> = corpus
        .statements
        .iter()
        .copied()
        .filter(|at| new.contains(&at.article) && said_by_wanted(corpus, *at, filters.people))
        .collect();
    let mut sources: Vec<String> = statements
        .iter()
        .map(|&at| corpus.speaker_name(corpus.statement(at)))
        .collect();
    sources.sort();
    sources.dedup();
    digest.story = story(&corpus.articles[newest].summary);
    digest.main_topic = main_topic(corpus, &statements);
    digest.counts = format!(
        "{} \u{b7} {} from {} \u{b7} {since_text}",
        wording::count(new.len(), "new article"),
        wording::count(statements.len(), "statement"),
        wording::count(sources.len(), "source"),
    );
    let (topics, more_topics) = new_topics(corpus, &new);
    digest.topics = topics;
    digest.more_topics = more_topics;
    digest.sections = new
        .iter()
        .take(MAX_ARTICLES)
        .map(|&a| section(corpus, a, &statements))
        .collect();
    digest.more_articles = new.len().saturating_sub(MAX_ARTICLES);
    digest.articles = new.iter().map(|&a| corpus.articles[a].id.clone()).collect();
    digest
}

/// The first one or two sentences of a summary, within [`STORY_CHARS`] (cut with "…" when even
/// the first sentence is longer).
fn story(summary: &str) -> String {
    let summary = summary.trim();
    let ends = sentence_ends(summary);
    let mut story = "";
    for &end in ends.iter().take(2) {
        if summary[..end].chars().count() <= STORY_CHARS {
            story = &summary[..end];
        }
    }
    if story.is_empty() {
        return crate::cmd::complete::cut(summary, STORY_CHARS);
    }
    story.trim().to_string()
}

/// Byte offsets just after each sentence of `text`: a `.`, `!` or `?` (and any closing quote)
/// followed by a space and a capital letter, a digit or an opening quote; and the end. A `.`
/// after a single letter or within a dotted word ("U.S.") ends no sentence.
fn sentence_ends(text: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut ends = Vec::new();
    for (i, &(_, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && matches!(chars[j].1, '"' | '\'' | '\u{201d}' | '\u{2019}' | ')') {
            j += 1;
        }
        let Some(&(end, space)) = chars.get(j) else {
            break;
        };
        let next_starts = space == ' '
            && chars.get(j + 1).is_some_and(|&(_, c)| {
                c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '\u{201c}')
            });
        let word: String = chars[..i]
            .iter()
            .rev()
            .map(|&(_, c)| c)
            .take_while(|c| !c.is_whitespace())
            .collect();
        let abbreviation = c == '.' && (word.chars().count() <= 1 || word.contains('.'));
        if next_starts && !abbreviation {
            ends.push(end);
        }
    }
    ends.push(text.len());
    ends
}

/// The background topic the statements cite most (ties: the first cited).
fn main_topic(corpus: &Corpus, statements: &[StatementRef]) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for &at in statements {
        for topic in &corpus.statement(at).topics {
            match counts.iter_mut().find(|(id, _)| id == topic) {
                Some((_, n)) => *n += 1,
                None => counts.push((topic, 1)),
            }
        }
    }
    let mut best: Option<(&str, usize)> = None;
    for (id, n) in counts {
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((id, n));
        }
    }
    let (id, _) = best?;
    corpus
        .topics
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.title.clone())
}

/// Context items of the new articles: "new" when no older article had them, else "updated".
fn new_topics(corpus: &Corpus, new: &[usize]) -> (Vec<(String, String, &'static str)>, usize) {
    let topics: Vec<_> = corpus
        .topics
        .iter()
        .filter(|t| t.items.iter().any(|at| new.contains(&at.article)))
        .collect();
    let listed = topics
        .iter()
        .take(MAX_TOPICS)
        .map(|topic| {
            let only_new = topic.items.iter().all(|at| new.contains(&at.article));
            let status = if only_new { "new" } else { "updated" };
            (topic.title.clone(), topic.id.clone(), status)
        })
        .collect();
    (listed, topics.len().saturating_sub(MAX_TOPICS))
}

/// The section of the article at `index` (as a digest shows it): `statements` are the
/// statements to choose its quotes from (those of the digest's wanted people; the article's own
/// are picked out).
pub fn section(corpus: &Corpus, index: usize, statements: &[StatementRef]) -> Section {
    let article = &corpus.articles[index];
    let mut detail: Vec<String> = Vec::new();
    detail.extend(article.published.clone());
    detail.extend(article.location.clone());
    detail.extend(article.source.clone());
    if let Some(byline) = &article.byline {
        detail.push(format!("by {}", byline.name));
    }
    let own: Vec<StatementRef> = statements
        .iter()
        .copied()
        .filter(|at| at.article == index)
        .collect();
    let participants: Vec<String> = article
        .participants
        .iter()
        .map(|p| {
            let about: Vec<&str> = [p.role.as_str(), p.country.as_str()]
                .into_iter()
                .filter(|s| !s.trim().is_empty())
                .collect();
            if about.is_empty() {
                p.name.clone()
            } else {
                format!("{} ({})", p.name, about.join(", "))
            }
        })
        .collect();
    Section {
        id: article.id.clone(),
        title: article.title.clone(),
        url: article.url.clone(),
        detail: detail.join(" \u{b7} "),
        summary: article.summary.clone(),
        statements: top_statements(corpus, &own, TOP_STATEMENTS)
            .into_iter()
            .map(|at| quote(corpus, at))
            .collect(),
        more_participants: participants.len().saturating_sub(MAX_PARTICIPANTS),
        participants: participants.into_iter().take(MAX_PARTICIPANTS).collect(),
    }
}

/// A statement with its speaker and absolute date (see [`crate::dates`]).
fn quote(corpus: &Corpus, at: StatementRef) -> Quote {
    let statement = corpus.statement(at);
    let day = crate::dates::article_day(&corpus.articles[at.article]);
    let resolved = statement
        .said
        .as_deref()
        .and_then(|said| crate::dates::resolve(said, day).ok());
    let when = match (resolved, day) {
        (Some(when), _) => when.to_string(),
        (None, Some(day)) => format!("reported {day}"),
        (None, None) => String::new(),
    };
    Quote {
        who: corpus.speaker_name(statement),
        when,
        via: statement.via.as_ref().map(|via| format!("via {via}")),
        words: match statement.kind {
            StatementKind::Quote => format!("\u{201c}{}\u{201d}", statement.text.trim()),
            StatementKind::Paraphrase => statement.text.trim().to_string(),
        },
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

/// The statements most worth reading: one per source, quotes before paraphrases, named speakers
/// before unnamed sources, then in corpus order (newest article first); at most `limit`.
fn top_statements(corpus: &Corpus, statements: &[StatementRef], limit: usize) -> Vec<StatementRef> {
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
            if top.len() == limit {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_story_is_the_opening_sentences_within_the_cap() {
        let summary = "China hosts talks with the U.S. absent. Russia and Iran attend. \
                       A third sentence is left out.";
        assert_eq!(
            story(summary),
            "China hosts talks with the U.S. absent. Russia and Iran attend."
        );
        // A first sentence over the cap is cut, visibly.
        let long = format!("{} end. Next.", "word ".repeat(200));
        let cut = story(&long);
        assert!(
            cut.chars().count() <= STORY_CHARS && cut.ends_with('\u{2026}'),
            "{cut}"
        );
        // Only the first when two would be too long.
        let two = format!("Short one. {}.", "X".repeat(STORY_CHARS));
        assert_eq!(story(&two), "Short one.");
        assert_eq!(story(""), "");
    }

    #[test]
    fn sentences_end_at_a_stop_before_a_capital_not_inside_an_abbreviation() {
        let text = "Mr Wang met U.S. officials. \u{201c}Good,\u{201d} he said! 3 more? Yes";
        let ends: Vec<&str> = sentence_ends(text).iter().map(|&e| &text[..e]).collect();
        assert_eq!(
            ends,
            vec![
                "Mr Wang met U.S. officials.",
                "Mr Wang met U.S. officials. \u{201c}Good,\u{201d} he said!",
                "Mr Wang met U.S. officials. \u{201c}Good,\u{201d} he said! 3 more?",
                text,
            ]
        );
    }

    #[test]
    fn quotes_carry_an_absolute_date_and_the_most_cited_topic_leads() {
        let article: Article = serde_json::from_value(serde_json::json!({
            "id": "a", "title": "T", "published": "2025-03-14", "summary": "S.",
            "participants": [{"id": "mao-ning", "name": "Mao Ning"}],
            "statements": [
                {"speaker": "mao-ning", "kind": "quote", "text": "One.", "said": "Thursday",
                 "topics": ["jcpoa"]},
                {"attribution": "Experts", "kind": "paraphrase", "text": "Two.",
                 "said": "after the talks", "topics": ["jcpoa", "other"]},
                {"attribution": "Analysts", "kind": "paraphrase", "text": "Three.",
                 "said": "last month", "via": "Reuters"}
            ],
            "context": [{"id": "jcpoa", "title": "JCPOA", "text": "x"},
                        {"id": "other", "title": "Other", "text": "y"}]
        }))
        .unwrap();
        let corpus = Corpus::build(vec![article]);
        let cover = ["a".to_string()].into();
        let digest = build(&corpus, &cover, Filters::default(), "D", None);
        assert_eq!(digest.main_topic.as_deref(), Some("JCPOA"));
        let quotes = &digest.sections[0].statements;
        let headings: Vec<String> = quotes.iter().map(Quote::heading).collect();
        assert_eq!(
            headings,
            vec![
                "Mao Ning \u{b7} 2025-03-13",
                "Experts \u{b7} reported 2025-03-14",
                "Analysts \u{b7} 2025-02 \u{b7} via Reuters",
            ]
        );
        assert_eq!(quotes[0].words, "\u{201c}One.\u{201d}");
        assert_eq!(quotes[1].words, "Two.");
        assert_eq!(
            digest.counts,
            "1 new article \u{b7} 3 statements from 3 sources \u{b7} everything in the briefing"
        );
    }
}
