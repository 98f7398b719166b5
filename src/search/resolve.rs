//! Deciding whether a search found *the* answer, or should ask "did you mean ...?".
//!
//! A lookup command (`/who`, `/context`, `/brief article:`) must not guess: when the best hit is
//! not clearly ahead of the next, the user picks.

use super::{Hit, Kind, SearchIndex, Target};

/// How far ahead the best hit must be, as a ratio of the runner-up's score.
const CLEAR_LEAD: f32 = 1.2;
/// A hit this good that is also clearly ahead is taken; below it, the user picks, even from one.
const CONFIDENT: f32 = 0.5;

/// The outcome of looking up one thing by name.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// One target, clearly the best.
    Found(Target),
    /// Several targets, none clearly ahead: ask which.
    Ambiguous(Vec<Target>),
    /// Nothing matched; these are the nearest names, possibly none.
    NotFound(Vec<Target>),
}

/// Looks up one target of `kind` by what the user typed.
pub fn resolve(index: &SearchIndex, query: &str, kind: Kind) -> Resolution {
    resolve_hits(index, query, kind, &index.search(query, &[kind], HITS))
}

/// How many hits a lookup reads.
pub const HITS: usize = 10;

/// [`resolve`] from the hits of `index.search(query, &[kind], HITS)` a caller already has, so a
/// lookup that looks at the hits first does not search twice.
pub fn resolve_hits(index: &SearchIndex, query: &str, kind: Kind, hits: &[Hit]) -> Resolution {
    let words = crate::normalize::fold(query)
        .split(' ')
        .filter(|w| !w.is_empty() && !crate::normalize::is_stop_word(w))
        .count();
    decide(hits, words).unwrap_or_else(|| {
        let nearest = index
            .nearest(query, kind, 3)
            .into_iter()
            .map(|hit| hit.target)
            .collect();
        Resolution::NotFound(nearest)
    })
}

/// `words`: how many content words the query has.
fn decide(hits: &[Hit], words: usize) -> Option<Resolution> {
    let first = hits.first()?;
    // A weak best hit is a guess. Alone, it still is when the query has several words: its
    // weakness is a word it does not hold ("Mao Ming" holds "Mao" only). A one-word query is
    // weak by nature when it is an abbreviation ("ghrb"), so a lone hit then stands.
    if first.score < CONFIDENT && (hits.len() > 1 || words > 1) {
        return Some(Resolution::Ambiguous(
            hits.iter().take(5).map(|h| h.target).collect(),
        ));
    }
    match hits.get(1) {
        Some(second) if first.score < second.score * CLEAR_LEAD => {
            let close: Vec<Target> = hits
                .iter()
                .take_while(|h| first.score < h.score * CLEAR_LEAD)
                .take(5)
                .map(|h| h.target)
                .collect();
            Some(Resolution::Ambiguous(close))
        }
        _ => Some(Resolution::Found(first.target)),
    }
}
