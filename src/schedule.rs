//! When a subscription posts: parsing a schedule and a time zone, and the next slot after an
//! instant, right across daylight-saving changes.
//!
//! A schedule is a rule on the *local* wall clock of the subscription's zone ("daily 08:00" in
//! Europe/London). It is matched by croner on naive local times, and each local match is turned
//! into an instant here, where the two daylight-saving cases are decided once:
//!
//! - a local time that does not exist (skipped by a spring-forward) posts at the first instant
//!   after the gap: 01:30 on the day London moves from 01:00 GMT to 02:00 BST posts at 02:00 BST;
//!   several skipped local times land on that one instant and post once;
//! - a local time that happens twice (a fall-back) posts at its first occurrence only.
//!
//! A slot is identified by its instant (UTC seconds), so "exactly once per slot" has one meaning
//! whatever the zone does.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};

/// How far past a local time to look for the end of a daylight-saving gap. Real gaps are an hour
/// or so; Samoa skipped a whole day in 2011.
const LONGEST_GAP_MINUTES: i64 = 2 * 24 * 60;

/// How many local matches to pass over (repeated or collapsed times) before giving up on a slot.
const MAX_PASSED_OVER: usize = 1000;

/// A parsed schedule: the text as the user wrote it and the cron rule it means.
#[derive(Debug, Clone)]
pub struct Schedule {
    text: String,
    cron: Cron,
}

/// A schedule or zone that does not parse. The message says what was wrong and shows an example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError(pub String);

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScheduleError {}

/// What a schedule may look like, for error messages.
pub const SCHEDULE_EXAMPLES: &str = "\"daily 08:00\", \"weekdays 17:30\", or a cron expression with five fields (minute hour day-of-month month day-of-week) such as \"30 17 * * 1-5\"";

impl Schedule {
    /// Parses "daily HH:MM", "weekdays HH:MM", "weekends HH:MM" or a five-field cron expression
    /// (standard Unix fields: 0 and 7 are Sunday; names such as MON and JAN; L, W and #).
    pub fn parse(text: &str) -> Result<Schedule, ScheduleError> {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return Err(ScheduleError(format!(
                "the schedule is empty; write {SCHEDULE_EXAMPLES}"
            )));
        }
        let lower = text.to_ascii_lowercase();
        let words: Vec<&str> = lower.split(' ').collect();
        let pattern = match words.as_slice() {
            [days @ ("daily" | "weekdays" | "weekends"), time] => {
                let (hour, minute) = parse_clock(time).ok_or_else(|| {
                    ScheduleError(format!(
                        "\"{time}\" in the schedule \"{text}\" is not a time of day; write it as HH:MM, e.g. \"{days} 08:00\""
                    ))
                })?;
                let dow = match *days {
                    "daily" => "*",
                    "weekdays" => "1-5",
                    _ => "0,6",
                };
                format!("{minute} {hour} * * {dow}")
            }
            [days @ ("daily" | "weekdays" | "weekends")] => {
                return Err(ScheduleError(format!(
                    "the schedule \"{text}\" needs a time of day, e.g. \"{days} 08:00\""
                )));
            }
            _ if words.len() == 5 => text.clone(),
            _ => {
                return Err(ScheduleError(format!(
                    "\"{text}\" is not a schedule; write {SCHEDULE_EXAMPLES}"
                )));
            }
        };
        let cron = CronParser::builder()
            .seconds(Seconds::Disallowed)
            .year(Year::Disallowed)
            .build()
            .parse(&pattern)
            .map_err(|err| {
                ScheduleError(format!(
                    "the cron expression \"{text}\" does not parse ({err}); write {SCHEDULE_EXAMPLES}"
                ))
            })?;
        Ok(Schedule { text, cron })
    }

    /// The schedule as the user wrote it (spaces normalized).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The first slot strictly after `after`, in zone `zone`. `None` only when the rule never
    /// matches again (e.g. "0 0 30 2 *").
    pub fn next_slot(&self, zone: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut local = after.with_timezone(&zone).naive_local();
        for _ in 0..MAX_PASSED_OVER {
            let candidate = self.cron.find_next_occurrence(&local, false).ok()?;
            let instant = instant_of(zone, candidate)?;
            if instant > after {
                return Some(instant);
            }
            // A repeated hour's second pass, or a skipped time collapsed onto a slot already
            // passed: that slot was (or will be) posted at its first instant.
            local = candidate;
        }
        None
    }

    /// The slots in `(after, until]`, oldest first, at most `limit` of the newest.
    pub fn slots_between(
        &self,
        zone: Tz,
        after: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Vec<DateTime<Utc>> {
        let mut slots = std::collections::VecDeque::new();
        let mut cursor = after;
        while let Some(slot) = self.next_slot(zone, cursor) {
            if slot > until {
                break;
            }
            if slots.len() == limit {
                slots.pop_front();
            }
            slots.push_back(slot);
            cursor = slot;
        }
        slots.into()
    }
}

/// Parses an IANA zone name, ignoring case ("europe/london" is Europe/London). "UTC" by default.
pub fn parse_zone(name: &str) -> Result<Tz, ScheduleError> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(Tz::UTC);
    }
    if let Ok(zone) = Tz::from_str(name) {
        return Ok(zone);
    }
    chrono_tz::TZ_VARIANTS
        .iter()
        .copied()
        .find(|zone| zone.name().eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            ScheduleError(format!(
                "\"{name}\" is not an IANA time zone; write a name such as \"Europe/London\", \"America/New_York\" or \"UTC\""
            ))
        })
}

/// The instant a local wall-clock time stands for in `zone`: the earlier one when the time
/// happens twice, the first instant after the gap when it does not happen at all.
pub fn instant_of(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, second) => Some(first.min(second).with_timezone(&Utc)),
        LocalResult::None => (1..=LONGEST_GAP_MINUTES).find_map(|minutes| {
            let later = local.checked_add_signed(TimeDelta::minutes(minutes))?;
            match zone.from_local_datetime(&later) {
                LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
                LocalResult::Ambiguous(first, second) => {
                    Some(first.min(second).with_timezone(&Utc))
                }
                LocalResult::None => None,
            }
        }),
    }
}

/// "08:00" or "8:00" → (8, 0).
fn parse_clock(text: &str) -> Option<(u32, u32)> {
    let (hour, minute) = text.split_once(':')?;
    if minute.len() != 2 || hour.is_empty() || hour.len() > 2 {
        return None;
    }
    let hour: u32 = hour.parse().ok()?;
    let minute: u32 = minute.parse().ok()?;
    (hour < 24 && minute < 60).then_some((hour, minute))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_short_forms() {
        assert_eq!(
            Schedule::parse("daily 08:00").unwrap().text(),
            "daily 08:00"
        );
        assert!(Schedule::parse("Weekdays  17:30").is_ok());
        assert!(Schedule::parse("30 17 * * MON-FRI").is_ok());
    }

    #[test]
    fn rejects_with_an_example() {
        for bad in [
            "",
            "daily",
            "daily 25:00",
            "daily 8",
            "hourly",
            "* * * * * *",
            "61 * * * *",
        ] {
            let err = Schedule::parse(bad).unwrap_err();
            assert!(err.0.contains("08:00"), "{bad}: {err}");
        }
    }

    #[test]
    fn zones_parse_ignoring_case() {
        assert_eq!(parse_zone("europe/london").unwrap(), Tz::Europe__London);
        assert_eq!(parse_zone("").unwrap(), Tz::UTC);
        assert!(
            parse_zone("Mars/Olympus")
                .unwrap_err()
                .0
                .contains("Europe/London")
        );
    }
}
