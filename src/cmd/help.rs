//! `/help [command]`: the command table, read aloud.

use crate::reply::Reply;

use super::{Args, COMMANDS, CommandSpec, OptionSpec, spec};

pub static SPEC: CommandSpec = CommandSpec {
    name: "help",
    description: "The commands and their options",
    options: &[OptionSpec::text("command", "One command, e.g. who")],
    admin: false,
    subcommands: &[],
};

#[derive(Debug, Clone, PartialEq)]
pub struct Help {
    pub command: Option<String>,
}

/// The path that runs a declaration: `who`, or `digest subscribe` for a subcommand.
pub fn path_of(spec: &CommandSpec) -> String {
    for command in COMMANDS {
        if std::ptr::eq(*command, spec) {
            return command.name.to_string();
        }
        if let Some(sub) = command.subcommands.iter().find(|s| std::ptr::eq(*s, spec)) {
            return format!("{} {}", command.name, sub.name);
        }
    }
    spec.name.to_string()
}

/// `/who name:<person>` with each option, required ones bare and optional ones in brackets.
pub fn usage(spec: &CommandSpec) -> String {
    if !spec.subcommands.is_empty() {
        let mut text = format!("/{} <subcommand>\n  {}", spec.name, spec.description);
        for sub in spec.subcommands {
            text.push_str(&format!(
                "\n  /{} {} — {}",
                spec.name, sub.name, sub.description
            ));
        }
        return text;
    }
    let mut line = format!("/{}", path_of(spec));
    for option in spec.options {
        let part = format!("{}:<{}>", option.name, placeholder(option));
        if option.required {
            line.push_str(&format!(" {part}"));
        } else {
            line.push_str(&format!(" [{part}]"));
        }
    }
    let mut text = format!("{line}\n  {}", spec.description);
    for option in spec.options {
        text.push_str(&format!(
            "\n  {}: {}{}",
            option.name,
            option.description,
            if option.required { " (required)" } else { "" }
        ));
    }
    text
}

fn placeholder(option: &OptionSpec) -> &'static str {
    match option.kind {
        super::OptionKind::Integer => return "number",
        super::OptionKind::Boolean => return "true|false",
        super::OptionKind::Channel => return "channel",
        super::OptionKind::Text => {}
    }
    match option.autocomplete {
        Some(super::Completes::Kind(crate::search::Kind::Person)) => "person",
        Some(super::Completes::Kind(crate::search::Kind::Topic)) => "context",
        Some(super::Completes::Kind(crate::search::Kind::Article)) => "article",
        Some(super::Completes::Followable) => "person, topic or words",
        _ => "text",
    }
}

impl Help {
    pub fn from_args(args: &Args) -> Help {
        Help {
            command: args
                .get("command")
                .map(|c| c.trim_start_matches('/').to_lowercase()),
        }
    }

    pub fn apply(&self) -> Reply {
        if let Some(name) = &self.command {
            return match spec(name) {
                Some(spec) => Reply {
                    ok: true,
                    title: format!("/{}", path_of(spec)),
                    body: usage(spec),
                    ..Reply::default()
                },
                None => {
                    let mut reply = Reply::failure(
                        format!("No command \u{201c}/{name}\u{201d}"),
                        "These are the commands:",
                    );
                    reply.field(
                        "Commands",
                        COMMANDS
                            .iter()
                            .map(|c| format!("/{} — {}", c.name, c.description))
                            .collect(),
                    );
                    reply
                }
            };
        }
        let mut reply = Reply {
            ok: true,
            title: "briefing-bot commands".to_string(),
            body: "Names may be misspelled, reordered or in another script. A bare value fills the first option: /who ryabkov.".to_string(),
            ..Reply::default()
        };
        reply.field(
            "Commands",
            COMMANDS
                .iter()
                .map(|c| {
                    usage(c).lines().next().unwrap_or_default().to_string() + " — " + c.description
                })
                .collect(),
        );
        reply
    }
}
