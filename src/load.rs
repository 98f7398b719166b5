//! Reading and validating a data directory into a [`Corpus`].
//!
//! All or nothing: every file is read and checked, every problem in the directory is collected,
//! and a corpus is built only when there are none. A caller that already serves a corpus keeps
//! serving it when a reload fails, so bad data never replaces good data.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

// FxHash for the sets and maps of ids and names checked at load: one lookup per id a statement
// or event names, where SipHash's defence against chosen keys buys nothing (the data is the
// operator's own) and cost a twentieth of the load.
use rustc_hash::{FxHashMap, FxHashSet};

use crate::article::Article;
use crate::corpus::{Corpus, Plan};
use crate::normalize::{fold, words};
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
    /// The [`fingerprint`] of the bytes this corpus was read from.
    pub fingerprint: Fingerprint,
    pub warnings: Vec<Problem>,
    /// The article files read, in the order read.
    pub files: Vec<PathBuf>,
    /// The entries of `articles/` not read, each with why.
    pub skipped: Vec<Skipped>,
}

/// A directory that did not load: every problem found, in file order.
#[derive(Debug)]
pub struct LoadFailure {
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// The entries of `articles/` not read, each with why.
    pub skipped: Vec<Skipped>,
}

/// A data file that looked like an article or sat among them but was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    /// Why, for a person: `a directory, not a file`, `a broken symbolic link: …`.
    pub reason: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

/// What is in a data directory's `articles/`: the article files to read, sorted by name, and
/// every other entry with the reason it is not read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovery {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<Skipped>,
}

/// The article files of a data directory: `articles/*.json` (`.JSON` in any case), sorted by
/// name. See [`discover`] for what is skipped and why.
pub fn article_files(data_dir: &Path) -> Result<Vec<PathBuf>, Problem> {
    discover(data_dir).map(|found| found.files)
}

/// Lists `DATA_DIR/articles/`: every entry is either an article file to read or skipped with a
/// reason a person can act on. Editors' temporary files (`.x.json.swp`, `x.json~`, `#x.json#`)
/// are skipped by name; a directory, a broken symbolic link, a link loop or a special file named
/// `*.json` by what it is. A symbolic link to a file is followed. An entry whose metadata cannot
/// be read for another reason is kept as a file, so that reading it reports the error.
pub fn discover(data_dir: &Path) -> Result<Discovery, Problem> {
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
    let mut found = Discovery::default();
    for entry in entries {
        let entry = entry.map_err(|err| {
            Problem::in_file(&dir, format!("cannot list the articles directory: {err}"))
        })?;
        let path = entry.path();
        // The listing says what most entries are without a look at each: a regular file
        // needs no more (10k files, 20k fewer system calls).
        let regular = entry.file_type().is_ok_and(|kind| kind.is_file());
        match skip_reason(&path, regular) {
            None => found.files.push(path),
            Some(reason) => found.skipped.push(Skipped { path, reason }),
        }
    }
    // Every path is `dir` joined with an entry's name, so sorting the paths' bytes sorts by
    // name, as comparing them component by component would, without parsing each path on
    // every comparison (10k files).
    found.files.sort_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    found.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

/// Whether a file name is an article's rather than an editor's temporary or swap file: it ends
/// in `.json` in any case and does not start with `.` or `#`.
pub fn is_article_name(name: &str) -> bool {
    name_problem(name).is_none()
}

/// Whether a path names an article file: an article name ([`is_article_name`]) of a file, or of
/// a symbolic link to one.
pub fn is_article_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(is_article_name)
        && path.is_file()
}

/// Why a file name is not an article's, or `None` when it is.
fn name_problem(name: &str) -> Option<&'static str> {
    let bytes = name.as_bytes();
    let json = bytes.len() > 5 && bytes[bytes.len() - 5..].eq_ignore_ascii_case(b".json");
    if name.starts_with('.') {
        Some("a hidden file (editors' swap files start with a dot)")
    } else if name.starts_with('#') {
        Some("an editor's autosave file")
    } else if name.ends_with('~') {
        Some("an editor's backup file")
    } else if !json {
        Some("not a .json file")
    } else {
        None
    }
}

/// Why the entry at `path` is not read as an article, or `None` when it is.
fn skip_reason(path: &Path, regular: bool) -> Option<String> {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
        return Some("the file name is not valid UTF-8; rename it".to_string());
    };
    if let Some(problem) = name_problem(name) {
        return Some(problem.to_string());
    }
    if regular {
        return None;
    }
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink());
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Some("a directory, not a file".to_string()),
        Ok(meta) if !meta.is_file() => {
            Some("not a regular file (a pipe, socket or device)".to_string())
        }
        Ok(_) => None,
        Err(_) if is_link && link_loops(path) => {
            Some("a symbolic link loop: following it leads back to itself".to_string())
        }
        Err(err) if is_link && err.kind() == std::io::ErrorKind::NotFound => {
            let target = std::fs::read_link(path)
                .map(|target| target.display().to_string())
                .unwrap_or_else(|_| "?".to_string());
            Some(format!(
                "a broken symbolic link: its target {target} does not exist"
            ))
        }
        // Reading it reports the error with the file's name.
        Err(_) => None,
    }
}

/// Whether following the symbolic link at `path` comes back to a link already followed.
fn link_loops(path: &Path) -> bool {
    /// The kernel gives up after 40 links; so do we.
    const MAX_LINKS: usize = 40;
    let mut seen = HashSet::new();
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let Ok(target) = std::fs::read_link(&at) else {
            return false; // not a link (or gone): the chain ends
        };
        if !seen.insert(at.clone()) {
            return true;
        }
        at = match at.parent() {
            Some(parent) => parent.join(target),
            None => target,
        };
    }
    true
}

/// Reads, validates and indexes every article of `data_dir`.
pub fn load_dir(data_dir: &Path, config: &LoadConfig) -> Result<Loaded, LoadFailure> {
    let Discovery { files, skipped } = discover(data_dir).map_err(|problem| LoadFailure {
        problems: vec![problem],
        warnings: Vec::new(),
        skipped: Vec::new(),
    })?;
    let (read, digests) = read_all(&files, config)
        .into_iter()
        .unzip::<_, _, Vec<_>, Vec<_>>();
    let fingerprint = combine(&skipped, &digests);
    let mut articles = Vec::new();
    // The files that did not parse, by their place in `files`.
    let mut unparsed = Vec::new();
    for (at, (file, article)) in files.iter().zip(read).enumerate() {
        match article {
            Ok(article) => articles.push((file.clone(), article)),
            Err(problem) => unparsed.push((at, problem)),
        }
    }
    let known = Known::of(articles.iter().map(|(_, article)| article));
    // Validation, then (when nothing is wrong) the corpus worked out: both only read the
    // articles, as the warnings do.
    let check = || -> (Vec<Problem>, Option<Plan>) {
        let checked: Vec<Vec<Problem>> = articles
            .iter()
            .map(|(file, article)| validate_article_in(article, file, &known))
            .collect();
        // Every problem in file order: a file that did not parse, or what its article gets
        // wrong.
        let mut problems = Vec::new();
        let mut unparsed = unparsed.into_iter().peekable();
        let mut checked = checked.into_iter();
        for at in 0..files.len() {
            match unparsed.next_if(|(failed, _)| *failed == at) {
                Some((_, problem)) => problems.push(problem),
                None => problems.extend(checked.next().into_iter().flatten()),
            }
        }
        problems.extend(duplicate_article_ids(&articles));
        let plan = problems.is_empty().then(|| {
            let borrowed: Vec<&Article> = articles.iter().map(|(_, article)| article).collect();
            Corpus::plan(&borrowed)
        });
        (problems, plan)
    };
    // On a machine with two cores the warnings are looked for meanwhile.
    let ((problems, plan), mut warnings) = if on_threads(articles.len()) {
        std::thread::scope(|scope| {
            let warned = scope.spawn(|| warnings_of(&articles));
            let checked = check();
            match warned.join() {
                Ok(warnings) => (checked, warnings),
                // The checks only read and count; should one panic, the panic goes on.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    } else {
        (check(), warnings_of(&articles))
    };
    if files.is_empty() {
        warnings.push(Problem::in_file(
            data_dir.join("articles"),
            "no article files (*.json) here yet; the bot answers with an empty corpus",
        ));
    }
    let Some(plan) = plan else {
        return Err(LoadFailure {
            problems,
            warnings,
            skipped,
        });
    };
    let corpus = plan.finish(articles.into_iter().map(|(_, article)| article).collect());
    Ok(Loaded {
        corpus,
        fingerprint,
        warnings,
        files,
        skipped,
    })
}

/// Fewer files than this are read on the calling thread: threads cost more than they save.
const PARALLEL_FROM: usize = 64;

/// Whether work over `files` files is worth a second thread: the machine has one to give and
/// there are at least [`PARALLEL_FROM`].
fn on_threads(files: usize) -> bool {
    files >= PARALLEL_FROM && std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2)
}

/// What the articles probably get wrong without being invalid: the same person under two ids,
/// one id for two people, dates that say nothing a reader can place.
fn warnings_of(articles: &[(PathBuf, Article)]) -> Vec<Problem> {
    let names = folded_names(articles);
    let mut warnings = likely_duplicate_people(articles, &names);
    warnings.extend(one_id_two_people(articles, &names));
    drop(names);
    warnings.extend(crate::dates::unresolved(articles));
    warnings
}

/// Reads and parses every file, in their order, on as many threads as the machine has cores
/// (each thread a contiguous run of the files, so the results come back in file order).
/// Each with the digest of the file's bytes (see [`fingerprint`]).
fn read_all(files: &[PathBuf], config: &LoadConfig) -> Vec<(Result<Article, Problem>, u64)> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || files.len() < PARALLEL_FROM {
        return files
            .iter()
            .map(|file| read_digested(file, config))
            .collect();
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let runs: Vec<_> = files
            .chunks(chunk)
            .map(|run| {
                scope.spawn(move || {
                    run.iter()
                        .map(|file| read_digested(file, config))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        runs.into_iter()
            .zip(files.chunks(chunk))
            .flat_map(|(handle, run)| {
                // A parse that panicked (it never should: parsing returns errors) is reported
                // for each file of its run rather than taking the process down.
                handle.join().unwrap_or_else(|_| {
                    run.iter()
                        .map(|file| {
                            let problem = Problem::in_file(
                                file.clone(),
                                "reading this file failed unexpectedly",
                            );
                            let digest = file_digest(file, &Err(problem.clone()));
                            (Err(problem), digest)
                        })
                        .collect()
                })
            })
            .collect()
    })
}

/// Reads one article file as [`read_article`] does, with the digest of its bytes.
fn read_digested(file: &Path, config: &LoadConfig) -> (Result<Article, Problem>, u64) {
    let bytes = read_bytes(file, config);
    let digest = file_digest(file, &bytes);
    (bytes.and_then(|bytes| parse_article(file, &bytes)), digest)
}

/// Reads one article file, refusing one over the size limit.
pub fn read_article(file: &Path, config: &LoadConfig) -> Result<Article, Problem> {
    let bytes = read_bytes(file, config)?;
    parse_article(file, &bytes)
}

/// The bytes of one file, refused before reading when over the size limit.
fn read_bytes(file: &Path, config: &LoadConfig) -> Result<Vec<u8>, Problem> {
    use std::io::Read;
    let cannot = |err: std::io::Error| Problem::in_file(file, format!("cannot read: {err}"));
    let mut opened = std::fs::File::open(file).map_err(cannot)?;
    let size = opened.metadata().map_err(cannot)?.len();
    if size > config.max_file_bytes {
        return Err(Problem::in_file(
            file,
            format!(
                "file is {size} bytes, over the limit of {} bytes (raise it with --max-file-bytes or MAX_FILE_BYTES)",
                config.max_file_bytes
            ),
        ));
    }
    // The size is known: one allocation, and one read past it to see the end.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    opened.read_to_end(&mut bytes).map_err(cannot)?;
    Ok(bytes)
}

/// What a load of a data directory would read, boiled down to one number: the `articles/`
/// listing (files and skipped entries with their reasons) and every article file's bytes. Two
/// equal fingerprints mean a load would see byte-identical data, so a watcher can skip it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(u64);

/// Reads the directory as [`load_dir`] would and digests it without parsing. Compute it *before*
/// loading: a change after the fingerprint is then seen as a change by the next comparison.
pub fn fingerprint(data_dir: &Path, config: &LoadConfig) -> Fingerprint {
    use std::hash::{Hash, Hasher};
    match discover(data_dir) {
        Err(problem) => {
            let mut hasher = std::hash::DefaultHasher::new();
            problem.to_string().hash(&mut hasher);
            Fingerprint(hasher.finish())
        }
        Ok(found) => {
            let digests: Vec<u64> = found
                .files
                .iter()
                .map(|file| file_digest(file, &read_bytes(file, config)))
                .collect();
            combine(&found.skipped, &digests)
        }
    }
}

/// One article file's part of a [`Fingerprint`]: its path and its bytes, or why they could
/// not be read (the message holds the size when too large, or the reason).
fn file_digest(file: &Path, bytes: &Result<Vec<u8>, Problem>) -> u64 {
    use std::hash::{Hash, Hasher};
    // FxHash: the digest only tells one read of the directory from the next in this process,
    // so SipHash's defence against chosen input buys nothing, and it took a twelfth of the
    // start-up over 89 MB of articles.
    let mut hasher = rustc_hash::FxHasher::default();
    file.hash(&mut hasher);
    match bytes {
        Ok(bytes) => bytes.hash(&mut hasher),
        Err(problem) => problem.to_string().hash(&mut hasher),
    }
    hasher.finish()
}

/// A directory's [`Fingerprint`]: its skipped entries, then each file's [`file_digest`].
fn combine(skipped: &[Skipped], digests: &[u64]) -> Fingerprint {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    for skipped in skipped {
        skipped.to_string().hash(&mut hasher);
    }
    digests.hash(&mut hasher);
    Fingerprint(hasher.finish())
}

/// Parses an article from JSON, naming the line, column and field of any error. A UTF-8 byte
/// order mark is accepted; an empty file, UTF-16 and bytes that are not UTF-8 are refused with
/// what to do about them.
pub fn parse_article(file: &Path, bytes: &[u8]) -> Result<Article, Problem> {
    let text = utf8_text(file, bytes)?;
    // Most files parse: they are parsed without tracking the path, which costs a fifth of the
    // parse, and only a file that fails is parsed again with it, for the field to name.
    if let Ok(mut article) = serde_json::from_str::<Article>(text) {
        shrink(&mut article);
        return Ok(article);
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let mut article: Article =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
            let path = err.path().to_string();
            let inner = err.into_inner();
            // serde_path_to_error says "?" when the error is before any field (a cut-off object).
            let field = (path != "." && path != "?" && !path.is_empty()).then_some(path);
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
    shrink(&mut article);
    Ok(article)
}

/// Gives back the room serde's lists grew into (a list of 9 statements holds 16): a tenth of
/// a parsed article's memory.
fn shrink(article: &mut Article) {
    article.tags.shrink_to_fit();
    article.participants.shrink_to_fit();
    for participant in &mut article.participants {
        participant.aliases.shrink_to_fit();
    }
    article.statements.shrink_to_fit();
    for statement in &mut article.statements {
        statement.topics.shrink_to_fit();
    }
    article.context.shrink_to_fit();
    for item in &mut article.context {
        item.aliases.shrink_to_fit();
    }
    article.events.shrink_to_fit();
    for event in &mut article.events {
        event.participants.shrink_to_fit();
    }
    article.related.shrink_to_fit();
}

/// The text of an article file: UTF-8 without its byte order mark, and not blank.
fn utf8_text<'a>(file: &Path, bytes: &'a [u8]) -> Result<&'a str, Problem> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Problem::in_file(
            file,
            "UTF-16 text (it starts with a UTF-16 byte order mark); save the file as UTF-8",
        ));
    }
    let skipped = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    let text = std::str::from_utf8(&bytes[skipped..]).map_err(|err| {
        let valid = &bytes[skipped..skipped + err.valid_up_to()];
        // `valid` is the UTF-8 prefix before the bad byte, so it decodes.
        let before = String::from_utf8_lossy(valid);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |last| last.chars().count()) + 1;
        let offset = skipped + err.valid_up_to();
        Problem {
            file: file.to_path_buf(),
            location: Location::Text {
                line,
                column,
                field: None,
            },
            message: match bytes.get(offset) {
                Some(byte) => format!(
                    "not UTF-8: byte 0x{byte:02X} at byte offset {offset} is not valid UTF-8; save the file as UTF-8"
                ),
                None => format!(
                    "not UTF-8 at byte offset {offset}; save the file as UTF-8"
                ),
            },
        }
    })?;
    if text.trim().is_empty() {
        return Err(Problem::in_file(
            file,
            "the file is empty; an article is a JSON object with at least \"id\", \"title\" and \"summary\"",
        ));
    }
    Ok(text)
}

/// serde_json's message without its own " at line L column C" suffix, which the location says.
fn json_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The ids every article of a directory defines: statement topics and event participants may
/// name any of them, not only their own article's.
#[derive(Debug, Default)]
pub struct Known {
    people: FxHashSet<String>,
    topics: FxHashSet<String>,
}

impl Known {
    pub fn of<'a>(articles: impl IntoIterator<Item = &'a Article>) -> Known {
        let mut known = Known::default();
        for article in articles {
            known
                .people
                .extend(article.participants.iter().map(|p| p.id.clone()));
            known
                .topics
                .extend(article.context.iter().map(|c| c.id.clone()));
        }
        known
    }
}

/// Checks one article on its own: ids, references, required text, dates.
pub fn validate_article(article: &Article, file: &Path) -> Vec<Problem> {
    validate_article_in(article, file, &Known::default())
}

/// Checks one article beside the others of its directory (`known`): a statement's topics and
/// an event's participants may name an id any article defines; a speaker must be a participant
/// of the article itself.
pub fn validate_article_in(article: &Article, file: &Path, known: &Known) -> Vec<Problem> {
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
    if let Some(url) = &article.url
        && let Some(message) = url_problem(url)
    {
        problem("url".into(), message);
    }
    if let Some(byline) = &article.byline
        && byline.name.trim().is_empty()
    {
        problem("byline.name".into(), "must not be empty".into());
    }

    let mut people = FxHashSet::default();
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

    let mut topics = FxHashSet::default();
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
            if !topics.contains(topic.as_str()) && !known.topics.contains(topic) {
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
            if !people.contains(who.as_str()) && !known.people.contains(who) {
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
fn unknown(kind: &str, id: &str, known: &FxHashSet<&str>) -> String {
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

/// Why `url` is not an address a reader (and Discord) can open: it must be an absolute http or
/// https URL with a host.
pub fn url_problem(url: &str) -> Option<String> {
    let example = "e.g. \"https://www.example.com/news/2025/03/14/talks\"";
    if url.trim() != url || url.chars().any(char::is_whitespace) {
        return Some(format!(
            "\"{url}\" contains spaces; write the address without them, {example}"
        ));
    }
    match url::Url::parse(url) {
        Ok(parsed) if !matches!(parsed.scheme(), "http" | "https") => Some(format!(
            "\"{url}\" is a {} address; write an http or https address, {example}",
            parsed.scheme()
        )),
        Ok(parsed) if parsed.host_str().is_none_or(str::is_empty) => Some(format!(
            "\"{url}\" has no host; write a full address, {example}"
        )),
        Ok(_) => None,
        Err(err) => Some(format!(
            "\"{url}\" is not a web address ({err}); write a full http or https address, {example}"
        )),
    }
}

fn date_problem(date: &str) -> Option<String> {
    let ok = date.len() == 10 && chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok();
    (!ok).then(|| format!("\"{date}\" is not a date; write YYYY-MM-DD, e.g. \"2025-03-14\""))
}

fn duplicate_article_ids(articles: &[(PathBuf, Article)]) -> Vec<Problem> {
    let mut first: FxHashMap<&str, &Path> = FxHashMap::default();
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

/// Every participant's name and alias, folded once for the two checks below, each spelling
/// once: a person named in many articles repeats the same spellings.
type FoldedNames<'a> = FxHashMap<&'a str, FoldedName>;

/// One spelling of a name, folded.
struct FoldedName {
    text: String,
    /// Its words sorted and joined by spaces ("ryabkov sergey" for "Sergey Ryabkov"), when it
    /// has two or more: what [`likely_duplicate_people`] compares.
    key: Option<String>,
}

fn folded_names(articles: &[(PathBuf, Article)]) -> FoldedNames<'_> {
    let mut names = FoldedNames::default();
    for (_, article) in articles {
        for person in &article.participants {
            for name in std::iter::once(&person.name).chain(&person.aliases) {
                names.entry(name.as_str()).or_insert_with(|| {
                    let text = fold(name);
                    let mut sorted: Vec<&str> = words(&text).collect();
                    sorted.sort();
                    let key = (sorted.len() >= 2).then(|| sorted.join(" "));
                    FoldedName { text, key }
                });
            }
        }
    }
    names
}

/// `name` folded, from `names`.
fn folded<'n>(names: &'n FoldedNames, name: &str) -> &'n FoldedName {
    // Invariant: `names` is `folded_names` of the very articles the checks walk, so it holds
    // every participant's name and alias.
    &names[name]
}

/// Different ids in different articles whose names or aliases fold to the same words, such as
/// "sergey-ryabkov" and "ryabkov-sergey": probably one person entered twice.
/// One id used for what look like two people across files: names with no word in common, or
/// different countries. Each pair of files is named once per id.
fn one_id_two_people(articles: &[(PathBuf, Article)], names: &FoldedNames) -> Vec<Problem> {
    /// The first entry seen for an id: its file, name and country.
    struct First<'a> {
        file: &'a Path,
        name: &'a str,
        country: &'a str,
    }
    let mut first: FxHashMap<&str, First> = FxHashMap::default();
    // Per (id, word): the number of the entry that first gave that word (words of one letter
    // left out). Earlier entries' words are those numbered below the current one, so a word
    // the current entry repeats (a name and its alias) is not mistaken for a shared one, and no
    // set is built per entry.
    let mut words_of: FxHashMap<(&str, &str), usize> = FxHashMap::default();
    let mut warnings = Vec::new();
    let mut entry = 0usize;
    for (file, article) in articles {
        for (i, person) in article.participants.iter().enumerate() {
            entry += 1;
            let id = person.id.as_str();
            let mut any_word = false;
            let mut shared = false;
            for name in std::iter::once(&person.name).chain(&person.aliases) {
                for word in words(&folded(names, name).text).filter(|w| w.len() > 1) {
                    any_word = true;
                    let by = *words_of.entry((id, word)).or_insert(entry);
                    shared |= by < entry;
                }
            }
            let country = person.country.trim();
            let Some(other) = first.get_mut(id) else {
                first.insert(
                    id,
                    First {
                        file,
                        name: &person.name,
                        country,
                    },
                );
                continue;
            };
            if any_word && !shared {
                warnings.push(Problem::at_field(
                    file,
                    format!("participants[{i}]"),
                    format!(
                        "\"{}\" is \"{}\" here but \"{}\" in {}: two people under one id? Give one of them its own id",
                        person.id,
                        person.name,
                        other.name,
                        other.file.display()
                    ),
                ));
            }
            // Equal text folds equal: fold only what differs.
            if !country.is_empty()
                && !other.country.is_empty()
                && country != other.country
                && fold(country) != fold(other.country)
            {
                warnings.push(Problem::at_field(
                    file,
                    format!("participants[{i}].country"),
                    format!(
                        "\"{}\" is from \"{}\" here but \"{}\" in {}; the newest article's country is shown",
                        person.id,
                        person.country,
                        other.country,
                        other.file.display()
                    ),
                ));
            }
            if other.country.is_empty() {
                other.country = country;
            }
        }
    }
    warnings
}

fn likely_duplicate_people(articles: &[(PathBuf, Article)], names: &FoldedNames) -> Vec<Problem> {
    let mut by_key: FxHashMap<&str, (&str, &Path)> = FxHashMap::default();
    let mut warned = FxHashSet::default();
    let mut warnings = Vec::new();
    for (file, article) in articles {
        for (i, person) in article.participants.iter().enumerate() {
            for name in std::iter::once(&person.name).chain(&person.aliases) {
                let Some(key) = folded(names, name).key.as_deref() else {
                    continue; // a lone surname or title is too weak a signal
                };
                match by_key.get(key) {
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
