//! Countries by any name: the table, whole-value matching, names in attributions, and the
//! `/participants country:` and `/statements speaker:` options on the 23-article story corpus.

use std::path::Path;
use std::sync::OnceLock;

use briefing_bot::console::answer_line;
use briefing_bot::country::{self, find, named_in};
use briefing_bot::live::Live;
use briefing_bot::load::LoadConfig;
use briefing_bot::reply::{Reply, ResultItem};

fn story() -> &'static Live {
    static LIVE: OnceLock<Live> = OnceLock::new();
    LIVE.get_or_init(|| {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/story");
        Live::load(&data, LoadConfig::default()).expect("story loads")
    })
}

fn ask(line: &str) -> Reply {
    answer_line(story(), line).0
}

/// The speaker or participant ids of a reply's results, and for unnamed sources the attribution.
fn who(reply: &Reply) -> Vec<String> {
    reply
        .results
        .iter()
        .filter_map(|r| match r {
            ResultItem::Participant { id, .. } => Some(id.clone()),
            ResultItem::Statement {
                speaker,
                attribution,
                ..
            } => speaker.clone().or(attribution.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_table_reads_whole_with_no_name_used_twice() {
    assert!(
        country::table_problems().is_empty(),
        "{:?}",
        country::table_problems()
    );
    assert!(country::all().len() >= 60, "{}", country::all().len());
    // Every permanent member of the Security Council, and bodies that are not countries.
    for name in [
        "United States",
        "United Kingdom",
        "France",
        "Russia",
        "China",
    ] {
        assert!(find(name).is_some_and(|c| c.is_country()), "{name}");
    }
    for name in ["EU", "UN", "IAEA"] {
        assert!(find(name).is_some_and(|c| !c.is_country()), "{name}");
    }
}

#[test]
fn names_abbreviations_and_demonyms_are_one_country() {
    for value in [
        "US",
        "U.S.",
        "us",
        "USA",
        "United States",
        "the United States",
        "American",
    ] {
        assert_eq!(
            find(value).map(|c| c.name),
            Some("United States"),
            "{value}"
        );
    }
    for value in ["UK", "Britain", "British"] {
        assert_eq!(
            find(value).map(|c| c.name),
            Some("United Kingdom"),
            "{value}"
        );
    }
    for (value, name) in [
        ("Russian", "Russia"),
        ("Iranian", "Iran"),
        ("Chinese", "China"),
        ("PRC", "China"),
        ("Emirati", "United Arab Emirates"),
    ] {
        assert_eq!(find(value).map(|c| c.name), Some(name), "{value}");
    }
    // Only a whole value: a longer phrase, an ISO code that is also a name, a city.
    for value in ["Chinese analyst", "Mao", "Ma", "Beijing", ""] {
        assert_eq!(find(value).map(|c| c.name), None, "{value}");
    }
}

#[test]
fn attributions_name_a_country_by_name_demonym_possessive_or_seat() {
    let china = find("China").unwrap();
    let iran = find("Iran").unwrap();
    let us = find("US").unwrap();
    assert!(named_in(china, "A Chinese analyst"));
    assert!(named_in(china, "Beijing's defence ministry"));
    assert!(named_in(iran, "Iran's mission to the U.N."));
    assert!(named_in(iran, "Tehran"));
    assert!(named_in(us, "The White House"));
    assert!(named_in(us, "U.S. officials"));
    // An abbreviation counts only in capitals; a part of a word is no name.
    assert!(!named_in(us, "A source who told us"));
    assert!(!named_in(iran, "Iranica scholars"));
    assert!(!named_in(china, "Experts"));
}

#[test]
fn participants_by_country_understand_every_name() {
    for value in ["US", "USA", "\"United States\"", "American", "U.S."] {
        let reply = ask(&format!("/participants country:{value}"));
        let ids = who(&reply);
        assert!(
            ids.contains(&"donald-trump".to_string()),
            "{value}: {ids:?}"
        );
        assert!(
            ids.contains(&"alex-vatanka".to_string()),
            "{value}: {ids:?}"
        );
        assert!(reply.title.contains("(United States)") || value.contains("United"));
    }
    for value in ["UK", "British"] {
        assert_eq!(
            who(&ask(&format!("/participants country:{value}"))),
            ["kamran-matin"]
        );
    }
    for value in ["Russia", "Russian"] {
        assert_eq!(
            who(&ask(&format!("/participants country:{value}"))),
            ["sergei-ryabkov"]
        );
    }
    assert!(who(&ask("/participants country:PRC")).contains(&"ma-zhaoxu".to_string()));
    assert!(who(&ask("/participants country:French")).is_empty());
}

#[test]
fn statements_by_a_country_are_its_speakers_and_the_sources_naming_it() {
    let reply = ask("/statements speaker:iran");
    assert_eq!(
        reply.title.split(" (").next(),
        Some("Statements by speakers from Iran and sources naming Iran")
    );
    let ids = who(&reply);
    for expected in [
        "amir-saeed-iravani",
        "ali-khamenei",
        "Iran's mission to the U.N.",
        "Tehran",
    ] {
        assert!(ids.contains(&expected.to_string()), "{expected}: {ids:?}");
    }
    assert!(!ids.contains(&"mao-ning".to_string()), "{ids:?}");

    for value in ["china", "China", "Chinese"] {
        let ids = who(&ask(&format!("/statements speaker:{value}")));
        for expected in ["mao-ning", "wang-yi", "ma-zhaoxu", "A Chinese analyst"] {
            assert!(
                ids.contains(&expected.to_string()),
                "{value} {expected}: {ids:?}"
            );
        }
        assert!(!ids.contains(&"ali-khamenei".to_string()), "{ids:?}");
    }
}

#[test]
fn a_speaker_that_is_no_country_is_still_the_person() {
    let reply = ask("/statements speaker:mao");
    assert!(
        reply.title.starts_with("Statements by Mao Ning"),
        "{}",
        reply.title
    );
}
