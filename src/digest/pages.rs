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

use crate::discord::text::{escape, pack};
use crate::reply::Reply;

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
