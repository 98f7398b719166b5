//! `/timeline [article]`: the events in order: by date where known, else in the article's order,
//! across every article unless one is named.

use crate::indexed::Indexed;
use crate::reply::{Invocation, Reply};
use crate::search::Kind;

use super::{Args, CommandSpec, OptionSpec, lookup};
use crate::wording;

pub static SPEC: CommandSpec = CommandSpec {
    name: "timeline",
    description: "Events in order, across articles or in one",
    options: &[OptionSpec::text("article", "Only this article").completes(Kind::Article)],
    admin: false,
    subcommands: &[],
};

#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub article: Option<String>,
}

impl Timeline {
    pub fn from_args(args: &Args) -> Timeline {
        Timeline {
            article: args.get("article"),
        }
    }

    pub fn apply(&self, corpus: &Indexed) -> Reply {
        let only = match &self.article {
            None => None,
            Some(query) => match lookup::find(corpus, Kind::Article, query, |id| {
                Invocation::new("timeline").arg("article", id)
            }) {
                Ok(index) => Some(index),
                Err(reply) => return reply,
            },
        };
        // (sort key, article, event): an undated event takes the date of the dated event before
        // it in its article (else after it, else the article's), keeping its place among them.
        let mut events: Vec<(String, usize, usize)> = Vec::new();
        for (a, article) in corpus.articles.iter().enumerate() {
            if only.is_some_and(|o| o != a) {
                continue;
            }
            for e in 0..article.events.len() {
                let dated = |i: &usize| article.events[*i].date.clone();
                let key = (0..=e)
                    .rev()
                    .find_map(|i| dated(&i))
                    .or_else(|| (e..article.events.len()).find_map(|i| dated(&i)))
                    .or_else(|| article.published.clone())
                    .unwrap_or_default();
                events.push((key, a, e));
            }
        }
        // Stable: same-day events keep article order; older articles first.
        events.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)).then(x.2.cmp(&y.2)));
        if events.is_empty() {
            return Reply::failure("No events", "No article in scope lists any events.");
        }
        let mut reply = Reply {
            ok: true,
            title: match only {
                Some(a) => format!("Timeline: {}", corpus.articles[a].title),
                None => "Timeline".to_string(),
            },
            ..Reply::default()
        };
        reply.field(
            format!("{} in order", wording::count(events.len(), "event")),
            events
                .iter()
                .map(|&(_, a, e)| wording::event_line(corpus, a, e))
                .collect(),
        );
        let articles: Vec<usize> = events.iter().map(|&(_, a, _)| a).collect();
        reply.footer = wording::footer(corpus, &articles);
        reply.results = events
            .iter()
            .map(|&(_, a, e)| wording::event_result(corpus, a, e))
            .collect();
        reply
    }
}
