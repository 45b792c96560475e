//! Arbitrary text as a TBX glossary (`duiyi glossary import`): an error naming a line or the
//! terms, never a panic.
#![no_main]

use std::path::Path;

use duiyi::glossary::tbx;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = tbx::parse(text, "en", "zh", Path::new("fuzz.tbx"));
});
