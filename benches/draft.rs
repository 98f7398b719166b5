//! `briefing-bot draft` on a ~2,000-word article: the issue asks for under 50 ms.
//!
//! The article is real text: the dev set's texts (tests/fixtures/draft/*.txt) under
//! one headline, in file order, until it holds 2,000 words. Linked against the seed data.

use std::path::PathBuf;

use briefing_bot::draft::{DraftConfig, draft};
use briefing_bot::load::{LoadConfig, load_dir};
use criterion::{Criterion, black_box};

fn article() -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/draft");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("dev set")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut text = String::from(
        "China hosts Russia and Iran for talks on the Iranian nuclear issue\ndate 2025-03-14\n\n",
    );
    for file in files.iter().cycle().take(files.len() * 4) {
        if text.split_whitespace().count() >= 2000 {
            break;
        }
        let body = std::fs::read_to_string(file).expect("dev set text");
        // Skip each text's headline: one article, one headline.
        for line in body.lines().skip(1) {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

fn main() {
    let corpus = load_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data"),
        &LoadConfig::default(),
    )
    .expect("seed data loads")
    .corpus;
    let corpus = briefing_bot::indexed::Indexed::new(corpus);
    let text = article();
    let words = text.split_whitespace().count();
    let config = DraftConfig::default();
    let start = std::time::Instant::now();
    let drafted = draft(text.as_bytes(), &corpus, &config).expect("drafts");
    println!(
        "draft of {words} words: {} people, {} statements, first run {:?}",
        drafted.article.participants.len(),
        drafted.article.statements.len(),
        start.elapsed()
    );
    let mut c = Criterion::default().configure_from_args();
    c.bench_function("draft_2000_words", |b| {
        b.iter(|| draft(black_box(text.as_bytes()), &corpus, &config))
    });
    c.final_summary();
}
