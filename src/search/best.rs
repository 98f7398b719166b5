//! Each target's best score so far, and the current answer: the best `limit` of them.
//!
//! The search stops visiting documents once nothing left can change the answer, so it asks
//! "what is the `limit`-th best (score, target) now?" after almost every document. Keeping the
//! answer up to date as scores arrive makes that a look at one entry instead of a pass over every
//! target scored so far.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::{Hit, Target};

/// A multiplicative hasher for small integer keys (word ids, targets): the keys are not chosen
/// by an attacker (they are positions in the corpus), and SipHash costs more than the scoring
/// it guards.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// Per-target best scores, with the best `limit` of them kept in answer order.
#[derive(Debug)]
pub struct Best {
    scores: IdMap<Target, f32>,
    /// At most `limit` entries, in [`order`]: exactly the first `limit` of `scores` in that order.
    top: Vec<Hit>,
    limit: usize,
}

impl Best {
    pub fn new(limit: usize) -> Best {
        Best {
            scores: IdMap::default(),
            top: Vec::with_capacity(limit + 1),
            limit,
        }
    }

    /// Raises `target`'s best score to `score`.
    pub fn keep(&mut self, target: Target, score: f32) {
        let slot = self.scores.entry(target).or_insert(0.0);
        if score <= *slot {
            return;
        }
        *slot = score;
        let hit = Hit { target, score };
        if self.top.len() == self.limit
            && self
                .top
                .last()
                .is_some_and(|last| order(&hit, last) == Ordering::Greater)
        {
            // Ranks after the answer now, so it was not in it before either.
            return;
        }
        if let Some(at) = self.top.iter().position(|h| h.target == target) {
            self.top[at].score = score;
        } else if self.top.len() < self.limit {
            self.top.push(hit);
        } else if self
            .top
            .last()
            .is_some_and(|last| order(&hit, last) == Ordering::Less)
        {
            // A target that leaves the answer can come back only by scoring higher, which
            // passes through here again.
            self.top.pop();
            self.top.push(hit);
        } else {
            return;
        }
        self.top.sort_by(order);
    }

    /// How many targets the answer holds when full.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The current answer's last entry, once there are `limit` targets.
    pub fn last(&self) -> Option<Hit> {
        if self.top.len() < self.limit {
            return None;
        }
        self.top.last().copied()
    }

    /// How many of the answer's targets score strictly above `bound` (at most `limit`).
    pub fn above(&self, bound: f32) -> usize {
        self.top.iter().filter(|h| h.score > bound).count()
    }

    /// The best score of any target, 0 when none scored.
    pub fn highest(&self) -> f32 {
        self.top.first().map_or(0.0, |h| h.score)
    }

    /// Whether no document with at most `bound` score, of a target at or after `from`, can
    /// change the answer: the answer is full and its last entry ranks before any such hit.
    pub fn settled(&self, bound: f32, from: Target) -> bool {
        self.last()
            .is_some_and(|last| last.score > bound || (last.score == bound && last.target <= from))
    }

    /// The answer: the best `limit` targets at or above `min`, best first.
    pub fn into_hits(self, min: f32) -> Vec<Hit> {
        self.top.into_iter().filter(|h| h.score >= min).collect()
    }
}

/// Answer order: higher score first, then the corpus order of targets.
pub fn order(a: &Hit, b: &Hit) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| a.target.cmp(&b.target))
}
