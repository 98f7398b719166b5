//! The article format: the Rust types behind `data/articles/*.json`.
//!
//! These types are a contract other people and tools write to, so they change only by adding
//! optional fields. Unknown fields are rejected (`deny_unknown_fields`): a misspelled field name
//! in a hand-written file would otherwise be dropped silently and mislead a reader. The JSON
//! Schema in `data/article.schema.json` is generated from these types (`briefing-bot schema`),
//! and a test keeps the committed copy in step.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One news article, structured: who took part, what they said, the background, the events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Article {
    /// Editors' link to the schema, e.g. `"../article.schema.json"`. Ignored by the bot.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Slug (lowercase letters, digits and `-`), unique in the corpus.
    pub id: String,
    pub title: String,
    /// Publication date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The publication, e.g. "Global Times".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The source article's address, an absolute `http` or `https` URL, e.g.
    /// `"https://www.dw.com/en/china-russia-iran-diplomats-hold-nuclear-talks/a-71918878"`.
    /// `/brief`, `/who` and digests link to it. Leave it out when the address is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<Byline>,
    /// Two or three sentences: the article in brief.
    pub summary: String,
    /// Where the story takes place, e.g. "Beijing".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub participants: Vec<Participant>,
    #[serde(default)]
    pub statements: Vec<Statement>,
    #[serde(default)]
    pub context: Vec<ContextItem>,
    #[serde(default)]
    pub events: Vec<Event>,
    #[serde(default)]
    pub related: Vec<Related>,
}

/// Who wrote the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Byline {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
}

/// A person in the story. The same `id` in two articles is the same person: each field takes the
/// value of the newest article that gives one, so a bare mention never blanks an older entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// Slug, shared across articles for the same person, e.g. `"sergei-ryabkov"`.
    pub id: String,
    /// The usual English form of the name.
    pub name: String,
    /// Other spellings, transliterations, name orders, native-script forms, titles.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The role in this article, e.g. "Deputy Foreign Minister".
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub organization: String,
    #[serde(default)]
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Whether the article gives the words themselves or reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatementKind {
    /// The article quotes the words.
    Quote,
    /// Reported speech.
    Paraphrase,
}

/// Something someone said. Exactly one of `speaker` and `attribution` is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// A participant id of this article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// For unnamed sources: "a Chinese analyst", "experts".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    pub kind: StatementKind,
    pub text: String,
    /// When, as the article puts it: "Thursday".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub said: Option<String>,
    /// Who relayed it: "Reuters".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// Context ids (of any article) that the statement is about.
    #[serde(default)]
    pub topics: Vec<String>,
}

/// Background a reader needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContextItem {
    /// Slug, e.g. `"jcpoa"`; the same id in two articles is the same topic.
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub text: String,
}

/// Something that happened, or will.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// When, as the article puts it: "Friday".
    pub when: String,
    /// `YYYY-MM-DD`, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(rename = "where", default)]
    pub place: String,
    pub what: String,
    /// Participant ids (of any article).
    #[serde(default)]
    pub participants: Vec<String>,
}

/// A related story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Related {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The JSON Schema of an article file, as committed in `data/article.schema.json`.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Article);
    // Serializing a schemars schema cannot fail: it is a tree of maps, strings and numbers.
    let mut text = serde_json::to_string_pretty(&schema).expect("schema serializes");
    text.push('\n');
    text
}
