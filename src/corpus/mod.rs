//! The loaded corpus: articles, newest first, with people and topics merged across articles, and
//! who said what counted once.
//!
//! A `Corpus` is immutable after [`Corpus::build`]: a reload builds a new one and swaps it in, so
//! a query always sees one consistent version. The corpus knows nothing of searching: it hands
//! the search index its [`Document`]s (a target, what kind of text, the text), and the index
//! never sees an article.

pub mod quotes;

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::article::{Article, ContextItem, Participant, Statement};
use quotes::Quotes;

/// What a document belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Person,
    Topic,
    Article,
    Statement,
    Event,
}

impl Target {
    /// The first target of all, where [`Corpus::each_document`] starts for every document.
    pub const FIRST: Target = Target {
        kind: Kind::Person,
        index: 0,
    };
    /// Past the last target of all.
    pub const END: Target = Target {
        kind: Kind::Event,
        index: u32::MAX,
    };
}

impl Kind {
    /// How many kinds there are: tables indexed by `Kind as usize` have this many slots.
    pub const COUNT: usize = 5;
}

/// One thing the index can find: its kind and its index in the corpus' list of that kind
/// (`people`, `topics`, `articles`, `statements`, `events`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub kind: Kind,
    pub index: u32,
}

/// What a text is to its target, which decides how much a match in it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A name, alias, title.
    Name,
    /// A role, organization, country, tags, an attribution.
    Descriptor,
    /// Running text: a summary, a topic's background, what was said.
    Body,
}

/// One searchable text, as the corpus hands it to the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document<'a> {
    pub target: Target,
    pub field: Field,
    pub text: Cow<'a, str>,
}

/// A person merged across every article that names them.
///
/// The merge rule (also in the format's docs, README "The article format"): a person is the
/// union of their entries. Each of role, organization, country and description takes the value
/// of the newest article that gives one, so a bare mention (`{"id", "name"}`) in a newer article
/// never blanks what an older one said; every spelling of the name from every article is an
/// alias; each article's own entry is kept, and found from its [`Appearance`].
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    /// The name as the newest article gives it.
    pub name: String,
    /// Every other spelling from every article, without repeats.
    pub aliases: Vec<String>,
    /// One per article the person appears in, newest first.
    pub appearances: Vec<Appearance>,
    /// The merged profile: each field from the newest appearance that gives it (`article` is the
    /// newest appearance's).
    pub profile: Profile,
}

/// Where one article presents a person: the article and the person's entry in its
/// `participants`, read with [`Corpus::participant`]. Roles change between articles and none
/// is lost. The entry is not copied: at 10k articles the copies took a tenth of the memory
/// the loaded corpus takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appearance {
    pub article: usize,
    pub participant: usize,
}

/// A person's merged fields (see the merge rule on [`Person`]).
#[derive(Debug, Clone)]
pub struct Profile {
    pub article: usize,
    pub role: String,
    pub organization: String,
    pub country: String,
    pub description: Option<String>,
}

impl Person {
    /// The person's current role, organization, country and description: each the newest one
    /// any article gives (see the merge rule above).
    pub fn current(&self) -> &Profile {
        &self.profile
    }
}

/// A person's fields as one article shows them, blanks filled from the merged profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen<'a> {
    pub role: &'a str,
    pub organization: &'a str,
    pub country: &'a str,
}

/// Each field from the first (newest) of `entries` that gives it, `article` the first's.
fn merged_profile(article: usize, entries: &[&Participant]) -> Profile {
    let first = |field: fn(&Participant) -> &str| -> String {
        entries
            .iter()
            .map(|entry| field(entry))
            .find(|value| !value.trim().is_empty())
            .unwrap_or_default()
            .to_string()
    };
    Profile {
        article,
        role: first(|p| &p.role),
        organization: first(|p| &p.organization),
        country: first(|p| &p.country),
        description: entries
            .iter()
            .find_map(|p| p.description.clone().filter(|d| !d.trim().is_empty())),
    }
}

/// A background item merged across articles by id.
#[derive(Debug, Clone)]
pub struct Topic {
    pub id: String,
    pub title: String,
    pub aliases: Vec<String>,
    /// Each article's item of this id, newest first: its text is read with
    /// [`Corpus::topic_texts`] or [`Corpus::context_item`], not copied.
    pub items: Vec<ContextRef>,
}

/// Where a context item is: article index and position in that article's `context`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContextRef {
    pub article: usize,
    pub index: usize,
}

/// Where a statement is: article index and position in that article's `statements`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatementRef {
    pub article: usize,
    pub index: usize,
}

/// Where an event is: article index and position in that article's `events`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventRef {
    pub article: usize,
    pub index: usize,
}

/// Everything the engine answers from.
#[derive(Debug)]
pub struct Corpus {
    /// Newest first (by `published`, undated last, then by id).
    pub articles: Vec<Article>,
    /// Sorted by name.
    pub people: Vec<Person>,
    /// Sorted by title.
    pub topics: Vec<Topic>,
    /// In article order (newest article first), then the article's own order.
    pub statements: Vec<StatementRef>,
    /// In article order, then the article's own order.
    pub events: Vec<EventRef>,
    /// Each person's and topic's statements, and the most quoted and cited.
    pub quotes: Quotes,
    // FxHash: every statement looks its speaker and topics up while the corpus and its index are
    // built, 80k statements at 10k articles, where SipHash cost a twentieth of the start-up.
    article_by_id: FxHashMap<String, usize>,
    person_by_id: FxHashMap<String, usize>,
    topic_by_id: FxHashMap<String, usize>,
}

/// Counts for summaries, `/healthz` and `/status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub articles: usize,
    pub people: usize,
    pub statements: usize,
    pub context: usize,
    pub events: usize,
}

/// A corpus worked out from borrowed articles, waiting for them (see [`Corpus::plan`]).
#[derive(Debug)]
pub struct Plan {
    /// The corpus' order of the articles (newest first): the index, in the articles given to
    /// [`Corpus::plan`], of the article at each place.
    order: Vec<usize>,
    people: Vec<Person>,
    topics: Vec<Topic>,
    statements: Vec<StatementRef>,
    events: Vec<EventRef>,
    article_by_id: FxHashMap<String, usize>,
    person_by_id: FxHashMap<String, usize>,
    topic_by_id: FxHashMap<String, usize>,
}

impl Plan {
    /// The corpus, given the very articles [`Corpus::plan`] read, in the same order.
    pub fn finish(self, articles: Vec<Article>) -> Corpus {
        let mut taken: Vec<Option<Article>> = articles.into_iter().map(Some).collect();
        let articles: Vec<Article> = self
            .order
            .iter()
            .filter_map(|&i| taken.get_mut(i).and_then(Option::take))
            .collect();
        let mut corpus = Corpus {
            articles,
            people: self.people,
            topics: self.topics,
            statements: self.statements,
            events: self.events,
            quotes: Quotes::default(),
            article_by_id: self.article_by_id,
            person_by_id: self.person_by_id,
            topic_by_id: self.topic_by_id,
        };
        corpus.quotes = Quotes::build(&corpus);
        corpus
    }
}

impl Corpus {
    /// Builds the corpus from validated articles (see `load::validate_article`).
    pub fn build(articles: Vec<Article>) -> Corpus {
        let borrowed: Vec<&Article> = articles.iter().collect();
        let plan = Corpus::plan(&borrowed);
        drop(borrowed);
        plan.finish(articles)
    }

    /// All of [`Corpus::build`] that only reads the articles, so that it can be done while
    /// other work reads them too (the loader's warnings); [`Plan::finish`] then takes them.
    pub fn plan(articles: &[&Article]) -> Plan {
        // Newest first; ISO dates sort as text. Undated articles go last.
        let mut order: Vec<usize> = (0..articles.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (articles[a], articles[b]);
            b.published
                .is_some()
                .cmp(&a.published.is_some())
                .then_with(|| b.published.cmp(&a.published))
                .then_with(|| a.id.cmp(&b.id))
        });
        // The article at each place of the corpus' order.
        let sorted = |a: usize| articles[order[a]];

        let mut people: Vec<Person> = Vec::new();
        // Keyed by the articles' own ids while merging: no key is copied per entry.
        let mut person_by_id: FxHashMap<&str, usize> = FxHashMap::default();
        let mut topics: Vec<Topic> = Vec::new();
        let mut topic_by_id: FxHashMap<&str, usize> = FxHashMap::default();
        let mut statements = Vec::new();
        let mut events = Vec::new();
        for a in 0..order.len() {
            let article = sorted(a);
            for (p, participant) in article.participants.iter().enumerate() {
                let appearance = Appearance {
                    article: a,
                    participant: p,
                };
                let slot = *person_by_id
                    .entry(participant.id.as_str())
                    .or_insert_with(|| {
                        people.push(Person {
                            id: participant.id.clone(),
                            name: participant.name.clone(),
                            aliases: Vec::new(),
                            appearances: Vec::new(),
                            profile: Profile {
                                article: a,
                                role: String::new(),
                                organization: String::new(),
                                country: String::new(),
                                description: None,
                            },
                        });
                        people.len() - 1
                    });
                let person = &mut people[slot];
                person.appearances.push(appearance);
                for alias in std::iter::once(&participant.name).chain(&participant.aliases) {
                    if alias != &person.name && !person.aliases.contains(alias) {
                        person.aliases.push(alias.clone());
                    }
                }
            }
            for (index, item) in article.context.iter().enumerate() {
                let slot = *topic_by_id.entry(item.id.as_str()).or_insert_with(|| {
                    topics.push(Topic {
                        id: item.id.clone(),
                        title: item.title.clone(),
                        aliases: Vec::new(),
                        items: Vec::new(),
                    });
                    topics.len() - 1
                });
                let topic = &mut topics[slot];
                topic.items.push(ContextRef { article: a, index });
                for alias in std::iter::once(&item.title).chain(&item.aliases) {
                    if alias != &topic.title && !topic.aliases.contains(alias) {
                        topic.aliases.push(alias.clone());
                    }
                }
            }
            statements.extend(
                (0..article.statements.len()).map(|index| StatementRef { article: a, index }),
            );
            events.extend((0..article.events.len()).map(|index| EventRef { article: a, index }));
        }
        drop((person_by_id, topic_by_id));
        for person in &mut people {
            let entries: Vec<&Participant> = person
                .appearances
                .iter()
                .map(|at| &sorted(at.article).participants[at.participant])
                .collect();
            let newest = person.appearances.first().map_or(0, |at| at.article);
            person.profile = merged_profile(newest, &entries);
            person.appearances.shrink_to_fit();
            person.aliases.shrink_to_fit();
        }
        for topic in &mut topics {
            topic.items.shrink_to_fit();
            topic.aliases.shrink_to_fit();
        }
        people.shrink_to_fit();
        topics.shrink_to_fit();
        statements.shrink_to_fit();
        events.shrink_to_fit();
        people.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
        topics.sort_by(|a, b| a.title.cmp(&b.title).then_with(|| a.id.cmp(&b.id)));
        let person_by_id = people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let topic_by_id = topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
        let article_by_id = (0..order.len())
            .map(|a| (sorted(a).id.clone(), a))
            .collect();
        Plan {
            order,
            people,
            topics,
            statements,
            events,
            article_by_id,
            person_by_id,
            topic_by_id,
        }
    }

    /// Every searchable text, grouped by kind in [`Kind`] order and within a kind in target
    /// order: names and aliases, roles and descriptions; topics' titles and texts; articles'
    /// titles, outlet, byline, place, tags and summaries; each statement's words together with
    /// its speaker's name, role and country and its topics' titles (so "Mao Ning JCPOA" finds
    /// what Mao Ning said on the JCPOA), its attribution and who relayed it (`via`); events.
    pub fn documents<'a>(&'a self) -> Vec<Document<'a>> {
        let mut documents = Vec::new();
        self.each_document(Target::FIRST, Target::END, |document| {
            documents.push(document)
        });
        documents
    }

    /// The documents of [`Corpus::documents`] whose target is in `from..to`, in the same
    /// order, handed to `take` one at a time: a text made for the index (a statement with its
    /// speaker) lives only until `take` returns, and two threads can take two runs.
    pub fn each_document<'a>(
        &'a self,
        from: Target,
        to: Target,
        mut take: impl FnMut(Document<'a>),
    ) {
        let mut add = |kind: Kind, index: usize, field: Field, text: Cow<'a, str>| {
            let target = Target {
                kind,
                index: index as u32,
            };
            take(Document {
                target,
                field,
                text,
            });
        };
        // The indices of `kind` (of `len` targets) in `from..to`.
        let span = |kind: Kind, len: usize| -> std::ops::Range<usize> {
            let bound = |at: Target| match at.kind.cmp(&kind) {
                std::cmp::Ordering::Less => 0,
                std::cmp::Ordering::Equal => (at.index as usize).min(len),
                std::cmp::Ordering::Greater => len,
            };
            let (start, end) = (bound(from), bound(to));
            start..end.max(start)
        };
        let texts: &'a Corpus = self;
        for i in span(Kind::Person, texts.people.len()) {
            let person = &texts.people[i];
            add(Kind::Person, i, Field::Name, Cow::Borrowed(&person.name));
            for alias in &person.aliases {
                add(Kind::Person, i, Field::Name, Cow::Borrowed(alias));
            }
            for &appearance in &person.appearances {
                let appearance = texts.participant(appearance);
                let description = appearance.description.as_deref();
                let fields = [
                    appearance.role.as_str(),
                    &appearance.organization,
                    &appearance.country,
                ];
                // Sized once; the same text as "{role} {organization} {country}", then " " and
                // the description when there is one.
                let size = fields.iter().map(|f| f.len() + 1).sum::<usize>()
                    + description.map_or(0, |d| d.len() + 1);
                let mut descriptor = String::with_capacity(size);
                for (i, field) in fields.into_iter().chain(description).enumerate() {
                    if i > 0 {
                        descriptor.push(' ');
                    }
                    descriptor.push_str(field);
                }
                add(Kind::Person, i, Field::Descriptor, Cow::Owned(descriptor));
            }
        }
        for i in span(Kind::Topic, texts.topics.len()) {
            let topic = &texts.topics[i];
            add(Kind::Topic, i, Field::Name, Cow::Borrowed(&topic.title));
            for alias in &topic.aliases {
                add(Kind::Topic, i, Field::Name, Cow::Borrowed(alias));
            }
            for (_, text) in texts.topic_texts(topic) {
                add(Kind::Topic, i, Field::Body, Cow::Borrowed(text));
            }
        }
        for i in span(Kind::Article, texts.articles.len()) {
            let article = &texts.articles[i];
            add(Kind::Article, i, Field::Name, Cow::Borrowed(&article.title));
            add(
                Kind::Article,
                i,
                Field::Name,
                Cow::Owned(article.id.replace('-', " ")),
            );
            let mut descriptor = article.tags.join(" ");
            for extra in [
                article.source.as_deref(),
                article.byline.as_ref().map(|b| b.name.as_str()),
                article.location.as_deref(),
            ]
            .into_iter()
            .flatten()
            {
                descriptor.push(' ');
                descriptor.push_str(extra);
            }
            if !descriptor.trim().is_empty() {
                add(Kind::Article, i, Field::Descriptor, Cow::Owned(descriptor));
            }
            add(
                Kind::Article,
                i,
                Field::Body,
                Cow::Borrowed(&article.summary),
            );
        }
        for i in span(Kind::Statement, texts.statements.len()) {
            let at = texts.statements[i];
            let statement = texts.statement(at);
            // Room for the speaker's name, role and country and a topic or two: no regrowth.
            let mut body = String::with_capacity(statement.text.len() + 96);
            body.push_str(&statement.text);
            if let Some(person) = statement.speaker.as_deref().and_then(|id| texts.person(id)) {
                let seen = texts.seen_in(person, Some(at.article));
                let (role, country) = seen.map_or(("", ""), |seen| (seen.role, seen.country));
                for extra in [person.name.as_str(), role, country] {
                    body.push(' ');
                    body.push_str(extra);
                }
            }
            for topic in statement.topics.iter().filter_map(|id| texts.topic(id)) {
                body.push(' ');
                body.push_str(&topic.title);
            }
            add(Kind::Statement, i, Field::Body, Cow::Owned(body));
            let source: Vec<&str> = [statement.attribution.as_deref(), statement.via.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            if !source.is_empty() {
                add(
                    Kind::Statement,
                    i,
                    Field::Descriptor,
                    Cow::Owned(source.join(" ")),
                );
            }
        }
        for i in span(Kind::Event, texts.events.len()) {
            let at = texts.events[i];
            let event = &texts.articles[at.article].events[at.index];
            let mut body = format!("{} {} {}", event.what, event.place, event.when);
            if let Some(date) = &event.date {
                body.push(' ');
                body.push_str(date);
            }
            add(Kind::Event, i, Field::Body, Cow::Owned(body));
        }
    }

    /// Where to cut [`Corpus::each_document`] into two runs of about equal work: a statement,
    /// counting a statement as three short texts, a person as one per name and appearance, a
    /// topic's or article's running text as three.
    pub fn document_midpoint(&self) -> Target {
        let people: usize = self
            .people
            .iter()
            .map(|p| 1 + p.aliases.len() + p.appearances.len())
            .sum();
        let topics: usize = self
            .topics
            .iter()
            .map(|t| 1 + t.aliases.len() + 3 * t.items.len())
            .sum();
        let before = people + topics + 6 * self.articles.len();
        let statements = 3 * self.statements.len();
        let total = before + statements + self.events.len();
        let index = (total / 2).saturating_sub(before) / 3;
        Target {
            kind: Kind::Statement,
            index: index.min(self.statements.len()) as u32,
        }
    }

    pub fn article_index(&self, id: &str) -> Option<usize> {
        self.article_by_id.get(id).copied()
    }

    pub fn person_index(&self, id: &str) -> Option<usize> {
        self.person_by_id.get(id).copied()
    }

    pub fn topic_index(&self, id: &str) -> Option<usize> {
        self.topic_by_id.get(id).copied()
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.person_index(id).map(|i| &self.people[i])
    }

    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topic_index(id).map(|i| &self.topics[i])
    }

    /// A person's entry in one article.
    pub fn participant(&self, at: Appearance) -> &Participant {
        // Invariant: every Appearance is made by `build` from the article's own list.
        &self.articles[at.article].participants[at.participant]
    }

    /// One article's context item.
    pub fn context_item(&self, at: ContextRef) -> &ContextItem {
        // Invariant: every ContextRef is made by `build` from the article's own list.
        &self.articles[at.article].context[at.index]
    }

    /// Each article's text for `topic`, newest first, with the article's index.
    pub fn topic_texts<'a>(&'a self, topic: &'a Topic) -> impl Iterator<Item = (usize, &'a str)> {
        topic
            .items
            .iter()
            .map(|&at| (at.article, self.context_item(at).text.as_str()))
    }

    /// How `person` reads in `article` (the newest appearance when `None`): that article's
    /// own fields, each blank one filled from the merged profile. `None` when the person is not
    /// in that article.
    pub fn seen_in<'p>(&'p self, person: &'p Person, article: Option<usize>) -> Option<Seen<'p>> {
        let merged = &person.profile;
        let (role, organization, country) = match article {
            None => (&merged.role, &merged.organization, &merged.country),
            Some(only) => {
                let at = person.appearances.iter().find(|a| a.article == only)?;
                let own = self.participant(*at);
                (&own.role, &own.organization, &own.country)
            }
        };
        let pick = |mine: &'p str, merged: &'p str| -> &'p str {
            if mine.trim().is_empty() { merged } else { mine }
        };
        Some(Seen {
            role: pick(role, &merged.role),
            organization: pick(organization, &merged.organization),
            country: pick(country, &merged.country),
        })
    }

    pub fn statement(&self, at: StatementRef) -> &Statement {
        // Invariant: every StatementRef is made by `build` from the article's own list.
        &self.articles[at.article].statements[at.index]
    }

    /// Who said it: the speaker's name, or the attribution for an unnamed source.
    pub fn speaker_name(&self, statement: &Statement) -> String {
        match (&statement.speaker, &statement.attribution) {
            (Some(id), _) => self
                .person(id)
                .map(|p| p.name.clone())
                .unwrap_or_else(|| id.clone()),
            (None, Some(attribution)) => attribution.clone(),
            (None, None) => "Unattributed".to_string(),
        }
    }

    pub fn counts(&self) -> Counts {
        Counts {
            articles: self.articles.len(),
            people: self.people.len(),
            statements: self.statements.len(),
            context: self.topics.len(),
            events: self.articles.iter().map(|a| a.events.len()).sum(),
        }
    }
}
