//! Speed never buys wrong answers: on a generated corpus, the index's pruned search returns
//! exactly what scoring every document returns (same targets, same order, same scores), for
//! the benchmark queries and every kind.

#[path = "../benches/common/mod.rs"]
mod common;

use briefing_bot::gen_corpus::{Shape, generate};
use briefing_bot::indexed::Indexed;
use briefing_bot::search::Kind;

fn same_answers(corpus: &Indexed, queries: &[&str], kinds: &[&[Kind]]) {
    let mut compared = 0;
    for query in queries {
        for kinds in kinds {
            // The exhaustive ranking's first `limit` are its answer at `limit`.
            let slow = corpus.index.search_exhaustive(query, kinds, 25);
            for limit in [1, 10, 25] {
                let fast = corpus.index.search(query, kinds, limit);
                let expected = &slow[..limit.min(slow.len())];
                assert_eq!(
                    fast, expected,
                    "query {query:?}, kinds {kinds:?}, limit {limit}"
                );
                compared += usize::from(!expected.is_empty());
            }
        }
    }
    // The comparison means something only if most queries find something.
    assert!(
        compared > queries.len() * kinds.len(),
        "only {compared} non-empty answers"
    );
}

/// Subsequences of every shape: the first letter alone or back later (both bounded per name),
/// letters repeated, digits (every name scored).
const SUBSEQUENCES: &[&str] = &[
    "lvrv", "lvlv", "rvrv", "mhmm", "snsn", "abdlh", "qtr", "wng", "gbrg", "zhw", "hsnrhn", "a1",
    "krmv", "zz", "jhn", "mmd",
    // Three to five common letters: bounded from the first letter's list entries, then from
    // every mask, bucket by bucket.
    "rbkv", "ghrb", "jhnsn", "hssn", "maid", "ntl", "mhd", "sdr", "krl", "alx", "mrt", "vldmr",
    "nhyn", "gsvn", "tmm", "anna", "ssss",
];

#[test]
fn people_index_matches_exhaustive_scoring_at_10k_people() {
    let corpus = Indexed::build(generate(&Shape::people(10_000), 42));
    assert_eq!(corpus.people.len(), 10_000);
    same_answers(&corpus, common::QUERIES, &[&[Kind::Person]]);
    same_answers(&corpus, SUBSEQUENCES, &[&[Kind::Person]]);
    let drawn = common::drawn_queries(&corpus, 150, 5);
    assert_eq!(drawn.len(), 150);
    let drawn: Vec<&str> = drawn.iter().map(String::as_str).collect();
    same_answers(&corpus, &drawn, &[&[Kind::Person]]);
    for query in common::QUERIES
        .iter()
        .chain(&drawn)
        .chain(["zzzz", "qqqq", "", "ж"].iter())
    {
        for limit in [1, 3, 25] {
            assert_eq!(
                corpus.index.nearest(query, Kind::Person, limit),
                corpus.index.nearest_exhaustive(query, Kind::Person, limit),
                "nearest {query:?} {limit}"
            );
        }
    }
}

#[test]
fn every_kind_matches_exhaustive_scoring() {
    let corpus = Indexed::build(generate(&Shape::articles(300), 7));
    let queries = [
        "sanctions relief",
        "nuclear programme",
        "ceasefire",
        "dialogue",
        "deputy foreign minister",
        "ryabkov",
        "ghrb",
        "m",
        "ma",
        "iran",
        "talks on the",
        "constructive role",
        "uranium enrichment qatar",
        "spokesperson",
        "foreign ministry spokesperson",
        "analyst",
        "the",
        "zhang w",
        "gharib abadi",
        "jcpoa",
        "nclr",
    ];
    same_answers(
        &corpus,
        &queries,
        &[
            &[Kind::Topic],
            &[Kind::Article],
            &[Kind::Statement],
            &[Kind::Person, Kind::Topic, Kind::Article, Kind::Statement],
        ],
    );
}
