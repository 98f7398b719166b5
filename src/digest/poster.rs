//! Posting to a channel, behind a trait so the scheduler can be tested without Discord.
//!
//! [`PostError`] sorts every failure into what the scheduler does next: a channel that is gone or
//! forbids posting (Discord codes 10003, 50001, 50013, or a bare 403/404) disables the
//! subscription and is never retried, since repeated 403s and 404s count towards Discord's
//! invalid-request ban; 429, 5xx and network failures are retried with backoff; anything else
//! fails that one slot.
//!
//! [`SerenityPoster`] is the real thing, over serenity's HTTP client: every message carries a
//! nonce with `enforce_nonce`, so Discord returns the first message instead of posting a second
//! when a slot is retried within its de-duplication window, and allows no mentions at all.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serenity::builder::{CreateAllowedMentions, CreateEmbed, CreateEmbedFooter, CreateMessage};
use serenity::http::{Http, HttpError, LightMethod, Request, Route};
use serenity::model::channel::Nonce;
use serenity::model::id::ChannelId;

use super::pages::{Embed, Message};

/// Discord's longest nonce, in characters.
pub const NONCE_LIMIT: usize = 25;

/// How many recent messages recovery looks through for a page already posted.
pub const RECENT_MESSAGES: u8 = 50;

/// A message found in a channel.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecentMessage {
    pub id: u64,
    pub author_id: u64,
    pub content: String,
    /// The texts of its embeds (title, description, field names and values, footer), in order.
    pub embed_texts: Vec<String>,
}

impl RecentMessage {
    /// Whether its content or an embed text holds `needle` (a page's recovery marker).
    pub fn contains(&self, needle: &str) -> bool {
        self.content.contains(needle) || self.embed_texts.iter().any(|t| t.contains(needle))
    }
}

/// Why a post (or a read of recent messages) failed, sorted by what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostError {
    /// The channel is gone or the bot may not post there: disable the subscription.
    #[error("{reason}")]
    Disabling {
        status: u16,
        code: Option<i64>,
        reason: String,
    },
    /// Rate limited, Discord's trouble or the network's: try again later.
    #[error("{message}")]
    Retryable {
        retry_after: Option<Duration>,
        message: String,
    },
    /// Refused for another reason (a malformed message, say): this slot fails, nothing else.
    #[error("{message}")]
    Rejected { message: String },
}

/// Sorts an HTTP failure from Discord by status and JSON error code.
pub fn classify(status: u16, code: Option<i64>, message: &str) -> PostError {
    let detail = match code {
        Some(code) => format!("HTTP {status}, Discord code {code}: {message}"),
        None => format!("HTTP {status}: {message}"),
    };
    let disabling = |why: &str| PostError::Disabling {
        status,
        code,
        reason: format!("{why} ({detail})"),
    };
    match (status, code) {
        (_, Some(10003)) => disabling("the channel no longer exists"),
        (_, Some(50001)) => disabling("the bot cannot see the channel"),
        (_, Some(50013)) => disabling("the bot lacks permission to post in the channel"),
        (403, _) => disabling("Discord forbids the bot to post in the channel"),
        (404, _) => disabling("the channel was not found"),
        (429, _) => PostError::Retryable {
            retry_after: None,
            message: format!("rate limited ({detail})"),
        },
        (500..=599, _) => PostError::Retryable {
            retry_after: None,
            message: format!("Discord failed ({detail})"),
        },
        _ => PostError::Rejected {
            message: format!("Discord refused the message ({detail})"),
        },
    }
}

/// The nonce of one page of one slot: the same on every retry, at most 25 characters.
pub fn nonce(subscription_id: i64, slot: i64, page: usize) -> String {
    let text = format!("d{subscription_id:x}.{slot:x}.{page:x}");
    if text.len() <= NONCE_LIMIT {
        return text;
    }
    // FNV-1a: stable across builds and platforms, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("dh{hash:016x}")
}

/// Where digests go.
pub trait Poster: Send + Sync {
    /// Posts `message` to a channel with a nonce Discord de-duplicates on (`enforce_nonce`),
    /// allowing no mentions; the message id.
    fn post(
        &self,
        channel_id: u64,
        message: &Message,
        nonce: &str,
    ) -> impl Future<Output = Result<u64, PostError>> + Send;

    /// The channel's newest messages (up to [`RECENT_MESSAGES`]), newest first.
    fn recent_messages(
        &self,
        channel_id: u64,
    ) -> impl Future<Output = Result<Vec<RecentMessage>, PostError>> + Send;
}

/// Posts through serenity's HTTP client.
#[derive(Clone)]
pub struct SerenityPoster {
    http: Arc<Http>,
}

impl SerenityPoster {
    pub fn new(http: Arc<Http>) -> SerenityPoster {
        SerenityPoster { http }
    }
}

/// The fields of a message recovery needs; deserialized leniently (serenity's `Message` is
/// stricter than Discord).
#[derive(serde::Deserialize)]
struct LiteMessage {
    id: serenity::model::id::MessageId,
    #[serde(default)]
    content: String,
    author: LiteUser,
    #[serde(default)]
    embeds: Vec<LiteEmbed>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LiteEmbed {
    title: Option<String>,
    description: Option<String>,
    fields: Vec<LiteField>,
    footer: Option<LiteFooter>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LiteField {
    name: String,
    value: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LiteFooter {
    text: String,
}

impl LiteEmbed {
    fn texts(self) -> Vec<String> {
        let mut texts: Vec<String> = self.title.into_iter().chain(self.description).collect();
        for field in self.fields {
            texts.push(field.name);
            texts.push(field.value);
        }
        texts.extend(self.footer.map(|f| f.text));
        texts
    }
}

/// The serenity embed of an [`Embed`]: empty parts left out.
pub fn create_embed(embed: &Embed) -> CreateEmbed {
    let mut out = CreateEmbed::new();
    if let Some(colour) = embed.colour {
        out = out.colour(colour);
    }
    if !embed.title.is_empty() {
        out = out.title(&embed.title);
    }
    if let Some(url) = &embed.url {
        out = out.url(url);
    }
    if !embed.description.is_empty() {
        out = out.description(&embed.description);
    }
    out = out.fields(
        embed
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.value.clone(), f.inline)),
    );
    if !embed.footer.is_empty() {
        out = out.footer(CreateEmbedFooter::new(&embed.footer));
    }
    out
}

/// The request body of a post: content and embeds, the nonce enforced, no mentions allowed.
pub fn create_message(message: &Message, nonce: &str) -> CreateMessage {
    let mut out = CreateMessage::new()
        .nonce(Nonce::String(nonce.to_string()))
        .enforce_nonce(true)
        .allowed_mentions(CreateAllowedMentions::new());
    if !message.content.is_empty() {
        out = out.content(&message.content);
    }
    out.embeds(message.embeds.iter().map(create_embed).collect())
}

#[derive(serde::Deserialize)]
struct LiteUser {
    id: serenity::model::id::UserId,
}

impl Poster for SerenityPoster {
    async fn post(
        &self,
        channel_id: u64,
        message: &Message,
        nonce: &str,
    ) -> Result<u64, PostError> {
        let channel = channel(channel_id)?;
        let message = create_message(message, nonce);
        let sent = channel
            .send_message(&self.http, message)
            .await
            .map_err(from_serenity)?;
        Ok(sent.id.get())
    }

    async fn recent_messages(&self, channel_id: u64) -> Result<Vec<RecentMessage>, PostError> {
        let channel = channel(channel_id)?;
        let request = Request::new(
            Route::ChannelMessages {
                channel_id: channel,
            },
            LightMethod::Get,
        )
        .params(Some(vec![("limit", RECENT_MESSAGES.to_string())]));
        let messages: Vec<LiteMessage> = self.http.fire(request).await.map_err(from_serenity)?;
        Ok(messages
            .into_iter()
            .map(|m| RecentMessage {
                id: m.id.get(),
                author_id: m.author.id.get(),
                content: m.content,
                embed_texts: m.embeds.into_iter().flat_map(LiteEmbed::texts).collect(),
            })
            .collect())
    }
}

fn channel(channel_id: u64) -> Result<ChannelId, PostError> {
    // ChannelId::new panics on 0; no stored channel should be 0, but a panic is never the answer.
    if channel_id == 0 {
        return Err(PostError::Disabling {
            status: 0,
            code: None,
            reason: "the channel id is 0, which is no channel".to_string(),
        });
    }
    Ok(ChannelId::new(channel_id))
}

fn from_serenity(err: serenity::Error) -> PostError {
    match err {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            let code = (response.error.code >= 0).then_some(response.error.code as i64);
            classify(response.status_code.as_u16(), code, &response.error.message)
        }
        serenity::Error::Http(HttpError::Request(err)) => PostError::Retryable {
            retry_after: None,
            message: format!("cannot reach Discord: {err}"),
        },
        // The request went out (our messages always serialize) and Discord answered 2xx, but
        // its answer did not parse: the message may well be posted. Tried again with the same
        // nonce (Discord answers with the first message), or found among the recent messages
        // by a later pass; never given up as "not sent".
        serenity::Error::Json(err) => PostError::Retryable {
            retry_after: None,
            message: format!(
                "Discord's answer could not be read ({err}); the message may be posted"
            ),
        },
        other => PostError::Rejected {
            message: format!("the message was not sent: {other}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_that_does_not_parse_is_retried_not_given_up() {
        let unreadable = serde_json::from_str::<u8>("{\"id\": 1}").unwrap_err();
        assert!(matches!(
            from_serenity(serenity::Error::Json(unreadable)),
            PostError::Retryable { .. }
        ));
    }

    #[test]
    fn classifies_discord_errors() {
        for (status, code) in [
            (404, Some(10003)),
            (403, Some(50001)),
            (403, Some(50013)),
            (403, None),
            (404, None),
        ] {
            assert!(
                matches!(classify(status, code, "x"), PostError::Disabling { .. }),
                "{status} {code:?}"
            );
        }
        for status in [429, 500, 502, 503] {
            assert!(matches!(
                classify(status, None, "x"),
                PostError::Retryable { .. }
            ));
        }
        assert!(matches!(
            classify(400, Some(50035), "x"),
            PostError::Rejected { .. }
        ));
        let PostError::Disabling { reason, .. } = classify(403, Some(50013), "Missing Permissions")
        else {
            panic!("50013 must disable");
        };
        assert!(
            reason.contains("permission") && reason.contains("50013"),
            "{reason}"
        );
    }

    #[test]
    fn the_request_body_carries_embeds_the_nonce_and_no_mentions() {
        use super::super::pages::EmbedField;
        let message = Message {
            content: String::new(),
            embeds: vec![Embed {
                title: "Title".into(),
                url: Some("https://example.org/a".into()),
                description: "Words".into(),
                fields: vec![EmbedField {
                    name: "Mao Ning".into(),
                    value: "\u{201c}Quote\u{201d}".into(),
                    inline: false,
                }],
                footer: "digest 1-2 page 1 of 1".into(),
                colour: Some(0x2b6cb0),
            }],
        };
        let body = serde_json::to_value(create_message(&message, "d1.2.0")).unwrap();
        assert_eq!(body["nonce"], "d1.2.0");
        assert_eq!(body["enforce_nonce"], true);
        assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
        assert!(body["content"].is_null(), "{body}");
        let embed = &body["embeds"][0];
        assert_eq!(embed["title"], "Title");
        assert_eq!(embed["url"], "https://example.org/a");
        assert_eq!(embed["fields"][0]["name"], "Mao Ning");
        assert_eq!(embed["footer"]["text"], "digest 1-2 page 1 of 1");
    }

    #[test]
    fn nonces_are_stable_and_short() {
        assert_eq!(nonce(3, 1_774_771_200, 0), nonce(3, 1_774_771_200, 0));
        assert_ne!(nonce(3, 1_774_771_200, 0), nonce(3, 1_774_771_200, 1));
        assert_ne!(nonce(3, 1_774_771_200, 0), nonce(4, 1_774_771_200, 0));
        assert!(nonce(i64::MAX, i64::MAX, 99).len() <= NONCE_LIMIT);
    }
}
