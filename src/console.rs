//! The console front end: `briefing-bot ask` answers one slash line, `briefing-bot console`
//! answers one line after another. It only parses and renders; the engine answers.

use std::io::{BufRead, IsTerminal, Write};

use serde::Serialize;

use crate::cmd::{Caller, Context, answer_checked};
use crate::live::Live;
use crate::reply::{Reply, ResultItem};
use crate::slash;

/// How an answer ended, for the exit status of `ask`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Found and answered: exit 0.
    Answered,
    /// Valid command, nothing found: exit 1.
    NotFound,
    /// Unknown command or option, missing value: exit 2.
    Usage,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Answered => 0,
            Outcome::NotFound => 1,
            Outcome::Usage => 2,
        }
    }
}

/// The `ask --json` object. A contract for scripts: fields are only ever added.
#[derive(Debug, Serialize)]
pub struct JsonAnswer<'a> {
    pub command: String,
    pub ok: bool,
    pub text: String,
    pub results: &'a [ResultItem],
    pub suggestions: Vec<&'a str>,
    /// For `/ask`: the slash line the question was answered as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routed: Option<&'a str>,
    /// The engine's time for this answer, in microseconds (`console --timings` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub micros: Option<u128>,
}

/// Answers one slash line: the reply, the command name as typed, and how it ended. The console's
/// user runs the bot, so admin commands (`/status`, `/reload`) are allowed.
///
/// A line that does not start with `/` is a question: `what did China say about the JCPOA?` is
/// answered as `/ask question:"what did China say about the JCPOA?"`.
pub fn answer_line(live: &Live, line: &str) -> (Reply, String, Outcome) {
    let question = line.trim();
    let parsed = if question.is_empty() || question.starts_with('/') {
        slash::parse(line)
    } else {
        Ok(crate::reply::Invocation::new("ask").arg("question", question))
    };
    let invocation = match parsed {
        Ok(invocation) => invocation,
        Err(err) => return (err.into_reply(), command_word(line), Outcome::Usage),
    };
    let snapshot = live.snapshot();
    let ctx = Context {
        live: Some(live),
        caller: Caller { is_admin: true },
        ..Context::new(&snapshot.corpus)
    };
    let reply = match answer_checked(&ctx, &invocation) {
        Ok(reply) => reply,
        Err(err) => return (err.into_reply(), invocation.command, Outcome::Usage),
    };
    let outcome = if reply.ok {
        Outcome::Answered
    } else {
        Outcome::NotFound
    };
    (reply, invocation.command, outcome)
}

fn command_word(line: &str) -> String {
    line.split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_start_matches('/')
        .to_lowercase()
}

/// The answer as `ask` prints it: plain text, or one JSON object on one line.
pub fn render(reply: &Reply, command: &str, json: bool) -> String {
    render_timed(reply, command, json, None)
}

/// [`render`] with the engine's time for the answer: `micros` in the JSON object, or a last
/// line `(N µs)` in text.
pub fn render_timed(reply: &Reply, command: &str, json: bool, micros: Option<u128>) -> String {
    if json {
        let answer = JsonAnswer {
            command: command.to_string(),
            ok: reply.ok,
            text: reply.to_text(),
            results: &reply.results,
            suggestions: reply.suggestions.iter().map(|s| s.label.as_str()).collect(),
            routed: (command == "ask")
                .then(|| crate::cmd::ask::routed(reply))
                .flatten(),
            micros,
        };
        // Serializing strings, bools and lists of them cannot fail.
        serde_json::to_string(&answer).expect("answer serializes")
    } else {
        match micros {
            Some(micros) => format!("{}({micros} µs)\n", reply.to_text()),
            None => reply.to_text(),
        }
    }
}

/// Reads slash lines from stdin until end of input, answering each. Prompts on a terminal.
/// With `output.timings`, each answer carries the engine's time (parsing and answering the
/// line, not printing it), so anyone can time their own questions on their own corpus.
pub fn run(live: &Live, output: CompleteOutput) -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let mut out = std::io::stdout().lock();
    if interactive {
        writeln!(
            out,
            "briefing-bot console: type /help, or a command such as /who ryabkov. Ctrl-D quits."
        )?;
    }
    let mut lines = stdin.lock().lines();
    loop {
        if interactive {
            write!(out, "> ")?;
            out.flush()?;
        }
        let Some(line) = lines.next() else { break };
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let started = std::time::Instant::now();
        let (reply, command, _) = answer_line(live, &line);
        let micros = output.timings.then(|| started.elapsed().as_micros());
        writeln!(
            out,
            "{}",
            render_timed(&reply, &command, output.json, micros)
        )?;
    }
    Ok(())
}

/// What `briefing-bot complete` and `briefing-bot console` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CompleteOutput {
    /// One JSON object per answer instead of text.
    pub json: bool,
    /// Each answer's engine time in microseconds.
    pub timings: bool,
}

/// The `complete --json` object, one per line. A contract for scripts: fields are only ever added.
#[derive(Debug, Serialize)]
pub struct JsonChoices<'a> {
    pub text: &'a str,
    pub choices: Vec<JsonChoice<'a>>,
    /// The engine's time for this answer, in microseconds (with `--timings` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub micros: Option<u128>,
}

#[derive(Debug, Serialize)]
pub struct JsonChoice<'a> {
    pub name: &'a str,
    pub value: &'a str,
}

/// `briefing-bot complete`: the autocomplete choices Discord would get for option `option` of
/// command `path` with each of `texts` typed, through the same [`complete::option_choices`].
/// `--timings` times the engine only (not the printing). Fails only on a usage error (an
/// unknown command or option, or one that does not complete) or a closed output.
pub fn complete(
    live: &Live,
    path: &str,
    option: &str,
    texts: &mut dyn Iterator<Item = std::io::Result<String>>,
    output: CompleteOutput,
    out: &mut dyn Write,
) -> Result<(), CompleteError> {
    use crate::cmd::complete;
    let completes = complete::completes(path, option).map_err(CompleteError::Usage)?;
    let snapshot = live.snapshot();
    let corpus = &snapshot.corpus;
    for text in texts {
        let text = text.map_err(CompleteError::Io)?;
        let started = std::time::Instant::now();
        let choices = complete::option_choices(corpus, completes, &text);
        let micros = started.elapsed().as_micros();
        let micros = output.timings.then_some(micros);
        if output.json {
            let object = JsonChoices {
                text: &text,
                choices: choices
                    .iter()
                    .map(|c| JsonChoice {
                        name: &c.name,
                        value: &c.value,
                    })
                    .collect(),
                micros,
            };
            // Strings and integers only: serializing cannot fail.
            let line = serde_json::to_string(&object).unwrap_or_default();
            writeln!(out, "{line}").map_err(CompleteError::Io)?;
        } else {
            match micros {
                Some(micros) => writeln!(out, "> {text}\t{micros} µs"),
                None => writeln!(out, "> {text}"),
            }
            .map_err(CompleteError::Io)?;
            for choice in &choices {
                writeln!(out, "{}\t{}", choice.name, choice.value).map_err(CompleteError::Io)?;
            }
        }
    }
    out.flush().map_err(CompleteError::Io)
}

/// Why `briefing-bot complete` stopped.
#[derive(Debug, thiserror::Error)]
pub enum CompleteError {
    /// The command or option does not autocomplete: exit 2.
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(std::io::Error),
}
