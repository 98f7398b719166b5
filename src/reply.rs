//! The transport-neutral answer every command returns.
//!
//! A `Reply` is plain text in a fixed structure (title, body, fields, footer, suggestions) plus
//! machine-readable results. Front ends render it: the console as text or `--json`, Discord as
//! embeds with buttons. Nothing in a reply is markup: a renderer escapes all of it for its medium.

use serde::Serialize;

/// The heading of a reply's links.
pub const LINKS: &str = "Read the articles";

/// One command's answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reply {
    /// False when nothing was found or the command was wrong.
    pub ok: bool,
    pub title: String,
    /// The title's link: the source article's address (`/brief`), when known.
    pub url: Option<String>,
    pub body: String,
    pub fields: Vec<Field>,
    /// The article(s) and source the answer comes from.
    pub footer: Option<String>,
    /// Links, one per line, after the fields: the source articles of an answer (`/who`).
    pub links: Vec<Link>,
    /// "Did you mean": each runs a command for the one picked.
    pub suggestions: Vec<Suggestion>,
    /// What was found, best first, for `ask --json` and scripts.
    pub results: Vec<ResultItem>,
}

/// A titled section of a reply: "Aliases", "Statements", ...
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    /// One entry per line; a renderer may split a long field between entries.
    pub lines: Vec<String>,
}

/// A line that links somewhere: "China hosts Russia and Iran (2025-03-13)" to its address.
/// Renderers show the text as a link (Discord) or beside the address (console).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    /// An absolute http or https address.
    pub url: String,
}

/// A command the user can run with one click or one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub label: String,
    pub invocation: Invocation,
}

/// A command name with its option values, as typed or as a button encodes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Invocation {
    pub command: String,
    pub args: Vec<(String, String)>,
}

impl Invocation {
    pub fn new(command: &str) -> Invocation {
        Invocation {
            command: command.to_string(),
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &str, value: &str) -> Invocation {
        self.args.push((name.to_string(), value.to_string()));
        self
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The slash line that runs this invocation: `/who name:"Mao Ning"`.
    pub fn to_slash_line(&self) -> String {
        let mut line = format!("/{}", self.command);
        for (name, value) in &self.args {
            line.push(' ');
            line.push_str(name);
            line.push(':');
            if value.is_empty() || value.contains([' ', '"', '\'', '\\', ':']) {
                line.push('"');
                for c in value.chars() {
                    if c == '"' || c == '\\' {
                        line.push('\\');
                    }
                    line.push(c);
                }
                line.push('"');
            } else {
                line.push_str(value);
            }
        }
        line
    }
}

/// One thing an answer found. The JSON form is part of the `ask --json` contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ResultItem {
    Participant {
        id: String,
        name: String,
        role: String,
        organization: String,
        country: String,
    },
    Statement {
        /// `<article id>/statements/<index>`.
        id: String,
        /// Who said it: the speaker's name or the attribution.
        name: String,
        speaker: Option<String>,
        attribution: Option<String>,
        article: String,
        text: String,
        /// "quote" or "paraphrase".
        form: String,
        said: Option<String>,
        via: Option<String>,
    },
    Context {
        id: String,
        name: String,
    },
    Article {
        id: String,
        name: String,
        published: Option<String>,
    },
    Event {
        /// `<article id>/events/<index>`.
        id: String,
        name: String,
        when: String,
        date: Option<String>,
        article: String,
    },
}

impl Reply {
    /// An answer that found nothing, or a command that was wrong.
    pub fn failure(title: impl Into<String>, body: impl Into<String>) -> Reply {
        Reply {
            ok: false,
            title: title.into(),
            body: body.into(),
            ..Reply::default()
        }
    }

    pub fn field(&mut self, name: impl Into<String>, lines: Vec<String>) {
        if !lines.is_empty() {
            self.fields.push(Field {
                name: name.into(),
                lines,
            });
        }
    }

    /// Keeps at most `max_lines` field lines and `max_results` results, saying how many were left
    /// out: no answer grows with the corpus without bound.
    pub fn cap(&mut self, max_lines: usize, max_results: usize) {
        let mut left = max_lines;
        let mut dropped = 0;
        for field in &mut self.fields {
            if field.lines.len() > left {
                dropped += field.lines.len() - left;
                field.lines.truncate(left);
            }
            left -= field.lines.len();
        }
        self.fields.retain(|field| !field.lines.is_empty());
        if dropped > 0 {
            self.fields.push(Field {
                name: "Not shown".to_string(),
                lines: vec![format!(
                    "{dropped} more lines. Narrow the question with the command's options."
                )],
            });
        }
        self.results.truncate(max_results);
    }

    /// The plain-text answer, as the console prints it and `--json` carries it in `text`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.title);
        out.push('\n');
        if let Some(url) = &self.url {
            out.push_str(&format!("<{url}>\n"));
        }
        if !self.body.is_empty() {
            out.push_str(&self.body);
            out.push('\n');
        }
        for field in &self.fields {
            out.push('\n');
            out.push_str(&field.name);
            out.push('\n');
            for line in &field.lines {
                out.push_str("  ");
                out.push_str(line);
                out.push('\n');
            }
        }
        if !self.links.is_empty() {
            out.push_str(&format!("\n{LINKS}\n"));
            for link in &self.links {
                out.push_str(&format!("  {} <{}>\n", link.text, link.url));
            }
        }
        if !self.suggestions.is_empty() {
            out.push('\n');
            out.push_str("Did you mean:\n");
            for suggestion in &self.suggestions {
                out.push_str(&format!(
                    "  {}  ({})\n",
                    suggestion.label,
                    suggestion.invocation.to_slash_line()
                ));
            }
        }
        if let Some(footer) = &self.footer {
            out.push('\n');
            out.push_str(footer);
            out.push('\n');
        }
        out
    }
}
