//! Arbitrary bytes as a translation store (`translations/<lang>/<doc>.jsonl`), read as full
//! records and as the borrowed views counting uses: an error or records, never a panic.
#![no_main]

use std::path::Path;

use duiyi::store::file::parse_as;
use duiyi::store::record::{RecordView, Translation};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("translations/en/fuzz.jsonl");
    let _ = parse_as::<Translation>(path, data);
    let _ = parse_as::<RecordView<'_>>(path, data);
});
