//! briefing-bot: answers questions about structured news-article data, in Discord or a console.
//!
//! The core (`article`, `load`, `corpus`, `search`, `cmd`, `reply`) knows nothing of Discord; the
//! front ends (`console`, `discord`) translate and render. See ARCHITECTURE.md.

pub mod app;
pub mod article;
pub mod check;
pub mod cmd;
pub mod config;
pub mod console;
pub mod corpus;
pub mod country;
pub mod dates;
pub mod digest;
pub mod discord;
pub mod draft;
pub mod gen_corpus;
pub mod http;
pub mod indexed;
pub mod live;
pub mod load;
pub mod logging;
pub mod normalize;
pub mod parse;
pub mod problem;
pub mod reply;
pub mod schedule;
pub mod search;
pub mod slash;
pub mod store;
pub mod watch;
pub mod wording;
