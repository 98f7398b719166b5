//! Autocomplete of a person option at 1k, 10k, 100k and 1M people: the product (the index
//! behind `cmd::complete`) beside two full scans, SkimMatcherV2 and nucleo-matcher, in one run.
//!
//! Prints a table of p50 and p99 over the query set (each query's median time), and the share
//! of typo queries each engine answers with the intended person in its top five; then runs
//! criterion over the whole query set. `BENCH_MAX_PEOPLE=100000 cargo bench --bench
//! autocomplete` skips the larger sizes; `BENCH_PER_QUERY=1` also prints each query's median
//! time for ours, slowest first (where to look next).

mod common;

use std::time::Duration;

use briefing_bot::cmd::complete::{MAX_CHOICES, complete};
use briefing_bot::indexed::Indexed;
use briefing_bot::search::Kind;
use criterion::{BenchmarkId, Criterion, black_box};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};

use common::{QUERIES, TYPOS, drawn_queries, people_corpus, per_query_times, show, spread};

/// Every person's name and aliases, as a full-scan autocomplete would hold them.
struct Names {
    /// (person, text)
    texts: Vec<(u32, String)>,
    utf32: Vec<(u32, Utf32String)>,
    people: usize,
}

impl Names {
    fn new(corpus: &Indexed) -> Names {
        let texts: Vec<(u32, String)> = corpus
            .people
            .iter()
            .enumerate()
            .flat_map(|(i, p)| {
                std::iter::once(p.name.clone())
                    .chain(p.aliases.iter().cloned())
                    .map(move |text| (i as u32, text))
            })
            .collect();
        let utf32 = texts
            .iter()
            .map(|(i, t)| (*i, Utf32String::from(t.as_str())))
            .collect();
        Names {
            texts,
            utf32,
            people: corpus.people.len(),
        }
    }
}

/// The best 25 people by their best-scoring text, as a baseline autocomplete ranks them.
fn top(scores: &mut Vec<(i64, u32)>, people: usize) -> Vec<u32> {
    let mut best = vec![i64::MIN; people];
    for &(score, person) in scores.iter() {
        let slot = &mut best[person as usize];
        *slot = (*slot).max(score);
    }
    scores.clear();
    scores.extend(
        best.iter()
            .enumerate()
            .filter(|(_, s)| **s > i64::MIN)
            .map(|(p, s)| (*s, p as u32)),
    );
    let k = MAX_CHOICES.min(scores.len());
    if k > 0 && scores.len() > k {
        scores.select_nth_unstable_by(k - 1, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scores.truncate(k);
    }
    scores.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scores.iter().map(|s| s.1).collect()
}

fn skim(names: &Names, query: &str) -> Vec<u32> {
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut scores: Vec<(i64, u32)> = names
        .texts
        .iter()
        .filter_map(|(p, text)| matcher.fuzzy_match(text, query).map(|s| (s, *p)))
        .collect();
    top(&mut scores, names.people)
}

fn nucleo(names: &Names, matcher: &mut Matcher, query: &str) -> Vec<u32> {
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let mut scores: Vec<(i64, u32)> = names
        .utf32
        .iter()
        .filter_map(|(p, text)| {
            pattern
                .score(text.slice(..), matcher)
                .map(|s| (s as i64, *p))
        })
        .collect();
    top(&mut scores, names.people)
}

fn ours(corpus: &Indexed, query: &str) -> Vec<u32> {
    complete(corpus, Kind::Person, query)
        .into_iter()
        .filter_map(|choice| corpus.person_index(&choice.value).map(|i| i as u32))
        .collect()
}

/// How many typo queries have a person whose name or alias holds the intended word in the top 5.
fn typo_recall(corpus: &Indexed, answer: &mut dyn FnMut(&str) -> Vec<u32>) -> usize {
    TYPOS
        .iter()
        .filter(|(query, word)| {
            answer(query).iter().take(5).any(|&p| {
                let person = &corpus.people[p as usize];
                std::iter::once(&person.name)
                    .chain(&person.aliases)
                    .any(|n| n.to_lowercase().contains(word))
            })
        })
        .count()
}

fn main() {
    let max: usize = std::env::var("BENCH_MAX_PEOPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .configure_from_args();
    println!(
        "| people | ours p50 | ours p99 | skim p50 | skim p99 | nucleo p50 | nucleo p99 | p99 ratio skim/ours | p99 ratio nucleo/ours | answered (ours/skim/nucleo) | typo top-5 (ours/skim/nucleo) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for size in [1_000, 10_000, 100_000, 1_000_000] {
        if size > max {
            continue;
        }
        let corpus = people_corpus(size);
        let names = Names::new(&corpus);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let per_query = if size >= 1_000_000 {
            Duration::from_millis(100)
        } else {
            Duration::from_millis(40)
        };
        let ours_spread = spread(QUERIES, per_query, |q| {
            black_box(ours(&corpus, q));
        });
        if std::env::var_os("BENCH_PER_QUERY").is_some() {
            for (time, query) in per_query_times(QUERIES, per_query, |q| {
                black_box(ours(&corpus, q));
            }) {
                println!("<!-- {size} {query:?}: {} -->", show(time));
            }
        }
        // BENCH_ONLY_OURS=1: the baselines are not run (their columns show 0), for a quick
        // look at the product alone.
        let only_ours = std::env::var_os("BENCH_ONLY_OURS").is_some();
        let skim_spread = if only_ours {
            common::Spread::ZERO
        } else {
            spread(QUERIES, per_query, |q| {
                black_box(skim(&names, q));
            })
        };
        let nucleo_spread = if only_ours {
            common::Spread::ZERO
        } else {
            spread(QUERIES, per_query, |q| {
                black_box(nucleo(&names, &mut matcher, q));
            })
        };
        let answered = |f: &mut dyn FnMut(&str) -> Vec<u32>| {
            QUERIES.iter().filter(|q| !f(q).is_empty()).count()
        };
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
        println!(
            "| {size} | {} | {} | {} | {} | {} | {} | {:.0}× | {:.0}× | {}/{}/{} of {} | {}/{}/{} of {} |",
            show(ours_spread.p50),
            show(ours_spread.p99),
            show(skim_spread.p50),
            show(skim_spread.p99),
            show(nucleo_spread.p50),
            show(nucleo_spread.p99),
            ratio(skim_spread.p99, ours_spread.p99),
            ratio(nucleo_spread.p99, ours_spread.p99),
            answered(&mut |q| ours(&corpus, q)),
            answered(&mut |q| if only_ours {
                Vec::new()
            } else {
                skim(&names, q)
            }),
            answered(&mut |q| if only_ours {
                Vec::new()
            } else {
                nucleo(&names, &mut matcher, q)
            }),
            QUERIES.len(),
            typo_recall(&corpus, &mut |q| ours(&corpus, q)),
            typo_recall(&corpus, &mut |q| if only_ours {
                Vec::new()
            } else {
                skim(&names, q)
            }),
            typo_recall(&corpus, &mut |q| if only_ours {
                Vec::new()
            } else {
                nucleo(&names, &mut matcher, q)
            }),
            TYPOS.len(),
        );

        // The second set: 120 queries drawn from this corpus (prefixes, reordered names, typos,
        // subsequences, other scripts, roles). The baselines are timed on it below 1M only.
        let drawn = drawn_queries(&corpus, 120, 17);
        let drawn_spread = spread(&drawn, per_query, |q| {
            black_box(ours(&corpus, q));
        });
        let baselines = (size < 1_000_000 && !only_ours).then(|| {
            (
                spread(&drawn, per_query, |q| {
                    black_box(skim(&names, q));
                }),
                spread(&drawn, per_query, |q| {
                    black_box(nucleo(&names, &mut matcher, q));
                }),
            )
        });
        let (skim_drawn, nucleo_drawn) = baselines
            .map(|(s, n)| {
                (
                    format!("{} / {}", show(s.p50), show(s.p99)),
                    format!("{} / {}", show(n.p50), show(n.p99)),
                )
            })
            .unwrap_or_else(|| ("-".into(), "-".into()));
        println!(
            "<!-- drawn set | {size} | {} drawn queries | ours {} / {} | skim {skim_drawn} | nucleo {nucleo_drawn} -->",
            drawn.len(),
            show(drawn_spread.p50),
            show(drawn_spread.p99),
        );
        if std::env::var_os("BENCH_PER_QUERY").is_some() {
            for (time, query) in per_query_times(&drawn, per_query, |q| {
                black_box(ours(&corpus, q));
            })
            .into_iter()
            .take(8)
            {
                println!("<!-- {size} drawn {query:?}: {} -->", show(time));
            }
        }

        let mut group = criterion.benchmark_group(format!("autocomplete/{size}"));
        if size >= 100_000 {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(5));
        } else {
            group.measurement_time(Duration::from_secs(2));
        }
        group.bench_function(BenchmarkId::new("ours", "query set"), |b| {
            b.iter(|| {
                for q in QUERIES {
                    black_box(ours(&corpus, q));
                }
            })
        });
        // At 1M a baseline's query set takes seconds: the table above has their numbers, and
        // running them under criterion too would take `cargo bench` past ten minutes.
        if size < 1_000_000 {
            group.bench_function(BenchmarkId::new("skim", "query set"), |b| {
                b.iter(|| {
                    for q in QUERIES {
                        black_box(skim(&names, q));
                    }
                })
            });
            group.bench_function(BenchmarkId::new("nucleo", "query set"), |b| {
                b.iter(|| {
                    for q in QUERIES {
                        black_box(nucleo(&names, &mut matcher, q));
                    }
                })
            });
        }
        group.finish();
    }
    criterion.final_summary();
}
