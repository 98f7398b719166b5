//! Text for Discord, in one place: markdown and mentions escaped, long text cut or split with
//! a visible "…", lines packed into chunks within a limit. Every text that goes to Discord
//! (embeds, buttons, digest messages) is made here, so the escaping rule exists once: it is a
//! safety rule (nothing in the data may format, link or mention), not a matter of style.

const ELLIPSIS: char = '…';

/// Escapes what Discord reads as markdown or a mention: `\ * _ ~ ` | [ ] < @` anywhere, and
/// `# - > +` or `1.` at the start of a line.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut at_start = true;
        let mut digits = false;
        for c in line.chars() {
            let escape_here = match c {
                '\\' | '*' | '_' | '~' | '`' | '|' | '[' | ']' | '<' | '@' => true,
                '#' | '-' | '>' | '+' => at_start,
                '.' => digits,
                _ => false,
            };
            if escape_here {
                out.push('\\');
            }
            out.push(c);
            // Digits that open the line, as in "1." (an ordered list).
            digits = c.is_ascii_digit() && (at_start || digits);
            if !c.is_whitespace() {
                at_start = false;
            }
        }
    }
    out
}

/// The text [`escape`] was given back: every `\\x` pair becomes `x`. For showing what Discord
/// will display (the console preview of a digest).
pub fn unescape(escaped: &str) -> String {
    let mut out = String::with_capacity(escaped.len());
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(next) = chars.next()
        {
            out.push(next);
            continue;
        }
        out.push(c);
    }
    out
}

/// A clickable command mention, `</brief:123>`, when Discord's id of the top-level command is
/// known; the plain `/brief` otherwise. `name` is a command path ("digest list"); the result is
/// markdown, to place beside escaped text, never to escape.
pub fn command_mention(name: &str, ids: &super::register::CommandIds) -> String {
    let top = name.split(' ').next().unwrap_or(name);
    match ids.get(top) {
        Some(id) => format!("</{name}:{id}>"),
        None => format!("/{name}"),
    }
}

/// Escaped text as units that must not be split: `\x` pairs and single characters.
pub fn units(escaped: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, c) in escaped.char_indices() {
        match start {
            Some(s) => {
                out.push(&escaped[s..at + c.len_utf8()]);
                start = None;
            }
            None if c == '\\' => start = Some(at),
            None => out.push(&escaped[at..at + c.len_utf8()]),
        }
    }
    if let Some(s) = start {
        out.push(&escaped[s..]);
    }
    out
}

fn width(units: &[&str]) -> usize {
    units.iter().map(|u| u.chars().count()).sum()
}

/// The units cut to at most `max` characters, ending in "…" when cut.
pub fn cut_units(units: &[&str], max: usize) -> String {
    if width(units) <= max {
        return units.concat();
    }
    let mut out = String::new();
    let mut used = 0;
    for unit in units {
        let w = unit.chars().count();
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push_str(unit);
    }
    out.push(ELLIPSIS);
    out
}

/// Plain text cut to at most `max` characters, ending in "…" when cut.
pub fn cut(text: &str, max: usize) -> String {
    crate::cmd::complete::cut(text, max)
}

/// Escaped lines packed into chunks of at most `max` characters, joined by newlines; a line
/// longer than `max` continues in the next chunk, the break marked with "…" on both sides. A
/// blank line never starts a chunk, and no chunk is blank.
pub fn pack(lines: &[String], max: usize) -> Vec<String> {
    let mut chunks: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut used = 0;
    for line in lines {
        for piece in split_line(line, max) {
            let w = piece.chars().count();
            let extra = if current.is_empty() { w } else { w + 1 };
            if !current.is_empty() && used + extra > max {
                chunks.push(std::mem::take(&mut current));
                used = 0;
            }
            if current.is_empty() && piece.trim().is_empty() {
                continue;
            }
            if !current.is_empty() {
                current.push('\n');
                used += 1;
            }
            current.push_str(&piece);
            used += w;
        }
    }
    if !current.trim().is_empty() {
        chunks.push(current);
    }
    chunks.retain(|chunk| !chunk.trim().is_empty());
    chunks
}

/// One escaped line as pieces of at most `max` characters (`max` ≥ 8), preferring to break at
/// a space; every piece but the last ends with "…" and every piece but the first starts with one.
pub fn split_line(line: &str, max: usize) -> Vec<String> {
    let units = units(line);
    if width(&units) <= max {
        return vec![line.to_string()];
    }
    let mut pieces = Vec::new();
    let mut rest: &[&str] = &units;
    let mut first = true;
    while !rest.is_empty() {
        let lead = usize::from(!first);
        if lead + width(rest) <= max {
            pieces.push(format!("{}{}", if first { "" } else { "…" }, rest.concat()));
            break;
        }
        // Room for the text between the leading and trailing "…".
        let room = max - lead - 1;
        let mut take = 0;
        let mut used = 0;
        for unit in rest {
            let w = unit.chars().count();
            if used + w > room {
                break;
            }
            used += w;
            take += 1;
        }
        // Break after the last space in the second half of the piece, when there is one.
        if let Some(space) = rest[..take].iter().rposition(|u| *u == " ")
            && space + 1 > take / 2
        {
            take = space + 1;
        }
        let take = take.max(1);
        pieces.push(format!(
            "{}{}…",
            if first { "" } else { "…" },
            rest[..take].concat()
        ));
        rest = &rest[take..];
        first = false;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_and_mentions() {
        assert_eq!(escape("@everyone *hi* _x_"), "\\@everyone \\*hi\\* \\_x\\_");
        assert_eq!(
            escape("# h\n- a\n1. b\n a-b 1.5\n> q"),
            "\\# h\n\\- a\n1\\. b\n a-b 1.5\n\\> q"
        );
        assert_eq!(escape("*a* <@1> # b"), "\\*a\\* \\<\\@1> # b");
    }

    #[test]
    fn unescape_gives_back_what_escape_was_given() {
        for text in [
            "@everyone *hi* _x_ \\ back",
            "# h\n- a\n1. b\n> q",
            "`c` ~s~ |s| [l](u) <@1> \\\\",
            "plain",
        ] {
            assert_eq!(unescape(&escape(text)), text);
        }
    }

    #[test]
    fn command_mentions_need_the_id() {
        let mut ids = super::super::register::CommandIds::default();
        assert_eq!(command_mention("brief", &ids), "/brief");
        ids.insert("brief", 42);
        ids.insert("digest", 7);
        assert_eq!(command_mention("brief", &ids), "</brief:42>");
        assert_eq!(command_mention("digest list", &ids), "</digest list:7>");
    }

    #[test]
    fn packing_never_starts_a_chunk_with_a_blank_line_and_loses_nothing() {
        let lines: Vec<String> = ["a".repeat(10), String::new(), "b".repeat(10)]
            .into_iter()
            .collect();
        let chunks = pack(&lines, 12);
        let trimmed: Vec<&str> = chunks.iter().map(|c| c.trim_end()).collect();
        assert_eq!(trimmed, vec!["a".repeat(10), "b".repeat(10)]);
        let long = vec!["word ".repeat(40)];
        let chunks = pack(&long, 50);
        assert!(chunks.iter().all(|c| c.chars().count() <= 50));
        assert_eq!(chunks.join(" ").matches("word").count(), 40);
    }
}
