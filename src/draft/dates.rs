//! Dates as news sites print them: "March 12, 2025", "12 Mar 2025", "13/12/2024 17:38",
//! "2025-03-12 10:16:44", "29-04-2024 12:43 IST", "date 2025-03-14".
//!
//! Numeric dates are read day first unless the year leads (the sites this was built on are
//! British, Indian, Gulf and Chinese English-language outlets); "03/04/2025" is therefore 3 April.
//! A date without a year ("on March 13") is only used for events, with the article's year.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

const MONTH: &str = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?";

// Invariant (all four): the patterns are constants, checked by the tests in this module.
static ISO: LazyLock<Regex> =
    // Invariant: a constant pattern (built from constant word lists), compiled by every draft test.
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b").expect("valid pattern"));
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: a constant pattern (built from constant word lists), compiled by every draft test.
    Regex::new(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\b").expect("valid pattern")
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"
    ))
    // Invariant: a constant pattern (built from constant word lists), compiled by every draft test.
    .expect("valid pattern")
});
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH},?\s+(\d{{4}})\b"
    ))
    // Invariant: a constant pattern (built from constant word lists), compiled by every draft test.
    .expect("valid pattern")
});
static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:on\s+)?{MONTH}\s+(\d{{1,2}})\b(?:,?\s+(\d{{4}}))?"
    ))
    // Invariant: a constant pattern (built from constant word lists), compiled by every draft test.
    .expect("valid pattern")
});

/// A date found in a line: the day, and the text as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub date: NaiveDate,
    pub text: String,
    /// Byte offset in the line.
    pub at: usize,
}

/// The first full date (with a year) in `line`.
pub fn find_date(line: &str) -> Option<Found> {
    let mut found: Vec<Found> = Vec::new();
    for caps in ISO.captures_iter(line) {
        push(&mut found, &caps, (&caps[1], &caps[2], &caps[3]));
    }
    for caps in NUMERIC.captures_iter(line) {
        push(&mut found, &caps, (&caps[3], &caps[2], &caps[1]));
    }
    for caps in MONTH_DAY_YEAR.captures_iter(line) {
        push(&mut found, &caps, (&caps[3], month(&caps[1]), &caps[2]));
    }
    for caps in DAY_MONTH_YEAR.captures_iter(line) {
        push(&mut found, &caps, (&caps[3], month(&caps[2]), &caps[1]));
    }
    found.into_iter().min_by_key(|f| f.at)
}

/// The first date in `text` with or without a year ("on March 13"), the year taken from `year`
/// when missing. For events.
pub fn find_day(text: &str, year: i32) -> Option<Found> {
    if let Some(found) = find_date(text) {
        return Some(found);
    }
    let caps = MONTH_DAY.captures(text)?;
    let whole = caps.get(0)?;
    let day: u32 = caps[2].parse().ok()?;
    let year = caps
        .get(3)
        .and_then(|y| y.as_str().parse().ok())
        .unwrap_or(year);
    let month: u32 = month(&caps[1]).parse().ok()?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    Some(Found {
        date,
        text: whole.as_str().trim_start_matches("on ").to_string(),
        at: whole.start(),
    })
}

fn push(found: &mut Vec<Found>, caps: &regex::Captures, (y, m, d): (&str, &str, &str)) {
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return;
    };
    if !(1990..=2100).contains(&y) {
        return;
    }
    if let (Some(date), Some(whole)) = (NaiveDate::from_ymd_opt(y, m, d), caps.get(0)) {
        found.push(Found {
            date,
            text: whole.as_str().to_string(),
            at: whole.start(),
        });
    }
}

/// "Mar" or "March" to "3".
fn month(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    match lower.get(..3).unwrap_or("") {
        "jan" => "1",
        "feb" => "2",
        "mar" => "3",
        "apr" => "4",
        "may" => "5",
        "jun" => "6",
        "jul" => "7",
        "aug" => "8",
        "sep" => "9",
        "oct" => "10",
        "nov" => "11",
        "dec" => "12",
        _ => "0",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(line: &str) -> Option<String> {
        find_date(line).map(|f| f.date.to_string())
    }

    #[test]
    fn the_forms_news_sites_print() {
        assert_eq!(ymd("Updated: March 12, 2025"), Some("2025-03-12".into()));
        assert_eq!(ymd("12 Mar 2025 | Reuters"), Some("2025-03-12".into()));
        assert_eq!(ymd("13/12/2024 17:38"), Some("2024-12-13".into()));
        assert_eq!(
            ymd("Created at 2025-03-12 10:16:44"),
            Some("2025-03-12".into())
        );
        assert_eq!(ymd("29-04-2024 12:43 IST"), Some("2024-04-29".into()));
        assert_eq!(ymd("date 2025-03-14"), Some("2025-03-14".into()));
        assert_eq!(ymd("17 July 2020 18:33"), Some("2020-07-17".into()));
        assert_eq!(ymd("Doha, May 21"), None);
        assert_eq!(ymd("31/02/2025"), None);
    }

    #[test]
    fn a_day_without_a_year_takes_the_articles_year() {
        let found =
            find_day("held in Beijing on March 14.", 2025).map(|f| (f.date.to_string(), f.text));
        assert_eq!(found, Some(("2025-03-14".into(), "March 14".into())));
    }
}
