//! A digest as Discord message contents: plain markdown, at most 2000 characters a message,
//! split into pages between lines (a line too long for one message continues on the next,
//! marked with "…"), so nothing is ever cut off. Every piece of data is escaped with
//! [`crate::discord::text`], the one escaper: nothing in the corpus can format, link or mention.
//!
//! Each posted page ends with a small marker line naming its subscription, slot and page. After a
//! crash, the scheduler looks for that marker among the channel's recent messages to tell which
//! pages already went out.
//!
//! (The Discord front end renders other replies as embeds; when the digest moves to that shared
//! renderer, the marker goes into the embed footer.)

use serde::{Deserialize, Serialize};

use crate::discord::render::limits;
use crate::discord::text::{escape, pack};
use crate::reply::Reply;

/// One Discord message as the bot posts it: content and embeds, text already escaped where
/// Discord renders markdown (content, titles, descriptions, field names and values; footers are
/// plain text in Discord). It is what [`super::poster::Poster::post`] sends, what the store
/// keeps of a claimed page ([`Message::stored`]), and what the console preview prints.
/// `allowed_mentions` is not a field: every message goes out with no mentions allowed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Empty for a message of embeds only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embeds: Vec<Embed>,
}

/// One embed, without serenity (converted in [`super::poster::create_message`]), so its limits
/// can be checked anywhere. Empty strings are left out when sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Embed {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// The title's link: an http(s) address (articles' `url` are checked at load).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<EmbedField>,
    /// Plain text (Discord renders no markdown there).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub footer: String,
    /// The colour bar, `0xRRGGBB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedField {
    pub name: String,
    pub value: String,
    #[serde(default)]
    pub inline: bool,
}

impl Embed {
    /// The characters Discord counts towards a message's 6000: title, description, field names
    /// and values, footer.
    pub fn chars(&self) -> usize {
        let count = |s: &str| s.chars().count();
        count(&self.title)
            + count(&self.description)
            + self
                .fields
                .iter()
                .map(|f| count(&f.name) + count(&f.value))
                .sum::<usize>()
            + count(&self.footer)
    }

    /// Every text of the embed, for searching (recovery markers) and for plain-text views.
    pub fn texts(&self) -> Vec<&str> {
        let mut texts = vec![self.title.as_str(), self.description.as_str()];
        for field in &self.fields {
            texts.push(&field.name);
            texts.push(&field.value);
        }
        texts.push(&self.footer);
        texts
    }
}

impl Message {
    /// A message of text only.
    pub fn text(content: impl Into<String>) -> Message {
        Message {
            content: content.into(),
            embeds: Vec::new(),
        }
    }

    /// The characters of all its embeds together (Discord's 6000 per message).
    pub fn embed_chars(&self) -> usize {
        self.embeds.iter().map(Embed::chars).sum()
    }

    /// Whether the content or any embed text contains `needle` (a recovery marker).
    pub fn contains(&self, needle: &str) -> bool {
        self.content.contains(needle)
            || self
                .embeds
                .iter()
                .any(|e| e.texts().iter().any(|t| t.contains(needle)))
    }

    /// Every Discord limit this message breaks, in words; empty when it may be sent.
    pub fn limit_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let over = |problems: &mut Vec<String>, what: String, text: &str, max: usize| {
            let n = text.chars().count();
            if n > max {
                problems.push(format!("{what}: {n} characters, limit {max}"));
            }
        };
        over(
            &mut problems,
            "content".into(),
            &self.content,
            limits::CONTENT,
        );
        let total = self.embed_chars();
        if total > limits::MESSAGE_TOTAL {
            problems.push(format!(
                "all embeds: {total} characters, limit {}",
                limits::MESSAGE_TOTAL
            ));
        }
        for (i, embed) in self.embeds.iter().enumerate() {
            over(
                &mut problems,
                format!("embed {i} title"),
                &embed.title,
                limits::TITLE,
            );
            over(
                &mut problems,
                format!("embed {i} description"),
                &embed.description,
                limits::DESCRIPTION,
            );
            over(
                &mut problems,
                format!("embed {i} footer"),
                &embed.footer,
                limits::FOOTER,
            );
            for (j, field) in embed.fields.iter().enumerate() {
                over(
                    &mut problems,
                    format!("embed {i} field {j} name"),
                    &field.name,
                    limits::FIELD_NAME,
                );
                over(
                    &mut problems,
                    format!("embed {i} field {j} value"),
                    &field.value,
                    limits::FIELD_VALUE,
                );
                if field.name.trim().is_empty() || field.value.trim().is_empty() {
                    problems.push(format!("embed {i} field {j} is blank"));
                }
            }
            if embed.fields.len() > limits::FIELDS {
                problems.push(format!(
                    "embed {i}: {} fields, limit {}",
                    embed.fields.len(),
                    limits::FIELDS
                ));
            }
            if embed.title.is_empty() && embed.description.is_empty() && embed.fields.is_empty() {
                problems.push(format!("embed {i} is empty"));
            }
        }
        if self.embeds.len() > limits::EMBEDS {
            problems.push(format!(
                "{} embeds, limit {}",
                self.embeds.len(),
                limits::EMBEDS
            ));
        }
        if self.content.trim().is_empty() && self.embeds.is_empty() {
            problems.push("the message is empty".to_string());
        }
        problems
    }

    /// The form kept in the store for a claimed page (JSON).
    pub fn stored(&self) -> String {
        // Serializing strings, lists and numbers into JSON cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A page read back from the store. A page claimed before digests were embeds is its
    /// message's content, and is posted as that.
    pub fn from_stored(page: &str) -> Message {
        match serde_json::from_str::<Message>(page) {
            Ok(message) if page.trim_start().starts_with('{') => message,
            _ => Message::text(page),
        }
    }
}

/// Discord's limit on a message's content, in characters.
pub const MESSAGE_LIMIT: usize = 2000;

/// Room kept at the end of each page for the marker line.
const MARKER_ROOM: usize = 80;

/// The text a page's marker contains, to find it again: `digest 3-1774771200 page 2 of`
/// (page 1 is never mistaken for page 10).
pub fn marker_key(subscription_id: i64, slot: i64, page: usize) -> String {
    format!("digest {subscription_id}-{slot} page {} of", page + 1)
}

/// Renders a reply as message contents. With `marker` (subscription id, slot as unix seconds),
/// each page ends with its marker line; without, the pages are for the console.
pub fn pages(reply: &Reply, marker: Option<(i64, i64)>) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    lines.push(format!("**{}**", escape(&reply.title)));
    for line in reply.body.lines() {
        lines.push(escape(line));
    }
    for field in &reply.fields {
        lines.push(String::new());
        lines.push(format!("**{}**", escape(&field.name)));
        for line in &field.lines {
            lines.push(format!("\u{2022} {}", escape(line)));
        }
    }
    if let Some(footer) = &reply.footer {
        lines.push(String::new());
        lines.push(format!("-# {}", escape(footer)));
    }
    let room = MESSAGE_LIMIT - if marker.is_some() { MARKER_ROOM } else { 0 };
    let mut pages = pack(&lines, room);
    if let Some((subscription_id, slot)) = marker {
        let total = pages.len();
        for (index, page) in pages.iter_mut().enumerate() {
            page.push_str(&format!(
                "\n-# {} {total}",
                marker_key(subscription_id, slot, index)
            ));
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_message_reads_back_and_an_old_text_page_is_its_content() {
        let message = Message {
            content: String::new(),
            embeds: vec![Embed {
                title: "T".into(),
                url: Some("https://example.org/a".into()),
                footer: "digest 1-2 page 1 of 1".into(),
                ..Embed::default()
            }],
        };
        assert_eq!(Message::from_stored(&message.stored()), message);
        assert!(message.contains("digest 1-2 page 1 of"));
        assert!(message.limit_problems().is_empty());
        let old = "**Digest**\n{not json\n-# digest 1-2 page 1 of 1";
        assert_eq!(Message::from_stored(old), Message::text(old));
        assert_eq!(Message::from_stored("\"x\""), Message::text("\"x\""));
    }

    #[test]
    fn escapes_markdown_and_mentions() {
        // The one escaper (discord::text): `>` quotes only at a line's start.
        assert_eq!(escape("*a* <@1> # b"), "\\*a\\* \\<\\@1> # b");
        assert_eq!(escape("# title"), "\\# title");
    }

    #[test]
    fn long_replies_become_pages_within_the_limit_and_lose_nothing() {
        let mut reply = Reply {
            ok: true,
            title: "Digest".into(),
            ..Reply::default()
        };
        let lines: Vec<String> = (0..300)
            .map(|i| format!("line number {i} of many"))
            .collect();
        reply.field("Lines", lines);
        reply.field("Huge", vec!["word ".repeat(900)]);
        let pages = pages(&reply, Some((7, 1_700_000_000)));
        assert!(pages.len() > 3);
        for (i, page) in pages.iter().enumerate() {
            assert!(page.chars().count() <= MESSAGE_LIMIT, "page {i} too long");
            assert!(page.contains(&marker_key(7, 1_700_000_000, i)));
        }
        let all = pages.join("\n");
        for i in 0..300 {
            assert!(
                all.contains(&format!("line number {i} of many")),
                "line {i} lost"
            );
        }
        assert_eq!(all.matches("word").count(), 900);
    }
}
