//! The shared wording of answers: how a person, a statement or an article reads in a reply, and
//! its machine-readable result. Commands compose these so the same thing reads the same everywhere.

use crate::article::StatementKind;
use crate::corpus::{Corpus, StatementRef};
use crate::corpus::{Kind, Target};
use crate::reply::ResultItem;

/// The name or title of a target.
pub fn target_name(corpus: &Corpus, target: Target) -> String {
    let i = target.index as usize;
    match target.kind {
        Kind::Person => corpus.people[i].name.clone(),
        Kind::Topic => corpus.topics[i].title.clone(),
        Kind::Article => corpus.articles[i].title.clone(),
        Kind::Statement => {
            let statement = corpus.statement(corpus.statements[i]);
            corpus.speaker_name(statement)
        }
        Kind::Event => {
            let at = corpus.events[i];
            corpus.articles[at.article].events[at.index].what.clone()
        }
    }
}

/// A name with what tells it apart: "Sergei Ryabkov (Deputy Foreign Minister, Russia)".
pub fn target_label(corpus: &Corpus, target: Target) -> String {
    let i = target.index as usize;
    match target.kind {
        Kind::Person => person_label(corpus, i),
        Kind::Article => {
            let article = &corpus.articles[i];
            match &article.published {
                Some(date) => format!("{} ({date})", article.title),
                None => article.title.clone(),
            }
        }
        _ => target_name(corpus, target),
    }
}

pub fn person_label(corpus: &Corpus, person: usize) -> String {
    let person = &corpus.people[person];
    let current = person.current();
    let detail: Vec<&str> = [current.role.as_str(), current.country.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if detail.is_empty() {
        person.name.clone()
    } else {
        format!("{} ({})", person.name, detail.join(", "))
    }
}

/// The id a command option takes for a target.
pub fn target_id(corpus: &Corpus, target: Target) -> String {
    let i = target.index as usize;
    match target.kind {
        Kind::Person => corpus.people[i].id.clone(),
        Kind::Topic => corpus.topics[i].id.clone(),
        Kind::Article => corpus.articles[i].id.clone(),
        Kind::Statement => statement_id(corpus, corpus.statements[i]),
        Kind::Event => {
            let at = corpus.events[i];
            format!("{}/events/{}", corpus.articles[at.article].id, at.index)
        }
    }
}

pub fn statement_id(corpus: &Corpus, at: StatementRef) -> String {
    format!("{}/statements/{}", corpus.articles[at.article].id, at.index)
}

/// "A", "A or B", "A, B or C".
pub fn or_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// "1 statement", "3 statements", "2 people", "4 matches".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        return format!("1 {noun}");
    }
    match noun {
        "person" => format!("{n} people"),
        _ if noun.ends_with("ch") || noun.ends_with('s') => format!("{n} {noun}es"),
        _ => format!("{n} {noun}s"),
    }
}

/// One statement as a line: who, when (as written, with the date it resolves to; see
/// `dates`), via whom, and the words, quoted only when the article quotes them.
pub fn statement_line(corpus: &Corpus, at: StatementRef, with_speaker: bool) -> String {
    let statement = corpus.statement(at);
    let mut detail = Vec::new();
    if statement.kind == StatementKind::Paraphrase {
        detail.push("reported".to_string());
    }
    if let Some(said) = &statement.said {
        // "Thursday (2025-03-13)": the words as written, dated against the article.
        let published = crate::dates::article_day(&corpus.articles[at.article]);
        detail.push(crate::dates::shown(said, published));
    }
    if let Some(via) = &statement.via {
        detail.push(format!("via {via}"));
    }
    let words = match statement.kind {
        StatementKind::Quote => format!("\u{201c}{}\u{201d}", statement.text),
        StatementKind::Paraphrase => statement.text.clone(),
    };
    let who = if with_speaker {
        corpus.speaker_name(statement)
    } else {
        String::new()
    };
    match (who.is_empty(), detail.is_empty()) {
        (true, true) => words,
        (true, false) => format!("({}) {words}", detail.join(", ")),
        (false, true) => format!("{who}: {words}"),
        (false, false) => format!("{who} ({}): {words}", detail.join(", ")),
    }
}

/// "From “title” (2025-03-13, Global Times)".
pub fn footer(corpus: &Corpus, articles: &[usize]) -> Option<String> {
    // Distinct articles by sorting a copy: a statement list over thousands of articles would
    // make a `contains` walk quadratic.
    let mut seen = articles.to_vec();
    seen.sort_unstable();
    seen.dedup();
    match seen.as_slice() {
        [] => None,
        [one] => {
            let article = &corpus.articles[*one];
            let detail: Vec<&str> = [article.published.as_deref(), article.source.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            Some(if detail.is_empty() {
                format!("From \u{201c}{}\u{201d}", article.title)
            } else {
                format!(
                    "From \u{201c}{}\u{201d} ({})",
                    article.title,
                    detail.join(", ")
                )
            })
        }
        many => Some(format!("From {} articles", many.len())),
    }
}

pub fn person_result(corpus: &Corpus, person: usize) -> ResultItem {
    let person = &corpus.people[person];
    let current = person.current();
    ResultItem::Participant {
        id: person.id.clone(),
        name: person.name.clone(),
        role: current.role.clone(),
        organization: current.organization.clone(),
        country: current.country.clone(),
    }
}

pub fn statement_result(corpus: &Corpus, at: StatementRef) -> ResultItem {
    let statement = corpus.statement(at);
    ResultItem::Statement {
        id: statement_id(corpus, at),
        name: corpus.speaker_name(statement),
        speaker: statement.speaker.clone(),
        attribution: statement.attribution.clone(),
        article: corpus.articles[at.article].id.clone(),
        text: statement.text.clone(),
        form: match statement.kind {
            StatementKind::Quote => "quote",
            StatementKind::Paraphrase => "paraphrase",
        }
        .to_string(),
        said: statement.said.clone(),
        via: statement.via.clone(),
    }
}

pub fn topic_result(corpus: &Corpus, topic: usize) -> ResultItem {
    let topic = &corpus.topics[topic];
    ResultItem::Context {
        id: topic.id.clone(),
        name: topic.title.clone(),
    }
}

pub fn article_result(corpus: &Corpus, article: usize) -> ResultItem {
    let article = &corpus.articles[article];
    ResultItem::Article {
        id: article.id.clone(),
        name: article.title.clone(),
        published: article.published.clone(),
    }
}

pub fn event_result(corpus: &Corpus, article: usize, event: usize) -> ResultItem {
    let a = &corpus.articles[article];
    let e = &a.events[event];
    ResultItem::Event {
        id: format!("{}/events/{event}", a.id),
        name: e.what.clone(),
        when: e.when.clone(),
        date: e.date.clone(),
        article: a.id.clone(),
    }
}

/// One event as a line: "Friday (2025-03-14), Beijing: the meeting ...".
pub fn event_line(corpus: &Corpus, article: usize, event: usize) -> String {
    let e = &corpus.articles[article].events[event];
    let mut when = e.when.clone();
    if let Some(date) = &e.date {
        when = format!("{when} ({date})");
    }
    if e.place.is_empty() {
        format!("{when}: {}", e.what)
    } else {
        format!("{when}, {}: {}", e.place, e.what)
    }
}

/// The statements, in corpus order, that satisfy `keep`.
pub fn statements_where(
    corpus: &Corpus,
    keep: impl Fn(&crate::article::Statement) -> bool,
) -> Vec<StatementRef> {
    corpus
        .statements
        .iter()
        .copied()
        .filter(|&at| keep(corpus.statement(at)))
        .collect()
}

/// One event as a line that leads with its date, for lists read newest first:
/// "2025-03-14 · Beijing: China, Russia and Iran hold talks". An event without a date of its own
/// gives its own words and the date of the article that reports it, "2019 (reported 2025-03-14)",
/// so a reader can tell a known day from a day the article only implies.
pub fn event_line_dated(corpus: &Corpus, article: usize, event: usize) -> String {
    let a = &corpus.articles[article];
    let e = &a.events[event];
    let when = match (&e.date, &a.published) {
        (Some(date), _) => date.clone(),
        (None, Some(published)) => format!("{} (reported {published})", e.when),
        (None, None) => e.when.clone(),
    };
    if e.place.is_empty() {
        format!("{when}: {}", e.what)
    } else {
        format!("{when} \u{b7} {}: {}", e.place, e.what)
    }
}
