//! `briefing-bot draft` on a dev set of real news texts with hand annotations
//! (tests/fixtures/draft/<name>.txt + <name>.expected.json), and on bad input.
//!
//! The scores are printed (`cargo test --test draft -- --nocapture`) with every miss, and held
//! to the issue's bar: people recall >= 90%, precision >= 85%, linked to the existing id >= 90%,
//! quotes with the right speaker >= 75%, title and date 100%, every draft passes `check`.

use std::path::{Path, PathBuf};

use briefing_bot::article::Article;
use briefing_bot::draft::{DraftConfig, draft};
use briefing_bot::indexed::Indexed;
use briefing_bot::load::{LoadConfig, load_dir};
use briefing_bot::search::normalize::fold;
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Expected {
    source: Option<String>,
    title: String,
    published: String,
    /// Given on the command line because the text prints no date.
    published_flag: Option<String>,
    people: Vec<ExpectedPerson>,
    quotes: Vec<ExpectedQuote>,
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ExpectedPerson {
    name: String,
    id: Option<String>,
    #[serde(default)]
    also: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ExpectedQuote {
    /// A part of the statement's text.
    text: String,
    /// An existing id, or the name of an annotated person.
    speaker: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seed() -> Indexed {
    load_dir(&root().join("data"), &LoadConfig::default())
        .expect("the seed data loads")
        .corpus
        .into()
}

fn dev_set(dir: &str) -> Vec<(String, Vec<u8>, Expected)> {
    let dir = root().join(dir);
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("dev set directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            let expected: Expected = serde_json::from_slice(
                &std::fs::read(dir.join(format!("{stem}.expected.json"))).unwrap(),
            )
            .unwrap_or_else(|e| panic!("{stem}.expected.json: {e}"));
            (stem, std::fs::read(&path).unwrap(), expected)
        })
        .collect()
}

fn person_matches(
    article_person: &briefing_bot::article::Participant,
    want: &ExpectedPerson,
) -> bool {
    if want.id.as_deref() == Some(article_person.id.as_str()) {
        return true;
    }
    let wanted: Vec<String> = std::iter::once(&want.name)
        .chain(&want.also)
        .map(|n| fold(n))
        .collect();
    std::iter::once(&article_person.name)
        .chain(&article_person.aliases)
        .any(|n| wanted.contains(&fold(n)))
}

/// Writes the draft beside the seed data in a temporary directory and loads it all, as `check`.
fn passes_check(article: &Article) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("articles")).unwrap();
    for entry in std::fs::read_dir(root().join("data/articles")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            dir.path().join("articles").join(entry.file_name()),
        )
        .unwrap();
    }
    let json = serde_json::to_string_pretty(article).unwrap();
    std::fs::write(
        dir.path()
            .join("articles")
            .join(format!("{}.json", article.id)),
        json,
    )
    .unwrap();
    load_dir(dir.path(), &LoadConfig::default())
        .map(|_| ())
        .map_err(|f| {
            f.problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        })
}

#[derive(Default)]
struct Tally {
    hit: usize,
    all: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.all += 1;
        self.hit += ok as usize;
    }
    fn pct(&self) -> f64 {
        if self.all == 0 {
            100.0
        } else {
            100.0 * self.hit as f64 / self.all as f64
        }
    }
    fn show(&self) -> String {
        format!("{:5.1}% ({}/{})", self.pct(), self.hit, self.all)
    }
}

/// Drafts every text of a set and scores it against its annotations.
fn score(dir: &str) -> Scores {
    let corpus = &*SEED;
    let set = dev_set(dir);
    let (mut recall, mut precision, mut linked, mut quotes, mut titles, mut dates, mut checks) = (
        Tally::default(),
        Tally::default(),
        Tally::default(),
        Tally::default(),
        Tally::default(),
        Tally::default(),
        Tally::default(),
    );
    let mut misses = Vec::new();
    for (name, bytes, want) in &set {
        let config = DraftConfig {
            published: want
                .published_flag
                .as_deref()
                .map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
            url: want.source.clone(),
            ..DraftConfig::default()
        };
        let drafted = match draft(bytes, corpus, &config) {
            Ok(d) => d,
            Err(err) => {
                // Everything the text holds is missed.
                misses.push(format!("{name}: no draft: {err}"));
                titles.add(false);
                dates.add(false);
                for person in &want.people {
                    recall.add(false);
                    if person.id.is_some() {
                        linked.add(false);
                    }
                }
                for _ in &want.quotes {
                    quotes.add(false);
                }
                continue;
            }
        };
        let article = &drafted.article;
        titles.add(article.title == want.title);
        if article.title != want.title {
            misses.push(format!("{name}: title {:?}", article.title));
        }
        let date_ok = article.published.as_deref() == Some(want.published.as_str());
        dates.add(date_ok);
        if !date_ok {
            misses.push(format!("{name}: published {:?}", article.published));
        }
        let check = passes_check(article);
        checks.add(check.is_ok());
        if let Err(problems) = check {
            misses.push(format!("{name}: check: {problems}"));
        }
        for person in &want.people {
            let found = article
                .participants
                .iter()
                .find(|p| person_matches(p, person));
            recall.add(found.is_some());
            if found.is_none() {
                misses.push(format!("{name}: person missed: {}", person.name));
            }
            if let Some(id) = &person.id {
                let ok = found.is_some_and(|p| &p.id == id);
                linked.add(ok);
                if !ok {
                    misses.push(format!(
                        "{name}: not linked to {id}: {:?}",
                        found.map(|p| &p.id)
                    ));
                }
            }
        }
        for p in &article.participants {
            let ok = want.people.iter().any(|w| person_matches(p, w));
            precision.add(ok);
            if !ok {
                misses.push(format!(
                    "{name}: not a person in the story: {} ({})",
                    p.name, p.id
                ));
            }
        }
        for quote in &want.quotes {
            let text = fold(&quote.text);
            let speaker_ok = |s: &briefing_bot::article::Statement| {
                let Some(id) = &s.speaker else { return false };
                if id == &quote.speaker {
                    return true;
                }
                let Some(p) = article.participants.iter().find(|p| &p.id == id) else {
                    return false;
                };
                want.people
                    .iter()
                    .filter(|w| {
                        w.name == quote.speaker || w.id.as_deref() == Some(quote.speaker.as_str())
                    })
                    .any(|w| person_matches(p, w))
            };
            let holding: Vec<_> = article
                .statements
                .iter()
                .filter(|s| fold(&s.text).contains(&text))
                .collect();
            let ok = holding.iter().any(|s| speaker_ok(s));
            quotes.add(ok);
            if !ok {
                let got = holding.first().map(|s| {
                    s.speaker
                        .clone()
                        .or(s.attribution.clone())
                        .unwrap_or_default()
                });
                misses.push(format!(
                    "{name}: statement {:?} by {}: got {}",
                    quote.text,
                    quote.speaker,
                    got.map_or("no statement".to_string(), |g| format!("speaker {g}"))
                ));
            }
        }
    }
    Scores {
        texts: set.len(),
        recall,
        precision,
        linked,
        quotes,
        titles,
        dates,
        checks,
        misses,
    }
}

struct Scores {
    texts: usize,
    recall: Tally,
    precision: Tally,
    linked: Tally,
    quotes: Tally,
    titles: Tally,
    dates: Tally,
    checks: Tally,
    misses: Vec<String>,
}

impl Scores {
    fn print(&self, name: &str) {
        println!("{name}: {} texts", self.texts);
        println!("  people recall      {}", self.recall.show());
        println!("  people precision   {}", self.precision.show());
        println!("  linked existing id {}", self.linked.show());
        println!("  quotes, speaker    {}", self.quotes.show());
        println!("  title              {}", self.titles.show());
        println!("  date               {}", self.dates.show());
        println!("  passes check       {}", self.checks.show());
        println!("misses:");
        for miss in &self.misses {
            println!("  {miss}");
        }
    }
}

#[test]
fn dev_set_scores() {
    let s = score("tests/fixtures/draft");
    s.print("draft dev set");
    assert!(s.texts >= 15, "the dev set has {} texts", s.texts);
    assert!(s.recall.pct() >= 90.0, "people recall {}", s.recall.show());
    assert!(
        s.precision.pct() >= 85.0,
        "people precision {}",
        s.precision.show()
    );
    assert!(s.linked.pct() >= 90.0, "linked {}", s.linked.show());
    assert!(s.quotes.pct() >= 75.0, "quotes {}", s.quotes.show());
    assert_eq!(s.titles.hit, s.titles.all, "titles");
    assert_eq!(s.dates.hit, s.dates.all, "dates");
    assert_eq!(s.checks.hit, s.checks.all, "check");
}

/// Texts annotated before the drafter read them: the rules were never tuned on these. The
/// scores are printed; the guarantees (a draft for each, passing `check`) are asserted.
#[test]
fn held_out_scores() {
    let s = score("tests/fixtures/draft/heldout");
    s.print("draft held-out set");
    assert!(s.texts >= 5);
    // Of the drafts made (a text without a readable date gives none, and says so).
    assert_eq!(s.checks.hit, s.checks.all, "check");
}

#[test]
fn a_new_spelling_links_to_the_existing_person_and_becomes_an_alias() {
    let text = "Beijing meeting on the Iranian nuclear issue\n\
                date 2025-03-14\n\
                The meeting was chaired by Vice Foreign Minister Ma Zhaoxu, with Deputy Foreign Minister Ryabkov Sergey Alexeevich of the Russian Federation.\n\
                Russian Deputy Foreign Minister Sergei Riabkov said the talks were useful for everyone.\n";
    let drafted = draft(text.as_bytes(), &seed(), &DraftConfig::default()).unwrap();
    let ryabkov = drafted
        .article
        .participants
        .iter()
        .find(|p| p.id == "sergei-ryabkov")
        .expect("linked to sergei-ryabkov");
    assert_eq!(ryabkov.name, "Sergei Ryabkov");
    assert!(
        ryabkov.aliases.contains(&"Sergei Riabkov".to_string()),
        "{ryabkov:?}"
    );
    assert!(
        drafted
            .review
            .iter()
            .any(|r| r.what.contains("sergei-ryabkov"))
    );
}

#[test]
fn the_speaker_carries_to_he_and_to_a_description() {
    let text = "Spokesperson briefs reporters on the talks\n\
                date 2025-03-13\n\
                Foreign ministry spokesperson Mao Ning said on Thursday that the meeting would help dialogue.\n\
                \"We believe relevant parties need to remain calm and exercise restraint,\" said the spokesperson.\n\
                She added that China hopes all parties work in the same direction.\n";
    let drafted = draft(text.as_bytes(), &seed(), &DraftConfig::default()).unwrap();
    let speakers: Vec<Option<&str>> = drafted
        .article
        .statements
        .iter()
        .map(|s| s.speaker.as_deref())
        .collect();
    assert_eq!(
        speakers,
        vec![Some("mao-ning"); 3],
        "{:#?}",
        drafted.article.statements
    );
    assert_eq!(
        drafted.article.statements[0].said.as_deref(),
        Some("Thursday")
    );
}

#[test]
fn sources_that_are_not_people_become_attributions() {
    let text = "Iran responds to the council meeting on uranium\n\
                date 2025-03-13\n\
                Diplomats from China, Russia and Iran met in Beijing on Friday, Chinese state broadcaster CCTV reported.\n\
                Iran's permanent mission to the United Nations said the meeting had no legal basis at all.\n\
                Beijing said it hopes the talks will strengthen communication and coordination.\n\
                State media did not share any further details of the talks, officials said on Friday.\n\
                Supreme Leader Ayatollah Ali Khamenei spoke to students in Tehran on Wednesday.\n\
                The Leader emphasized that the threat of military action against Iran was unwise.\n";
    let drafted = draft(text.as_bytes(), &seed(), &DraftConfig::default()).unwrap();
    let who: Vec<String> = drafted
        .article
        .statements
        .iter()
        .map(|s| {
            s.speaker
                .clone()
                .or(s.attribution.clone())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        who,
        vec![
            "Chinese state broadcaster CCTV",
            "Iran's permanent mission to the United Nations",
            "Beijing",
            "Officials",
            "ali-khamenei",
        ],
        "{:#?}",
        drafted.article.statements
    );
    assert_eq!(
        drafted.article.participants.len(),
        1,
        "{:#?}",
        drafted.article.participants
    );
}

#[test]
fn an_ambiguous_name_gets_a_new_id_and_a_review_line() {
    let article: Article = serde_json::from_value(serde_json::json!({
        "id": "two-wangs", "title": "Two Wangs", "summary": "Two people named Wang.",
        "participants": [
            {"id": "wang-yi", "name": "Wang Yi", "aliases": ["Wang"]},
            {"id": "wang-wenbin", "name": "Wang Wenbin", "aliases": ["Wang"]}
        ]
    }))
    .unwrap();
    let corpus = Indexed::build(vec![article]);
    let text = "Minister comments on the talks\n\
                date 2025-03-14\n\
                Foreign Minister Wang said the talks in Beijing were useful for all sides.\n";
    let drafted = draft(text.as_bytes(), &corpus, &DraftConfig::default()).unwrap();
    let ids: Vec<&str> = drafted
        .article
        .participants
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(ids, vec!["wang"]);
    assert!(
        drafted
            .review
            .iter()
            .any(|r| r.what.contains("wang-wenbin or wang-yi")
                && r.sentence.contains("Foreign Minister Wang")),
        "{:#?}",
        drafted.review
    );
}

#[test]
fn html_pages_give_title_date_and_paragraphs() {
    let html = r#"<!doctype html><html><head><title>Site | Ignored</title>
        <meta property="article:published_time" content="2025-03-14T08:00:00Z"></head>
        <body><nav><p>Home</p></nav><h1>China, Russia &amp; Iran meet in Beijing</h1>
        <p>BEIJING: Vice Foreign Minister Ma Zhaoxu chaired the meeting with Russian Deputy Foreign Minister Sergei Ryabkov on Friday.</p>
        <p>&ldquo;The three countries emphasized the necessity of terminating all unlawful unilateral sanctions,&rdquo; Ma said.</p>
        </body></html>"#;
    let drafted = draft(html.as_bytes(), &seed(), &DraftConfig::default()).unwrap();
    let a = &drafted.article;
    assert_eq!(a.title, "China, Russia & Iran meet in Beijing");
    assert_eq!(a.published.as_deref(), Some("2025-03-14"));
    assert_eq!(a.location.as_deref(), Some("Beijing"));
    assert!(
        a.statements
            .iter()
            .any(|s| s.speaker.as_deref() == Some("ma-zhaoxu")
                && s.kind == briefing_bot::article::StatementKind::Quote)
    );
}

/// Runs `briefing-bot draft` in-process (the same function the binary calls): exit status,
/// stdout, stderr.
fn run_draft(args: &[&str], data: &Path) -> (u8, String, String) {
    let mut parsed = briefing_bot::draft::cli::DraftArgs::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--write" => parsed.write = true,
            "--id" => parsed.id = rest.next().map(|s| s.to_string()),
            "--url" => parsed.url = rest.next().map(|s| s.to_string()),
            file => parsed.files.push(PathBuf::from(file)),
        }
    }
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status =
        briefing_bot::draft::cli::run_to(data, &LoadConfig::default(), &parsed, &mut out, &mut err);
    (
        status,
        String::from_utf8_lossy(&out).to_string(),
        String::from_utf8_lossy(&err).to_string(),
    )
}

#[test]
fn bad_input_gets_one_clear_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let binary = dir.path().join("photo.txt");
    std::fs::write(&binary, [0x89, b'P', b'N', b'G', 0, 0, 0x1a, 0xff]).unwrap();
    let no_article = dir.path().join("menu.html");
    std::fs::write(
        &no_article,
        "<html><body><nav>Home | World | Sport</nav></body></html>",
    )
    .unwrap();
    let missing = dir.path().join("missing.txt");
    let undated = dir.path().join("undated.txt");
    std::fs::write(
        &undated,
        "Minister meets envoy in the capital\nForeign Minister Jane Doe met the envoy and said the talks were useful for both sides.\n",
    )
    .unwrap();
    let data = root().join("data");
    for (file, says) in [
        (&empty, "empty"),
        (&binary, "not text"),
        (&no_article, "no article text"),
        (&missing, "cannot read"),
        (&undated, "--published"),
    ] {
        let (code, stdout, stderr) = run_draft(&[file.to_str().unwrap()], &data);
        assert_eq!(code, 1, "{}: {stderr}", file.display());
        assert!(stdout.is_empty());
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{stderr}");
        assert!(
            lines[0].contains(says) && lines[0].contains(&*file.to_string_lossy()),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"));
    }
    let (code, _, stderr) = run_draft(&["--id", "Not A Slug", empty.to_str().unwrap()], &data);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn write_puts_the_draft_in_the_data_and_never_over_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("articles")).unwrap();
    for entry in std::fs::read_dir(root().join("data/articles")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            dir.path().join("articles").join(entry.file_name()),
        )
        .unwrap();
    }
    let text = root().join("tests/fixtures/draft/story-2025-03-14-caliber-trilateral.txt");
    let (code, stdout, stderr) = run_draft(&["--write", text.to_str().unwrap()], dir.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("review: "), "{stderr}");
    load_dir(dir.path(), &LoadConfig::default()).expect("the written draft passes check");
    let (code, _, stderr) = run_draft(&["--write", text.to_str().unwrap()], dir.path());
    assert_eq!(code, 1);
    assert!(stderr.contains("already"), "{stderr}");
}

static SEED: std::sync::LazyLock<Indexed> = std::sync::LazyLock::new(seed);

/// Words and marks the drafter reacts to, for inputs that reach deep into it.
const PIECES: &[&str] = &[
    "said",
    "“",
    "”",
    "\"",
    "Dr.",
    "Vice Foreign Minister",
    "Ma Zhaoxu",
    ",",
    ".",
    "he added",
    "March 14, 2025",
    "date 2025-03-14",
    "BEIJING:",
    "By Staff",
    "according to",
    "(",
    ")",
    "bin",
    "Al-Ansari",
    "the spokesperson",
    "&amp;",
    "&#x1F600;",
    "<p>",
    "</p>",
    "<h1>",
    "\n",
    "é",
    "Рябков",
    "but",
    "told reporters that",
    "Ryabkov Sergey Alexeevich",
    ";",
    "H E",
    "'s",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_text_drafts_or_fails_without_panic(text in "\\PC{0,300}") {
        let _ = draft(text.as_bytes(), &SEED, &DraftConfig::default());
    }

    #[test]
    fn any_mix_of_article_pieces_drafts_or_fails_without_panic(
        picks in prop::collection::vec(0..PIECES.len(), 0..120),
        html in any::<bool>(),
    ) {
        let text: String = picks.iter().map(|&i| format!("{} ", PIECES[i])).collect();
        let config = DraftConfig { html, ..DraftConfig::default() };
        if let Ok(drafted) = draft(text.as_bytes(), &SEED, &config) {
            // Whatever it drafts is a valid article on its own.
            let problems = briefing_bot::load::validate_article(&drafted.article, Path::new("x"));
            prop_assert!(problems.is_empty(), "{problems:?}");
        }
    }
}
