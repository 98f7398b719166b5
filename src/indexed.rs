//! A corpus with its search index: what every command reads.
//!
//! The two are built in layers: the corpus (ground) merges the articles and hands over its
//! documents; the index (above it) knows only documents. [`Indexed`] pairs them once per load,
//! and dereferences to the corpus, so `corpus.people` and `corpus.index.search(..)` read alike.

use std::ops::Deref;

use crate::article::Article;
use crate::corpus::Corpus;
use crate::search::SearchIndex;

/// A corpus and the index built from its documents. Immutable, like the corpus.
#[derive(Debug)]
pub struct Indexed {
    pub corpus: Corpus,
    pub index: SearchIndex,
}

impl Indexed {
    /// Indexes a corpus's documents.
    pub fn new(corpus: Corpus) -> Indexed {
        let index = SearchIndex::build(corpus.documents());
        Indexed { corpus, index }
    }

    /// Builds the corpus from validated articles, then its index.
    pub fn build(articles: Vec<Article>) -> Indexed {
        Indexed::new(Corpus::build(articles))
    }
}

impl Deref for Indexed {
    type Target = Corpus;

    fn deref(&self) -> &Corpus {
        &self.corpus
    }
}

impl From<Corpus> for Indexed {
    fn from(corpus: Corpus) -> Indexed {
        Indexed::new(corpus)
    }
}
