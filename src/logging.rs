//! Logging for `run`, `serve-http` and `register`: stderr, filtered by `RUST_LOG`, and no
//! secret at any level, `trace` included.
//!
//! Secrets reach a logger in three ways, and each is closed here:
//!
//! - **Libraries that log what goes over the wire.** tungstenite logs every gateway frame at
//!   trace (the IDENTIFY frame holds the bot token, each INTERACTION_CREATE an interaction
//!   token), in hex and as text; serenity's gateway logs a frame it cannot parse at debug;
//!   serenity's REST spans and reqwest's debug lines carry request URLs, and the webhook
//!   routes hold interaction tokens. [`CLAMPS`] holds each of these targets at a level where
//!   they say nothing of the payload, whatever `RUST_LOG` asks, even for a more specific
//!   target (`RUST_LOG=tungstenite::protocol=trace` is clamped too).
//! - **Secrets the process knows.** The bot token is given to [`init`]; any line holding it
//!   is written with `[redacted]` in its place.
//! - **Secrets the process learns.** An interaction's token arrives with it: [`redact`] also
//!   blanks `token` fields (`"token":"…"`, `token: "…"`, `token=…`) and the token segment of
//!   `/webhooks/{id}/{token}` and `/interactions/{id}/{token}` paths in every line.
//!
//! The clamps are the guarantee for what the libraries log (hex or byte lists cannot be found
//! by pattern); the redaction is the net under everything else, the bot's own lines included.

use std::borrow::Cow;
use std::io::Write;
use std::sync::Arc;

use tracing::Level;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Targets held at most at a level, whatever `RUST_LOG` says: (target prefix, most verbose
/// level let through, why).
pub const CLAMPS: &[(&str, Level, &str)] = &[
    (
        "tungstenite",
        Level::DEBUG,
        "trace logs every gateway frame",
    ),
    ("tokio_tungstenite", Level::DEBUG, "trace logs frames"),
    (
        "serenity::gateway::ws",
        Level::INFO,
        "debug logs a frame it cannot parse",
    ),
    (
        "serenity::http",
        Level::WARN,
        "REST spans record routes with interaction tokens",
    ),
    ("reqwest", Level::INFO, "debug logs request URLs"),
    ("hyper", Level::INFO, "trace logs connection buffers"),
    ("h2", Level::INFO, "trace logs frames"),
    ("rustls", Level::INFO, "trace logs handshake secrets"),
];

/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

/// Whether an event or span of `target` at `level` may be logged at all.
pub fn allowed(target: &str, level: &Level) -> bool {
    CLAMPS.iter().all(|(prefix, most, _)| {
        let inside = target == *prefix
            || target
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with("::"));
        !inside || level <= most
    })
}

/// Logs to stderr, filtered by RUST_LOG (default: info for the bot, warnings from libraries),
/// with [`CLAMPS`] applied and every line passed through [`redact`] with `secrets` (the bot
/// token; values shorter than 8 characters are ignored, they would blank ordinary words).
pub fn init(secrets: Vec<String>) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,briefing_bot=info"));
    let clamp = tracing_subscriber::filter::filter_fn(|meta| allowed(meta.target(), meta.level()));
    let secrets: Arc<[String]> = secrets
        .into_iter()
        .filter(|secret| secret.len() >= 8)
        .collect();
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(clamp)
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(Redacting { secrets }),
        )
        .try_init();
}

/// Writes each log line to stderr through [`redact`].
#[derive(Clone)]
struct Redacting {
    secrets: Arc<[String]>,
}

impl<'a> MakeWriter<'a> for Redacting {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line {
            text: Vec::new(),
            secrets: Arc::clone(&self.secrets),
        }
    }
}

/// One event's text, written (redacted) when dropped: the formatter writes an event in one or
/// more pieces, and a secret may straddle two of them.
struct Line {
    text: Vec<u8>,
    secrets: Arc<[String]>,
}

impl Write for Line {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.text.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        if self.text.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(&self.text);
        let line = redact(&text, &self.secrets);
        // Nowhere to report a failed write to stderr.
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
}

/// `text` with every secret, `token` field value and webhook-route token replaced by
/// [`REDACTED`].
pub fn redact<'t>(text: &'t str, secrets: &[String]) -> Cow<'t, str> {
    let mut text = Cow::Borrowed(text);
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if text.contains(secret.as_str()) {
            text = Cow::Owned(text.replace(secret.as_str(), REDACTED));
        }
    }
    for (marker, skip) in [
        ("token", Value::AfterSeparator),
        ("/webhooks/", Value::AfterId),
    ] {
        text = blank_after(text, marker, skip);
    }
    blank_after(text, "/interactions/", Value::AfterId)
}

/// Where the secret value starts after a marker.
#[derive(Clone, Copy)]
enum Value {
    /// `token` then quotes, spaces, backslashes and a `:` or `=` (at least one of them).
    AfterSeparator,
    /// `/webhooks/` or `/interactions/`, then a numeric id and `/`.
    AfterId,
}

fn blank_after<'t>(text: Cow<'t, str>, marker: &str, value: Value) -> Cow<'t, str> {
    if !text.contains(marker) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(at) = rest.find(marker) {
        let (before, from) = rest.split_at(at + marker.len());
        out.push_str(before);
        rest = from;
        // `tokens`, `token_type`: not a token field.
        let word_goes_on = rest
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if matches!(value, Value::AfterSeparator) && word_goes_on {
            continue;
        }
        let lead = match value {
            Value::AfterSeparator => {
                let lead = rest
                    .find(|c: char| !matches!(c, '"' | '\'' | '\\' | ' ' | ':' | '='))
                    .unwrap_or(rest.len());
                if !rest[..lead].contains([':', '=']) {
                    continue;
                }
                lead
            }
            Value::AfterId => {
                let digits = rest
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(rest.len());
                if digits == 0 || !rest[digits..].starts_with('/') {
                    continue;
                }
                digits + 1
            }
        };
        let value_len = rest[lead..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '%')))
            .unwrap_or(rest.len() - lead);
        out.push_str(&rest[..lead]);
        if value_len > 0 {
            out.push_str(REDACTED);
        }
        rest = &rest[lead + value_len..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_fields_and_routes_are_blanked() {
        let none: &[String] = &[];
        for (line, expected) in [
            (
                r#"Received message {"t":"INTERACTION_CREATE","d":{"token":"aW50ZXJh.Y3Rpb24","id":"1"}}"#,
                r#"Received message {"t":"INTERACTION_CREATE","d":{"token":"[redacted]","id":"1"}}"#,
            ),
            (
                r#"payload: {\"token\": \"abc-DEF_123\"}"#,
                r#"payload: {\"token\": \"[redacted]\"}"#,
            ),
            (
                "Interaction { token: \"abc\", id: 1 }",
                "Interaction { token: \"[redacted]\", id: 1 }",
            ),
            ("token=abc.def next", "token=[redacted] next"),
            (
                "response '200 OK' for http://127.0.0.1:9/api/v10/webhooks/200/aW50.ZXJh/messages/@original",
                "response '200 OK' for http://127.0.0.1:9/api/v10/webhooks/200/[redacted]/messages/@original",
            ),
            (
                "POST /api/v10/interactions/1300/aW50ZXJh/callback",
                "POST /api/v10/interactions/1300/[redacted]/callback",
            ),
        ] {
            assert_eq!(redact(line, none), expected, "{line}");
        }
    }

    #[test]
    fn ordinary_lines_are_left_alone() {
        let none: &[String] = &[];
        for line in [
            "token accepted",
            "tokens: 3",
            "token_type=Bot",
            "POST /interactions 200",
            "/webhooks/abc/def",
            "connected as bot",
        ] {
            assert_eq!(redact(line, none), line);
        }
    }

    #[test]
    fn known_secrets_are_blanked_wherever_they_are() {
        let secrets = vec!["MTAw.GabCdE.secret-part".to_string()];
        assert_eq!(
            redact("Authorization: Bot MTAw.GabCdE.secret-part;", &secrets),
            "Authorization: Bot [redacted];"
        );
    }

    #[test]
    fn clamped_targets_stop_at_their_level_even_for_submodules() {
        assert!(!allowed("tungstenite::protocol", &Level::TRACE));
        assert!(allowed("tungstenite::protocol", &Level::DEBUG));
        assert!(!allowed("tokio_tungstenite", &Level::TRACE));
        assert!(!allowed("serenity::http::client", &Level::INFO));
        assert!(allowed("serenity::http::client", &Level::WARN));
        assert!(!allowed("reqwest::async_impl::client", &Level::DEBUG));
        assert!(allowed("serenity::gateway::shard", &Level::TRACE));
        assert!(allowed("briefing_bot::http::endpoint", &Level::TRACE));
        assert!(
            allowed("hyper_util::client", &Level::TRACE),
            "a prefix, not a word"
        );
    }
}
