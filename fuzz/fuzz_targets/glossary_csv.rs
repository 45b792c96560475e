//! Arbitrary text as a CSV glossary (`duiyi glossary import --format csv`): an error naming a
//! line or the terms, never a panic.
#![no_main]

use std::path::Path;

use duiyi::glossary::csv;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = csv::parse(text, "en", Path::new("fuzz.csv"));
});
