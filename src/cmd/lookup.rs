//! Finding the one person, topic or article a command is about, or asking which.
//!
//! An exact id wins outright (buttons and autocomplete send ids); otherwise the search index
//! decides, and an unsure answer becomes a "did you mean" reply whose suggestions rerun the
//! command with the id picked. Never an empty reply.

use crate::indexed::Indexed;
use crate::reply::{Invocation, Reply, Suggestion};
use crate::search::{Kind, Resolution, Target, resolve};

use crate::wording;

/// Resolves `query` to an index in the corpus list of `kind`, or the reply to send instead.
/// `rerun` builds the invocation that runs the command again for a picked id.
pub fn find(
    corpus: &Indexed,
    kind: Kind,
    query: &str,
    rerun: impl Fn(&str) -> Invocation,
) -> Result<usize, Reply> {
    let exact = match kind {
        Kind::Person => corpus.person_index(query),
        Kind::Topic => corpus.topic_index(query),
        Kind::Article => corpus.article_index(query),
        Kind::Statement | Kind::Event => None,
    };
    if let Some(index) = exact {
        return Ok(index);
    }
    let noun = noun(kind);
    let suggest = |targets: &[Target]| -> Vec<Suggestion> {
        targets
            .iter()
            .map(|&target| Suggestion {
                label: wording::target_label(corpus, target),
                invocation: rerun(&wording::target_id(corpus, target)),
            })
            .collect()
    };
    match resolve(&corpus.index, query, kind) {
        Resolution::Found(target) => Ok(target.index as usize),
        Resolution::Ambiguous(targets) => {
            let names: Vec<String> = targets
                .iter()
                .map(|&t| wording::target_name(corpus, t))
                .collect();
            let mut reply = Reply::failure(
                format!("Did you mean {}?", wording::or_list(&names)),
                format!("More than one {noun} matches \u{201c}{query}\u{201d}. Pick one below."),
            );
            reply.suggestions = suggest(&targets);
            Err(reply)
        }
        Resolution::NotFound(nearest) => {
            let body = if nearest.is_empty() {
                format!("The corpus has no {noun} yet.")
            } else {
                format!("No {noun} matches that. The nearest names are below.")
            };
            let mut reply =
                Reply::failure(format!("No {noun} matches \u{201c}{query}\u{201d}"), body);
            reply.suggestions = suggest(&nearest);
            Err(reply)
        }
    }
}

fn noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "person",
        Kind::Topic => "context item",
        Kind::Article => "article",
        Kind::Statement => "statement",
        Kind::Event => "event",
    }
}
