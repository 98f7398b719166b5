//! Any bytes as an article file: parse, validate, and build a corpus from what validates.
#![no_main]

use std::path::Path;

use briefing_bot::load::{parse_article, validate_article};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = Path::new("fuzz.json");
    if let Ok(article) = parse_article(file, data)
        && validate_article(&article, file).is_empty()
    {
        let corpus = briefing_bot::indexed::Indexed::build(vec![article]);
        let _ = corpus.index.search("a", &[briefing_bot::search::Kind::Person], 25);
    }
});
