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

/// A second query set, drawn at random from `corpus` (the same for the same seed): for
/// randomly chosen people, a prefix of a name word, the whole name reordered, a typo in a
/// name word (a letter changed, dropped or swapped), a subsequence of a name word (its first
/// letter and some of the rest), an alias in another script when the person has one, and the
/// first words of their role. `count` queries, at least one of each shape when the corpus has it.
pub fn drawn_queries(corpus: &Indexed, count: usize, seed: u64) -> Vec<String> {
    use briefing_bot::gen_corpus::Rng;
    use briefing_bot::normalize::fold;
    let mut rng = Rng::new(seed);
    let mut queries = Vec::with_capacity(count);
    let mut shape = 0usize;
    let mut tries = 0;
    while queries.len() < count && !corpus.people.is_empty() && tries < count * 100 {
        tries += 1;
        let person = &corpus.people[rng.below(corpus.people.len())];
        let folded = fold(&person.name);
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            continue;
        }
        let word = words[rng.below(words.len())];
        let letters: Vec<char> = word.chars().collect();
        let query = match shape % 6 {
            0 => letters[..letters.len().min(2 + rng.below(5))]
                .iter()
                .collect(),
            1 => {
                let mut reordered = words.clone();
                reordered.reverse();
                reordered.join(" ")
            }
            2 if letters.len() >= 5 => {
                let mut typo = letters.clone();
                let at = 1 + rng.below(typo.len() - 2);
                match rng.below(3) {
                    0 => typo[at] = if typo[at] == 'e' { 'a' } else { 'e' },
                    1 => {
                        typo.remove(at);
                    }
                    _ => typo.swap(at, at + 1),
                }
                typo.into_iter().collect()
            }
            3 if letters.len() >= 4 => {
                let mut picked = vec![letters[0]];
                picked.extend(
                    letters[1..]
                        .iter()
                        .filter(|c| !"aeiou".contains(**c))
                        .take(3),
                );
                if picked.len() < 3 {
                    shape += 1;
                    continue;
                }
                picked.into_iter().collect()
            }
            4 => match person.aliases.iter().find(|a| !a.is_ascii()) {
                Some(alias) => alias.clone(),
                None => continue,
            },
            5 => {
                let role = &person.profile.role;
                let mut words = role.split_whitespace();
                let first: Vec<&str> = words.by_ref().take(1 + rng.below(3)).collect();
                if first.is_empty() {
                    shape += 1;
                    continue;
                }
                first.join(" ").to_lowercase()
            }
            _ => {
                shape += 1;
                continue;
            }
        };
        shape += 1;
        if !query.trim().is_empty() {
            queries.push(query);
        }
    }
    queries
}

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

impl Spread {
    /// Nothing timed.
    pub const ZERO: Spread = Spread {
        p50: Duration::ZERO,
        p99: Duration::ZERO,
        max: Duration::ZERO,
    };
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
