//! The bot's configuration, read from the environment (and `.env`, which `main` loads first).
//!
//! Every variable is checked here, once, so a mistake is reported before anything connects: one
//! line naming the variable, exit status 2. The token is kept in [`Token`], whose `Debug` prints
//! `[redacted]`, so logging a `Config` can never leak it.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serenity::interactions_endpoint::Verifier;

use crate::load::LoadConfig;
use crate::schedule::{Schedule, parse_zone};
use crate::store::{DEFAULT_LEASE, Location, NewSubscription, PostgresUrl};

/// The data directory when neither `--data` nor DATA_DIR says otherwise.
pub const DEFAULT_DATA_DIR: &str = "data";

/// Where the articles are and how they are read: `--data`/DATA_DIR and
/// `--max-file-bytes`/MAX_FILE_BYTES. A flag given on the command line wins over the variable.
#[derive(Debug, Clone)]
pub struct DataConfig {
    pub data_dir: PathBuf,
    pub load: LoadConfig,
}

impl DataConfig {
    /// [`DataConfig::resolve`] against the process environment.
    pub fn from_env(
        data_dir: Option<PathBuf>,
        max_file_bytes: Option<u64>,
    ) -> Result<DataConfig, ConfigError> {
        DataConfig::resolve(data_dir, max_file_bytes, |name| std::env::var(name).ok())
    }

    /// Resolves the flags (`None` when not given) against the environment through `lookup`.
    pub fn resolve(
        data_dir: Option<PathBuf>,
        max_file_bytes: Option<u64>,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<DataConfig, ConfigError> {
        let set = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let data_dir = data_dir
            .or_else(|| set("DATA_DIR").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let max_file_bytes = match max_file_bytes {
            Some(bytes) => bytes,
            None => match set("MAX_FILE_BYTES") {
                None => LoadConfig::default().max_file_bytes,
                Some(value) => value.parse::<u64>().map_err(|_| {
                    ConfigError::new(
                        "MAX_FILE_BYTES",
                        format!("must be a number of bytes, not \"{value}\""),
                    )
                })?,
            },
        };
        Ok(DataConfig {
            data_dir,
            load: LoadConfig { max_file_bytes },
        })
    }
}

/// The digest database file when DATABASE_PATH is not set.
pub const DEFAULT_DATABASE_PATH: &str = "briefing.db";

/// The schedule of the `.env` default subscription when DIGEST_SCHEDULE is not set.
pub const DEFAULT_SCHEDULE: &str = "daily 08:00";

/// The shortest and longest lease DIGEST_LEASE_SECONDS accepts.
pub const LEASE_SECONDS: std::ops::RangeInclusive<i64> = 5..=3600;

/// The digests' settings: the database and the `.env` default subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestConfig {
    /// DATABASE_PATH, default `./briefing.db` (SQLite, used when DATABASE_URL is not set).
    pub database_path: PathBuf,
    /// DATABASE_URL (`postgres://…`): PostgreSQL for all state, shared by several instances.
    pub database_url: Option<PostgresUrl>,
    /// DIGEST_LEASE_SECONDS: how long a claim of a digest slot or alert stays its process's
    /// without a renewal (default 300).
    pub lease: chrono::TimeDelta,
    /// From DIGEST_CHANNEL_ID (+ DIGEST_SCHEDULE, DIGEST_TZ), when the channel is set.
    pub default_subscription: Option<NewSubscription>,
}

impl DigestConfig {
    pub fn from_env() -> Result<DigestConfig, ConfigError> {
        DigestConfig::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads DATABASE_PATH, DATABASE_URL, DIGEST_LEASE_SECONDS, DIGEST_CHANNEL_ID, DIGEST_SCHEDULE
    /// and DIGEST_TZ through `lookup`.
    /// A value that does not parse is an error naming the variable.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<DigestConfig, ConfigError> {
        let set = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let database_path = set("DATABASE_PATH")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATABASE_PATH));
        let database_url = match set("DATABASE_URL") {
            None => None,
            // The value is never quoted back: it may hold a password.
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Some(PostgresUrl::new(url))
            }
            Some(_) => {
                return Err(ConfigError::new(
                    "DATABASE_URL",
                    "is not a PostgreSQL URL (postgres://user:password@host:5432/database); \
                     unset it to use SQLite at DATABASE_PATH"
                        .to_string(),
                ));
            }
        };
        let lease = match set("DIGEST_LEASE_SECONDS") {
            None => DEFAULT_LEASE,
            Some(text) => match text.parse::<i64>() {
                Ok(seconds) if LEASE_SECONDS.contains(&seconds) => {
                    chrono::TimeDelta::seconds(seconds)
                }
                _ => {
                    return Err(ConfigError::new(
                        "DIGEST_LEASE_SECONDS",
                        format!(
                            "is not a number of seconds from {} to {}: \"{text}\"",
                            LEASE_SECONDS.start(),
                            LEASE_SECONDS.end()
                        ),
                    ));
                }
            },
        };
        let default_subscription = match set("DIGEST_CHANNEL_ID") {
            None => {
                for name in ["DIGEST_SCHEDULE", "DIGEST_TZ"] {
                    if set(name).is_some() {
                        tracing::warn!(
                            "{name} is set but DIGEST_CHANNEL_ID is not: no default digest"
                        );
                    }
                }
                None
            }
            Some(channel) => {
                let channel_id = crate::parse::channel_id(&channel).ok_or_else(|| {
                    ConfigError::new(
                        "DIGEST_CHANNEL_ID",
                        format!("is not a channel id (a number such as 123456789012345678): \"{channel}\""),
                    )
                })?;
                let schedule_text =
                    set("DIGEST_SCHEDULE").unwrap_or_else(|| DEFAULT_SCHEDULE.to_string());
                let schedule = Schedule::parse(&schedule_text).map_err(|err| {
                    ConfigError::new("DIGEST_SCHEDULE", format!("does not parse: {err}"))
                })?;
                let zone = parse_zone(&set("DIGEST_TZ").unwrap_or_default()).map_err(|err| {
                    ConfigError::new("DIGEST_TZ", format!("does not parse: {err}"))
                })?;
                Some(NewSubscription {
                    guild_id: None,
                    channel_id,
                    schedule: schedule.text().to_string(),
                    timezone: zone.name().to_string(),
                    tags: Vec::new(),
                    people: Vec::new(),
                    skip_empty: false,
                })
            }
        };
        Ok(DigestConfig {
            database_path,
            database_url,
            lease,
            default_subscription,
        })
    }

    /// Where the state lives: PostgreSQL when DATABASE_URL is set, else the SQLite file.
    pub fn location(&self) -> Location {
        match &self.database_url {
            Some(url) => Location::Postgres(url.clone()),
            None => Location::Sqlite(self.database_path.clone()),
        }
    }

    /// The variable that chose the database, for error messages.
    pub fn location_variable(&self) -> &'static str {
        match self.database_url {
            Some(_) => "DATABASE_URL",
            None => "DATABASE_PATH",
        }
    }
}

/// The gateway shards one `run` process connects: `--shards A-B --shard-total N`, shards A to B
/// (both included) of N. Other processes run the other ranges; every process schedules digests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shards {
    pub first: u32,
    pub last: u32,
    pub total: u32,
}

impl Shards {
    /// Reads `--shards` ("A-B", or "A" for one shard) and `--shard-total`; the error is one
    /// line saying what is wrong.
    pub fn parse(range: &str, total: u32) -> Result<Shards, String> {
        let bad = || {
            format!(
                "--shards must be a range of shard numbers such as 0-3 (or one number), not \"{range}\""
            )
        };
        let number = |text: &str| text.trim().parse::<u32>().map_err(|_| bad());
        let (first, last) = match range.split_once('-') {
            Some((first, last)) => (number(first)?, number(last)?),
            None => {
                let one = number(range)?;
                (one, one)
            }
        };
        if total == 0 {
            return Err("--shard-total must be at least 1".to_string());
        }
        if first > last {
            return Err(format!(
                "--shards {range}: the first shard comes after the last"
            ));
        }
        if last >= total {
            return Err(format!(
                "--shards {range}: shards are numbered 0 to {} when --shard-total is {total}",
                total - 1
            ));
        }
        Ok(Shards { first, last, total })
    }
}

/// Everything `briefing-bot run` needs besides the data directory (which the command line owns).
#[derive(Debug, Clone)]
pub struct Config {
    pub token: Token,
    /// Register commands on this server only (instant); globally when unset.
    pub guild_id: Option<u64>,
    /// Send every REST call through this HTTP proxy (a shared rate-limit proxy, or a test fake).
    pub http_proxy: Option<String>,
    /// The shards this process runs (`run --shards`); all of them (Discord's recommended count)
    /// when `None`.
    pub shards: Option<Shards>,
    /// Whether answers are visible only to the asker when the `ephemeral` option is not given.
    pub ephemeral_default: bool,
    /// The application's id (`DISCORD_APPLICATION_ID`): REST calls about the application need
    /// it. When unset, `register` asks Discord and the HTTP endpoint reads it from each
    /// interaction.
    pub application_id: Option<u64>,
}

/// What `briefing-bot serve-http` needs: the bot's configuration and the key Discord signs
/// each request with.
#[derive(Debug, Clone)]
pub struct EndpointConfig {
    pub discord: Config,
    pub public_key: PublicKey,
    pub limits: ServerLimits,
}

/// How long the webhook server waits for each part of a request, and how many connections it
/// holds at once (`HTTP_*` in `.env`). Discord's requests are small and come through a reverse
/// proxy that sends each one whole, so a client slower than these is broken or hostile; the
/// limits are what keeps a few hundred such clients from holding the server's connections,
/// file descriptors and memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// From a connection's first byte (or its opening, for the first request) to the end of the
    /// request head (`HTTP_HEADER_TIMEOUT_SECS`, default 5 s: Discord's whole answer window is
    /// 3 s). A slower head closes the connection.
    pub header_timeout: Duration,
    /// From the end of the head to the end of the body (`HTTP_BODY_TIMEOUT_SECS`, default 5 s);
    /// a slower body is answered 408 and the connection closed.
    pub body_timeout: Duration,
    /// How long a keep-alive connection may wait for its next request
    /// (`HTTP_IDLE_TIMEOUT_SECS`, default 75 s: longer than the 60 s after which nginx and AWS
    /// load balancers drop an idle upstream connection, so the proxy always closes first and
    /// never sends a request on a connection the server is closing).
    pub idle_timeout: Duration,
    /// Open connections at most (`HTTP_MAX_CONNECTIONS`, default 256, well under the usual
    /// 1,024 file descriptors). At the cap, idle connections are closed to make room; a new
    /// connection that still finds no room is closed at once.
    pub max_connections: usize,
}

impl Default for ServerLimits {
    fn default() -> ServerLimits {
        ServerLimits {
            header_timeout: Duration::from_secs(5),
            body_timeout: Duration::from_secs(5),
            idle_timeout: Duration::from_secs(75),
            max_connections: 256,
        }
    }
}

impl ServerLimits {
    /// Reads the `HTTP_*` variables through `lookup`; unset or blank keeps the default.
    pub fn from_lookup(
        lookup: &impl Fn(&str) -> Option<String>,
    ) -> Result<ServerLimits, ConfigError> {
        let defaults = ServerLimits::default();
        let seconds = |variable: &'static str, default: Duration| {
            positive(lookup, variable, "a number of seconds")
                .map(|value| value.map_or(default, Duration::from_secs))
        };
        Ok(ServerLimits {
            header_timeout: seconds("HTTP_HEADER_TIMEOUT_SECS", defaults.header_timeout)?,
            body_timeout: seconds("HTTP_BODY_TIMEOUT_SECS", defaults.body_timeout)?,
            idle_timeout: seconds("HTTP_IDLE_TIMEOUT_SECS", defaults.idle_timeout)?,
            max_connections: positive(lookup, "HTTP_MAX_CONNECTIONS", "a number of connections")?
                .map_or(Ok(defaults.max_connections), usize::try_from)
                .map_err(|_| {
                    ConfigError::new(
                        "HTTP_MAX_CONNECTIONS",
                        "is larger than this machine can count",
                    )
                })?,
        })
    }
}

/// An optional positive whole number: unset or blank is `None`.
fn positive(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    what: &str,
) -> Result<Option<u64>, ConfigError> {
    match lookup(variable).as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => value
            .parse::<u64>()
            .ok()
            .filter(|&n| n > 0)
            .map(Some)
            .ok_or_else(|| {
                ConfigError::new(
                    variable,
                    format!("must be {what} (a whole number above 0), not \"{value}\""),
                )
            }),
    }
}

impl EndpointConfig {
    pub fn from_env() -> Result<EndpointConfig, ConfigError> {
        EndpointConfig::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<EndpointConfig, ConfigError> {
        let public_key = PublicKey::parse(lookup("DISCORD_PUBLIC_KEY").as_deref())?;
        let limits = ServerLimits::from_lookup(&lookup)?;
        Ok(EndpointConfig {
            discord: Config::from_lookup(lookup)?,
            public_key,
            limits,
        })
    }
}

/// The application's Ed25519 public key (`DISCORD_PUBLIC_KEY`, 64 hex digits), checked to be a
/// valid key. It is public: `Debug` shows it.
#[derive(Clone)]
pub struct PublicKey {
    hex: String,
    verifier: Verifier,
}

impl PublicKey {
    const VAR: &str = "DISCORD_PUBLIC_KEY";

    pub fn parse(value: Option<&str>) -> Result<PublicKey, ConfigError> {
        let hint = "copy the Public Key from General Information in the developer portal";
        let value = value.map(str::trim).unwrap_or_default();
        if value.is_empty() {
            return Err(ConfigError::new(Self::VAR, format!("is not set; {hint}")));
        }
        let bytes = decode_hex32(value).ok_or_else(|| {
            ConfigError::new(
                Self::VAR,
                format!(
                    "is malformed ({} characters, expected 64 hex digits); {hint}",
                    value.chars().count()
                ),
            )
        })?;
        let verifier = Verifier::try_new(bytes).map_err(|_| {
            ConfigError::new(
                Self::VAR,
                format!("is not a valid Ed25519 public key; {hint}"),
            )
        })?;
        Ok(PublicKey {
            hex: value.to_ascii_lowercase(),
            verifier,
        })
    }

    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.hex)
    }
}

fn decode_hex32(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut bytes = [0u8; 32];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(bytes)
}

/// A Discord bot token. Never printed: `Debug` and `Display` show `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// The token itself, for the one place that hands it to serenity.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A variable that is missing or wrong. Its `Display` is the one line the user sees; it names
/// the variable and never repeats a token's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable} {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

impl ConfigError {
    fn new(variable: &'static str, problem: impl Into<String>) -> ConfigError {
        ConfigError {
            variable,
            problem: problem.into(),
        }
    }
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let token = parse_token(lookup("DISCORD_TOKEN").as_deref())?;
        let guild_id = snowflake(&lookup, "DISCORD_GUILD_ID", "a server id")?;
        let http_proxy = match lookup("DISCORD_HTTP_PROXY").as_deref().map(str::trim) {
            None | Some("") => None,
            Some(value) if value.starts_with("http://") || value.starts_with("https://") => {
                Some(value.trim_end_matches('/').to_string())
            }
            Some(value) => {
                return Err(ConfigError::new(
                    "DISCORD_HTTP_PROXY",
                    format!("must be an http:// or https:// URL, not \"{value}\""),
                ));
            }
        };
        let application_id = snowflake(&lookup, "DISCORD_APPLICATION_ID", "an application id")?;
        let ephemeral_default = match lookup("DISCORD_EPHEMERAL").as_deref().map(str::trim) {
            None | Some("") => false,
            Some(value) => crate::parse::boolean(value).ok_or_else(|| {
                ConfigError::new(
                    "DISCORD_EPHEMERAL",
                    format!("must be true or false, not \"{value}\""),
                )
            })?,
        };
        Ok(Config {
            token,
            guild_id,
            http_proxy,
            ephemeral_default,
            application_id,
            shards: None,
        })
    }
}

/// An optional Discord id: unset or blank is `None`; anything else must be a positive number.
fn snowflake(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    what: &str,
) -> Result<Option<u64>, ConfigError> {
    positive(lookup, variable, what)
}

/// Whether `DISCORD_TOKEN` holds something non-blank: plain `briefing-bot` then runs the bot.
pub fn token_is_set(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.trim().is_empty())
}

/// [`token_is_set`] on the process environment.
pub fn bot_token_set() -> bool {
    token_is_set(std::env::var("DISCORD_TOKEN").ok().as_deref())
}

/// A bot token is three dot-separated base64url parts (user id, timestamp, signature). A
/// leading `Bot ` is accepted, as the developer portal's examples show it.
fn parse_token(value: Option<&str>) -> Result<Token, ConfigError> {
    const VAR: &str = "DISCORD_TOKEN";
    let Some(value) = value else {
        return Err(ConfigError::new(
            VAR,
            "is not set; put the bot token from the Discord developer portal in .env",
        ));
    };
    let value = value.trim();
    let value = value.strip_prefix("Bot ").unwrap_or(value).trim();
    if value.is_empty() {
        return Err(ConfigError::new(
            VAR,
            "is empty; put the bot token from the Discord developer portal in .env",
        ));
    }
    let parts: Vec<&str> = value.split('.').collect();
    let well_formed = parts.len() == 3
        && parts.iter().all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        });
    if !well_formed {
        return Err(ConfigError::new(
            VAR,
            format!(
                "is malformed ({} characters, expected three dot-separated parts); copy the token again from the Bot page of the developer portal",
                value.chars().count()
            ),
        ));
    }
    Ok(Token(value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "MTAwMDAwMDAwMDAwMDAwMDAw.GabCdE.abcdefghijklmnopqrstuvwxyz0123456789-_";

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        })
    }

    #[test]
    fn a_missing_empty_or_malformed_token_names_the_variable() {
        for vars in [
            vec![],
            vec![("DISCORD_TOKEN", "")],
            vec![("DISCORD_TOKEN", "   ")],
            vec![("DISCORD_TOKEN", "not a token")],
            vec![("DISCORD_TOKEN", "a.b")],
            vec![("DISCORD_TOKEN", "a..c")],
        ] {
            let err = config(&vars).unwrap_err();
            assert_eq!(err.variable, "DISCORD_TOKEN", "{vars:?}");
            let line = err.to_string();
            assert!(line.starts_with("DISCORD_TOKEN "), "{line}");
            assert!(!line.contains('\n'), "{line}");
        }
    }

    #[test]
    fn a_malformed_token_is_not_repeated_in_the_error() {
        let secret = "secret-value-with spaces.x.y";
        let err = config(&[("DISCORD_TOKEN", secret)]).unwrap_err();
        assert!(!err.to_string().contains("secret-value"), "{err}");
    }

    #[test]
    fn the_token_never_appears_in_debug_output() {
        let config = config(&[("DISCORD_TOKEN", TOKEN)]).unwrap();
        assert_eq!(config.token.expose(), TOKEN);
        let debug = format!("{config:?}");
        assert!(!debug.contains("GabCdE"), "{debug}");
        assert!(debug.contains("[redacted]"), "{debug}");
        assert_eq!(config.token.to_string(), "[redacted]");
    }

    #[test]
    fn a_bot_prefix_is_accepted() {
        let config = config(&[("DISCORD_TOKEN", &format!("Bot {TOKEN}"))]).unwrap();
        assert_eq!(config.token.expose(), TOKEN);
    }

    #[test]
    fn optional_variables_are_read_and_checked() {
        let full = config(&[
            ("DISCORD_TOKEN", TOKEN),
            ("DISCORD_GUILD_ID", " 123 "),
            ("DISCORD_HTTP_PROXY", "http://127.0.0.1:9/"),
            ("DISCORD_EPHEMERAL", "yes"),
        ])
        .unwrap();
        assert_eq!(full.guild_id, Some(123));
        assert_eq!(full.http_proxy.as_deref(), Some("http://127.0.0.1:9"));
        assert!(full.ephemeral_default);

        let defaults =
            Config::from_lookup(|name| (name == "DISCORD_TOKEN").then(|| TOKEN.to_string()))
                .unwrap();
        assert_eq!(defaults.guild_id, None);
        assert_eq!(defaults.http_proxy, None);
        assert!(!defaults.ephemeral_default);

        for (variable, value) in [
            ("DISCORD_GUILD_ID", "abc"),
            ("DISCORD_GUILD_ID", "0"),
            ("DISCORD_HTTP_PROXY", "127.0.0.1:9"),
            ("DISCORD_EPHEMERAL", "maybe"),
        ] {
            let err = config(&[("DISCORD_TOKEN", TOKEN), (variable, value)]).unwrap_err();
            assert_eq!(err.variable, variable);
            assert!(err.to_string().contains(value), "{err}");
        }
    }

    #[test]
    fn the_application_id_is_optional_and_checked() {
        let config = config(&[("DISCORD_TOKEN", TOKEN), ("DISCORD_APPLICATION_ID", "200")]);
        assert_eq!(config.unwrap().application_id, Some(200));
        let err =
            self::config(&[("DISCORD_TOKEN", TOKEN), ("DISCORD_APPLICATION_ID", "x")]).unwrap_err();
        assert_eq!(err.variable, "DISCORD_APPLICATION_ID");
    }

    #[test]
    fn the_public_key_is_64_hex_digits_of_a_valid_key() {
        // The example key from serenity's documentation.
        const KEY: &str = "67c6bd767ca099e79efac9fcce4d2022a63bf7dea780e7f3d813f694c1597089";
        let endpoint = |key: Option<&str>| {
            EndpointConfig::from_lookup(|name| match name {
                "DISCORD_TOKEN" => Some(TOKEN.to_string()),
                "DISCORD_PUBLIC_KEY" => key.map(str::to_string),
                _ => None,
            })
        };
        let config = endpoint(Some(KEY)).unwrap();
        assert!(format!("{config:?}").contains(KEY));
        assert!(!format!("{config:?}").contains("GabCdE"));
        for key in [
            None,
            Some(""),
            Some("xyz"),
            Some(&KEY[1..]),
            Some(&"g".repeat(64)),
        ] {
            let err = endpoint(key).unwrap_err();
            assert_eq!(err.variable, "DISCORD_PUBLIC_KEY", "{key:?}");
            assert!(!err.to_string().contains('\n'));
        }
    }

    #[test]
    fn server_limits_default_and_read_each_variable() {
        let limits = |vars: &[(&str, &str)]| {
            ServerLimits::from_lookup(&|name: &str| {
                vars.iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| value.to_string())
            })
        };
        assert_eq!(limits(&[]), Ok(ServerLimits::default()));
        assert_eq!(
            limits(&[("HTTP_IDLE_TIMEOUT_SECS", " ")]),
            Ok(ServerLimits::default())
        );
        let set = limits(&[
            ("HTTP_HEADER_TIMEOUT_SECS", "2"),
            ("HTTP_BODY_TIMEOUT_SECS", "3"),
            ("HTTP_IDLE_TIMEOUT_SECS", "120"),
            ("HTTP_MAX_CONNECTIONS", "900"),
        ])
        .unwrap();
        assert_eq!(
            set,
            ServerLimits {
                header_timeout: Duration::from_secs(2),
                body_timeout: Duration::from_secs(3),
                idle_timeout: Duration::from_secs(120),
                max_connections: 900,
            }
        );
        for variable in [
            "HTTP_HEADER_TIMEOUT_SECS",
            "HTTP_BODY_TIMEOUT_SECS",
            "HTTP_IDLE_TIMEOUT_SECS",
            "HTTP_MAX_CONNECTIONS",
        ] {
            for value in ["0", "-1", "1.5", "soon"] {
                let err = limits(&[(variable, value)]).unwrap_err();
                assert_eq!(err.variable, variable);
                let line = err.to_string();
                assert!(line.contains(&format!("\"{value}\"")), "{line}");
                assert!(!line.contains('\n'), "{line}");
            }
        }
    }

    #[test]
    fn token_is_set_ignores_blank_values() {
        assert!(!token_is_set(None));
        assert!(!token_is_set(Some(" ")));
        assert!(token_is_set(Some("x")));
    }
}
