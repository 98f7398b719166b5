//! Finding the people an article names, with their role, organization and country.
//!
//! Two passes. First every capitalized run of a sentence ("Russia's deputy foreign minister
//! Sergei Ryabkov said ...") is read as a possible name: leading titles, honorifics and country
//! words are peeled off into the role phrase, and the run counts as a person only with evidence:
//! a title right before it, a role in apposition after it (", spokesman of the ministry"), or a
//! verb of speech next to it. Then the mentions are grouped: a mention whose distinctive words
//! are all in a longer name is that person ("Al Ansari" in "Majed bin Mohammed Al Ansari",
//! "Ma" in "Ma Zhaoxu"). A one-word name needs a title ("President Trump").

use std::sync::LazyLock;

use regex::Regex;

use super::words::{
    HONORIFICS, NOT_A_NAME, PARTICLES, ROLE_WORDS, SPEECH_VERBS, TITLES, country_of, is_in,
};
use crate::search::normalize::fold;

// Invariant: a constant pattern, exercised by every test that drafts.
static RUN: LazyLock<Regex> = LazyLock::new(|| {
    let token = r"(?:\p{Lu}[\p{L}\p{M}’'\-]*\.?|(?:al|el|bin|ibn)-\p{Lu}[\p{L}\p{M}’'\-]*)";
    let particle = r"(?:bin|bint|ibn|al|el|de|da|van|von|der|ben|abu)";
    // Invariant: a constant pattern (built from constant word lists), compiled by every draft test.
    Regex::new(&format!(r"{token}(?:[ \t]+(?:{particle}[ \t]+)*{token})*")).expect("valid pattern")
});

/// A person of the article, before linking.
#[derive(Debug, Clone, Default)]
pub struct Person {
    /// The fullest form the article prints, without honorifics.
    pub name: String,
    /// Other forms the article prints (with honorifics, shorter, reordered).
    pub spellings: Vec<String>,
    /// Folded distinctive words of every form.
    pub words: Vec<String>,
    pub role: String,
    pub organization: String,
    pub country: String,
    /// Index of the sentence of the first mention.
    pub first_sentence: usize,
    evidence: bool,
    titled: bool,
}

/// One capitalized run read as a name.
#[derive(Debug, Clone)]
struct Mention {
    name: String,
    honorific: Option<String>,
    words: Vec<String>,
    titled: bool,
    evidence: bool,
    role: String,
    organization: String,
    country: String,
    sentence: usize,
}

/// The people named in `sentences` (the article's body, one sentence each).
pub fn find_people(sentences: &[String], known: &dyn Fn(&str) -> bool) -> Vec<Person> {
    let mut mentions = Vec::new();
    for (i, sentence) in sentences.iter().enumerate() {
        mentions.extend(mentions_in(sentence, i));
    }
    // Longest names first, so shorter mentions join them.
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(mentions[i].words.len()), i));
    let mut people: Vec<Person> = Vec::new();
    for i in order {
        let mention = &mentions[i];
        let home = people
            .iter()
            .position(|p| mention.words.iter().all(|w| p.words.contains(w)));
        let person = match home {
            Some(at) => &mut people[at],
            None => {
                people.push(Person {
                    name: mention.name.clone(),
                    words: mention.words.clone(),
                    first_sentence: mention.sentence,
                    ..Person::default()
                });
                // Invariant: pushed on the line above.
                people.last_mut().expect("just pushed")
            }
        };
        person.first_sentence = person.first_sentence.min(mention.sentence);
        person.evidence |= mention.evidence;
        person.titled |= mention.titled;
        for spelling in std::iter::once(mention.name.clone()).chain(
            mention
                .honorific
                .as_ref()
                .map(|h| format!("{h} {}", mention.name)),
        ) {
            if spelling != person.name && !person.spellings.contains(&spelling) {
                person.spellings.push(spelling);
            }
        }
        if person.role.is_empty() && !mention.role.is_empty() {
            person.role = mention.role.clone();
            if person.organization.is_empty() {
                person.organization = mention.organization.clone();
            }
        }
        if person.country.is_empty() {
            person.country = mention.country.clone();
        }
    }
    // A name the corpus already knows needs no other evidence ("counterparts Ryabkov Sergey
    // Alexeevich and Kazem Gharibabadi").
    for person in &mut people {
        if !person.evidence
            && person.words.len() >= 2
            && std::iter::once(&person.name)
                .chain(&person.spellings)
                .any(|n| known(n))
        {
            person.evidence = true;
        }
    }
    people.retain(|p| p.evidence && (p.words.len() >= 2 || p.titled));
    people.sort_by_key(|p| p.first_sentence);
    people
}

/// Which of `people` a phrase names, if any: the person sharing the most distinctive words with
/// a capitalized run of `text`, all of the run's words being the person's.
pub fn named_in(people: &[Person], text: &str) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for run in RUN.find_iter(text) {
        let (_, name_words) = split_run(run.as_str());
        let words = distinctive(&name_words.join(" "));
        if words.is_empty() {
            continue;
        }
        for (i, person) in people.iter().enumerate() {
            if words.iter().all(|w| person.words.contains(w))
                && best.is_none_or(|(_, n)| words.len() > n)
            {
                best = Some((i, words.len()));
            }
        }
    }
    best.map(|(i, _)| i)
}

/// Folded words of a name without particles: "Al-Ansari" is ["ansari"].
fn distinctive(name: &str) -> Vec<String> {
    fold(name)
        .split(' ')
        .filter(|w| !w.is_empty() && !PARTICLES.contains(w))
        .map(str::to_string)
        .collect()
}

/// Splits a capitalized run into its leading title words and the name after them; the name
/// stops at the first word that cannot be part of one.
fn split_run(run: &str) -> (Vec<&str>, Vec<&str>) {
    let tokens: Vec<&str> = run.split_whitespace().collect();
    let mut start = 0;
    while start < tokens.len() && !name_like(tokens[start]) {
        start += 1;
    }
    let mut end = start;
    while end < tokens.len() && (name_like(tokens[end]) || is_in(PARTICLES, tokens[end])) {
        end += 1;
    }
    while end > start && is_in(PARTICLES, tokens[end - 1]) {
        end -= 1;
    }
    let name = tokens[start..end]
        .iter()
        .map(|t| t.trim_end_matches("'s").trim_end_matches("’s"))
        // "Gharibabadi." at the end of a sentence; "A." stays an initial.
        .map(|t| {
            if t.chars().count() > 2 {
                t.trim_end_matches('.')
            } else {
                t
            }
        })
        .collect();
    (tokens[..start].to_vec(), name)
}

fn name_like(token: &str) -> bool {
    let bare = token
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .trim_end_matches('.');
    let letters = bare.chars().filter(|c| c.is_alphabetic()).count();
    let all_caps = letters >= 2 && bare.chars().all(|c| !c.is_lowercase());
    let roman = matches!(bare, "II" | "III" | "IV");
    letters >= 2
        && (roman || !all_caps)
        && !bare.chars().any(|c| c.is_ascii_digit())
        && !is_in(NOT_A_NAME, bare)
        && !is_in(TITLES, bare)
        && !is_in(HONORIFICS, bare)
        && !is_in(ROLE_WORDS, bare)
        && country_of(bare).is_none()
}

fn mentions_in(sentence: &str, index: usize) -> Vec<Mention> {
    let sentence = normalize_honorifics(sentence);
    let mut out = Vec::new();
    for run in RUN.find_iter(&sentence) {
        let (lead, name_words) = split_run(run.as_str());
        if name_words.is_empty() {
            continue;
        }
        let name = name_words.join(" ");
        let words = distinctive(&name);
        if words.is_empty() {
            continue;
        }
        // The role phrase: the clause before the run, then the run's own leading title words.
        let before = clause_before(&sentence[..run.start()]);
        let mut phrase: Vec<&str> = before.split_whitespace().collect();
        phrase.extend(lead.iter().copied());
        let last = phrase.last().copied().unwrap_or("");
        let titled = is_in(TITLES, last) || is_in(HONORIFICS, last);
        let honorific = lead
            .last()
            .filter(|w| {
                is_in(HONORIFICS, w)
                    && !matches!(w.to_lowercase().as_str(), "he" | "hm" | "his" | "her")
            })
            .map(|w| w.trim_end_matches('.').to_string());
        // The name may stop before the end of the run ("Ryabkov Sergey Alexeevich of ...").
        let after_name = {
            let end_in_run = run
                .as_str()
                .find(name_words.last().copied().unwrap_or(""))
                .map(|at| at + name_words.last().map_or(0, |w| w.len()))
                .unwrap_or(run.len());
            &sentence[run.start() + end_in_run..]
        };
        let apposition = apposition(after_name);
        let speaks = speaks_after(after_name) || speaks_before(&sentence[..run.start()]);
        let (mut role, mut organization, mut country) = describe(&phrase);
        // "Foreign Minister of the People's Republic of China Wang Yi": a role phrase that runs
        // up to the name is a title too.
        let titled = titled || !role.is_empty();
        if let Some(appos) = apposition.as_ref().filter(|_| role.is_empty()) {
            let (r, o, c) = describe_apposition(appos);
            if role.is_empty() {
                role = r;
            }
            if organization.is_empty() {
                organization = o;
            }
            if country.is_empty() {
                country = c;
            }
        }
        out.push(Mention {
            name,
            honorific,
            words,
            titled,
            evidence: titled || apposition.is_some() || speaks,
            role,
            organization,
            country,
            sentence: index,
        });
    }
    out
}

/// "H E Sheikh" and "H.E. Sheikh" are "HE Sheikh".
fn normalize_honorifics(sentence: &str) -> String {
    sentence
        .replace("H E ", "HE ")
        .replace("H.E. ", "HE ")
        .replace("H. E. ", "HE ")
}

/// The clause before a position: back to the last comma, semicolon, colon, parenthesis or dash,
/// at most twelve words.
fn clause_before(text: &str) -> String {
    static PARENTHESES: LazyLock<Regex> =
        // Invariant: a constant pattern.
        LazyLock::new(|| Regex::new(r"\([^()]*\)").expect("valid pattern"));
    let text = PARENTHESES.replace_all(text, " ");
    let text = text.as_ref();
    let start = text
        .rfind([',', ';', ':', '(', '–', '—', '"', '“', '”'])
        .map(|at| at + text[at..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let words: Vec<&str> = text[start..].split_whitespace().collect();
    words[words.len().saturating_sub(12)..].join(" ")
}

/// ", a senior lecturer in International Relations at Sussex University," after a name.
fn apposition(after: &str) -> Option<String> {
    let rest = after.strip_prefix(',')?.trim_start();
    let end = rest
        .find([',', '.', ';', '(', '"', '“'])
        .unwrap_or(rest.len());
    let clause = rest[..end].trim();
    let words: Vec<&str> = clause.split_whitespace().collect();
    // A title among the first words: ", a senior lecturer", ", spokesman of the ministry".
    words
        .iter()
        .take(6)
        .position(|w| is_in(TITLES, w) && !is_in(HONORIFICS, w))?;
    // ", the Prime Minister … said that …" is a clause of its own, not an apposition.
    if words.iter().any(|w| is_in(SPEECH_VERBS, w)) {
        return None;
    }
    Some(clause.to_string())
}

/// "X said", "X, spokesman of ..., said", "X told reporters", "X once again stressed".
fn speaks_after(after: &str) -> bool {
    let rest = after.trim_start_matches(['’', '\'', 's']).trim_start();
    let rest = if let Some(r) = rest.strip_prefix(',') {
        // Skip one apposition: ", spokesman of the ministry, said".
        r.split_once(',').map(|(_, tail)| tail).unwrap_or("")
    } else {
        rest
    };
    let words: Vec<&str> = rest.split_whitespace().take(5).collect();
    let mut i = 0;
    while i < words.len()
        && matches!(
            words[i].to_lowercase().as_str(),
            "has"
                | "had"
                | "have"
                | "also"
                | "further"
                | "once"
                | "again"
                | "then"
                | "later"
                | "last"
                | "week"
                | "on"
                | "in"
                | "turn,"
                | "however,"
                | "has,"
                | "was"
                | "is"
        )
    {
        i += 1;
    }
    words
        .get(i)
        .is_some_and(|w| is_in(SPEECH_VERBS, w.trim_end_matches(',')))
}

/// "said X", "according to X".
fn speaks_before(before: &str) -> bool {
    let lower = before.trim_end().to_lowercase();
    ["said", "according to", "added", "says", "told"]
        .iter()
        .any(|v| lower.ends_with(v))
}

/// Words that head an organization's name: "of the Ministry of Foreign Affairs" is an
/// organization, "Minister of Foreign Affairs" a role.
const ORG_HEADS: &[&str] = &[
    "ministry",
    "council",
    "university",
    "institute",
    "agency",
    "organization",
    "organisation",
    "office",
    "committee",
    "bureau",
    "mission",
    "program",
    "programme",
    "centre",
    "center",
    "party",
    "government",
    "court",
    "foundation",
    "commission",
    "federation",
    "republic",
    "kingdom",
    "nations",
    "union",
    "assembly",
    "parliament",
    "bank",
    "fund",
    "army",
    "forces",
    "presidency",
    "cabinet",
    "secretariat",
];

/// Role, organization and country from the words before a name.
fn describe(phrase: &[&str]) -> (String, String, String) {
    // The longest tail of role words, country words, capitalized organization words and
    // connectors.
    let mut start = phrase.len();
    while start > 0 {
        let w = phrase[start - 1];
        let lower = w.to_lowercase();
        let connector = matches!(lower.as_str(), "of" | "for" | "and" | "to" | "the");
        // Capitalized words of an organization ("Ministry of Foreign Affairs"), never a name:
        // "Minister Sergei Ryabkov and Iranian Deputy Foreign Minister" stops at "Ryabkov".
        let org = w.chars().next().is_some_and(char::is_uppercase) && is_in(NOT_A_NAME, w);
        if is_in(TITLES, w)
            || is_in(ROLE_WORDS, w)
            || is_in(HONORIFICS, w)
            || country_of(w).is_some()
            || connector
            || org
        {
            start -= 1;
        } else {
            break;
        }
    }
    let tail: Vec<&str> = phrase[start..].to_vec();
    if !tail
        .iter()
        .any(|w| is_in(TITLES, w) && !is_in(HONORIFICS, w))
    {
        let country = tail.iter().find_map(|w| country_of(w)).unwrap_or("");
        return (String::new(), String::new(), country.to_string());
    }
    let mut country = String::new();
    let mut organization = String::new();
    let mut role_words: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tail.len() {
        let w = tail[i];
        let lower = w.to_lowercase();
        if matches!(lower.as_str(), "of" | "for")
            && tail[i + 1..]
                .iter()
                .any(|w| is_in(ORG_HEADS, w) || country_of(w).is_some())
        {
            // "for the Ministry of Foreign Affairs", "of the Russian Federation".
            let mut j = i + 1;
            while j < tail.len() && !(is_in(TITLES, tail[j]) || is_in(HONORIFICS, tail[j])) {
                j += 1;
            }
            let org: Vec<&str> = tail[i + 1..j]
                .iter()
                .copied()
                .skip_while(|w| w.eq_ignore_ascii_case("the"))
                .collect();
            let org_text = org.join(" ");
            let state = org.iter().any(|w| {
                matches!(
                    w.to_lowercase().as_str(),
                    "republic" | "federation" | "kingdom"
                )
            });
            match (state, org.iter().find_map(|w| country_of(w))) {
                (true, Some(c)) => country = c.to_string(),
                _ if org
                    .iter()
                    .all(|w| country_of(w).is_some() || w.eq_ignore_ascii_case("the")) =>
                {
                    if let Some(c) = org.iter().find_map(|w| country_of(w)) {
                        country = c.to_string();
                    }
                }
                _ => organization = org_text,
            }
            i = j;
            continue;
        }
        if let Some(c) = country_of(w) {
            if country.is_empty() {
                country = c.to_string();
            }
        } else if is_in(HONORIFICS, w) && !matches!(lower.as_str(), "his" | "her")
            || matches!(lower.as_str(), "counterpart" | "counterparts")
        {
            // Evidence of a person, not part of the role.
        } else if !(matches!(lower.as_str(), "the" | "and" | "to") && role_words.is_empty()) {
            role_words.push(title_case(w.trim_end_matches(',')));
        }
        i += 1;
    }
    while role_words.last().is_some_and(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "the" | "and" | "to" | "of" | "for"
        )
    }) {
        role_words.pop();
    }
    let role = role_words.join(" ");
    let lower = role.to_lowercase();
    if organization.is_empty() && lower.contains("foreign ministry") {
        organization = "Ministry of Foreign Affairs".to_string();
    }
    (role, organization, country)
}

/// "a senior lecturer in International Relations at Sussex University" → role and organization.
fn describe_apposition(appos: &str) -> (String, String, String) {
    let text = appos
        .trim_start_matches("a ")
        .trim_start_matches("an ")
        .trim_start_matches("the ");
    let (role, org) = match text.find(" at ").or_else(|| text.find(" of ")) {
        Some(at) => (&text[..at], text[at + 4..].trim_start_matches("the ")),
        None => (text, ""),
    };
    let country = appos
        .split_whitespace()
        .find_map(country_of)
        .unwrap_or("")
        .to_string();
    let role = role
        .split_whitespace()
        .map(title_case)
        .collect::<Vec<_>>()
        .join(" ");
    (role, org.to_string(), country)
}

fn title_case(word: &str) -> String {
    let lower = word.to_lowercase();
    if matches!(lower.as_str(), "of" | "for" | "and" | "the" | "to" | "in") {
        return lower;
    }
    if word.chars().skip(1).any(char::is_uppercase) {
        return word.to_string();
    }
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(text: &str) -> Vec<(String, String, String)> {
        find_people(&[text.to_string()], &|_| false)
            .into_iter()
            .map(|p| (p.name, p.role, p.country))
            .collect()
    }

    #[test]
    fn titles_before_names() {
        assert_eq!(
            people(
                "China's foreign vice-minister Ma Zhaoxu will chair the meeting, joined by Russia's deputy foreign minister Sergei Ryabkov."
            ),
            vec![
                (
                    "Ma Zhaoxu".into(),
                    "Foreign Vice-minister".into(),
                    "China".into()
                ),
                (
                    "Sergei Ryabkov".into(),
                    "Deputy Foreign Minister".into(),
                    "Russia".into()
                ),
            ]
        );
        assert_eq!(
            people("Iranian Supreme Leader Ayatollah Ali Khamenei rejected talks."),
            vec![(
                "Ali Khamenei".into(),
                "Supreme Leader".into(),
                "Iran".into()
            )]
        );
    }

    #[test]
    fn apposition_and_speech() {
        let found = people(
            "\"The aim,\" said Kamran Matin, a senior lecturer in International Relations at Sussex University.",
        );
        assert_eq!(found[0].0, "Kamran Matin");
        assert_eq!(found[0].1, "Senior Lecturer in International Relations");
        assert!(people("The Munich Security Conference opened on Friday.").is_empty());
    }
}
