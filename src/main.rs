//! The `briefing-bot` command line: parses arguments and hands off to a front end.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use briefing_bot::check;

#[derive(Parser)]
#[command(name = "briefing-bot", version, about = "Instant answers about a developing news story, in Discord or a console.")]
struct Cli {
    /// The data directory (article files in DIR/articles/*.json).
    #[arg(long, global = true, env = "DATA_DIR", default_value = "data")]
    data: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the data directory: a summary and warnings, or every problem (exit 1).
    Check,
    /// Print the JSON Schema of an article file (as committed in data/article.schema.json).
    Schema,
}

fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check) => check::run(&cli.data),
        Some(Command::Schema) => {
            print!("{}", briefing_bot::article::schema_json());
            ExitCode::SUCCESS
        }
        None => check::run(&cli.data),
    }
}
