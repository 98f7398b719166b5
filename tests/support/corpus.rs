//! Corpora for the Discord tests: the committed sample data, and a synthetic one whose answers
//! need several pages.

use std::path::Path;

use briefing_bot::article::{Article, Participant, Statement, StatementKind};
use briefing_bot::corpus::Corpus;
use briefing_bot::load::{LoadConfig, load_dir};

/// The sample article in `data/`.
pub fn sample() -> Corpus {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    match load_dir(&data, &LoadConfig::default()) {
        Ok(loaded) => loaded.corpus,
        Err(failure) => panic!("{}: {:?}", data.display(), failure.problems),
    }
}

/// One person who said `statements` long things: `/who name:talker` runs to several pages.
pub fn talkative(statements: usize) -> Corpus {
    let article = Article {
        schema: None,
        id: "long-talk".to_string(),
        title: "A long talk".to_string(),
        published: Some("2025-03-13".to_string()),
        source: Some("Test Wire".to_string()),
        url: None,
        byline: None,
        summary: "Someone talks at length.".to_string(),
        location: None,
        tags: Vec::new(),
        participants: vec![Participant {
            id: "talker".to_string(),
            name: "Tom Talker".to_string(),
            aliases: Vec::new(),
            role: "Spokesperson".to_string(),
            organization: "Ministry".to_string(),
            country: "Nowhere".to_string(),
            description: None,
        }],
        statements: (0..statements)
            .map(|i| Statement {
                speaker: Some("talker".to_string()),
                attribution: None,
                kind: StatementKind::Quote,
                text: format!("Statement {i}: {}", "words and more words ".repeat(12)),
                said: None,
                via: None,
                topics: Vec::new(),
            })
            .collect(),
        context: Vec::new(),
        events: Vec::new(),
        related: Vec::new(),
    };
    Corpus::build(vec![article])
}
