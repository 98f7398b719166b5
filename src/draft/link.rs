//! The drafter's only door into the corpus and its search engine.
//!
//! Everything the drafter asks of the loaded data goes through these functions, so when the
//! corpus or search API moves only this file changes. A person is linked with the same engine
//! the bot answers `/who` with (aliases, transliteration, word order, typos), then checked: the
//! engine is built to find *something* for a user's query, while a drafter must not give a new
//! person an existing id because their first names are alike.

use crate::indexed::Indexed;
use crate::search::normalize::fold;
use crate::search::{Kind, Resolution, resolve};

/// An existing person, as the drafter copies it into a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub role: String,
    pub organization: String,
    pub country: String,
}

/// What the corpus says about a name found in a new article.
#[derive(Debug, Clone, PartialEq)]
pub enum Link {
    /// This existing person.
    Existing(Known),
    /// Several existing people fit; a person must pick.
    Ambiguous(Vec<String>),
    /// Nobody in the corpus.
    New,
}

/// Looks `name` up among the corpus' people.
pub fn link_person(corpus: &Indexed, name: &str) -> Link {
    let folded = fold(name);
    if folded.is_empty() {
        return Link::New;
    }
    // An exact name or alias is certain, whatever the engine's ranking.
    let exact: Vec<usize> = corpus
        .people
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            std::iter::once(&p.name)
                .chain(&p.aliases)
                .any(|n| fold(n) == folded)
        })
        .map(|(i, _)| i)
        .collect();
    match exact.as_slice() {
        [one] => return Link::Existing(known(corpus, *one)),
        [] => {}
        many => {
            return Link::Ambiguous(many.iter().map(|&i| corpus.people[i].id.clone()).collect());
        }
    }
    match resolve(&corpus.index, name, Kind::Person) {
        Resolution::Found(target) => {
            let index = target.index as usize;
            match corpus.people.get(index) {
                Some(person) if same_name(&folded, person) => Link::Existing(known(corpus, index)),
                _ => Link::New,
            }
        }
        Resolution::Ambiguous(targets) => {
            let ids: Vec<String> = targets
                .iter()
                .filter_map(|t| corpus.people.get(t.index as usize))
                .filter(|p| same_name(&folded, p))
                .map(|p| p.id.clone())
                .collect();
            match ids.len() {
                0 => Link::New,
                _ => Link::Ambiguous(ids),
            }
        }
        Resolution::NotFound(_) => Link::New,
    }
}

/// Whether a found person plausibly bears `folded`: every word of the shorter of the two names
/// is near a word of the other (one typo per five letters), and they share a word of at least
/// four letters nearly exactly. "ryabkov sergey alexeevich" and "sergei ryabkov" pass;
/// "wang yi" and "liu zhongmin" do not.
fn same_name(folded: &str, person: &crate::corpus::Person) -> bool {
    std::iter::once(&person.name)
        .chain(&person.aliases)
        .any(|candidate| {
            let candidate = fold(candidate);
            let a: Vec<&str> = folded.split(' ').collect();
            let b: Vec<&str> = candidate.split(' ').collect();
            let (short, long) = if a.len() <= b.len() {
                (&a, &b)
            } else {
                (&b, &a)
            };
            let near = |x: &str, y: &str| {
                x == y || strsim::osa_distance(x, y) <= (x.len().max(y.len()) / 5).max(1)
            };
            short.iter().all(|w| long.iter().any(|v| near(w, v)))
                && short
                    .iter()
                    .any(|w| w.len() >= 4 && long.iter().any(|v| near(w, v)))
        })
}

fn known(corpus: &Indexed, index: usize) -> Known {
    let person = &corpus.people[index];
    let current = person.current();
    Known {
        id: person.id.clone(),
        name: person.name.clone(),
        aliases: person.aliases.clone(),
        role: current.role.clone(),
        organization: current.organization.clone(),
        country: current.country.clone(),
    }
}

/// Whether `name` is exactly a name or alias of a person in the corpus (folded).
pub fn is_known_name(corpus: &Indexed, name: &str) -> bool {
    let folded = fold(name);
    !folded.is_empty()
        && corpus.people.iter().any(|p| {
            std::iter::once(&p.name)
                .chain(&p.aliases)
                .any(|n| fold(n) == folded)
        })
}

/// Whether any article of the corpus uses `id` as a person id.
pub fn person_id_taken(corpus: &Indexed, id: &str) -> bool {
    corpus.person(id).is_some()
}

/// Whether an article with this id is loaded.
pub fn article_id_taken(corpus: &Indexed, id: &str) -> bool {
    corpus.article_index(id).is_some()
}

/// An existing topic, as the drafter copies it into a draft's `context`.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownTopic {
    pub id: String,
    pub title: String,
    pub aliases: Vec<String>,
    pub text: String,
}

/// The corpus' topics a statement is about: those whose title or an alias of two words or more
/// (or an acronym such as "JCPOA") appears in `text` as whole words.
pub fn topics_in(corpus: &Indexed, text: &str) -> Vec<KnownTopic> {
    let folded = format!(" {} ", fold(text));
    corpus
        .topics
        .iter()
        .filter(|topic| {
            std::iter::once(&topic.title)
                .chain(&topic.aliases)
                .any(|name| {
                    let acronym = name.len() >= 3
                        && name
                            .chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
                    let name_folded = fold(name);
                    (acronym || name_folded.split(' ').count() >= 2)
                        && folded.contains(&format!(" {name_folded} "))
                })
        })
        .map(|topic| KnownTopic {
            id: topic.id.clone(),
            title: topic.title.clone(),
            aliases: topic.aliases.clone(),
            text: corpus
                .topic_texts(topic)
                .next()
                .map_or_else(|| topic.title.clone(), |(_, text)| text.to_string()),
        })
        .collect()
}
