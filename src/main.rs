//! The `briefing-bot` command line: parses arguments and hands off to a front end.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};

use briefing_bot::app::App;
use briefing_bot::config::{self, Config, EndpointConfig};
use briefing_bot::digest::{self, store::Store};
use briefing_bot::discord::gateway::{self, RunError, Timing};
use briefing_bot::http::endpoint::{self, Endpoint};
use briefing_bot::http::rest::{self, RegisterError, Registered};
use briefing_bot::live::{self, Live};
use briefing_bot::load::LoadConfig;
use briefing_bot::watch::WatchHandle;
use briefing_bot::{check, console, gen_corpus};

#[derive(Parser)]
#[command(
    name = "briefing-bot",
    version,
    about = "Instant answers about a developing news story, in Discord or a console."
)]
struct Cli {
    /// The data directory (article files in DIR/articles/*.json).
    #[arg(long, global = true, env = "DATA_DIR", default_value = "data")]
    data: PathBuf,
    /// A data file larger than this many bytes is refused.
    #[arg(long, global = true, env = "MAX_FILE_BYTES", default_value_t = LoadConfig::default().max_file_bytes)]
    max_file_bytes: u64,
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
    /// Answer one slash line, e.g. ask '/who ryabkov'. Exit 0 found, 1 nothing found, 2 usage.
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
    },
    /// Print the JSON Schema of an article file (as committed in data/article.schema.json).
    Schema,
    /// Write a deterministic synthetic corpus (for benchmarks) that passes `check`.
    GenCorpus {
        /// How many articles to write.
        #[arg(long)]
        articles: usize,
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
    Run,
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

fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("\"{text}\" is not a date; write YYYY-MM-DD, e.g. 2025-03-13"))
}

fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    let limits = LoadConfig {
        max_file_bytes: cli.max_file_bytes,
    };
    match cli.command {
        Some(Command::Check { watch: false }) => check::run(&cli.data, &limits),
        Some(Command::Check { watch: true }) => check::watch(&cli.data, &limits),
        Some(Command::Schema) => {
            print!("{}", briefing_bot::article::schema_json());
            ExitCode::SUCCESS
        }
        Some(Command::Ask { json, line }) => {
            let Some(live) = load(&cli.data, &limits) else {
                return ExitCode::from(1);
            };
            let line = line.join(" ");
            let (reply, command, outcome) = console::answer_line(&live, &line);
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = writeln!(
                std::io::stdout(),
                "{}",
                console::render(&reply, &command, json)
            );
            ExitCode::from(outcome.exit_code())
        }
        Some(Command::Console { json }) => console_mode(&cli.data, &limits, json),
        Some(Command::Digest { preview, since }) => {
            if !preview {
                eprintln!(
                    "briefing-bot digest: nothing to do; `briefing-bot digest --preview [--since DATE]` prints the digest (the bot posts scheduled digests itself)"
                );
                return ExitCode::from(2);
            }
            let Some(live) = load(&cli.data, &limits) else {
                return ExitCode::from(1);
            };
            let text = briefing_bot::digest::preview_text(
                &live.snapshot().corpus,
                since,
                chrono::Utc::now(),
            );
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout(), "{text}");
            ExitCode::SUCCESS
        }
        Some(Command::GenCorpus {
            articles,
            seed,
            out,
        }) => {
            let shape = gen_corpus::Shape::articles(articles);
            match gen_corpus::write(&out, &gen_corpus::generate(&shape, seed)) {
                Ok(()) => {
                    println!(
                        "wrote {articles} articles to {}",
                        out.join("articles").display()
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("briefing-bot: gen-corpus: {err}");
                    ExitCode::from(1)
                }
            }
        }
        Some(Command::Draft {
            published,
            id,
            url,
            write,
            files,
        }) => briefing_bot::draft::cli::run(
            &cli.data,
            &limits,
            &briefing_bot::draft::cli::DraftArgs {
                files,
                published,
                id,
                url,
                write,
            },
        ),
        Some(Command::Run) => run_bot(&cli.data, &limits),
        Some(Command::ServeHttp { listen }) => serve_http(&cli.data, &limits, listen),
        Some(Command::Register { guild }) => register(guild),
        None if config::token_is_set(std::env::var("DISCORD_TOKEN").ok().as_deref()) => {
            run_bot(&cli.data, &limits)
        }
        None => {
            eprintln!(
                "DISCORD_TOKEN is not set: answering in the console. Set it in .env and run `briefing-bot run` to connect to Discord."
            );
            console_mode(&cli.data, &limits, false)
        }
    }
}

fn console_mode(data: &Path, limits: &LoadConfig, json: bool) -> ExitCode {
    let Some(live) = load(data, limits) else {
        return ExitCode::from(1);
    };
    match console::run(&live, json) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("briefing-bot: console: {err}");
            ExitCode::from(1)
        }
    }
}

/// Loads the corpus to serve and watches its directory. Keep the handle for as long as the
/// corpus is served: the watcher stops when it is dropped.
fn serve(data: &Path, limits: &LoadConfig) -> Option<(Arc<Live>, Option<WatchHandle>)> {
    let live = Arc::new(load(data, limits)?);
    let watcher = match live::watch(&live, Duration::from_millis(500)) {
        Ok(handle) => Some(handle),
        Err(err) => {
            tracing::warn!(%err, "not watching the data directory; use /reload after changes");
            None
        }
    };
    Some((live, watcher))
}

/// `briefing-bot run`: checks the configuration (exit 2 naming the variable), loads the corpus
/// (exit 1), then answers on Discord until SIGINT or SIGTERM.
fn run_bot(data: &Path, limits: &LoadConfig) -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("briefing-bot: {err}");
            return ExitCode::from(2);
        }
    };
    init_logging();
    let Some((live, _watcher)) = serve(data, limits) else {
        return ExitCode::from(1);
    };
    let mut app = App::new(live);
    app.ephemeral_default = config.ephemeral_default;
    let (app, digests) = match open_digests() {
        Ok((store, scheduler_store)) => {
            let (app, wake) = app.with_digests(store);
            let run = gateway::DigestRun {
                store: scheduler_store,
                wake,
            };
            (app, Some(run))
        }
        Err(err) => {
            eprintln!("briefing-bot: {err}");
            return ExitCode::from(2);
        }
    };
    let Some(runtime) = runtime() else {
        return ExitCode::from(1);
    };
    let result = runtime.block_on(gateway::run(
        Arc::new(app),
        &config,
        Timing::default(),
        digests,
        gateway::shutdown_signal(),
    ));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err @ RunError::TokenRejected(_)) => {
            eprintln!("briefing-bot: {err}");
            ExitCode::from(2)
        }
        Err(err) => {
            eprintln!("briefing-bot: {err}");
            ExitCode::from(1)
        }
    }
}

/// Opens the digest database twice (one connection answers `/digest`, one runs the scheduler)
/// and applies the `.env` default subscription. An error names the variable or the file.
fn open_digests() -> Result<(Store, Store), String> {
    let config = digest::config_from_env(|name| std::env::var(name).ok())?;
    let path = &config.database_path;
    let open =
        || Store::open(path).map_err(|err| format!("DATABASE_PATH {}: {err}", path.display()));
    let store = open()?;
    store
        .sync_env_default(config.default_subscription.as_ref(), chrono::Utc::now())
        .map_err(|err| format!("DATABASE_PATH {}: {err}", path.display()))?;
    Ok((store, open()?))
}

/// `briefing-bot serve-http`: checks the configuration (exit 2 naming the variable), loads the
/// corpus (exit 1), then answers interactions over HTTP until SIGINT or SIGTERM.
fn serve_http(data: &Path, limits: &LoadConfig, listen: std::net::SocketAddr) -> ExitCode {
    let config = match EndpointConfig::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("briefing-bot: {err}");
            return ExitCode::from(2);
        }
    };
    init_logging();
    let Some((live, _watcher)) = serve(data, limits) else {
        return ExitCode::from(1);
    };
    let mut app = App::new(live);
    app.ephemeral_default = config.discord.ephemeral_default;
    let Some(runtime) = runtime() else {
        return ExitCode::from(1);
    };
    let result = runtime.block_on(async {
        let listener = match tokio::net::TcpListener::bind(listen).await {
            Ok(listener) => listener,
            Err(err) => return Err(format!("cannot listen on {listen}: {err}")),
        };
        let address = listener.local_addr().map_err(|err| err.to_string())?;
        eprintln!("briefing-bot: answering interactions on http://{address}/interactions");
        let endpoint = Endpoint::new(
            Arc::new(app),
            config.public_key.verifier().clone(),
            Arc::new(rest::client(&config.discord)),
            Timing::default(),
        );
        endpoint::serve(listener, Arc::new(endpoint), gateway::shutdown_signal())
            .await
            .map_err(|err| format!("serving {address}: {err}"))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("briefing-bot: {err}");
            ExitCode::from(1)
        }
    }
}

/// `briefing-bot register`: replaces the application's commands with the command table.
fn register(guild: Option<u64>) -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("briefing-bot: {err}");
            return ExitCode::from(2);
        }
    };
    init_logging();
    let Some(runtime) = runtime() else {
        return ExitCode::from(1);
    };
    let http = rest::client(&config);
    let guild = guild.or(config.guild_id);
    match runtime.block_on(rest::register(&http, guild)) {
        Ok(Registered {
            count,
            guild: Some(guild),
        }) => {
            println!("registered {count} commands on server {guild}");
            ExitCode::SUCCESS
        }
        Ok(Registered { count, guild: None }) => {
            println!("registered {count} commands globally (they may take a while to show)");
            ExitCode::SUCCESS
        }
        Err(err @ RegisterError::TokenRejected) => {
            eprintln!("briefing-bot: {err}");
            ExitCode::from(2)
        }
        Err(err) => {
            eprintln!("briefing-bot: {err}");
            ExitCode::from(1)
        }
    }
}

/// The multi-threaded runtime of `run` and `serve-http`; says why on stderr when it cannot start.
fn runtime() -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => Some(runtime),
        Err(err) => {
            eprintln!("briefing-bot: cannot start the async runtime: {err}");
            None
        }
    }
}

/// Logs to stderr, filtered by RUST_LOG (default: info for the bot, warnings from libraries).
///
/// serenity's REST spans record each request's route, and an interaction's route holds its
/// token: they are kept at warn whatever RUST_LOG says, so no level shows them.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,briefing_bot=info"));
    let filter = match "serenity::http=warn".parse() {
        Ok(directive) => filter.add_directive(directive),
        Err(_) => filter,
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Loads the corpus, printing every problem to stderr when it does not load.
fn load(data: &Path, limits: &LoadConfig) -> Option<Live> {
    match Live::load(data, limits.clone()) {
        Ok(live) => {
            for warning in &live.snapshot().warnings {
                eprintln!("warning: {warning}");
            }
            Some(live)
        }
        Err(failure) => {
            for problem in &failure.problems {
                eprintln!("error: {problem}");
            }
            eprintln!(
                "briefing-bot: {} did not load; run `briefing-bot check` for details",
                data.display()
            );
            None
        }
    }
}
