//! The subsequence score ("ghrb" in "gharibabadi"): fuzzy-matcher's SkimMatcherV2, as the index
//! has always scored it, without its per-call setup.
//!
//! `SkimMatcherV2::fuzzy_match` converts both strings to `Vec<char>`, allocates its bonus row
//! and first-match list, and finds its thread-local matrix on every call; over the names of a
//! large corpus that setup is most of the cost. [`Skim`] is the same algorithm over the folded
//! ASCII bytes the index holds, with its buffers kept between calls.
//!
//! It is a transliteration, not a redesign, down to the library's quirks within one call
//! (checked by `tests/search_exhaustive.rs` and the tests below against `SkimMatcherV2` itself
//! on every name of a corpus): the last row's maximum includes one cell left from an earlier row.
//!
//! Each name is scored on its own, as a new library matcher scores it. A matcher kept between
//! calls reuses two matrix rows between calls without clearing
//! them, and a cell's `bonus` is sometimes read before the current call wrote it, so for a
//! pattern with a letter twice (the "n"s of "nhyn") a name's score could depend on which names
//! were scored before it. A score that depends on the order of the corpus cannot be bounded
//! name by name; one that depends on the name alone can, which is what lets the index set most
//! names aside unread ([`Bounds`]). [`Skim`] therefore starts every call from fresh
//! cells, and the exhaustive reference makes a new matcher per name. (The library's own switch
//! for this, `use_cache(false)`, panics in 0.3.7: "RefCell already borrowed".)

/// fuzzy-matcher 0.3.7 `SkimScoreConfig::default()`.
const SCORE_MATCH: i32 = 16;
const GAP_START: i32 = -3;
const GAP_EXTENSION: i32 = -1;
const BONUS_FIRST_CHAR_MULTIPLIER: i32 = 2;
const BONUS_HEAD: i32 = SCORE_MATCH / 2;
const BONUS_BREAK: i32 = SCORE_MATCH / 2 + GAP_EXTENSION;
const BONUS_CAMEL: i32 = SCORE_MATCH / 2 + 2 * GAP_EXTENSION;
const BONUS_CONSECUTIVE: i32 = -(GAP_START + GAP_EXTENSION);
const NEG_INFINITY: i32 = i16::MIN as i32;

/// One cell of the two matrix rows: the best score of the pattern so far ending with a match
/// here (`m_score`) and ending anywhere up to here (`p_score`).
#[derive(Debug, Clone, Copy)]
struct Cell {
    m_score: i32,
    p_score: i32,
}

const RESET: Cell = Cell {
    m_score: NEG_INFINITY,
    p_score: NEG_INFINITY,
};

/// One matcher, its buffers kept between calls; every call scores its text on its own.
#[derive(Debug, Default)]
pub struct Skim {
    /// Two rows of `text.len() + 1` cells. Every cell a call reads it has written (or reset)
    /// first, so nothing carries over between calls.
    cells: Vec<Cell>,
    bonuses: Vec<i32>,
    first_matches: Vec<usize>,
}

impl Skim {
    /// `SkimMatcherV2::default().ignore_case().fuzzy_match(text, pattern)` on a new matcher, for
    /// folded `text` and `pattern` (lowercase ASCII, as the index holds them: bytes compare
    /// as they are); `None` when `pattern` is not a subsequence of `text`.
    ///
    /// The library also keeps a `bonus` per cell for runs of consecutive matches. In a new
    /// matcher that field never changes a score: a cell's bonus is only ever set to
    /// `max(its old value, the in-place bonus of the next column, 4)` or to 0, and only read
    /// when matching that next column, where it is compared with that same in-place bonus and 4.
    /// So the consecutive bonus is `max(in-place bonus, 4)`, computed here without the field.
    /// (In a matcher kept between calls, the field holds values left from other texts: the
    /// order dependence the module docs describe.)
    pub fn score(&mut self, text: &[u8], pattern: &[u8]) -> Option<i64> {
        if pattern.is_empty() {
            return Some(0);
        }
        // cheap_matches: the first place each pattern byte can match, in order.
        self.first_matches.clear();
        let mut next = 0;
        for (at, &c) in text.iter().enumerate() {
            let Some(&p) = pattern.get(next) else { break };
            if c == p {
                self.first_matches.push(at);
                next += 1;
            }
        }
        if next < pattern.len() {
            return None;
        }
        let cols = text.len() + 1;
        if self.cells.len() < 2 * cols {
            self.cells.resize(2 * cols, RESET);
        }
        let (row0, row1) = self.cells.split_at_mut(cols);
        let row1 = &mut row1[..cols];

        self.bonuses.clear();
        self.bonuses.resize(cols, 0);
        let mut previous = 0u8;
        for (j, &c) in text.iter().enumerate() {
            self.bonuses[j + 1] = in_place_bonus(char_type(previous), char_type(c));
            previous = c;
        }
        if cols > 1 {
            self.bonuses[1] *= BONUS_FIRST_CHAR_MULTIPLIER;
        }

        row1[self.first_matches[0]] = RESET;
        row0.fill(Cell {
            p_score: GAP_EXTENSION,
            ..RESET
        });
        for (i, &p) in pattern.iter().enumerate() {
            // Pattern row i is written to row (i + 1) % 2 and reads row i % 2.
            let (row, row_prev) = if i & 1 == 0 {
                (&mut *row1, &*row0)
            } else {
                (&mut *row0, &*row1)
            };
            let skip = self.first_matches[i];
            // The cell left of the first one written: from this row's last use (the quirk
            // the module docs name), or as reset above.
            let mut last = row[skip];
            for (j, &c) in text[skip..].iter().enumerate() {
                let col = skip + j + 1;
                let prev = row_prev[col - 1];
                let m_score = if c == p {
                    // Folded: equal bytes, no case to mismatch (the library's penalty is 0).
                    let match_score = SCORE_MATCH;
                    let in_place = self.bonuses[col];
                    let consecutive = in_place.max(BONUS_CONSECUTIVE);
                    let by_match = prev.m_score + consecutive;
                    let by_skip = prev.p_score + in_place;
                    by_match.max(by_skip) + match_score
                } else {
                    NEG_INFINITY
                };
                let by_match = GAP_START + GAP_EXTENSION + last.m_score;
                let by_skip = GAP_EXTENSION + last.p_score;
                let cell = Cell {
                    m_score,
                    p_score: by_match.max(by_skip),
                };
                row[col] = cell;
                last = cell;
            }
        }
        let last_row = if pattern.len() & 1 == 0 {
            &*row0
        } else {
            &*row1
        };
        let from = self.first_matches[pattern.len() - 1];
        let best = last_row[from..cols].iter().map(|cell| cell.m_score).max()?;
        Some(i64::from(best))
    }
}

/// The pattern's first letter, when it is a lowercase letter: then the names where it starts a
/// word are in that letter's list ([`Initial`]), and every name's score is bounded by
/// [`ceiling`] and [`Bounds`].
pub fn listed_first_letter(pattern: &[u8]) -> Option<u8> {
    pattern.first().copied().filter(u8::is_ascii_lowercase)
}

/// The most a folded text (lowercase letters, digits, single spaces) can score for a pattern
/// of `len` letters whose first letter is listed (see [`listed_first_letter`]): the first
/// letter earns 15 plus its place bonus, at most 16 at the text's start, 8 where a word starts
/// and 0 inside a word; every later letter at most 20 (16, plus 4 for following the previous
/// match, or plus 8 at a word start less at least 4 for the gap). Paths through cells left from
/// earlier rows match fewer letters and score less. `word_start`: whether the first letter
/// starts a word of the text.
pub fn ceiling(len: usize, word_start: bool) -> i64 {
    let place = if word_start {
        BONUS_HEAD * BONUS_FIRST_CHAR_MULTIPLIER
    } else {
        0
    };
    let first = SCORE_MATCH + GAP_EXTENSION + place;
    let later = SCORE_MATCH + BONUS_CONSECUTIVE;
    i64::from(first) + i64::from(later) * len.saturating_sub(1) as i64
}

/// The least a later letter loses, against following the previous one directly (20), when it
/// neither does nor starts a word of the text ([`later`]: at most 12). A name whose bound
/// ([`Bounds`]) is that much below the most a pattern can score has such a letter.
pub const LOOSE_STEP: i64 = (BONUS_CONSECUTIVE - GAP_START - GAP_EXTENSION) as i64;

/// The bit of the adjacent pair `(a, b)` in a [`pair_mask`].
pub fn pair_bit(a: u8, b: u8) -> u64 {
    let hash = (u64::from(a) << 8 | u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    1 << (hash >> 58)
}

/// Every adjacent pair of a folded text, and (0, its first byte).
pub fn pair_mask(text: &[u8]) -> u64 {
    let start = text.first().map_or(0, |&first| pair_bit(0, first));
    text.windows(2)
        .fold(start, |mask, pair| mask | pair_bit(pair[0], pair[1]))
}

/// Every pair of a folded text's bytes with one byte between them (`text[i]`, `text[i + 2]`),
/// hashed as [`pair_bit`]: where a subsequence can match two letters across a gap of one.
pub fn skip_mask(text: &[u8]) -> u64 {
    text.windows(3)
        .fold(0, |mask, three| mask | pair_bit(three[0], three[2]))
}

/// The most a folded text can score for a pattern (whose first letter is listed, see
/// [`listed_first_letter`]), from what the index knows of the text: which letters start its
/// words, its [`pair_mask`] and its [`skip_mask`], and, when the name comes from the list of
/// its first letter, that letter's [`follows`]. As in [`ceiling`], letter by letter: the first
/// earns 15 plus 16 at the text's start, 8 at another word start, 0 inside a word; a later
/// letter what [`later`] says of the way it can follow the previous one. The first two letters
/// are bounded together (see [`opening`]). The pattern's pair bits are hashed once, in
/// [`Bounds::new`], not once per name.
#[derive(Debug, Clone)]
pub struct Bounds {
    /// The first letter and the bit of (0, it): the pattern at the text's start.
    first: Option<(u8, u64)>,
    /// Per later letter: it, and the bit of (previous letter, it).
    steps: Vec<(u8, u64)>,
}

impl Bounds {
    pub fn new(pattern: &[u8]) -> Bounds {
        Bounds {
            first: pattern.first().map(|&first| (first, pair_bit(0, first))),
            steps: pattern
                .windows(2)
                .map(|pair| (pair[1], pair_bit(pair[0], pair[1])))
                .collect(),
        }
    }

    /// The bound for one text: `initial` says whether a letter starts one of its words.
    pub fn most(
        &self,
        initial: impl Fn(u8) -> bool,
        pairs: u64,
        skips: u64,
        follows: Option<u32>,
    ) -> i64 {
        let Some((first, start)) = self.first else {
            return 0;
        };
        let step = |&(letter, bit): &(u8, u64)| Step {
            adjacent: pairs & bit != 0,
            initial: initial(letter),
            one_apart: skips & bit != 0,
        };
        let second = self.steps.first().map(|pair| (pair.0, step(pair)));
        let mut most = match follows {
            Some(follows) => opening(follows, second),
            // Not from a list: the text's start and its word starts as the masks say.
            None => {
                let place = if pairs & start != 0 {
                    BONUS_HEAD * BONUS_FIRST_CHAR_MULTIPLIER
                } else if initial(first) {
                    BONUS_HEAD
                } else {
                    0
                };
                SCORE_MATCH + GAP_EXTENSION + place + second.map_or(0, |(_, step)| later(step))
            }
        };
        for pair in self.steps.iter().skip(1) {
            most += later(step(pair));
        }
        i64::from(most)
    }
}

/// What the masks say of how a pattern letter `b` can follow the previous one, `a`: right after
/// it (their pair is in the text), at a word start (`b` starts a word of the text), or with
/// exactly one letter between them (`a`, then any letter or the space, then `b`).
#[derive(Debug, Clone, Copy)]
struct Step {
    adjacent: bool,
    initial: bool,
    one_apart: bool,
}

/// What a later letter earns at most, over what the previous one earned, from its [`Step`]:
/// 20 right after it (16, plus 4 for following); at a word start 16 + 8, less 4 for a gap of
/// one (the space: 20) and 1 more for each further letter skipped (19); inside a word 16 less the
/// same gap (12 for a gap of one, at most 11 for a longer one).
fn later(step: Step) -> i32 {
    let one = SCORE_MATCH + GAP_START + GAP_EXTENSION;
    if step.adjacent {
        SCORE_MATCH + BONUS_CONSECUTIVE
    } else if step.initial {
        one + BONUS_HEAD + if step.one_apart { 0 } else { GAP_EXTENSION }
    } else if step.one_apart {
        one
    } else {
        one + GAP_EXTENSION
    }
}

/// The most the first letter and the second can earn together, in a name where the first
/// letter starts a word (`follows`, see [`follows`]). Either the first letter is matched where
/// it starts a word (15 + 16 at the text's start or + 8 elsewhere), and the second is right
/// after it only if it is in `follows`; or inside a word (15), where the second can follow it as
/// `step` (read from the whole text) says.
fn opening(follows: u32, second: Option<(u8, Step)>) -> i32 {
    let place = if follows & STARTS != 0 {
        BONUS_HEAD * BONUS_FIRST_CHAR_MULTIPLIER
    } else {
        BONUS_HEAD
    };
    let at_start = SCORE_MATCH + GAP_EXTENSION + place;
    let Some((second, step)) = second else {
        return at_start;
    };
    let after_start = later(Step {
        adjacent: follows_directly(follows, second),
        ..step
    });
    let inside = SCORE_MATCH + GAP_EXTENSION + later(step);
    (at_start + after_start).max(inside)
}

/// One entry of a per-letter list of the names where that letter starts a word: the name's
/// document, its letter mask, what the list's letter is followed by in it ([`follows`]), and
/// its [`pair_mask`] and [`skip_mask`]. Everything [`Bounds`] needs rides beside the id,
/// so that every name of the list is bounded reading the list in sequence, without touching
/// the name's text or the per-document masks (32 bytes an entry, where the id and the mask
/// alone took 16: at 100k people, about 16 MB more for lists of about a million entries).
#[derive(Debug, Clone, Copy)]
pub struct Initial {
    pub doc: u32,
    pub follows: u32,
    pub mask: u64,
    pub pairs: u64,
    pub skips: u64,
}

/// The bit of [`follows`] saying the text starts with its letter.
const STARTS: u32 = 1 << 26;

/// The letters a-z that come right after `letter` where it starts a word of a folded `text`
/// (bit 0 for `a`), and [`STARTS`] when the text starts with `letter`: where a subsequence whose
/// first letter is `letter` can earn a word-start bonus, and which second letters can follow it
/// directly there.
pub fn follows(text: &[u8], letter: u8) -> u32 {
    let start = if text.first() == Some(&letter) {
        STARTS
    } else {
        0
    };
    text.split(|&b| b == b' ')
        .filter_map(|word| match word {
            [first, second, ..] if *first == letter && second.is_ascii_lowercase() => Some(*second),
            _ => None,
        })
        .fold(start, |bits, second| bits | 1 << (second - b'a'))
}

/// Whether `follows` (see [`follows`]) says the pattern's second letter `second` can come right
/// after the first; `true` for anything that is not a lowercase letter (no bit for it).
fn follows_directly(follows: u32, second: u8) -> bool {
    !second.is_ascii_lowercase() || follows & 1 << (second - b'a') != 0
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CharType {
    Empty,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

fn char_type(c: u8) -> CharType {
    CHAR_TYPES[c as usize]
}

/// [`char_type_of`] for every byte.
const CHAR_TYPES: [CharType; 256] = {
    let mut types = [CharType::Lower; 256];
    let mut c = 0;
    while c < 256 {
        types[c] = char_type_of(c as u8);
        c += 1;
    }
    types
};

/// fuzzy-matcher's `CharType::of`, for one byte.
const fn char_type_of(c: u8) -> CharType {
    match c {
        0 => CharType::Empty,
        b' ' | b'/' | b'\\' | b'|' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => CharType::HardSep,
        b'!'..=b'\'' | b'*'..=b'.' | b':'..=b'@' | b'^'..=b'`' | b'~' => CharType::SoftSep,
        b'0'..=b'9' => CharType::Number,
        b'A'..=b'Z' => CharType::Upper,
        _ => CharType::Lower,
    }
}

fn in_place_bonus(previous: CharType, current: CharType) -> i32 {
    match (previous, current) {
        (CharType::Empty, _) | (CharType::HardSep, _) => BONUS_HEAD,
        (CharType::SoftSep, _) => BONUS_BREAK,
        (CharType::Lower, CharType::Upper) | (CharType::Number, CharType::Upper) => BONUS_CAMEL,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gen_corpus::{Shape, generate};
    use crate::normalize::fold;
    use fuzzy_matcher::FuzzyMatcher;
    use fuzzy_matcher::skim::SkimMatcherV2;

    /// Patterns of every shape: first letter alone or back later, letters repeated in a row,
    /// digits, one letter, patterns longer than most names.
    const PATTERNS: &[&str] = &[
        "ghrb", "rbkv", "zhx", "mhmd", "lvrv", "jhnsn", "aab", "aa", "ma", "abab", "x", "lvlv",
        "mhmm", "zz", "a1", "snsn", "rvrv", "abdlh", "qtr", "hsnrhn", "alalal", "wng", "gbrg",
        "zhangwei", "nhyn", "gsvn", "tmm", "hssn", "chn", "nkl", "aaaa", "nn", "ala", "ibnb",
        "mmmmd", "abnsr", "yb", "vv",
    ];

    fn names() -> Vec<String> {
        let mut names: Vec<String> = [
            "gharibabadi",
            "kazem gharibabadi",
            "aab abab a b",
            "a1 b2",
            "x",
            "",
        ]
        .map(String::from)
        .to_vec();
        for article in generate(&Shape::people(3000), 11) {
            for participant in article.participants {
                names.push(fold(&participant.name));
                names.extend(participant.aliases.iter().map(|a| fold(a)));
            }
        }
        names
    }

    #[test]
    fn same_scores_as_the_library_without_its_cache() {
        let names = names();
        let mut compared = 0;
        for pattern in PATTERNS {
            // Ours kept for the whole pattern, as the index uses it; a new library matcher
            // for every name.
            let library = || SkimMatcherV2::default().ignore_case();
            let mut ours = Skim::default();
            let p = pattern.as_bytes();
            assert_eq!(ours.score(p, p), library().fuzzy_match(pattern, pattern));
            for name in &names {
                let expected = library().fuzzy_match(name, pattern);
                assert_eq!(
                    ours.score(name.as_bytes(), p),
                    expected,
                    "{pattern:?} in {name:?}"
                );
                compared += usize::from(expected.is_some());
            }
        }
        assert!(compared > 1000, "only {compared} matches compared");
    }

    #[test]
    fn scores_are_independent_and_bounded() {
        let names = names();
        let mut bounded = 0;
        let mut listed = 0;
        let mut repeated = 0;
        for pattern in PATTERNS {
            let p = pattern.as_bytes();
            if listed_first_letter(p).is_none() {
                continue;
            }
            // Warm: after every other name. Fresh: a matcher that has seen nothing.
            let mut warm = Skim::default();
            for name in names.iter().rev() {
                warm.score(name.as_bytes(), p);
            }
            for name in &names {
                let text = name.as_bytes();
                let fresh = Skim::default().score(text, p);
                assert_eq!(warm.score(text, p), fresh, "{pattern:?} in {name:?}");
                let Some(score) = fresh else { continue };
                let initial = |letter: u8| {
                    name.split(' ')
                        .any(|w| w.as_bytes().first() == Some(&letter))
                };
                let bounds = Bounds::new(p);
                let most = bounds.most(initial, pair_mask(text), skip_mask(text), None);
                assert!(score <= most, "{pattern:?} in {name:?}: {score} > {most}");
                assert!(most <= ceiling(p.len(), true));
                if initial(p[0]) {
                    // In the list of the first letter: the bound from its list entry, which
                    // knows where the first letter starts a word, is no looser.
                    let follows = follows(text, p[0]);
                    let exact =
                        bounds.most(initial, pair_mask(text), skip_mask(text), Some(follows));
                    assert!(score <= exact, "{pattern:?} in {name:?}: {score} > {exact}");
                    assert!(exact <= most, "{pattern:?} in {name:?}: {exact} > {most}");
                    listed += 1;
                }
                bounded += 1;
                repeated += usize::from(p[1..].contains(&p[0]));
            }
        }
        assert!(bounded > 1000, "only {bounded} scores bounded");
        assert!(
            listed > 500,
            "only {listed} scores bounded from a list entry"
        );
        // Half a cache line an entry.
        assert_eq!(std::mem::size_of::<Initial>(), 32);
        assert_eq!(
            follows(b"ghrb gah agb", b'g'),
            STARTS | 1 << (b'h' - b'a') | 1
        );
        assert!(
            repeated > 100,
            "only {repeated} scores of patterns whose first letter comes back"
        );
        assert_eq!(listed_first_letter(b"ghrb"), Some(b'g'));
        assert_eq!(listed_first_letter(b"abab"), Some(b'a'));
        assert_eq!(listed_first_letter(b"1ab"), None);
        assert_eq!(ceiling(4, true), 91);
    }
}
