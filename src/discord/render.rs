//! A [`Reply`] as Discord messages: pages of one embed each, within every Discord limit, with
//! Previous/Next buttons and "did you mean" buttons.
//!
//! Nothing is cut silently: text too long for one place continues on the next field or page, and
//! a piece that stops mid-line ends with "…" (its continuation starts with one). Reply text is
//! plain, so everything Discord would read as markdown is escaped where Discord renders markdown
//! (title, description, field names and values); footers and button labels are shown as typed
//! by Discord, so they are left alone. Page buttons carry the command in their id
//! ([`custom_id`]), so a click re-runs the command and picks the page.
//!
//! Lengths are counted in characters (Unicode scalar values), as Discord counts them.

use serenity::all::{ButtonStyle, Colour};
use serenity::builder::{
    CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed, CreateEmbedFooter,
    CreateInteractionResponseMessage, EditInteractionResponse,
};

use super::custom_id::{self, Tag};
use super::text::{cut, cut_units, escape, pack, units};
use crate::reply::{Field, Invocation, Reply};

/// Discord's limits on an embed (see the platform reference).
pub mod limits {
    pub const TITLE: usize = 256;
    pub const DESCRIPTION: usize = 4096;
    pub const FIELDS: usize = 25;
    pub const FIELD_NAME: usize = 256;
    pub const FIELD_VALUE: usize = 1024;
    pub const FOOTER: usize = 2048;
    /// All embeds of one message together.
    pub const MESSAGE_TOTAL: usize = 6000;
    /// Embeds in one message.
    pub const EMBEDS: usize = 10;
    /// A message's content.
    pub const CONTENT: usize = 2000;
    pub const BUTTON_LABEL: usize = 80;
    pub const BUTTONS_PER_ROW: usize = 5;
    pub const ROWS: usize = 5;
}

/// The longest footer text kept before the page number is added.
const FOOTER_TEXT: usize = 1900;
/// At most this many "did you mean" buttons (four rows; the fifth is kept for paging).
const SUGGESTION_BUTTONS: usize = (limits::ROWS - 1) * limits::BUTTONS_PER_ROW;
const CONTINUED: &str = " (continued)";

/// One embed's text, already escaped and within limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub ok: bool,
    /// Empty when the reply has no title.
    pub title: String,
    /// The title's link (the reply's `url`), on every page.
    pub url: Option<String>,
    /// Empty when the page has no description.
    pub description: String,
    pub fields: Vec<EmbedField>,
    /// Empty when there is nothing to say (no source, one page).
    pub footer: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedField {
    pub name: String,
    pub value: String,
}

/// One button of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub custom_id: String,
    pub label: String,
    pub disabled: bool,
    /// Page buttons are secondary; suggestions are primary.
    pub primary: bool,
}

/// The message for one page of a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub page: Page,
    pub rows: Vec<Vec<Button>>,
    /// Which page this is (0-based) and how many there are.
    pub index: usize,
    pub count: usize,
}

/// Renders page `page` (0-based; past the end shows the last) of the reply to `invocation`.
pub fn render(reply: &Reply, invocation: &Invocation, page: usize) -> Rendered {
    let (suggestion_buttons, leftover) = suggestion_buttons(reply);
    let mut reply = reply.clone();
    if !leftover.is_empty() {
        reply.fields.push(Field {
            name: "More suggestions".to_string(),
            lines: leftover,
        });
    }
    let mut pages = paginate(&reply);
    let count = pages.len();
    let mut index = page.min(count - 1);
    let mut rows = Vec::new();
    if count > 1 {
        let previous = custom_id::encode(Tag::Previous, index.saturating_sub(1), invocation);
        let next = custom_id::encode(Tag::Next, (index + 1).min(count - 1), invocation);
        match (previous, next) {
            (Some(previous), Some(next)) => rows.push(vec![
                Button {
                    custom_id: previous,
                    label: "Previous".to_string(),
                    disabled: index == 0,
                    primary: false,
                },
                Button {
                    custom_id: next,
                    label: "Next".to_string(),
                    disabled: index + 1 == count,
                    primary: false,
                },
            ]),
            _ => {
                // The command does not fit a button id: show the first page and say so.
                index = 0;
                // Invariant: `paginate` returns at least one page.
                pages[0].footer = footer_with(reply.footer.as_deref(), &unbuttoned_note(count));
            }
        }
    }
    rows.extend(
        suggestion_buttons
            .chunks(limits::BUTTONS_PER_ROW)
            .map(<[Button]>::to_vec),
    );
    // Invariant: `paginate` returns at least one page and `index < count`.
    let page = pages.swap_remove(index);
    Rendered {
        page,
        rows,
        index,
        count,
    }
}

/// The "did you mean" buttons, and the suggestions that do not fit a button (as text lines).
fn suggestion_buttons(reply: &Reply) -> (Vec<Button>, Vec<String>) {
    let mut buttons: Vec<Button> = Vec::new();
    let mut leftover = Vec::new();
    for suggestion in &reply.suggestions {
        let id = custom_id::encode(Tag::Suggestion, 0, &suggestion.invocation);
        match id {
            Some(id) if buttons.iter().any(|b| b.custom_id == id) => {}
            Some(id) if buttons.len() < SUGGESTION_BUTTONS => {
                let label = if suggestion.label.trim().is_empty() {
                    suggestion.invocation.to_slash_line()
                } else {
                    suggestion.label.clone()
                };
                buttons.push(Button {
                    custom_id: id,
                    label: cut(&label, limits::BUTTON_LABEL),
                    disabled: false,
                    primary: true,
                });
            }
            _ => leftover.push(format!(
                "{}: {}",
                suggestion.label,
                suggestion.invocation.to_slash_line()
            )),
        }
    }
    (buttons, leftover)
}

/// Splits a reply into pages, each one embed within every limit. Always at least one page.
pub fn paginate(reply: &Reply) -> Vec<Page> {
    let title = cut_units(&units(&escape(&reply.title)), limits::TITLE);
    let footer_text = reply.footer.as_deref().map(|f| cut(f, FOOTER_TEXT));
    // The footer grows by a page note; budget for the longest one.
    let footer_room = footer_with(footer_text.as_deref(), &unbuttoned_note(99_999))
        .chars()
        .count();
    // At least 6000 - 256 - 2048 = 3696: room for any one field (256 + 1024) or description.
    let budget = limits::MESSAGE_TOTAL - title.chars().count() - footer_room;
    let description_max = limits::DESCRIPTION.min(budget);

    let body_lines: Vec<String> = if reply.body.trim().is_empty() {
        Vec::new()
    } else {
        reply.body.lines().map(escape).collect()
    };
    let descriptions = pack(&body_lines, description_max);

    let mut fields = Vec::new();
    let mut escaped: Vec<(String, Vec<String>)> = reply
        .fields
        .iter()
        .map(|field| {
            (
                escape(&field.name),
                field.lines.iter().map(|l| escape(l)).collect(),
            )
        })
        .collect();
    if !reply.links.is_empty() {
        // Each line a masked link, its text escaped.
        escaped.push((
            escape(crate::reply::LINKS),
            reply.links.iter().map(masked_link).collect(),
        ));
    }
    for (name, lines) in escaped {
        let values = pack(&lines, limits::FIELD_VALUE);
        let values = if values.is_empty() {
            vec!["—".to_string()]
        } else {
            values
        };
        for (i, value) in values.into_iter().enumerate() {
            let name = if i == 0 {
                cut_units(&units(&name), limits::FIELD_NAME)
            } else {
                let mut n = cut_units(&units(&name), limits::FIELD_NAME - CONTINUED.len());
                n.push_str(CONTINUED);
                n
            };
            let name = if name.trim().is_empty() {
                "—".to_string()
            } else {
                name
            };
            fields.push(EmbedField { name, value });
        }
    }

    let mut pages: Vec<Page> = Vec::new();
    let blank = || Page {
        ok: reply.ok,
        title: title.clone(),
        url: reply.url.clone(),
        description: String::new(),
        fields: Vec::new(),
        footer: String::new(),
    };
    let mut current = blank();
    let mut used = 0;
    for description in descriptions {
        if !current.description.is_empty() || !current.fields.is_empty() {
            pages.push(std::mem::replace(&mut current, blank()));
        }
        used = description.chars().count();
        current.description = description;
    }
    for field in fields {
        let size = field.name.chars().count() + field.value.chars().count();
        if current.fields.len() == limits::FIELDS || used + size > budget {
            pages.push(std::mem::replace(&mut current, blank()));
            used = 0;
        }
        used += size;
        current.fields.push(field);
    }
    if current.title.is_empty() && current.description.is_empty() && current.fields.is_empty() {
        current.description = "(empty answer)".to_string();
    }
    pages.push(current);

    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        page.footer = if count > 1 {
            footer_with(
                footer_text.as_deref(),
                &format!("Page {} of {count}", i + 1),
            )
        } else {
            footer_text.clone().unwrap_or_default()
        };
    }
    pages
}

/// The longest link address written as a masked link; a longer one shows its text only.
const LINK_URL: usize = 600;

/// `[escaped text](address)`: the text on one line, at most 200 characters; parentheses and
/// spaces in the address percent-encoded so they cannot end the link.
fn masked_link(link: &crate::reply::Link) -> String {
    let text: Vec<&str> = link.text.split_whitespace().collect();
    let text = cut_units(&units(&escape(&text.join(" "))), 200);
    let url = link
        .url
        .replace('(', "%28")
        .replace(')', "%29")
        .replace(' ', "%20");
    if url.chars().count() > LINK_URL || url.chars().any(char::is_whitespace) {
        return text;
    }
    format!("[{text}]({url})")
}

/// The footer note of a paged answer whose command does not fit a button id.
fn unbuttoned_note(count: usize) -> String {
    format!(
        "Page 1 of {count}: the question is too long for page buttons; ask a narrower one to see the rest"
    )
}

fn footer_with(text: Option<&str>, note: &str) -> String {
    let text = text.map(|t| cut(t, FOOTER_TEXT));
    let footer = match text {
        Some(text) if !text.is_empty() => format!("{text} · {note}"),
        _ => note.to_string(),
    };
    cut(&footer, limits::FOOTER)
}

/// The embed for a page.
pub fn to_embed(page: &Page) -> CreateEmbed {
    let mut embed = CreateEmbed::new().colour(if page.ok {
        Colour::new(0x2b6cb0)
    } else {
        Colour::new(0xc05621)
    });
    if !page.title.is_empty() {
        embed = embed.title(&page.title);
        if let Some(url) = &page.url {
            embed = embed.url(url);
        }
    }
    if !page.description.is_empty() {
        embed = embed.description(&page.description);
    }
    embed = embed.fields(
        page.fields
            .iter()
            .map(|f| (f.name.clone(), f.value.clone(), false)),
    );
    if !page.footer.is_empty() {
        embed = embed.footer(CreateEmbedFooter::new(&page.footer));
    }
    embed
}

/// The action rows for a message's buttons.
pub fn to_components(rows: &[Vec<Button>]) -> Vec<CreateActionRow> {
    rows.iter()
        .map(|row| {
            CreateActionRow::Buttons(
                row.iter()
                    .map(|b| {
                        CreateButton::new(&b.custom_id)
                            .label(&b.label)
                            .style(if b.primary {
                                ButtonStyle::Primary
                            } else {
                                ButtonStyle::Secondary
                            })
                            .disabled(b.disabled)
                    })
                    .collect(),
            )
        })
        .collect()
}

/// A message carrying a rendered page: no mentions allowed, buttons always set (an empty list
/// clears the buttons of a message being updated).
pub fn message(rendered: &Rendered, ephemeral: bool) -> CreateInteractionResponseMessage {
    let message = CreateInteractionResponseMessage::new()
        .embed(to_embed(&rendered.page))
        .components(to_components(&rendered.rows))
        .allowed_mentions(CreateAllowedMentions::new());
    if ephemeral {
        message.ephemeral(true)
    } else {
        message
    }
}

/// The edit that fills in a deferred response.
pub fn edit(rendered: &Rendered) -> EditInteractionResponse {
    EditInteractionResponse::new()
        .embed(to_embed(&rendered.page))
        .components(to_components(&rendered.rows))
        .allowed_mentions(CreateAllowedMentions::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::Suggestion;

    fn reply_with_lines(n: usize, len: usize) -> Reply {
        let mut reply = Reply {
            ok: true,
            title: "Title".to_string(),
            body: "Body".to_string(),
            footer: Some("From “A” (2025-03-13, Source)".to_string()),
            ..Reply::default()
        };
        reply.field(
            "Statements",
            (0..n).map(|i| format!("{i} {}", "w".repeat(len))).collect(),
        );
        reply
    }

    #[test]
    fn escapes_markdown_and_mentions() {
        assert_eq!(escape("@everyone *hi* _x_"), "\\@everyone \\*hi\\* \\_x\\_");
        assert_eq!(
            escape("# h\n- a\n1. b\n a-b 1.5"),
            "\\# h\n\\- a\n1\\. b\n a-b 1.5"
        );
        assert_eq!(
            escape("`c` ~s~ |s| [l](u) <@1> \\"),
            "\\`c\\` \\~s\\~ \\|s\\| \\[l\\](u) \\<\\@1> \\\\"
        );
    }

    #[test]
    fn a_short_reply_is_one_page_without_buttons() {
        let reply = reply_with_lines(3, 10);
        let rendered = render(&reply, &Invocation::new("who").arg("name", "x"), 0);
        assert_eq!(rendered.count, 1);
        assert!(rendered.rows.is_empty());
        assert_eq!(rendered.page.footer, "From “A” (2025-03-13, Source)");
        assert_eq!(rendered.page.description, "Body");
    }

    #[test]
    fn a_long_reply_pages_with_buttons_and_loses_nothing() {
        let reply = reply_with_lines(200, 100);
        let invocation = Invocation::new("who").arg("name", "x");
        let first = render(&reply, &invocation, 0);
        assert!(first.count > 2, "{}", first.count);
        let buttons = &first.rows[0];
        assert_eq!(buttons[0].label, "Previous");
        assert!(buttons[0].disabled);
        assert!(!buttons[1].disabled);
        assert_eq!(buttons[1].custom_id, "b1|n1|who|0x");
        assert!(
            first
                .page
                .footer
                .ends_with(&format!("Page 1 of {}", first.count))
        );

        let mut seen = Vec::new();
        for page in paginate(&reply) {
            for field in page.fields {
                seen.extend(field.value.lines().map(str::to_string));
            }
        }
        let expected: Vec<String> = (0..200)
            .map(|i| format!("{i} {}", "w".repeat(100)))
            .collect();
        assert_eq!(seen, expected);

        let last = render(&reply, &invocation, 999);
        assert_eq!(last.index, last.count - 1);
        assert!(last.rows[0][1].disabled);
        assert!(!last.rows[0][0].disabled);
    }

    #[test]
    fn a_line_too_long_for_a_field_continues_with_ellipses() {
        let words = "word ".repeat(500);
        let mut reply = Reply::default();
        reply.field("Long", vec![words.trim().to_string()]);
        let pages = paginate(&reply);
        let fields: Vec<&EmbedField> = pages.iter().flat_map(|p| &p.fields).collect();
        assert!(fields.len() >= 3);
        assert!(fields[0].value.ends_with('…'));
        assert!(fields[1].value.starts_with('…'));
        assert_eq!(fields[1].name, "Long (continued)");
        let joined: String = fields
            .iter()
            .map(|f| f.value.trim_start_matches('…').trim_end_matches('…'))
            .collect();
        assert_eq!(joined, words.trim());
        assert!(
            fields
                .iter()
                .all(|f| f.value.chars().count() <= limits::FIELD_VALUE)
        );
    }

    #[test]
    fn the_title_links_to_the_url_and_links_are_masked_with_escaped_text() {
        let reply = Reply {
            ok: true,
            title: "Brief".to_string(),
            url: Some("https://example.org/a_(b)".to_string()),
            links: vec![crate::reply::Link {
                text: "*Talks* (2025-03-13)".to_string(),
                url: "https://example.org/a_(b)".to_string(),
            }],
            ..Reply::default()
        };
        let pages = paginate(&reply);
        assert_eq!(pages[0].url.as_deref(), Some("https://example.org/a_(b)"));
        let links = pages[0].fields.last().unwrap();
        assert_eq!(links.name, crate::reply::LINKS);
        assert_eq!(
            links.value,
            "[\\*Talks\\* (2025-03-13)](https://example.org/a_%28b%29)"
        );
        let embed = serde_json::to_value(to_embed(&pages[0])).unwrap();
        assert_eq!(embed["url"], "https://example.org/a_(b)");
    }

    #[test]
    fn cuts_never_split_an_escape() {
        let title = "*".repeat(300);
        let pages = paginate(&Reply {
            title,
            ..Reply::default()
        });
        let title = &pages[0].title;
        assert!(title.chars().count() <= limits::TITLE);
        assert!(title.ends_with("\\*…"), "{title}");
    }

    #[test]
    fn suggestions_become_buttons_and_overflow_into_a_field() {
        let mut reply = Reply::failure("Did you mean", "Pick one");
        for i in 0..23 {
            reply.suggestions.push(Suggestion {
                label: format!("Person {i}"),
                invocation: Invocation::new("who").arg("name", &format!("p{i}")),
            });
        }
        let rendered = render(&reply, &Invocation::new("who").arg("name", "p"), 0);
        let buttons: Vec<&Button> = rendered.rows.iter().flatten().collect();
        assert_eq!(buttons.len(), 20);
        assert_eq!(buttons[0].custom_id, "b1|s0|who|0p0");
        assert_eq!(buttons[0].label, "Person 0");
        assert!(rendered.rows.iter().all(|row| row.len() <= 5));
        let more = rendered
            .page
            .fields
            .iter()
            .find(|f| f.name == "More suggestions")
            .unwrap();
        assert!(
            more.value.contains("Person 22: /who name:p22"),
            "{}",
            more.value
        );
    }

    #[test]
    fn a_command_too_long_for_a_button_shows_page_one_and_says_so() {
        let reply = reply_with_lines(200, 100);
        let invocation = Invocation::new("search").arg("query", &"q".repeat(100));
        let rendered = render(&reply, &invocation, 3);
        assert_eq!(rendered.index, 0);
        assert!(rendered.rows.is_empty());
        assert!(rendered.page.footer.contains("too long for page buttons"));
    }
}
