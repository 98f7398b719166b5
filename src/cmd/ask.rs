//! `/ask question:<text>`: a question in plain words, answered by the command that fits.
//!
//! `/ask` has no answers of its own. It reads the question's *intent* from its opening words,
//! *links* what the question names through the same lookups as the other commands (typos,
//! scripts and word order included), builds the [`Invocation`] of an existing command, and
//! answers through that command's own handler (`Command::parse` + `apply`, not `cmd::answer`
//! again: one permission check, one log line). The reply's body starts with
//! [`ROUTED_PREFIX`] and the equivalent slash line, so people learn the commands, and
//! [`routed`] reads it back for `ask --json`.
//!
//! The rule, in order (first match wins):
//!
//! | the question starts with                          | routed to                              |
//! | ------------------------------------------------- | -------------------------------------- |
//! | who is / who's / tell me about X                  | `/who name:X`; "the head of O": O's one member; a country + role ("Iran's deputy foreign minister"): its one holder |
//! | what did / does X say / report (about T)          | `/statements speaker:X [topic:T]`; a country's most quoted people; a subject that names no one may be a topic (`/context`) |
//! | X on T                                            | `/statements speaker:X topic:T`        |
//! | what is / what's / why / when did T               | `/context topic:T` (as typed, then the index's best topic holding most of the words, `TOPIC_SHARE`) |
//! | the latest on / any news on T                     | `/context topic:T`                     |
//! | what happened on D (a date, "March 14", a weekday) | `/search` of D's weekday (statements are dated by weekday), then of D |
//! | how many articles                                 | `/articles`                            |
//! | who *verb* … / how many people … / which X …      | `/search` of the question's words; who took part / attended / represented: `/participants` of the topic's article with the most people (of the country named), "represented C at T": C's person in most of T's articles |
//!
//! Countries come from the country table ([`crate::country`]: names, demonyms, abbreviations).
//! An ambiguous topic is tried candidate by candidate; at most `MAX_ROUTES` routes run.
//!
//! **Never an unrelated answer.** Each route answers only when the command found what the
//! question named; a failure that asks "did you mean" is passed on as such; anything else
//! becomes "Nothing in the loaded articles answers that", with the nearest names. A question
//! whose words link to nothing in the corpus is never sent to a free-text search.

use crate::indexed::Indexed;
use crate::normalize::{fold, is_stop_word};
use crate::reply::{Invocation, Reply, ResultItem};
use crate::search::{Kind, Resolution, resolve, words_match};

use super::{Args, Command, CommandSpec, Context, OptionSpec, lookup};

pub static SPEC: CommandSpec = CommandSpec {
    name: "ask",
    description: "A question in plain words, e.g. what did Mao Ning say about the JCPOA?",
    options: &[
        OptionSpec::text("question", "Your question, in plain words")
            .required()
            .completes_questions(),
    ],
    admin: false,
    subcommands: &[],
};

/// The first words of a routed answer's body, before the slash line it was answered as.
pub const ROUTED_PREFIX: &str = "Answered as ";

/// The title of an answer the corpus does not hold.
pub const NOTHING: &str = "Nothing in the loaded articles answers that";

/// A topic found by the index counts when it holds at least this share of the content words
/// ("why did the Security Council meet behind closed doors" → the closed-door meeting).
const TOPIC_SHARE: f32 = 0.6;

/// The most routes one question tries: each is a command run, so a question costs at most this
/// many answers.
const MAX_ROUTES: usize = 10;

/// How many candidates of an ambiguous topic ("sanctions") a question tries, best first.
const MAX_TOPICS: usize = 3;

/// How many of a country's people (the most quoted first) "what did China say" asks about.
const MAX_COUNTRY_SPEAKERS: usize = 3;

/// Words that close the subject of a question ("what did Mao Ning say *about* …").
const SAY_VERBS: &[&str] = &[
    "say", "said", "saying", "says", "report", "reported", "tell", "told", "think", "mean",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Ask {
    pub question: String,
}

impl Ask {
    pub fn from_args(args: &Args) -> Ask {
        Ask {
            question: args.get("question").unwrap_or_default(),
        }
    }

    pub fn apply(&self, ctx: &Context) -> Reply {
        let corpus = ctx.corpus;
        let words = words_of(&self.question);
        let routes = routes(corpus, &words);
        let mut asked: Option<(Invocation, Reply)> = None;
        for invocation in routes.into_iter().take(MAX_ROUTES) {
            let Ok(command) = Command::parse(&invocation) else {
                continue;
            };
            // No question routes to `/ask` itself, so this cannot recurse.
            if matches!(command, Command::Ask(_)) {
                continue;
            }
            let reply = command.apply(ctx);
            if reply.ok && speaker_named(corpus, &invocation, &reply) {
                return routed_reply(&invocation, reply);
            }
            if asked.is_none() && reply.title.starts_with("Did you mean") {
                asked = Some((invocation, reply));
            }
        }
        if let Some((invocation, reply)) = asked {
            return routed_reply(&invocation, reply);
        }
        nothing(corpus, &self.question)
    }
}

/// Whether a `/statements` answer is by whom the question named: a speaker typed in words must
/// name the person the statements are by (a name, role, organization or country of theirs), so
/// "what did the Pope say" is never answered with someone the index found near "pope".
fn speaker_named(corpus: &Indexed, invocation: &Invocation, reply: &Reply) -> bool {
    let Some(speaker) = invocation.get("speaker") else {
        return true;
    };
    if corpus.person_index(speaker).is_some() {
        return true;
    }
    let Some(ResultItem::Statement {
        speaker: Some(id), ..
    }) = reply.results.first()
    else {
        // Unnamed sources, found by their attribution.
        return true;
    };
    let Some(p) = corpus.person_index(id) else {
        return true;
    };
    names_person(corpus, p, speaker)
}

/// Whether every content word of `phrase` is a word of the person's names, roles,
/// organizations or countries (a demonym counts for its country).
fn names_person(corpus: &Indexed, p: usize, phrase: &str) -> bool {
    let person = &corpus.people[p];
    let mut texts: Vec<&str> = vec![person.name.as_str()];
    texts.extend(person.aliases.iter().map(String::as_str));
    for &a in &person.appearances {
        let a = corpus.participant(a);
        texts.extend([a.role.as_str(), a.organization.as_str(), a.country.as_str()]);
    }
    let text = texts.join(" ");
    fold(phrase)
        .split(' ')
        .filter(|w| !w.is_empty() && !is_stop_word(w) && *w != "s")
        .all(|w| {
            words_match(w, &text)
                || person
                    .appearances
                    .iter()
                    .any(|&a| names_country(w, &fold(&corpus.participant(a).country)))
        })
}

/// The slash line an `/ask` reply was answered as, for `ask --json`.
pub fn routed(reply: &Reply) -> Option<&str> {
    let first = reply.body.lines().next()?;
    first.strip_prefix(ROUTED_PREFIX)
}

fn routed_reply(invocation: &Invocation, mut reply: Reply) -> Reply {
    let line = format!("{ROUTED_PREFIX}{}", invocation.to_slash_line());
    reply.body = if reply.body.is_empty() {
        line
    } else {
        format!("{line}\n{}", reply.body)
    };
    reply
}

/// The answer to a question nothing in the corpus answers: the nearest names, never a guess.
fn nothing(corpus: &Indexed, question: &str) -> Reply {
    let mut reply = Reply::failure(
        NOTHING,
        "No command finds what the question asks about. The nearest names are below; /help lists the commands.",
    );
    let content: Vec<String> = words_of(question)
        .into_iter()
        .filter(|w| !is_stop_word(w) && !QUESTION_WORDS.contains(&w.as_str()))
        .collect();
    // The people each word names, and the nearest names to each word that could be a
    // misspelt name, best first: "what did Huilei say about …" suggests Kang Huilei, "what did
    // Hulei say …" the names nearest "hulei". A word the corpus holds is not a misspelling: it
    // suggests the people whose name holds it, or nothing ("ceasefire"). (The whole question
    // compared with each name suggested names that shared its letters, and cost a pass over
    // every name that no bound could shorten.)
    let mut best: Vec<crate::search::Hit> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut scanned = 0;
    for word in content
        .iter()
        .filter(|w| w.chars().count() >= NEAR_WORD || !w.is_ascii())
    {
        if seen.contains(&word.as_str()) {
            continue;
        }
        seen.push(word);
        let hits = if corpus.index.knows(word) {
            corpus
                .index
                .search(word, &[Kind::Person], 3)
                .into_iter()
                .filter(|hit| lookup::names_a_person(corpus, hit.target.index as usize, word))
                .map(|hit| crate::search::Hit { score: 1.0, ..hit })
                .collect()
        } else if scanned < MAX_NEAR_WORDS {
            scanned += 1;
            corpus.index.nearest(word, Kind::Person, 3)
        } else {
            Vec::new()
        };
        for hit in hits {
            match best.iter_mut().find(|b| b.target == hit.target) {
                Some(b) => b.score = b.score.max(hit.score),
                None => best.push(hit),
            }
        }
    }
    // Stable: equal scores keep the order the words and the index gave them.
    best.sort_by(|a, b| b.score.total_cmp(&a.score));
    best.retain(|hit| hit.score >= NEAR_SCORE);
    for hit in best.into_iter().take(3) {
        let id = crate::wording::target_id(corpus, hit.target);
        reply.suggestions.push(crate::reply::Suggestion {
            label: crate::wording::target_label(corpus, hit.target),
            invocation: Invocation::new("who").arg("name", &id),
        });
    }
    if reply.suggestions.is_empty() {
        reply.body = "No command finds what the question asks about, and no name is near its words; /help lists the commands.".to_string();
    }
    reply
}

/// A word shorter than this ("war", "cup") is not taken for a misspelt name (other scripts
/// excepted: "王毅" is a name).
const NEAR_WORD: usize = 4;
/// At most this many words of a question that the corpus does not hold are compared with
/// every name.
const MAX_NEAR_WORDS: usize = 4;
/// A name less like the word than this (Jaro-Winkler) is not suggested: it shares letters,
/// not a spelling.
const NEAR_SCORE: f32 = 0.75;

/// Words that shape a question but name nothing.
const QUESTION_WORDS: &[&str] = &[
    "what", "whats", "who", "whos", "why", "when", "how", "which", "did", "does", "do", "was",
    "were", "are", "s", "tell", "me", "say", "said", "happened", "many", "latest", "news", "any",
];

/// The question's folded words ("What's" → "what s" → joined back to "whats").
fn words_of(question: &str) -> Vec<String> {
    let folded = fold(question);
    let mut words: Vec<String> = Vec::new();
    for word in folded.split(' ').filter(|w| !w.is_empty()) {
        match (words.last_mut(), word) {
            // "what's", "who's", "iran's": the clitic belongs to the word before.
            (Some(last), "s") if matches!(last.as_str(), "what" | "who" | "that") => last.push('s'),
            _ => words.push(word.to_string()),
        }
    }
    words
}

/// `words` from `from` on, joined.
fn rest(words: &[String], from: usize) -> String {
    words.get(from..).unwrap_or_default().join(" ")
}

/// The phrase without leading articles and trailing chatter ("the IAEA and why …" → "IAEA").
fn subject(phrase: &str) -> String {
    let mut words: Vec<&str> = phrase.split(' ').filter(|w| !w.is_empty()).collect();
    if let Some(cut) = words.iter().position(|w| *w == "and") {
        words.truncate(cut);
    }
    while words
        .first()
        .is_some_and(|w| matches!(*w, "the" | "a" | "an" | "in" | "exactly" | "on" | "about"))
    {
        words.remove(0);
    }
    while words.last().is_some_and(|w| {
        matches!(
            *w,
            "mechanism"
                | "about"
                | "matter"
                | "matters"
                | "mean"
                | "doing"
                | "do"
                | "take"
                | "place"
        ) && words.len() > 1
    }) {
        words.pop();
    }
    words.join(" ")
}

/// The candidate invocations for a question, best first (module docs).
fn routes(corpus: &Indexed, words: &[String]) -> Vec<Invocation> {
    let countries = Countries::new(corpus);
    let w = |i: usize| words.get(i).map(String::as_str).unwrap_or_default();
    let mut out = Vec::new();
    // who is X / tell me about X
    let who_is = match (w(0), w(1), w(2)) {
        ("who", "is", "exactly") => Some(3),
        ("who", "exactly", "is") => Some(3),
        ("who", "is", _) | ("tell", "me", _) if w(0) == "who" || w(2) == "about" => {
            Some(if w(0) == "tell" { 3 } else { 2 })
        }
        ("whos", _, _) => Some(1),
        _ => None,
    };
    if let Some(from) = who_is {
        let x = subject(&rest(words, from));
        out.extend(person_routes(corpus, &countries, &x, |id| {
            Invocation::new("who").arg("name", id)
        }));
        return out;
    }
    // what did X say (about T)
    if let Some(verb) = words.iter().rposition(|x| SAY_VERBS.contains(&x.as_str()))
        && verb >= 1
        && matches!(w(0), "what" | "whats" | "how")
    {
        let start = match w(1) {
            "did" | "does" | "do" | "has" | "have" | "is" | "was" => 2,
            _ => 1,
        };
        let raw = words[start.min(verb)..verb].join(" ");
        let x = subject(&raw);
        let t = topic_after(words, verb + 1);
        if !x.is_empty() {
            let person = is_name(corpus, &x);
            // "what did the IAEA report say": a subject that names no one may be a topic,
            // which then comes first. Never for a person ("what did Ryabkov say?" is about
            // what Ryabkov said, and nothing when he said nothing).
            let topic = (!person)
                .then(|| {
                    lookup::find(corpus, Kind::Topic, &x, |id| {
                        Invocation::new("context").arg("topic", id)
                    })
                    .ok()
                })
                .flatten()
                .map(|i| corpus.topics[i].id.clone());
            if let (Some(id), None) = (&topic, &t) {
                out.push(Invocation::new("context").arg("topic", id));
            }
            if raw != x {
                // "the joint statement" is an attribution as written.
                out.extend(statement_routes(corpus, &countries, &raw, t.as_deref()));
            }
            out.extend(statement_routes(corpus, &countries, &x, t.as_deref()));
            if let (Some(id), Some(_)) = (&topic, &t) {
                // "what did the joint statement say about sanctions": that topic's statements.
                out.push(Invocation::new("statements").arg("topic", id));
            }
            if !person && t.is_none() {
                out.extend(topic_routes(corpus, &x));
            }
        }
        return out;
    }
    // the latest on T / any news on T
    if let Some(on) = words.iter().position(|x| x == "on")
        && words[..on].iter().any(|x| x == "latest" || x == "news")
    {
        out.extend(topic_routes(corpus, &subject(&rest(words, on + 1))));
        return out;
    }
    // what happened on D
    if w(0) == "what" && w(1) == "happened" {
        if let Some(day) = date_in(corpus, &words[2..]) {
            // Statements give their day as a weekday ("said on Friday"): search it by that
            // name, then by the date itself (articles and events).
            if let Ok(date) = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
                out.push(Invocation::new("search").arg("query", &date.format("%A").to_string()));
            }
            out.push(Invocation::new("search").arg("query", &day));
        } else if w(2) != "in" {
            out.extend(topic_routes(corpus, &subject(&rest(words, 2))));
        }
        return out;
    }
    // how many articles
    if w(0) == "how" && w(1) == "many" {
        if w(2).starts_with("article") {
            out.push(Invocation::new("articles"));
            return out;
        }
        out.extend(who_did(corpus, &countries, &words[2..]));
        return out;
    }
    // what is T / why T / when did T
    if matches!(w(0), "what" | "whats" | "why" | "when") {
        let from = match w(1) {
            "is" | "was" | "are" | "were" | "did" | "does" | "do" => 2,
            _ => 1,
        };
        out.extend(topic_routes(corpus, &subject(&rest(words, from))));
        return out;
    }
    // who <verb> … / which X are …
    if matches!(w(0), "who" | "which") {
        out.extend(who_did(corpus, &countries, &words[1..]));
        return out;
    }
    // "wang yi on the security council": X on T
    if let Some(on) = words.iter().position(|x| x == "on")
        && on >= 1
    {
        let x = words[..on].join(" ");
        out.extend(statement_routes(
            corpus,
            &countries,
            &x,
            topic_after(words, on).as_deref(),
        ));
    }
    out
}

/// The topic after the verb: "about T" or "on T" (not a day: "on friday" is not a topic).
fn topic_after(words: &[String], from: usize) -> Option<String> {
    let next = words.get(from)?;
    if !matches!(next.as_str(), "about" | "on" | "regarding") {
        return None;
    }
    let t = subject(&rest(words, from + 1));
    (!t.is_empty() && weekday(&t).is_none() && !t.starts_with("march")).then_some(t)
}

/// People named by `x`: the phrase itself, then a country + role ("Iran's deputy foreign
/// minister", "the russian deputy foreign minister"): that country's holders of the role.
fn person_routes(
    corpus: &Indexed,
    countries: &Countries,
    x: &str,
    make: impl Fn(&str) -> Invocation,
) -> Vec<Invocation> {
    let mut out = Vec::new();
    if x.is_empty() {
        return out;
    }
    // "the head of the IAEA": the one person of that organization.
    if let Some(org) = ["head of ", "chief of ", "leader of "]
        .iter()
        .find_map(|lead| x.strip_prefix(lead))
    {
        let members: Vec<usize> = (0..corpus.people.len())
            .filter(|&p| {
                corpus.people[p].appearances.iter().any(|&a| {
                    let a = corpus.participant(a);
                    let mut texts = vec![a.organization.as_str()];
                    texts.extend(a.description.as_deref());
                    lookup::holds_every_word(&texts, org)
                })
            })
            .collect();
        if members.len() == 1 {
            out.push(make(&corpus.people[members[0]].id));
        }
    }
    if !is_name(corpus, x)
        && let Some((people, role)) = of_country(countries, x)
    {
        let holders: Vec<usize> = people
            .into_iter()
            .filter(|&p| !role.is_empty() && holds_role(corpus, p, &role))
            .collect();
        if holders.len() == 1 {
            out.push(make(&corpus.people[holders[0]].id));
        }
    }
    out.push(make(x));
    out
}

/// Whether a person's name, alias or title matches `phrase` (not a role or description alone).
fn is_name(corpus: &Indexed, phrase: &str) -> bool {
    corpus
        .index
        .search(phrase, &[Kind::Person], 1)
        .first()
        .is_some_and(|hit| hit.score > crate::search::BEYOND_NAMES)
}

/// Whether every content word of `role` is in one of the person's roles or organizations.
fn holds_role(corpus: &Indexed, person: usize, role: &str) -> bool {
    let person = &corpus.people[person];
    let texts: Vec<&str> = person
        .appearances
        .iter()
        .map(|&a| corpus.participant(a))
        .flat_map(|a| [a.role.as_str(), a.organization.as_str()])
        .collect();
    lookup::holds_every_word(&texts, role)
}

/// The country step: when a word of `phrase` names a country of the corpus's people (by the
/// country table's names, demonyms and abbreviations, [`crate::country`]: "Americans", "UK",
/// "Iranian"; or a demonym-like form of a one-word country missing from the table), that
/// country's people and the phrase's other words.
fn of_country(countries: &Countries, phrase: &str) -> Option<(Vec<usize>, String)> {
    let words: Vec<&str> = phrase.split(' ').filter(|w| !w.is_empty()).collect();
    for (i, word) in words.iter().enumerate() {
        let pair = words.get(i + 1).map(|next| format!("{word} {next}"));
        let known = pair
            .as_deref()
            .and_then(crate::country::find)
            .or_else(|| crate::country::find(word))
            .or_else(|| word.strip_suffix('s').and_then(crate::country::find));
        let named: Vec<&str> = countries
            .get()
            .iter()
            .filter(|(folded, _, table)| {
                names_country(word, folded)
                    || known
                        .zip(*table)
                        .is_some_and(|(k, t)| crate::country::same(k, t))
            })
            .map(|(_, country, _)| *country)
            .collect();
        if named.is_empty() {
            continue;
        }
        let people = countries.people_of(&named);
        if !people.is_empty() {
            let others: Vec<&str> = words
                .iter()
                .enumerate()
                .filter(|&(j, w)| j != i && *w != "s" && !is_stop_word(w))
                .map(|(_, w)| *w)
                .collect();
            return Some((people, others.join(" ")));
        }
    }
    None
}

/// The distinct countries of the corpus's people, folded and as written: found at most once
/// per question, and only when a route needs them (a name needs no country step).
type Known<'a> = (String, &'a str, Option<&'static crate::country::Country>);

struct Countries<'a> {
    corpus: &'a Indexed,
    /// (folded, as written, the country table's row).
    found: std::cell::OnceCell<Vec<Known<'a>>>,
}

impl<'a> Countries<'a> {
    fn new(corpus: &'a Indexed) -> Countries<'a> {
        Countries {
            corpus,
            found: std::cell::OnceCell::new(),
        }
    }

    fn get(&self) -> &[Known<'a>] {
        self.found.get_or_init(|| {
            self.corpus
                .countries()
                .found
                .iter()
                .map(|(country, _)| {
                    (
                        fold(country),
                        country.as_str(),
                        crate::country::find(country),
                    )
                })
                .collect()
        })
    }

    /// The people with an appearance in one of `named` (countries as written), ascending.
    fn people_of(&self, named: &[&str]) -> Vec<usize> {
        let mut people: Vec<usize> = self
            .corpus
            .countries()
            .found
            .iter()
            .filter(|(country, _)| named.contains(&country.as_str()))
            .flat_map(|(_, people)| people.iter().copied())
            .collect();
        people.sort_unstable();
        people.dedup();
        people
    }
}

/// Whether `word` is a one-word country name or its demonym: the same word, or the same first
/// [`DEMONYM_STEM`] letters with at most [`DEMONYM_ENDING`] letters more ("iranian", "chinese").
fn names_country(word: &str, country: &str) -> bool {
    if country.is_empty() || country.contains(' ') || word.len() < DEMONYM_STEM {
        return false;
    }
    word == country
        || (word.len() <= country.len() + DEMONYM_ENDING
            && word.len() >= country.len()
            && word.as_bytes()[..DEMONYM_STEM]
                == country.as_bytes()[..DEMONYM_STEM.min(country.len())])
}

const DEMONYM_STEM: usize = 4;
const DEMONYM_ENDING: usize = 4;

/// `/statements` for speaker `x` (a person, a source, or a country's people) and topic `t`.
fn statement_routes(
    corpus: &Indexed,
    countries: &Countries,
    x: &str,
    t: Option<&str>,
) -> Vec<Invocation> {
    let topics: Vec<String> = match t {
        None => vec![],
        Some(t) => topic_ids(corpus, t),
    };
    let make = |speaker: &str| -> Vec<Invocation> {
        let base = Invocation::new("statements").arg("speaker", speaker);
        let mut list: Vec<Invocation> = topics
            .iter()
            .map(|topic| base.clone().arg("topic", topic))
            .collect();
        list.push(base);
        list
    };
    let mut out = Vec::new();
    if !is_name(corpus, x)
        && let Some((people, role)) = of_country(countries, x)
    {
        // A country speaks through its people: the most quoted first.
        let mut people: Vec<usize> = people
            .into_iter()
            .filter(|&p| role.is_empty() || holds_role(corpus, p, &role))
            .collect();
        people.sort_by_key(|&p| std::cmp::Reverse(corpus.quotes.said_by(p).len()));
        // No role: the country as a whole first (/statements lists every speaker from it and
        // every source naming it), then its most quoted people one by one.
        if role.is_empty() {
            out.extend(topics.iter().map(|topic| {
                Invocation::new("statements")
                    .arg("speaker", x)
                    .arg("topic", topic)
            }));
        }
        for p in people.into_iter().take(MAX_COUNTRY_SPEAKERS) {
            let id = &corpus.people[p].id;
            out.extend(topics.iter().map(|topic| {
                Invocation::new("statements")
                    .arg("speaker", id)
                    .arg("topic", topic)
            }));
        }
        // Then a source named by the country ("Russia"), on the topic and without it.
        out.extend(make(x));
        return out;
    }
    out.extend(make(x));
    out
}

/// The topics `t` may mean: the one the lookup finds, else those it asks between.
fn topic_ids(corpus: &Indexed, t: &str) -> Vec<String> {
    let id = |target: crate::search::Target| corpus.topics[target.index as usize].id.clone();
    if let Some(i) = corpus.topic_index(t) {
        return vec![corpus.topics[i].id.clone()];
    }
    match resolve(&corpus.index, t, Kind::Topic) {
        Resolution::Found(target) => vec![id(target)],
        Resolution::Ambiguous(targets) => targets.into_iter().take(MAX_TOPICS).map(id).collect(),
        Resolution::NotFound(_) => topic_hit(corpus, t).into_iter().collect(),
    }
}

/// The index's best topic for a phrase, when it holds most of its content words.
fn topic_hit(corpus: &Indexed, phrase: &str) -> Option<String> {
    let content: Vec<&str> = phrase
        .split(' ')
        .filter(|w| !w.is_empty() && !is_stop_word(w))
        .collect();
    if content.is_empty() {
        return None;
    }
    for hit in corpus.index.search(phrase, &[Kind::Topic], 3) {
        let topic = &corpus.topics[hit.target.index as usize];
        let mut texts: Vec<&str> = vec![topic.title.as_str(), topic.id.as_str()];
        texts.extend(topic.aliases.iter().map(String::as_str));
        texts.extend(corpus.topic_texts(topic).map(|(_, text)| text));
        let words = lookup::text_words(&texts);
        let held = content
            .iter()
            .filter(|w| lookup::holds_every_word_of(&words, w))
            .count();
        if held as f32 >= TOPIC_SHARE * content.len() as f32 {
            return Some(topic.id.clone());
        }
    }
    None
}

/// `/context` for a phrase: as typed, then the index's best topic for it.
fn topic_routes(corpus: &Indexed, t: &str) -> Vec<Invocation> {
    let mut out = Vec::new();
    if t.is_empty() {
        return out;
    }
    out.push(Invocation::new("context").arg("topic", t));
    // The index's best topic is only tried when the topic as typed finds none (`/context`
    // answers whenever its lookup does), so it is not looked for otherwise.
    let typed = lookup::find(corpus, Kind::Topic, t, |id| {
        Invocation::new("context").arg("topic", id)
    })
    .is_ok();
    if !typed && let Some(id) = topic_hit(corpus, t) {
        out.push(Invocation::new("context").arg("topic", &id));
    }
    out
}

/// "who took part in …", "who represented Russia …", "which Americans …", "how many people …":
/// the search for what they did, then the people of the article about the topic named (the one
/// with the most participants), of the country named when there is one.
fn who_did(corpus: &Indexed, countries: &Countries, words: &[String]) -> Vec<Invocation> {
    let mut out = Vec::new();
    let content: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !is_stop_word(w) && !QUESTION_WORDS.contains(w))
        // A date narrows nothing here: "who chaired the meeting on March 14".
        .filter(|w| {
            !w.chars().all(|c| c.is_ascii_digit())
                && !MONTHS
                    .iter()
                    .any(|m| w.starts_with(m) && w.len() <= 9 && MONTH_NAMES.contains(w))
        })
        .collect();
    if content.is_empty() {
        return out;
    }
    let country = of_country(countries, &content.join(" "));
    let took_part = content.iter().any(|w| PARTICIPATION.contains(w));
    if !took_part && linked(corpus, &content) {
        out.push(Invocation::new("search").arg("query", &content.join(" ")));
    }
    let country_name = country.as_ref().and_then(|(people, _)| {
        people
            .first()
            .map(|&p| corpus.people[p].current().country.clone())
    });
    let about: Vec<&str> = content
        .iter()
        .copied()
        .filter(|w| {
            !PARTICIPATION.contains(w)
                && !matches!(*w, "people" | "story" | "part")
                && !countries.get().iter().any(|(c, _, _)| names_country(w, c))
                && crate::country::find(w).is_none()
        })
        .collect();
    let article = topic_hit(corpus, &about.join(" ")).and_then(|id| {
        let topic = corpus.topic_index(&id)?;
        corpus.topics[topic]
            .items
            .iter()
            .map(|at| at.article)
            .max_by_key(|&a| (corpus.articles[a].participants.len(), std::cmp::Reverse(a)))
    });
    // "who represented Iran in Beijing": of that country's people, the one in the most of the
    // topic's articles, when one is ahead.
    if content.iter().any(|w| w.starts_with("represent"))
        && let (Some((people, _)), Some(topic)) = (&country, topic_hit(corpus, &about.join(" ")))
        && let Some(topic) = corpus.topic_index(&topic)
    {
        let articles: Vec<usize> = corpus.topics[topic]
            .items
            .iter()
            .map(|at| at.article)
            .collect();
        let mut ranked: Vec<(usize, usize)> = people
            .iter()
            .map(|&p| {
                let n = corpus.people[p]
                    .appearances
                    .iter()
                    .filter(|a| articles.contains(&a.article))
                    .count();
                (n, p)
            })
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        if let [(first, p), rest @ ..] = ranked.as_slice()
            && *first > 0
            && rest.first().is_none_or(|(second, _)| second < first)
        {
            out.push(Invocation::new("who").arg("name", &corpus.people[*p].id));
        }
    }
    if article.is_some() || country_name.is_some() {
        let mut invocation = Invocation::new("participants");
        if let Some(a) = article {
            invocation = invocation.arg("article", &corpus.articles[a].id);
        }
        if let Some(country) = &country_name {
            invocation = invocation.arg("country", country);
        }
        out.push(invocation);
    }
    if took_part && linked(corpus, &content) {
        out.push(Invocation::new("search").arg("query", &content.join(" ")));
    }
    out
}

/// Words that ask who was there rather than who did something.
const PARTICIPATION: &[&str] = &[
    "took",
    "attended",
    "represented",
    "participated",
    "present",
    "attend",
    "represent",
];

/// Whether a word of the question names something the corpus holds (a person or topic name):
/// only then may it go to a free-text search.
fn linked(corpus: &Indexed, content: &[&str]) -> bool {
    content.iter().any(|w| {
        w.len() >= 4
            && corpus
                .index
                .search(w, &[Kind::Person, Kind::Topic], 1)
                .first()
                .is_some_and(|hit| hit.score > crate::search::BEYOND_NAMES)
    })
}

/// A date in the question as `YYYY-MM-DD`: an ISO date, "March 14", or a weekday (the newest
/// day of that weekday among the corpus's event dates).
fn date_in(corpus: &Indexed, words: &[String]) -> Option<String> {
    let words: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !matches!(*w, "on" | "the"))
        .collect();
    let text = words.join(" ");
    if let Some(iso) = words
        .windows(3)
        .find_map(|w| chrono::NaiveDate::parse_from_str(&w.join("-"), "%Y-%m-%d").ok())
    {
        return Some(iso.format("%Y-%m-%d").to_string());
    }
    let days = corpus.days();
    if let Some(target) = weekday(&text) {
        use chrono::Datelike;
        return days
            .iter()
            .rev()
            .find(|d| d.weekday() == target)
            .map(|d| d.format("%Y-%m-%d").to_string());
    }
    for pair in words.windows(2) {
        let month = MONTHS
            .iter()
            .position(|m| pair[0].starts_with(m) && pair[0].len() >= 3);
        if let (Some(month), Ok(day)) = (month, pair[1].parse::<u32>()) {
            use chrono::Datelike;
            // The year the corpus's dates are of, else none.
            let year = days.last().map(|d| d.year())?;
            let date = chrono::NaiveDate::from_ymd_opt(year, month as u32 + 1, day)?;
            return Some(date.format("%Y-%m-%d").to_string());
        }
    }
    None
}

const MONTH_NAMES: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn weekday(text: &str) -> Option<chrono::Weekday> {
    let first = text.split(' ').next()?;
    [
        ("monday", chrono::Weekday::Mon),
        ("tuesday", chrono::Weekday::Tue),
        ("wednesday", chrono::Weekday::Wed),
        ("thursday", chrono::Weekday::Thu),
        ("friday", chrono::Weekday::Fri),
        ("saturday", chrono::Weekday::Sat),
        ("sunday", chrono::Weekday::Sun),
    ]
    .into_iter()
    .find(|(name, _)| *name == first)
    .map(|(_, day)| day)
}

/// Question completions built from the corpus, for autocomplete on `question`: the opening
/// typed ("what did", "who is", "what is") finished with the people or topics the index finds
/// for the rest; with no opening, each kind of question about what the words find; with no
/// input, questions about the most quoted people and most cited topics. At most
/// [`super::complete::MAX_CHOICES`], each within [`super::complete::MAX_CHOICE_LEN`].
pub fn complete(corpus: &Indexed, partial: &str) -> Vec<super::complete::Choice> {
    use super::complete::{Choice, MAX_CHOICE_LEN, MAX_CHOICES, cut};
    let partial: String = partial.chars().take(MAX_CHOICE_LEN).collect();
    let folded = fold(&partial);
    let person = |p: usize| corpus.people[p].name.clone();
    let topic = |t: usize| corpus.topics[t].title.clone();
    let people = |query: &str| -> Vec<String> {
        if query.is_empty() {
            return corpus
                .quotes
                .most_quoted()
                .iter()
                .map(|&p| person(p as usize))
                .collect();
        }
        corpus
            .index
            .search(query, &[Kind::Person], MAX_CHOICES)
            .iter()
            .map(|hit| person(hit.target.index as usize))
            .collect()
    };
    let topics = |query: &str| -> Vec<String> {
        if query.is_empty() {
            return corpus
                .quotes
                .most_cited()
                .iter()
                .map(|&t| topic(t as usize))
                .collect();
        }
        corpus
            .index
            .search(query, &[Kind::Topic], MAX_CHOICES)
            .iter()
            .map(|hit| topic(hit.target.index as usize))
            .collect()
    };
    let mut questions: Vec<String> = Vec::new();
    if let Some(rest) = folded.strip_prefix("what did") {
        questions.extend(
            people(rest.trim())
                .into_iter()
                .map(|n| format!("what did {n} say?")),
        );
    } else if let Some(rest) = folded.strip_prefix("who is") {
        questions.extend(
            people(rest.trim())
                .into_iter()
                .map(|n| format!("who is {n}?")),
        );
    } else if let Some(rest) = folded.strip_prefix("what is") {
        questions.extend(
            topics(rest.trim())
                .into_iter()
                .map(|t| format!("what is {t}?")),
        );
    } else {
        let rest = folded.trim();
        for n in people(rest).into_iter().take(MAX_CHOICES / 2) {
            questions.push(format!("what did {n} say?"));
            questions.push(format!("who is {n}?"));
        }
        questions.extend(topics(rest).into_iter().map(|t| format!("what is {t}?")));
    }
    let mut seen = std::collections::HashSet::new();
    questions
        .into_iter()
        .filter(|q| seen.insert(q.clone()))
        .take(MAX_CHOICES)
        .map(|q| {
            let q = cut(&q, MAX_CHOICE_LEN);
            Choice {
                name: q.clone(),
                value: q,
            }
        })
        .collect()
}
