//! `/context topic:<context>`: the background a reader needs, and what was said about it.

use crate::indexed::Indexed;
use crate::reply::{Invocation, Reply};
use crate::search::Kind;

use super::{Args, CommandSpec, OptionSpec, lookup};
use crate::wording;

pub static SPEC: CommandSpec = CommandSpec {
    name: "context",
    description: "Background on a topic, and the statements about it",
    options: &[OptionSpec::text("topic", "The topic, e.g. JCPOA")
        .required()
        .completes(Kind::Topic)],
    admin: false,
    subcommands: &[],
};

/// The most articles' descriptions of a topic the body quotes (a topic in hundreds of
/// articles would otherwise be hundreds of paragraphs); the rest are counted.
const MAX_TEXTS: usize = 5;

#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    pub topic: String,
}

impl Context {
    pub fn from_args(args: &Args) -> Context {
        Context {
            topic: args.get("topic").unwrap_or_default(),
        }
    }

    pub fn apply(&self, corpus: &Indexed) -> Reply {
        let index = match lookup::find(corpus, Kind::Topic, &self.topic, |id| {
            Invocation::new("context").arg("topic", id)
        }) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        let topic = &corpus.topics[index];
        let mut reply = Reply {
            ok: true,
            title: topic.title.clone(),
            ..Reply::default()
        };
        let texts: Vec<(usize, &str)> = corpus.topic_texts(topic).collect();
        reply.body = match texts.as_slice() {
            [(_, text)] => text.to_string(),
            texts => texts
                .iter()
                .take(MAX_TEXTS)
                .map(|&(a, text)| {
                    format!(
                        "{} ({}): {text}",
                        corpus.articles[a].title,
                        corpus.articles[a].published.as_deref().unwrap_or("undated")
                    )
                })
                .collect::<Vec<_>>()
                .join("\n\n"),
        };
        if topic.items.len() > MAX_TEXTS {
            reply.body.push_str(&format!(
                "\n\n{} more articles describe it; /statements topic:{} lists what was said.",
                topic.items.len() - MAX_TEXTS,
                topic.id
            ));
        }
        reply.field(
            "Also called",
            vec![topic.aliases.join(", ")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
        );
        // The statements citing the topic, counted once per corpus (not a walk of them all).
        let linked: Vec<_> = corpus
            .quotes
            .citing(index)
            .iter()
            .filter_map(|&i| corpus.statements.get(i as usize).copied())
            .collect();
        // Lines are built only for what the reply shows (`answer` caps a reply at MAX_LINES
        // lines and MAX_RESULTS results); the rest is counted, in the words `Reply::cap` uses,
        // with room for that line within the cap.
        let before: usize = reply.fields.iter().map(|f| f.lines.len()).sum();
        let room = if before + linked.len() > super::MAX_LINES {
            super::MAX_LINES.saturating_sub(before + 1)
        } else {
            linked.len()
        };
        reply.field(
            format!("Statements ({})", linked.len()),
            linked[..room]
                .iter()
                .map(|&at| wording::statement_line(corpus, at, true))
                .collect(),
        );
        if linked.len() > room {
            reply.field(
                "Not shown",
                vec![format!(
                    "{} more lines. Narrow the question with the command's options.",
                    linked.len() - room
                )],
            );
        }
        let articles: Vec<usize> = topic.items.iter().map(|at| at.article).collect();
        reply.footer = wording::footer(corpus, &articles);
        reply.results.push(wording::topic_result(corpus, index));
        reply.results.extend(
            linked
                .iter()
                .take(super::MAX_RESULTS.saturating_sub(1))
                .map(|&at| wording::statement_result(corpus, at)),
        );
        reply
    }
}
