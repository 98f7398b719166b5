//! The engine end to end: `/who`, `/statements`, `/search` and `/ask` at 1k and 10k articles; loading,
//! validating and indexing 100, 1k and 10k articles from disk; and the request path a slash
//! command takes (slash line in, `ask --json` text out).
//!
//! Prints p50/p99 tables over each command's query set, then runs criterion.
//! `BENCH_MAX_ARTICLES=1000 cargo bench --bench engine` skips the 10k sizes;
//! `BENCH_PER_QUERY=1` also prints each slash line's median time, slowest first;
//! `BENCH_COMMANDS=ask,who` times only those commands' sets.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use briefing_bot::app::App;
use briefing_bot::cmd::{Context, answer};
use briefing_bot::console::{answer_line, render};
use briefing_bot::discord::interaction::respond;
use briefing_bot::gen_corpus::{Shape, generate, write};
use briefing_bot::indexed::Indexed;
use briefing_bot::live::Live;
use briefing_bot::load::{LoadConfig, load_dir};
use briefing_bot::slash;
use criterion::{BenchmarkId, Criterion, black_box};
use serenity::model::application::Interaction;
use std::sync::Arc;

use common::{article_corpus, per_query_times, show, spread};

/// Slash lines for each command, drawn from the corpus so they find something (and some that
/// do not: typos, unknown names).
fn lines(corpus: &Indexed) -> Vec<(&'static str, Vec<String>)> {
    let step = (corpus.people.len() / 12).max(1);
    let people: Vec<&str> = corpus
        .people
        .iter()
        .step_by(step)
        .map(|p| p.name.as_str())
        .collect();
    let topic_step = (corpus.topics.len() / 6).max(1);
    let topics: Vec<&str> = corpus
        .topics
        .iter()
        .step_by(topic_step)
        .map(|t| t.title.as_str())
        .collect();
    let surname = |name: &str| name.rsplit(' ').next().unwrap_or(name).to_string();
    let mut who: Vec<String> = people.iter().map(|n| format!("/who \"{n}\"")).collect();
    who.extend(people.iter().map(|n| format!("/who {}", surname(n))));
    who.extend(
        [
            "/who riabkov",
            "/who kamenei",
            "/who deputy foreign minister",
            "/who zzzz",
        ]
        .map(String::from),
    );
    let mut statements: Vec<String> = people
        .iter()
        .map(|n| format!("/statements speaker:\"{n}\""))
        .collect();
    statements.extend(topics.iter().map(|t| format!("/statements topic:\"{t}\"")));
    statements
        .extend(["/statements speaker:analyst", "/statements speaker:experts"].map(String::from));
    let mut search: Vec<String> = people
        .iter()
        .map(|n| format!("/search {}", surname(n)))
        .collect();
    search.extend(
        [
            "/search sanctions relief",
            "/search nuclear programme",
            "/search deputy foreign minister",
            "/search ceasefire",
            "/search riabkov",
            "/search ghrb",
            "/search beijing",
            "/search dialogue",
        ]
        .map(String::from),
    );
    // /ask: the same names and topics as plain questions, plus questions nothing answers.
    let mut ask: Vec<String> = people.iter().map(|n| format!("/ask who is {n}?")).collect();
    ask.extend(
        people
            .iter()
            .zip(topics.iter().cycle())
            .map(|(n, t)| format!("/ask what did {} say about {t}?", surname(n))),
    );
    ask.extend(topics.iter().map(|t| format!("/ask what is {t}?")));
    ask.extend(
        [
            "/ask who took part in the talks?",
            "/ask what happened on Friday",
            "/ask what did the analyst say",
            "/ask what did Merkel say about Brexit",
            "/ask who won the World Cup",
        ]
        .map(String::from),
    );
    vec![
        ("who", who),
        ("statements", statements),
        ("search", search),
        ("ask", ask),
    ]
}

/// A recorded slash-command payload carrying `invocation` as string options.
fn interaction_payload(invocation: &briefing_bot::reply::Invocation) -> Vec<u8> {
    let mut payload: serde_json::Value =
        serde_json::from_str(include_str!("../tests/fixtures/discord/slash_command.json"))
            .expect("the fixture is JSON");
    payload["data"]["name"] = invocation.command.clone().into();
    payload["data"]["options"] = invocation
        .args
        .iter()
        .map(|(name, value)| serde_json::json!({"name": name, "type": 3, "value": value}))
        .collect();
    serde_json::to_vec(&payload).expect("serializes")
}

/// What the HTTP endpoint does after the signature check: parse, answer, serialize.
fn interaction_json(app: &App, bytes: &[u8]) -> Vec<u8> {
    let interaction: Interaction = serde_json::from_slice(bytes).expect("a valid interaction");
    serde_json::to_vec(&respond(app, &interaction)).expect("a response serializes")
}

fn main() {
    let max: usize = std::env::var("BENCH_MAX_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();

    println!("| articles | command | p50 | p99 | max |");
    println!("|---|---|---|---|---|");
    for size in [1_000, 10_000] {
        if size > max {
            continue;
        }
        // The request path answers from a live snapshot, as the console and the bot do.
        let app = App::new(Arc::new(Live::from_corpus(
            article_corpus(size),
            Path::new("."),
        )));
        let live = app.live();
        let snapshot = live.snapshot();
        let corpus = &snapshot.corpus;
        let only = std::env::var("BENCH_COMMANDS").ok();
        let sets: Vec<_> = lines(corpus)
            .into_iter()
            .filter(|(name, _)| {
                only.as_deref()
                    .is_none_or(|o| o.split(',').any(|c| c == *name))
            })
            .collect();
        let invocations: Vec<(&str, Vec<_>)> = sets
            .iter()
            .map(|(name, lines)| {
                let parsed: Vec<_> = lines
                    .iter()
                    .map(|line| slash::parse(line).expect("bench lines parse"))
                    .collect();
                (*name, parsed)
            })
            .collect();
        if std::env::var_os("BENCH_PER_QUERY").is_some() {
            let all: Vec<&String> = sets.iter().flat_map(|(_, l)| l).collect();
            for (time, line) in per_query_times(&all, Duration::from_millis(20), |line| {
                black_box(answer_line(&live, line));
            }) {
                println!("<!-- {size} {line}: {} -->", show(time));
            }
        }
        for (name, parsed) in &invocations {
            let s = spread(parsed, Duration::from_millis(20), |inv| {
                black_box(answer(&Context::new(corpus), inv));
            });
            println!(
                "| {size} | /{name} | {} | {} | {} |",
                show(s.p50),
                show(s.p99),
                show(s.max)
            );
        }
        // The request path: slash line in, JSON out.
        let all: Vec<&String> = sets.iter().flat_map(|(_, l)| l).collect();
        let s = spread(&all, Duration::from_millis(20), |line| {
            let (reply, command, _) = answer_line(&live, line);
            black_box(render(&reply, &command, true));
        });
        println!(
            "| {size} | line → JSON (all of the above) | {} | {} | {} |",
            show(s.p50),
            show(s.p99),
            show(s.max)
        );
        // The whole path a Discord request takes: interaction JSON in, response JSON out.
        let payloads: Vec<Vec<u8>> = invocations
            .iter()
            .flat_map(|(_, parsed)| parsed.iter().map(interaction_payload))
            .collect();
        let s = spread(&payloads, Duration::from_millis(20), |bytes| {
            black_box(interaction_json(&app, bytes));
        });
        println!(
            "| {size} | interaction JSON → response JSON (all of the above) | {} | {} | {} |",
            show(s.p50),
            show(s.p99),
            show(s.max)
        );

        let mut group = criterion.benchmark_group(format!("commands/{size}"));
        for (name, parsed) in &invocations {
            group.bench_function(BenchmarkId::new(*name, "query set"), |b| {
                b.iter(|| {
                    for inv in parsed {
                        black_box(answer(&Context::new(corpus), inv));
                    }
                })
            });
        }
        group.bench_function(BenchmarkId::new("line to json", "query set"), |b| {
            b.iter(|| {
                for line in &all {
                    let (reply, command, _) = answer_line(&live, line);
                    black_box(render(&reply, &command, true));
                }
            })
        });
        group.bench_function(BenchmarkId::new("interaction to json", "query set"), |b| {
            b.iter(|| {
                for bytes in &payloads {
                    black_box(interaction_json(&app, bytes));
                }
            })
        });
        group.finish();
    }

    println!();
    println!("| articles | load + validate + index | files |");
    println!("|---|---|---|");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut group = criterion.benchmark_group("load");
    group.sample_size(10);
    for size in [100, 1_000, 10_000] {
        if size > max {
            continue;
        }
        let data = dir.path().join(size.to_string());
        write(&data, &generate(&Shape::articles(size), 42)).expect("corpus written");
        let t = Instant::now();
        let loaded = load(&data);
        println!("| {size} | {} | {loaded} |", show(t.elapsed()));
        group.bench_function(BenchmarkId::new("load_dir", size), |b| {
            b.iter(|| black_box(load(&data)))
        });
    }
    group.finish();
    criterion.final_summary();
}

fn load(data: &Path) -> usize {
    match load_dir(data, &LoadConfig::default()) {
        Ok(loaded) => loaded.files.len(),
        Err(failure) => panic!(
            "generated corpus did not load: {:?}",
            failure.problems.first()
        ),
    }
}
