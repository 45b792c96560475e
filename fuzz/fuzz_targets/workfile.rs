//! Arbitrary text as the `duiyi edit` working file read back: an error naming a line or the
//! entries, never a panic.
#![no_main]

use std::path::Path;

use duiyi::store::workfile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = workfile::parse(Path::new("edit-en.txt"), text, "zh", "en");
});
