//! The distinct words of the corpus, and how well a query word matches each of them.
//!
//! Matching happens once per distinct word, not once per name: a query word is compared with the
//! dictionary (exact, prefix, typo), and the documents holding the matching words are found through
//! postings. A per-word letter bitmask rejects most words before the edit distance is computed.

use std::collections::HashMap;

/// One word's id in the dictionary.
pub type WordId = u32;

/// How a query word relates to a dictionary word, best first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordMatch {
    pub word: WordId,
    /// 1.0 for the same word, less for a prefix or a typo.
    pub quality: f32,
}

#[derive(Debug, Default)]
pub struct Dictionary {
    words: Vec<Box<str>>,
    masks: Vec<u64>,
    ids: HashMap<Box<str>, WordId>,
    /// Word ids in the words' text order, for prefix ranges.
    sorted: Vec<WordId>,
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

    /// Sorts the prefix table; matching before this misses prefixes.
    pub fn finish(&mut self) {
        let mut sorted: Vec<WordId> = (0..self.words.len() as WordId).collect();
        sorted.sort_by(|&a, &b| self.words[a as usize].cmp(&self.words[b as usize]));
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
        let mut found: HashMap<WordId, f32> = HashMap::new();
        let mut keep = |word: WordId, quality: f32| {
            let slot = found.entry(word).or_insert(0.0);
            if quality > *slot {
                *slot = quality;
            }
        };
        if let Some(&id) = self.ids.get(query) {
            keep(id, 1.0);
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
                keep(id, 0.6 + 0.35 * qlen as f32 / word.len() as f32);
            }
        }
        // Words the query extends by a suffix of up to four letters: "iranian" finds "iran".
        for cut in (4.max(qlen.saturating_sub(4))..qlen).rev() {
            if let Some(&id) = self.ids.get(&query[..cut]) {
                keep(id, 0.7);
                break;
            }
        }
        let budget = typo_budget(qlen);
        if budget > 0 {
            let qmask = letter_mask(query);
            for (id, word) in self.words.iter().enumerate() {
                // A word missing more of the query's letters than the budget cannot be in reach.
                if (qmask & !self.masks[id]).count_ones() as usize > budget {
                    continue;
                }
                let wlen = word.len();
                if wlen + budget < qlen {
                    continue;
                }
                let id = id as WordId;
                if wlen <= qlen + budget {
                    let distance = strsim::osa_distance(query, word);
                    if distance > 0 && distance <= budget {
                        keep(id, if distance == 1 { 0.75 } else { 0.6 });
                        continue;
                    }
                }
                // A typo in what has been typed so far: "riabk" of "ryabkov".
                if wlen > qlen && word.is_char_boundary(qlen) {
                    let distance = strsim::osa_distance(query, &word[..qlen]);
                    if distance > 0 && distance <= budget {
                        keep(id, 0.55);
                    }
                }
            }
        }
        let mut matches: Vec<WordMatch> = found
            .into_iter()
            .map(|(word, quality)| WordMatch { word, quality })
            .collect();
        matches.sort_by(|a, b| b.quality.total_cmp(&a.quality).then(a.word.cmp(&b.word)));
        matches
    }
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
