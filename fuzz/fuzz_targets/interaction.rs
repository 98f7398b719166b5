//! Any bytes as an interaction payload (what the HTTP endpoint receives after the signature
//! check): deserialize, answer through the same handler as the gateway, serialize the response.
#![no_main]

use std::path::Path;
use std::sync::{Arc, OnceLock};

use briefing_bot::app::App;
use briefing_bot::discord::interaction::respond;
use briefing_bot::live::Live;
use briefing_bot::load::LoadConfig;
use libfuzzer_sys::fuzz_target;
use serenity::model::application::Interaction;

fn app() -> &'static App {
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
        App::new(Arc::new(Live::load(&data, LoadConfig::default()).expect("seed loads")))
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(interaction) = serde_json::from_slice::<Interaction>(data) {
        let response = respond(app(), &interaction);
        let _ = serde_json::to_vec(&response).expect("a response serializes");
    }
});
