//! Who said what, counted once per corpus: each person's statements, each topic's, and the
//! people and topics to offer before anything is typed.
//!
//! `/statements speaker:` and an empty autocomplete would otherwise walk every statement on
//! every request; at 10k articles that is 80k statements, most of a request's time.

use super::Corpus;

/// How many targets an empty autocomplete offers (Discord shows at most 25 choices).
pub const DEFAULTS: usize = 25;

#[derive(Debug, Default)]
pub struct Quotes {
    /// Per person (index in `corpus.people`): positions in `corpus.statements` of what they
    /// said, ascending.
    said: Vec<Vec<u32>>,
    /// Per topic (index in `corpus.topics`): positions in `corpus.statements` of the
    /// statements citing it, ascending.
    cited: Vec<Vec<u32>>,
    /// The most quoted people, most first (ties in corpus order), at most [`DEFAULTS`].
    most_quoted: Vec<u32>,
    /// The most cited topics by statements, most first (ties in corpus order), at most
    /// [`DEFAULTS`].
    most_cited: Vec<u32>,
}

impl Quotes {
    pub fn build(corpus: &Corpus) -> Quotes {
        let mut said: Vec<Vec<u32>> = vec![Vec::new(); corpus.people.len()];
        let mut cited: Vec<Vec<u32>> = vec![Vec::new(); corpus.topics.len()];
        // Citations as the defaults count them: a topic named twice by one statement counts
        // twice.
        let mut citations = vec![0usize; corpus.topics.len()];
        for (i, &at) in corpus.statements.iter().enumerate() {
            let statement = corpus.statement(at);
            if let Some(p) = statement
                .speaker
                .as_deref()
                .and_then(|id| corpus.person_index(id))
            {
                said[p].push(i as u32);
            }
            for id in &statement.topics {
                if let Some(t) = corpus.topic_index(id) {
                    citations[t] += 1;
                    if cited[t].last() != Some(&(i as u32)) {
                        cited[t].push(i as u32);
                    }
                }
            }
        }
        let quoted: Vec<usize> = said.iter().map(Vec::len).collect();
        Quotes {
            most_quoted: most(&quoted),
            most_cited: most(&citations),
            said,
            cited,
        }
    }

    /// Positions in `corpus.statements` of what person `person` said, in corpus order.
    pub fn said_by(&self, person: usize) -> &[u32] {
        self.said.get(person).map_or(&[], Vec::as_slice)
    }

    /// Positions in `corpus.statements` of the statements citing topic `topic`, in corpus
    /// order.
    pub fn citing(&self, topic: usize) -> &[u32] {
        self.cited.get(topic).map_or(&[], Vec::as_slice)
    }

    /// The most quoted people, most first.
    pub fn most_quoted(&self) -> &[u32] {
        &self.most_quoted
    }

    /// The topics most cited by statements, most first.
    pub fn most_cited(&self) -> &[u32] {
        &self.most_cited
    }
}

/// The indices of the [`DEFAULTS`] largest counts, largest first, ties by index.
fn most(counts: &[usize]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..counts.len() as u32).collect();
    order.sort_by(|&a, &b| counts[b as usize].cmp(&counts[a as usize]).then(a.cmp(&b)));
    order.truncate(DEFAULTS);
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gen_corpus::{Shape, generate};

    #[test]
    fn lists_match_a_walk_over_every_statement() {
        let corpus = Corpus::build(generate(&Shape::articles(200), 3));
        let quotes = &corpus.quotes;
        let mut said = vec![0usize; corpus.people.len()];
        for (p, person) in corpus.people.iter().enumerate() {
            let walked: Vec<u32> = (0..corpus.statements.len() as u32)
                .filter(|&i| {
                    corpus
                        .statement(corpus.statements[i as usize])
                        .speaker
                        .as_deref()
                        == Some(person.id.as_str())
                })
                .collect();
            assert_eq!(quotes.said_by(p), walked, "{}", person.id);
            said[p] = walked.len();
        }
        assert!(said.iter().any(|&n| n > 1));
        let mut order: Vec<u32> = (0..corpus.people.len() as u32).collect();
        order.sort_by(|&a, &b| said[b as usize].cmp(&said[a as usize]).then(a.cmp(&b)));
        order.truncate(DEFAULTS);
        assert_eq!(quotes.most_quoted(), order);
        assert_eq!(quotes.most_cited().len(), DEFAULTS.min(corpus.topics.len()));
        assert!(quotes.said_by(corpus.people.len()).is_empty());
        for (t, topic) in corpus.topics.iter().enumerate() {
            let walked: Vec<u32> = (0..corpus.statements.len() as u32)
                .filter(|&i| {
                    let statement = corpus.statement(corpus.statements[i as usize]);
                    statement.topics.iter().any(|id| id == &topic.id)
                })
                .collect();
            assert_eq!(quotes.citing(t), walked, "{}", topic.id);
        }
    }
}
