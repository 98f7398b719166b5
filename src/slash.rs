//! Parsing a slash line as typed in Discord's client: `/statements speaker:"Mao Ning" topic:JCPOA`.
//!
//! Rules: the leading `/` is optional; `option:value` sets an option, and a value with spaces is
//! written in double quotes (`\"` and `\\` escape inside them); every other word is a bare value,
//! and the bare words together fill the first option not named (`/who mao ning`). A word is read
//! as `option:` only when the part before the colon is a name (letters and `_`), so
//! `/search 17:30` searches for "17:30"; a name the command does not have is an error.

use crate::cmd::{UsageError, help, spec};
use crate::reply::Invocation;

/// Parses one line into an invocation checked against the command table.
pub fn parse(line: &str) -> Result<Invocation, UsageError> {
    let tokens = tokenize(line.trim())?;
    let mut tokens = tokens.into_iter();
    let Some(first) = tokens.next() else {
        return Err(UsageError {
            message: "empty line: type a command such as /who ryabkov, or /help".to_string(),
            usage: None,
        });
    };
    let name = first.text.trim_start_matches('/').to_lowercase();
    let Some(spec) = spec(&name) else {
        // Let the command table word the error and list the commands.
        return Ok(Invocation::new(&name));
    };
    let mut spec = spec;
    let mut path = spec.name.to_string();
    let mut tokens = tokens.peekable();
    // A group (`/digest`) takes its subcommand as the next word: `/digest list`.
    while !spec.subcommands.is_empty() {
        let Some(sub) = tokens.next_if(|t| t.option.is_none()).and_then(|t| {
            spec.subcommands
                .iter()
                .find(|s| s.name == t.text.to_lowercase())
        }) else {
            let names: Vec<&str> = spec.subcommands.iter().map(|s| s.name).collect();
            return Err(UsageError {
                message: format!("/{path} needs a subcommand: {}", names.join(", ")),
                usage: Some(help::usage(spec)),
            });
        };
        spec = sub;
        path = format!("{path} {}", sub.name);
    }
    let mut invocation = Invocation::new(&path);
    let mut bare: Vec<String> = Vec::new();
    for token in tokens {
        match token.option {
            Some(option) => {
                if !spec.options.iter().any(|o| o.name == option) {
                    return Err(UsageError {
                        message: format!("/{path} has no option \"{option}\""),
                        usage: Some(help::usage(spec)),
                    });
                }
                invocation.args.push((option, token.text));
            }
            None => bare.push(token.text),
        }
    }
    if !bare.is_empty() {
        let free = spec
            .options
            .iter()
            .find(|o| invocation.get(o.name).is_none());
        match free {
            Some(option) => invocation
                .args
                .push((option.name.to_string(), bare.join(" "))),
            None => {
                return Err(UsageError {
                    message: format!(
                        "/{path} has no option left for \"{}\"; name the option, e.g. {}:\"...\"",
                        bare.join(" "),
                        spec.options.first().map(|o| o.name).unwrap_or("option")
                    ),
                    usage: Some(help::usage(spec)),
                });
            }
        }
    }
    Ok(invocation)
}

struct Token {
    option: Option<String>,
    text: String,
}

fn tokenize(line: &str) -> Result<Vec<Token>, UsageError> {
    let mut tokens = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(tokens);
        }
        let mut option = None;
        let mut text = String::new();
        let mut quoted = false;
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            if c == '"' {
                quoted = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(escaped) => text.push(escaped),
                            None => return Err(unterminated()),
                        },
                        Some(other) => text.push(other),
                        None => return Err(unterminated()),
                    }
                }
            } else if c == ':' && option.is_none() && !quoted && is_name(&text) {
                option = Some(std::mem::take(&mut text).to_lowercase());
            } else {
                text.push(c);
            }
        }
        tokens.push(Token { option, text });
    }
}

fn is_name(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
}

fn unterminated() -> UsageError {
    UsageError {
        message:
            "a quoted value has no closing \"; write values with spaces as option:\"two words\""
                .to_string(),
        usage: None,
    }
}
