//! A corpus with its search index: what every command reads.
//!
//! The two are built in layers: the corpus (ground) merges the articles and hands over its
//! documents; the index (above it) knows only documents. [`Indexed`] pairs them once per load,
//! and dereferences to the corpus, so `corpus.people` and `corpus.index.search(..)` read alike.

use std::ops::Deref;
use std::sync::OnceLock;

use crate::article::Article;
use crate::corpus::{Corpus, Target};
use crate::search::SearchIndex;

/// A corpus and the index built from its documents. Immutable, like the corpus.
#[derive(Debug)]
pub struct Indexed {
    pub corpus: Corpus,
    pub index: SearchIndex,
    /// The people's countries, counted the first time a question asks (see [`Countries`]).
    countries: OnceLock<Countries>,
    /// The statements' attributions, numbered the first time a command asks.
    attributions: OnceLock<Attributions>,
    /// The days of the events and articles, listed the first time a question asks.
    days: OnceLock<Vec<chrono::NaiveDate>>,
}

/// The distinct attribution texts of the statements ("A senior official", "Analysts"), and
/// which one each statement has: `/statements speaker:analyst` matches each text once and
/// reads a number per statement, rather than hashing every statement's text.
#[derive(Debug, Default)]
pub struct Attributions {
    /// Each distinct text once, in the order statements first give it.
    pub texts: Vec<String>,
    /// Per statement (as in `Corpus::statements`), its text's place in `texts`, or
    /// [`Attributions::NONE`].
    pub of: Vec<u32>,
}

impl Attributions {
    /// A statement without an attribution.
    pub const NONE: u32 = u32::MAX;
}

/// The distinct countries of the corpus's people, as written, in the order people first give
/// them, each with the people who appear with it (ascending): what `/ask` reads for "what did
/// China say", counted once per corpus rather than once per question.
#[derive(Debug, Default)]
pub struct Countries {
    /// (as written, the people with an appearance in it, ascending).
    pub found: Vec<(String, Vec<usize>)>,
}

impl Indexed {
    /// Indexes a corpus's documents.
    pub fn new(corpus: Corpus) -> Indexed {
        // The documents in two runs, one per core, each text made and dropped as it is added.
        let middle = corpus.document_midpoint();
        let index = SearchIndex::build_split(
            |add| corpus.each_document(Target::FIRST, middle, add),
            |add| corpus.each_document(middle, Target::END, add),
        );
        Indexed {
            corpus,
            index,
            countries: OnceLock::new(),
            attributions: OnceLock::new(),
            days: OnceLock::new(),
        }
    }

    /// Every day the corpus's events and articles are of, ascending, listed on first use
    /// (`/ask what happened on Friday` reads the newest Friday).
    pub fn days(&self) -> &[chrono::NaiveDate] {
        self.days.get_or_init(|| {
            let mut days: Vec<chrono::NaiveDate> = self
                .corpus
                .articles
                .iter()
                .flat_map(|a| {
                    a.events
                        .iter()
                        .filter_map(|e| e.date.as_deref())
                        .chain(a.published.as_deref())
                })
                .filter_map(|d| {
                    chrono::NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok()
                })
                .collect();
            days.sort();
            days.dedup();
            days
        })
    }

    /// The statements' attributions ([`Attributions`]), numbered on first use.
    pub fn attributions(&self) -> &Attributions {
        self.attributions.get_or_init(|| {
            let mut at: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
            let mut texts: Vec<String> = Vec::new();
            let of = self
                .corpus
                .statements
                .iter()
                .map(|&s| match self.corpus.statement(s).attribution.as_deref() {
                    None => Attributions::NONE,
                    Some(text) => *at.entry(text).or_insert_with(|| {
                        texts.push(text.to_string());
                        (texts.len() - 1) as u32
                    }),
                })
                .collect();
            Attributions { texts, of }
        })
    }

    /// The people's countries ([`Countries`]), counted on first use.
    pub fn countries(&self) -> &Countries {
        self.countries.get_or_init(|| {
            let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
            let mut found: Vec<(String, Vec<usize>)> = Vec::new();
            for (p, person) in self.corpus.people.iter().enumerate() {
                for &a in &person.appearances {
                    let country = &self.corpus.participant(a).country;
                    if country.is_empty() {
                        continue;
                    }
                    let slot = *at.entry(country.as_str()).or_insert_with(|| {
                        found.push((country.clone(), Vec::new()));
                        found.len() - 1
                    });
                    let people = &mut found[slot].1;
                    if people.last() != Some(&p) {
                        people.push(p);
                    }
                }
            }
            Countries { found }
        })
    }

    /// Builds the corpus from validated articles, then its index.
    pub fn build(articles: Vec<Article>) -> Indexed {
        Indexed::new(Corpus::build(articles))
    }
}

impl Deref for Indexed {
    type Target = Corpus;

    fn deref(&self) -> &Corpus {
        &self.corpus
    }
}

impl From<Corpus> for Indexed {
    fn from(corpus: Corpus) -> Indexed {
        Indexed::new(corpus)
    }
}
