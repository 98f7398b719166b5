//! Countries by any of the names news uses for them: "US", "U.S.", "USA", "United States",
//! "American" are one country; so are "UK", "Britain" and "British".
//!
//! The names live in one maintained table, `src/countries.tsv` (name, ISO code, kind, aliases,
//! demonyms, seats; its header says how to edit it), compiled into the binary. International
//! bodies (the EU, the UN, the IAEA, NATO) are in it too, marked `body`, so that "UN" is known
//! and never mistaken for a country.
//!
//! Two ways to match, both through [`fold`] so that "U.S." is "US" is "us":
//!
//! - **A whole value** ([`find`]): an option such as `country:USA` or `speaker:Chinese` is a
//!   country when the *whole* value, a leading "the" aside, is one of its names, aliases or
//!   demonyms. Never part of it: "Chinese analyst" is no country, and "China" never matches a
//!   name that merely contains it. ISO codes and seats are not whole values ("MA" is also a
//!   surname, "Beijing" also a city).
//! - **Named in running text** ([`named_in`]): an attribution such as "a Chinese analyst", "Iran's
//!   mission to the U.N." or "Beijing" names a country when a name, alias, demonym or seat occurs
//!   in it as whole consecutive words; a possessive ("Iran's") counts. An abbreviation (an alias
//!   written in capitals in the table: US, UK, UAE) counts only where the text writes it in
//!   capitals too, so "told us" names no country.
//!
//! A value that is no country is left to the caller, which keeps its previous behaviour.
//!
//! Why a table and not a crate: the ISO crates (celes, isocountry, iso3166) know official names,
//! codes and a few aliases, but no demonyms ("Iranian", "Emirati") and no seats ("Kremlin"), and
//! celes counts "England" and "Scotland" as names of the United Kingdom. Matching news needs
//! demonyms most of all; a table of about 80 rows says exactly what it matches and compiles to
//! nothing.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::normalize::fold;

/// The table, as committed.
const TABLE: &str = include_str!("countries.tsv");

/// A country, or an international body listed so that it is not taken for one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// The usual English name, as shown: "United States".
    pub name: &'static str,
    /// ISO 3166-1 alpha-2; `None` for a body.
    pub code: Option<&'static str>,
    pub kind: Kind,
    pub aliases: Vec<&'static str>,
    pub demonyms: Vec<&'static str>,
    /// Capitals and buildings that stand for the government in attributions: "Kremlin".
    pub seats: Vec<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Country,
    /// An international organization: the EU, the UN.
    Body,
}

impl Country {
    pub fn is_country(&self) -> bool {
        self.kind == Kind::Country
    }

    /// The name, aliases and demonyms: what a whole value may be.
    fn values(&self) -> impl Iterator<Item = &'static str> + '_ {
        std::iter::once(self.name)
            .chain(self.aliases.iter().copied())
            .chain(self.demonyms.iter().copied())
    }
}

/// The parsed table and its whole-value keys (folded, without a leading "the").
struct Table {
    countries: Vec<Country>,
    by_value: HashMap<String, usize>,
    /// Rows that could not be read, and keys shared by two rows: empty for the committed table
    /// (a test says so).
    problems: Vec<String>,
}

fn table() -> &'static Table {
    static TABLE_ONCE: OnceLock<Table> = OnceLock::new();
    TABLE_ONCE.get_or_init(|| parse(TABLE))
}

/// Every country and body of the table, in table order.
pub fn all() -> &'static [Country] {
    &table().countries
}

/// What is wrong with the committed table: malformed rows, a name used by two rows.
pub fn table_problems() -> &'static [String] {
    &table().problems
}

/// The country or body that the whole of `value` names, by the first rule of the module doc.
pub fn find(value: &str) -> Option<&'static Country> {
    let table = table();
    table
        .by_value
        .get(&key(value))
        .map(|&i| &table.countries[i])
}

/// Whether `text` (an attribution, a country field) names `country`, by the second rule of the
/// module doc.
pub fn named_in(country: &Country, text: &str) -> bool {
    // "Iran's" folds to "irans"; split the possessive off first so "Iran" stands as a word.
    let spaced = text.replace("'s", " s").replace("\u{2019}s", " s");
    let words = fold(&spaced);
    let words: Vec<&str> = words.split(' ').filter(|w| !w.is_empty()).collect();
    let capitals: Vec<String> = text
        .replace('.', "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    country
        .values()
        .chain(country.seats.iter().copied())
        .any(|name| {
            if is_abbreviation(name) {
                let bare = name.replace('.', "");
                capitals.contains(&bare)
            } else {
                contains_words(&words, &fold(name))
            }
        })
}

/// Whether two entries are the same row of the table.
pub fn same(a: &Country, b: &Country) -> bool {
    a.name == b.name
}

/// An alias written in capitals (dots allowed) is an abbreviation: "US", "U.N.", "IAEA".
fn is_abbreviation(name: &str) -> bool {
    let letters: Vec<char> = name.chars().filter(|c| *c != '.').collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_ascii_uppercase())
}

/// Whether `phrase` (folded) occurs in `words` as whole consecutive words.
fn contains_words(words: &[&str], phrase: &str) -> bool {
    let phrase: Vec<&str> = phrase.split(' ').filter(|w| !w.is_empty()).collect();
    !phrase.is_empty()
        && words
            .windows(phrase.len())
            .any(|window| window == phrase.as_slice())
}

/// The folded whole-value key: "The Netherlands" and "netherlands" are one key.
fn key(value: &str) -> String {
    let folded = fold(value);
    match folded.strip_prefix("the ") {
        Some(rest) => rest.to_string(),
        None => folded,
    }
}

/// Number of tab-separated columns of a row.
const COLUMNS: usize = 6;

fn parse(text: &'static str) -> Table {
    let mut countries = Vec::new();
    let mut by_value = HashMap::new();
    let mut problems = Vec::new();
    let list = |cell: &'static str| -> Vec<&'static str> {
        cell.split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    };
    let rows = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty())
        .skip(1); // the header
    for (n, line) in rows {
        let cells: Vec<&'static str> = line.split('\t').collect();
        let [name, code, kind, aliases, demonyms, seats] = cells.as_slice() else {
            problems.push(format!(
                "src/countries.tsv:{}: {} columns, expected {COLUMNS}",
                n + 1,
                cells.len()
            ));
            continue;
        };
        let kind = match *kind {
            "country" => Kind::Country,
            "body" => Kind::Body,
            other => {
                problems.push(format!(
                    "src/countries.tsv:{}: kind \"{other}\", expected \"country\" or \"body\"",
                    n + 1
                ));
                continue;
            }
        };
        let country = Country {
            name: name.trim(),
            code: (*code != "-").then_some(code.trim()),
            kind,
            aliases: list(aliases),
            demonyms: list(demonyms),
            seats: list(seats),
        };
        let at = countries.len();
        for value in country.values() {
            match by_value.insert(key(value), at) {
                Some(other) if other != at => problems.push(format!(
                    "src/countries.tsv:{}: \"{value}\" also names row of {}",
                    n + 1,
                    countries
                        .get(other)
                        .map_or("another row", |c: &Country| c.name)
                )),
                _ => {}
            }
        }
        countries.push(country);
    }
    Table {
        countries,
        by_value,
        problems,
    }
}
