//! The commands: one table of declarations, and a `Command` enum that dispatches.
//!
//! Each command lives in its own module with its declaration ([`CommandSpec`]: name, description,
//! options, which options autocomplete) and its handler, which returns a [`Reply`]. The table
//! [`COMMANDS`] drives the console parser, `/help`, Discord's registration and autocomplete, so
//! nothing is declared twice.

mod articles;
mod brief;
mod context;
pub mod digest;
pub mod help;
mod lookup;
mod participants;
mod reload;
pub(crate) mod render;
mod search;
mod statements;
mod status;
mod timeline;
mod who;

pub mod complete;

use std::fmt;

use crate::corpus::Corpus;
use crate::live::Live;
use crate::reply::{Invocation, Reply};
use crate::search::Kind;

/// A command's declaration.
#[derive(Debug)]
pub struct CommandSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub options: &'static [OptionSpec],
    /// Hidden from members without Manage Server, and checked again when received.
    pub admin: bool,
    /// A group such as `/digest` has subcommands (`/digest subscribe`) and no options of its own.
    pub subcommands: &'static [CommandSpec],
}

/// One option of a command.
#[derive(Debug)]
pub struct OptionSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub kind: OptionKind,
    pub required: bool,
    /// Which corpus list completes this option as the user types.
    pub autocomplete: Option<Kind>,
    /// The longest value accepted, in characters.
    pub max_length: usize,
}

impl OptionSpec {
    /// A free-text option, optional, without autocomplete.
    pub const fn text(name: &'static str, description: &'static str) -> OptionSpec {
        OptionSpec {
            name,
            description,
            kind: OptionKind::Text,
            required: false,
            autocomplete: None,
            max_length: 100,
        }
    }

    pub const fn required(mut self) -> OptionSpec {
        self.required = true;
        self
    }

    pub const fn completes(mut self, kind: Kind) -> OptionSpec {
        self.autocomplete = Some(kind);
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    Text,
    /// A whole number.
    Integer,
    /// `true`/`false` (the console also takes yes/no).
    Boolean,
    /// A Discord channel: its id, or `<#id>` as a mention.
    Channel,
}

impl OptionKind {
    /// Why `value` is not of this kind, or `None` when it is.
    pub fn reject(self, value: &str) -> Option<&'static str> {
        let value = value.trim();
        match self {
            OptionKind::Text => None,
            OptionKind::Integer => value.parse::<i64>().is_err().then_some("a whole number"),
            OptionKind::Boolean => (!matches!(
                value.to_ascii_lowercase().as_str(),
                "true" | "false" | "yes" | "no"
            ))
            .then_some("true or false"),
            OptionKind::Channel => channel_id(value)
                .is_none()
                .then_some("a channel id or #channel mention"),
        }
    }
}

/// A channel id from `123` or `<#123>`.
pub fn channel_id(value: &str) -> Option<u64> {
    let value = value.trim();
    let digits = value
        .strip_prefix("<#")
        .and_then(|v| v.strip_suffix('>'))
        .unwrap_or(value);
    digits.parse::<u64>().ok().filter(|&id| id > 0)
}

/// Every command, in the order `/help` lists them.
pub static COMMANDS: &[&CommandSpec] = &[
    &brief::SPEC,
    &who::SPEC,
    &participants::SPEC,
    &statements::SPEC,
    &context::SPEC,
    &search::SPEC,
    &articles::SPEC,
    &timeline::SPEC,
    &digest::SPEC,
    &help::SPEC,
    &status::SPEC,
    &reload::SPEC,
];

/// The declaration of a command path: `"who"`, or `"digest subscribe"` for a subcommand.
pub fn spec(path: &str) -> Option<&'static CommandSpec> {
    let mut words = path.split_whitespace();
    let first = words.next()?.trim_start_matches('/');
    let mut spec = COMMANDS.iter().copied().find(|spec| spec.name == first)?;
    for word in words {
        spec = spec.subcommands.iter().find(|sub| sub.name == word)?;
    }
    Some(spec)
}

/// A parsed, validated command, ready to apply to a corpus.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Brief(brief::Brief),
    Who(who::Who),
    Participants(participants::Participants),
    Statements(statements::Statements),
    Context(context::Context),
    Search(search::Search),
    Articles(articles::Articles),
    Timeline(timeline::Timeline),
    Help(help::Help),
}

/// Why an invocation is not a valid command. Its text lists the command's options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError {
    pub message: String,
    /// The command's usage line and options, when the command is known.
    pub usage: Option<String>,
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(usage) = &self.usage {
            write!(f, "\n{usage}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UsageError {}

impl UsageError {
    pub fn into_reply(self) -> Reply {
        let mut reply = Reply::failure("Usage", self.message);
        if let Some(usage) = self.usage {
            reply.body.push_str("\n\n");
            reply.body.push_str(&usage);
        }
        reply
    }
}

/// The option values of one invocation, checked against the command's declaration.
pub struct Args<'a> {
    invocation: &'a Invocation,
}

impl Args<'_> {
    /// The trimmed value of an option, `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<String> {
        self.invocation
            .get(name)
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .map(str::to_string)
    }
}

impl Command {
    /// Parses a checked invocation of one of the engine's commands.
    pub fn parse(invocation: &Invocation) -> Result<Command, UsageError> {
        let spec = check(invocation)?;
        let args = Args { invocation };
        let name = spec.name;
        Ok(match name {
            "brief" => Command::Brief(brief::Brief::from_args(&args)),
            "who" => Command::Who(who::Who::from_args(&args)),
            "participants" => Command::Participants(participants::Participants::from_args(&args)),
            "statements" => Command::Statements(statements::Statements::from_args(&args)),
            "context" => Command::Context(context::Context::from_args(&args)),
            "search" => Command::Search(search::Search::from_args(&args)),
            "articles" => Command::Articles(articles::Articles),
            "timeline" => Command::Timeline(timeline::Timeline::from_args(&args)),
            "help" => Command::Help(help::Help::from_args(&args)),
            _ if invocation
                .command
                .trim_start_matches('/')
                .starts_with("digest") =>
            {
                return Err(UsageError {
                    message: format!(
                        "/{} is answered by the bot, which keeps the digests; in the console, `briefing-bot digest --preview` prints the digest",
                        invocation.command.trim_start_matches('/')
                    ),
                    usage: None,
                });
            }
            other => {
                return Err(UsageError {
                    message: format!("/{other} is not answered here"),
                    usage: None,
                });
            }
        })
    }

    pub fn apply(&self, corpus: &Corpus) -> Reply {
        match self {
            Command::Brief(cmd) => cmd.apply(corpus),
            Command::Who(cmd) => cmd.apply(corpus),
            Command::Participants(cmd) => cmd.apply(corpus),
            Command::Statements(cmd) => cmd.apply(corpus),
            Command::Context(cmd) => cmd.apply(corpus),
            Command::Search(cmd) => cmd.apply(corpus),
            Command::Articles(cmd) => cmd.apply(corpus),
            Command::Timeline(cmd) => cmd.apply(corpus),
            Command::Help(cmd) => cmd.apply(),
        }
    }
}

/// Checks an invocation against the table: known command, known options, required options
/// present, values of the right kind and within their length. Returns the command's declaration.
pub fn check(invocation: &Invocation) -> Result<&'static CommandSpec, UsageError> {
    let path = invocation.command.trim_start_matches('/');
    let Some(spec) = spec(path) else {
        let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        return Err(UsageError {
            message: format!(
                "unknown command \"/{path}\"; the commands are: /{}",
                names.join(", /")
            ),
            usage: None,
        });
    };
    let usage = || Some(help::usage(spec));
    if !spec.subcommands.is_empty() {
        let names: Vec<&str> = spec.subcommands.iter().map(|c| c.name).collect();
        return Err(UsageError {
            message: format!("/{path} needs a subcommand: {}", names.join(", ")),
            usage: usage(),
        });
    }
    for (option, value) in &invocation.args {
        let Some(declared) = spec.options.iter().find(|o| o.name == option) else {
            return Err(UsageError {
                message: format!("/{path} has no option \"{option}\""),
                usage: usage(),
            });
        };
        let length = value.chars().count();
        if length > declared.max_length {
            return Err(UsageError {
                message: format!(
                    "option \"{option}\" of /{path} is {length} characters long; the limit is {}",
                    declared.max_length
                ),
                usage: usage(),
            });
        }
        if let Some(expected) = declared.kind.reject(value) {
            return Err(UsageError {
                message: format!(
                    "option \"{option}\" of /{path} must be {expected}, not \"{value}\""
                ),
                usage: usage(),
            });
        }
        if invocation.args.iter().filter(|(o, _)| o == option).count() > 1 {
            return Err(UsageError {
                message: format!("option \"{option}\" of /{path} is given twice"),
                usage: usage(),
            });
        }
    }
    for option in spec.options.iter().filter(|o| o.required) {
        let present = invocation
            .get(option.name)
            .is_some_and(|value| !value.trim().is_empty());
        if !present {
            return Err(UsageError {
                message: format!("/{path} needs the option \"{}\"", option.name),
                usage: usage(),
            });
        }
    }
    Ok(spec)
}

/// Who is asking: admin commands answer only members with Manage Server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub is_admin: bool,
}

/// The one entry point of every front end: checks the invocation, refuses admin commands to
/// non-admins, and answers from the snapshot serving now (held for the whole answer).
pub fn answer_live(live: &Live, invocation: &Invocation, caller: Caller) -> Reply {
    let spec = match check(invocation) {
        Ok(spec) => spec,
        Err(err) => return err.into_reply(),
    };
    if spec.admin && !caller.is_admin {
        return Reply::failure(
            "Not allowed",
            format!(
                "/{} needs the Manage Server permission.",
                invocation.command
            ),
        );
    }
    match invocation.command.trim_start_matches('/') {
        "status" => status::apply(live),
        "reload" => reload::apply(live),
        _ => answer(&live.snapshot().corpus, invocation),
    }
}

/// Parses and answers one invocation: a usage error becomes a failed reply.
pub fn answer(corpus: &Corpus, invocation: &Invocation) -> Reply {
    match Command::parse(invocation) {
        Ok(command) => {
            let mut reply = command.apply(corpus);
            reply.cap(MAX_LINES, MAX_RESULTS);
            reply
        }
        Err(err) => err.into_reply(),
    }
}

/// The most field lines one answer shows (about ten Discord pages).
pub const MAX_LINES: usize = 300;
/// The most results one answer carries in `ask --json`.
pub const MAX_RESULTS: usize = 500;
