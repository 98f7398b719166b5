//! What the benchmarks share: the query set, the corpora, and a per-query timing harness that
//! reports the median and p99 over a query set (criterion reports one number per benchmark;
//! the targets are about the slowest queries).

#![allow(dead_code)] // each bench uses part of this module

use std::time::{Duration, Instant};

use briefing_bot::gen_corpus::{Shape, generate};
use briefing_bot::indexed::Indexed;

/// The autocomplete query set: prefixes, full and reordered names, typos, subsequences,
/// one- and two-letter inputs, native scripts and roles. Every name part occurs in generated
/// corpora of 10k people and up (the generator's name tables).
pub const QUERIES: &[&str] = &[
    // prefixes, as typed
    "ryab",
    "gharib",
    "zhang w",
    "kaz",
    "moh",
    "sergei ry",
    "al than",
    "jennif",
    "wang",
    "liu zh",
    // whole names, any order
    "ryabkov sergei",
    "ma zhaoxu",
    "zhaoxu ma",
    "tamim thani",
    "smith john",
    "li wei",
    "kazem gharibabadi",
    "mao ning",
    // typos (the baselines find none of these)
    "riabkov",
    "kamenei",
    "garibabadi",
    "zhongmim",
    "mohamed",
    "jonhson",
    "sergey lavrof",
    "abdulah",
    "zarifpur",
    "kuznetsov",
    // subsequences and abbreviations
    "ghrb",
    "rbkv",
    "zhx",
    "mhmd",
    "jhnsn",
    "lvrv",
    // one and two letters
    "m",
    "z",
    "a",
    "k",
    "x",
    "ma",
    "li",
    "al",
    "zh",
    "se",
    "qi",
    // native scripts
    "Рябков",
    "马朝旭",
    "محمد",
    // roles and descriptions
    "deputy foreign minister",
    "spokesperson",
    "professor",
];

/// Typo queries with the word a good answer contains: the quality check beside the timings.
pub const TYPOS: &[(&str, &str)] = &[
    ("riabkov", "ryabkov"),
    ("kamenei", "khamene"),
    ("garibabadi", "gharibabadi"),
    ("mohamed", "mohammed"),
    ("jonhson", "johnson"),
    ("sergey lavrof", "lavrov"),
    ("abdulah", "abdullah"),
    ("zarifpur", "zarifpour"),
];

/// A corpus with `people` people (light articles, see [`Shape::people`]).
pub fn people_corpus(people: usize) -> Indexed {
    Indexed::build(generate(&Shape::people(people), 42))
}

/// A newsroom-shaped corpus of `articles` articles.
pub fn article_corpus(articles: usize) -> Indexed {
    Indexed::build(generate(&Shape::articles(articles), 42))
}

/// Median and p99, over the queries, of each query's median time.
#[derive(Debug, Clone, Copy)]
pub struct Spread {
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// Times `run` on every query: each query is run until `per_query` has passed (at least 3
/// times, at most 1000) and its median kept. Returns the spread over the queries.
pub fn spread<Q>(queries: &[Q], per_query: Duration, mut run: impl FnMut(&Q)) -> Spread {
    let mut medians: Vec<Duration> = queries
        .iter()
        .map(|query| median(per_query, || run(query)))
        .collect();
    medians.sort_unstable();
    let at =
        |q: f64| medians[((medians.len() as f64 * q).ceil() as usize).clamp(1, medians.len()) - 1];
    Spread {
        p50: at(0.5),
        p99: at(0.99),
        max: medians[medians.len() - 1],
    }
}

/// Each query's median time (as [`spread`] measures it), slowest first.
pub fn per_query_times<Q>(
    queries: &[Q],
    per_query: Duration,
    mut run: impl FnMut(&Q),
) -> Vec<(Duration, &Q)> {
    let mut times: Vec<(Duration, &Q)> = queries
        .iter()
        .map(|query| (median(per_query, || run(query)), query))
        .collect();
    times.sort_by_key(|t| std::cmp::Reverse(t.0));
    times
}

/// The median time of `run`, run until `per_query` has passed (at least 3 times, at most
/// 1000) after one warm-up run.
fn median(per_query: Duration, mut run: impl FnMut()) -> Duration {
    run();
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 3 || (start.elapsed() < per_query && times.len() < 1000) {
        let t = Instant::now();
        run();
        times.push(t.elapsed());
    }
    times.sort_unstable();
    times[times.len() / 2]
}

/// A duration in the unit that reads best: "0.21 ms", "12.4 µs".
pub fn show(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 1000.0 {
        format!("{:.2} ms", us / 1000.0)
    } else {
        format!("{us:.1} µs")
    }
}
