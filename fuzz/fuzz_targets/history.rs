//! Arbitrary bytes as a history journal (`translations/<lang>/history.jsonl`), read by the
//! same function `duiyi log` uses: an error naming a line or events, never a panic.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use duiyi::store::history;
use libfuzzer_sys::fuzz_target;

static FILE: LazyLock<PathBuf> = LazyLock::new(|| {
    std::env::temp_dir().join(format!("duiyi-fuzz-history-{}.jsonl", std::process::id()))
});

fuzz_target!(|data: &[u8]| {
    if std::fs::write(&*FILE, data).is_ok() {
        let _ = history::read(&FILE);
    }
});
