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

/// Slack on the bounds that stop a search early, far above any f32 rounding in a score, so
/// that a bound computed in another order never cuts off a document that could tie.
const ROUNDING: f32 = 1e-4;

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
    /// Grouped by kind, in [`Kind`] order: each kind's documents are one range of ids.
    documents: Vec<Document>,
    /// Where each kind's documents start and end, indexed by `Kind as usize`.
    ranges: [(u32, u32); 4],
    /// Each name document's letter mask (see [`dictionary::letter_mask`]): a subsequence can
    /// only be in a text that has all of its letters. 0 for documents without text.
    masks: Vec<u64>,
    /// Word id to the documents that contain it, ascending.
    postings: Vec<Vec<u32>>,
    /// Per word: whether it is the whole of some name (the alias "Ma"), the only way one
    /// query word earns the full-name bonus.
    solo: Vec<bool>,
}

/// What one query word matches: dictionary word to quality, and the best quality.
struct QueryWord {
    qualities: HashMap<WordId, f32>,
    /// (word, quality) best first.
    ordered: Vec<(WordId, f32)>,
    best: f32,
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
    ///
    /// Only the documents that can reach the answer are scored: query words are matched once
    /// against the dictionary, matched words are visited best first, and the search stops once
    /// `limit` targets score above anything left to visit. `tests/search_exhaustive.rs` checks
    /// the answers against [`SearchIndex::search_exhaustive`], which scores every document.
    pub fn search(&self, query: &str, kinds: &[Kind], limit: usize) -> Vec<Hit> {
        self.search_with(query, kinds, limit, false)
    }

    /// [`SearchIndex::search`] without any pruning: every document of `kinds` is scored. The
    /// reference the index is tested against; too slow to serve.
    #[doc(hidden)]
    pub fn search_exhaustive(&self, query: &str, kinds: &[Kind], limit: usize) -> Vec<Hit> {
        self.search_with(query, kinds, limit, true)
    }

    fn search_with(&self, query: &str, kinds: &[Kind], limit: usize, exhaustive: bool) -> Vec<Hit> {
        let folded = fold(query);
        let all: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        if all.is_empty() || limit == 0 {
            return Vec::new();
        }
        let content: Vec<&str> = all.iter().copied().filter(|w| !is_stop_word(w)).collect();
        let words = if content.is_empty() { all } else { content };

        let mut best: HashMap<Target, f32> = HashMap::new();
        let ranges = self.kind_ranges(kinds);
        let query_words: Vec<QueryWord> = words.iter().map(|w| self.query_word(w)).collect();
        if exhaustive {
            self.score_all(&query_words, &ranges, &mut best);
        } else {
            self.score_words(&query_words, &ranges, limit, &mut best);
        }
        if words.len() > 1 {
            // "gharib abadi" is "gharibabadi" written apart.
            let joined = [self.query_word(&words.concat())];
            if exhaustive {
                self.score_all(&joined, &ranges, &mut best);
            } else {
                self.score_words(&joined, &ranges, limit, &mut best);
            }
        }
        let strong = best.values().any(|&score| score >= 0.6);
        if !strong && words.len() == 1 && words[0].len() >= 2 {
            self.score_subsequence(words[0], &ranges, exhaustive, &mut best);
        }
        let mut hits: Vec<Hit> = best
            .into_iter()
            .filter(|&(_, score)| score >= MIN_SCORE)
            .map(|(target, score)| Hit { target, score })
            .collect();
        top(&mut hits, limit);
        hits
    }

    /// The names of `kind` closest to `query` as whole strings, for "nothing matched; did you
    /// mean ...?". Always returns up to `limit` targets when the corpus has any of that kind.
    pub fn nearest(&self, query: &str, kind: Kind, limit: usize) -> Vec<Hit> {
        let folded = fold(query);
        let mut best: HashMap<Target, f32> = HashMap::new();
        let (start, end) = self.ranges[kind as usize];
        for document in &self.documents[start as usize..end as usize] {
            let Some(text) = &document.text else {
                continue;
            };
            let score = strsim::jaro_winkler(&folded, text) as f32;
            keep(&mut best, document.target, score);
        }
        let mut hits: Vec<Hit> = best
            .into_iter()
            .map(|(target, score)| Hit { target, score })
            .collect();
        top(&mut hits, limit);
        hits
    }

    /// The document id ranges of `kinds`, without repeats.
    fn kind_ranges(&self, kinds: &[Kind]) -> Vec<(u32, u32)> {
        let mut kinds = kinds.to_vec();
        kinds.sort_unstable();
        kinds.dedup();
        kinds.iter().map(|&k| self.ranges[k as usize]).collect()
    }

    fn query_word(&self, word: &str) -> QueryWord {
        let ordered: Vec<(WordId, f32)> = self
            .dictionary
            .matches(word)
            .into_iter()
            .map(|m| (m.word, m.quality))
            .collect();
        QueryWord {
            best: ordered.first().map_or(0.0, |m| m.1),
            qualities: ordered.iter().copied().collect(),
            ordered,
        }
    }

    /// The documents of `ranges` that hold `word`.
    fn postings_in<'a>(
        &'a self,
        word: WordId,
        ranges: &'a [(u32, u32)],
    ) -> impl Iterator<Item = u32> + 'a {
        let list = &self.postings[word as usize];
        ranges.iter().flat_map(move |&(start, end)| {
            let from = list.partition_point(|&d| d < start);
            let to = list.partition_point(|&d| d < end);
            list[from..to].iter().copied()
        })
    }

    /// Scores the documents that hold a word matching one of `words`, visiting the fewest that
    /// can change the best `limit`.
    ///
    /// One word: matched words are visited by the most any document holding them can score
    /// (quality, plus the full-name bonus for a word that is a whole name), and the visit stops
    /// when `limit` targets already score above that. Several words: the documents of the
    /// rarest word are scored first; a document without any of the visited words can score at
    /// most what the other words would give with the penalty for a missing word, and once that
    /// is under [`MIN_SCORE`] or under `limit` targets' scores, it need not be visited.
    fn score_words(
        &self,
        words: &[QueryWord],
        ranges: &[(u32, u32)],
        limit: usize,
        best: &mut HashMap<Target, f32>,
    ) {
        let n = words.len();
        if n == 1 {
            let word = &words[0];
            let mut order: Vec<(f32, WordId)> = word
                .ordered
                .iter()
                .map(|&(id, q)| (if self.solo[id as usize] { q + 0.1 } else { q }, id))
                .collect();
            order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut i = 0;
            while i < order.len() {
                let bound = order[i].0;
                // Visit every word of this bound, then check.
                while i < order.len() && order[i].0 == bound {
                    for doc in self.postings_in(order[i].1, ranges) {
                        self.score_document(doc, words, best);
                    }
                    i += 1;
                }
                let Some(&(next, _)) = order.get(i) else {
                    break;
                };
                if next < MIN_SCORE || above(best, next + ROUNDING) >= limit {
                    break;
                }
            }
            return;
        }
        // Query words by how many documents their matches hold, fewest first.
        let mut drivers: Vec<(usize, usize)> = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let size = w
                    .ordered
                    .iter()
                    .map(|&(id, _)| self.postings[id as usize].len())
                    .sum();
                (size, i)
            })
            .collect();
        drivers.sort_unstable();
        let mut left: f32 = words.iter().map(|w| w.best).sum();
        for (visited, &(_, i)) in drivers.iter().enumerate() {
            let mut candidates: Vec<u32> = words[i]
                .ordered
                .iter()
                .flat_map(|&(id, _)| self.postings_in(id, ranges))
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            for doc in candidates {
                self.score_document(doc, words, best);
            }
            // A document holding none of the visited words' matches.
            left -= words[i].best;
            let bound = left / n as f32 * 0.5f32.powi(visited as i32 + 1) + 0.1;
            if bound + ROUNDING < MIN_SCORE || above(best, bound + ROUNDING) >= limit {
                break;
            }
        }
    }

    /// Scores every document of `ranges`, for the exhaustive reference.
    fn score_all(
        &self,
        words: &[QueryWord],
        ranges: &[(u32, u32)],
        best: &mut HashMap<Target, f32>,
    ) {
        for &(start, end) in ranges {
            for doc in start..end {
                self.score_document(doc, words, best);
            }
        }
    }

    /// One document's score for the query words, kept when it is its target's best.
    fn score_document(&self, doc: u32, words: &[QueryWord], best: &mut HashMap<Target, f32>) {
        let document = &self.documents[doc as usize];
        let n = words.len();
        let mut sum = 0.0;
        let mut matched = 0;
        // Positions covered, as a bitmask; names longer than 64 words never earn the bonus.
        let mut covered = 0u64;
        for word in words {
            let mut quality = 0.0f32;
            let mut at = None;
            for (position, id) in document.words.iter().enumerate() {
                if let Some(&q) = word.qualities.get(id)
                    && q > quality
                {
                    quality = q;
                    at = Some(position);
                }
            }
            if let Some(position) = at {
                sum += quality;
                matched += 1;
                if position < 64 {
                    covered |= 1 << position;
                }
            }
        }
        if matched == 0 {
            return;
        }
        let mut score = sum / n as f32 * 0.5f32.powi((n - matched) as i32);
        // A name matched in full beats one matched in part: "ma" is Ma Zhaoxu before Mao Ning.
        let len = document.words.len();
        if document.weight == NAME && len <= 64 && covered.count_ones() as usize == len {
            score += 0.1;
        }
        keep(best, document.target, score * document.weight);
    }

    /// SkimMatcherV2 over names, for abbreviations typed as subsequences ("ghrb", "jcpa").
    /// Names missing one of the word's letters cannot hold it and are skipped unscored.
    fn score_subsequence(
        &self,
        word: &str,
        ranges: &[(u32, u32)],
        exhaustive: bool,
        best: &mut HashMap<Target, f32>,
    ) {
        let matcher = SkimMatcherV2::default().ignore_case();
        let Some(ideal) = matcher.fuzzy_match(word, word).filter(|&s| s > 0) else {
            return;
        };
        let mask = dictionary::letter_mask(word);
        for &(start, end) in ranges {
            for doc in start..end {
                let document = &self.documents[doc as usize];
                let Some(text) = &document.text else { continue };
                if !exhaustive && mask & !self.masks[doc as usize] != 0 {
                    continue;
                }
                if let Some(score) = matcher.fuzzy_match(text, word) {
                    let ratio = (score as f32 / ideal as f32).clamp(0.0, 1.0);
                    // Squared: a tight subsequence ("ghrb" in "gharibabadi") stands well clear
                    // of a scattered one ("ghrb" across "sergei alexeyevich ryabkov").
                    keep(best, document.target, 0.15 + 0.5 * ratio * ratio);
                }
            }
        }
    }
}

/// Raises `target`'s best score to `score`.
fn keep(best: &mut HashMap<Target, f32>, target: Target, score: f32) {
    let slot = best.entry(target).or_insert(0.0);
    if score > *slot {
        *slot = score;
    }
}

/// How many targets score strictly above `bound`.
fn above(best: &HashMap<Target, f32>, bound: f32) -> usize {
    best.values().filter(|&&s| s > bound).count()
}

/// Keeps the best `limit` hits, sorted: a bounded selection, then a sort of what is left.
fn top(hits: &mut Vec<Hit>, limit: usize) {
    if hits.len() > limit && limit > 0 {
        hits.select_nth_unstable_by(limit - 1, order);
    }
    hits.truncate(limit);
    sort_hits(hits);
}

fn order(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| a.target.cmp(&b.target))
}

fn sort_hits(hits: &mut [Hit]) {
    hits.sort_by(order);
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
        let mut solo = vec![false; self.dictionary.len()];
        let mut masks = Vec::with_capacity(self.documents.len());
        let mut ranges = [(0u32, 0u32); 4];
        for (doc, document) in self.documents.iter().enumerate() {
            if let ([word], true) = (&*document.words, document.weight == NAME) {
                solo[*word as usize] = true;
            }
            masks.push(document.text.as_deref().map_or(0, dictionary::letter_mask));
            let range = &mut ranges[document.target.kind as usize];
            if range.1 == 0 {
                range.0 = doc as u32;
            }
            range.1 = doc as u32 + 1;
        }
        SearchIndex {
            dictionary: self.dictionary,
            documents: self.documents,
            ranges,
            masks,
            postings,
            solo,
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
