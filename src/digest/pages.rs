//! A digest as Discord messages of embeds, within every limit, and the same messages as console
//! text.
//!
//! [`messages`] renders a [`Digest`]: an overview embed (the heading; the story; the counts; the
//! background topics), then one embed per new article (its title linked to the article's
//! address; date, place, outlet and byline; summary; the most telling statements, each a field
//! named by speaker and date; who took part). Each embed's parts are capped
//! (`SECTION_DESCRIPTION`, `QUOTE_NAME`, ...) so one embed always fits a message with room
//! for the marker; messages are split only between embeds: at most 10 embeds and 6000
//! characters a message. A cut ends with "…"; the section's "More: /brief article:<id>" line
//! gives the rest. Every piece of data is escaped with [`crate::discord::text`], the one
//! escaper: nothing in the corpus can format, link or mention. Command names are command
//! mentions (`</brief:ID>`) when Discord's ids are known ([`CommandIds`]).
//!
//! Each posted message's last embed has a footer marker naming its subscription, slot and page.
//! After a crash, the scheduler looks for that marker among the channel's recent messages to
//! tell which pages already went out.
//!
//! [`console_text`] prints messages for `briefing-bot digest --preview`: the same embeds, text
//! unescaped, so what the console shows is what Discord gets.

use serde::{Deserialize, Serialize};

use crate::cmd::digest::content::{Digest, Quote, Section};
use crate::discord::register::CommandIds;
use crate::discord::render::limits;
use crate::discord::text::{command_mention, cut_units, escape, unescape, units};

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
pub const MESSAGE_LIMIT: usize = limits::CONTENT;

/// Room kept in each message for the marker footer.
pub const MARKER_ROOM: usize = 80;
/// The colour bar of digest embeds.
const COLOUR: u32 = 0x2b_6c_b0;
/// Caps on an article embed's parts: with the title (256) they come to at most 5,249
/// characters (1800 + 3 × (160 + 700) + 13 + 600), so every embed fits a message (6000) with
/// its marker.
const SECTION_DESCRIPTION: usize = 1800;
const QUOTE_NAME: usize = 160;
const QUOTE_VALUE: usize = 700;
const PEOPLE_VALUE: usize = 600;
const PEOPLE_NAME: &str = "Who took part";
/// Caps on the overview's parts.
const TOPICS_VALUE: usize = 1000;
const TOPIC_TITLE: usize = 120;
const ID_CHARS: usize = 100;

/// The text a page's marker contains, to find it again: `digest 3-1774771200 page 2 of`
/// (page 1 is never mistaken for page 10).
pub fn marker_key(subscription_id: i64, slot: i64, page: usize) -> String {
    format!("digest {subscription_id}-{slot} page {} of", page + 1)
}

/// The digest as messages. With `marker` (subscription id, slot as unix seconds), each
/// message's last embed carries its marker footer; without, the messages are for the console.
pub fn messages(digest: &Digest, ids: &CommandIds, marker: Option<(i64, i64)>) -> Vec<Message> {
    let mut embeds = vec![overview(digest, ids)];
    embeds.extend(digest.sections.iter().map(|s| article_embed(s, ids)));
    let mut messages = pack_embeds(embeds, MARKER_ROOM);
    if let Some((subscription_id, slot)) = marker {
        mark(&mut messages, |index, total| {
            format!("{} {total}", marker_key(subscription_id, slot, index))
        });
    }
    messages
}

/// Embeds packed in order into as few messages as the limits allow: at most 10 embeds and
/// 6000 − `footer_room` characters a message, never splitting an embed (each embed must fit on
/// its own, as [`article_embed`]'s do). Always at least one message when there are embeds.
pub fn pack_embeds(embeds: Vec<Embed>, footer_room: usize) -> Vec<Message> {
    let budget = limits::MESSAGE_TOTAL.saturating_sub(footer_room);
    let mut messages: Vec<Message> = Vec::new();
    let mut current = Message::default();
    for embed in embeds {
        if !current.embeds.is_empty()
            && (current.embeds.len() == limits::EMBEDS
                || current.embed_chars() + embed.chars() > budget)
        {
            messages.push(std::mem::take(&mut current));
        }
        current.embeds.push(embed);
    }
    if !current.embeds.is_empty() {
        messages.push(current);
    }
    messages
}

/// Sets the footer of each message's last embed to `marker(index, total)` (plain text, cut to
/// Discord's footer limit): what lets a poster recognise its own messages later.
pub fn mark(messages: &mut [Message], marker: impl Fn(usize, usize) -> String) {
    let total = messages.len();
    for (index, message) in messages.iter_mut().enumerate() {
        if let Some(last) = message.embeds.last_mut() {
            last.footer = crate::discord::text::cut(&marker(index, total), limits::FOOTER);
        }
    }
}

/// The console form of messages: each embed's title, link, description, fields and footer,
/// unescaped; a separator line between messages when there are several.
pub fn console_text(messages: &[Message]) -> String {
    let total = messages.len();
    let mut text = String::new();
    for (index, message) in messages.iter().enumerate() {
        if total > 1 {
            text.push_str(&format!("--- message {} of {total} ---\n", index + 1));
        }
        if !message.content.is_empty() {
            text.push_str(&unescape(&message.content));
            text.push('\n');
        }
        for embed in &message.embeds {
            if !embed.title.is_empty() {
                text.push_str(&format!("## {}\n", unescape(&embed.title)));
            }
            if let Some(url) = &embed.url {
                text.push_str(&format!("<{url}>\n"));
            }
            if !embed.description.is_empty() {
                text.push_str(&unescape(&embed.description));
                text.push('\n');
            }
            for field in &embed.fields {
                text.push_str(&format!(
                    "  {}\n    {}\n",
                    unescape(&field.name),
                    unescape(&field.value).replace('\n', "\n    ")
                ));
            }
            if !embed.footer.is_empty() {
                text.push_str(&format!("-- {}\n", embed.footer));
            }
            text.push('\n');
        }
    }
    text
}

/// Escaped, on one line, cut to `max` characters without splitting an escape.
fn line(text: &str, max: usize) -> String {
    let one: Vec<&str> = text.split_whitespace().collect();
    cut_units(&units(&escape(&one.join(" "))), max)
}

/// Escaped (line breaks kept), cut to `max` characters without splitting an escape.
fn block(text: &str, max: usize) -> String {
    cut_units(&units(&escape(text.trim())), max)
}

fn characters(text: &str) -> usize {
    text.chars().count()
}

/// The first embed: heading, story, counts, what to ask next, background topics.
fn overview(digest: &Digest, ids: &CommandIds) -> Embed {
    let mut lines: Vec<String> = Vec::new();
    if !digest.story.is_empty() {
        lines.push(block(&digest.story, 700));
    }
    if let Some(topic) = &digest.main_topic {
        lines.push(format!("Most discussed: {}", line(topic, 200)));
    }
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(line(&digest.counts, 300));
    if digest.more_articles > 0 {
        lines.push(format!(
            "{} {}",
            line(
                &format!(
                    "The newest {} are below; {} older:",
                    digest.sections.len(),
                    digest.more_articles
                ),
                100
            ),
            command_mention("articles", ids)
        ));
    }
    lines.push(if digest.is_empty() {
        format!("Full briefing: {}", command_mention("brief", ids))
    } else {
        format!(
            "Ask more: {} \u{b7} {} \u{b7} {} \u{b7} {}",
            command_mention("brief", ids),
            command_mention("who", ids),
            command_mention("statements", ids),
            command_mention("context", ids)
        )
    });
    let mut embed = Embed {
        title: line(&digest.heading, limits::TITLE),
        description: lines.join("\n"),
        colour: Some(COLOUR),
        ..Embed::default()
    };
    let topic_lines: Vec<String> = digest
        .topics
        .iter()
        .map(|(title, id, status)| {
            format!(
                "{} ({status}) \u{2014} {} topic:{}",
                line(title, TOPIC_TITLE),
                command_mention("context", ids),
                line(id, ID_CHARS)
            )
        })
        .collect();
    let (mut value, dropped) = fill(&topic_lines, TOPICS_VALUE - 20);
    let more = dropped + digest.more_topics;
    if more > 0 && !value.is_empty() {
        value.push_str(&format!("\nand {more} more"));
    }
    if !value.is_empty() {
        embed.fields.push(EmbedField {
            name: "Background".to_string(),
            value,
            inline: false,
        });
    }
    embed
}

/// Whole lines joined by newlines within `max` characters; how many did not fit.
fn fill(lines: &[String], max: usize) -> (String, usize) {
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        let extra = characters(l) + usize::from(!out.is_empty());
        if characters(&out) + extra > max {
            return (out, lines.len() - i);
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(l);
    }
    (out, 0)
}

/// One article's embed: its title linked to its address, detail line, summary, "More:
/// /brief article:<id>", its statements as fields, who took part. Its parts are capped (see
/// `SECTION_DESCRIPTION`), so it fits any message with [`MARKER_ROOM`]'s worth of footer.
pub fn article_embed(section: &Section, ids: &CommandIds) -> Embed {
    let title = line(&section.title, limits::TITLE);
    let detail = line(&section.detail, 300);
    let more = format!(
        "More: {} article:{}",
        command_mention("brief", ids),
        line(&section.id, ID_CHARS)
    );
    let room = SECTION_DESCRIPTION - characters(&detail) - characters(&more) - 2;
    let summary = block(&section.summary, room);
    let description: Vec<&str> = [detail.as_str(), summary.as_str(), more.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let mut fields: Vec<EmbedField> = section.statements.iter().map(quote_field).collect();
    if !section.participants.is_empty() {
        fields.push(EmbedField {
            name: PEOPLE_NAME.to_string(),
            value: block(&section.participants_line(), PEOPLE_VALUE),
            inline: false,
        });
    }
    fields.retain(|f| !f.name.trim().is_empty() && !f.value.trim().is_empty());
    Embed {
        title: if title.is_empty() {
            "(untitled)".to_string()
        } else {
            title
        },
        url: section.url.clone(),
        description: description.join("\n"),
        fields,
        colour: Some(COLOUR),
        ..Embed::default()
    }
}

/// A statement as a field: "Mao Ning · 2025-03-13" over the words.
fn quote_field(quote: &Quote) -> EmbedField {
    EmbedField {
        name: line(&quote.heading(), QUOTE_NAME),
        value: block(&quote.words, QUOTE_VALUE),
        inline: false,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::article::Article;
    use crate::cmd::digest::content::{Filters, build};
    use crate::corpus::Corpus;
    use crate::gen_corpus::{Shape, generate};

    fn everything(corpus: &Corpus) -> HashSet<String> {
        corpus.articles.iter().map(|a| a.id.clone()).collect()
    }

    /// Articles whose every text is long and full of markdown and mentions.
    fn hostile(n: usize) -> Corpus {
        let articles = (0..n)
            .map(|i| {
                let long =
                    format!("*bold* @everyone <@123> [link](https://x.y) `code` {i} ").repeat(80);
                serde_json::from_value::<Article>(serde_json::json!({
                    "id": format!("a-{i:03}"),
                    "title": format!("# Title {i} {}", "_x_ ".repeat(100)),
                    "published": format!("2025-03-{:02}", 1 + i % 28),
                    "source": "Wire **Service**",
                    "url": format!("https://example.org/{i}"),
                    "byline": {"name": "@here"},
                    "summary": long,
                    "location": "> Beijing",
                    "participants": (0..30).map(|p| serde_json::json!({
                        "id": format!("p{p}"),
                        "name": format!("Person {p} @everyone"),
                        "role": "Spokesperson ".repeat(10),
                        "country": "China"
                    })).collect::<Vec<_>>(),
                    "statements": (0..6).map(|p| serde_json::json!({
                        "speaker": format!("p{p}"),
                        "kind": if p % 2 == 0 { "quote" } else { "paraphrase" },
                        "text": long.repeat(2),
                        "said": "Thursday",
                        "via": "Reuters ".repeat(40)
                    })).collect::<Vec<_>>(),
                    "context": [{"id": format!("c{i}"), "title": "T ".repeat(200), "text": "x"}]
                }))
                .unwrap()
            })
            .collect();
        Corpus::build(articles)
    }

    fn check(messages: &[Message], digest: &Digest, marker: Option<(i64, i64)>) {
        assert!(!messages.is_empty());
        let total = messages.len();
        for (i, message) in messages.iter().enumerate() {
            let problems = message.limit_problems();
            assert!(problems.is_empty(), "message {i}: {problems:?}");
            // Embed totals leave room for the marker, however long the data.
            assert!(message.embed_chars() <= limits::MESSAGE_TOTAL);
            if let Some((sub, slot)) = marker {
                let footer = &message.embeds.last().unwrap().footer;
                assert_eq!(footer, &format!("{} {total}", marker_key(sub, slot, i)));
                assert!(message.contains(&marker_key(sub, slot, i)));
            }
        }
        // Nothing is split inside an embed: the overview, then exactly one embed per section.
        let embeds: Vec<&Embed> = messages.iter().flat_map(|m| &m.embeds).collect();
        assert_eq!(embeds.len(), digest.sections.len() + 1);
        for (embed, section) in embeds[1..].iter().zip(&digest.sections) {
            assert_eq!(embed.url, section.url);
            assert!(
                embed.description.contains(&section.id),
                "{}",
                embed.description
            );
        }
    }

    #[test]
    fn a_long_digest_is_within_every_limit_and_split_only_between_embeds() {
        let corpus = hostile(14);
        let digest = build(
            &corpus,
            &everything(&corpus),
            Filters::default(),
            "Digest",
            None,
        );
        assert_eq!(
            digest.sections.len(),
            crate::cmd::digest::content::MAX_ARTICLES
        );
        let messages = messages(&digest, &CommandIds::default(), Some((7, 1_700_000_000)));
        assert!(messages.len() > 2, "{}", messages.len());
        check(&messages, &digest, Some((7, 1_700_000_000)));
        // Cuts are visible.
        assert!(
            messages[0]
                .embeds
                .iter()
                .chain(&messages[1].embeds)
                .any(|e| e.fields.iter().any(|f| f.value.ends_with('\u{2026}')))
        );
    }

    #[test]
    fn a_generated_corpus_digest_is_within_every_limit() {
        let corpus = Corpus::build(generate(&Shape::articles(300), 11));
        let digest = build(
            &corpus,
            &everything(&corpus),
            Filters::default(),
            "Digest",
            None,
        );
        let mut ids = CommandIds::default();
        ids.insert("brief", 1_234_567_890_123_456_789);
        ids.insert("context", 42);
        let messages = messages(&digest, &ids, Some((i64::MAX, i64::MAX)));
        check(&messages, &digest, Some((i64::MAX, i64::MAX)));
        let text: String = messages
            .iter()
            .flat_map(|m| &m.embeds)
            .map(|e| e.description.clone())
            .collect();
        assert!(
            text.contains("</brief:1234567890123456789> article:"),
            "{text}"
        );
        assert!(text.contains("/who"), "{text}");
    }

    #[test]
    fn data_is_escaped_and_cannot_mention() {
        let corpus = hostile(2);
        let digest = build(
            &corpus,
            &everything(&corpus),
            Filters::default(),
            "Digest",
            None,
        );
        let messages = messages(&digest, &CommandIds::default(), None);
        check(&messages, &digest, None);
        for embed in messages.iter().flat_map(|m| &m.embeds) {
            for text in [&embed.title, &embed.description]
                .into_iter()
                .chain(embed.fields.iter().flat_map(|f| [&f.name, &f.value]))
            {
                for bare in [
                    "<@",
                    " @everyone",
                    "*bold*",
                    "[link]",
                    "`code`",
                    "\n# ",
                    "\n> ",
                ] {
                    assert!(!text.contains(bare), "{bare:?} unescaped in {text}");
                }
            }
        }
        let section = messages.iter().flat_map(|m| &m.embeds).nth(1).unwrap();
        assert!(section.title.starts_with("\\# Title "), "{}", section.title);
        assert!(section.description.contains("\\@everyone"));
    }

    #[test]
    fn the_console_shows_the_embeds_unescaped() {
        let corpus = hostile(1);
        let digest = build(
            &corpus,
            &everything(&corpus),
            Filters::default(),
            "Digest",
            None,
        );
        let text = console_text(&messages(&digest, &CommandIds::default(), None));
        assert!(text.contains("## # Title 0 _x_"), "{text}");
        assert!(text.contains("<https://example.org/0>"), "{text}");
        assert!(text.contains("*bold* @everyone <@123>"), "{text}");
        assert!(text.contains("More: /brief article:a-000"), "{text}");
    }

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
    fn limit_problems_names_what_is_over() {
        let mut message = Message::text("x".repeat(2001));
        message.embeds = (0..11)
            .map(|_| Embed {
                title: "t".repeat(257),
                ..Embed::default()
            })
            .collect();
        let problems = message.limit_problems().join("\n");
        assert!(problems.contains("content: 2001"), "{problems}");
        assert!(problems.contains("embed 0 title: 257"), "{problems}");
        assert!(problems.contains("11 embeds"), "{problems}");
    }
}
