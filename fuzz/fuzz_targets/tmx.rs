//! Arbitrary bytes as a TMX 1.4b memory (`duiyi import LANG FILE.tmx`, `memory/*.tmx`): the
//! reader gives an error or the units, and the memory import's checks an error or a stored
//! file, never a panic.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use duiyi::exchange::tmx;
use duiyi::lang::Lang;
use duiyi::memory;
use libfuzzer_sys::fuzz_target;

static MEMORY: LazyLock<PathBuf> =
    LazyLock::new(|| std::env::temp_dir().join(format!("duiyi-fuzz-tmx-{}", std::process::id())));

static TARGETS: LazyLock<[Lang; 2]> =
    LazyLock::new(|| ["en", "fr"].map(|t| Lang::new(t).expect("a language tag")));

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(memory) = tmx::read(text)
    {
        for unit in &memory.units {
            let _ = unit.text("zh");
            let _ = unit.text("en");
            let _ = unit.prop("x-duiyi-state");
        }
    }
    let _ = memory::tmx::import(Path::new("fuzz.tmx"), data, &MEMORY, "zh", &*TARGETS, "en");
});
