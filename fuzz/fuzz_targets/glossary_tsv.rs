//! Arbitrary text as a glossary file (`glossary/<lang>.tsv`): an error naming a line or the
//! terms, never a panic; what parses renders again.
#![no_main]

use std::path::Path;

use duiyi::glossary::tsv;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(glossary) = tsv::parse(text, "en", Path::new("glossary/en.tsv")) {
        let _ = tsv::render(&glossary);
    }
});
