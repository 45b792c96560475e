//! Arbitrary text as a TMX 1.4b memory (`duiyi import LANG FILE.tmx`, `memory/*.tmx`): an
//! error or the units, never a panic; every unit's text can be asked for.
#![no_main]

use duiyi::exchange::tmx;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(memory) = tmx::read(text) {
        for unit in &memory.units {
            let _ = unit.text("zh");
            let _ = unit.text("en");
            let _ = unit.prop("x-duiyi-state");
        }
    }
});
