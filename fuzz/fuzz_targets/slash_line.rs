//! Any text as a console slash line, answered against the seed data.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use briefing_bot::console::answer_line;
use briefing_bot::live::Live;
use briefing_bot::load::LoadConfig;
use libfuzzer_sys::fuzz_target;

fn live() -> &'static Live {
    static LIVE: OnceLock<Live> = OnceLock::new();
    LIVE.get_or_init(|| {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
        Live::load(&data, LoadConfig::default()).expect("seed loads")
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(line) = std::str::from_utf8(data) {
        // /reload would re-read the disk on every input: fuzz the read-only commands.
        if line.contains("reload") {
            return;
        }
        let (reply, _, _) = answer_line(live(), line);
        assert!(!reply.title.is_empty());
    }
});
