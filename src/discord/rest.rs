//! Discord's REST API as the HTTP mode uses it: the client (through `DISCORD_HTTP_PROXY` when
//! set, no mentions allowed by default), the application id it needs without a gateway READY,
//! and `briefing-bot register`, which pushes the command table by bulk overwrite for either
//! mode.
//!
//! Errors are described without request URLs: interaction URLs hold interaction tokens.

use serenity::all::{ApplicationId, Command, GuildId};
use serenity::builder::CreateAllowedMentions;
use serenity::http::{Http, HttpBuilder, HttpError};

use super::register;
use crate::cmd::COMMANDS;
use crate::config::Config;

/// The REST client. Through a proxy, serenity's own rate limiter is off (it would ignore the
/// proxy otherwise, and the proxy limits for every instance).
pub fn client(config: &Config) -> Http {
    let mut builder = HttpBuilder::new(config.token.expose())
        .default_allowed_mentions(CreateAllowedMentions::new());
    if let Some(proxy) = &config.http_proxy {
        builder = builder.proxy(proxy.as_str()).ratelimiter_disabled(true);
    }
    if let Some(id) = config.application_id {
        builder = builder.application_id(ApplicationId::new(id));
    }
    builder.build()
}

/// Why `register` failed.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// Discord refused the token: exit status 2, as for `run`.
    #[error(
        "DISCORD_TOKEN was rejected by Discord (HTTP 401); copy the token again from the Bot page of the developer portal"
    )]
    TokenRejected,
    #[error("could not read the application id from Discord ({0}); set DISCORD_APPLICATION_ID")]
    ApplicationId(String),
    #[error("the bulk overwrite failed: {0}")]
    Overwrite(String),
}

/// Where the commands went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub count: usize,
    pub guild: Option<u64>,
    /// The ids Discord gave them (for command mentions).
    pub ids: register::CommandIds,
}

/// Replaces the application's commands with the command table: on `guild` (instant) or
/// globally. Asks Discord for the application id when the client has none.
pub async fn register(http: &Http, guild: Option<u64>) -> Result<Registered, RegisterError> {
    if http.application_id().is_none() {
        let info = http.get_current_application_info().await.map_err(|err| {
            if status(&err) == Some(401) {
                RegisterError::TokenRejected
            } else {
                RegisterError::ApplicationId(describe(&err))
            }
        })?;
        http.set_application_id(info.id);
    }
    let commands = register::commands(COMMANDS);
    let count = commands.len();
    let result = match guild {
        Some(guild) => GuildId::new(guild).set_commands(http, commands).await,
        None => Command::set_global_commands(http, commands).await,
    };
    match result {
        Ok(registered) => Ok(Registered {
            count,
            guild,
            ids: register::CommandIds::of(&registered),
        }),
        Err(err) if status(&err) == Some(401) => Err(RegisterError::TokenRejected),
        Err(err) => Err(RegisterError::Overwrite(describe(&err))),
    }
}

/// The ids of the commands already registered (on `guild`, or globally), for a front end that
/// did not register them itself (`serve-http`, after `briefing-bot register`): one GET.
/// Needs the client's application id (`DISCORD_APPLICATION_ID`, or asked of Discord here).
pub async fn command_ids(http: &Http, guild: Option<u64>) -> Result<register::CommandIds, String> {
    use serenity::http::{LightMethod, Request, Route};

    #[derive(serde::Deserialize)]
    struct LiteCommand {
        id: serenity::all::CommandId,
        name: String,
    }

    let application_id = match http.application_id() {
        Some(id) => id,
        None => {
            let info = http
                .get_current_application_info()
                .await
                .map_err(|err| describe(&err))?;
            http.set_application_id(info.id);
            info.id
        }
    };
    let route = match guild {
        Some(guild) if guild != 0 => Route::GuildCommands {
            application_id,
            guild_id: GuildId::new(guild),
        },
        _ => Route::Commands { application_id },
    };
    let commands: Vec<LiteCommand> = http
        .fire(Request::new(route, LightMethod::Get))
        .await
        .map_err(|err| describe(&err))?;
    let mut ids = register::CommandIds::default();
    for command in commands {
        ids.insert(&command.name, command.id.get());
    }
    Ok(ids)
}

/// The HTTP status of a failed REST call, if it got that far.
pub fn status(err: &serenity::Error) -> Option<u16> {
    match err {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            Some(response.status_code.as_u16())
        }
        _ => None,
    }
}

/// An error for the log or the terminal, without request URLs (they hold interaction tokens).
pub fn describe(err: &serenity::Error) -> String {
    match err {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => format!(
            "HTTP {} {:?}: {} (code {})",
            response.status_code.as_u16(),
            response.method,
            response.error.message,
            response.error.code
        ),
        serenity::Error::Http(HttpError::Request(err)) => {
            let what = if err.is_timeout() {
                "timed out"
            } else if err.is_connect() {
                "could not connect"
            } else {
                "failed"
            };
            format!("request {what}")
        }
        other => other.to_string(),
    }
}
