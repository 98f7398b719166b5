//! Test doubles for the digest: a clock that never sleeps and a channel store that behaves like
//! Discord's message endpoints (nonce de-duplication within a window, scripted failures, and a
//! "crash" that never returns).

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use briefing_bot::digest::pages::Message;
use briefing_bot::digest::poster::{PostError, Poster, RecentMessage};
use briefing_bot::digest::scheduler::Clock;
use briefing_bot::load::{LoadConfig, load_dir};
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use tokio::sync::Notify;

/// How long the fake Discord de-duplicates a nonce.
pub const NONCE_WINDOW: TimeDelta = TimeDelta::minutes(5);

/// A clock whose sleep moves time forward at once, and remembers each sleep.
#[derive(Clone)]
pub struct ManualClock {
    now: Arc<Mutex<DateTime<Utc>>>,
    pub sleeps: Arc<Mutex<Vec<Duration>>>,
}

impl ManualClock {
    pub fn at(now: DateTime<Utc>) -> ManualClock {
        ManualClock {
            now: Arc::new(Mutex::new(now)),
            sleeps: Arc::default(),
        }
    }

    pub fn set(&self, now: DateTime<Utc>) {
        *self.now.lock().unwrap() = now;
    }

    pub fn advance(&self, by: TimeDelta) {
        *self.now.lock().unwrap() += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap()
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        self.sleeps.lock().unwrap().push(duration);
        self.advance(TimeDelta::from_std(duration).unwrap());
        std::future::ready(())
    }
}

/// A message the fake channel holds.
#[derive(Debug, Clone)]
pub struct Posted {
    pub id: u64,
    pub channel: u64,
    /// Every text of the message (content, then each embed's texts), one per line.
    pub content: String,
    pub message: Message,
    pub nonce: String,
    pub at: DateTime<Utc>,
}

/// What the fake does on the next post.
pub enum Crash {
    /// Never returns, without posting: killed after the claim, before the POST.
    BeforePost,
    /// Posts, then never returns: killed after Discord took the message, before it was recorded.
    AfterPost,
}

#[derive(Default)]
pub struct Channels {
    pub messages: Vec<Posted>,
    /// Every post call: (channel, nonce).
    pub calls: Vec<(u64, String)>,
    pub recent_calls: usize,
    /// Errors the next posts to a channel return, in order.
    pub failures: HashMap<u64, VecDeque<PostError>>,
    /// Errors every post to a channel returns.
    pub always_fail: HashMap<u64, PostError>,
    /// What reading recent messages returns instead of the messages.
    pub recent_failure: Option<PostError>,
    pub crash: Option<Crash>,
    next_id: u64,
}

/// A fake Discord channel store shared between "process lifetimes" of a test.
#[derive(Clone)]
pub struct FakePoster {
    pub channels: Arc<Mutex<Channels>>,
    pub clock: ManualClock,
    pub crashed: Arc<Notify>,
}

impl FakePoster {
    pub fn new(clock: &ManualClock) -> FakePoster {
        FakePoster {
            channels: Arc::default(),
            clock: clock.clone(),
            crashed: Arc::new(Notify::new()),
        }
    }

    pub fn messages_in(&self, channel: u64) -> Vec<Posted> {
        let channels = self.channels.lock().unwrap();
        channels
            .messages
            .iter()
            .filter(|m| m.channel == channel)
            .cloned()
            .collect()
    }

    pub fn all_messages(&self) -> Vec<Posted> {
        self.channels.lock().unwrap().messages.clone()
    }

    pub fn post_calls(&self, channel: u64) -> usize {
        let channels = self.channels.lock().unwrap();
        channels.calls.iter().filter(|(c, _)| *c == channel).count()
    }
}

impl Poster for FakePoster {
    async fn post(
        &self,
        channel_id: u64,
        message: &Message,
        nonce: &str,
    ) -> Result<u64, PostError> {
        let now = self.clock.now();
        {
            let mut channels = self.channels.lock().unwrap();
            channels.calls.push((channel_id, nonce.to_string()));
            if let Some(err) = channels.always_fail.get(&channel_id) {
                return Err(err.clone());
            }
            if let Some(err) = channels
                .failures
                .get_mut(&channel_id)
                .and_then(VecDeque::pop_front)
            {
                return Err(err);
            }
            let problems = message.limit_problems();
            assert!(problems.is_empty(), "over Discord's limits: {problems:?}");
            // Discord's enforce_nonce: the same nonce within the window returns the first message.
            if let Some(first) = channels
                .messages
                .iter()
                .find(|m| m.channel == channel_id && m.nonce == nonce && now - m.at < NONCE_WINDOW)
            {
                return Ok(first.id);
            }
            let crash = channels.crash.take();
            if !matches!(crash, Some(Crash::BeforePost)) {
                channels.next_id += 1;
                let id = 9000 + channels.next_id;
                channels.messages.push(Posted {
                    id,
                    channel: channel_id,
                    content: all_text(message),
                    message: message.clone(),
                    nonce: nonce.to_string(),
                    at: now,
                });
                if crash.is_none() {
                    return Ok(id);
                }
            }
        }
        // The process "dies" here: the caller's future never completes.
        self.crashed.notify_one();
        std::future::pending().await
    }

    async fn recent_messages(&self, channel_id: u64) -> Result<Vec<RecentMessage>, PostError> {
        let mut channels = self.channels.lock().unwrap();
        channels.recent_calls += 1;
        if let Some(err) = &channels.recent_failure {
            return Err(err.clone());
        }
        Ok(channels
            .messages
            .iter()
            .rev()
            .filter(|m| m.channel == channel_id)
            .take(50)
            .map(|m| RecentMessage {
                id: m.id,
                author_id: 100,
                content: m.message.content.clone(),
                embed_texts: m
                    .message
                    .embeds
                    .iter()
                    .flat_map(|e| e.texts())
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect(),
            })
            .collect())
    }
}

/// Every text of a message, one per line: its content, then each embed's texts.
pub fn all_text(message: &Message) -> String {
    std::iter::once(message.content.as_str())
        .chain(message.embeds.iter().flat_map(|e| e.texts()))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The seed data.
pub fn seed_corpus() -> briefing_bot::indexed::Indexed {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    load_dir(&dir, &LoadConfig::default())
        .expect("seed data loads")
        .corpus
        .into()
}

/// A temp directory and a database path in it.
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("briefing.db");
    (dir, path)
}

/// "2026-03-29 01:00" as UTC.
pub fn utc(text: &str) -> DateTime<Utc> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
        .unwrap()
        .and_utc()
}
