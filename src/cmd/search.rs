//! `/search query:<text>`: everything that matches, grouped by kind, best first, each hit with
//! where it is.

use crate::indexed::Indexed;
use crate::reply::Reply;
use crate::search::{Kind, Target};

use super::{Args, CommandSpec, OptionSpec};
use crate::wording;

pub static SPEC: CommandSpec = CommandSpec {
    name: "search",
    description: "Search people, context, articles and statements",
    options: &[OptionSpec::text("query", "Words to look for, in any spelling").required()],
    admin: false,
    subcommands: &[],
};

/// At most this many hits of each kind.
const PER_KIND: usize = 10;

#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    pub query: String,
}

impl Search {
    pub fn from_args(args: &Args) -> Search {
        Search {
            query: args.get("query").unwrap_or_default(),
        }
    }

    pub fn apply(&self, corpus: &Indexed) -> Reply {
        let mut reply = Reply {
            ok: true,
            title: format!("Search: \u{201c}{}\u{201d}", self.query),
            ..Reply::default()
        };
        let mut total = 0;
        let mut articles = Vec::new();
        for (kind, heading) in [
            (Kind::Person, "People"),
            (Kind::Topic, "Context"),
            (Kind::Article, "Articles"),
            (Kind::Statement, "Statements"),
            (Kind::Event, "Events"),
        ] {
            let hits = corpus.index.search(&self.query, &[kind], PER_KIND);
            total += hits.len();
            let lines: Vec<String> = hits
                .iter()
                .map(|hit| line(corpus, hit.target, &mut articles))
                .collect();
            reply
                .results
                .extend(hits.iter().map(|hit| result(corpus, hit.target)));
            reply.field(format!("{heading} ({})", hits.len()), lines);
        }
        if total == 0 {
            let mut reply = Reply::failure(
                format!("Nothing matches \u{201c}{}\u{201d}", self.query),
                "No person, context item, article or statement matches these words.",
            );
            let nearest = corpus.index.nearest(&self.query, Kind::Person, 3);
            reply.suggestions = nearest
                .iter()
                .map(|hit| crate::reply::Suggestion {
                    label: wording::target_label(corpus, hit.target),
                    invocation: crate::reply::Invocation::new("who")
                        .arg("name", &wording::target_id(corpus, hit.target)),
                })
                .collect();
            return reply;
        }
        reply.body = format!("{} found, best first.", wording::count(total, "match"));
        reply.footer = wording::footer(corpus, &articles);
        reply
    }
}

/// A hit as a line with where it is; records the articles it comes from.
fn line(corpus: &Indexed, target: Target, articles: &mut Vec<usize>) -> String {
    let i = target.index as usize;
    match target.kind {
        Kind::Person => {
            articles.extend(corpus.people[i].appearances.iter().map(|a| a.article));
            wording::person_label(corpus, i)
        }
        Kind::Topic => {
            let topic = &corpus.topics[i];
            articles.extend(topic.items.iter().map(|at| at.article));
            format!("{} (/context topic:{})", topic.title, topic.id)
        }
        Kind::Article => {
            articles.push(i);
            wording::target_label(corpus, target)
        }
        Kind::Statement => {
            let at = corpus.statements[i];
            articles.push(at.article);
            format!(
                "{} (in \u{201c}{}\u{201d})",
                wording::statement_line(corpus, at, true),
                corpus.articles[at.article].title
            )
        }
        Kind::Event => {
            let at = corpus.events[i];
            articles.push(at.article);
            format!(
                "{} (in \u{201c}{}\u{201d})",
                wording::event_line(corpus, at.article, at.index),
                corpus.articles[at.article].title
            )
        }
    }
}

fn result(corpus: &Indexed, target: Target) -> crate::reply::ResultItem {
    let i = target.index as usize;
    match target.kind {
        Kind::Person => wording::person_result(corpus, i),
        Kind::Topic => wording::topic_result(corpus, i),
        Kind::Article => wording::article_result(corpus, i),
        Kind::Statement => wording::statement_result(corpus, corpus.statements[i]),
        Kind::Event => {
            let at = corpus.events[i];
            wording::event_result(corpus, at.article, at.index)
        }
    }
}
