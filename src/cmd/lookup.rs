//! Finding the one person, topic or article a command is about, or asking which.
//!
//! An exact id wins outright (buttons and autocomplete send ids); otherwise the search index
//! decides, and an unsure answer becomes a "did you mean" reply whose suggestions rerun the
//! command with the id picked. Never an empty reply. On top of the index's own rule
//! ([`crate::search::resolve`]):
//!
//! - **People by role.** When no name matches, a role is a description, not a name: the people
//!   whose role (in any article) is exactly what was typed are the answer: one is taken, several
//!   are asked about ("foreign minister" asks between two Foreign Ministers and never picks the
//!   Vice Foreign Minister). With no exact role, two or more role matches are asked about.
//! - **Topics and articles answer only to what was typed.** A hit is taken only when every
//!   content word of the query is in the topic's or article's text as a word, a prefix of one,
//!   or with an English ending (see [`holds_every_word`]); a typo-only match is offered as
//!   "did you mean".
//! - **Articles by date.** `latest` or `newest` is the newest article; a date (`2025-03-14`) is
//!   the article published that day (an undated one: of the newest day its events give), or a
//!   "did you mean" between several; a date no article has, like any query nothing matches, is
//!   "no article matches" (even with one article).

use crate::indexed::Indexed;
use crate::normalize::{fold, is_stop_word};
use crate::reply::{Invocation, Reply, Suggestion};
use crate::search::{BEYOND_NAMES, HITS, Kind, Resolution, Target, resolve, resolve_hits};

use crate::wording;

/// Resolves `query` to an index in the corpus list of `kind`, or the reply to send instead.
/// `rerun` builds the invocation that runs the command again for a picked id.
pub fn find(
    corpus: &Indexed,
    kind: Kind,
    query: &str,
    rerun: impl Fn(&str) -> Invocation,
) -> Result<usize, Reply> {
    let exact = match kind {
        Kind::Person => corpus.person_index(query),
        Kind::Topic => corpus.topic_index(query),
        Kind::Article => corpus.article_index(query),
        Kind::Statement | Kind::Event => None,
    };
    if let Some(index) = exact {
        return Ok(index);
    }
    let noun = noun(kind);
    let suggest = |targets: &[Target]| -> Vec<Suggestion> {
        targets
            .iter()
            .map(|&target| Suggestion {
                label: wording::target_label(corpus, target),
                invocation: rerun(&wording::target_id(corpus, target)),
            })
            .collect()
    };
    match resolution(corpus, kind, query) {
        Resolution::Found(target) => Ok(target.index as usize),
        Resolution::Ambiguous(targets) => {
            let names: Vec<String> = targets
                .iter()
                .map(|&t| wording::target_name(corpus, t))
                .collect();
            let body = if targets.len() == 1 {
                format!("Nothing matches \u{201c}{query}\u{201d} for sure. Is it this {noun}?")
            } else {
                format!("More than one {noun} matches \u{201c}{query}\u{201d}. Pick one below.")
            };
            let mut reply =
                Reply::failure(format!("Did you mean {}?", wording::or_list(&names)), body);
            reply.suggestions = suggest(&targets);
            Err(reply)
        }
        Resolution::NotFound(nearest) => {
            let none_at_all = match kind {
                Kind::Person => corpus.people.is_empty(),
                Kind::Topic => corpus.topics.is_empty(),
                Kind::Article => corpus.articles.is_empty(),
                Kind::Statement => corpus.statements.is_empty(),
                Kind::Event => corpus.events.is_empty(),
            };
            let body = if none_at_all {
                format!("The corpus has no {noun} yet.")
            } else if nearest.is_empty() {
                format!("No {noun} matches that.")
            } else {
                format!("No {noun} matches that. The nearest names are below.")
            };
            let mut reply =
                Reply::failure(format!("No {noun} matches \u{201c}{query}\u{201d}"), body);
            reply.suggestions = suggest(&nearest);
            Err(reply)
        }
    }
}

/// What `query` finds among the targets of `kind`, by the rules above (no reply built): for a
/// command that narrows a "did you mean" with what else it was asked.
pub fn resolution(corpus: &Indexed, kind: Kind, query: &str) -> Resolution {
    match kind {
        Kind::Person => person(corpus, query),
        Kind::Article => match by_date(corpus, query) {
            Some(resolution) => resolution,
            None => strict(corpus, query, kind),
        },
        Kind::Topic => strict(corpus, query, kind),
        Kind::Statement | Kind::Event => resolve(&corpus.index, query, kind),
    }
}

/// The rule for people (module docs): names first, then exact roles.
fn person(corpus: &Indexed, query: &str) -> Resolution {
    let hits = corpus.index.search(query, &[Kind::Person], HITS);
    let named = hits.first().is_some_and(|hit| {
        hit.score > BEYOND_NAMES && names_a_person(corpus, hit.target.index as usize, query)
    });
    if named {
        return resolve_hits(&corpus.index, query, Kind::Person, &hits);
    }
    // The exact holders of a role are among the best role matches: every word matches, so
    // they score at the top; the index is asked for more than a "did you mean" shows.
    let wanted = fold(query);
    let holders: Vec<Target> = corpus
        .index
        .search(query, &[Kind::Person], ROLE_CANDIDATES)
        .into_iter()
        .map(|hit| hit.target)
        .filter(|target| {
            corpus.people[target.index as usize]
                .appearances
                .iter()
                .map(|&a| &corpus.participant(a).role)
                .any(|role| !role.is_empty() && fold(role) == wanted)
        })
        .collect();
    match holders.len() {
        0 if hits.len() > 1 => {
            Resolution::Ambiguous(hits.iter().take(5).map(|h| h.target).collect())
        }
        0 => resolve_hits(&corpus.index, query, Kind::Person, &hits),
        1 => Resolution::Found(holders[0]),
        _ => Resolution::Ambiguous(holders.into_iter().take(MAX_ASKED).collect()),
    }
}

/// The person `query` names by one of their names (not by a role), when one clearly is.
pub fn named(corpus: &Indexed, query: &str) -> Option<usize> {
    let hits = corpus.index.search(query, &[Kind::Person], HITS);
    let first = hits.first()?;
    if first.score <= BEYOND_NAMES || !names_a_person(corpus, first.target.index as usize, query) {
        return None;
    }
    match resolve_hits(&corpus.index, query, Kind::Person, &hits) {
        Resolution::Found(target) => Some(target.index as usize),
        _ => None,
    }
}

/// Whether a word of `query` is (within a typo) a word of one of the person's names that is not
/// a word of one of their roles: "Vice Foreign Minister Ma Zhaoxu" is an alias, but "foreign
/// minister" names nobody.
pub(super) fn names_a_person(corpus: &Indexed, person: usize, query: &str) -> bool {
    let person = &corpus.people[person];
    let roles: Vec<String> = person
        .appearances
        .iter()
        .flat_map(|&a| {
            fold(&corpus.participant(a).role)
                .split(' ')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    let names: Vec<String> = std::iter::once(&person.name)
        .chain(&person.aliases)
        .flat_map(|name| {
            fold(name)
                .split(' ')
                .filter(|w| !roles.iter().any(|r| r == w))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    let names = names.join(" ");
    fold(query)
        .split(' ')
        .filter(|w| !w.is_empty() && !is_stop_word(w))
        .any(|word| crate::search::words_match(word, &names))
}

/// How many role matches are read for exact holders of the role.
const ROLE_CANDIDATES: usize = 50;

/// How many candidates a "did you mean" offers at most.
const MAX_ASKED: usize = 5;

/// The index's answer, taken only when the target holds every word typed (module docs).
fn strict(corpus: &Indexed, query: &str, kind: Kind) -> Resolution {
    match resolve(&corpus.index, query, kind) {
        Resolution::Found(target) if !holds_every_word(&texts(corpus, target), query) => {
            Resolution::NotFound(vec![target])
        }
        other => other,
    }
}

/// The texts a topic or an article is found by.
fn texts(corpus: &Indexed, target: Target) -> Vec<&str> {
    let i = target.index as usize;
    match target.kind {
        Kind::Topic => {
            let topic = &corpus.topics[i];
            let mut texts: Vec<&str> = vec![topic.title.as_str(), topic.id.as_str()];
            texts.extend(topic.aliases.iter().map(String::as_str));
            texts.extend(corpus.topic_texts(topic).map(|(_, text)| text));
            texts
        }
        Kind::Article => {
            let article = &corpus.articles[i];
            let mut texts: Vec<&str> = vec![article.title.as_str(), article.id.as_str()];
            texts.extend(article.tags.iter().map(String::as_str));
            texts.extend(
                [
                    article.source.as_deref(),
                    article.location.as_deref(),
                    article.byline.as_ref().map(|b| b.name.as_str()),
                    Some(article.summary.as_str()),
                ]
                .into_iter()
                .flatten(),
            );
            texts
        }
        _ => Vec::new(),
    }
}

/// Whether every content word of `query` is in `texts` as a word, the start of one (at least
/// [`MIN_PREFIX`] letters), or the word with an English ending ("iranian" for "iran").
pub fn holds_every_word(texts: &[&str], query: &str) -> bool {
    // Text by text, stopping once every query word is found: a topic described in hundreds of
    // articles is usually settled by its title, without folding the rest.
    let query = fold(query);
    let mut missing: Vec<&str> = query
        .split(' ')
        .filter(|w| !w.is_empty() && !is_stop_word(w))
        .collect();
    for text in texts {
        if missing.is_empty() {
            break;
        }
        let folded = fold(text);
        missing.retain(|q| !folded.split(' ').any(|w| word_holds(w, q)));
    }
    missing.is_empty()
}

/// Whether the text word `w` counts as the query word `q`: the same, `q` a typed start of it,
/// or `w` a start of `q` that a few letters of inflection extend.
fn word_holds(w: &str, q: &str) -> bool {
    w == q
        || (q.len() >= MIN_PREFIX && w.starts_with(q))
        || (w.len() >= 4 && q.starts_with(w) && q.len() <= w.len() + 4)
}

/// The folded words of `texts`, for [`holds_every_word_of`]: fold once, ask many times.
pub fn text_words(texts: &[&str]) -> Vec<String> {
    texts
        .iter()
        .flat_map(|text| {
            fold(text)
                .split(' ')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// [`holds_every_word`] of texts already split by [`text_words`].
pub fn holds_every_word_of(words: &[String], query: &str) -> bool {
    let query = fold(query);
    let mut content = query
        .split(' ')
        .filter(|w| !w.is_empty() && !is_stop_word(w))
        .peekable();
    if content.peek().is_none() {
        return true;
    }
    content.all(|q| words.iter().any(|w| word_holds(w, q)))
}

/// The shortest typed start of a word that counts as the word.
const MIN_PREFIX: usize = 3;

/// `latest`/`newest`, or a date, for articles (module docs); `None` for anything else.
fn by_date(corpus: &Indexed, query: &str) -> Option<Resolution> {
    let query = query.trim().to_lowercase();
    if matches!(query.as_str(), "latest" | "newest" | "last" | "most recent") {
        return Some(match corpus.articles.is_empty() {
            true => Resolution::NotFound(Vec::new()),
            // Articles are newest first.
            false => Resolution::Found(Target {
                kind: Kind::Article,
                index: 0,
            }),
        });
    }
    let date = chrono::NaiveDate::parse_from_str(&query, "%Y-%m-%d").ok()?;
    let day = date.format("%Y-%m-%d").to_string();
    let on: Vec<Target> = corpus
        .articles
        .iter()
        .enumerate()
        .filter(|(_, article)| crate::dates::article_day(article) == Some(day.as_str()))
        .map(|(i, _)| Target {
            kind: Kind::Article,
            index: i as u32,
        })
        .collect();
    Some(match on.len() {
        0 => Resolution::NotFound(Vec::new()),
        1 => Resolution::Found(on[0]),
        _ => Resolution::Ambiguous(on.into_iter().take(MAX_ASKED).collect()),
    })
}

fn noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "person",
        Kind::Topic => "context item",
        Kind::Article => "article",
        Kind::Statement => "statement",
        Kind::Event => "event",
    }
}
