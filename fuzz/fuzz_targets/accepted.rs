//! Arbitrary text as `accepted.jsonl` (the reviewer's accepted findings): an error naming a
//! line or the acceptances, never a panic.
#![no_main]

use std::path::Path;

use duiyi::qa::accepted::Accepted;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(accepted) = Accepted::parse(text, Path::new("accepted.jsonl")) {
        let _ = accepted.covers("doc", "0000000000000000", "numbers", "中国。", "China.");
    }
});
