//! Autocomplete: the choices offered while a user types an option that names a person, a context
//! item or an article. Ranked by the same index as the commands, typos included.

use crate::cmd::{self, Completes};
use crate::indexed::Indexed;
use crate::search::{Kind, Target};

use crate::wording;

/// Discord shows at most 25 choices.
pub const MAX_CHOICES: usize = 25;
// The index counts as many defaults as a reply can show.
const _: () = assert!(crate::corpus::quotes::DEFAULTS >= MAX_CHOICES);

/// A choice's name and value are at most 100 characters.
pub const MAX_CHOICE_LEN: usize = 100;

/// One choice: what the user sees, and the id the command receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub name: String,
    pub value: String,
}

/// Up to 25 choices for a partial input. An empty input lists the most-quoted people, the
/// most-cited topics, or the newest articles.
pub fn complete(corpus: &Indexed, kind: Kind, partial: &str) -> Vec<Choice> {
    let partial: String = partial.chars().take(MAX_CHOICE_LEN).collect();
    let targets: Vec<Target> = if partial.trim().is_empty() {
        default_targets(corpus, kind)
    } else {
        corpus
            .index
            .search(&partial, &[kind], MAX_CHOICES)
            .into_iter()
            .map(|hit| hit.target)
            .collect()
    };
    targets
        .into_iter()
        .take(MAX_CHOICES)
        .map(|target| Choice {
            name: cut(&wording::target_label(corpus, target), MAX_CHOICE_LEN),
            value: cut(&wording::target_id(corpus, target), MAX_CHOICE_LEN),
        })
        .collect()
}

/// Choices for `/follow about:` and `/unfollow about:`: people and topics together, ranked by
/// the index; an empty input offers the most-quoted people, then the most-cited topics.
pub fn followable(corpus: &Indexed, partial: &str) -> Vec<Choice> {
    let partial: String = partial.chars().take(MAX_CHOICE_LEN).collect();
    let targets: Vec<Target> = if partial.trim().is_empty() {
        let people = default_targets(corpus, Kind::Person);
        let topics = default_targets(corpus, Kind::Topic);
        let half = MAX_CHOICES / 2;
        let take_people = people.len().min(MAX_CHOICES - topics.len().min(half));
        people
            .into_iter()
            .take(take_people)
            .chain(topics)
            .take(MAX_CHOICES)
            .collect()
    } else {
        corpus
            .index
            .search(&partial, &[Kind::Person, Kind::Topic], MAX_CHOICES)
            .into_iter()
            .map(|hit| hit.target)
            .collect()
    };
    targets
        .into_iter()
        .map(|target| Choice {
            name: cut(&wording::target_label(corpus, target), MAX_CHOICE_LEN),
            value: cut(&wording::target_id(corpus, target), MAX_CHOICE_LEN),
        })
        .collect()
}

/// What completes option `option` of command `path` ("who", "/statements", "digest
/// subscribe"), or why nothing does: the question Discord's autocomplete asks, for the
/// `complete` subcommand.
pub fn completes(path: &str, option: &str) -> Result<Completes, String> {
    let path = path.trim().trim_start_matches('/');
    let Some(spec) = cmd::spec(path) else {
        let names: Vec<&str> = cmd::COMMANDS.iter().map(|c| c.name).collect();
        return Err(format!(
            "unknown command \"/{path}\"; the commands are: /{}",
            names.join(", /")
        ));
    };
    let Some(found) = spec.options.iter().find(|o| o.name == option) else {
        let names: Vec<&str> = spec.options.iter().map(|o| o.name).collect();
        return Err(format!(
            "/{path} has no option \"{option}\"; its options are: {}",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        ));
    };
    found.autocomplete.ok_or_else(|| {
        let names: Vec<&str> = spec
            .options
            .iter()
            .filter(|o| o.autocomplete.is_some())
            .map(|o| o.name)
            .collect();
        format!(
            "option \"{option}\" of /{path} does not autocomplete{}",
            if names.is_empty() {
                String::new()
            } else {
                format!("; these do: {}", names.join(", "))
            }
        )
    })
}

/// The choices Discord gets for an option that `completes`, with `text` typed: at most
/// [`MAX_CHOICES`], none with an empty name or value. The one path of the gateway, the HTTP
/// endpoint and `briefing-bot complete`.
pub fn option_choices(corpus: &Indexed, completes: Completes, text: &str) -> Vec<Choice> {
    let mut choices = match completes {
        Completes::Kind(kind) => complete(corpus, kind, text),
        Completes::Question => cmd::ask::complete(corpus, text),
        Completes::Followable => followable(corpus, text),
    };
    choices.truncate(MAX_CHOICES);
    choices.retain(|c| !c.name.is_empty() && !c.value.is_empty());
    choices
}

/// What an empty input offers, counted once per corpus (see [`crate::corpus::quotes`]).
fn default_targets(corpus: &Indexed, kind: Kind) -> Vec<Target> {
    let target = |index: u32| Target { kind, index };
    let quotes = &corpus.quotes;
    match kind {
        Kind::Person => quotes.most_quoted().iter().copied().map(target).collect(),
        Kind::Topic => quotes.most_cited().iter().copied().map(target).collect(),
        Kind::Article => (0..corpus.articles.len().min(MAX_CHOICES) as u32)
            .map(target)
            .collect(),
        Kind::Statement | Kind::Event => Vec::new(),
    }
}

/// `text` cut to at most `max` characters, ending in "…" when cut.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
