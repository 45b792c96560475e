//! Arbitrary bytes as a bilingual XLSX workbook (`duiyi import LANG FILE.xlsx`): an error or
//! the entries, never a panic.
#![no_main]

use std::path::Path;

use duiyi::store::exchange::{Format, read_table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = read_table(Path::new("fuzz.xlsx"), data, Format::Xlsx);
});
