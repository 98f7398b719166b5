//! The `briefing-bot` command line: parses arguments and hands off to a front end.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};

use briefing_bot::app::App;
use briefing_bot::config::{
    self, Config, ConfigError, DataConfig, DigestConfig, EndpointConfig, Shards,
};
use briefing_bot::digest::poster::SerenityPoster;
use briefing_bot::digest::scheduler::{Scheduler, SystemClock};
use briefing_bot::discord::gateway::{self, RunError, Timing};
use briefing_bot::discord::rest::{self, RegisterError, Registered};
use briefing_bot::http::endpoint::{self, Endpoint};
use briefing_bot::live::{self, Live};
use briefing_bot::load::LoadConfig;
use briefing_bot::store::{Store, StoreError};
use briefing_bot::watch::WatchHandle;
use briefing_bot::{check, console, gen_corpus};

#[derive(Parser)]
#[command(
    name = "briefing-bot",
    version,
    about = "Instant answers about a developing news story, in Discord or a console."
)]
struct Cli {
    /// The data directory (article files in DIR/articles/*.json) [default: DATA_DIR, else ./data]
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    /// A data file larger than this many bytes is refused [default: MAX_FILE_BYTES, else 10 MiB]
    #[arg(long, global = true, value_name = "N")]
    max_file_bytes: Option<u64>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the data directory: a summary and warnings, or every problem (exit 1).
    Check {
        /// Keep watching: check again each time an article file changes.
        #[arg(long)]
        watch: bool,
    },
    /// Answer one slash line, e.g. ask '/who ryabkov', or a plain question (a line without '/').
    /// Exit 0 found, 1 nothing found, 2 usage.
    Ask {
        /// Print one JSON object (command, ok, text, results, suggestions).
        #[arg(long)]
        json: bool,
        /// The slash line, as typed in Discord: /statements speaker:"Mao Ning" topic:JCPOA
        line: Vec<String>,
    },
    /// Answer slash lines from stdin, one after another.
    Console {
        /// Print one JSON object per answer.
        #[arg(long)]
        json: bool,
        /// Add each answer's engine time in microseconds (`micros` in JSON; a last line
        /// "(N µs)" in text), not counting the printing.
        #[arg(long)]
        timings: bool,
    },
    /// Print the autocomplete choices Discord would get for COMMAND's OPTION with TEXT typed;
    /// without TEXT, answer one text per line from stdin (loading once).
    Complete {
        /// One JSON object per text: {"text", "choices": [{"name", "value"}], "micros"}.
        #[arg(long)]
        json: bool,
        /// Add each answer's engine time in microseconds (not the printing).
        #[arg(long)]
        timings: bool,
        /// The command, e.g. who, statements, ask ("digest subscribe" for a subcommand).
        command: String,
        /// The option being typed, e.g. name, speaker, question.
        option: String,
        /// What has been typed so far (read from stdin, one per line, when absent).
        text: Option<String>,
    },
    /// Print the JSON Schema of an article file (as committed in data/article.schema.json).
    Schema,
    /// Write a deterministic synthetic corpus (for benchmarks) that passes `check`.
    GenCorpus {
        /// How many articles to write (default with --people: just enough to hold them).
        #[arg(long, required_unless_present = "people")]
        articles: Option<usize>,
        /// How many distinct people to spread over the articles (default: about 1.6 an article).
        #[arg(long)]
        people: Option<usize>,
        /// The same seed writes the same corpus.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The data directory to write (articles go in OUT/articles/).
        #[arg(long)]
        out: PathBuf,
    },
    /// Scheduled digests: `digest --preview` prints the digest of the data in the console.
    Digest {
        /// Print the digest (every article, or those published on or after --since).
        #[arg(long)]
        preview: bool,
        /// Only articles published on or after this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        since: Option<chrono::NaiveDate>,
    },
    /// Draft an article from a news text (plain text or .html): JSON on stdout, review lines on
    /// stderr. Exit 0 drafted, 1 unreadable or no article, 2 usage.
    Draft {
        /// The publication date, when the text has none (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        published: Option<chrono::NaiveDate>,
        /// The article id (default: the date and the title's first words).
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        /// The source URL.
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// Write DIR/articles/<id>.json instead of printing; never over an existing file or id.
        #[arg(long)]
        write: bool,
        /// The article files.
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Connect to Discord and answer slash commands (configured from the environment and .env).
    /// Every instance also posts digests (claims in the shared database keep each post single).
    Run {
        /// Run only gateway shards A to B (both included), e.g. 0-3, of --shard-total; other
        /// processes run the other ranges.
        #[arg(long, value_name = "A-B", requires = "shard_total")]
        shards: Option<String>,
        /// How many shards the bot has in all (with --shards).
        #[arg(long, value_name = "N", requires = "shards")]
        shard_total: Option<u32>,
    },
    /// Answer Discord's signed interaction requests over HTTP (POST /interactions); needs
    /// DISCORD_PUBLIC_KEY besides the bot's variables. Any number of instances can run.
    ServeHttp {
        /// The address to listen on; Discord reaches it through your HTTPS proxy.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
    },
    /// Push the command table to Discord (bulk overwrite), for either mode.
    Register {
        /// Register on this server only (instant); default DISCORD_GUILD_ID, else globally.
        #[arg(long, value_name = "ID", value_parser = clap::value_parser!(u64).range(1..))]
        guild: Option<u64>,
    },
}

/// A `--since` value that is not a date.
#[derive(Debug, thiserror::Error)]
#[error("\"{0}\" is not a date; write YYYY-MM-DD, e.g. 2025-03-13")]
struct BadDate(String);

fn parse_date(text: &str) -> Result<chrono::NaiveDate, BadDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| BadDate(text.into()))
}

/// Why the command line stopped short: printed once, by `main`, with its exit status.
#[derive(Debug, thiserror::Error)]
enum Failure {
    /// A variable or flag that is missing or wrong: exit 2.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A command used wrongly: exit 2.
    #[error("{0}")]
    Usage(String),
    /// Discord refused the token: exit 2 (it is configuration the user must fix).
    #[error("{0}")]
    TokenRejected(String),
    /// The data directory did not load; its problems are already printed: exit 1.
    #[error("{} did not load; run `briefing-bot check` for details", .0.display())]
    NotLoaded(PathBuf),
    /// Anything else that went wrong at run time: exit 1.
    #[error("{0}")]
    Failed(String),
}

impl Failure {
    fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Config(_) | Failure::Usage(_) | Failure::TokenRejected(_) => ExitCode::from(2),
            Failure::NotLoaded(_) | Failure::Failed(_) => ExitCode::from(1),
        }
    }
}

impl From<RunError> for Failure {
    fn from(err: RunError) -> Failure {
        match err {
            RunError::TokenRejected(_) => Failure::TokenRejected(err.to_string()),
            RunError::Failed(_) => Failure::Failed(err.to_string()),
        }
    }
}

impl From<RegisterError> for Failure {
    fn from(err: RegisterError) -> Failure {
        match err {
            RegisterError::TokenRejected => Failure::TokenRejected(err.to_string()),
            _ => Failure::Failed(err.to_string()),
        }
    }
}

fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("briefing-bot: {failure}");
            failure.exit_code()
        }
    }
}

/// Runs one subcommand: `Ok` with the exit status of a command that ran (`ask` exits 1 for
/// "nothing found"), `Err` for everything that stopped it.
fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let data = DataConfig::from_env(cli.data, cli.max_file_bytes)?;
    let (dir, limits) = (data.data_dir.as_path(), &data.load);
    match cli.command {
        Some(Command::Check { watch: false }) => Ok(check::once(dir, limits)),
        Some(Command::Check { watch: true }) => Ok(check::watch(dir, limits)),
        Some(Command::Schema) => {
            print!("{}", briefing_bot::article::schema_json());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Ask { json, line }) => {
            let live = load(dir, limits, Warnings::Quiet)?;
            let line = line.join(" ");
            let (reply, command, outcome) = console::answer_line(&live, &line);
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = writeln!(
                std::io::stdout(),
                "{}",
                console::render(&reply, &command, json)
            );
            Ok(ExitCode::from(outcome.exit_code()))
        }
        Some(Command::Console { json, timings }) => {
            console_mode(dir, limits, console::CompleteOutput { json, timings })
        }
        Some(Command::Digest { preview, since }) => {
            if !preview {
                return Err(Failure::Usage(
                    "digest: nothing to do; `briefing-bot digest --preview [--since DATE]` prints the digest (the bot posts scheduled digests itself)".to_string(),
                ));
            }
            let live = load(dir, limits, Warnings::Quiet)?;
            let text = briefing_bot::digest::preview_text(
                &live.snapshot().corpus,
                since,
                chrono::Utc::now(),
            );
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout(), "{text}");
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::GenCorpus {
            articles,
            people,
            seed,
            out,
        }) => {
            let shape = gen_corpus::Shape::spread(articles, people)
                .ok_or_else(|| Failure::Usage("gen-corpus: give --articles or --people".into()))?;
            gen_corpus::write(&out, &gen_corpus::generate(&shape, seed))
                .map_err(|err| Failure::Failed(format!("gen-corpus: {err}")))?;
            println!(
                "wrote {} articles ({} people) to {}",
                shape.articles,
                shape.people,
                out.join("articles").display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Complete {
            json,
            timings,
            command,
            option,
            text,
        }) => {
            // Check the command and option before loading the corpus.
            briefing_bot::cmd::complete::completes(&command, &option).map_err(Failure::Usage)?;
            let live = load(dir, limits, Warnings::Quiet)?;
            let output = console::CompleteOutput { json, timings };
            let stdin = std::io::stdin();
            let mut texts: Box<dyn Iterator<Item = std::io::Result<String>>> = match text {
                Some(text) => Box::new(std::iter::once(Ok(text))),
                None => Box::new(stdin.lock().lines().map(|line| {
                    line.map(|l| l.strip_suffix('\r').map(str::to_string).unwrap_or(l))
                })),
            };
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            match console::complete(&live, &command, &option, &mut texts, output, &mut out) {
                Ok(()) => Ok(ExitCode::SUCCESS),
                Err(console::CompleteError::Usage(message)) => Err(Failure::Usage(message)),
                // A closed pipe (`| head`) is not a failure.
                Err(console::CompleteError::Io(err))
                    if err.kind() == std::io::ErrorKind::BrokenPipe =>
                {
                    Ok(ExitCode::SUCCESS)
                }
                Err(console::CompleteError::Io(err)) => {
                    Err(Failure::Failed(format!("complete: {err}")))
                }
            }
        }
        Some(Command::Draft {
            published,
            id,
            url,
            write,
            files,
        }) => Ok(briefing_bot::draft::cli::run(
            dir,
            limits,
            &briefing_bot::draft::cli::DraftArgs {
                files,
                published,
                id,
                url,
                write,
            },
        )),
        Some(Command::Run {
            shards,
            shard_total,
        }) => {
            let shards = match (shards, shard_total) {
                (Some(range), Some(total)) => {
                    Some(Shards::parse(&range, total).map_err(Failure::Usage)?)
                }
                // clap requires the two together.
                _ => None,
            };
            run_bot(dir, limits, shards)
        }
        Some(Command::ServeHttp { listen }) => serve_http(dir, limits, listen),
        Some(Command::Register { guild }) => register(guild),
        None if config::bot_token_set() => run_bot(dir, limits, None),
        None => {
            eprintln!(
                "DISCORD_TOKEN is not set: answering in the console. Set it in .env and run `briefing-bot run` to connect to Discord."
            );
            console_mode(dir, limits, console::CompleteOutput::default())
        }
    }
}

fn console_mode(
    data: &Path,
    limits: &LoadConfig,
    output: console::CompleteOutput,
) -> Result<ExitCode, Failure> {
    let live = load(data, limits, Warnings::Quiet)?;
    console::run(&live, output).map_err(|err| Failure::Failed(format!("console: {err}")))?;
    Ok(ExitCode::SUCCESS)
}

/// Loads the corpus to serve and watches its directory. Keep the handle for as long as the
/// corpus is served: the watcher stops when it is dropped.
fn serve(data: &Path, limits: &LoadConfig) -> Result<(Arc<Live>, Option<WatchHandle>), Failure> {
    let live = Arc::new(std::mem::ManuallyDrop::into_inner(load(
        data,
        limits,
        Warnings::Print,
    )?));
    let watcher = match live::watch(&live, briefing_bot::watch::DEBOUNCE) {
        Ok(handle) => Some(handle),
        Err(err) => {
            tracing::warn!(%err, "not watching the data directory; use /reload after changes");
            None
        }
    };
    Ok((live, watcher))
}

/// `briefing-bot run`: checks the configuration (exit 2 naming the variable), loads the corpus
/// (exit 1), then answers on Discord until SIGINT or SIGTERM.
fn run_bot(data: &Path, limits: &LoadConfig, shards: Option<Shards>) -> Result<ExitCode, Failure> {
    let mut config = Config::from_env()?;
    config.shards = shards;
    let digest_config = DigestConfig::from_env()?;
    init_logging(&config);
    let (live, _watcher) = serve(data, limits)?;
    let mut app = App::new(Arc::clone(&live));
    app.ephemeral_default = config.ephemeral_default;
    let (store, scheduler_store) = open_digests(&digest_config)?;
    let (app, wake) = app.with_digests(store);
    // The digest scheduler runs beside the gateway, posting through the bot's REST client.
    let background: gateway::Background = Box::new(move |http, commands| {
        let scheduler = Scheduler::new(scheduler_store, SerenityPoster::new(http), SystemClock)
            .with_commands(commands);
        tokio::spawn(scheduler.run(move || Arc::clone(&live.snapshot().corpus), wake))
    });
    let runtime = runtime()?;
    runtime.block_on(gateway::run(
        Arc::new(app),
        &config,
        Timing::default(),
        Some(background),
        gateway::shutdown_signal(),
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Opens the state store twice (one connection answers `/digest`, one runs the scheduler) and
/// applies the `.env` default subscription. An error names the variable and the database (never
/// a password).
fn open_digests(config: &DigestConfig) -> Result<(Store, Store), Failure> {
    let failed = |err: StoreError| {
        Failure::Config(ConfigError {
            variable: config.location_variable(),
            problem: err.to_string(),
        })
    };
    let location = config.location();
    let open = || Store::open_at(&location).map(|store| store.with_lease(config.lease));
    let store = open().map_err(failed)?;
    store
        .sync_env_default(config.default_subscription.as_ref(), chrono::Utc::now())
        .map_err(failed)?;
    tracing::info!(
        "state: {}; claims leased for {} s",
        store.describe(),
        config.lease.num_seconds()
    );
    Ok((store, open().map_err(failed)?))
}

/// `briefing-bot serve-http`: checks the configuration (exit 2 naming the variable), loads the
/// corpus (exit 1), then answers interactions over HTTP until SIGINT or SIGTERM.
fn serve_http(
    data: &Path,
    limits: &LoadConfig,
    listen: std::net::SocketAddr,
) -> Result<ExitCode, Failure> {
    let config = EndpointConfig::from_env()?;
    let digest_config = DigestConfig::from_env()?;
    init_logging(&config.discord);
    let (live, _watcher) = serve(data, limits)?;
    let mut app = App::new(Arc::clone(&live));
    app.ephemeral_default = config.discord.ephemeral_default;
    let (store, scheduler_store) = open_digests(&digest_config)?;
    let (app, wake) = app.with_digests(store);
    let http = Arc::new(rest::client(&config.discord));
    let runtime = runtime()?;
    // Every instance runs the digest scheduler, posting over REST; claims with leases in the
    // shared database make each slot post once across instances.
    // Command names in digests become clickable mentions once the registered ids are read
    // (`register` put them there; this process does not register).
    let commands = briefing_bot::discord::register::SharedCommandIds::default();
    {
        let (http, commands, guild) = (
            Arc::clone(&http),
            Arc::clone(&commands),
            config.discord.guild_id,
        );
        runtime.spawn(async move {
            match rest::command_ids(&http, guild).await {
                Ok(ids) => briefing_bot::discord::register::CommandIds::store(&commands, ids),
                Err(err) => tracing::warn!(
                    "cannot read the registered commands ({err}); digests name commands as plain text"
                ),
            }
        });
    }
    let scheduler = Scheduler::new(
        scheduler_store,
        SerenityPoster::new(Arc::clone(&http)),
        SystemClock,
    )
    .with_commands(commands);
    let scheduler = runtime.spawn(scheduler.run(move || Arc::clone(&live.snapshot().corpus), wake));
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|err| Failure::Failed(format!("cannot listen on {listen}: {err}")))?;
        let address = listener
            .local_addr()
            .map_err(|err| Failure::Failed(format!("cannot listen on {listen}: {err}")))?;
        eprintln!("briefing-bot: answering interactions on http://{address}/interactions");
        let mut endpoint = Endpoint::new(
            Arc::new(app),
            config.public_key.verifier().clone(),
            Arc::clone(&http),
            Timing::default(),
        );
        endpoint.limits = config.limits;
        endpoint::serve(listener, Arc::new(endpoint), gateway::shutdown_signal())
            .await
            .map_err(|err| Failure::Failed(format!("serving {address}: {err}")))
    });
    // An interrupted post is finished, not repeated, by the next claim holder.
    scheduler.abort();
    // The connections and follow-ups are done or dropped by now (endpoint::serve's deadline);
    // an answer still computing on a blocking thread must not hold the exit.
    runtime.shutdown_timeout(Duration::from_millis(300));
    result?;
    Ok(ExitCode::SUCCESS)
}

/// `briefing-bot register`: replaces the application's commands with the command table.
fn register(guild: Option<u64>) -> Result<ExitCode, Failure> {
    let config = Config::from_env()?;
    init_logging(&config);
    let runtime = runtime()?;
    let http = rest::client(&config);
    let guild = guild.or(config.guild_id);
    match runtime.block_on(rest::register(&http, guild))? {
        Registered {
            count,
            guild: Some(guild),
            ..
        } => println!("registered {count} commands on server {guild}"),
        Registered {
            count, guild: None, ..
        } => {
            println!("registered {count} commands globally (they may take a while to show)")
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The multi-threaded runtime of `run`, `serve-http` and `register`.
fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| Failure::Failed(format!("cannot start the async runtime: {err}")))
}

/// Logs to stderr, filtered by RUST_LOG, never showing a secret at any level
/// ([`briefing_bot::logging`]): the bot token is blanked wherever it would appear.
fn init_logging(config: &Config) {
    briefing_bot::logging::init(vec![config.token.expose().to_string()]);
}

/// Whether loading prints the data's warnings: the bot does, once at start; a one-off answer
/// (`ask`, `console`, `digest --preview`) does not repeat them at every call (`check` lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Warnings {
    Print,
    Quiet,
}

/// Loads the corpus; when it does not load, prints every problem to stderr. The corpus serves
/// until the process ends, and is then left to the operating system (`ManuallyDrop`) rather
/// than freed string by string, which would cost a tenth of a one-off answer's time.
fn load(
    data: &Path,
    limits: &LoadConfig,
    warnings: Warnings,
) -> Result<std::mem::ManuallyDrop<Live>, Failure> {
    match Live::load(data, limits.clone()) {
        Ok(live) => {
            if warnings == Warnings::Print {
                for warning in &live.snapshot().warnings {
                    eprintln!("warning: {warning}");
                }
            }
            Ok(std::mem::ManuallyDrop::new(live))
        }
        Err(failure) => {
            for problem in &failure.problems {
                eprintln!("error: {problem}");
            }
            Err(Failure::NotLoaded(data.to_path_buf()))
        }
    }
}
