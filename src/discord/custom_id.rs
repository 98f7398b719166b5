//! Button ids that carry everything needed to answer a click: the command, its option values
//! and the page. Nothing is stored server-side, so a button works after a restart and on any
//! instance.
//!
//! Format (at most 100 characters, Discord's limit): `b1|<tag><page>|<command path>|<o><value>...`
//! where `tag` is `p` (Previous), `n` (Next) or `s` (a "did you mean" pick) and only keeps ids
//! unique within a message; the path's words are joined by `.`; each option is its position in
//! the command's declaration (one base-36 digit) followed by its value, with `%` and `|`
//! percent-escaped. Decoding validates all of it against the command table.

use crate::cmd::{self, CommandSpec};
use crate::reply::Invocation;

/// Discord's limit on a component's custom_id.
pub const MAX_LEN: usize = 100;

const PREFIX: &str = "b1";

/// What a button is for; only keeps two buttons with the same target apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Previous,
    Next,
    Suggestion,
}

impl Tag {
    fn letter(self) -> char {
        match self {
            Tag::Previous => 'p',
            Tag::Next => 'n',
            Tag::Suggestion => 's',
        }
    }
}

/// A decoded button: run `invocation` and show `page` (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub tag: Tag,
    pub page: usize,
    pub invocation: Invocation,
}

/// The id of a button, or `None` when the command is unknown, an option is undeclared, or the
/// id would exceed 100 characters.
pub fn encode(tag: Tag, page: usize, invocation: &Invocation) -> Option<String> {
    let path = invocation.command.trim_start_matches('/');
    let spec = cmd::spec(path)?;
    let mut id = format!(
        "{PREFIX}|{}{page}|{}",
        tag.letter(),
        path.split_whitespace().collect::<Vec<_>>().join(".")
    );
    for (name, value) in &invocation.args {
        let position = spec.options.iter().position(|o| o.name == name)?;
        id.push('|');
        id.push(char::from_digit(u32::try_from(position).ok()?, 36)?);
        for c in value.chars() {
            match c {
                '%' => id.push_str("%25"),
                '|' => id.push_str("%7C"),
                c => id.push(c),
            }
        }
    }
    (id.chars().count() <= MAX_LEN).then_some(id)
}

/// Why a custom_id is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("button id {id:?}: {problem}")]
pub struct DecodeError {
    pub id: String,
    pub problem: &'static str,
}

/// Reads a button id back, checking it against the command table.
pub fn decode(id: &str) -> Result<Button, DecodeError> {
    let fail = |problem| DecodeError {
        id: id.chars().take(MAX_LEN).collect(),
        problem,
    };
    if id.chars().count() > MAX_LEN {
        return Err(fail("longer than 100 characters"));
    }
    let mut parts = id.split('|');
    if parts.next() != Some(PREFIX) {
        return Err(fail("not a briefing-bot button (or from another version)"));
    }
    let head = parts.next().ok_or_else(|| fail("no page"))?;
    let mut head_chars = head.chars();
    let tag = match head_chars.next() {
        Some('p') => Tag::Previous,
        Some('n') => Tag::Next,
        Some('s') => Tag::Suggestion,
        _ => return Err(fail("unknown button kind")),
    };
    let page: usize = head_chars
        .as_str()
        .parse()
        .map_err(|_| fail("the page is not a number"))?;
    let path = parts
        .next()
        .ok_or_else(|| fail("no command"))?
        .replace('.', " ");
    let spec: &CommandSpec = cmd::spec(&path).ok_or_else(|| fail("unknown command"))?;
    let mut invocation = Invocation::new(&path);
    for part in parts {
        let mut chars = part.chars();
        let position = chars
            .next()
            .and_then(|c| c.to_digit(36))
            .ok_or_else(|| fail("an option has no position"))?;
        let option = spec
            .options
            .get(position as usize)
            .ok_or_else(|| fail("an option the command does not declare"))?;
        if invocation.get(option.name).is_some() {
            return Err(fail("an option given twice"));
        }
        let value = unescape(chars.as_str()).ok_or_else(|| fail("a bad % escape"))?;
        invocation = invocation.arg(option.name, &value);
    }
    Ok(Button {
        tag,
        page,
        invocation,
    })
}

fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let code = rest.get(at + 1..at + 3)?;
        out.push(match code {
            "25" => '%',
            "7C" => '|',
            _ => return None,
        });
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_command_args_and_page() {
        let invocation = Invocation::new("statements")
            .arg("topic", "jcpoa")
            .arg("speaker", "100% | sure");
        let id = encode(Tag::Next, 3, &invocation).unwrap();
        assert_eq!(id, "b1|n3|statements|1jcpoa|0100%25 %7C sure");
        let button = decode(&id).unwrap();
        assert_eq!(button.tag, Tag::Next);
        assert_eq!(button.page, 3);
        assert_eq!(button.invocation, invocation);
    }

    #[test]
    fn refuses_ids_over_100_characters() {
        let long = "x".repeat(95);
        assert_eq!(
            encode(Tag::Next, 1, &Invocation::new("search").arg("query", &long)),
            None
        );
        let short = "x".repeat(80);
        let id = encode(
            Tag::Next,
            1,
            &Invocation::new("search").arg("query", &short),
        )
        .unwrap();
        assert!(id.chars().count() <= MAX_LEN);
    }

    #[test]
    fn refuses_unknown_commands_and_options() {
        assert_eq!(encode(Tag::Next, 0, &Invocation::new("nope")), None);
        assert_eq!(
            encode(Tag::Next, 0, &Invocation::new("who").arg("nope", "x")),
            None
        );
    }

    #[test]
    fn decode_rejects_anything_else() {
        for id in [
            "",
            "b2|n1|who",
            "b1|x1|who",
            "b1|n|who",
            "b1|n-1|who",
            "b1|n1|nope",
            "b1|n1",
            "b1|n1|who|9x",
            "b1|n1|who|0a|0b",
            "b1|n1|who|0a%2",
            "b1|n1|who|0a%41",
            "b1|n1|who||",
        ] {
            assert!(decode(id).is_err(), "{id}");
        }
        let long = format!("b1|n1|search|0{}", "x".repeat(100));
        assert!(decode(&long).is_err());
    }
}
