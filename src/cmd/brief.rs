//! `/brief [article]`: an article at a glance: headline, date, place, who took part, key points,
//! events. The newest article by default.

use crate::indexed::Indexed;
use crate::reply::{Invocation, Reply};
use crate::search::Kind;

use super::{Args, CommandSpec, OptionSpec, lookup};
use crate::wording;

pub static SPEC: CommandSpec = CommandSpec {
    name: "brief",
    description: "An article at a glance (the newest by default)",
    options: &[OptionSpec::text("article", "The article, by title or id").completes(Kind::Article)],
    admin: false,
    subcommands: &[],
};

/// How many key points a brief lists: one per source, in the article's order.
const KEY_POINTS: usize = 6;

#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    pub article: Option<String>,
}

impl Brief {
    pub fn from_args(args: &Args) -> Brief {
        Brief {
            article: args.get("article"),
        }
    }

    pub fn apply(&self, corpus: &Indexed) -> Reply {
        let index = match &self.article {
            Some(query) => match lookup::find(corpus, Kind::Article, query, |id| {
                Invocation::new("brief").arg("article", id)
            }) {
                Ok(index) => index,
                Err(reply) => return reply,
            },
            None if corpus.articles.is_empty() => {
                return Reply::failure(
                    "No articles",
                    "The corpus has no articles yet: add files to data/articles/.",
                );
            }
            None => 0,
        };
        let article = &corpus.articles[index];
        let mut reply = Reply {
            ok: true,
            title: article.title.clone(),
            url: article.url.clone(),
            ..Reply::default()
        };
        let mut header: Vec<String> = Vec::new();
        if let Some(date) = &article.published {
            header.push(date.clone());
        }
        if let Some(place) = &article.location {
            header.push(place.clone());
        }
        if let Some(source) = &article.source {
            header.push(source.clone());
        }
        if let Some(byline) = &article.byline {
            header.push(format!("by {}", byline.name));
        }
        reply.body = if header.is_empty() {
            article.summary.clone()
        } else {
            format!("{}\n{}", header.join(" · "), article.summary)
        };
        reply.field(
            "Who took part",
            article
                .participants
                .iter()
                .map(|p| {
                    let detail: Vec<&str> = [p.role.as_str(), p.country.as_str()]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect();
                    if detail.is_empty() {
                        p.name.clone()
                    } else {
                        format!("{} ({})", p.name, detail.join(", "))
                    }
                })
                .collect(),
        );
        let statements: Vec<_> = corpus
            .statements
            .iter()
            .copied()
            .filter(|at| at.article == index)
            .collect();
        let mut sources = Vec::new();
        let mut key_points = Vec::new();
        for &at in &statements {
            let who = corpus.speaker_name(corpus.statement(at));
            if !sources.contains(&who) && key_points.len() < KEY_POINTS {
                sources.push(who);
                key_points.push(wording::statement_line(corpus, at, true));
            }
        }
        reply.field("Key points", key_points);
        reply.field(
            "Events",
            (0..article.events.len())
                .map(|e| wording::event_line(corpus, index, e))
                .collect(),
        );
        reply.field(
            "Statements",
            vec![format!(
                "{} from {} — see /statements article:{}",
                wording::count(statements.len(), "statement"),
                wording::count(sources_of(corpus, &statements), "source"),
                article.id
            )],
        );
        reply.footer = wording::footer(corpus, &[index]);
        reply.results.push(wording::article_result(corpus, index));
        reply
    }
}

fn sources_of(corpus: &Indexed, statements: &[crate::corpus::StatementRef]) -> usize {
    let mut names: Vec<String> = statements
        .iter()
        .map(|&at| corpus.speaker_name(corpus.statement(at)))
        .collect();
    names.sort();
    names.dedup();
    names.len()
}
