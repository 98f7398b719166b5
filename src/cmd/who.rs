//! `/who name:<person>`: a person's profile, what they did, what they said, what others said
//! of them, and who else was there.
//!
//! The profile reads, in order:
//!
//! - **Appears in**: every article naming them, newest first, with the role it gives them.
//! - **Events**: the events whose `participants` list them, from any article (an event may
//!   name a person another article introduces), newest first by the event's date, else the
//!   reporting article's date; at most [`MAX_EVENTS`] lines, then how many more.
//! - **Statements**: what they said.
//! - **Mentioned by**: what others said that names them, read in the articles that name
//!   them (as a participant or in an event: a statement about someone sits beside them, and
//!   reading only those keeps a request's cost to the person's own articles; the newest
//!   [`MENTION_ARTICLES`] of them, so someone in thousands of articles costs the same). A name counts
//!   only when it cannot be mistaken for a common word or another person's: folded (see
//!   [`crate::normalize::fold`]), it has at least two words ("Ma Zhaoxu") or one word of at
//!   least [`MENTION_MIN_LETTERS`] letters ("Gharibabadi"). "Ma" alone would find every "ma"
//!   in the corpus, so it is never read as a mention. Names are matched as whole words (a
//!   possessive "'s" allowed), so "Trump" is not found in "trumpet". At most
//!   [`MAX_MENTIONS`] lines.
//! - **Also there**: per article they appear in, newest first, the others that article names,
//!   with the role and country it gives them: at most [`MAX_ALSO_THERE_PEOPLE`] people per
//!   article and [`MAX_ALSO_THERE_ARTICLES`] articles, each cap saying how many it left out.
//!
//! Every list is capped here, so a person named in thousands of articles still gets a reply
//! that reads well in Discord; `cmd::answer` caps the whole reply again as a last resort.
//! - **Read the articles**: links to the newest [`MAX_LINKS`] articles naming them that give
//!   their address (`url`).
//!
//! The machine-readable results list the person, every event they took part in (newest
//! first, uncapped but for the engine's cap) and what they said.

use crate::corpus::{Person, StatementRef};
use crate::indexed::Indexed;
use crate::normalize::fold;
use crate::reply::{Invocation, Reply};
use crate::search::Kind;

use super::{Args, CommandSpec, OptionSpec, lookup};
use crate::wording;

pub static SPEC: CommandSpec = CommandSpec {
    name: "who",
    description: "A person's profile: role, aliases, articles, statements",
    options: &[OptionSpec::text("name", "The person, in any spelling")
        .required()
        .completes(Kind::Person)],
    admin: false,
    subcommands: &[],
};

/// How many events the "Events" field lists before saying how many more.
pub const MAX_EVENTS: usize = 8;

/// How many statements the "Mentioned by" field lists before saying how many more.
pub const MAX_MENTIONS: usize = 5;

/// How many of the articles that name the person (the newest) are read for mentions.
pub const MENTION_ARTICLES: usize = 50;

/// A single-word name must have at least this many letters to count as a mention ("Ryabkov",
/// "Trump"); shorter ones ("Ma", "Wang") are too common. A name of two words or more always
/// counts.
pub const MENTION_MIN_LETTERS: usize = 5;

/// How many of their articles' addresses the reply links, newest first.
pub const MAX_LINKS: usize = 5;

/// How many articles the "Also there" field lists, newest first.
pub const MAX_ALSO_THERE_ARTICLES: usize = 5;

/// How many other people one "Also there" line names.
pub const MAX_ALSO_THERE_PEOPLE: usize = 4;

#[derive(Debug, Clone, PartialEq)]
pub struct Who {
    pub name: String,
}

impl Who {
    pub fn from_args(args: &Args) -> Who {
        Who {
            name: args.get("name").unwrap_or_default(),
        }
    }

    pub fn apply(&self, corpus: &Indexed) -> Reply {
        let index = match lookup::find(corpus, Kind::Person, &self.name, |id| {
            Invocation::new("who").arg("name", id)
        }) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        let person = &corpus.people[index];
        let current = person.current();
        let mut reply = Reply {
            ok: true,
            title: person.name.clone(),
            ..Reply::default()
        };
        let mut lines = Vec::new();
        let role: Vec<&str> = [current.role.as_str(), current.organization.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if !role.is_empty() {
            lines.push(role.join(", "));
        }
        if !current.country.is_empty() {
            lines.push(format!("Country: {}", current.country));
        }
        if let Some(description) = &current.description {
            lines.push(description.clone());
        }
        reply.body = lines.join("\n");
        reply.field(
            "Also known as",
            vec![person.aliases.join(", ")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
        );

        let articles: Vec<usize> = person.appearances.iter().map(|a| a.article).collect();
        reply.field(
            "Appears in",
            person
                .appearances
                .iter()
                .map(|&appearance| {
                    let article = &corpus.articles[appearance.article];
                    let date = article.published.as_deref().unwrap_or("undated");
                    let role = &corpus.participant(appearance).role;
                    if role.is_empty() {
                        format!("{} ({date})", article.title)
                    } else {
                        format!("{} ({date}), as {role}", article.title)
                    }
                })
                .collect(),
        );

        let events = events_of(corpus, &person.id);
        let mut lines: Vec<String> = events
            .iter()
            .take(MAX_EVENTS)
            .map(|&(a, e)| wording::event_line_dated(corpus, a, e))
            .collect();
        if events.len() > MAX_EVENTS {
            lines.push(format!(
                "and {}",
                wording::count(events.len() - MAX_EVENTS, "more event")
            ));
        }
        reply.field(format!("Events ({})", events.len()), lines);

        // Counted once per corpus (corpus::quotes), in corpus order: no walk over every statement.
        let said: Vec<crate::corpus::StatementRef> = corpus
            .quotes
            .said_by(index)
            .iter()
            .map(|&i| corpus.statements[i as usize])
            .collect();
        let lines = if said.is_empty() {
            vec!["None recorded: the articles name them but report nothing they said.".to_string()]
        } else {
            said.iter()
                .map(|&at| wording::statement_line(corpus, at, false))
                .collect()
        };
        reply.field(format!("Statements ({})", said.len()), lines);

        let mut near: Vec<usize> = articles.clone();
        near.extend(events.iter().map(|&(a, _)| a));
        near.sort_unstable();
        near.dedup();
        // Articles are newest first: the newest ones are read, a bounded cost per request.
        near.truncate(MENTION_ARTICLES);
        let mentions = mentions_of(corpus, index, &near);
        let mut lines: Vec<String> = mentions
            .iter()
            .take(MAX_MENTIONS)
            .map(|&at| wording::statement_line(corpus, at, true))
            .collect();
        if mentions.len() > MAX_MENTIONS {
            lines.push(format!(
                "and {}",
                wording::count(mentions.len() - MAX_MENTIONS, "more statement")
            ));
        }
        reply.field("Mentioned by", lines);

        reply.field("Also there", also_there(corpus, person));
        // The articles naming them that give their address, newest first.
        reply.links = articles
            .iter()
            .filter_map(|&a| {
                let article = &corpus.articles[a];
                let url = article.url.clone()?;
                let date = article.published.as_deref().unwrap_or("undated");
                Some(crate::reply::Link {
                    text: format!("{} ({date})", article.title),
                    url,
                })
            })
            .take(MAX_LINKS)
            .collect();
        reply.footer = wording::footer(corpus, &articles);
        reply.results.push(wording::person_result(corpus, index));
        reply.results.extend(
            events
                .iter()
                .map(|&(a, e)| wording::event_result(corpus, a, e)),
        );
        reply
            .results
            .extend(said.iter().map(|&at| wording::statement_result(corpus, at)));
        reply
    }
}

/// The events `person` (an id) took part in, as (article, event) pairs, newest first: by the
/// event's date, else the reporting article's; events with neither come last. Equal dates keep
/// corpus order (newer article first, then the article's own order).
fn events_of(corpus: &Indexed, person: &str) -> Vec<(usize, usize)> {
    let mut events: Vec<(Option<&str>, usize, usize)> = Vec::new();
    for (a, article) in corpus.articles.iter().enumerate() {
        for (e, event) in article.events.iter().enumerate() {
            if event.participants.iter().any(|id| id == person) {
                let date = event.date.as_deref().or(article.published.as_deref());
                events.push((date, a, e));
            }
        }
    }
    // Descending by date; `None` sorts below every `Some`, so undated events come last.
    events.sort_by(|x, y| y.0.cmp(&x.0));
    events.into_iter().map(|(_, a, e)| (a, e)).collect()
}

/// The folded names of `person` that are safe to look for in text: see
/// [`MENTION_MIN_LETTERS`].
fn mention_names(corpus: &Indexed, person: usize) -> Vec<String> {
    let person = &corpus.people[person];
    let mut names: Vec<String> = Vec::new();
    for name in std::iter::once(&person.name).chain(&person.aliases) {
        let folded = fold(name);
        let words = folded.split(' ').filter(|w| !w.is_empty()).count();
        let distinctive =
            words >= 2 || (words == 1 && folded.chars().count() >= MENTION_MIN_LETTERS);
        if distinctive && !names.contains(&folded) {
            names.push(folded);
        }
    }
    names
}

/// Whether `name` occurs in `text` as whole words; both folded, so words are separated by
/// single spaces. A possessive counts: folding joins the apostrophe, so "Gharibabadi's" is
/// "gharibabadis".
fn names_in(text: &str, name: &str) -> bool {
    let bytes = text.as_bytes();
    let ends_word = |at: usize| at == bytes.len() || bytes.get(at) == Some(&b' ');
    text.match_indices(name).any(|(at, _)| {
        let starts = at == 0 || bytes.get(at - 1) == Some(&b' ');
        let end = at + name.len();
        starts && (ends_word(end) || (bytes.get(end) == Some(&b's') && ends_word(end + 1)))
    })
}

/// Statements by anyone else (or an unnamed source) whose words name `person`, in corpus
/// order, from `articles` (ascending indices: the articles that name them as a participant or
/// in an event). Reading only those keeps `/who` from folding every statement of the corpus
/// on every request (80k at 10k articles, over 100 ms).
fn mentions_of(corpus: &Indexed, person: usize, articles: &[usize]) -> Vec<StatementRef> {
    let names = mention_names(corpus, person);
    let id = corpus.people[person].id.as_str();
    let mut found = Vec::new();
    if names.is_empty() {
        return found;
    }
    for &a in articles {
        for (index, s) in corpus.articles[a].statements.iter().enumerate() {
            if s.speaker.as_deref() == Some(id) {
                continue;
            }
            let text = fold(&s.text);
            if names.iter().any(|name| names_in(&text, name)) {
                found.push(StatementRef { article: a, index });
            }
        }
    }
    found
}

/// One line per article `person` appears in, newest first: the article, then the others
/// it names, with the role and country it gives them. Articles naming no one else are left out.
fn also_there(corpus: &Indexed, person: &Person) -> Vec<String> {
    let mut lines = Vec::new();
    let mut articles = 0;
    for appearance in &person.appearances {
        let article = &corpus.articles[appearance.article];
        let person = person.id.as_str();
        let mut seen: Vec<&str> = Vec::new();
        let mut others: Vec<String> = Vec::new();
        for p in &article.participants {
            if p.id == person || seen.contains(&p.id.as_str()) {
                continue;
            }
            seen.push(&p.id);
            let detail: Vec<&str> = [p.role.as_str(), p.country.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            others.push(if detail.is_empty() {
                p.name.clone()
            } else {
                format!("{} ({})", p.name, detail.join(", "))
            });
        }
        if others.is_empty() {
            continue;
        }
        articles += 1;
        if articles > MAX_ALSO_THERE_ARTICLES {
            continue;
        }
        let more = others.len().saturating_sub(MAX_ALSO_THERE_PEOPLE);
        others.truncate(MAX_ALSO_THERE_PEOPLE);
        if more > 0 {
            others.push(format!("and {more} more"));
        }
        let date = article.published.as_deref().unwrap_or("undated");
        lines.push(format!("{} ({date}): {}", article.title, others.join(", ")));
    }
    if articles > MAX_ALSO_THERE_ARTICLES {
        lines.push(format!(
            "and {}",
            wording::count(articles - MAX_ALSO_THERE_ARTICLES, "more article")
        ));
    }
    lines
}
