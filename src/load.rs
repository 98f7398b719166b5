//! Reading and validating a data directory into a [`Corpus`].
//!
//! All or nothing: every file is read and checked, every problem in the directory is collected,
//! and a corpus is built only when there are none. A caller that already serves a corpus keeps
//! serving it when a reload fails, so bad data never replaces good data.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::article::Article;
use crate::corpus::Corpus;
use crate::normalize::fold;
use crate::problem::{Location, Problem};

/// How the loader reads a data directory.
#[derive(Debug, Clone)]
pub struct LoadConfig {
    /// A data file larger than this is refused.
    pub max_file_bytes: u64,
}

impl Default for LoadConfig {
    fn default() -> Self {
        LoadConfig {
            max_file_bytes: 10 * 1024 * 1024,
        }
    }
}

/// A corpus that loaded, with the warnings that did not stop it.
#[derive(Debug)]
pub struct Loaded {
    pub corpus: Corpus,
    pub warnings: Vec<Problem>,
    /// The article files read, in the order read.
    pub files: Vec<PathBuf>,
}

/// A directory that did not load: every problem found, in file order.
#[derive(Debug)]
pub struct LoadFailure {
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// The article files of a data directory: `articles/*.json`, sorted by name. Editors' temporary
/// files (`.x.json.swp`, `x.json~`, `#x.json#`, hidden files) do not end in `.json` or start
/// with a dot, and are skipped.
pub fn article_files(data_dir: &Path) -> Result<Vec<PathBuf>, Problem> {
    let dir = data_dir.join("articles");
    if !data_dir.is_dir() {
        return Err(Problem::in_file(
            data_dir,
            "data directory not found (set --data DIR or DATA_DIR)",
        ));
    }
    let entries = std::fs::read_dir(&dir).map_err(|err| {
        Problem::in_file(
            &dir,
            format!("cannot read the articles directory: {err} (article files go in DATA_DIR/articles/*.json)"),
        )
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| is_article_file(path))
        .collect();
    files.sort();
    Ok(files)
}

/// Whether a path names an article file rather than an editor's temporary or swap file.
pub fn is_article_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
        return false;
    };
    name.ends_with(".json") && !name.starts_with('.') && !name.starts_with('#') && path.is_file()
}

/// Reads, validates and indexes every article of `data_dir`.
pub fn load_dir(data_dir: &Path, config: &LoadConfig) -> Result<Loaded, LoadFailure> {
    let files = article_files(data_dir).map_err(|problem| LoadFailure {
        problems: vec![problem],
        warnings: Vec::new(),
    })?;
    let mut problems = Vec::new();
    let mut articles = Vec::new();
    for file in &files {
        match read_article(file, config) {
            Ok(article) => {
                problems.extend(validate_article(&article, file));
                articles.push((file.clone(), article));
            }
            Err(problem) => problems.push(problem),
        }
    }
    problems.extend(duplicate_article_ids(&articles));
    let mut warnings = likely_duplicate_people(&articles);
    warnings.extend(crate::dates::unresolved(&articles));
    if files.is_empty() {
        warnings.push(Problem::in_file(
            data_dir.join("articles"),
            "no article files (*.json) here yet; the bot answers with an empty corpus",
        ));
    }
    if !problems.is_empty() {
        return Err(LoadFailure { problems, warnings });
    }
    let corpus = Corpus::build(articles.into_iter().map(|(_, article)| article).collect());
    Ok(Loaded {
        corpus,
        warnings,
        files,
    })
}

/// Reads one article file, refusing one over the size limit.
pub fn read_article(file: &Path, config: &LoadConfig) -> Result<Article, Problem> {
    let size = std::fs::metadata(file)
        .map_err(|err| Problem::in_file(file, format!("cannot read: {err}")))?
        .len();
    if size > config.max_file_bytes {
        return Err(Problem::in_file(
            file,
            format!(
                "file is {size} bytes, over the limit of {} bytes",
                config.max_file_bytes
            ),
        ));
    }
    let bytes =
        std::fs::read(file).map_err(|err| Problem::in_file(file, format!("cannot read: {err}")))?;
    parse_article(file, &bytes)
}

/// Parses an article from JSON, naming the line, column and field of any error.
pub fn parse_article(file: &Path, bytes: &[u8]) -> Result<Article, Problem> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let article: Article = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let field = (path != "." && !path.is_empty()).then_some(path);
        Problem {
            file: file.to_path_buf(),
            location: Location::Text {
                line: inner.line(),
                column: inner.column().max(1),
                field,
            },
            message: json_message(&inner),
        }
    })?;
    deserializer.end().map_err(|err| Problem {
        file: file.to_path_buf(),
        location: Location::Text {
            line: err.line(),
            column: err.column().max(1),
            field: None,
        },
        message: json_message(&err),
    })?;
    Ok(article)
}

/// serde_json's message without its own " at line L column C" suffix, which the location says.
fn json_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// Checks one article on its own: ids, references, required text, dates.
pub fn validate_article(article: &Article, file: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem = |field: String, message: String| {
        problems.push(Problem::at_field(file, field, message));
    };

    if let Some(message) = slug_problem(&article.id) {
        problem("id".into(), message);
    }
    for (field, text) in [("title", &article.title), ("summary", &article.summary)] {
        if text.trim().is_empty() {
            problem(field.into(), "must not be empty".into());
        }
    }
    if let Some(date) = &article.published
        && let Some(message) = date_problem(date)
    {
        problem("published".into(), message);
    }
    if let Some(byline) = &article.byline
        && byline.name.trim().is_empty()
    {
        problem("byline.name".into(), "must not be empty".into());
    }

    let mut people = HashSet::new();
    for (i, person) in article.participants.iter().enumerate() {
        if let Some(message) = slug_problem(&person.id) {
            problem(format!("participants[{i}].id"), message);
        } else if !people.insert(person.id.as_str()) {
            problem(
                format!("participants[{i}].id"),
                format!("duplicate participant id \"{}\"", person.id),
            );
        }
        if person.name.trim().is_empty() {
            problem(
                format!("participants[{i}].name"),
                "must not be empty".into(),
            );
        }
        for (j, alias) in person.aliases.iter().enumerate() {
            if alias.trim().is_empty() {
                problem(
                    format!("participants[{i}].aliases[{j}]"),
                    "must not be empty".into(),
                );
            }
        }
    }

    let mut topics = HashSet::new();
    for (i, item) in article.context.iter().enumerate() {
        if let Some(message) = slug_problem(&item.id) {
            problem(format!("context[{i}].id"), message);
        } else if !topics.insert(item.id.as_str()) {
            problem(
                format!("context[{i}].id"),
                format!("duplicate context id \"{}\"", item.id),
            );
        }
        for (field, text) in [("title", &item.title), ("text", &item.text)] {
            if text.trim().is_empty() {
                problem(format!("context[{i}].{field}"), "must not be empty".into());
            }
        }
    }

    for (i, statement) in article.statements.iter().enumerate() {
        let at = format!("statements[{i}]");
        match (&statement.speaker, &statement.attribution) {
            (Some(_), Some(_)) => problem(
                at.clone(),
                "has both \"speaker\" and \"attribution\"; give exactly one".into(),
            ),
            (None, None) => problem(
                at.clone(),
                "has neither \"speaker\" nor \"attribution\"; give exactly one".into(),
            ),
            _ => {}
        }
        if let Some(speaker) = &statement.speaker
            && !people.contains(speaker.as_str())
        {
            problem(
                format!("{at}.speaker"),
                unknown("participant", speaker, &people),
            );
        }
        if let Some(attribution) = &statement.attribution
            && attribution.trim().is_empty()
        {
            problem(format!("{at}.attribution"), "must not be empty".into());
        }
        if statement.text.trim().is_empty() {
            problem(format!("{at}.text"), "must not be empty".into());
        }
        for (j, topic) in statement.topics.iter().enumerate() {
            if !topics.contains(topic.as_str()) {
                problem(
                    format!("{at}.topics[{j}]"),
                    unknown("context id", topic, &topics),
                );
            }
        }
    }

    for (i, event) in article.events.iter().enumerate() {
        if event.what.trim().is_empty() {
            problem(format!("events[{i}].what"), "must not be empty".into());
        }
        if event.when.trim().is_empty() {
            problem(format!("events[{i}].when"), "must not be empty".into());
        }
        if let Some(date) = &event.date
            && let Some(message) = date_problem(date)
        {
            problem(format!("events[{i}].date"), message);
        }
        for (j, who) in event.participants.iter().enumerate() {
            if !people.contains(who.as_str()) {
                problem(
                    format!("events[{i}].participants[{j}]"),
                    unknown("participant", who, &people),
                );
            }
        }
    }

    for (i, related) in article.related.iter().enumerate() {
        if related.title.trim().is_empty() {
            problem(format!("related[{i}].title"), "must not be empty".into());
        }
    }
    problems
}

/// `unknown participant "mao-nign" (did you mean "mao-ning"?)`
fn unknown(kind: &str, id: &str, known: &HashSet<&str>) -> String {
    let nearest = known
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(id, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 3))
        .min();
    match nearest {
        Some((_, candidate)) => {
            format!("unknown {kind} \"{id}\" (did you mean \"{candidate}\"?)")
        }
        None if known.is_empty() => format!("unknown {kind} \"{id}\" (this article defines none)"),
        None => {
            let mut ids: Vec<&str> = known.iter().copied().collect();
            ids.sort_unstable();
            format!("unknown {kind} \"{id}\" (known: {})", ids.join(", "))
        }
    }
}

fn slug_problem(id: &str) -> Option<String> {
    let ok = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    (!ok).then(|| {
        format!("\"{id}\" is not a slug (lowercase letters, digits and '-', e.g. \"mao-ning\")")
    })
}

fn date_problem(date: &str) -> Option<String> {
    let ok = date.len() == 10 && chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok();
    (!ok).then(|| format!("\"{date}\" is not a date; write YYYY-MM-DD, e.g. \"2025-03-14\""))
}

fn duplicate_article_ids(articles: &[(PathBuf, Article)]) -> Vec<Problem> {
    let mut first: HashMap<&str, &Path> = HashMap::new();
    let mut problems = Vec::new();
    for (file, article) in articles {
        if let Some(other) = first.get(article.id.as_str()) {
            problems.push(Problem::at_field(
                file,
                "id",
                format!(
                    "duplicate article id \"{}\", also used by {}",
                    article.id,
                    other.display()
                ),
            ));
        } else {
            first.insert(&article.id, file);
        }
    }
    problems
}

/// Different ids in different articles whose names or aliases fold to the same words, such as
/// "sergey-ryabkov" and "ryabkov-sergey": probably one person entered twice.
fn likely_duplicate_people(articles: &[(PathBuf, Article)]) -> Vec<Problem> {
    let mut by_key: HashMap<String, (&str, &Path)> = HashMap::new();
    let mut warned = HashSet::new();
    let mut warnings = Vec::new();
    for (file, article) in articles {
        for (i, person) in article.participants.iter().enumerate() {
            for name in std::iter::once(&person.name).chain(&person.aliases) {
                let mut words: Vec<String> = fold(name).split(' ').map(str::to_string).collect();
                if words.len() < 2 {
                    continue; // a lone surname or title is too weak a signal
                }
                words.sort();
                let key = words.join(" ");
                match by_key.get(&key) {
                    Some((other, other_file))
                        if *other != person.id
                            && warned.insert((person.id.clone(), other.to_string())) =>
                    {
                        warnings.push(Problem::at_field(
                            file,
                            format!("participants[{i}]"),
                            format!(
                                "\"{}\" may be the same person as \"{}\" in {} (both are called \"{}\"); use one id",
                                person.id,
                                other,
                                other_file.display(),
                                name
                            ),
                        ));
                    }
                    Some(_) => {}
                    None => {
                        by_key.insert(key, (&person.id, file));
                    }
                }
            }
        }
    }
    warnings
}
