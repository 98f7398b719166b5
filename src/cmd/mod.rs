//! The commands: one table of declarations, a `Command` enum that dispatches, and one way in.
//!
//! Each command lives in its own module with its declaration ([`CommandSpec`]: name, description,
//! options, which options autocomplete) and its handler, which returns a [`Reply`]. The table
//! [`COMMANDS`] drives the console parser, `/help`, Discord's registration and autocomplete, so
//! nothing is declared twice.
//!
//! Every front end (console, gateway, HTTP endpoint, buttons) answers through [`answer`]: it
//! checks the invocation against the table once, refuses admin commands to members without
//! Manage Server, parses it into a [`Command`], applies it to a [`Context`] (the corpus snapshot,
//! the live directory, the digest store, who asked where, the clock), caps the reply's size and
//! logs one line. A command reads nothing else: no global, no clock of its own.

mod articles;
pub mod ask;
mod brief;
mod context;
pub mod digest;
pub mod follow;
pub mod follows;
pub mod help;
mod lookup;
mod participants;
mod reload;
mod search;
mod statements;
mod status;
mod timeline;
pub mod unfollow;
mod who;

pub mod complete;

use std::fmt;
use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, Utc};

use crate::indexed::Indexed;
use crate::live::Live;
use crate::reply::{Invocation, Reply};
use crate::search::Kind;
use crate::store::Store;

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
    /// What completes this option as the user types.
    pub autocomplete: Option<Completes>,
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
        self.autocomplete = Some(Completes::Kind(kind));
        self
    }

    /// Completed with questions built from the corpus (`/ask`).
    pub const fn completes_questions(mut self) -> OptionSpec {
        self.autocomplete = Some(Completes::Question);
        self
    }
}

/// What an option's autocomplete offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completes {
    /// Names from one corpus list (people, topics, articles).
    Kind(Kind),
    /// Questions built from the corpus: "what did Mao Ning say about …".
    Question,
    /// People and topics together (`/follow about:`).
    Followable,
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
            OptionKind::Boolean => crate::parse::boolean(value)
                .is_none()
                .then_some("true or false"),
            OptionKind::Channel => crate::parse::channel_id(value)
                .is_none()
                .then_some("a channel id or #channel mention"),
        }
    }
}

/// Every command, in the order `/help` lists them.
pub static COMMANDS: &[&CommandSpec] = &[
    &brief::SPEC,
    &who::SPEC,
    &participants::SPEC,
    &statements::SPEC,
    &context::SPEC,
    &search::SPEC,
    &ask::SPEC,
    &articles::SPEC,
    &timeline::SPEC,
    &digest::SPEC,
    &follow::SPEC,
    &unfollow::SPEC,
    &follows::SPEC,
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
    Ask(ask::Ask),
    Articles(articles::Articles),
    Timeline(timeline::Timeline),
    Help(help::Help),
    Status,
    Reload,
    /// A `/digest` subcommand: the checked invocation, answered from the store.
    Digest(Invocation),
    /// `/follow`, `/unfollow`: the checked invocation, answered from the store.
    Follow(Invocation),
    Unfollow(Invocation),
    Follows,
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
    /// Checks an invocation against the table and parses it.
    pub fn parse(invocation: &Invocation) -> Result<Command, UsageError> {
        let spec = check(invocation)?;
        Ok(Command::from_checked(spec, invocation))
    }

    /// Parses an invocation that [`check`] accepted as `spec`.
    fn from_checked(spec: &'static CommandSpec, invocation: &Invocation) -> Command {
        let args = Args { invocation };
        let path = invocation.command.trim_start_matches('/');
        match spec.name {
            "brief" => Command::Brief(brief::Brief::from_args(&args)),
            "who" => Command::Who(who::Who::from_args(&args)),
            "participants" => Command::Participants(participants::Participants::from_args(&args)),
            "statements" => Command::Statements(statements::Statements::from_args(&args)),
            "context" => Command::Context(context::Context::from_args(&args)),
            "search" => Command::Search(search::Search::from_args(&args)),
            "ask" => Command::Ask(ask::Ask::from_args(&args)),
            "articles" => Command::Articles(articles::Articles),
            "timeline" => Command::Timeline(timeline::Timeline::from_args(&args)),
            "status" => Command::Status,
            "reload" => Command::Reload,
            "follow" => Command::Follow(invocation.clone()),
            "unfollow" => Command::Unfollow(invocation.clone()),
            "follows" => Command::Follows,
            _ if path.split_whitespace().next() == Some("digest") => {
                Command::Digest(invocation.clone())
            }
            // `help` and, should the table grow, any command not listed above: its usage.
            _ => Command::Help(help::Help::from_args(&args)),
        }
    }

    /// Answers the command from the request's context.
    pub fn apply(&self, ctx: &Context) -> Reply {
        let corpus = ctx.corpus;
        match self {
            Command::Brief(cmd) => cmd.apply(corpus),
            Command::Who(cmd) => cmd.apply(corpus),
            Command::Participants(cmd) => cmd.apply(corpus),
            Command::Statements(cmd) => cmd.apply(corpus),
            Command::Context(cmd) => cmd.apply(corpus),
            Command::Search(cmd) => cmd.apply(corpus),
            Command::Ask(cmd) => cmd.apply(ctx),
            Command::Articles(cmd) => cmd.apply(corpus),
            Command::Timeline(cmd) => cmd.apply(corpus),
            Command::Help(cmd) => cmd.apply(),
            Command::Status => match ctx.live {
                Some(live) => status::apply(live),
                None => no_directory(),
            },
            Command::Reload => match ctx.live {
                Some(live) => reload::apply(live),
                None => no_directory(),
            },
            Command::Digest(invocation) => with_store(ctx, |store| {
                Ok(digest::apply(
                    store,
                    corpus,
                    invocation,
                    ctx.place.guild_id,
                    ctx.now,
                ))
            }),
            Command::Follow(invocation) => with_store(ctx, |store| {
                follow::apply(store, corpus, invocation, ctx.place, ctx.now)
            }),
            Command::Unfollow(invocation) => with_store(ctx, |store| {
                unfollow::apply(store, corpus, invocation, ctx.place)
            }),
            Command::Follows => with_store(ctx, |store| follows::apply(store, ctx.place)),
        }
    }
}

/// Answers from the state store, or says this process keeps none. A store failure is said, with
/// nothing changed (every change is one transaction).
fn with_store(
    ctx: &Context,
    answer: impl FnOnce(&Store) -> Result<Reply, crate::store::StoreError>,
) -> Reply {
    let Some(store) = ctx.store else {
        return Reply::failure(
            "Digests and follows are off",
            "This instance keeps no state database. Run the bot with `briefing-bot run` or `briefing-bot serve-http` (DATABASE_PATH sets the file); in the console, `briefing-bot digest --preview` prints the digest.",
        );
    };
    // A poisoned lock means a handler panicked mid-answer; every store change is its own
    // transaction, so the connection is still consistent.
    let store = store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    answer(&store).unwrap_or_else(|err| {
        tracing::error!("state database: {err}");
        Reply::failure(
            "The state database failed",
            format!("{err}. Nothing was changed; try again, and check the server's log."),
        )
    })
}

fn no_directory() -> Reply {
    Reply::failure(
        "Not available here",
        "This corpus was built in memory: there is no data directory to report on or reload.",
    )
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Caller {
    pub is_admin: bool,
}

/// Where a request came from: the server, channel and member, when there are any (none in the
/// console).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Place {
    pub guild_id: Option<u64>,
    pub channel_id: Option<u64>,
    pub user_id: Option<u64>,
}

/// Everything a command may read besides its options: one request's world.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The corpus snapshot the whole answer reads.
    pub corpus: &'a Indexed,
    /// The data directory in service, for `/status` and `/reload`; `None` for a corpus built in
    /// memory.
    pub live: Option<&'a Live>,
    /// The digest store, when this process keeps digests.
    pub store: Option<&'a Mutex<Store>>,
    pub caller: Caller,
    pub place: Place,
    /// The request's time (passed in, so tests and digests agree on "now").
    pub now: DateTime<Utc>,
}

impl<'a> Context<'a> {
    /// A request from nobody in particular, now, with no live directory and no store.
    pub fn new(corpus: &'a Indexed) -> Context<'a> {
        Context {
            corpus,
            live: None,
            store: None,
            caller: Caller::default(),
            place: Place::default(),
            now: Utc::now(),
        }
    }
}

/// The one entry point of every front end. Checks the invocation against the table (once),
/// refuses admin commands to non-admins, applies the command to `ctx`, caps the reply's size and
/// logs one line (the command path, whether it found something, how long it took: never the
/// option values, which may be anything a user typed).
pub fn answer(ctx: &Context, invocation: &Invocation) -> Reply {
    answer_checked(ctx, invocation).unwrap_or_else(UsageError::into_reply)
}

/// [`answer`], with a usage error kept apart from an answer that found nothing (the console
/// exits 2 for one and 1 for the other).
pub fn answer_checked(ctx: &Context, invocation: &Invocation) -> Result<Reply, UsageError> {
    let started = Instant::now();
    let result = check(invocation).map(|spec| {
        if spec.admin && !ctx.caller.is_admin {
            return Reply::failure(
                "Not allowed",
                format!(
                    "/{} needs the Manage Server permission.",
                    invocation.command
                ),
            );
        }
        let mut reply = Command::from_checked(spec, invocation).apply(ctx);
        reply.cap(MAX_LINES, MAX_RESULTS);
        reply
    });
    let command = match &result {
        Ok(_) => invocation.command.trim_start_matches('/'),
        Err(_) => "(usage error)",
    };
    tracing::debug!(
        command,
        ok = result.as_ref().is_ok_and(|reply| reply.ok),
        micros = started.elapsed().as_micros() as u64,
        "answered"
    );
    result
}

/// Answers from the snapshot serving now (held for the whole answer), with `/status` and
/// `/reload` on its directory: the console's and tests' way into [`answer`].
pub fn answer_live(live: &Live, invocation: &Invocation, caller: Caller) -> Reply {
    let snapshot = live.snapshot();
    let ctx = Context {
        live: Some(live),
        caller,
        ..Context::new(&snapshot.corpus)
    };
    answer(&ctx, invocation)
}

/// The most field lines one answer shows (about ten Discord pages).
pub const MAX_LINES: usize = 300;
/// The most results one answer carries in `ask --json`.
pub const MAX_RESULTS: usize = 500;
