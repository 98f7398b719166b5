//! When a statement was made, as a date: the article's relative `said` ("Thursday", "last month")
//! resolved against its `published` date.
//!
//! Articles say when something was said the way a reporter writes it: "Thursday", "on Saturday",
//! "Wednesday (March 12)", "earlier this week". A reader a month later needs the date. The rule,
//! applied to the whole phrase after [`fold`] (so case and punctuation do not matter), with a
//! leading "on" and a trailing part of the day ("morning", "evening", ...) dropped:
//!
//! 1. **An explicit date wins.** A phrase that is a day and a month ("March 12", "26 February"),
//!    optionally with a year and optionally beside a weekday ("Wednesday (March 12)"), or an ISO
//!    date (`2025-03-12`), is that day. Without a year it is the latest such day on or before
//!    publication (a statement is reported after it is made), so "December 30" in an article of
//!    2 January is the previous year's. A weekday that disagrees with the date is a warning; the
//!    date is kept.
//! 2. **A weekday is the most recent such day on or before publication.** "Thursday" in an article
//!    published on Friday 2025-03-14 is 2025-03-13; in an article published on a Thursday it is
//!    the publication day itself.
//! 3. **A few fixed phrases** ([`PHRASES`]) name a day, a week or a month counted back from
//!    publication: "today", "yesterday", "this week" / "earlier this week" (the Monday-to-Sunday
//!    week of publication), "last week", "this month" / "earlier this month", "last month".
//!    A week is shown by its Monday ("week of 2025-03-10"), a month as `2025-02`.
//!
//! "Publication" is the article's [`article_day`]: its `published` date or, for an undated
//! article (a wire copy whose page shows no date), the newest date of its events.
//!
//! 4. **Anything else cannot be resolved** ("Earlier in the week", "After the talks"): it is shown
//!    as written, and [`unresolved`] reports it as a warning with its file and field path. So is
//!    every phrase of an article without a `published` date, except an explicit date with a year.
//!
//! Phrases are matched whole, never searched inside longer text: "after the March 12 meeting"
//! is not March 12.

use std::path::PathBuf;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use crate::article::Article;
use crate::normalize::fold;
use crate::problem::Problem;

/// A resolved `said`: a day, a week (by its Monday) or a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Day(NaiveDate),
    /// The Monday of the week.
    Week(NaiveDate),
    /// The first day of the month.
    Month(NaiveDate),
}

impl std::fmt::Display for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            When::Day(day) => write!(f, "{}", day.format("%Y-%m-%d")),
            When::Week(monday) => write!(f, "week of {}", monday.format("%Y-%m-%d")),
            When::Month(first) => write!(f, "{}", first.format("%Y-%m")),
        }
    }
}

/// A phrase counted back from publication.
#[derive(Debug, Clone, Copy)]
enum Back {
    Days(u64),
    Weeks(u64),
    Months(u32),
}

/// The fixed phrases of rule 3, folded, and how far back from publication each points.
const PHRASES: &[(&str, Back)] = &[
    ("today", Back::Days(0)),
    ("yesterday", Back::Days(1)),
    ("this week", Back::Weeks(0)),
    ("earlier this week", Back::Weeks(0)),
    ("last week", Back::Weeks(1)),
    ("this month", Back::Months(0)),
    ("earlier this month", Back::Months(0)),
    ("last month", Back::Months(1)),
];

/// Words dropped before the rules apply: a leading preposition and a trailing part of the day.
const LEADING: &[&str] = &["on"];
const PART_OF_DAY: &[&str] = &["morning", "afternoon", "evening", "night"];

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// Month names and their usual abbreviations, folded, with the month number.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// Why a `said` could not be resolved, or what is odd about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// No rule reads the phrase.
    Unknown,
    /// The phrase is relative and the article has no `published` date.
    NoPublished,
    /// The phrase is not a real day ("February 30").
    NoSuchDay,
}

/// `said` resolved against `published` (`YYYY-MM-DD`, as the loader validates it), by the rules
/// of the module doc.
pub fn resolve(said: &str, published: Option<&str>) -> Result<When, Unresolved> {
    let published = published.and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok());
    let folded = fold(said);
    let mut words: Vec<&str> = crate::normalize::words(&folded)
        .filter(|w| !w.is_empty())
        .collect();
    if words.first().is_some_and(|w| LEADING.contains(w)) {
        words.remove(0);
    }
    if words.last().is_some_and(|w| PART_OF_DAY.contains(w)) {
        words.pop();
    }
    if let Some(explicit) = explicit_date(&words) {
        return explicit.day(published);
    }
    let published = published.ok_or(Unresolved::NoPublished);
    if let [word] = words.as_slice()
        && let Some(weekday) = weekday(word)
    {
        return on_or_before(published?, weekday)
            .map(When::Day)
            .ok_or(Unresolved::NoSuchDay);
    }
    let phrase = words.join(" ");
    let Some(&(_, back)) = PHRASES.iter().find(|(p, _)| *p == phrase) else {
        return Err(Unresolved::Unknown);
    };
    let published = published?;
    // The checked arithmetic fails only at the ends of chrono's calendar (year ±262,000).
    match back {
        Back::Days(n) => published.checked_sub_days(Days::new(n)).map(When::Day),
        Back::Weeks(n) => {
            let since_monday = published.weekday().num_days_from_monday();
            published
                .checked_sub_days(Days::new(u64::from(since_monday) + 7 * n))
                .map(When::Week)
        }
        Back::Months(n) => published
            .with_day(1)
            .and_then(|first| first.checked_sub_months(Months::new(n)))
            .map(When::Month),
    }
    .ok_or(Unresolved::NoSuchDay)
}

/// `said` as shown to a reader: the words as written with the date beside them, "Thursday
/// (2025-03-13)"; as written when it cannot be resolved or already is the date.
pub fn shown(said: &str, published: Option<&str>) -> String {
    match resolve(said, published) {
        Ok(when) => {
            let date = when.to_string();
            if said.contains(&date) {
                said.to_string()
            } else {
                format!("{said} ({date})")
            }
        }
        Err(_) => said.to_string(),
    }
}

/// The day an article is of: its `published` date or, when it gives none, the newest date of
/// its events (an undated wire copy is of the day it reports).
pub fn article_day(article: &Article) -> Option<&str> {
    article.published.as_deref().or_else(|| {
        article
            .events
            .iter()
            .filter_map(|e| e.date.as_deref())
            .max()
    })
}

/// A warning for every `statements[i].said` of these articles that cannot be resolved, or whose
/// weekday disagrees with its explicit date.
pub fn unresolved(articles: &[(PathBuf, Article)]) -> Vec<Problem> {
    let mut warnings = Vec::new();
    for (file, article) in articles {
        let published = article_day(article);
        // Without a publication date, one warning for the article rather than one per statement.
        let mut undated = Vec::new();
        for (i, statement) in article.statements.iter().enumerate() {
            let Some(said) = &statement.said else {
                continue;
            };
            let field = format!("statements[{i}].said");
            let message = match resolve(said, published) {
                Ok(When::Day(day)) => match stated_weekday(said) {
                    Some(stated) if stated != day.weekday() => format!(
                        "\"{said}\" names a {stated:?} but {} is a {:?}; the date is kept",
                        day.format("%Y-%m-%d"),
                        day.weekday()
                    ),
                    _ => continue,
                },
                Ok(_) => continue,
                Err(Unresolved::Unknown) => format!(
                    "\"{said}\" cannot be dated; write a weekday, a date such as \"March 12\", or \"last week\" (shown as written)"
                ),
                Err(Unresolved::NoPublished) => {
                    undated.push(field);
                    continue;
                }
                Err(Unresolved::NoSuchDay) => {
                    format!("\"{said}\" is not a day of the calendar (shown as written)")
                }
            };
            warnings.push(Problem::at_field(file, field, message));
        }
        if !undated.is_empty() {
            warnings.push(Problem::in_file(
                file,
                format!(
                    "no \"published\" date, so {} cannot be dated (shown as written): {}",
                    if undated.len() == 1 {
                        "one relative `said`"
                    } else {
                        "these relative `said`s"
                    },
                    undated.join(", ")
                ),
            ));
        }
    }
    warnings
}

/// A day and month, with a year when written.
struct Explicit {
    year: Option<i32>,
    month: u32,
    day: u32,
}

impl Explicit {
    /// The day, the year taken from `published` when not written (rule 1).
    fn day(&self, published: Option<NaiveDate>) -> Result<When, Unresolved> {
        if let Some(year) = self.year {
            return NaiveDate::from_ymd_opt(year, self.month, self.day)
                .map(When::Day)
                .ok_or(Unresolved::NoSuchDay);
        }
        let published = published.ok_or(Unresolved::NoPublished)?;
        // Invalid this year may still be valid last year (February 29).
        [published.year(), published.year() - 1]
            .into_iter()
            .filter_map(|year| NaiveDate::from_ymd_opt(year, self.month, self.day))
            .find(|day| *day <= published)
            .map(When::Day)
            .ok_or(Unresolved::NoSuchDay)
    }
}

/// Rule 1: the folded words are exactly a date, optionally with a weekday.
fn explicit_date(words: &[&str]) -> Option<Explicit> {
    let rest: Vec<&str> = match words {
        [first, rest @ ..] if weekday(first).is_some() => rest.to_vec(),
        _ => words.to_vec(),
    };
    let number = |w: &str| w.parse::<u32>().ok();
    let month = |w: &str| MONTHS.iter().find(|(m, _)| *m == w).map(|&(_, n)| n);
    let year = |w: &str| (w.len() == 4).then(|| w.parse::<i32>().ok()).flatten();
    let (month, day, year) = match rest.as_slice() {
        [y, m, d] if year(y).is_some() && number(m).is_some() => {
            (number(m)?, number(d)?, Some(year(y)?))
        }
        [m, d] if month(m).is_some() => (month(m)?, number(d)?, None),
        [d, m] if month(m).is_some() => (month(m)?, number(d)?, None),
        [m, d, y] if month(m).is_some() => (month(m)?, number(d)?, Some(year(y)?)),
        [d, m, y] if month(m).is_some() => (month(m)?, number(d)?, Some(year(y)?)),
        _ => return None,
    };
    Some(Explicit { year, month, day })
}

/// The weekday written at the start of `said`, if any ("Wednesday (March 12)").
fn stated_weekday(said: &str) -> Option<Weekday> {
    let folded = fold(said);
    folded
        .split(' ')
        .find(|w| !LEADING.contains(w))
        .and_then(weekday)
}

fn weekday(word: &str) -> Option<Weekday> {
    WEEKDAYS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|&(_, day)| day)
}

/// Rule 2: the most recent `weekday` on or before `published`.
fn on_or_before(published: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let back =
        (7 + published.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    published.checked_sub_days(Days::new(back.into()))
}
