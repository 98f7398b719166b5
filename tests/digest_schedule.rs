//! Schedules in a time zone: the next slot across daylight-saving changes, in both directions.

mod digest_support;

use briefing_bot::digest::schedule::{Schedule, instant_of, parse_zone};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use digest_support::utc;

fn slots(schedule: &str, zone: Tz, from: &str, until: &str) -> Vec<DateTime<Utc>> {
    Schedule::parse(schedule)
        .unwrap()
        .slots_between(zone, utc(from), utc(until), 1000)
}

#[test]
fn daily_0800_london_fires_once_at_0800_local_across_the_march_change() {
    // 2026-03-29 01:00 GMT the clocks go to 02:00 BST.
    let got = slots(
        "daily 08:00",
        Tz::Europe__London,
        "2026-03-27 12:00",
        "2026-03-31 12:00",
    );
    assert_eq!(
        got,
        vec![
            utc("2026-03-28 08:00"), // GMT
            utc("2026-03-29 07:00"), // BST: 08:00 local
            utc("2026-03-30 07:00"),
            utc("2026-03-31 07:00"),
        ]
    );
    for slot in &got {
        let local = slot.with_timezone(&Tz::Europe__London);
        assert_eq!(local.format("%H:%M").to_string(), "08:00");
    }
}

#[test]
fn daily_0800_london_fires_once_at_0800_local_across_the_october_change() {
    // 2026-10-25 02:00 BST the clocks go back to 01:00 GMT.
    let got = slots(
        "daily 08:00",
        Tz::Europe__London,
        "2026-10-23 12:00",
        "2026-10-27 12:00",
    );
    assert_eq!(
        got,
        vec![
            utc("2026-10-24 07:00"), // BST
            utc("2026-10-25 08:00"), // GMT
            utc("2026-10-26 08:00"),
            utc("2026-10-27 08:00"),
        ]
    );
}

#[test]
fn a_slot_in_the_skipped_hour_posts_once_at_the_end_of_the_gap() {
    // 01:30 does not exist in London on 2026-03-29: it posts at 02:00 BST (01:00 UTC).
    let got = slots(
        "daily 01:30",
        Tz::Europe__London,
        "2026-03-28 00:00",
        "2026-03-30 12:00",
    );
    assert_eq!(
        got,
        vec![
            utc("2026-03-28 01:30"),
            utc("2026-03-29 01:00"),
            utc("2026-03-30 00:30"),
        ]
    );
    // Four skipped quarter-hours land on one instant, posted once.
    let got = slots(
        "*/15 1 * * *",
        Tz::Europe__London,
        "2026-03-28 23:00",
        "2026-03-29 02:00",
    );
    assert_eq!(got, vec![utc("2026-03-29 01:00")]);
}

#[test]
fn a_repeated_hour_posts_once() {
    // 01:30 happens twice in London on 2026-10-25: the first (BST, 00:30 UTC) only.
    let got = slots(
        "daily 01:30",
        Tz::Europe__London,
        "2026-10-24 12:00",
        "2026-10-26 12:00",
    );
    assert_eq!(got, vec![utc("2026-10-25 00:30"), utc("2026-10-26 01:30")]);
    // Asked from inside the second pass of the hour, the next slot is tomorrow's.
    let schedule = Schedule::parse("daily 01:30").unwrap();
    assert_eq!(
        schedule.next_slot(Tz::Europe__London, utc("2026-10-25 01:10")),
        Some(utc("2026-10-26 01:30"))
    );
    // Hourly: the repeated 01:00 posts once, at its first occurrence.
    let got = slots(
        "0 * * * *",
        Tz::Europe__London,
        "2026-10-24 22:30",
        "2026-10-25 02:30",
    );
    assert_eq!(
        got,
        vec![
            utc("2026-10-24 23:00"), // 00:00 BST
            utc("2026-10-25 00:00"), // 01:00 BST
            // 01:00 GMT (01:00 UTC) is the same local hour again: not posted.
            utc("2026-10-25 02:00"), // 02:00 GMT
        ]
    );
}

#[test]
fn weekdays_skip_the_weekend_in_the_local_zone() {
    // 17:30 in New York is 21:30 UTC in summer; 2026-06-05 is a Friday.
    let got = slots(
        "weekdays 17:30",
        parse_zone("America/New_York").unwrap(),
        "2026-06-05 00:00",
        "2026-06-09 00:00",
    );
    assert_eq!(got, vec![utc("2026-06-05 21:30"), utc("2026-06-08 21:30")]);
    // Standard cron numbering: 1-5 is Monday to Friday, as "weekdays".
    let cron = slots(
        "30 17 * * 1-5",
        parse_zone("America/New_York").unwrap(),
        "2026-06-05 00:00",
        "2026-06-09 00:00",
    );
    assert_eq!(cron, got);
}

#[test]
fn the_southern_hemisphere_changes_the_other_way() {
    // Sydney leaves daylight saving on 2026-04-05 03:00 AEDT → 02:00 AEST.
    let got = slots(
        "daily 08:00",
        Tz::Australia__Sydney,
        "2026-04-03 12:00",
        "2026-04-06 12:00",
    );
    assert_eq!(
        got,
        vec![
            utc("2026-04-03 21:00"), // Sat 4 Apr 08:00 AEDT (+11)
            utc("2026-04-04 22:00"), // Sun 5 Apr 08:00 AEST (+10)
            utc("2026-04-05 22:00"),
        ]
    );
}

#[test]
fn instant_of_a_time_in_a_gap_is_the_end_of_the_gap() {
    let local = chrono::NaiveDate::from_ymd_opt(2026, 3, 29)
        .unwrap()
        .and_hms_opt(1, 59, 0)
        .unwrap();
    assert_eq!(
        instant_of(Tz::Europe__London, local),
        Some(utc("2026-03-29 01:00"))
    );
}
