//! The current answer: the best `limit` targets by their best score so far.
//!
//! The search stops visiting documents once nothing left can change the answer, so it asks
//! "what is the `limit`-th best (score, target) now?" after almost every document. Keeping the
//! answer up to date as scores arrive makes that a look at one entry instead of a pass over every
//! target scored so far.

use std::cmp::Ordering;

use super::{Hit, Target};

/// The best `limit` targets by their best score, in answer order.
///
/// Only those are kept, not every target's best score: a target outside the answer scored,
/// if at all, after its last entry (when the answer is full, its last entry only moves up), so
/// a hit that enters the answer is its target's best yet, and one that does not cannot
/// matter. Scoring thousands of documents to fill the answer costs no map of thousands of
/// targets.
#[derive(Debug)]
pub struct Best {
    /// At most `limit` entries, one per target, in [`order`]: exactly the first `limit`
    /// targets by their best score so far, in that order.
    top: Vec<Hit>,
    limit: usize,
}

impl Best {
    pub fn new(limit: usize) -> Best {
        Best {
            top: Vec::with_capacity(limit + 1),
            limit,
        }
    }

    /// Raises `target`'s best score to `score`.
    pub fn keep(&mut self, target: Target, score: f32) {
        let hit = Hit { target, score };
        if self.top.len() == self.limit
            && self
                .top
                .last()
                .is_some_and(|last| order(&hit, last) != Ordering::Less)
        {
            // Ranks after the answer now (or is its last entry, unchanged).
            return;
        }
        if let Some(at) = self.top.iter().position(|h| h.target == target) {
            if score <= self.top[at].score {
                return;
            }
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
