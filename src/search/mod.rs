//! The search index: built once per corpus, it finds people, topics, articles and statements
//! from what a user types, however they spell it.
//!
//! Every searchable text is a *document* of folded words (see [`normalize::fold`]) owned by a
//! [`Target`] and weighted by what it is: a name or alias counts fully, a role or description less,
//! body text less again. A query is folded the same way; each query word is matched against the
//! [`Dictionary`] of distinct words (exact, prefix, typo), the documents holding a matching word are
//! scored on how many query words they cover and how well, and each target keeps its best document.
//! Word order never matters. For single-word queries that match no word, fuzzy-matcher's
//! SkimMatcherV2 scores names as subsequences ("ghrb" finds Gharibabadi).

pub mod dictionary;
pub mod normalize;
mod resolve;

use std::collections::HashMap;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::corpus::Corpus;
use dictionary::{Dictionary, WordId};
use normalize::{fold, is_stop_word};
pub use resolve::{Resolution, resolve};

/// What a document belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Person,
    Topic,
    Article,
    Statement,
}

/// One thing the index can find: its kind and its index in the corpus' list of that kind
/// (`people`, `topics`, `articles`, `statements`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub kind: Kind,
    pub index: u32,
}

/// A target and how well it matched, from 0 to about 1.1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub target: Target,
    pub score: f32,
}

/// How much a document's match counts.
const NAME: f32 = 1.0;
const DESCRIPTOR: f32 = 0.6;
const BODY: f32 = 0.5;

/// Below this a hit is noise, not an answer.
pub const MIN_SCORE: f32 = 0.3;

#[derive(Debug)]
struct Document {
    target: Target,
    weight: f32,
    words: Box<[WordId]>,
    /// The folded text, kept for names only: the subsequence and nearest-name stages need it.
    text: Option<Box<str>>,
}

#[derive(Debug, Default)]
pub struct SearchIndex {
    dictionary: Dictionary,
    documents: Vec<Document>,
    /// Word id to the documents that contain it, ascending.
    postings: Vec<Vec<u32>>,
}

impl SearchIndex {
    pub fn build(corpus: &Corpus) -> SearchIndex {
        let mut builder = Builder::default();
        for (i, person) in corpus.people.iter().enumerate() {
            let target = Target {
                kind: Kind::Person,
                index: i as u32,
            };
            builder.add(target, NAME, &person.name);
            for alias in &person.aliases {
                builder.add(target, NAME, alias);
            }
            for appearance in &person.appearances {
                let mut descriptor = format!(
                    "{} {} {}",
                    appearance.role, appearance.organization, appearance.country
                );
                if let Some(description) = &appearance.description {
                    descriptor.push(' ');
                    descriptor.push_str(description);
                }
                builder.add(target, DESCRIPTOR, &descriptor);
            }
        }
        for (i, topic) in corpus.topics.iter().enumerate() {
            let target = Target {
                kind: Kind::Topic,
                index: i as u32,
            };
            builder.add(target, NAME, &topic.title);
            for alias in &topic.aliases {
                builder.add(target, NAME, alias);
            }
            for (_, text) in &topic.texts {
                builder.add(target, BODY, text);
            }
        }
        for (i, article) in corpus.articles.iter().enumerate() {
            let target = Target {
                kind: Kind::Article,
                index: i as u32,
            };
            builder.add(target, NAME, &article.title);
            builder.add(target, NAME, &article.id.replace('-', " "));
            if !article.tags.is_empty() {
                builder.add(target, DESCRIPTOR, &article.tags.join(" "));
            }
            builder.add(target, BODY, &article.summary);
        }
        for (i, &at) in corpus.statements.iter().enumerate() {
            let target = Target {
                kind: Kind::Statement,
                index: i as u32,
            };
            let statement = corpus.statement(at);
            builder.add(target, BODY, &statement.text);
            if let Some(attribution) = &statement.attribution {
                builder.add(target, DESCRIPTOR, attribution);
            }
        }
        builder.finish()
    }

    /// The targets of `kinds` that match `query`, best first, at most `limit`, each at least
    /// [`MIN_SCORE`]. Ties keep the corpus order (names sorted), so answers are stable.
    pub fn search(&self, query: &str, kinds: &[Kind], limit: usize) -> Vec<Hit> {
        let folded = fold(query);
        let all: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        if all.is_empty() || limit == 0 {
            return Vec::new();
        }
        let content: Vec<&str> = all.iter().copied().filter(|w| !is_stop_word(w)).collect();
        let words = if content.is_empty() { all } else { content };

        let mut best: HashMap<Target, f32> = HashMap::new();
        self.score_words(&words, kinds, &mut best);
        if words.len() > 1 {
            // "gharib abadi" is "gharibabadi" written apart.
            let joined = words.concat();
            self.score_words(&[joined.as_str()], kinds, &mut best);
        }
        let strong = best.values().any(|&score| score >= 0.6);
        if !strong && words.len() == 1 && words[0].len() >= 2 {
            self.score_subsequence(words[0], kinds, &mut best);
        }
        let mut hits: Vec<Hit> = best
            .into_iter()
            .filter(|&(_, score)| score >= MIN_SCORE)
            .map(|(target, score)| Hit { target, score })
            .collect();
        sort_hits(&mut hits);
        hits.truncate(limit);
        hits
    }

    /// The names of `kind` closest to `query` as whole strings, for "nothing matched; did you
    /// mean ...?". Always returns up to `limit` targets when the corpus has any of that kind.
    pub fn nearest(&self, query: &str, kind: Kind, limit: usize) -> Vec<Hit> {
        let folded = fold(query);
        let mut best: HashMap<Target, f32> = HashMap::new();
        for document in &self.documents {
            let (true, Some(text)) = (document.target.kind == kind, &document.text) else {
                continue;
            };
            let score = strsim::jaro_winkler(&folded, text) as f32;
            let slot = best.entry(document.target).or_insert(0.0);
            if score > *slot {
                *slot = score;
            }
        }
        let mut hits: Vec<Hit> = best
            .into_iter()
            .map(|(target, score)| Hit { target, score })
            .collect();
        sort_hits(&mut hits);
        hits.truncate(limit);
        hits
    }

    /// Scores every document that holds a word matching one of `words`.
    fn score_words(&self, words: &[&str], kinds: &[Kind], best: &mut HashMap<Target, f32>) {
        let n = words.len();
        // matches[i]: dictionary word -> quality, for query word i.
        let matches: Vec<HashMap<WordId, f32>> = words
            .iter()
            .map(|word| {
                self.dictionary
                    .matches(word)
                    .into_iter()
                    .map(|m| (m.word, m.quality))
                    .collect()
            })
            .collect();
        let mut candidates: Vec<u32> = matches
            .iter()
            .flat_map(|m| m.keys())
            .flat_map(|&word| self.postings[word as usize].iter().copied())
            .filter(|&doc| kinds.contains(&self.documents[doc as usize].target.kind))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        for doc in candidates {
            let document = &self.documents[doc as usize];
            let mut sum = 0.0;
            let mut matched = 0;
            let mut covered = vec![false; document.words.len()];
            for word_matches in &matches {
                let mut quality = 0.0f32;
                let mut at = None;
                for (position, word) in document.words.iter().enumerate() {
                    if let Some(&q) = word_matches.get(word)
                        && q > quality
                    {
                        quality = q;
                        at = Some(position);
                    }
                }
                if let Some(position) = at {
                    sum += quality;
                    matched += 1;
                    covered[position] = true;
                }
            }
            if matched == 0 {
                continue;
            }
            let mut score = sum / n as f32 * 0.5f32.powi((n - matched) as i32);
            // A name matched in full beats one matched in part: "ma" is Ma Zhaoxu before Mao Ning.
            if document.weight == NAME && covered.iter().all(|&c| c) {
                score += 0.1;
            }
            let score = score * document.weight;
            let slot = best.entry(document.target).or_insert(0.0);
            if score > *slot {
                *slot = score;
            }
        }
    }

    /// SkimMatcherV2 over names, for abbreviations typed as subsequences ("ghrb", "jcpa").
    fn score_subsequence(&self, word: &str, kinds: &[Kind], best: &mut HashMap<Target, f32>) {
        let matcher = SkimMatcherV2::default().ignore_case();
        let Some(ideal) = matcher.fuzzy_match(word, word).filter(|&s| s > 0) else {
            return;
        };
        for document in &self.documents {
            let Some(text) = &document.text else { continue };
            if !kinds.contains(&document.target.kind) {
                continue;
            }
            if let Some(score) = matcher.fuzzy_match(text, word) {
                let ratio = (score as f32 / ideal as f32).clamp(0.0, 1.0);
                // Squared: a tight subsequence ("ghrb" in "gharibabadi") stands well clear of a
                // scattered one ("ghrb" across "sergei alexeyevich ryabkov").
                let score = 0.15 + 0.5 * ratio * ratio;
                let slot = best.entry(document.target).or_insert(0.0);
                if score > *slot {
                    *slot = score;
                }
            }
        }
    }
}

fn sort_hits(hits: &mut [Hit]) {
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.target.cmp(&b.target))
    });
}

#[derive(Default)]
struct Builder {
    dictionary: Dictionary,
    documents: Vec<Document>,
}

impl Builder {
    fn add(&mut self, target: Target, weight: f32, text: &str) {
        let folded = fold(text);
        if folded.is_empty() {
            return;
        }
        let words: Box<[WordId]> = folded
            .split(' ')
            .map(|word| self.dictionary.intern(word))
            .collect();
        let text = (weight == NAME).then(|| folded.into_boxed_str());
        self.documents.push(Document {
            target,
            weight,
            words,
            text,
        });
    }

    fn finish(mut self) -> SearchIndex {
        self.dictionary.finish();
        let mut postings = vec![Vec::new(); self.dictionary.len()];
        for (doc, document) in self.documents.iter().enumerate() {
            for &word in document.words.iter() {
                let list: &mut Vec<u32> = &mut postings[word as usize];
                if list.last() != Some(&(doc as u32)) {
                    list.push(doc as u32);
                }
            }
        }
        SearchIndex {
            dictionary: self.dictionary,
            documents: self.documents,
            postings,
        }
    }
}

/// Whether every content word of `query` is in `text`, as a prefix or within a typo ("analyst"
/// in "A Chinese analyst", "expert" in "Experts"). For short free-text fields not worth an index.
pub fn words_match(query: &str, text: &str) -> bool {
    let query = fold(query);
    let text = fold(text);
    let words: Vec<&str> = text.split(' ').collect();
    let mut content = query
        .split(' ')
        .filter(|w| !w.is_empty() && !is_stop_word(w))
        .peekable();
    if content.peek().is_none() {
        return false;
    }
    content.all(|q| {
        let budget = dictionary::typo_budget(q.len());
        words.iter().any(|w| {
            w.starts_with(q)
                || (w.len() >= 4 && q.starts_with(w))
                || (budget > 0 && strsim::osa_distance(q, w) <= budget)
        })
    })
}
