//! Arbitrary text as the answer cache (`.duiyi/cache/<lang>.jsonl`): lines that do not parse
//! are skipped, nothing panics.
#![no_main]

use duiyi::backend::cache::Cache;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let map = Cache::parse(text);
    assert!(map.len() <= text.lines().count());
});
