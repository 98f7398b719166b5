//! The distinct words of the corpus, and how well a query word matches each of them.
//!
//! Matching happens once per distinct word, not once per name: a query word is compared with the
//! dictionary (exact, prefix, typo), and the documents holding the matching words are found through
//! postings. A per-word letter bitmask rejects most words before the edit distance is computed.

use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// One word's id in the dictionary.
pub type WordId = u32;

/// How a query word relates to a dictionary word, best first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordMatch {
    pub word: WordId,
    /// 1.0 for the same word, less for a prefix or a typo.
    pub quality: f32,
    /// How the query matched the word (the best way, when several).
    pub how: How,
}

/// How a query word matched a dictionary word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum How {
    /// Within the typo budget, or a typo in a prefix.
    Typo,
    /// The word is the query plus up to four letters' suffix ("iranian" typed, "iran" found).
    Suffix,
    /// The query is a prefix of the word.
    Prefix,
    /// The same word.
    Exact,
}

#[derive(Debug, Default)]
pub struct Dictionary {
    words: Vec<Box<str>>,
    masks: Vec<u64>,
    /// FxHash (`rustc-hash`): every word of the corpus is looked up once per use while the
    /// index is built, where SipHash's defence against chosen keys buys nothing (the words are
    /// the operator's own data) and cost a tenth of the build.
    ids: FxHashMap<Box<str>, WordId>,
    /// Word ids in the words' text order, for prefix ranges.
    sorted: Vec<WordId>,
    /// The ASCII words of `sorted`, in the same order: the typo stage walks them as a trie
    /// (see [`Dictionary::typos`]).
    ascii: Vec<WordId>,
    /// Their text, one after another in that order, and where each ends: the walk reads
    /// neighbouring words from neighbouring memory.
    ascii_text: Vec<u8>,
    ascii_ends: Vec<u32>,
    /// The other words, compared one by one by the typo stage (strsim counts their characters,
    /// not their bytes). Folded text has few: what deunicode leaves as it is.
    other: Vec<WordId>,
}

impl Dictionary {
    /// The id of `word`, adding it when new. Call [`Dictionary::finish`] after the last one.
    pub fn intern(&mut self, word: &str) -> WordId {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as WordId;
        self.words.push(word.into());
        self.masks.push(letter_mask(word));
        self.ids.insert(word.into(), id);
        id
    }

    /// The id of `word` if the dictionary holds it exactly.
    pub fn id(&self, word: &str) -> Option<WordId> {
        self.ids.get(word).copied()
    }

    /// Sorts the prefix table; matching before this misses prefixes.
    pub fn finish(&mut self) {
        let mut sorted: Vec<WordId> = (0..self.words.len() as WordId).collect();
        sorted.sort_by(|&a, &b| self.words[a as usize].cmp(&self.words[b as usize]));
        let (ascii, other) = sorted
            .iter()
            .copied()
            .partition(|&id| self.words[id as usize].is_ascii());
        self.ascii_text.clear();
        self.ascii_ends.clear();
        for &id in &ascii {
            self.ascii_text
                .extend_from_slice(self.words[id as usize].as_bytes());
            self.ascii_ends.push(self.ascii_text.len() as u32);
        }
        self.ascii = ascii;
        self.other = other;
        self.sorted = sorted;
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub fn word(&self, id: WordId) -> &str {
        &self.words[id as usize]
    }

    /// Every dictionary word that `query` (one folded word) matches, with its quality:
    /// - the same word: 1.0;
    /// - a prefix of a longer word ("ryab" of "ryabkov"): 0.6 to 0.95, longer prefixes better;
    /// - a word of four or more letters that the query extends by up to four letters
    ///   ("iranian" of "iran"): 0.7;
    /// - a typo: one edit (substitution, insertion, deletion, transposition) in a query of five or
    ///   more letters, two in nine or more: 0.75 and 0.6; a typo within a prefix: 0.55.
    pub fn matches(&self, query: &str) -> Vec<WordMatch> {
        self.matches_as(query, true)
    }

    /// [`Dictionary::matches`], with or without the suffix rule: a query made by joining the
    /// typed words ("gharib abadi" as "gharibabadi") must not count as its first word plus a
    /// suffix ("world cup" is not "world").
    pub fn matches_as(&self, query: &str, suffixes: bool) -> Vec<WordMatch> {
        let mut found: HashMap<WordId, (f32, How)> = HashMap::new();
        let mut keep = |word: WordId, quality: f32, how: How| {
            let slot = found.entry(word).or_insert((0.0, how));
            if quality > slot.0 {
                *slot = (quality, how);
            }
        };
        if let Some(&id) = self.ids.get(query) {
            keep(id, 1.0, How::Exact);
        }
        let qlen = query.len();
        if qlen == 0 {
            return Vec::new();
        }
        let start = self
            .sorted
            .partition_point(|&id| &*self.words[id as usize] < query);
        for &id in &self.sorted[start..] {
            let word = &self.words[id as usize];
            if !word.starts_with(query) {
                break;
            }
            if word.len() > qlen {
                keep(
                    id,
                    0.6 + 0.35 * qlen as f32 / word.len() as f32,
                    How::Prefix,
                );
            }
        }
        // Words the query extends by an English ending: "iranian" finds "iran", "talks" finds
        // "talk". Only the endings of [`SUFFIXES`]: "zhaoxin" is not "zhao" plus a suffix.
        for cut in (4.max(qlen.saturating_sub(4))..qlen).rev() {
            if !suffixes || !query.is_char_boundary(cut) || !SUFFIXES.contains(&&query[cut..]) {
                continue;
            }
            if let Some(&id) = self.ids.get(&query[..cut]) {
                keep(id, 0.7, How::Suffix);
                break;
            }
        }
        let budget = typo_budget(qlen);
        if budget > 0 {
            if query.is_ascii() {
                self.typos(query.as_bytes(), budget, &mut keep);
                for &id in &self.other {
                    self.typo(query, id, budget, &mut keep);
                }
            } else {
                for id in 0..self.words.len() as WordId {
                    self.typo(query, id, budget, &mut keep);
                }
            }
        }
        let mut matches: Vec<WordMatch> = found
            .into_iter()
            .map(|(word, (quality, how))| WordMatch { word, quality, how })
            .collect();
        matches.sort_by(|a, b| b.quality.total_cmp(&a.quality).then(a.word.cmp(&b.word)));
        matches
    }

    /// The typo stage for the ASCII words, exactly as [`Dictionary::typo`] decides it for each
    /// (a word within `budget` edits of `query`: 0.75 for one, 0.6 for two; otherwise a first
    /// `query.len()` letters within `budget`: 0.55), without visiting every word.
    ///
    /// The sorted words are walked as a trie: the edit-distance table of a word (one row per
    /// letter of the word, one column per letter of the query, optimal string alignment as
    /// [`osa_distance`]) is shared with the previous word up to their common prefix, and rows
    /// are computed only to `query.len() + budget` letters (no deeper row decides anything).
    /// Once a row and the one before it rule out every later row (each row's least value is at
    /// least the lesser of the previous row's least and one more than the least of the row
    /// before that), every word with that prefix is passed over with one binary search (when
    /// the prefix is longer than the query, they all share the typo-in-a-prefix verdict).
    fn typos(&self, query: &[u8], budget: usize, keep: &mut impl FnMut(WordId, f32, How)) {
        let qlen = query.len();
        let deepest = qlen + budget;
        let width = qlen + 1;
        // rows[i * width + j]: the distance between the word's first i letters and the query's
        // first j; least[i]: the row's least value.
        let mut rows = vec![0usize; (deepest + 1) * width];
        let mut least = vec![0usize; deepest + 1];
        for (j, slot) in rows.iter_mut().enumerate().take(width) {
            *slot = j;
        }
        // The word whose rows are in the table, and how many of them are (row 0 always is).
        let mut previous: &[u8] = b"";
        let mut valid = 0usize;
        let mut k = 0usize;
        while k < self.ascii.len() {
            let id = self.ascii[k];
            let word = self.ascii_word(k);
            let common = previous
                .iter()
                .zip(word)
                .take_while(|(a, b)| a == b)
                .count()
                .min(valid);
            let last = word.len().min(deepest);
            let mut cut = None;
            for i in common + 1..=last {
                let letter = word[i - 1];
                let (done, row) = rows.split_at_mut(i * width);
                let above = &done[(i - 1) * width..];
                row[0] = i;
                let mut low = i;
                // Only the band of columns within `budget` of the diagonal: a cell further off
                // is more than `budget`, and what it leads to too. The cells just outside hold
                // `budget + 1`, for the next rows to read: the distances up to `budget` come out
                // exact, the others above `budget`, which is all the verdicts ask.
                let (from, to) = (i.saturating_sub(budget).max(1), (i + budget).min(qlen));
                if from > 1 {
                    row[from - 1] = budget + 1;
                }
                if to < qlen {
                    row[to + 1] = budget + 1;
                }
                for j in from..=to {
                    let cost = usize::from(letter != query[j - 1]);
                    let mut value = (above[j] + 1).min(row[j - 1] + 1).min(above[j - 1] + cost);
                    if i > 1 && j > 1 && letter == query[j - 2] && word[i - 2] == query[j - 1] {
                        value = value.min(done[(i - 2) * width + j - 2] + 1);
                    }
                    row[j] = value;
                    low = low.min(value);
                }
                least[i] = low;
                // Every row from i on is at least this.
                if low.min(least[i - 1] + 1) > budget {
                    cut = Some(i);
                    break;
                }
            }
            previous = word;
            if let Some(depth) = cut {
                valid = depth;
                let prefix = &word[..depth];
                let skipped = self.run_of(k, prefix);
                // Past the query's length, the words of the prefix share their first
                // `query.len()` letters, so the typo-in-a-prefix verdict, and nothing else.
                if depth > qlen {
                    let distance = rows[qlen * width + qlen];
                    if distance > 0 && distance <= budget {
                        for &other in &self.ascii[k..k + skipped] {
                            keep(other, 0.55, How::Typo);
                        }
                    }
                }
                k += skipped;
                continue;
            }
            valid = last;
            let wlen = word.len();
            let mut whole = false;
            if wlen + budget >= qlen && wlen <= deepest {
                let distance = rows[wlen * width + qlen];
                if distance > 0 && distance <= budget {
                    keep(id, if distance == 1 { 0.75 } else { 0.6 }, How::Typo);
                    whole = true;
                }
            }
            if !whole && wlen > qlen {
                let distance = rows[qlen * width + qlen];
                if distance > 0 && distance <= budget {
                    keep(id, 0.55, How::Typo);
                }
            }
            k += 1;
        }
    }

    /// The `k`-th ASCII word in text order.
    fn ascii_word(&self, k: usize) -> &[u8] {
        let start = if k == 0 {
            0
        } else {
            self.ascii_ends[k - 1] as usize
        };
        &self.ascii_text[start..self.ascii_ends[k] as usize]
    }

    /// How many ASCII words from the `k`-th on start with `prefix` (the `k`-th does): a
    /// galloping search, as most runs are short.
    fn run_of(&self, k: usize, prefix: &[u8]) -> usize {
        let n = self.ascii.len();
        let holds = |i: usize| self.ascii_word(i).starts_with(prefix);
        // holds(k + low) is known; find a step past the run, doubling.
        let (mut low, mut high) = (0usize, 1usize);
        while k + high < n && holds(k + high) {
            low = high;
            high *= 2;
        }
        let high = high.min(n - k);
        // The run ends in (low, high]: the first offset that does not hold.
        let (mut lo, mut hi) = (low + 1, high);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if holds(k + mid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The typo stage for one word, compared on its own.
    fn typo(
        &self,
        query: &str,
        id: WordId,
        budget: usize,
        keep: &mut impl FnMut(WordId, f32, How),
    ) {
        let qlen = query.len();
        let qmask = letter_mask(query);
        {
            {
                let word = &self.words[id as usize];
                // A word missing more of the query's letters than the budget cannot be in reach.
                if (qmask & !self.masks[id as usize]).count_ones() as usize > budget {
                    return;
                }
                let wlen = word.len();
                if wlen + budget < qlen {
                    return;
                }
                if wlen <= qlen + budget {
                    let distance = osa_distance(query, word);
                    if distance > 0 && distance <= budget {
                        keep(id, if distance == 1 { 0.75 } else { 0.6 }, How::Typo);
                        return;
                    }
                }
                // A typo in what has been typed so far: "riabk" of "ryabkov".
                if wlen > qlen && word.is_char_boundary(qlen) {
                    // The same letter test, on the part compared.
                    let typed = &word[..qlen];
                    if (qmask & !letter_mask(typed)).count_ones() as usize > budget {
                        return;
                    }
                    let distance = osa_distance(query, typed);
                    if distance > 0 && distance <= budget {
                        keep(id, 0.55, How::Typo);
                    }
                }
            }
        }
    }

    /// [`Dictionary::matches_as`] with every word compared on its own: the reference the trie
    /// walk is tested against.
    #[cfg(test)]
    fn typos_one_by_one(&self, query: &str) -> Vec<(WordId, f32)> {
        let mut found: Vec<(WordId, f32)> = Vec::new();
        let budget = typo_budget(query.len());
        for id in 0..self.words.len() as WordId {
            self.typo(query, id, budget, &mut |id, quality, _| {
                found.push((id, quality))
            });
        }
        found.sort_by_key(|f| f.0);
        found
    }

    #[cfg(test)]
    fn typos_walked(&self, query: &str) -> Vec<(WordId, f32)> {
        let mut found: Vec<(WordId, f32)> = Vec::new();
        let budget = typo_budget(query.len());
        let mut keep = |id, quality, _| found.push((id, quality));
        self.typos(query.as_bytes(), budget, &mut keep);
        for &id in &self.other {
            self.typo(query, id, budget, &mut keep);
        }
        found.sort_by_key(|f| f.0);
        found
    }
}

/// The endings a query word may add to a dictionary word and still match it (demonyms, plurals,
/// verb forms): "iranian", "chinese", "talks", "sanctioned".
const SUFFIXES: &[&str] = &[
    "s", "es", "n", "an", "ian", "ians", "ans", "ese", "ish", "i", "is", "ed", "ing", "er", "ers",
    "ly", "al",
];

/// The longest word [`osa_distance`] compares on the stack.
const SHORT_WORD: usize = 32;

/// `strsim::osa_distance` (optimal string alignment: substitutions, insertions, deletions and
/// transpositions of neighbours), the same number, without its allocations when both words
/// are ASCII and short, as folded words are: the typo stage runs it over the whole dictionary.
pub fn osa_distance(first: &str, second: &str) -> usize {
    let (a, b) = (first.as_bytes(), second.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || a.len() > SHORT_WORD || b.len() > SHORT_WORD {
        return strsim::osa_distance(first, second);
    }
    if a.is_empty() {
        return b.len();
    }
    if b.is_empty() {
        return a.len();
    }
    // Rows i-2, i-1 and i of the table, over b's positions 0..=b.len().
    let mut two_back = [0usize; SHORT_WORD + 1];
    let mut one_back = [0usize; SHORT_WORD + 1];
    let mut current = [0usize; SHORT_WORD + 1];
    for (j, slot) in one_back.iter_mut().enumerate().take(b.len() + 1) {
        *slot = j;
    }
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (one_back[j] + 1)
                .min(current[j - 1] + 1)
                .min(one_back[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(two_back[j - 2] + 1);
            }
            current[j] = best;
        }
        two_back = one_back;
        one_back = current;
    }
    one_back[b.len()]
}

/// How many edits a query word of `len` letters may carry and still match.
pub fn typo_budget(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// One bit per letter a-z and digit class: which characters a word contains.
pub fn letter_mask(word: &str) -> u64 {
    letter_mask_bytes(word.as_bytes())
}

/// [`letter_mask`] of a word's bytes.
pub fn letter_mask_bytes(word: &[u8]) -> u64 {
    word.iter().fold(0u64, |mask, &b| {
        let bit = match b {
            b'a'..=b'z' => b - b'a',
            b'0'..=b'9' => 26 + (b - b'0'),
            _ => 63,
        };
        mask | (1u64 << bit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dictionary(words: &[&str]) -> Dictionary {
        let mut dictionary = Dictionary::default();
        for word in words {
            dictionary.intern(word);
        }
        dictionary.finish();
        dictionary
    }

    fn best(dictionary: &Dictionary, query: &str) -> Option<(String, f32)> {
        dictionary
            .matches(query)
            .first()
            .map(|m| (dictionary.word(m.word).to_string(), m.quality))
    }

    #[test]
    fn osa_distance_is_strsims() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "ryabkov",
            "riabkov",
            "ryabkvo",
            "gharibabadi",
            "garibabadi",
            "ghraibabadi",
            "ca",
            "abc",
            "kamenei",
            "khamenei",
            "zhongmim",
            "zhongmin",
            "aaaa",
            "aaa",
            "abcdefghijklmnopqrstuvwxyz0123456789",
            "ÿabc",
            "xyz",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    osa_distance(a, b),
                    strsim::osa_distance(a, b),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn osa_distance_is_strsims_on_any_short_words(a in "[abc ]{0,12}", b in "[abc]{0,12}") {
            proptest::prop_assert_eq!(osa_distance(&a, &b), strsim::osa_distance(&a, &b));
        }
    }

    /// Words over a few letters, so that many are within an edit or two of each other.
    fn crowded_words(count: usize, seed: u64) -> Vec<String> {
        let mut rng = crate::gen_corpus::Rng::new(seed);
        let letters = b"aeost";
        (0..count)
            .map(|_| {
                let len = 1 + rng.below(13);
                (0..len)
                    .map(|_| char::from(letters[rng.below(letters.len())]))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_trie_walk_finds_the_typos_the_word_by_word_stage_finds() {
        let single = dictionary(&["oaotahesakth"]);
        assert_eq!(
            single.typos_walked("oaeta"),
            single.typos_one_by_one("oaeta")
        );
        let mut words = crowded_words(8000, 7);
        words.extend(
            [
                "ryabkov",
                "gharibabadi",
                "khamenei",
                "zhongmin",
                "mao",
                "ning",
                "çà",
                "ärnst",
            ]
            .map(String::from),
        );
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let d = dictionary(&refs);
        let mut queries = crowded_words(400, 11);
        queries.extend(
            [
                "riabkov",
                "garibabadi",
                "ghraibabadi",
                "kamenei",
                "riabk",
                "ryabkvo",
                "arnst",
            ]
            .map(String::from),
        );
        let mut found = 0;
        for query in queries.iter().filter(|q| typo_budget(q.len()) > 0) {
            let walked = d.typos_walked(query);
            assert_eq!(walked, d.typos_one_by_one(query), "{query}");
            found += walked.len();
        }
        assert!(found > 300, "{found} typos: the test needs crowded words");
    }

    #[test]
    fn exact_prefix_and_typos() {
        let d = dictionary(&["ryabkov", "gharibabadi", "khamenei", "iran", "mao", "ning"]);
        assert_eq!(best(&d, "ryabkov"), Some(("ryabkov".into(), 1.0)));
        assert_eq!(best(&d, "riabkov"), Some(("ryabkov".into(), 0.75)));
        assert_eq!(best(&d, "kamenei"), Some(("khamenei".into(), 0.75)));
        assert_eq!(best(&d, "garibabadi"), Some(("gharibabadi".into(), 0.75)));
        assert_eq!(
            best(&d, "ghraibabadi").map(|b| b.0),
            Some("gharibabadi".into())
        );
        assert_eq!(best(&d, "iranian").map(|b| b.0), Some("iran".into()));
        assert_eq!(best(&d, "ryab").map(|b| b.0), Some("ryabkov".into()));
        // Four letters or fewer carry no typo.
        assert_eq!(best(&d, "nung"), None);
        // Two edits need nine letters.
        assert_eq!(best(&d, "rjabkof"), None);
    }
}
