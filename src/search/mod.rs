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

mod best;
pub mod dictionary;
mod resolve;
mod subsequence;

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

pub use crate::corpus::{Document, Field, Kind, Target};
/// The one text normalization, re-exported where the index's users have always found it.
pub use crate::normalize;
use best::Best;
use dictionary::{Dictionary, How, WordId};
use normalize::{fold, is_stop_word};
pub use resolve::{HITS, Resolution, resolve, resolve_hits};

/// A target and how well it matched, from 0 to about 1.1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub target: Target,
    pub score: f32,
}

/// How much a document's match counts.
const NAME: f32 = 1.0;
const DESCRIPTOR: f32 = 0.6;

/// The most a target can score without a name, title or alias matching: by a role,
/// description, tags or running text alone. A hit above it matched a name.
pub const BEYOND_NAMES: f32 = DESCRIPTOR;
const BODY: f32 = 0.5;

/// The longest name kept in [`SearchIndex::short`].
const SHORT: usize = 3;

/// Which of a word's documents a group visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// Names of at most as many words as the query: the full-name bonus is possible.
    Short,
    /// Every other document: no bonus.
    Long,
    /// All of them (queries longer than [`SHORT`] words).
    All,
}

/// Below this a hit is noise, not an answer.
pub const MIN_SCORE: f32 = 0.3;

/// Slack on the bounds that stop a search early, far above any f32 rounding in a score, so
/// that a bound computed in another order never cuts off a document that could tie.
const ROUNDING: f32 = 1e-4;

/// One document, in 24 bytes (its target's parts and its field's code side by side): 300k of
/// them at 10k articles.
#[derive(Debug)]
struct Doc {
    index: u32,
    kind: Kind,
    field: Field,
    /// Where its words are in [`SearchIndex::words`]: one list for every document rather than
    /// an allocation each (300k documents at 10k articles).
    words: (u32, u32),
    /// Where the folded text is in [`SearchIndex::names`], kept for names only (start and end
    /// equal for the others: a name's text is never empty): the subsequence and nearest-name
    /// stages need it.
    text: (u32, u32),
}

// The 24 bytes the comment on `Doc` counts on.
const _: () = assert!(std::mem::size_of::<Doc>() == 24);

impl Doc {
    fn target(&self) -> Target {
        Target {
            kind: self.kind,
            index: self.index,
        }
    }

    /// How much a match in it counts.
    fn weight(&self) -> f32 {
        weight_of(self.field)
    }

    /// Where its text is, when it has one.
    fn text(&self) -> Option<(u32, u32)> {
        (self.text.0 != self.text.1).then_some(self.text)
    }
}

/// How much a match in a document of `field` counts.
fn weight_of(field: Field) -> f32 {
    match field {
        Field::Name => NAME,
        Field::Descriptor => DESCRIPTOR,
        Field::Body => BODY,
    }
}

#[derive(Debug, Default)]
pub struct SearchIndex {
    dictionary: Dictionary,
    /// The folded text of every name document, one after another in document order: the
    /// subsequence stage reads them in that order, so from memory in sequence rather than from
    /// one allocation per name.
    names: String,
    /// Grouped by kind, in [`Kind`] order: each kind's documents are one range of ids.
    documents: Vec<Doc>,
    /// Every document's words, one document after another (see [`SearchIndex::words_of`]).
    words: Vec<WordId>,
    /// Where each kind's documents start and end, indexed by `Kind as usize`.
    ranges: [(u32, u32); Kind::COUNT],
    /// Each name document's letter mask (see [`dictionary::letter_mask`]): a subsequence can
    /// only be in a text that has all of its letters. 0 for documents without text. Bits from
    /// [`INITIALS`] on say which letters start one of the name's words. This list and the two
    /// below end at the last document with a text: no document past them has one.
    masks: Vec<u64>,
    /// Each name document's adjacent letter pairs, hashed to one bit each (see
    /// [`subsequence::pair_bit`]), the text's first letter paired with 0: where a subsequence
    /// can match two letters in a row. 0 for documents without text.
    pairs: Vec<u64>,
    /// Each name document's pairs of letters one apart (see [`subsequence::skip_mask`]); 0 for
    /// documents without text.
    skips: Vec<u64>,
    /// Per letter a-z, the name documents where it starts a word, ascending (the documents
    /// whose [`initial_bit`] of that letter is set): the subsequence stage's first pass visits
    /// only the names where the pattern's first letter starts a word.
    /// Each entry holds the document's masks and what the letter is followed by in it beside
    /// its id (see [`subsequence::Initial`]), so the filter and the bound read the list in
    /// order rather than the masks at random.
    initials: Vec<Vec<subsequence::Initial>>,
    /// Per pair of letters a-z (see [`adjacent_slot`]), the name documents where the first is
    /// right before the second or, across a space, ends the word before the one the second
    /// starts, ascending: the only places where a subsequence's letter earns the most it can
    /// after the previous one (20, see `subsequence::later`), and with
    /// [`SearchIndex::initials`], the only names where it can earn more than 12.
    adjacent: Vec<Vec<u32>>,
    /// Per pair of letters, the documents of its [`SearchIndex::adjacent`] list as one bit per
    /// document id (up to the last name), when the list holds at least one name in
    /// [`DENSE`]; empty for the rest. The subsequence stage's first pass asks of every name of
    /// a long list whether a pattern's letters are side by side in it: the pair masks
    /// ([`SearchIndex::pairs`]) hash 676 pairs to 64 bits and say yes for about a third of the
    /// pairs a name does not hold, these answer exactly, one bit read in order.
    side_by_side: Vec<Vec<u64>>,
    /// A letter's list at least this long is bounded on two threads ([`SPLIT`] when the
    /// machine runs two at once, read when the index is built, as reading it takes a system
    /// call or a few files; never on one core).
    split: usize,
    /// Word id to the documents that contain it, ascending.
    postings: Vec<Vec<u32>>,
    /// Word id to the names of one word that are that word ("Ma"), ascending: with one query
    /// word left to visit, the only documents that can still earn the full-name bonus.
    single: Vec<Vec<u32>>,
    /// Word id to the names of at most [`SHORT`] words that contain it, ascending: the only
    /// documents that can earn the full-name bonus for a query of that many words, visited
    /// apart so that the long rest is bounded without the bonus.
    short: Vec<Vec<u32>>,
    /// Per word and [`Kind`]: the heaviest weight of a document of that kind holding it. A word
    /// found only in roles and descriptions ("spokesperson") cannot make a person score above
    /// [`DESCRIPTOR`]. 0 where no document of the kind holds it.
    heaviest: Vec<[f32; Kind::COUNT]>,
    /// Per word and [`Kind`]: the fewest words of a name of that kind holding it (255 for
    /// none, or more). A name earns the full-name bonus only when the query has as many words:
    /// one query word only from a name that is that word alone (the alias "Ma").
    shortest_name: Vec<[u8; Kind::COUNT]>,
}

/// What one query word matches: (dictionary word, quality) best first, and the best quality.
struct QueryWord {
    ordered: Vec<(WordId, f32)>,
    best: f32,
}

/// The words of one query, with a table of how well each dictionary word they match answers
/// each of them: one lookup per document word, whatever the number of query words.
struct Query {
    words: Vec<QueryWord>,
    /// Per dictionary word, its row in `table`, or `u32::MAX` when it matches no query word:
    /// a plain array (4 bytes a dictionary word), cheaper to fill once than to hash into for
    /// every word of every visited document.
    rows: Vec<u32>,
    /// `words.len()` qualities per row, 0 where the dictionary word does not match.
    table: Vec<f32>,
    /// Scratch for [`SearchIndex::score_document`]: per query word, the best quality in the
    /// document and its position.
    quality: Vec<f32>,
    at: Vec<u32>,
    /// Per query word, whether every document holding one of its matches has been scored
    /// (see [`SearchIndex::score_words`]): a document visited after that lacks the word.
    visited: Vec<bool>,
}

thread_local! {
    /// [`Query::rows`] between queries, every entry `u32::MAX`: a dictionary of 300k words
    /// takes 1.2 MB to fill, more than some whole queries take, where a query sets and resets
    /// only the rows of its matches.
    static ROWS: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Drop for Query {
    fn drop(&mut self) {
        for word in &self.words {
            for &(id, _) in &word.ordered {
                if let Some(row) = self.rows.get_mut(id as usize) {
                    *row = u32::MAX;
                }
            }
        }
        let rows = std::mem::take(&mut self.rows);
        // Kept for the next query on this thread (unless a query in progress on it has the
        // one kept, or the thread is ending).
        let _ = ROWS.try_with(|kept| {
            if let Ok(mut kept) = kept.try_borrow_mut()
                && kept.len() < rows.len()
            {
                *kept = rows;
            }
        });
    }
}

impl Query {
    fn new(words: Vec<QueryWord>, dictionary: usize) -> Query {
        let n = words.len();
        let mut rows = ROWS
            .try_with(|kept| {
                kept.try_borrow_mut()
                    .map(|mut kept| std::mem::take(&mut *kept))
            })
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        if rows.len() < dictionary {
            rows.resize(dictionary, u32::MAX);
        }
        let mut table = Vec::new();
        for (i, word) in words.iter().enumerate() {
            for &(id, quality) in &word.ordered {
                let slot = &mut rows[id as usize];
                if *slot == u32::MAX {
                    *slot = (table.len() / n) as u32;
                    table.resize(table.len() + n, 0.0);
                }
                table[*slot as usize * n + i] = quality;
            }
        }
        Query {
            quality: vec![0.0; n],
            at: vec![u32::MAX; n],
            visited: vec![false; n],
            words,
            rows,
            table,
        }
    }

    /// The most a document of `weight` holding a word that matches query word `i` at
    /// `quality`, and none of the [`Query::visited`] words, can score, with the full-name
    /// bonus or not: the score of a document holding that word and every other unvisited
    /// query word at its best quality, computed with the very operations of
    /// [`SearchIndex::score_document`]. So it is an exact upper bound (f32 rounding is
    /// monotonic: a lower quality, or a missing word, never rounds above it; halving is
    /// exact), and a document can tie with it.
    fn ceiling(&self, i: usize, quality: f32, weight: f32, bonus: bool) -> f32 {
        let n = self.words.len();
        let mut sum = 0.0f32;
        for (j, word) in self.words.iter().enumerate() {
            if !self.visited[j] {
                sum += if j == i { quality } else { word.best };
            }
        }
        let mut score = sum / n as f32 * 0.5f32.powi(self.missing() as i32);
        if bonus {
            score += 0.1;
        }
        score * weight
    }

    /// How many query words are [`Query::visited`]: a document visited now misses them all.
    fn missing(&self) -> usize {
        self.visited.iter().filter(|&&v| v).count()
    }

    /// The most words a name can have and still earn the full-name bonus, for a document
    /// visited now: every word of it matched, by the query words it can still hold.
    fn bonus_words(&self) -> usize {
        self.words.len() - self.missing()
    }
}

impl SearchIndex {
    /// Indexes documents as the corpus hands them over (see [`crate::corpus::Corpus::documents`]):
    /// grouped by kind, and within a kind in target order, so each kind is one range of ids.
    pub fn build<'a>(documents: impl IntoIterator<Item = Document<'a>>) -> SearchIndex {
        let mut builder = Builder::default();
        for document in documents {
            builder.add_document(&document);
        }
        builder.finish()
    }

    /// Builds the same index as [`SearchIndex::build`] over the documents `first` hands over
    /// followed by those `second` does (each calls its `add` once per document, in order), the
    /// two runs folded on two threads when the machine has them: each thread keeps its own
    /// dictionary, and the second run's words are renumbered into the first's, so word ids are
    /// numbered in order of first use, as one thread would number them. A document lives only
    /// while it is added.
    pub fn build_split<F, S>(first: F, second: S) -> SearchIndex
    where
        F: FnOnce(&mut dyn FnMut(Document<'_>)) + Send,
        S: FnOnce(&mut dyn FnMut(Document<'_>)) + Send,
    {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (mut builder, rest) = if threads < 2 {
            (Builder::run(first), Builder::run(second))
        } else {
            std::thread::scope(|scope| {
                let rest = scope.spawn(move || Builder::run(second));
                let builder = Builder::run(first);
                match rest.join() {
                    Ok(rest) => (builder, rest),
                    // Building only folds and counts; should it panic, the panic goes on.
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            })
        };
        builder.append(rest);
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

        let mut best = Best::new(limit);
        let ranges = self.kind_ranges(kinds);
        let kinds = kinds_of(kinds);
        let size = self.dictionary.len();
        let mut query = Query::new(
            words
                .iter()
                .map(|w| self.query_word(w, &kinds, true))
                .collect(),
            size,
        );
        if exhaustive {
            self.score_all(&mut query, &ranges, &mut best);
        } else {
            self.score_words(&mut query, &kinds, &ranges, &mut best);
        }
        if words.len() > 1 {
            // "gharib abadi" is "gharibabadi" written apart.
            let mut joined =
                Query::new(vec![self.query_word(&words.concat(), &kinds, false)], size);
            if exhaustive {
                self.score_all(&mut joined, &ranges, &mut best);
            } else {
                self.score_words(&mut joined, &kinds, &ranges, &mut best);
            }
        }
        let strong = best.highest() >= 0.6;
        if !strong && words.len() == 1 && words[0].len() >= 2 {
            self.score_subsequence(words[0], &ranges, exhaustive, &mut best);
        }
        best.into_hits(MIN_SCORE)
    }

    /// The names of `kind` closest to `query` as whole strings, for "nothing matched; did you
    /// mean ...?". Always returns up to `limit` targets when the corpus has any of that kind.
    ///
    /// Only names sharing a character with the query are compared (their letter masks say
    /// which): Jaro-Winkler is 0 for the others, so they can only fill the answer after every
    /// name that scored, in corpus order, as they would in a full scan.
    pub fn nearest(&self, query: &str, kind: Kind, limit: usize) -> Vec<Hit> {
        self.nearest_with(query, kind, limit, false)
    }

    /// Whether some document holds `word` (folded) exactly as one of its words: a word the
    /// corpus holds is not a misspelling.
    pub fn knows(&self, word: &str) -> bool {
        self.dictionary.id(&fold(word)).is_some()
    }

    /// [`SearchIndex::nearest`] comparing every name: the reference it is tested against.
    #[doc(hidden)]
    pub fn nearest_exhaustive(&self, query: &str, kind: Kind, limit: usize) -> Vec<Hit> {
        self.nearest_with(query, kind, limit, true)
    }

    fn nearest_with(&self, query: &str, kind: Kind, limit: usize, exhaustive: bool) -> Vec<Hit> {
        let folded = fold(query);
        // Letters, digits, and one bit for every other character (spaces, other scripts).
        let letters = dictionary::letter_mask(&folded);
        // A kind's documents come in target order: each target's best is kept as its
        // documents go by.
        let mut hits: Vec<Hit> = Vec::new();
        let (start, end) = self.ranges[kind as usize];
        let mut unscored = false;
        // The `limit` best scores of the targets whose documents are all scored, best first:
        // a name whose ceiling is below the last of them cannot enter the answer.
        let mut done: Vec<f32> = Vec::with_capacity(limit + 1);
        let ascii = folded.is_ascii();
        let mut counts = [0u8; 128];
        for &c in folded.as_bytes() {
            let count = &mut counts[(c & 0x7f) as usize];
            *count = count.saturating_add(1);
        }
        // How many of the query's characters each mask bit stands for: the letters a name can
        // match are at most the query's characters whose bits the name's mask also has.
        let mut per_bit = [0u8; 64];
        for &c in folded.as_bytes() {
            let slot = &mut per_bit[dictionary::letter_mask_bytes(&[c]).trailing_zeros() as usize];
            *slot = slot.saturating_add(1);
        }
        let mut taken = [0u8; 128];
        for doc in start..end {
            let document = &self.documents[doc as usize];
            let Some(text) = self.text(document) else {
                continue;
            };
            if !exhaustive && letters & self.masks[doc as usize] == 0 {
                unscored = true;
                continue;
            }
            if !exhaustive
                && ascii
                && done.len() == limit
                && text.is_ascii()
                && let Some(&last) = done.last()
            {
                let (a, b) = (folded.as_bytes(), text.as_bytes());
                // Each letter or digit of the name that the query lacks takes a place of the
                // name no letter of the query matches, and no more of the query's letters match
                // than it has of the letters the name holds: the masks say so without reading
                // the name.
                let outside = (self.masks[doc as usize] & !letters & LETTERS_AND_DIGITS)
                    .count_ones() as usize;
                let mut shared = self.masks[doc as usize] & letters;
                let mut held = 0usize;
                while shared != 0 {
                    held += per_bit[shared.trailing_zeros() as usize] as usize;
                    shared &= shared - 1;
                }
                let m = a.len().min(b.len().saturating_sub(outside)).min(held);
                if ((jaro_winkler_bound(a, b, m) + 1e-9) as f32) < last
                    || ((jaro_winkler_ceiling(a, &counts, text, &mut taken) + 1e-9) as f32) < last
                {
                    continue;
                }
            }
            let score = if exhaustive {
                strsim::jaro_winkler(&folded, text)
            } else {
                jaro_winkler(&folded, text)
            } as f32;
            match hits.last_mut() {
                Some(hit) if hit.target == document.target() => hit.score = hit.score.max(score),
                last => {
                    if let Some(finished) = last {
                        let at = done.partition_point(|&s| s >= finished.score);
                        done.insert(at, finished.score);
                        done.truncate(limit);
                    }
                    hits.push(Hit {
                        target: document.target(),
                        score,
                    })
                }
            }
        }
        if unscored && hits.iter().filter(|h| h.score > 0.0).count() < limit {
            // The names that scored 0, compared or not, in corpus order, as a full scan ranks
            // them.
            hits.retain(|h| h.score > 0.0);
            let mut zero: Vec<Target> = Vec::new();
            for document in &self.documents[start as usize..end as usize] {
                if hits.len() + zero.len() >= limit {
                    break;
                }
                if document.text().is_none()
                    || zero.last() == Some(&document.target())
                    || hits.iter().any(|h| h.target == document.target())
                {
                    continue;
                }
                zero.push(document.target());
            }
            hits.extend(zero.into_iter().map(|target| Hit { target, score: 0.0 }));
        }
        top(&mut hits, limit);
        hits
    }

    /// A name document's folded text.
    fn text(&self, document: &Doc) -> Option<&str> {
        let (start, end) = document.text()?;
        self.names.get(start as usize..end as usize)
    }

    /// Asks the processor to fetch what reading the names `docs[0]`, `docs[1]`, ... will need:
    /// the record of the name [`PREFETCH`] places ahead, and the text of the one half as far
    /// (its record fetched by then). Names scattered over a large corpus are each a wait for
    /// memory; fetched ahead, the waits overlap. Changes nothing but the time.
    #[inline]
    fn prefetch_names(&self, docs: &[u32]) {
        if let Some(&ahead) = docs.get(PREFETCH) {
            prefetch(self.documents.get(ahead as usize));
        }
        if let Some(&near) = docs.get(PREFETCH / 2)
            && let Some(document) = self.documents.get(near as usize)
            && let Some((start, _)) = document.text()
        {
            prefetch(self.names.as_bytes().get(start as usize));
        }
    }

    /// The document id ranges of `kinds`, without repeats.
    /// A document's words, in order for a name, each once and ascending for any other.
    fn words_of(&self, document: &Doc) -> &[WordId] {
        let (start, end) = document.words;
        &self.words[start as usize..end as usize]
    }

    fn kind_ranges(&self, kinds: &[Kind]) -> Vec<(u32, u32)> {
        kinds_of(kinds)
            .iter()
            .map(|&k| self.ranges[k as usize])
            .collect()
    }

    /// The heaviest weight of a document of `kinds` holding `word`.
    fn heaviest(&self, word: WordId, kinds: &[Kind]) -> f32 {
        let weights = &self.heaviest[word as usize];
        kinds
            .iter()
            .map(|&k| weights[k as usize])
            .fold(0.0, f32::max)
    }

    /// What one query word matches among the documents of `kinds`. The rule: an exact word
    /// always outranks a typo. When the word itself is in a document of the asked kinds, its
    /// typo neighbours are not matched at all ("sanctions" is not "actions" when a topic says
    /// "sanctions"), so a typo can never beat the word the user typed. `suffixes` is false for
    /// the joined query ("world cup" as "worldcup" is not "world" plus a suffix).
    fn query_word(&self, word: &str, kinds: &[Kind], suffixes: bool) -> QueryWord {
        let mut matches = self.dictionary.matches_as(word, suffixes);
        let exact_here = matches
            .iter()
            .any(|m| m.how == How::Exact && self.heaviest(m.word, kinds) > 0.0);
        if exact_here {
            matches.retain(|m| m.how != How::Typo);
        }
        let ordered: Vec<(WordId, f32)> =
            matches.into_iter().map(|m| (m.word, m.quality)).collect();
        QueryWord {
            best: ordered.first().map_or(0.0, |m| m.1),
            ordered,
        }
    }

    /// The documents of `ranges` in the `postings` of any of `words`, ascending (so in target order),
    /// each once.
    fn stream<'a>(
        &'a self,
        postings: &'a [Vec<u32>],
        words: &[WordId],
        ranges: &[(u32, u32)],
    ) -> Stream<'a> {
        let mut lists: Vec<&[u32]> = Vec::new();
        for &word in words {
            let list = &postings[word as usize];
            for &(start, end) in ranges {
                let from = list.partition_point(|&d| d < start);
                let to = list.partition_point(|&d| d < end);
                if from < to {
                    lists.push(&list[from..to]);
                }
            }
        }
        if let [list] = lists[..] {
            return Stream::One(list.iter());
        }
        let heap = lists
            .iter()
            .enumerate()
            .map(|(i, list)| Reverse((list[0], i as u32, 0u32)))
            .collect();
        Stream::Merged {
            lists,
            heap,
            last: None,
        }
    }

    /// Scores the documents that hold a word matching one of the query's words, visiting the
    /// fewest that can change the best `limit` (the answer kept by `best`).
    ///
    /// Every matched dictionary word has a *ceiling*: the most a document holding it can score,
    /// from its quality, the heaviest document holding it, and whether a name short enough for
    /// the full-name bonus holds it (see [`Query::ceiling`]). Computed with the scoring's own
    /// operations, it is exact: a document can reach it, never pass it.
    ///
    /// One word: matched words are visited in groups of equal ceiling, highest first, and the
    /// visit stops when `limit` targets already score above the next ceiling. Several words:
    /// the matches of the rarest query word are visited first, in the same way; a document
    /// without any of the visited query words can score at most what the other words would
    /// give with the penalty for a missing word, and once that is under [`MIN_SCORE`] or under
    /// `limit` targets' scores, it need not be visited. The next query word's groups are
    /// bounded that way too: a document of theirs that holds a visited word was scored
    /// already, and one that does not misses it, and earns the full-name bonus only with as
    /// few words as the query has words left ("ma zhao xu": once every "xu" is scored, a name
    /// holding "zhao" but no "xu" reaches the bonus only as two words, "Ma Zhao").
    ///
    /// Within a group, documents come in target order, so once the answer is full and its last
    /// entry scores at least the group's ceiling, the rest of the group can at best tie with it
    /// and lose the tie: the group is left there.
    fn score_words(
        &self,
        query: &mut Query,
        kinds: &[Kind],
        ranges: &[(u32, u32)],
        best: &mut Best,
    ) {
        let n = query.words.len();
        if n == 1 {
            let groups = self.groups(query, 0, kinds);
            for (g, group) in groups.iter().enumerate() {
                self.visit_group(group, query, ranges, best);
                // What the words after this group can give.
                let Some(next) = groups.get(g + 1).map(|group| group.ceiling) else {
                    break;
                };
                if next < MIN_SCORE || best.above(next + ROUNDING) >= best.limit() {
                    break;
                }
            }
            return;
        }
        // Query words by how many documents their matches hold, fewest first.
        let mut drivers: Vec<(usize, usize)> = query
            .words
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
        let mut left: f32 = query.words.iter().map(|w| w.best).sum();
        for (visited, &(_, i)) in drivers.iter().enumerate() {
            for group in self.groups(query, i, kinds) {
                // Its documents were scored, or can only lose (`visit_group` would stop at
                // the first): not even streamed.
                if best.last().is_some_and(|last| last.score > group.ceiling) {
                    continue;
                }
                self.visit_group(&group, query, ranges, best);
            }
            query.visited[i] = true;
            // A document holding none of the visited words' matches.
            left -= query.words[i].best;
            let plain = left / n as f32 * 0.5f32.powi(visited as i32 + 1);
            let beaten = |bound: f32, best: &Best| {
                bound + ROUNDING < MIN_SCORE || best.above(bound + ROUNDING) >= best.limit()
            };
            if beaten(plain + 0.1, best) {
                break;
            }
        }
    }

    /// The matches of query word `i`, grouped by ceiling, highest first (documents without
    /// the [`Query::visited`] words). A word held by a name short enough for the full-name
    /// bonus is visited in two parts when that is at most [`SHORT`] words: its short names
    /// with the bonus in the ceiling, then the rest without.
    fn groups(&self, query: &Query, i: usize, kinds: &[Kind]) -> Vec<Group> {
        let n = query.bonus_words();
        let mut order: Vec<(f32, Part, WordId)> = Vec::new();
        for &(id, quality) in &query.words[i].ordered {
            let heaviest = self.heaviest(id, kinds);
            let lengths = &self.shortest_name[id as usize];
            let named = kinds.iter().any(|&k| usize::from(lengths[k as usize]) <= n);
            let plain = query.ceiling(i, quality, heaviest, false);
            if !named {
                order.push((plain, Part::All, id));
                continue;
            }
            let bonus = query.ceiling(i, quality, NAME, true);
            if n <= SHORT {
                order.push((bonus, Part::Short, id));
                order.push((plain, Part::Long, id));
            } else {
                order.push((plain.max(bonus), Part::All, id));
            }
        }
        order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut groups: Vec<Group> = Vec::new();
        for (ceiling, part, id) in order {
            match groups.last_mut() {
                Some(group) if group.ceiling == ceiling && group.part == part => {
                    group.words.push(id)
                }
                _ => groups.push(Group {
                    ceiling,
                    part,
                    words: vec![id],
                }),
            }
        }
        groups
    }

    /// Scores the documents of `ranges` in `group`, in target order, until the rest can only
    /// lose to the answer (they score at most the group's ceiling).
    fn visit_group(
        &self,
        group: &Group,
        query: &mut Query,
        ranges: &[(u32, u32)],
        best: &mut Best,
    ) {
        let n = query.bonus_words();
        let lists = match group.part {
            // The names that are the word alone.
            Part::Short if n == 1 => &self.single,
            Part::Short => &self.short,
            Part::Long | Part::All => &self.postings,
        };
        // Taken a chunk at a time, so that the chunk's records, then each document's words a
        // few documents ahead, are fetched before they are read (see `prefetch_names`).
        let mut stream = self.stream(lists, &group.words, ranges);
        let mut chunk: Vec<u32> = Vec::with_capacity(PREFETCH * 2);
        loop {
            chunk.clear();
            chunk.extend(stream.by_ref().take(PREFETCH * 2));
            if chunk.is_empty() {
                return;
            }
            for &doc in &chunk {
                prefetch(self.documents.get(doc as usize));
            }
            for (k, &doc) in chunk.iter().enumerate() {
                if let Some(&near) = chunk.get(k + PREFETCH / 2)
                    && let Some(document) = self.documents.get(near as usize)
                {
                    prefetch(self.words.get(document.words.0 as usize));
                }
                let document = &self.documents[doc as usize];
                let is_short = document.weight() == NAME && self.words_of(document).len() <= n;
                match group.part {
                    Part::Short if !is_short => continue,
                    Part::Long if is_short => continue,
                    _ => {}
                }
                if best.settled(group.ceiling, document.target()) {
                    return;
                }
                self.score_document(doc, query, best);
            }
        }
    }

    /// Scores every document of `ranges`, for the exhaustive reference.
    fn score_all(&self, query: &mut Query, ranges: &[(u32, u32)], best: &mut Best) {
        for &(start, end) in ranges {
            for doc in start..end {
                self.score_document(doc, query, best);
            }
        }
    }

    /// One document's score for the query words, kept when it is its target's best.
    fn score_document(&self, doc: u32, query: &mut Query, best: &mut Best) {
        let document = &self.documents[doc as usize];
        let n = query.words.len();
        // Per query word, its best quality in the document at its first position.
        query.quality.fill(0.0);
        query.at.fill(u32::MAX);
        let words = self.words_of(document);
        for (position, &id) in words.iter().enumerate() {
            let row = query.rows[id as usize];
            if row == u32::MAX {
                continue;
            }
            let row = &query.table[row as usize * n..][..n];
            for (i, &q) in row.iter().enumerate() {
                if q > query.quality[i] {
                    query.quality[i] = q;
                    query.at[i] = position as u32;
                }
            }
        }
        let mut sum = 0.0;
        let mut matched = 0;
        // Positions covered, as a bitmask; names longer than 64 words never earn the bonus.
        let mut covered = 0u64;
        for (&quality, &position) in query.quality.iter().zip(&query.at) {
            if position != u32::MAX {
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
        let len = words.len();
        if document.weight() == NAME && len <= 64 && covered.count_ones() as usize == len {
            score += 0.1;
        }
        best.keep(document.target(), score * document.weight());
    }

    /// For a subsequence `word` whose every later letter must follow the previous one directly
    /// or start a word of the name, the names where one of them can: those holding the pair of
    /// that letter and the one before it, side by side or across a space
    /// ([`SearchIndex::adjacent`]), and, unless every later letter must earn the most it can
    /// (`perfect`: only those places give it), those where it starts a word
    /// ([`SearchIndex::initials`]), both ascending. Of the word's later letters, the one with
    /// the fewest such names. `None` when no later letter is a letter a-z.
    fn direct_names(
        &self,
        word: &[u8],
        perfect: bool,
    ) -> Option<(&[u32], &[subsequence::Initial])> {
        word.windows(2)
            .filter_map(|pair| {
                // Both letters a-z (else no slot), so `initial_slot` is the second's own.
                let adjacent = self.adjacent.get(adjacent_slot(pair[0], pair[1])?)?;
                let initials = match perfect {
                    true => &[],
                    false => self.initials.get(initial_slot(pair[1]))?.as_slice(),
                };
                Some((adjacent.as_slice(), initials))
            })
            .min_by_key(|(adjacent, initials)| adjacent.len() + initials.len())
    }

    /// Per step `k` of a subsequence `word` (its letters `k` and `k + 1`), the name documents
    /// up to `end` where those letters are side by side or across a space (the documents of
    /// [`SearchIndex::adjacent`]), one bit per document id: the index's own when it keeps one
    /// ([`SearchIndex::side_by_side`]), else made here from the list, which is then short.
    /// `None` for a pair that is not two letters a-z.
    fn side_by_side(&self, word: &[u8], end: u32) -> Vec<Option<Cow<'_, [u64]>>> {
        word.windows(2)
            .map(|pair| {
                let slot = adjacent_slot(pair[0], pair[1])?;
                if let Some(kept) = self.side_by_side.get(slot).filter(|bits| !bits.is_empty()) {
                    return Some(Cow::Borrowed(kept.as_slice()));
                }
                let list = self.adjacent.get(slot)?;
                let list = &list[..list.partition_point(|&d| d < end)];
                Some(Cow::Owned(bits_of(list, end as usize)))
            })
            .collect()
    }

    /// SkimMatcherV2 over names, for abbreviations typed as subsequences ("ghrb", "jcpa").
    /// Names missing one of the word's letters, or holding them out of order, cannot hold it
    /// and are skipped unscored; the rest are scored by [`subsequence::Skim`], the same
    /// algorithm without the library's per-call setup. The exhaustive reference calls the
    /// library itself on every name, a new matcher for each (each name scored on its own, see
    /// the module docs of [`subsequence`]).
    ///
    /// When the word starts with a letter, a name's score is at most
    /// [`subsequence::ceiling`]: names where that letter starts a word are scored first, and the
    /// others only if they could still place.
    fn score_subsequence(
        &self,
        word: &str,
        ranges: &[(u32, u32)],
        exhaustive: bool,
        best: &mut Best,
    ) {
        let score = |ratio: f32| 0.15 + 0.5 * ratio * ratio;
        if exhaustive {
            let matcher = || SkimMatcherV2::default().ignore_case();
            let Some(ideal) = matcher().fuzzy_match(word, word).filter(|&s| s > 0) else {
                return;
            };
            for &(start, end) in ranges {
                for document in &self.documents[start as usize..end as usize] {
                    let Some(text) = self.text(document) else {
                        continue;
                    };
                    if let Some(found) = matcher().fuzzy_match(text, word) {
                        let ratio = (found as f32 / ideal as f32).clamp(0.0, 1.0);
                        // Squared: a tight subsequence ("ghrb" in "gharibabadi") stands well
                        // clear of a scattered one ("ghrb" across "sergei alexeyevich ryabkov").
                        best.keep(document.target(), score(ratio));
                    }
                }
            }
            return;
        }
        let word = word.as_bytes();
        let mut skim = subsequence::Skim::default();
        let Some(ideal) = skim.score(word, word).filter(|&s| s > 0) else {
            return;
        };
        let ratio = |found: i64| (found as f32 / ideal as f32).clamp(0.0, 1.0);
        let letters = dictionary::letter_mask_bytes(word);
        let listed = subsequence::listed_first_letter(word);
        let bounds = subsequence::Bounds::new(word);
        // The names where every later letter can earn the most (see `Level::Most`).
        let perfect = self.direct_names(word, true);
        // Per most a name can score (see `subsequence::Bounds`), the names to score. The
        // bound is read in sequence, from the name's list entry or from the masks: the names
        // the answer settles before are never read beyond that.
        let size = match listed {
            Some(_) => usize::try_from(subsequence::ceiling(word.len(), true)).unwrap_or(0) + 1,
            None => 0,
        };
        let mut buckets: Vec<Vec<u32>> = vec![Vec::new(); size];
        let mut pass = |initial: Option<u8>,
                        exclude: u64,
                        ceiling: f32,
                        level: Level,
                        best: &mut Best| {
            let require = letters | initial.map_or(0, initial_bit);
            // The names where the first letter starts a word, from their postings; else all.
            let list = initial.map(|letter| &self.initials[initial_slot(letter)]);
            for &(start, end) in ranges {
                if listed.is_some() {
                    // The names are bucketed by what they can score at most, and the buckets
                    // visited best first.
                    // A name that cannot reach the answer's last entry (from an earlier
                    // pass) is not kept at all: below its score, or at its score with a later
                    // target (from `cut` on; ties keep the corpus order).
                    let floor = best.last();
                    let cut = floor.map_or(end, |last| {
                        let documents = &self.documents[start as usize..end as usize];
                        start + documents.partition_point(|d| d.target() < last.target) as u32
                    });
                    // Past `cut`, a name must beat the last score; when no name of this pass
                    // can, the pass ends there.
                    let most = size as i64 - 1;
                    let end = match floor {
                        Some(last) if score(ratio(most)).min(ceiling) <= last.score => cut,
                        _ => end,
                    };
                    // The bucket of a name that can score `slot` at most, if it is kept.
                    let keep = |slot: i64, doc: u32| {
                        if let Some(last) = floor {
                            let reach = score(ratio(slot));
                            if reach < last.score || (reach == last.score && doc >= cut) {
                                return None;
                            }
                        }
                        Some(usize::try_from(slot).unwrap_or(0).min(size - 1))
                    };
                    let mut put = |slot: i64, doc: u32| {
                        if let Some(slot) = keep(slot, doc) {
                            buckets[slot].push(doc);
                        }
                    };
                    match list {
                        Some(list) => {
                            let from = list.partition_point(|entry| entry.doc < start);
                            let to = list.partition_point(|entry| entry.doc < end);
                            let side_by_side = self.side_by_side(word, end);
                            let side_by_side: Vec<Option<&[u64]>> =
                                side_by_side.iter().map(Option::as_deref).collect();
                            let bound =
                                |entries: &[subsequence::Initial], buckets: &mut [Vec<u32>]| {
                                    for entry in entries {
                                        let mask = entry.mask;
                                        if require & !mask != 0 || exclude & mask != 0 {
                                            continue;
                                        }
                                        let initial = |letter: u8| starts(mask, letter);
                                        let at = entry.doc as usize;
                                        let known = |k: usize| {
                                            let bits = (*side_by_side.get(k)?)?;
                                            let word = bits.get(at / 64).copied().unwrap_or(0);
                                            Some(word >> (at % 64) & 1 != 0)
                                        };
                                        // Every pair of letters a-z is known; any other may be
                                        // side by side.
                                        let most = bounds.most_knowing(
                                            initial,
                                            u64::MAX,
                                            known,
                                            entry.skips,
                                            Some(entry.follows),
                                        );
                                        if let Some(slot) = keep(most, entry.doc) {
                                            buckets[slot].push(entry.doc);
                                        }
                                    }
                                };
                            let entries = &list[from..to];
                            if entries.len() >= self.split {
                                // A long list in two halves, one on each core: each half's
                                // names in document order, the first half's before the second's.
                                let (first, second) = entries.split_at(entries.len() / 2);
                                let mut later: Vec<Vec<u32>> = vec![Vec::new(); size];
                                std::thread::scope(|scope| {
                                    scope.spawn(|| bound(second, &mut later));
                                    bound(first, &mut buckets);
                                });
                                for (bucket, more) in buckets.iter_mut().zip(&later) {
                                    bucket.extend_from_slice(more);
                                }
                            } else {
                                bound(entries, &mut buckets);
                            }
                        }
                        None => {
                            // The first letter starts none of these names' words (those were
                            // in the list). Every name, read in order, bounded by all its masks
                            // at once; or, when the answer's last score leaves no room for a
                            // letter that neither follows the previous one nor starts a word
                            // (or for any letter earning less than the most), only the names
                            // where one later letter does (see `direct_names`).
                            let most = subsequence::ceiling(word.len(), false);
                            let loose = score(ratio(most - subsequence::LOOSE_STEP));
                            let short = score(ratio(most - 1));
                            let direct = match (level, floor) {
                                (Level::Most(_), _) => perfect,
                                (_, Some(last)) if loose < last.score => {
                                    self.direct_names(word, short < last.score)
                                }
                                _ => None,
                            };
                            let mut each = |doc: u32| {
                                let at = doc as usize;
                                let mask = self.masks[at];
                                if require & !mask != 0 || exclude & mask != 0 {
                                    return;
                                }
                                let initial = |letter: u8| starts(mask, letter);
                                let (pairs, skips) = (self.pairs[at], self.skips[at]);
                                let exact = bounds.most(initial, pairs, skips, None).min(most);
                                match level {
                                    // Only the names that can earn the most.
                                    Level::Most(_) if exact < most => {}
                                    // The others: those of the first level's list that earn
                                    // less (and, read again, those that earn the most: scored
                                    // twice, the same), and those not in it, which earn one
                                    // less at least where its pair is not.
                                    Level::Below => put(exact.min(most - 1), doc),
                                    _ => put(exact, doc),
                                }
                            };
                            match direct {
                                Some((adjacent, initials)) => {
                                    let from = adjacent.partition_point(|&d| d < start);
                                    let to = adjacent.partition_point(|&d| d < end);
                                    let adjacent = &adjacent[from..to];
                                    let from = initials.partition_point(|e| e.doc < start);
                                    let to = initials.partition_point(|e| e.doc < end);
                                    let initials = initials[from..to].iter().map(|e| e.doc);
                                    merge_ascending(adjacent.iter().copied(), initials, &mut each);
                                }
                                // Past the masks, no document has a text.
                                None => (start..end.min(self.masks.len() as u32)).for_each(each),
                            }
                        }
                    }
                    continue;
                }
                let docs: Box<dyn Iterator<Item = (u32, u64)>> = match list {
                    Some(list) => {
                        let from = list.partition_point(|entry| entry.doc < start);
                        let to = list.partition_point(|entry| entry.doc < end);
                        Box::new(list[from..to].iter().map(|entry| (entry.doc, entry.mask)))
                    }
                    // Past the masks, no document has a text.
                    None => Box::new(
                        (start..end.min(self.masks.len() as u32))
                            .map(|doc| (doc, self.masks[doc as usize])),
                    ),
                };
                for (doc, mask) in docs {
                    // The masks first, read in order (0 for documents without text).
                    if require & !mask != 0 || exclude & mask != 0 {
                        continue;
                    }
                    let document = &self.documents[doc as usize];
                    let Some(text) = self.text(document) else {
                        continue;
                    };
                    let text = text.as_bytes();
                    if !is_subsequence(word, text) {
                        continue;
                    }
                    // Targets come in order: later ones can only tie with a full answer.
                    if best.settled(ceiling, document.target()) {
                        return;
                    }
                    if let Some(found) = skim.score(text, word) {
                        best.keep(document.target(), score(ratio(found)));
                    }
                }
            }
            // Highest bucket first; within one, documents (so targets) in order: once the
            // answer settles a bucket's bound, the rest of the bucket can only lose.
            let down_to = match level {
                Level::Above(slot) | Level::Most(slot) => slot,
                Level::Below | Level::All => 0,
            };
            for most in (down_to.min(size)..size).rev() {
                let bound = score(ratio(most as i64)).min(ceiling);
                if best.last().is_some_and(|last| last.score > bound) {
                    break;
                }
                // Names put here from several ranges, each in order: in document order again.
                let mut names = std::mem::take(&mut buckets[most]);
                names.sort_unstable();
                for (k, &doc) in names.iter().enumerate() {
                    self.prefetch_names(&names[k..]);
                    let document = &self.documents[doc as usize];
                    if best.settled(bound, document.target()) {
                        break;
                    }
                    let Some(text) = self.text(document) else {
                        continue;
                    };
                    // `None` unless the word is a subsequence, found before any scoring.
                    if let Some(found) = skim.score(text.as_bytes(), word) {
                        best.keep(document.target(), score(ratio(found)));
                    }
                }
                // Keep the allocation for the names a second pass puts here.
                names.clear();
                buckets[most] = names;
            }
        };
        let top = score(1.0);
        match listed {
            Some(first) => {
                // The names where the first letter starts a word, down to the most the others
                // can score; the others that can score that much (all in one list) and what is
                // left there; then the rest of both.
                let most = subsequence::ceiling(word.len(), false);
                let slot = usize::try_from(most).unwrap_or(0);
                pass(Some(first), 0, top, Level::Above(slot + 1), best);
                let others = initial_bit(first);
                let rest = score(ratio(most));
                if best.last().is_some_and(|last| last.score > rest) {
                    return;
                }
                if perfect.is_none() {
                    pass(None, others, rest, Level::All, best);
                    return;
                }
                pass(None, others, rest, Level::Most(slot), best);
                let below = score(ratio(most - 1));
                if !best.last().is_some_and(|last| last.score > below) {
                    pass(None, others, below, Level::Below, best);
                }
            }
            None => pass(None, 0, top, Level::All, best),
        }
    }
}

/// Which names a subsequence pass puts in the buckets, and down to which bucket it visits them.
#[derive(Debug, Clone, Copy)]
enum Level {
    /// Every name; visit down to this bucket.
    Above(usize),
    /// Of the names where the first letter starts no word, those that can score the most such
    /// a name can (every later letter right after the previous one, or across a space: one
    /// list, `direct_names(word, true)`); visit down to that most, bucket `.0`.
    Most(usize),
    /// The rest of those names, none above one less than that most; visit every bucket.
    Below,
    /// Every name; visit every bucket.
    All,
}

/// A pair of letters is side by side in at least one name in this many, or its
/// [`SearchIndex::side_by_side`] bits are not kept (they take at most twice the memory of the
/// list then: 64 bits a name against 32 bits one in 64 names).
const DENSE: usize = 64;

/// A letter's list at least this long is bounded on two cores, when the machine has them (see
/// `SearchIndex::score_subsequence`): about 0.4 ms of work on one at 1M people, where starting
/// the second thread takes some tens of microseconds.
const SPLIT: usize = 65_536;

/// How many names ahead [`SearchIndex::prefetch_names`] fetches a record (and half as many, a
/// text): enough for the waits to overlap, few enough that what is fetched stays in the cache.
const PREFETCH: usize = 16;

/// A hint to fetch the cache line holding `value` (nothing when `None`, or on processors without
/// the instruction in this build).
#[inline]
fn prefetch<T>(value: Option<&T>) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
    if let Some(value) = value {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: a prefetch is only a hint: it reads nothing the program sees and cannot
        // fault; the pointer comes from a live reference besides.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>()) };
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
    let _ = value;
}

/// The most [`jaro_winkler`] can give an ASCII `a` and `b`: no more letters match than the
/// two have in common (`counts`: how many of each byte `a` holds; `taken` is all zeros before
/// and after), none transposed, with their real common prefix. 1 for any other `b`.
fn jaro_winkler_ceiling(a: &[u8], counts: &[u8; 128], b: &str, taken: &mut [u8; 128]) -> f64 {
    let b = b.as_bytes();
    if a.is_empty() || b.is_empty() || !b.is_ascii() {
        return 1.0;
    }
    let mut common = 0usize;
    for &c in b {
        let c = (c & 0x7f) as usize;
        if taken[c] < counts[c] {
            taken[c] += 1;
            common += 1;
        }
    }
    for &c in b {
        taken[(c & 0x7f) as usize] = 0;
    }
    if common == 0 {
        0.0
    } else {
        jaro_winkler_bound(a, b, common)
    }
}

/// [`jaro_winkler`] of two non-empty ASCII texts if `m` letters matched, none transposed.
fn jaro_winkler_bound(a: &[u8], b: &[u8], m: usize) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 1.0;
    }
    let prefix = a.iter().take(4).zip(b).take_while(|(x, y)| x == y).count();
    let m = m as f64;
    let sim = ((m / a.len() as f64) + (m / b.len() as f64) + 1.0) / 3.0;
    if sim > 0.7 {
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// The bits of [`dictionary::letter_mask`] for letters and digits (one per character).
const LETTERS_AND_DIGITS: u64 = (1 << 36) - 1;

/// `strsim::jaro_winkler`, bit for bit, without its per-call allocation and its
/// character-by-character window walk: for an ASCII `a` and a `b` of at most 64 characters,
/// the positions of each letter in `b` are a bit mask, so each letter of `a` finds its first
/// free match in the window with one mask operation (a character of `b` outside ASCII matches
/// nothing in `a`). Anything else is left to `strsim`.
fn jaro_winkler(a: &str, b: &str) -> f64 {
    if !a.is_ascii() || a.is_empty() || b.is_empty() {
        return strsim::jaro_winkler(a, b);
    }
    if b.is_ascii() && b.len() <= 64 {
        return jaro_winkler_masks(a.as_bytes(), b.as_bytes());
    }
    let mut bc = ['\0'; 64];
    let mut b_len = 0usize;
    for c in b.chars() {
        let Some(slot) = bc.get_mut(b_len) else {
            return strsim::jaro_winkler(a, b);
        };
        *slot = c;
        b_len += 1;
    }
    jaro_winkler_masks(a.as_bytes(), &bc[..b_len])
}

/// [`jaro_winkler`] of a non-empty ASCII `ab` and the 1 to 64 characters `bc` (bytes or
/// chars).
fn jaro_winkler_masks<T: Copy + Into<u32>>(ab: &[u8], bc: &[T]) -> f64 {
    let b_len = bc.len();
    let below = |n: usize| -> u64 { if n >= 64 { u64::MAX } else { (1u64 << n) - 1 } };
    // Where each ASCII character is in `b`.
    let mut at = [0u64; 128];
    for (j, &c) in bc.iter().enumerate() {
        if let Some(slot) = at.get_mut(c.into() as usize) {
            *slot |= 1 << j;
        }
    }
    // strsim's window: max(len) / 2 - 1 either side.
    let range = (ab.len().max(b_len) / 2).saturating_sub(1);
    let mut used = 0u64;
    // The matched letters of `a`, in order (at most `b_len` of them).
    let mut matched = [0u8; 64];
    let mut matches = 0usize;
    for (i, &c) in ab.iter().enumerate() {
        let low = i.saturating_sub(range);
        let high = b_len.min(i + range + 1);
        if low >= high {
            continue;
        }
        let free = at[(c & 0x7f) as usize] & !used & below(high) & !below(low);
        if free != 0 {
            // Each match takes a new bit of `used`, so there are at most 64 and `matched`
            // has room for this one.
            used |= free & free.wrapping_neg();
            matched[matches] = c;
            matches += 1;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut rest = used;
    for &c in &matched[..matches] {
        let j = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        if bc[j].into() != u32::from(c) {
            transpositions += 1;
        }
    }
    transpositions /= 2;
    let sim = ((matches as f64 / ab.len() as f64)
        + (matches as f64 / b_len as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0;
    if sim > 0.7 {
        let prefix = ab
            .iter()
            .take(4)
            .zip(bc)
            .take_while(|(x, y)| u32::from(**x) == (**y).into())
            .count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// Keeps the best `limit` hits, sorted: a bounded selection, then a sort of what is left.
fn top(hits: &mut Vec<Hit>, limit: usize) {
    if hits.len() > limit && limit > 0 {
        hits.select_nth_unstable_by(limit - 1, best::order);
    }
    hits.truncate(limit);
    hits.sort_by(best::order);
}

/// Documents visited together: some of the documents of some matched words, which can score
/// at most `ceiling`.
struct Group {
    ceiling: f32,
    part: Part,
    words: Vec<WordId>,
}

/// `kinds` sorted, without repeats.
fn kinds_of(kinds: &[Kind]) -> Vec<Kind> {
    let mut kinds = kinds.to_vec();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

/// Where the letters that start a name's words begin in a name's mask: after the bits
/// [`dictionary::letter_mask`] uses for letters and digits (0 to 35), before its bit 63.
const INITIALS: u32 = 36;

/// One bit per letter a-z: a name's mask shifted right by [`INITIALS`] and kept to these bits
/// says which letters start its words.
const LETTERS: u64 = (1 << 26) - 1;

/// The mask bit saying that lowercase letter `letter` starts a word of the name.
fn initial_bit(letter: u8) -> u64 {
    1 << (INITIALS + initial_slot(letter) as u32)
}

/// Which of the 26 initial bits (and [`SearchIndex::initials`] lists) stands for `letter`.
fn initial_slot(letter: u8) -> usize {
    usize::from(letter.saturating_sub(b'a')).min(25)
}

/// Which of the 26 × 26 [`SearchIndex::adjacent`] lists holds the names where `a` is right
/// before `b`; `None` unless both are letters a-z.
fn adjacent_slot(a: u8, b: u8) -> Option<usize> {
    (a.is_ascii_lowercase() && b.is_ascii_lowercase())
        .then(|| usize::from(a - b'a') * 26 + usize::from(b - b'a'))
}

/// The [`initial_bit`]s of the letters that start the words of a folded name.
fn initial_bits(text: &str) -> u64 {
    normalize::words(text)
        .filter_map(|word| word.bytes().next())
        .filter(u8::is_ascii_lowercase)
        .fold(0, |mask, first| mask | initial_bit(first))
}

/// Calls `each` once per [`adjacent_slot`] of a folded name: each pair of letters side by side
/// or across a space. `seen` is all false before and after.
fn adjacent_slots(text: &[u8], seen: &mut [bool; 26 * 26], mut each: impl FnMut(usize)) {
    let across = text.windows(3).filter(|three| three[1] == b' ');
    let across = across.filter_map(|three| adjacent_slot(three[0], three[2]));
    let slots = text.windows(2);
    let slots = slots.filter_map(|pair| adjacent_slot(pair[0], pair[1]));
    let slots = slots.chain(across);
    for slot in slots.clone() {
        if !std::mem::replace(&mut seen[slot], true) {
            each(slot);
        }
    }
    slots.for_each(|slot| seen[slot] = false);
}

/// The documents of `docs` (each below `end`) as one bit per document id, up to `end`.
fn bits_of(docs: &[u32], end: usize) -> Vec<u64> {
    let mut bits = vec![0u64; end.div_ceil(64)];
    for &doc in docs {
        if let Some(word) = bits.get_mut(doc as usize / 64) {
            *word |= 1 << (doc % 64);
        }
    }
    bits
}

/// Calls `each` on every document of two ascending lists, in order, once.
fn merge_ascending(
    a: impl Iterator<Item = u32>,
    b: impl Iterator<Item = u32>,
    each: &mut impl FnMut(u32),
) {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(&x), Some(&y)) if x < y => a.next(),
            (Some(&x), Some(&y)) if y < x => b.next(),
            (Some(_), Some(_)) => {
                b.next();
                a.next()
            }
            (Some(_), None) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some(doc) => each(doc),
            None => return,
        }
    }
}

/// Whether `letter` may start a word of the name whose mask is `mask`: only letters have an
/// initial bit, so anything else may.
fn starts(mask: u64, letter: u8) -> bool {
    !letter.is_ascii_lowercase() || mask & initial_bit(letter) != 0
}

/// Whether `word`'s bytes occur in `text` in order: what SkimMatcherV2 needs to match at all
/// (both are folded, so lowercase ASCII), checked without its setup cost.
fn is_subsequence(word: &[u8], text: &[u8]) -> bool {
    let mut rest = word;
    for &b in text {
        match rest.split_first() {
            Some((&first, tail)) if first == b => rest = tail,
            Some(_) => {}
            None => return true,
        }
    }
    rest.is_empty()
}

/// Documents in ascending id from ascending posting slices, each once.
enum Stream<'a> {
    /// One slice (one word, one kind): no merging.
    One(std::slice::Iter<'a, u32>),
    Merged {
        lists: Vec<&'a [u32]>,
        /// (next document, list, position in list)
        heap: BinaryHeap<Reverse<(u32, u32, u32)>>,
        last: Option<u32>,
    },
}

impl Iterator for Stream<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let (lists, heap, last) = match self {
            Stream::One(list) => return list.next().copied(),
            Stream::Merged { lists, heap, last } => (lists, heap, last),
        };
        loop {
            let Reverse((doc, list, at)) = heap.pop()?;
            let next = at + 1;
            if let Some(&following) = lists[list as usize].get(next as usize) {
                heap.push(Reverse((following, list, next)));
            }
            if *last != Some(doc) {
                *last = Some(doc);
                return Some(doc);
            }
        }
    }
}

#[derive(Default)]
struct Builder {
    dictionary: Dictionary,
    documents: Vec<Doc>,
    words: Vec<WordId>,
    names: String,
}

impl Builder {
    /// A builder of the documents `produce` hands over.
    fn run(produce: impl FnOnce(&mut dyn FnMut(Document<'_>))) -> Builder {
        let mut builder = Builder::default();
        produce(&mut |document| builder.add_document(&document));
        builder
    }

    fn add_document(&mut self, document: &Document<'_>) {
        self.add(document.target, document.field, &document.text);
    }

    fn add(&mut self, target: Target, field: Field, text: &str) {
        let weight = weight_of(field);
        let folded = fold(text);
        if folded.is_empty() {
            return;
        }
        let start = self.words.len();
        for word in normalize::words(&folded) {
            let id = self.dictionary.intern(word);
            // A stop word ("the", "of") is never looked for in a role, a description or running
            // text: a query drops its stop words when it has any other word, and one made of
            // stop words alone looks for names and titles. Left out of those documents (still
            // in the dictionary, so `knows` says the corpus holds it): a tenth of the words the
            // index keeps.
            if weight == NAME || !is_stop_word(word) {
                self.words.push(id);
            }
        }
        // Only a name's word positions count (the full-name bonus); any other document is
        // scored by which words it holds, so it keeps each once.
        if weight != NAME {
            self.words[start..].sort_unstable();
            let mut kept = start;
            for i in start..self.words.len() {
                if kept == start || self.words[i] != self.words[kept - 1] {
                    self.words[kept] = self.words[i];
                    kept += 1;
                }
            }
            self.words.truncate(kept);
        }
        let words = (start as u32, self.words.len() as u32);
        let start = self.names.len() as u32;
        if weight == NAME {
            self.names.push_str(&folded);
        }
        let text = (start, self.names.len() as u32);
        self.documents.push(Doc {
            index: target.index,
            kind: target.kind,
            field,
            words,
            text,
        });
    }

    /// Adds the documents of `other`, built from the documents that follow this builder's,
    /// after them: its words are interned here in its order of first use.
    fn append(&mut self, other: Builder) {
        let renumber: Vec<WordId> = (0..other.dictionary.len() as WordId)
            .map(|id| self.dictionary.intern(other.dictionary.word(id)))
            .collect();
        let offset = self.names.len() as u32;
        self.names.push_str(&other.names);
        let words_offset = self.words.len() as u32;
        self.words
            .extend(other.words.iter().map(|&word| renumber[word as usize]));
        self.documents.reserve_exact(other.documents.len());
        for mut document in other.documents {
            document.words = (
                document.words.0 + words_offset,
                document.words.1 + words_offset,
            );
            document.text = (document.text.0 + offset, document.text.1 + offset);
            self.documents.push(document);
        }
    }

    fn finish(mut self) -> SearchIndex {
        self.documents.shrink_to_fit();
        self.words.shrink_to_fit();
        self.names.shrink_to_fit();
        let dictionary = &mut self.dictionary;
        let size = dictionary.len();
        let (documents, words, names) = (&self.documents, &self.words, &self.names);
        // Two independent halves: the lists by word, and the dictionary's tables with the
        // lists by letter for the subsequence stage. On two threads when the machine has them.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (by_word, by_letter) = if cores >= 2 {
            std::thread::scope(|scope| {
                let by_word = scope.spawn(move || word_lists(documents, words, size));
                dictionary.finish();
                let by_letter = letter_lists(documents, names);
                match by_word.join() {
                    Ok(by_word) => (by_word, by_letter),
                    // Building only counts and copies; should it panic, the panic goes on.
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            })
        } else {
            dictionary.finish();
            (
                word_lists(documents, words, size),
                letter_lists(documents, names),
            )
        };
        SearchIndex {
            dictionary: self.dictionary,
            documents: self.documents,
            words: self.words,
            names: self.names,
            ranges: by_letter.ranges,
            masks: by_letter.masks,
            pairs: by_letter.pairs,
            skips: by_letter.skips,
            initials: by_letter.initials,
            adjacent: by_letter.adjacent,
            side_by_side: by_letter.side_by_side,
            split: if cores >= 2 { SPLIT } else { usize::MAX },
            postings: by_word.postings,
            single: by_word.single,
            short: by_word.short,
            heaviest: by_word.heaviest,
            shortest_name: by_word.shortest_name,
        }
    }
}

/// The lists [`SearchIndex`] keeps by word (see its fields of these names).
struct WordLists {
    postings: Vec<Vec<u32>>,
    short: Vec<Vec<u32>>,
    single: Vec<Vec<u32>>,
    heaviest: Vec<[f32; Kind::COUNT]>,
    shortest_name: Vec<[u8; Kind::COUNT]>,
}

/// The lists by word of `documents`, whose words are in `words`, over a dictionary of
/// `dictionary` words.
fn word_lists(documents: &[Doc], words: &[WordId], dictionary: usize) -> WordLists {
    let words_of = |document: &Doc| &words[document.words.0 as usize..document.words.1 as usize];
    // Each list allocated once at its final length: count, then fill.
    let mut sizes = vec![(0u32, 0u32, 0u32); dictionary];
    for document in documents {
        let words = words_of(document);
        let is_short = document.weight() == NAME && words.len() <= SHORT;
        if let [word] = *words
            && document.weight() == NAME
        {
            sizes[word as usize].2 += 1;
        }
        for (i, &word) in words.iter().enumerate() {
            // A word seen earlier in the same name is counted once (other documents hold
            // each word once).
            if document.weight() == NAME && words[..i].contains(&word) {
                continue;
            }
            let size = &mut sizes[word as usize];
            size.0 += 1;
            if is_short {
                size.1 += 1;
            }
        }
    }
    let with = |n: u32| Vec::with_capacity(n as usize);
    let mut postings: Vec<Vec<u32>> = sizes.iter().map(|s| with(s.0)).collect();
    let mut short: Vec<Vec<u32>> = sizes.iter().map(|s| with(s.1)).collect();
    let mut single: Vec<Vec<u32>> = sizes.iter().map(|s| with(s.2)).collect();
    drop(sizes);
    let mut heaviest = vec![[0.0f32; Kind::COUNT]; dictionary];
    let mut shortest_name = vec![[u8::MAX; Kind::COUNT]; dictionary];
    for (doc, document) in documents.iter().enumerate() {
        let words = words_of(document);
        let kind = document.target().kind as usize;
        for &word in words {
            let slot = &mut heaviest[word as usize][kind];
            *slot = slot.max(document.weight());
            if document.weight() == NAME {
                let len = u8::try_from(words.len()).unwrap_or(u8::MAX);
                let slot = &mut shortest_name[word as usize][kind];
                *slot = (*slot).min(len);
            }
        }
        let is_short = document.weight() == NAME && words.len() <= SHORT;
        if let [word] = *words
            && document.weight() == NAME
        {
            single[word as usize].push(doc as u32);
        }
        for &word in words.iter() {
            let list: &mut Vec<u32> = &mut postings[word as usize];
            if list.last() != Some(&(doc as u32)) {
                list.push(doc as u32);
                if is_short {
                    short[word as usize].push(doc as u32);
                }
            }
        }
    }
    WordLists {
        postings,
        short,
        single,
        heaviest,
        shortest_name,
    }
}

/// What [`SearchIndex`] keeps by letter for the subsequence stage, with each kind's range of
/// documents (see its fields of these names).
struct LetterLists {
    masks: Vec<u64>,
    pairs: Vec<u64>,
    skips: Vec<u64>,
    initials: Vec<Vec<subsequence::Initial>>,
    adjacent: Vec<Vec<u32>>,
    side_by_side: Vec<Vec<u64>>,
    ranges: [(u32, u32); Kind::COUNT],
}

/// The lists by letter of `documents`, whose name texts are in `names`.
fn letter_lists(documents: &[Doc], names: &str) -> LetterLists {
    // The masks end with the last document that has a text: statements and events, the last
    // kinds and a third of the documents, have none.
    let named = documents
        .iter()
        .rposition(|document| document.text().is_some())
        .map_or(0, |last| last + 1);
    let mut masks = Vec::with_capacity(named);
    let mut pairs = Vec::with_capacity(named);
    let mut skips = Vec::with_capacity(named);
    let mut ranges = [(0u32, 0u32); Kind::COUNT];
    // The per-letter and per-pair lists too: count, then fill.
    let name_text = |document: &Doc| {
        let (start, end) = document.text()?;
        names.get(start as usize..end as usize)
    };
    // Which adjacent pairs the current name holds, to list it once per pair.
    let mut seen = [false; 26 * 26];
    let mut initial_sizes = [0usize; 26];
    let mut adjacent_sizes = vec![0usize; 26 * 26];
    for text in documents.iter().filter_map(name_text) {
        let mut starting = (initial_bits(text) >> INITIALS) & LETTERS;
        while starting != 0 {
            initial_sizes[starting.trailing_zeros() as usize] += 1;
            starting &= starting - 1;
        }
        adjacent_slots(text.as_bytes(), &mut seen, |slot| adjacent_sizes[slot] += 1);
    }
    let mut initials: Vec<Vec<subsequence::Initial>> = initial_sizes
        .iter()
        .map(|&n| Vec::with_capacity(n))
        .collect();
    let mut adjacent: Vec<Vec<u32>> = adjacent_sizes
        .iter()
        .map(|&n| Vec::with_capacity(n))
        .collect();
    for (doc, document) in documents.iter().enumerate() {
        let text = name_text(document);
        let pair = text.map_or(0, |text| subsequence::pair_mask(text.as_bytes()));
        let skip = text.map_or(0, |text| subsequence::skip_mask(text.as_bytes()));
        let mask = text.map_or(0, |text| dictionary::letter_mask(text) | initial_bits(text));
        if doc < named {
            pairs.push(pair);
            skips.push(skip);
            masks.push(mask);
        }
        // The letters that start one of the name's words, one bit each.
        let mut starting = (mask >> INITIALS) & LETTERS;
        while starting != 0 {
            let slot = starting.trailing_zeros() as usize;
            starting &= starting - 1;
            let letter = b'a' + slot as u8;
            let follows = text.map_or(0, |t| subsequence::follows(t.as_bytes(), letter));
            initials[slot].push(subsequence::Initial {
                doc: doc as u32,
                follows,
                mask,
                skips: skip,
            });
        }
        if let Some(text) = text {
            adjacent_slots(text.as_bytes(), &mut seen, |slot| {
                adjacent[slot].push(doc as u32)
            });
        }
        let range = &mut ranges[document.target().kind as usize];
        if range.1 == 0 {
            range.0 = doc as u32;
        }
        range.1 = doc as u32 + 1;
    }
    // Kept as bits where that takes at most twice the list's own memory.
    let side_by_side = adjacent
        .iter()
        .map(|list| {
            if list.len() * DENSE < named {
                return Vec::new();
            }
            bits_of(list, named)
        })
        .collect();
    LetterLists {
        masks,
        pairs,
        skips,
        initials,
        adjacent,
        side_by_side,
        ranges,
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

#[cfg(test)]
mod jaro_tests {
    /// The mask version gives strsim's score, bit for bit.
    #[test]
    fn jaro_winkler_is_strsim() {
        let mut seed: u64 = 17;
        let alphabet = [
            'a', 'b', 'c', 'd', 'e', 'i', 'l', 'n', 'o', 'r', 's', 't', ' ', 'é', '马',
        ];
        let mut word = |len: usize| -> String {
            (0..len)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect()
        };
        let mut pairs: Vec<(String, String)> = vec![
            (
                "huilei united arab emirates ceasefire".into(),
                "kang huilei".into(),
            ),
            ("martha".into(), "marhta".into()),
            ("dixon".into(), "dicksonx".into()),
            ("".into(), "abc".into()),
            ("马朝旭".into(), "ma zhaoxu".into()),
            ("ma zhaoxu".into(), "马朝旭 ma".into()),
            ("ali reza".into(), "ʿalī riżā ali".into()),
        ];
        for n in 0..20_000 {
            let (a, b) = (word(n % 70), word((n * 7 + 3) % 71));
            // The query side is ASCII when folded from Latin text: test both.
            pairs.push((a.replace(['é', '马'], "e"), b.clone()));
            pairs.push((a, b));
        }
        for (a, b) in &pairs {
            assert_eq!(
                super::jaro_winkler(a, b).to_bits(),
                strsim::jaro_winkler(a, b).to_bits(),
                "{a:?} {b:?}"
            );
        }
    }
}

#[cfg(test)]
mod stop_word_tests {
    use std::borrow::Cow;

    use super::{Document, Field, Kind, SearchIndex, Target};

    fn document(kind: Kind, index: u32, field: Field, text: &str) -> Document<'_> {
        Document {
            target: Target { kind, index },
            field,
            text: Cow::Borrowed(text),
        }
    }

    /// Stop words are kept in names and titles only: a query of stop words alone finds a
    /// title, not running text, and one with another word scores running text as before.
    #[test]
    fn stop_words_are_looked_for_in_names_only() {
        let index = SearchIndex::build([
            document(Kind::Topic, 0, Field::Name, "The Deal"),
            document(Kind::Statement, 0, Field::Body, "the talks on the deal"),
            document(Kind::Statement, 1, Field::Body, "talks about mistrust"),
        ]);
        let kinds = [Kind::Topic, Kind::Statement];
        let found = |query: &str| -> Vec<Target> {
            index
                .search(query, &kinds, 10)
                .into_iter()
                .map(|hit| hit.target)
                .collect()
        };
        let topic = Target {
            kind: Kind::Topic,
            index: 0,
        };
        let statement = |index| Target {
            kind: Kind::Statement,
            index,
        };
        assert_eq!(found("the"), [topic]);
        assert_eq!(found("about"), []);
        assert_eq!(found("the talks"), [statement(0), statement(1)]);
        assert_eq!(found("talks about mistrust"), [statement(1)]);
        // Still words the corpus holds, not misspellings.
        assert!(index.knows("the") && index.knows("about"));
    }
}

#[cfg(test)]
mod split_tests {
    use std::borrow::Cow;

    use super::{Document, Field, Kind, SearchIndex, Target};

    /// Names of two to four words made of a few syllables, so that letters repeat across
    /// names and a pattern's first letter starts words of many of them.
    fn names(count: usize) -> Vec<String> {
        const SYLLABLES: &[&str] = &[
            "ma", "mc", "al", "li", "ster", "na", "tal", "ni", "ha", "mad", "chen", "g", "ra",
            "bad", "i", "ko", "v", "zh", "ao", "xu", "id", "l", "t",
        ];
        let mut seed: u64 = 99;
        let mut next = |below: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % below
        };
        (0..count)
            .map(|_| {
                let words = 2 + next(3);
                (0..words)
                    .map(|_| {
                        (0..1 + next(3))
                            .map(|_| SYLLABLES[next(SYLLABLES.len())])
                            .collect()
                    })
                    .collect::<Vec<String>>()
                    .join(" ")
            })
            .collect()
    }

    /// A letter's list bounded on two threads gives the answer one thread gives, and the
    /// reference's.
    #[test]
    fn a_list_bounded_in_halves_gives_the_same_answer() {
        let names = names(6000);
        let build = || {
            SearchIndex::build(names.iter().enumerate().map(|(i, name)| Document {
                target: Target {
                    kind: Kind::Person,
                    index: i as u32,
                },
                field: Field::Name,
                text: Cow::Borrowed(name.as_str()),
            }))
        };
        let (mut one, mut two) = (build(), build());
        one.split = usize::MAX;
        two.split = 2;
        let kinds = [Kind::Person];
        let mut answered = 0;
        for pattern in [
            "mcll", "ntl", "mad", "hmd", "mlst", "zhx", "ltn", "grb", "mnl", "tlm",
        ] {
            let halves = two.search(pattern, &kinds, 25);
            assert_eq!(halves, one.search(pattern, &kinds, 25), "{pattern}");
            assert_eq!(
                halves,
                one.search_exhaustive(pattern, &kinds, 25),
                "{pattern}"
            );
            answered += usize::from(!halves.is_empty());
        }
        assert!(answered >= 8, "only {answered} patterns answered");
    }
}
