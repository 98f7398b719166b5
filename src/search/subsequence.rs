//! The subsequence score ("ghrb" in "gharibabadi"): fuzzy-matcher's SkimMatcherV2, as the index
//! has always scored it, without its per-call setup.
//!
//! `SkimMatcherV2::fuzzy_match` converts both strings to `Vec<char>`, allocates its bonus row
//! and first-match list, and finds its thread-local matrix on every call; over the names of a
//! large corpus that setup is most of the cost. [`Skim`] is the same algorithm over the folded
//! ASCII bytes the index holds, with its buffers kept between calls.
//!
//! It computes the library's matrix, down to its quirks within one call (checked by
//! `tests/search_exhaustive.rs` and the tests below against `SkimMatcherV2` itself, on every
//! name of a corpus and on random texts): the last row's maximum includes one cell left from
//! an earlier row. But where the library fills every cell, [`Skim::score`] computes only the
//! cells where the text holds the row's letter, from which every other cell follows (its
//! docs say how), and for names of up to 64 bytes finds those places with one comparison per
//! 16 bytes: 2.4 to 3.5 times faster per name than the whole matrix, on the names of the
//! bench's 1M-person corpus.
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

/// One cell of the library's matrix: the best score of the pattern so far ending with a match
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

/// What the library resets its first buffer to, which row 1 starts from and row 0 reads.
const FILLED: Cell = Cell {
    p_score: GAP_EXTENSION,
    ..RESET
};

/// One matcher, its buffers kept between calls; every call scores its text on its own.
#[derive(Debug, Default)]
pub struct Skim {
    first_matches: Vec<usize>,
    /// Per pattern row, where its matches start in `matches` (and one past the last row's).
    rows: Vec<usize>,
    /// Every row's matches, row after row: (column, `m_score` there).
    matches: Vec<(usize, i32)>,
    /// Per row, the cell left of its first column.
    starts: Vec<Cell>,
    /// Per row, for texts of at most [`SHORT`] bytes.
    short: Vec<ShortRow>,
}

/// The longest text whose letters' places fit one `u64` each ([`Skim::score_short`]).
const SHORT: usize = 64;

/// One pattern row of [`Skim::score_short`].
#[derive(Debug, Clone)]
struct ShortRow {
    /// Bit `j`: the row's letter is text byte `j`, at or after the row's first match.
    at: u64,
    /// The row's first match (text byte), so its first column's cell is column `first`.
    first: u32,
    /// The cell left of its first column, as [`Skim::score`] says.
    start: Cell,
    /// `m_score` at each match (column `j + 1`), by text byte; only read where `at` says.
    m: [i32; SHORT],
}

impl ShortRow {
    const EMPTY: ShortRow = ShortRow {
        at: 0,
        first: 0,
        start: RESET,
        m: [NEG_INFINITY; SHORT],
    };

    /// The row's cell at column `col`, right of its first column (the row complete).
    fn cell(&self, col: usize) -> Cell {
        let m_score = if self.at >> (col - 1) & 1 != 0 {
            self.m[col - 1]
        } else {
            NEG_INFINITY
        };
        // Its matches left of column `col` (text bytes before `col - 1`).
        let mut bits = self.at & ((1u64 << (col - 1)) - 1);
        let mut best = NEG_INFINITY;
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            best = best.max(self.m[i] + i as i32 + 1);
            bits &= bits - 1;
        }
        Cell {
            m_score,
            p_score: p_at(self.start, self.first as usize, best, col),
        }
    }
}

impl Skim {
    /// `SkimMatcherV2::default().ignore_case().fuzzy_match(text, pattern)` on a new matcher, for
    /// folded `text` and `pattern` (lowercase ASCII, as the index holds them: bytes compare
    /// as they are); `None` when `pattern` is not a subsequence of `text`.
    ///
    /// The library fills a matrix of a row per pattern letter and a column per text byte (plus
    /// one), in two buffers that take turns. Row `r` writes its columns from one past the first
    /// place its letter can match (`first_matches[r]`); left of that, it starts from whatever
    /// its buffer holds at that column (row `r - 2`'s cell there, or for rows 0 and 1 what the
    /// library reset it to), and the last row's maximum also reads that one cell: the quirks
    /// the module docs name. Per cell, with `(m, p)` the row before's cell one column left:
    ///
    /// - `m_score` = `max(m + consecutive, p + in-place bonus) + 16` where the text's byte is
    ///   the row's letter, else minus infinity;
    /// - `p_score` = `max(left m_score - 4, left p_score - 1)`.
    ///
    /// So `m_score` is only ever real at the row's letter, and `p_score` at column `c` is the
    /// best of every earlier real cell of its row, less 3 and 1 per column between: both are
    /// computed here only at the row's matches, a handful of a name's 20 to 40 bytes, instead
    /// of at every cell. The scores are the same: every real value is the same sum, and a real
    /// value always beats one derived from minus infinity, which is all the library's other
    /// cells hold (a real path exists: the first matches are one).
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
        if text.len() <= SHORT {
            return self.score_short(text, pattern);
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
        self.rows.clear();
        self.starts.clear();
        self.matches.clear();
        for (r, &p) in pattern.iter().enumerate() {
            // The cell left of the row's first column: what the library reset its buffer to
            // (rows 0 and 1), or the buffer's cell from row r - 2.
            let start = match r {
                0 => RESET,
                1 => FILLED,
                _ => self.cell(r - 2, self.first_matches[r]),
            };
            self.starts.push(start);
            let row = self.matches.len();
            self.rows.push(row);
            // A sweep over the row before's matches, left to right: up to `k` they lie left of
            // the current column, `best` is the most `m_score + column` among them.
            let mut k = if r == 0 { row } else { self.rows[r - 1] };
            let mut best = NEG_INFINITY;
            for (j, &c) in text.iter().enumerate().skip(self.first_matches[r]) {
                if c != p {
                    continue;
                }
                let col = j + 1;
                // The row before's cell one column left (for row 0: p_score -1 everywhere).
                let (m, left_p) = if r == 0 {
                    (FILLED.m_score, FILLED.p_score)
                } else {
                    while k < row && self.matches[k].0 < col - 1 {
                        let (at, m) = self.matches[k];
                        best = best.max(m + at as i32);
                        k += 1;
                    }
                    let m = match self.matches[k..row].first() {
                        Some(&(at, m)) if at == col - 1 => m,
                        _ => NEG_INFINITY,
                    };
                    let from = self.first_matches[r - 1];
                    (m, p_at(self.starts[r - 1], from, best, col - 1))
                };
                let bonus = in_place(text, col - 1);
                let consecutive = bonus.max(BONUS_CONSECUTIVE);
                let m_score = (m + consecutive).max(left_p + bonus) + SCORE_MATCH;
                self.matches.push((col, m_score));
            }
        }
        // The last row's best cell, the one left of its first column included.
        let last = pattern.len() - 1;
        let best = self.matches[self.rows[last]..]
            .iter()
            .map(|&(_, m)| m)
            .fold(self.starts[last].m_score, i32::max);
        Some(i64::from(best))
    }

    /// [`Skim::score`] for a text of at most [`SHORT`] bytes (almost every name): where a
    /// pattern letter is in the text is one word of bits, so finding the first matches and
    /// visiting a row's matches take a few instructions per match, not a test per byte.
    /// The same cells as the general path, indexed by text byte (column `j + 1`).
    fn score_short(&mut self, text: &[u8], pattern: &[u8]) -> Option<i64> {
        let n = pattern.len();
        if self.short.len() < n {
            self.short.resize(n, ShortRow::EMPTY);
        }
        let rows = &mut self.short[..n];
        let mut padded = [0u8; SHORT];
        padded[..text.len()].copy_from_slice(text);
        let within = u64::MAX
            .checked_shr((SHORT - text.len()) as u32)
            .unwrap_or(0);
        // Each row's matches, from its first (the first place its letter can match after the
        // row before's first: cheap_matches).
        let mut from = 0;
        for (row, &p) in rows.iter_mut().zip(pattern) {
            let at = places(&padded, text.len(), p) & within;
            let later = at & u64::MAX.checked_shl(from).unwrap_or(0);
            if later == 0 {
                return None;
            }
            row.first = later.trailing_zeros();
            row.at = later;
            from = row.first + 1;
        }
        for r in 0..n {
            let start = match r {
                0 => RESET,
                1 => FILLED,
                // Column `first` is text byte `first - 1`.
                _ => rows[r - 2].cell(rows[r].first as usize),
            };
            let (done, rest) = rows.split_at_mut(r);
            let row = &mut rest[0];
            row.start = start;
            let before = done.last();
            // The row before's matches left of the current column, as in the general path.
            let mut pending = before.map_or(0, |b| b.at);
            let mut best = NEG_INFINITY;
            let mut bits = row.at;
            while bits != 0 {
                let j = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                // The row before's cell at column `j` (text byte `j - 1`; for row 0, the
                // reset row: p_score -1 everywhere).
                let (m, left_p) = match before {
                    None => (FILLED.m_score, FILLED.p_score),
                    Some(before) => {
                        while pending != 0 && (pending.trailing_zeros() as usize) + 1 < j {
                            let i = pending.trailing_zeros() as usize;
                            best = best.max(before.m[i] + i as i32 + 1);
                            pending &= pending - 1;
                        }
                        let m = if before.at >> (j - 1) & 1 != 0 {
                            before.m[j - 1]
                        } else {
                            NEG_INFINITY
                        };
                        (m, p_at(before.start, before.first as usize, best, j))
                    }
                };
                let bonus = in_place(text, j);
                let consecutive = bonus.max(BONUS_CONSECUTIVE);
                row.m[j] = (m + consecutive).max(left_p + bonus) + SCORE_MATCH;
            }
        }
        let last = &rows[n - 1];
        let mut best = last.start.m_score;
        let mut bits = last.at;
        while bits != 0 {
            best = best.max(last.m[bits.trailing_zeros() as usize]);
            bits &= bits - 1;
        }
        Some(i64::from(best))
    }

    /// Row `r`'s cell at column `col`, right of its first column (the row complete).
    fn cell(&self, r: usize, col: usize) -> Cell {
        let end = self.rows.get(r + 1).copied().unwrap_or(self.matches.len());
        let mut best = NEG_INFINITY;
        let mut m_score = NEG_INFINITY;
        for &(at, m) in &self.matches[self.rows[r]..end] {
            if at >= col {
                if at == col {
                    m_score = m;
                }
                break;
            }
            best = best.max(m + at as i32);
        }
        Cell {
            m_score,
            p_score: p_at(self.starts[r], self.first_matches[r], best, col),
        }
    }
}

/// Bit `j` set where `padded[j]` is `letter`, for the first `len` bytes (and perhaps a few
/// after them: the caller masks them off).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn places(padded: &[u8; SHORT], len: usize, letter: u8) -> u64 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let mut at = 0;
    // SAFETY: this build has SSE2 (the `cfg` above), all these instructions need; the load
    // reads `chunk`, 16 bytes of `padded`, unaligned.
    unsafe {
        let needle = _mm_set1_epi8(letter as i8);
        for (k, chunk) in padded.chunks_exact(16).take(len.div_ceil(16)).enumerate() {
            let bytes = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            let equal = _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, needle)) as u16;
            at |= u64::from(equal) << (16 * k);
        }
    }
    at
}

/// Bit `j` set where `padded[j]` is `letter`, for the first `len` bytes.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
fn places(padded: &[u8; SHORT], len: usize, letter: u8) -> u64 {
    padded[..len]
        .iter()
        .enumerate()
        .fold(0, |at, (j, &c)| at | u64::from(c == letter) << j)
}

/// The in-place bonus of text byte `j` (column `j + 1`), doubled for the text's first byte.
fn in_place(text: &[u8], j: usize) -> i32 {
    let previous = j.checked_sub(1).map_or(0, |i| text[i]);
    let bonus = in_place_bonus(char_type(previous), char_type(text[j]));
    if j == 0 {
        bonus * BONUS_FIRST_CHAR_MULTIPLIER
    } else {
        bonus
    }
}

/// A row's `p_score` at column `col`, right of its first column `from` (where it starts from
/// `start`): the best of its earlier cells, less 3 after a match and 1 per column between
/// (`best`: the most `m_score + column` over its matches left of `col`).
fn p_at(start: Cell, from: usize, best: i32, col: usize) -> i32 {
    let gap = (col - from) as i32;
    let from_start = (start.p_score - gap).max(start.m_score + GAP_START - gap);
    from_start.max(best + GAP_START - col as i32)
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
    #[inline]
    pub fn most(
        &self,
        initial: impl Fn(u8) -> bool,
        pairs: u64,
        skips: u64,
        follows: Option<u32>,
    ) -> i64 {
        self.most_knowing(initial, pairs, |_| None, skips, follows)
    }

    /// [`Bounds::most`], where `side_by_side(k)` may say for certain whether the letters of
    /// step `k` (the pattern's letters `k` and `k + 1`) are side by side or across a space
    /// somewhere in the text (see `SearchIndex::adjacent`), in place of the text's `pairs`.
    #[inline]
    pub fn most_knowing(
        &self,
        initial: impl Fn(u8) -> bool,
        pairs: u64,
        side_by_side: impl Fn(usize) -> Option<bool>,
        skips: u64,
        follows: Option<u32>,
    ) -> i64 {
        let Some((first, start)) = self.first else {
            return 0;
        };
        let step = |k: usize| {
            let (letter, bit) = self.steps[k];
            Step {
                adjacent: side_by_side(k).unwrap_or(pairs & bit != 0),
                initial: initial(letter),
                one_apart: skips & bit != 0,
            }
        };
        let second = self.steps.first().map(|pair| (pair.0, step(0)));
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
        for k in 1..self.steps.len() {
            most += later(step(k));
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
/// same gap (12 for a gap of one, at most 11 for a longer one). Read from a table: every name
/// of a list is bounded letter by letter, and branches on these three were a coin toss each.
#[inline]
fn later(step: Step) -> i32 {
    let at = usize::from(step.adjacent)
        | usize::from(step.initial) << 1
        | usize::from(step.one_apart) << 2;
    LATER[at]
}

/// [`later_of`] for each [`Step`], indexed by `adjacent | initial << 1 | one_apart << 2`.
const LATER: [i32; 8] = {
    let mut table = [0; 8];
    let mut at = 0;
    while at < 8 {
        table[at] = later_of(Step {
            adjacent: at & 1 != 0,
            initial: at & 2 != 0,
            one_apart: at & 4 != 0,
        });
        at += 1;
    }
    table
};

/// [`later`], worked out.
const fn later_of(step: Step) -> i32 {
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
#[inline]
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
/// its [`skip_mask`]. What else [`Bounds`] needs rides beside the id, so that every name of
/// the list is bounded reading the list in sequence, without touching the name's text or the
/// per-document masks (24 bytes an entry, where the id and the mask alone took 16). Which
/// letters are side by side is not here: the list's pass reads it exactly, from bits per pair
/// of letters (`SearchIndex::side_by_side`), where a [`pair_mask`] would say yes for a third
/// of the pairs a name does not hold.
#[derive(Debug, Clone, Copy)]
pub struct Initial {
    pub doc: u32,
    pub follows: u32,
    pub mask: u64,
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

/// fuzzy-matcher's in-place bonus of a byte after a byte of type `previous`, read from a
/// table: the scorers ask it at every match, where a `match` on the two types was a jump that
/// the processor mostly failed to predict.
fn in_place_bonus(previous: CharType, current: CharType) -> i32 {
    IN_PLACE[previous as usize][current as usize]
}

/// [`in_place_bonus_of`] for every pair of types.
const IN_PLACE: [[i32; 6]; 6] = {
    const TYPES: [CharType; 6] = [
        CharType::Empty,
        CharType::Upper,
        CharType::Lower,
        CharType::Number,
        CharType::HardSep,
        CharType::SoftSep,
    ];
    let mut table = [[0; 6]; 6];
    let mut a = 0;
    while a < 6 {
        let mut b = 0;
        while b < 6 {
            table[TYPES[a] as usize][TYPES[b] as usize] = in_place_bonus_of(TYPES[a], TYPES[b]);
            b += 1;
        }
        a += 1;
    }
    table
};

/// fuzzy-matcher's `skim::fuzzy_score` in-place bonus.
const fn in_place_bonus_of(previous: CharType, current: CharType) -> i32 {
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

    /// Our score of `pattern` in `text` is a new library matcher's.
    /// Whether letters `a` and `b` are side by side in `text` or across a space, as
    /// `SearchIndex::side_by_side` says of a name; `None` unless both are letters a-z.
    fn side_by_side(text: &[u8], a: u8, b: u8) -> Option<bool> {
        if !(a.is_ascii_lowercase() && b.is_ascii_lowercase()) {
            return None;
        }
        let next = text.windows(2).any(|w| w == [a, b]);
        Some(next || text.windows(3).any(|w| w == [a, b' ', b]))
    }

    fn agrees_with_the_library(
        text: &str,
        pattern: &str,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let expected = SkimMatcherV2::default()
            .ignore_case()
            .fuzzy_match(text, pattern);
        let ours = Skim::default().score(text.as_bytes(), pattern.as_bytes());
        proptest::prop_assert_eq!(ours, expected, "{:?} in {:?}", pattern, text);
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(4000))]
        /// Short texts over a few letters, a digit and separators of every kind, so that
        /// letters repeat, rows start left of each other's matches and every bonus occurs:
        /// the cases where the matches-only evaluation could drift from the library's matrix.
        #[test]
        fn same_scores_as_the_library_on_any_text(
            text in "[abc1 /.-]{0,24}",
            pattern in "[abc1 ]{1,6}",
        ) {
            agrees_with_the_library(&text, &pattern)?;
        }

        /// Folded names (words of a few letters and a digit, single spaces): no score is
        /// above its bound, from the masks alone or from the list of the first letter.
        #[test]
        fn no_score_is_above_its_bound(
            words in proptest::collection::vec("[abcdm1]{1,7}", 1..5),
            pattern in "[abcdm][abcdm1]{0,5}",
        ) {
            let text = words.join(" ");
            let (t, p) = (text.as_bytes(), pattern.as_bytes());
            let initial = |letter: u8| {
                !letter.is_ascii_lowercase() || words.iter().any(|w| w.as_bytes()[0] == letter)
            };
            let bounds = Bounds::new(p);
            if let Some(score) = Skim::default().score(t, p) {
                let most = bounds.most(initial, pair_mask(t), skip_mask(t), None);
                proptest::prop_assert!(score <= most, "{} > {} for {:?} in {:?}", score, most, pattern, text);
                if initial(p[0]) {
                    let follows = follows(t, p[0]);
                    let listed = bounds.most(initial, pair_mask(t), skip_mask(t), Some(follows));
                    proptest::prop_assert!(score <= listed, "{} > {} listed, for {:?} in {:?}", score, listed, pattern, text);
                    // As the list's pass bounds it: side by side known exactly, for letters.
                    let known = |k: usize| side_by_side(t, p[k], p[k + 1]);
                    let exact = bounds.most_knowing(initial, u64::MAX, known, skip_mask(t), Some(follows));
                    proptest::prop_assert!(score <= exact, "{} > {} known, for {:?} in {:?}", score, exact, pattern, text);
                }
            }
        }

        /// Texts on both sides of the longest one scored from bit masks (64 bytes).
        #[test]
        fn same_scores_as_the_library_on_long_texts(
            text in "[abc1 /.-]{56,80}",
            pattern in "[abc1 ]{1,12}",
        ) {
            agrees_with_the_library(&text, &pattern)?;
        }
    }

    #[test]
    fn scores_are_independent_and_bounded() {
        let names = names();
        let mut bounded = 0;
        let mut listed = 0;
        let mut repeated = 0;
        let mut tighter = 0;
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
                    // And as the list's pass reads it, side by side known exactly.
                    let known = |k: usize| side_by_side(text, p[k], p[k + 1]);
                    let sure = bounds.most_knowing(
                        initial,
                        u64::MAX,
                        known,
                        skip_mask(text),
                        Some(follows),
                    );
                    assert!(score <= sure, "{pattern:?} in {name:?}: {score} > {sure}");
                    tighter += usize::from(sure < exact);
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
        // Exact side by side makes a bound tighter for some names (the test would hold for a
        // `most_knowing` that ignored what it is told).
        assert!(
            tighter > 100,
            "only {tighter} bounds tighter for knowing side by side"
        );
        // Eight entries in three cache lines.
        assert_eq!(std::mem::size_of::<Initial>(), 24);
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
