//! `/articles`: the loaded articles, newest first, with counts.

use crate::indexed::Indexed;
use crate::reply::Reply;

use super::CommandSpec;
use crate::wording;

pub static SPEC: CommandSpec = CommandSpec {
    name: "articles",
    description: "The loaded articles, newest first",
    options: &[],
    admin: false,
    subcommands: &[],
};

#[derive(Debug, Clone, PartialEq)]
pub struct Articles;

impl Articles {
    pub fn apply(&self, corpus: &Indexed) -> Reply {
        if corpus.articles.is_empty() {
            return Reply::failure(
                "No articles",
                "The corpus has no articles yet: add files to data/articles/.",
            );
        }
        let mut reply = Reply {
            ok: true,
            title: format!("Articles ({})", corpus.articles.len()),
            ..Reply::default()
        };
        let lines = corpus
            .articles
            .iter()
            .map(|a| {
                format!(
                    "{} — {} · {}, {}, {} (/brief article:{})",
                    a.title,
                    a.published.as_deref().unwrap_or("undated"),
                    wording::count(a.participants.len(), "person"),
                    wording::count(a.statements.len(), "statement"),
                    wording::count(a.events.len(), "event"),
                    a.id
                )
            })
            .collect();
        reply.field("Newest first", lines);
        reply.results = (0..corpus.articles.len())
            .map(|a| wording::article_result(corpus, a))
            .collect();
        reply
    }
}
