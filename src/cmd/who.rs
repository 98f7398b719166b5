//! `/who name:<person>`: a person's profile, what they said, and who else was there.

use crate::indexed::Indexed;
use crate::reply::{Invocation, Reply};
use crate::search::Kind;

use super::{Args, CommandSpec, OptionSpec, lookup};
use crate::wording;

pub static SPEC: CommandSpec = CommandSpec {
    name: "who",
    description: "A person's profile: role, aliases, articles, statements",
    options: &[OptionSpec::text("name", "The person, in any spelling")
        .required()
        .completes(Kind::Person)],
    admin: false,
    subcommands: &[],
};

#[derive(Debug, Clone, PartialEq)]
pub struct Who {
    pub name: String,
}

impl Who {
    pub fn from_args(args: &Args) -> Who {
        Who {
            name: args.get("name").unwrap_or_default(),
        }
    }

    pub fn apply(&self, corpus: &Indexed) -> Reply {
        let index = match lookup::find(corpus, Kind::Person, &self.name, |id| {
            Invocation::new("who").arg("name", id)
        }) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        let person = &corpus.people[index];
        let current = person.current();
        let mut reply = Reply {
            ok: true,
            title: person.name.clone(),
            ..Reply::default()
        };
        let mut lines = Vec::new();
        let role: Vec<&str> = [current.role.as_str(), current.organization.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if !role.is_empty() {
            lines.push(role.join(", "));
        }
        if !current.country.is_empty() {
            lines.push(format!("Country: {}", current.country));
        }
        if let Some(description) = &current.description {
            lines.push(description.clone());
        }
        reply.body = lines.join("\n");
        reply.field(
            "Also known as",
            vec![person.aliases.join(", ")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
        );

        let articles: Vec<usize> = person.appearances.iter().map(|a| a.article).collect();
        reply.field(
            "Appears in",
            person
                .appearances
                .iter()
                .map(|appearance| {
                    let article = &corpus.articles[appearance.article];
                    let date = article.published.as_deref().unwrap_or("undated");
                    if appearance.role.is_empty() {
                        format!("{} ({date})", article.title)
                    } else {
                        format!("{} ({date}), as {}", article.title, appearance.role)
                    }
                })
                .collect(),
        );

        let said = wording::statements_where(corpus, |s| s.speaker.as_deref() == Some(&person.id));
        let lines = if said.is_empty() {
            vec!["None recorded: the articles name them but report nothing they said.".to_string()]
        } else {
            said.iter()
                .map(|&at| wording::statement_line(corpus, at, false))
                .collect()
        };
        reply.field(format!("Statements ({})", said.len()), lines);

        let mut others: Vec<usize> = Vec::new();
        for &a in &articles {
            for participant in &corpus.articles[a].participants {
                if let Some(other) = corpus.person_index(&participant.id)
                    && other != index
                    && !others.contains(&other)
                {
                    others.push(other);
                }
            }
        }
        reply.field(
            "Also there",
            others
                .iter()
                .map(|&o| wording::person_label(corpus, o))
                .collect(),
        );
        reply.footer = wording::footer(corpus, &articles);
        reply.results.push(wording::person_result(corpus, index));
        reply
            .results
            .extend(said.iter().map(|&at| wording::statement_result(corpus, at)));
        reply
    }
}
