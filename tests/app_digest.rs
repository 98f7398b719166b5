//! `/digest` through the bot's one dispatch point: answered from the store for admins in their
//! server, refused to everyone else, and the scheduler woken after each change.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use briefing_bot::app::App;
use briefing_bot::digest::store::Store;
use briefing_bot::live::Live;
use briefing_bot::load::LoadConfig;
use briefing_bot::slash::parse;

fn app(db: &Path) -> (App, Arc<tokio::sync::Notify>) {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let live = Arc::new(Live::load(&data, LoadConfig::default()).unwrap());
    App::new(live).with_digests(Store::open(db).unwrap())
}

#[tokio::test]
async fn admins_subscribe_and_list_in_their_server_and_the_scheduler_wakes() {
    let dir = tempfile::tempdir().unwrap();
    let (app, wake) = app(&dir.path().join("briefing.db"));
    let subscribe =
        parse("/digest subscribe channel:555 schedule:\"weekdays 17:30\" timezone:Europe/London")
            .unwrap();
    let reply = app.answer_in(&subscribe, true, Some(42));
    assert!(reply.ok, "{}", reply.to_text());
    // The change rang the scheduler's bell.
    tokio::time::timeout(Duration::from_secs(1), wake.notified())
        .await
        .expect("the scheduler is woken after a subscribe");

    let list = app
        .answer_in(&parse("/digest list").unwrap(), true, Some(42))
        .to_text();
    assert!(list.contains("weekdays 17:30"), "{list}");
    assert!(list.contains("Europe/London"), "{list}");
    // Another server does not see it.
    let other = app
        .answer_in(&parse("/digest list").unwrap(), true, Some(7))
        .to_text();
    assert!(!other.contains("weekdays 17:30"), "{other}");
}

#[test]
fn members_without_manage_server_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app(&dir.path().join("briefing.db"));
    let subscribe = parse("/digest subscribe channel:555 schedule:\"weekends 09:15\"").unwrap();
    let reply = app.answer_in(&subscribe, false, Some(42));
    assert!(!reply.ok);
    assert!(reply.body.contains("Manage Server"), "{}", reply.body);
    let list = app
        .answer_in(&parse("/digest list").unwrap(), true, Some(42))
        .to_text();
    assert!(!list.contains("weekends 09:15"), "{list}");
}

#[test]
fn without_a_store_digests_say_they_are_off() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let app = App::new(Arc::new(Live::load(&data, LoadConfig::default()).unwrap()));
    let reply = app.answer_in(&parse("/digest list").unwrap(), true, Some(42));
    assert!(!reply.ok);
    assert_eq!(reply.title, "Digests and follows are off");
}
