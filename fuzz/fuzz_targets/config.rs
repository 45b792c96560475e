//! Arbitrary text as `duiyi.toml`: an error naming line and column or settings, never a
//! panic.
#![no_main]

use std::path::Path;

use duiyi::project::parse_config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = parse_config(text, Path::new("duiyi.toml"));
});
