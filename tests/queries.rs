//! The spellings people actually type, against the seed data: each must find the right person or
//! topic, or say "did you mean" when two fit equally.

use std::path::Path;
use std::sync::OnceLock;

use briefing_bot::indexed::Indexed;
use briefing_bot::load::{LoadConfig, load_dir};
use briefing_bot::search::{Kind, Resolution, resolve};

fn corpus() -> &'static Indexed {
    static CORPUS: OnceLock<Indexed> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        load_dir(&data, &LoadConfig::default())
            .expect("seed loads")
            .corpus
            .into()
    })
}

fn found(query: &str, kind: Kind) -> Result<String, String> {
    let corpus = corpus();
    match resolve(&corpus.index, query, kind) {
        Resolution::Found(target) => Ok(match kind {
            Kind::Person => corpus.people[target.index as usize].id.clone(),
            Kind::Topic => corpus.topics[target.index as usize].id.clone(),
            Kind::Article => corpus.articles[target.index as usize].id.clone(),
            Kind::Statement | Kind::Event => target.index.to_string(),
        }),
        other => Err(format!("{other:?}")),
    }
}

const PEOPLE: &[(&str, &str)] = &[
    // As written
    ("Sergei Ryabkov", "sergei-ryabkov"),
    ("Kazem Gharibabadi", "kazem-gharibabadi"),
    ("Mao Ning", "mao-ning"),
    ("Ma Zhaoxu", "ma-zhaoxu"),
    ("Liu Zhongmin", "liu-zhongmin"),
    ("Ali Khamenei", "ali-khamenei"),
    // Case, accents, punctuation
    ("GHARIBABADI", "kazem-gharibabadi"),
    ("Gharibabadí", "kazem-gharibabadi"),
    ("Al-Khamenei", "ali-khamenei"),
    ("ryabkov,", "sergei-ryabkov"),
    ("  mao   ning ", "mao-ning"),
    // Other scripts
    ("Рябков", "sergei-ryabkov"),
    ("Сергей Рябков", "sergei-ryabkov"),
    ("马朝旭", "ma-zhaoxu"),
    ("毛宁", "mao-ning"),
    ("刘中民", "liu-zhongmin"),
    ("علی خامنه‌ای", "ali-khamenei"),
    ("غریب‌آبادی", "kazem-gharibabadi"),
    // Word order
    ("Zhaoxu Ma", "ma-zhaoxu"),
    ("Ryabkov Sergey", "sergei-ryabkov"),
    ("Ryabkov Sergey Alexeevich", "sergei-ryabkov"),
    ("Gharibabadi Kazem", "kazem-gharibabadi"),
    ("Khamenei Ali", "ali-khamenei"),
    ("Ning Mao", "mao-ning"),
    // Typos: one edit in five letters or more, two in nine or more
    ("Riabkov", "sergei-ryabkov"),
    ("Garibabadi", "kazem-gharibabadi"),
    ("Kamenei", "ali-khamenei"),
    ("Liu Zongmin", "liu-zhongmin"),
    ("mao ningg", "mao-ning"),
    ("Ryabkvo", "sergei-ryabkov"),
    ("Gharibabdi", "kazem-gharibabadi"),
    ("Garibabady", "kazem-gharibabadi"),
    ("Khamenie", "ali-khamenei"),
    ("Zhaoxy", "ma-zhaoxu"),
    ("Sergei Riabkov", "sergei-ryabkov"),
    ("Gharib Abadi", "kazem-gharibabadi"),
    // Prefixes and subsequences, as typed into autocomplete
    ("ryab", "sergei-ryabkov"),
    ("gharib", "kazem-gharibabadi"),
    ("khame", "ali-khamenei"),
    ("zhongm", "liu-zhongmin"),
    ("ghrb", "kazem-gharibabadi"),
    // Titles, roles and descriptions
    ("Ayatollah", "ali-khamenei"),
    ("Ayatollah Khamenei", "ali-khamenei"),
    ("supreme leader", "ali-khamenei"),
    ("spokesperson", "mao-ning"),
    ("iranian deputy foreign minister", "kazem-gharibabadi"),
    ("russian deputy foreign minister", "sergei-ryabkov"),
    ("vice foreign minister", "ma-zhaoxu"),
    ("professor", "liu-zhongmin"),
    ("Shanghai International Studies University", "liu-zhongmin"),
];

const TOPICS: &[(&str, &str)] = &[
    ("JCPOA", "jcpoa"),
    ("jcpoa", "jcpoa"),
    ("Joint Comprehensive Plan of Action", "jcpoa"),
    ("Iran nuclear deal", "jcpoa"),
    ("UNSC", "china-unsc-permanent-seat"),
    ("non-proliferation", "nuclear-non-proliferation-framework"),
    (
        "Non proliferation framework",
        "nuclear-non-proliferation-framework",
    ),
    ("mistrust", "us-iran-mistrust"),
    ("US letter", "us-letter-to-khamenei"),
    ("strategic ties", "china-russia-iran-strategic-ties"),
];

#[test]
fn people_are_found_however_they_are_spelled() {
    let failures: Vec<String> = PEOPLE
        .iter()
        .filter_map(|&(query, id)| match found(query, Kind::Person) {
            Ok(got) if got == id => None,
            other => Some(format!("{query:?}: expected {id}, got {other:?}")),
        })
        .collect();
    assert!(PEOPLE.len() >= 40);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn topics_are_found_by_title_alias_and_acronym() {
    let failures: Vec<String> = TOPICS
        .iter()
        .filter_map(|&(query, id)| match found(query, Kind::Topic) {
            Ok(got) if got == id => None,
            other => Some(format!("{query:?}: expected {id}, got {other:?}")),
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn candidates(query: &str) -> Vec<String> {
    let corpus = corpus();
    match resolve(&corpus.index, query, Kind::Person) {
        Resolution::Ambiguous(targets) => {
            let mut ids: Vec<String> = targets
                .iter()
                .map(|t| corpus.people[t.index as usize].id.clone())
                .collect();
            ids.sort();
            ids
        }
        other => panic!("{query:?}: expected candidates, got {other:?}"),
    }
}

#[test]
fn a_shared_title_asks_which_person() {
    assert_eq!(
        candidates("deputy foreign minister"),
        ["kazem-gharibabadi", "sergei-ryabkov"]
    );
    assert_eq!(
        candidates("Foreign Minister Deputy"),
        ["kazem-gharibabadi", "sergei-ryabkov"]
    );
    assert_eq!(candidates("ma"), ["ma-zhaoxu", "mao-ning"]);
}

#[test]
fn nothing_matching_offers_the_nearest_names() {
    let corpus = corpus();
    for query in ["Wang Yi", "xyzzy", "@everyone", "12345"] {
        match resolve(&corpus.index, query, Kind::Person) {
            Resolution::NotFound(nearest) => assert!(!nearest.is_empty(), "{query:?}"),
            other => panic!("{query:?}: expected no match, got {other:?}"),
        }
    }
}

#[test]
fn short_inputs_stay_sensible() {
    // One and two letters never match by typo, only by prefix.
    let corpus = corpus();
    let hits = corpus.index.search("k", &[Kind::Person], 25);
    let ids: Vec<&str> = hits
        .iter()
        .map(|h| corpus.people[h.target.index as usize].id.as_str())
        .collect();
    assert!(ids.contains(&"kazem-gharibabadi"), "{ids:?}");
    assert!(ids.contains(&"ali-khamenei"), "{ids:?}");
    assert!(!ids.contains(&"mao-ning"), "{ids:?}");
}
