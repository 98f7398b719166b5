//! `/statements [speaker] [topic] [article]`: what someone said, or every statement on a topic.
//! Unnamed sources are found by their attribution ("analyst", "experts").
//!
//! A `speaker` that is, as a whole, a country's name, abbreviation or demonym ("China", "Chinese",
//! "US", "Iranian"; see `country`) means a country, not one person: the statements of speakers
//! from it (their country in that article, or else the country another article gives them) and
//! of sources whose attribution names it ("a Chinese analyst", "Iran's mission to the U.N.",
//! "Tehran"), and the title says so. A person's exact id is still that person.
//!
//! A person's statements come from the index's per-person list, and an attribution is matched
//! once per distinct attribution text, not once per statement: both would otherwise walk every
//! statement of the corpus on every request.

use crate::corpus::StatementRef;
use crate::country::{self, Country};
use crate::indexed::{Attributions, Indexed};
use crate::reply::{Invocation, Reply};
use crate::search::{Kind, Resolution, words_match};

use super::{Args, CommandSpec, OptionSpec, lookup};
use crate::wording;

pub static SPEC: CommandSpec = CommandSpec {
    name: "statements",
    description: "What someone said, or every statement on a topic",
    options: &[
        OptionSpec::text(
            "speaker",
            "A person, or an unnamed source such as \"analyst\"",
        )
        .completes(Kind::Person),
        OptionSpec::text("topic", "A context item, e.g. JCPOA").completes(Kind::Topic),
        OptionSpec::text("article", "Only this article").completes(Kind::Article),
    ],
    admin: false,
    subcommands: &[],
};

#[derive(Debug, Clone, PartialEq)]
pub struct Statements {
    pub speaker: Option<String>,
    pub topic: Option<String>,
    pub article: Option<String>,
}

/// Who the user asked about: a person, or the unnamed sources whose attribution matches.
enum Speaker {
    /// Index in `corpus.people`.
    Person(usize),
    Attribution(String),
    /// Speakers from the country, and attributions naming it.
    Country(&'static Country),
}

impl Statements {
    pub fn from_args(args: &Args) -> Statements {
        Statements {
            speaker: args.get("speaker"),
            topic: args.get("topic"),
            article: args.get("article"),
        }
    }

    /// This command again with one option replaced: what a "did you mean" button runs.
    fn with(&self, option: &str, value: &str) -> Invocation {
        let mut invocation = Invocation::new("statements");
        for (name, current) in [
            ("speaker", &self.speaker),
            ("topic", &self.topic),
            ("article", &self.article),
        ] {
            if name == option {
                invocation = invocation.arg(name, value);
            } else if let Some(current) = current {
                invocation = invocation.arg(name, current);
            }
        }
        invocation
    }

    pub fn apply(&self, corpus: &Indexed) -> Reply {
        let speaker = match &self.speaker {
            None => None,
            Some(query) => match self.speaker(corpus, query) {
                Ok(speaker) => Some(speaker),
                Err(reply) => return reply,
            },
        };
        let topic = match &self.topic {
            None => None,
            Some(query) => {
                match lookup::find(corpus, Kind::Topic, query, |id| self.with("topic", id)) {
                    Ok(index) => Some(index),
                    // With a person as speaker, an ambiguous topic ("sanctions") is narrowed to the
                    // candidates that person's statements cite: one left is the answer.
                    Err(reply) => {
                        match (&speaker, lookup::resolution(corpus, Kind::Topic, query)) {
                            (Some(Speaker::Person(p)), Resolution::Ambiguous(targets)) => {
                                let cites = |t: usize| {
                                    corpus.quotes.said_by(*p).iter().any(|&i| {
                                        let statement =
                                            corpus.statement(corpus.statements[i as usize]);
                                        statement.topics.iter().any(|id| id == &corpus.topics[t].id)
                                    })
                                };
                                let cited: Vec<usize> = targets
                                    .iter()
                                    .map(|t| t.index as usize)
                                    .filter(|&t| cites(t))
                                    .collect();
                                match cited[..] {
                                    [only] => Some(only),
                                    _ => return reply,
                                }
                            }
                            _ => return reply,
                        }
                    }
                }
            }
        };
        let article = match &self.article {
            None => None,
            Some(query) => {
                match lookup::find(corpus, Kind::Article, query, |id| self.with("article", id)) {
                    Ok(index) => Some(index),
                    Err(reply) => return reply,
                }
            }
        };

        // In corpus order whichever list: the index's lists are ascending. The filters below
        // still apply to all of them.
        let quotes = &corpus.quotes;
        let listed = match (&speaker, topic) {
            (Some(Speaker::Person(p)), _) => Some(quotes.said_by(*p)),
            (_, Some(t)) => Some(quotes.citing(t)),
            _ => None,
        };
        // (place in `corpus.statements`, statement)
        let candidates: Box<dyn Iterator<Item = (usize, StatementRef)>> = match listed {
            Some(list) => Box::new(
                list.iter()
                    .map(|&i| (i as usize, corpus.statements[i as usize])),
            ),
            None => Box::new(corpus.statements.iter().copied().enumerate()),
        };
        let mut attributed = Attributed::new(corpus);
        let found: Vec<StatementRef> = candidates
            .filter(|(_, at)| article.is_none_or(|a| at.article == a))
            .filter(|&(i, at)| {
                // Read only when a filter needs it: an attribution is matched by its number.
                let statement = || corpus.statement(at);
                let by = match &speaker {
                    None | Some(Speaker::Person(_)) => true,
                    Some(Speaker::Attribution(query)) => attributed.matches(query, i),
                    Some(Speaker::Country(wanted)) => {
                        speaker_country(corpus, at)
                            .is_some_and(|theirs| country::same(theirs, wanted))
                            || statement()
                                .attribution
                                .as_deref()
                                .is_some_and(|text| country::named_in(wanted, text))
                    }
                };
                let on = topic.is_none_or(|t| {
                    statement()
                        .topics
                        .iter()
                        .any(|id| id == &corpus.topics[t].id)
                });
                by && on
            })
            .map(|(_, at)| at)
            .collect();

        let mut scope = Vec::new();
        match &speaker {
            Some(Speaker::Person(p)) => scope.push(format!("by {}", corpus.people[*p].name)),
            Some(Speaker::Attribution(query)) => {
                scope.push(format!("by sources matching \u{201c}{query}\u{201d}"))
            }
            Some(Speaker::Country(wanted)) => scope.push(format!(
                "by speakers from {name} and sources naming {name}",
                name = wanted.name
            )),
            None => {}
        }
        if let Some(t) = topic {
            scope.push(format!("on {}", corpus.topics[t].title));
        }
        if let Some(a) = article {
            scope.push(format!("in \u{201c}{}\u{201d}", corpus.articles[a].title));
        }
        let scope = if scope.is_empty() {
            String::new()
        } else {
            format!(" {}", scope.join(" "))
        };
        if found.is_empty() {
            return Reply::failure(
                format!("No statements{scope}"),
                "Nothing in the corpus matches all of these. Try fewer options, or /search.",
            );
        }
        let articles: Vec<usize> = found.iter().map(|at| at.article).collect();
        let mut reply = Reply {
            ok: true,
            title: format!("Statements{scope} ({})", found.len()),
            ..Reply::default()
        };
        let with_speaker = !matches!(speaker, Some(Speaker::Person(_)));
        // Lines are built only for what the reply can show (the engine caps a reply at
        // MAX_LINES lines and MAX_RESULTS results): "analyst" over 10k articles matches thousands
        // of statements, and formatting them all would be most of the request. The rest is
        // counted, in the words `Reply::cap` uses.
        // Room for the "Not shown" line within the cap when some are left out.
        let room = if found.len() > super::MAX_LINES {
            super::MAX_LINES - 1
        } else {
            found.len()
        };
        let shown = &found[..room];
        let one_article = found.iter().all(|at| at.article == found[0].article);
        let mut groups: Vec<(usize, Vec<String>)> = Vec::new();
        for &at in shown {
            let line = wording::statement_line(corpus, at, with_speaker);
            match groups.last_mut() {
                Some((a, lines)) if *a == at.article => lines.push(line),
                _ => groups.push((at.article, vec![line])),
            }
        }
        if one_article {
            for (_, lines) in groups {
                reply.field("Statements", lines);
            }
        } else {
            for (a, lines) in groups {
                reply.field(article_heading(corpus, a), lines);
            }
        }
        if found.len() > shown.len() {
            reply.field(
                "Not shown",
                vec![format!(
                    "{} more lines. Narrow the question with the command's options.",
                    found.len() - shown.len()
                )],
            );
        }
        reply.footer = wording::footer(corpus, &articles);
        reply.results = found
            .iter()
            .take(super::MAX_RESULTS)
            .map(|&at| wording::statement_result(corpus, at))
            .collect();
        reply
    }

    fn speaker(&self, corpus: &Indexed, query: &str) -> Result<Speaker, Reply> {
        if let Some(p) = corpus.person_index(query) {
            return Ok(Speaker::Person(p));
        }
        if let Some(wanted) = country::find(query).filter(|c| c.is_country()) {
            return Ok(Speaker::Country(wanted));
        }
        // A name decides first; then unnamed sources ("the analyst", "the joint statement"),
        // before a role could pick one person ("analyst" is also Alex Vatanka's role).
        if let Some(p) = lookup::named(corpus, query) {
            return Ok(Speaker::Person(p));
        }
        // Each distinct attribution is some statement's.
        let any = corpus
            .attributions()
            .texts
            .iter()
            .any(|text| words_match(query, text));
        if any {
            return Ok(Speaker::Attribution(query.to_string()));
        }
        lookup::find(corpus, Kind::Person, query, |id| self.with("speaker", id))
            .map(Speaker::Person)
    }
}

/// [`words_match`] of one query against attribution texts, remembered per distinct text
/// ([`crate::indexed::Attributions`]): a corpus has few distinct attributions ("A senior
/// official", "Analysts") over many statements.
struct Attributed<'a> {
    attributions: &'a Attributions,
    /// Per distinct text: not yet matched, or whether it matches.
    seen: Vec<Option<bool>>,
}

impl<'a> Attributed<'a> {
    fn new(corpus: &'a Indexed) -> Attributed<'a> {
        let attributions = corpus.attributions();
        Attributed {
            attributions,
            seen: vec![None; attributions.texts.len()],
        }
    }

    /// Whether the `i`-th statement of the corpus has an attribution matching `query`.
    fn matches(&mut self, query: &str, i: usize) -> bool {
        let Some(&id) = self.attributions.of.get(i) else {
            return false;
        };
        let Some(slot) = self.seen.get_mut(id as usize) else {
            // Attributions::NONE: no attribution.
            return false;
        };
        *slot.get_or_insert_with(|| words_match(query, &self.attributions.texts[id as usize]))
    }
}

/// The country of a named speaker as the table knows it: the one their appearance in the
/// statement's article gives, or else the newest another article gives.
fn speaker_country(corpus: &Indexed, at: StatementRef) -> Option<&'static Country> {
    let person = corpus.person(corpus.statement(at).speaker.as_deref()?)?;
    let here = person
        .appearances
        .iter()
        .filter(|a| a.article == at.article);
    here.chain(person.appearances.iter())
        .map(|&a| &corpus.participant(a).country)
        .find(|country| !country.is_empty())
        .and_then(|country| country::find(country))
}

fn article_heading(corpus: &Indexed, article: usize) -> String {
    let a = &corpus.articles[article];
    match &a.published {
        Some(date) => format!("{} ({date})", a.title),
        None => a.title.clone(),
    }
}
