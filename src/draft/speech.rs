//! What people said: direct quotes and reported speech, and who said it.
//!
//! Each paragraph is split into sentences (never inside a quote). A sentence holding a quote of
//! five words or more gives a `quote`; its speaker is found in the words around the quote ("…,"
//! Khamenei said; Al Ansari added, "…"; "…," said the spokesperson). A quote with no speaker
//! beside it continues the one before it in the paragraph, or the speaker of the paragraph
//! before. Any other sentence with a verb of speech gives a `paraphrase`: "X said (that) …",
//! "…, X said on Thursday.", "according to X, …", "X told reporters …".
//!
//! Speakers: a name is looked up among the article's people; "he"/"she" is the current speaker;
//! a description ("the spokesperson", "the Chinese vice foreign minister", "the Leader") is the
//! person whose role fits it best. Sources that are not people ("CCTV", "the statement",
//! "Iran's permanent mission to the United Nations", "state media") become attributions. Every
//! speaker the drafter inferred rather than read is noted for review.

use std::sync::LazyLock;

use regex::Regex;

use super::people::{Person, named_in};
use super::words::{NOT_A_NAME, SOURCE_NOUNS, SPEECH_VERBS, TITLES, country_of, is_in};

/// Who said something.
#[derive(Debug, Clone, PartialEq)]
pub enum Speaker {
    /// An index into the article's people.
    Person(usize),
    /// A source that is not a person: "CCTV", "The statement".
    Source(String),
}

/// One statement found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Said {
    pub speaker: Speaker,
    /// Quoted words (true) or reported speech.
    pub quote: bool,
    pub text: String,
    /// "Wednesday", "yesterday", "last week", from the sentence.
    pub said: Option<String>,
    /// The sentence it came from.
    pub sentence: String,
    /// How the speaker was inferred, when it was not named beside the words.
    pub inferred: Option<String>,
}

// Invariant (all): constant patterns, exercised by every test that drafts.
static VERB: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = SPEECH_VERBS
        .iter()
        .map(|v| regex::escape(v))
        .collect::<Vec<_>>()
        .join("|");
    // Invariant: a constant pattern (built from constant word lists), compiled by every draft test.
    Regex::new(&format!(r"\b(?:{verbs})\b")).expect("valid pattern")
});
static WHEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:(?:on|last|this|on\s+the\s+morning\s+of)\s+((?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|week|month|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})|(yesterday|today|earlier this week|last week)|(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b")
        // Invariant: a constant pattern (built from constant word lists), compiled by every draft test.
        .expect("valid pattern")
});
static TIME_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:On|on)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|[A-Z][a-z]+\.?\s+\d{1,2})|Yesterday|Today|Earlier|Later|Meanwhile|Last week)\b,?\s*")
        // Invariant: a constant pattern (built from constant word lists), compiled by every draft test.
        .expect("valid pattern")
});
static ACCORDING_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: a constant pattern (built from constant word lists), compiled by every draft test.
    Regex::new(r"^(?i:according to)\s+([^,]{2,90}),\s*(.+)$").expect("valid pattern")
});
static ACCORDING_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: a constant pattern (built from constant word lists), compiled by every draft test.
    Regex::new(r"^(.+?),\s*(?i:according to)\s+([^,]{2,90}?)[.]?$").expect("valid pattern")
});

/// The statements of an article's paragraphs, in order.
pub fn statements(paragraphs: &[Vec<String>], people: &[Person]) -> Vec<Said> {
    let mut out: Vec<Said> = Vec::new();
    let mut current: Option<usize> = None;
    for paragraph in paragraphs {
        let mut previous_quote: Option<Speaker> = None;
        for sentence in paragraph {
            let quotes = full_quotes(sentence);
            if !quotes.is_empty() {
                let mut rest = String::new();
                let mut text = String::new();
                let mut at = 0;
                for (start, end, inner) in &quotes {
                    rest.push_str(&sentence[at..*start]);
                    rest.push_str(" \u{1} ");
                    at = *end;
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(inner.trim());
                }
                rest.push_str(&sentence[at..]);
                let text = finish_quote(&text);
                let found = rest
                    .split(['\u{1}', ',', ';'])
                    .find_map(|clause| quote_subject(clause, people, current));
                let (speaker, inferred) = match (found, &previous_quote, current) {
                    (Some(found), _, _) => found,
                    (None, Some(speaker), _) => (
                        speaker.clone(),
                        Some("continues the quote before it".to_string()),
                    ),
                    (None, None, Some(person)) => (
                        Speaker::Person(person),
                        Some(format!(
                            "no speaker beside the quote; gave it to {}",
                            people[person].name
                        )),
                    ),
                    (None, None, None) => continue,
                };
                if let Speaker::Person(i) = speaker {
                    current = Some(i);
                }
                previous_quote = Some(speaker.clone());
                out.push(Said {
                    speaker,
                    quote: true,
                    text,
                    said: when(sentence),
                    sentence: sentence.clone(),
                    inferred,
                });
                continue;
            }
            previous_quote = None;
            // "Trump said …, but Araghchi said …": each part may have its own speaker.
            for part in parts(sentence) {
                if let Some((speaker, text, inferred)) = reported(&part, people, current) {
                    if let Speaker::Person(i) = speaker {
                        current = Some(i);
                    }
                    out.push(Said {
                        speaker,
                        quote: false,
                        text,
                        said: when(sentence),
                        sentence: sentence.clone(),
                        inferred,
                    });
                }
            }
        }
    }
    out
}

/// The coordinated parts of a sentence ("…, but …", "…; …"), with inserted adverbials (", in
/// turn,", ", however,") taken out.
fn parts(sentence: &str) -> Vec<String> {
    let mut text = sentence.to_string();
    for insert in [
        ", in turn,",
        ", however,",
        ", meanwhile,",
        ", too,",
        ", for his part,",
        ", for her part,",
        ", in response,",
        ", in a statement,",
        ", once again,",
    ] {
        text = text.replace(insert, "");
    }
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(at) = [", but ", "; ", ", while ", ", whereas "]
        .iter()
        .filter_map(|sep| rest.find(sep).map(|at| (at, sep.len())))
        .min()
    {
        let (left, right) = (&rest[..at.0], &rest[at.0 + at.1..]);
        // Only where both sides report speech: "…, but the form … is still being scrutinized,
        // he added" is one statement.
        if !(VERB.is_match(left) && VERB.is_match(right)) {
            break;
        }
        out.push(left.to_string());
        rest = right;
    }
    out.push(rest.to_string());
    out
}

/// Splits a paragraph into sentences, never inside a quote nor after an abbreviation or an
/// initial ("Dr.", "U.S.", "H. E.").
pub fn sentences(paragraph: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut curly = 0i32;
    let mut straight = false;
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        match c {
            '“' => curly += 1,
            '”' => curly = (curly - 1).max(0),
            '"' => straight = !straight,
            _ => {}
        }
        let ends = matches!(c, '.' | '!' | '?');
        if ends {
            // Take a closing quote that follows the stop.
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '”' | '’' | ')') {
                match chars[j].1 {
                    '”' => curly = (curly - 1).max(0),
                    '"' => straight = !straight,
                    _ => {}
                }
                j += 1;
            }
            let next_space = j < chars.len() && chars[j].1.is_whitespace();
            let next_word = chars[j..]
                .iter()
                .find(|(_, c)| !c.is_whitespace())
                .map(|(_, c)| *c);
            let starts_sentence = next_word.is_some_and(|c| {
                c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '(')
            });
            let word_before: String = paragraph[start..at]
                .rsplit(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("")
                .to_string();
            let abbreviation = is_abbreviation(&word_before);
            if (c != '.' || !abbreviation)
                && curly == 0
                && !straight
                && next_space
                && starts_sentence
            {
                let end = chars.get(j).map_or(paragraph.len(), |(at, _)| *at);
                out.push(paragraph[start..end].trim().to_string());
                start = end;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    let tail = paragraph[start..].trim();
    if !tail.is_empty() {
        out.push(tail.to_string());
    }
    out
}

fn is_abbreviation(word: &str) -> bool {
    let bare = word.trim_start_matches(['(', '"', '“']);
    let letters: Vec<char> = bare.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() == 1
        || bare.matches('.').count() >= 1 && letters.len() <= 3 && bare.contains('.')
        || matches!(
            bare,
            "Dr" | "Mr"
                | "Mrs"
                | "Ms"
                | "St"
                | "Jr"
                | "Sr"
                | "Prof"
                | "Gen"
                | "Lt"
                | "Col"
                | "No"
                | "vs"
                | "Gov"
                | "Sen"
                | "Rep"
                | "Capt"
                | "Maj"
                | "Sgt"
                | "Rev"
                | "Mt"
                | "Ft"
        )
}

/// The quotes of five words or more in a sentence: (start, end, inner text). Shorter quoted
/// words are a phrase the sentence uses, not a statement.
fn full_quotes(sentence: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (at, c) in sentence.char_indices() {
        match (open, c) {
            (None, '“') | (None, '"') => open = Some((at, c)),
            (Some((start, '“')), '”') | (Some((start, '"')), '"') => {
                let inner = &sentence[start + c.len_utf8()..at];
                if inner.split_whitespace().count() >= 5 {
                    out.push((start, at + c.len_utf8(), inner.to_string()));
                }
                open = None;
            }
            _ => {}
        }
    }
    if let Some((start, c)) = open {
        // A quote that runs on into the next paragraph.
        let inner = &sentence[start + c.len_utf8()..];
        if inner.split_whitespace().count() >= 5 {
            out.push((start, sentence.len(), inner.to_string()));
        }
    }
    out
}

/// A quote's text as a sentence: "…, they aim at domination," ends with a period.
fn finish_quote(text: &str) -> String {
    let text = text.trim().trim_end_matches([',', ' ']);
    let mut text = text.to_string();
    if !text.ends_with(['.', '!', '?', '…']) {
        text.push('.');
    }
    text
}

/// The speaker named in a clause beside a quote: "Khamenei said at a meeting", "said the
/// spokesperson", "he added in English".
fn quote_subject(
    clause: &str,
    people: &[Person],
    current: Option<usize>,
) -> Option<(Speaker, Option<String>)> {
    let clause = clause
        .trim()
        .trim_matches(|c: char| c == '.' || c == ',' || c.is_whitespace());
    let verb = VERB.find(clause)?;
    let before = clause[..verb.start()].trim();
    if before.is_empty() {
        // "said the spokesperson", "said Kamran Matin, a senior lecturer"
        let after = clause[verb.end()..].trim();
        return subject(after, people, current);
    }
    let before = strip_adverbs(before);
    subject(before, people, current)
}

/// Reported speech in one sentence without a quote: (speaker, text, how it was inferred).
fn reported(
    sentence: &str,
    people: &[Person],
    current: Option<usize>,
) -> Option<(Speaker, String, Option<String>)> {
    let body = sentence.trim().trim_end_matches('.');
    if let Some(caps) = ACCORDING_LEAD.captures(body) {
        let (speaker, inferred) = subject(&caps[1], people, current)?;
        return Some((speaker, sentence_case(&caps[2]), inferred));
    }
    if let Some(caps) = ACCORDING_TAIL.captures(body) {
        let (speaker, inferred) = subject(&caps[2], people, current)?;
        return Some((speaker, sentence_case(&caps[1]), inferred));
    }
    for verb in VERB.find_iter(body) {
        let before = &body[..verb.start()];
        let after = &body[verb.end()..];
        // "Khamenei has mocked Trump, saying he wasn't interested in talks": the speaker is the
        // subject of the sentence.
        // "spoke about the results" reports speech; "spoke to students" does not.
        if verb.as_str() == "spoke"
            && !(after.trim_start().starts_with("about ") || after.trim_start().starts_with("of "))
        {
            continue;
        }
        if verb.as_str() == "saying" {
            let opening: String = body
                .split_whitespace()
                .take(8)
                .collect::<Vec<_>>()
                .join(" ");
            let text = after.trim_start();
            let text = text.strip_prefix("that ").unwrap_or(text);
            if let Some(i) = named_in(people, &opening)
                && text.split_whitespace().count() >= 4
            {
                return Some((Speaker::Person(i), sentence_case(text), None));
            }
            continue;
        }
        // "…, said the spokesperson" / "…, said Alex Vatanka, director of …"
        if before.trim_end().ends_with(',') {
            let who = after.split(',').next().unwrap_or("").trim();
            if let Some((speaker, inferred)) = subject(who, people, current) {
                let text = before.trim_end().trim_end_matches(',');
                if text.split_whitespace().count() >= 4 {
                    return Some((speaker, sentence_case(text), inferred));
                }
            }
        }
        // The subject is the clause before the verb; when that clause is an aside
        // ("X, responding to media inquiries on March 13, stated …"), the one before it.
        // A clause naming someone beats a description beside it ("…, Mao Ning, a spokesperson
        // of its foreign ministry, told …").
        let commas: Vec<usize> = before.match_indices(',').map(|(at, _)| at).collect();
        let mut found = None;
        for by_name in [true, false] {
            for k in (0..=commas.len()).rev().take(3) {
                let start = if k == 0 { 0 } else { commas[k - 1] + 1 };
                let end = commas.get(k).copied().unwrap_or(before.len());
                let clause = strip_adverbs(before[start..end].trim());
                if clause.is_empty() || by_name && named_in(people, clause).is_none() {
                    continue;
                }
                if let Some(who) = subject(clause, people, current) {
                    found = Some((start.saturating_sub(1), who));
                    break;
                }
            }
            if found.is_some() {
                break;
            }
        }
        let Some((pre_end, (speaker, inferred))) = found else {
            continue;
        };
        let pre = &before[..pre_end];
        let subject_clause = before[pre_end..].trim_start_matches(',').trim();
        let pre_words = pre.split_whitespace().count();
        let after_words = after.split_whitespace().count();
        let leads_with_that = after.trim_start().starts_with("that ");
        // "…, Mao Ning said during a press briefing on Wednesday.": what follows the verb is
        // at most a short adjunct of time or place.
        // "…, the spokesperson said, adding that …"; "…, Mao Ning told a regular press
        // conference on Wednesday."
        let adjunct = after.trim_start().starts_with(',')
            || verb.as_str() == "told" && after_words <= 8 && !after.contains(" that ")
            || after_words == 0
            || after_words <= 7
                && after.split_whitespace().next().is_some_and(|w| {
                    matches!(
                        w.to_lowercase().as_str(),
                        "on" | "in"
                            | "at"
                            | "during"
                            | "yesterday"
                            | "today"
                            | "last"
                            | "this"
                            | "earlier"
                            | "later"
                            | "after"
                            | "while"
                            | "when"
                            | "to"
                            | "from"
                            | "before"
                            | "as"
                            | "told"
                            | "according"
                            | "speaking"
                            | "addressing"
                    )
                });
        let text = if pre_words >= 5 && !leads_with_that && adjunct {
            // "The delegates will exchange views …, spokeswoman Mao Ning said on Wednesday."
            pre.trim().to_string()
        } else {
            let mut text = after.trim_start_matches([',', ' ']).to_string();
            // "said in an interview that he had sent a letter"
            if let Some(first) = text.split_whitespace().next()
                && matches!(
                    first,
                    "in" | "at" | "during" | "on" | "to" | "after" | "before"
                )
                && let Some(at) = text.find(" that ")
                && text[..at].split_whitespace().count() <= 12
            {
                text = text[at + 6..].to_string();
            }
            if verb.as_str() == "told" {
                // "told reporters that …", "told Fox Business …"
                text = match text.find(" that ") {
                    Some(at) if at < 40 => text[at + 6..].to_string(),
                    _ => text,
                };
            }
            // "said, during the weekly media briefing …, that the Palestinian …"
            if let Some(at) = text.find(", that ")
                && text[..at].split_whitespace().count() <= 25
            {
                text = text[at + 7..].to_string();
            }
            let text = text.strip_prefix("that ").unwrap_or(&text).to_string();
            let say = matches!(
                verb.as_str(),
                "said"
                    | "says"
                    | "stated"
                    | "added"
                    | "told"
                    | "noted"
                    | "stressed"
                    | "emphasized"
                    | "emphasised"
                    | "affirmed"
                    | "underscored"
                    | "explained"
                    | "indicated"
                    | "pointed out"
                    | "warned"
                    | "confirmed"
                    | "reiterated"
                    | "mentioned"
                    | "insisted"
                    | "clarified"
                    | "elaborated"
                    | "underlined"
            ) && after.trim_start().starts_with("that ")
                || matches!(verb.as_str(), "said" | "says" | "told" | "added");
            if say {
                text
            } else {
                // "Ma once again stressed China's support for …": the whole clause reads best.
                format!(
                    "{subject_clause} {} {}",
                    verb.as_str(),
                    after.trim_start_matches([',', ' '])
                )
            }
        };
        if text.split_whitespace().count() < 4 {
            continue;
        }
        return Some((speaker, sentence_case(&text), inferred));
    }
    None
}

/// "Trump last week", "Ma once again", "Gharibabadi, in turn" → the speaker's words alone.
fn strip_adverbs(text: &str) -> &str {
    let mut text = text.trim();
    loop {
        let before = text;
        for tail in [
            " also",
            " further",
            " once again",
            " again",
            " then",
            " later",
            " last week",
            " in turn",
            " however",
            " has",
            " had",
            " have",
            " previously",
            " earlier",
            " yesterday",
            " today",
            " on Wednesday",
            " on Thursday",
            " on Friday",
            " on Monday",
            " on Tuesday",
            " on Saturday",
            " on Sunday",
            " recently",
            " repeatedly",
            " itself",
        ] {
            if let Some(stripped) = text.strip_suffix(tail) {
                text = stripped.trim_end_matches(',').trim();
            }
        }
        if text == before {
            return text;
        }
    }
}

/// Resolves who a subject phrase is: a person of the article, or a source that is not a person.
fn subject(
    phrase: &str,
    people: &[Person],
    current: Option<usize>,
) -> Option<(Speaker, Option<String>)> {
    let phrase = phrase.trim().trim_end_matches(['.', ',']);
    // "On Wednesday the Supreme Leader": the time is no part of the subject.
    let phrase = TIME_LEAD
        .find(phrase)
        .map_or(phrase, |m| &phrase[m.end()..]);
    let words: Vec<&str> = phrase.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    // A subject is a noun phrase: a clause with a subordinating word ("comments that came after
    // President Trump", "even though he's") is not one.
    if words.iter().any(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "that"
                | "which"
                | "who"
                | "after"
                | "when"
                | "before"
                | "while"
                | "because"
                | "though"
                | "although"
                | "if"
                | "since"
                | "until"
                | "whether"
                | "where"
        )
    }) {
        return None;
    }
    // Nor is an adverbial: "Addressing a joint press with … Antony Blinken", "During the
    // briefing", "In Beijing".
    let first = words[0].to_lowercase();
    if first.ends_with("ing")
        && country_of(words[0]).is_none()
        && named_in(people, words[0]).is_none()
        || matches!(
            first.as_str(),
            "during"
                | "in"
                | "at"
                | "with"
                | "after"
                | "before"
                | "following"
                | "on"
                | "for"
                | "from"
                | "to"
                | "by"
                | "under"
                | "amid"
                | "despite"
                | "as"
                | "upon"
                | "ahead"
        )
    {
        return None;
    }
    // The name ends the phrase ("China's Foreign Ministry spokesperson Mao Ning"), not some
    // word inside it ("Trump's re-imposition of his so-").
    let tail = words[words.len().saturating_sub(5)..].join(" ");
    if let Some(i) = named_in(people, &tail) {
        return Some((Speaker::Person(i), None));
    }
    if words.len() > 12 {
        return None;
    }
    let lower = phrase.to_lowercase();
    if matches!(lower.as_str(), "he" | "she") {
        let i = current?;
        return Some((
            Speaker::Person(i),
            Some(format!("“{phrase}” read as {}", people[i].name)),
        ));
    }
    if matches!(
        lower.as_str(),
        "they" | "it" | "we" | "i" | "you" | "this" | "that" | "which" | "who"
    ) {
        return None;
    }
    // A description: "the spokesperson", "the Chinese vice foreign minister", "the Leader".
    let described = words.iter().any(|w| is_in(TITLES, w));
    if described && let Some(i) = by_role(people, &words, current) {
        return Some((
            Speaker::Person(i),
            Some(format!("“{phrase}” read as {}", people[i].name)),
        ));
    }
    let capital = words[0].chars().next().is_some_and(char::is_uppercase);
    let article = matches!(words[0].to_lowercase().as_str(), "the" | "a" | "an");
    let source_noun = words.iter().any(|w| is_in(SOURCE_NOUNS, w))
        || SOURCE_NOUNS
            .iter()
            .any(|n| n.contains(' ') && lower.contains(n));
    let proper = capital
        && !article
        && words.len() <= 8
        && (words
            .iter()
            .any(|w| is_in(NOT_A_NAME, w) || country_of(w).is_some())
            || words.iter().all(|w| w.chars().all(|c| !c.is_lowercase())));
    if (source_noun && (article || capital || words.len() <= 3) && words.len() <= 10) || proper {
        return Some((Speaker::Source(capitalized(phrase)), None));
    }
    None
}

/// The person whose role best fits a description: shared role words, plus the country its
/// adjective names; the current speaker wins a tie.
fn by_role(people: &[Person], words: &[&str], current: Option<usize>) -> Option<usize> {
    let norm = |w: &str| -> String {
        let w = w.to_lowercase();
        if w.starts_with("spokes") {
            "spokes".to_string()
        } else {
            w
        }
    };
    let wanted: Vec<String> = words
        .iter()
        .filter(|w| is_in(TITLES, w) || super::words::is_in(super::words::ROLE_WORDS, w))
        .map(|w| norm(w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')))
        .collect();
    let head: Vec<String> = words
        .iter()
        .filter(|w| is_in(TITLES, w))
        .map(|w| norm(w))
        .collect();
    let countries: Vec<&str> = words.iter().filter_map(|w| country_of(w)).collect();
    let mut best: Option<(usize, usize)> = None;
    for (i, person) in people.iter().enumerate() {
        let role: Vec<String> = person.role.split_whitespace().map(norm).collect();
        if !head.iter().any(|h| role.contains(h)) {
            continue;
        }
        let mut score = wanted.iter().filter(|w| role.contains(w)).count() * 2;
        if countries.iter().any(|c| *c == person.country) {
            score += 1;
        }
        if Some(i) == current {
            score += 1;
        }
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((i, score));
        }
    }
    best.map(|(i, _)| i)
}

/// When a statement was made, as the sentence puts it.
fn when(sentence: &str) -> Option<String> {
    let caps = WHEN.captures(sentence)?;
    let text = caps
        .get(1)
        .or_else(|| caps.get(2))
        .or_else(|| caps.get(3))?
        .as_str();
    let whole = caps.get(0)?.as_str();
    Some(
        if whole.starts_with("last ") || whole.starts_with("this ") {
            whole.to_string()
        } else {
            text.to_string()
        },
    )
}

/// "state media" → "State media", no final period: an attribution, not a sentence.
fn capitalized(text: &str) -> String {
    let mut chars = text.trim().chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn sentence_case(text: &str) -> String {
    let text = text.trim().trim_end_matches(',');
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !out.ends_with(['.', '!', '?', '"', '”']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_keep_quotes_and_abbreviations_whole() {
        let got = sentences(
            "\"We sat down. We negotiated,\" he added. Dr. Al Ansari said the U.S. side agreed. Then it ended.",
        );
        assert_eq!(
            got,
            vec![
                "\"We sat down. We negotiated,\" he added.",
                "Dr. Al Ansari said the U.S. side agreed.",
                "Then it ended.",
            ]
        );
    }
}
