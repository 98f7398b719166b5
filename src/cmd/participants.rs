//! `/participants [article] [country] [organization]`: the people, grouped by country.
//!
//! A `country` that the country table knows ("US", "U.S.", "American", "United States"; see
//! `country`) keeps the people whose own country field is that same country by any of its names.
//! Any other value is matched word by word against the field, as before. Without an article, a
//! person is listed by their newest appearance that gives a country.

use crate::country;
use crate::indexed::Indexed;
use crate::reply::{Invocation, Reply};
use crate::search::{Kind, words_match};

use super::{Args, CommandSpec, OptionSpec, lookup};
use crate::wording;

pub static SPEC: CommandSpec = CommandSpec {
    name: "participants",
    description: "The people in the story, grouped by country",
    options: &[
        OptionSpec::text("article", "Only this article").completes(Kind::Article),
        OptionSpec::text("country", "Only this country, e.g. Iran"),
        OptionSpec::text(
            "organization",
            "Only this organization, e.g. Foreign Ministry",
        ),
    ],
    admin: false,
    subcommands: &[],
};

#[derive(Debug, Clone, PartialEq)]
pub struct Participants {
    pub article: Option<String>,
    pub country: Option<String>,
    pub organization: Option<String>,
}

impl Participants {
    pub fn from_args(args: &Args) -> Participants {
        Participants {
            article: args.get("article"),
            country: args.get("country"),
            organization: args.get("organization"),
        }
    }

    pub fn apply(&self, corpus: &Indexed) -> Reply {
        let article = match &self.article {
            None => None,
            Some(query) => {
                let rerun = |id: &str| {
                    let mut invocation = Invocation::new("participants").arg("article", id);
                    if let Some(country) = &self.country {
                        invocation = invocation.arg("country", country);
                    }
                    if let Some(organization) = &self.organization {
                        invocation = invocation.arg("organization", organization);
                    }
                    invocation
                };
                match lookup::find(corpus, Kind::Article, query, rerun) {
                    Ok(index) => Some(index),
                    Err(reply) => return reply,
                }
            }
        };
        let wanted = self.country.as_deref().map(|q| (q, country::find(q)));
        // (country, person): each person once, as the article in scope (or the newest) shows them.
        let mut found: Vec<(String, usize)> = Vec::new();
        for (p, person) in corpus.people.iter().enumerate() {
            let Some(appearance) = corpus.seen_in(person, article) else {
                continue;
            };
            let country_ok = match wanted {
                None => true,
                Some((_, Some(known))) => country::find(appearance.country)
                    .is_some_and(|theirs| country::same(theirs, known)),
                Some((q, None)) => words_match(q, appearance.country),
            };
            let organization_ok = self
                .organization
                .as_deref()
                .is_none_or(|q| words_match(q, appearance.organization));
            if country_ok && organization_ok {
                found.push((appearance.country.to_string(), p));
            }
        }
        let mut scope = Vec::new();
        if let Some(a) = article {
            scope.push(format!("in \u{201c}{}\u{201d}", corpus.articles[a].title));
        }
        match wanted {
            // The user's words, and the country they were read as when that is news to them.
            Some((q, Some(known))) if q != known.name => {
                scope.push(format!("from \u{201c}{q}\u{201d} ({})", known.name))
            }
            Some((q, _)) => scope.push(format!("from \u{201c}{q}\u{201d}")),
            None => {}
        }
        if let Some(organization) = &self.organization {
            scope.push(format!("at \u{201c}{organization}\u{201d}"));
        }
        let scope = if scope.is_empty() {
            String::new()
        } else {
            format!(" {}", scope.join(" "))
        };
        if found.is_empty() {
            return Reply::failure(
                format!("No participants{scope}"),
                "Nobody in the corpus matches all of these. Try fewer options.",
            );
        }
        found.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut reply = Reply {
            ok: true,
            title: format!("Participants{scope} ({})", found.len()),
            ..Reply::default()
        };
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for (country, p) in &found {
            let person = &corpus.people[*p];
            let Some(appearance) = corpus.seen_in(person, article) else {
                continue;
            };
            let detail: Vec<&str> = [appearance.role, appearance.organization]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            let line = if detail.is_empty() {
                person.name.clone()
            } else {
                format!("{} — {}", person.name, detail.join(", "))
            };
            match groups.last_mut() {
                Some((c, lines)) if c == country => lines.push(line),
                _ => groups.push((country.clone(), vec![line])),
            }
        }
        for (country, lines) in groups {
            let heading = if country.is_empty() {
                "Country not given".to_string()
            } else {
                country
            };
            reply.field(format!("{heading} ({})", lines.len()), lines);
        }
        let articles: Vec<usize> = match article {
            Some(a) => vec![a],
            None => found
                .iter()
                .flat_map(|(_, p)| corpus.people[*p].appearances.iter().map(|a| a.article))
                .collect(),
        };
        reply.footer = wording::footer(corpus, &articles);
        reply.results = found
            .iter()
            .map(|&(_, p)| wording::person_result(corpus, p))
            .collect();
        reply
    }
}
