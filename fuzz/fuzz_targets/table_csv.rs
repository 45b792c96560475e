//! Arbitrary bytes as a bilingual CSV table (`duiyi import LANG FILE.csv`): an error naming a
//! line or the entries, never a panic.
#![no_main]

use std::path::Path;

use duiyi::store::exchange::{Format, read_table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = read_table(Path::new("fuzz.csv"), data, Format::Csv);
});
