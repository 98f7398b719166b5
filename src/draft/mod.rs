//! `briefing-bot draft`: from a news article as copied from a web page (or saved as `.html`) to
//! an article in the data format, checked, with a list of what a person should review.
//!
//! No model and no network: the drafter reads the text with rules and curated word lists
//! (`words`), and links people and topics through the loaded corpus' own search engine
//! (`link`, the only file that touches the corpus). The steps:
//!
//! 1. `text`: bytes to lines; binary, empty and article-less files are refused with a reason.
//! 2. Here: the headline (first line of four words or more that is not a date or byline), the
//!    date (first full date in a meta line, else in the text; `--published` overrides), byline,
//!    dateline place, and the body paragraphs.
//! 3. `people`: names with a title, a role in apposition, or a verb of speech; role,
//!    organization and country from those phrases. `link`: each to an existing id or a new one.
//! 4. `speech`: quotes and reported speech, and who said them.
//! 5. Here: summary (the lead), events (sentences with a date), topics, ids; then the draft is
//!    validated as `check` would.
//!
//! Whatever was inferred rather than read (a speaker from "he", a new person, an ambiguous link)
//! becomes a [`Review`] line with the sentence it came from.

pub mod cli;
pub mod dates;
pub mod link;
pub mod people;
pub mod speech;
pub mod text;
pub mod words;

use std::fmt;
use std::path::Path;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use crate::article::{Article, Byline, ContextItem, Event, Participant, Statement, StatementKind};
use crate::indexed::Indexed;
use speech::Speaker;
use text::{Page, TextError};
use words::{NOT_A_NAME, is_in};

/// What the command line passes besides the text.
#[derive(Debug, Clone, Default)]
pub struct DraftConfig {
    /// Overrides the date found in the text.
    pub published: Option<NaiveDate>,
    /// The article id; default `<published>-<words of the title>`.
    pub id: Option<String>,
    /// The source URL; default the `URL:` line of the text, if any.
    pub url: Option<String>,
    /// Parse as HTML (default: when the text starts like an HTML document).
    pub html: bool,
}

/// A drafted article and what a person should check before committing it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub article: Article,
    pub review: Vec<Review>,
}

/// One thing the drafter was unsure of.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub what: String,
    /// The sentence it came from, if any.
    pub sentence: String,
}

impl fmt::Display for Review {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.sentence.is_empty() {
            write!(f, "review: {}", self.what)
        } else {
            let mut sentence: String = self.sentence.chars().take(160).collect();
            if sentence.len() < self.sentence.len() {
                sentence.push('…');
            }
            write!(f, "review: {} — in “{}”", self.what, sentence)
        }
    }
}

/// Why a file gives no draft.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftError {
    Text(TextError),
    /// No date in the text and none given.
    NoDate,
}

impl fmt::Display for DraftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DraftError::Text(err) => err.fmt(f),
            DraftError::NoDate => write!(
                f,
                "no publication date found in the text; give it with --published YYYY-MM-DD"
            ),
        }
    }
}

impl From<TextError> for DraftError {
    fn from(err: TextError) -> Self {
        DraftError::Text(err)
    }
}

// Invariant (all): constant patterns, exercised by every test that drafts.
static LEAD_META: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:date\s+\S+\s*)?(?:\(MENAFN-[^)]*\)\s*(?:QNA\b|[A-Z][\w ]{0,40}\|[\w ]{0,40})?\s*)?",
    )
    // Invariant: a constant pattern (built from constant word lists), compiled by every draft test.
    .expect("valid pattern")
});
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)?)(?:,\s*[A-Z][A-Za-z]+)?(?:,\s*[A-Z][a-z]+\.? \d{1,2})?\s*(?:\([^)]{1,30}\))?\s*(?::|–|—|--?|\.|\|)\s+")
        // Invariant: a constant pattern (built from constant word lists), compiled by every draft test.
        .expect("valid pattern")
});

/// Drafts one article from a file's bytes.
pub fn draft(bytes: &[u8], corpus: &Indexed, config: &DraftConfig) -> Result<Draft, DraftError> {
    let page = text::page_from_bytes(bytes, config.html)?;
    draft_page(&page, corpus, config)
}

fn draft_page(page: &Page, corpus: &Indexed, config: &DraftConfig) -> Result<Draft, DraftError> {
    let mut review = Vec::new();
    let shape = read_shape(page).ok_or(DraftError::Text(TextError::NoArticle))?;

    let published = match (config.published, &shape.date) {
        (Some(date), _) => date,
        (None, Some((date, line))) => {
            review.push(Review {
                what: format!("published {date} read from the text"),
                sentence: line.clone(),
            });
            *date
        }
        (None, None) => return Err(DraftError::NoDate),
    };

    let paragraphs: Vec<Vec<String>> = shape.body.iter().map(|p| speech::sentences(p)).collect();
    let flat: Vec<String> = paragraphs.iter().flatten().cloned().collect();

    // People, linked to the corpus.
    let mut people = people::find_people(&flat, &|name| link::is_known_name(corpus, name));
    let mut participants: Vec<Participant> = Vec::new();
    // Two forms the article keeps apart ("Sergei Riabkov", "Ryabkov Sergey Alexeevich") may be
    // one existing person: one participant each, people[i] is participants[home[i]].
    let mut home: Vec<usize> = Vec::new();
    for person in &mut people {
        let sentence = flat.get(person.first_sentence).cloned().unwrap_or_default();
        let mut tried = vec![person.name.clone()];
        tried.extend(
            person
                .spellings
                .iter()
                .filter(|s| s.split(' ').count() >= 2)
                .cloned(),
        );
        let link = tried
            .iter()
            .map(|name| link::link_person(corpus, name))
            .find(|l| !matches!(l, link::Link::New))
            .unwrap_or(link::Link::New);
        let mut spellings: Vec<String> = std::iter::once(person.name.clone())
            .chain(person.spellings.iter().cloned())
            .collect();
        spellings.dedup();
        let participant = match link {
            link::Link::Existing(known) => {
                // Every spelling the article uses is kept as an alias of this article; the
                // review says which are new to the corpus.
                let other: Vec<String> = spellings
                    .iter()
                    .filter(|s| **s != known.name)
                    .cloned()
                    .collect();
                let new: Vec<&String> = other
                    .iter()
                    .filter(|s| !known.aliases.contains(s))
                    .collect();
                if !other.is_empty() {
                    review.push(Review {
                        what: format!(
                            "linked “{}” to the existing {} ({}){}",
                            other.join("”, “"),
                            known.id,
                            known.name,
                            if new.is_empty() {
                                ""
                            } else {
                                "; a new spelling, kept as an alias"
                            }
                        ),
                        sentence: sentence.clone(),
                    });
                }
                let new = other;
                Participant {
                    id: known.id.clone(),
                    name: known.name.clone(),
                    aliases: new,
                    role: pick(&person.role, &known.role),
                    organization: pick(&person.organization, &known.organization),
                    country: pick(&person.country, &known.country),
                    description: None,
                }
            }
            other => {
                let id = fresh_person_id(corpus, &participants, &person.name);
                match other {
                    link::Link::Ambiguous(ids) => review.push(Review {
                        what: format!(
                            "“{}” could be {}; gave the new id {id}: use one of those if it is the same person",
                            person.name,
                            ids.join(" or ")
                        ),
                        sentence: sentence.clone(),
                    }),
                    _ => review.push(Review {
                        what: format!("new person “{}” (id {id})", person.name),
                        sentence: sentence.clone(),
                    }),
                }
                Participant {
                    id,
                    name: person.name.clone(),
                    aliases: spellings.into_iter().skip(1).collect(),
                    role: person.role.clone(),
                    organization: person.organization.clone(),
                    country: person.country.clone(),
                    description: None,
                }
            }
        };
        let mut participant = participant;
        if participant.country.is_empty()
            && let Some(country) = shape
                .location
                .as_deref()
                .and_then(|place| words::country_of(place.split(' ').next().unwrap_or("")))
        {
            participant.country = country.to_string();
            review.push(Review {
                what: format!(
                    "country of {} taken from the dateline ({country})",
                    participant.name
                ),
                sentence: sentence.clone(),
            });
        }
        if participant.role.is_empty() {
            review.push(Review {
                what: format!("no role found for {}", participant.name),
                sentence: sentence.clone(),
            });
        }
        // The speaker step matches descriptions ("the spokesperson") against these.
        person.role = participant.role.clone();
        person.country = participant.country.clone();
        if let Some(at) = participants.iter().position(|p| p.id == participant.id) {
            let merged = &mut participants[at];
            for alias in participant.aliases {
                if alias != merged.name && !merged.aliases.contains(&alias) {
                    merged.aliases.push(alias);
                }
            }
            home.push(at);
            continue;
        }
        home.push(participants.len());
        participants.push(participant);
    }

    // Statements and their topics.
    let mut statements: Vec<Statement> = Vec::new();
    let mut context: Vec<ContextItem> = Vec::new();
    for said in speech::statements(&paragraphs, &people) {
        if statements.iter().any(|s| s.text == said.text) {
            continue;
        }
        let (speaker, attribution) = match &said.speaker {
            Speaker::Person(i) => (
                home.get(*i)
                    .and_then(|&at| participants.get(at))
                    .map(|p| p.id.clone()),
                None,
            ),
            Speaker::Source(source) => (None, Some(source.clone())),
        };
        if speaker.is_none() && attribution.is_none() {
            continue;
        }
        if let Some(how) = &said.inferred {
            review.push(Review {
                what: format!("speaker inferred: {how}"),
                sentence: said.sentence.clone(),
            });
        }
        let mut topics = Vec::new();
        for topic in link::topics_in(corpus, &said.text) {
            if !context.iter().any(|c| c.id == topic.id) {
                context.push(ContextItem {
                    id: topic.id.clone(),
                    title: topic.title,
                    aliases: topic.aliases,
                    text: topic.text,
                });
            }
            topics.push(topic.id);
        }
        statements.push(Statement {
            speaker,
            attribution,
            kind: if said.quote {
                StatementKind::Quote
            } else {
                StatementKind::Paraphrase
            },
            text: said.text,
            said: said.said,
            via: None,
            topics,
        });
    }

    // Events: sentences with a day in them.
    let mut events = Vec::new();
    for sentence in &flat {
        if events.len() >= 6 {
            break;
        }
        let Some(found) = dates::find_day(sentence, published.year()) else {
            continue;
        };
        if sentence.split_whitespace().count() < 6 {
            continue;
        }
        let who: Vec<String> = (0..people.len())
            .filter(|&i| people::named_in(&people[i..=i], sentence).is_some())
            .filter_map(|i| home.get(i).and_then(|&at| participants.get(at)))
            .map(|p| p.id.clone())
            .fold(Vec::new(), |mut ids, id| {
                if !ids.contains(&id) {
                    ids.push(id);
                }
                ids
            });
        events.push(Event {
            when: found.text.clone(),
            date: Some(found.date.to_string()),
            place: shape.location.clone().unwrap_or_default(),
            what: sentence.clone(),
            participants: who,
        });
    }

    let title = shape.title.clone();
    let id = match &config.id {
        Some(id) => id.clone(),
        None => format!("{published}-{}", slug(&title, 6)),
    };
    if link::article_id_taken(corpus, &id) {
        review.push(Review {
            what: format!("the article id {id} is taken in the data; give another with --id"),
            sentence: String::new(),
        });
    }
    let article = Article {
        schema: Some("../article.schema.json".to_string()),
        id,
        title,
        published: Some(published.to_string()),
        source: shape.source.clone(),
        url: config.url.clone().or_else(|| page.url.clone()),
        byline: shape.byline.clone().map(|name| Byline { name, bio: None }),
        summary: shape.summary.clone(),
        location: shape.location.clone(),
        tags: Vec::new(),
        participants,
        statements,
        context,
        events,
        related: Vec::new(),
    };
    for problem in crate::load::validate_article(&article, Path::new("draft")) {
        review.push(Review {
            what: format!("check: {problem}"),
            sentence: String::new(),
        });
    }
    Ok(Draft { article, review })
}

fn pick(first: &str, second: &str) -> String {
    if first.is_empty() { second } else { first }.to_string()
}

/// A person id not used in the corpus nor the draft: "mao-ning", else "mao-ning-2", ...
fn fresh_person_id(corpus: &Indexed, taken: &[Participant], name: &str) -> String {
    let base = slug(name, 8);
    let base = if base.is_empty() {
        "person".to_string()
    } else {
        base
    };
    let free = |id: &str| !link::person_id_taken(corpus, id) && !taken.iter().any(|p| p.id == id);
    if free(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| free(id))
        .unwrap_or(base)
}

/// Lowercase ASCII words joined by '-', at most `words` of them, small words skipped in titles.
pub fn slug(text: &str, words: usize) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| {
            words > 6
                || !matches!(
                    *w,
                    "a" | "an" | "the" | "of" | "to" | "in" | "on" | "for" | "and" | "s"
                )
        })
        .take(words)
        .collect::<Vec<_>>()
        .join("-")
}

/// The parts of a page before any reading of people or speech.
#[derive(Debug, Clone, Default)]
struct Shape {
    title: String,
    date: Option<(NaiveDate, String)>,
    byline: Option<String>,
    source: Option<String>,
    location: Option<String>,
    summary: String,
    body: Vec<String>,
}

fn read_shape(page: &Page) -> Option<Shape> {
    let mut shape = Shape::default();
    let mut meta_date: Option<(NaiveDate, String)> = None;
    let mut text_date: Option<(NaiveDate, String)> = None;
    let mut title_at = None;
    for (i, line) in page.lines.iter().enumerate() {
        let words = line.split_whitespace().count();
        let found = dates::find_date(line);
        let meta = is_meta(line, found.as_ref());
        if let Some(found) = &found {
            let slot = if meta || byline(line).is_some() {
                &mut meta_date
            } else {
                &mut text_date
            };
            if slot.is_none() {
                *slot = Some((found.date, line.clone()));
            }
        }
        if let Some(by) = byline(line) {
            if by
                .split_whitespace()
                .any(|w| is_in(NOT_A_NAME, w) || words::country_of(w).is_some())
            {
                shape.source.get_or_insert(by);
            } else {
                shape.byline.get_or_insert(by);
            }
            continue;
        }
        let stripped = strip_lead(line, &mut shape.location);
        if title_at.is_none() {
            if !meta && words >= 4 && !line.starts_with('(') {
                shape.title = line.trim_end_matches('.').to_string();
                title_at = Some(i);
            }
            continue;
        }
        if line == &shape.title || (meta && stripped.split_whitespace().count() < 6) {
            continue;
        }
        let body_words = stripped.split_whitespace().count();
        let sentence_end = stripped.ends_with(['.', '!', '?', '"', '”', '’', ')', '…']);
        if (sentence_end && body_words >= 6) || body_words >= 20 {
            shape.body.push(stripped);
        }
    }
    shape.date = meta_date.or(text_date);
    // The lead: the first paragraph of a dozen words or more (a photo caption is shorter).
    let lead = shape
        .body
        .iter()
        .find(|p| p.split_whitespace().count() >= 12)
        .or(shape.body.first())?;
    let mut summary = String::new();
    for sentence in speech::sentences(lead) {
        if !summary.is_empty() {
            summary.push(' ');
        }
        summary.push_str(&sentence);
        if summary.split_whitespace().count() >= 25 {
            break;
        }
    }
    shape.summary = summary;
    (!shape.title.is_empty() && !shape.summary.trim().is_empty()).then_some(shape)
}

/// "By Enoch Wong", "By South China Morning Post | Created at …", trailing "By Vugar Khalilov".
fn byline(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("By ")
        .or_else(|| line.strip_prefix("by "))?;
    let name = rest.split(['|', ',']).next()?.trim();
    let words = name.split_whitespace().count();
    let capitalized = name
        .split_whitespace()
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    ((1..=6).contains(&words) && capitalized && !name.eq_ignore_ascii_case("staff"))
        .then(|| name.to_string())
}

/// A line that is about the article rather than part of it: a date line, "Reuters | Riyadh |
/// Updated: …", "(Web editor: …)".
fn is_meta(line: &str, date: Option<&dates::Found>) -> bool {
    let lower = line.to_lowercase();
    let words = line.split_whitespace().count();
    lower.starts_with("date ")
        || lower.starts_with("(web editor")
        || lower.starts_with("editor:")
        || lower.starts_with("updated")
        || lower.starts_with("published")
        || (line.contains(" | ") && words <= 15)
        || date.is_some_and(|d| {
            let rest = line.replace(&d.text, " ");
            rest.split_whitespace().count() <= 6 || words <= 10
        })
}

/// Takes the meta prefix and dateline off a paragraph ("date 2024-02-22 Doha: …", "BEIJING,
/// March 13 (Xinhua) -- …"), keeping the dateline's place.
fn strip_lead(line: &str, location: &mut Option<String>) -> String {
    let after_meta = LEAD_META
        .find(line)
        .map_or(line, |m| &line[m.end()..])
        .trim_start();
    if let Some(caps) = DATELINE.captures(after_meta)
        && let (Some(whole), Some(place)) = (caps.get(0), caps.get(1))
    {
        let place = place.as_str();
        let known_place = words::country_of(place.split(' ').next().unwrap_or("")).is_some()
            || place.chars().all(|c| c.is_uppercase() || c == ' ');
        if known_place && !is_in(words::TITLES, place) {
            if location.is_none() {
                *location = Some(title_word(place));
            }
            return after_meta[whole.end()..].to_string();
        }
    }
    after_meta.to_string()
}

fn title_word(place: &str) -> String {
    place
        .split(' ')
        .map(|w| {
            let lower = w.to_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}
