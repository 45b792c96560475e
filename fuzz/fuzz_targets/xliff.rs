//! Arbitrary text as an XLIFF 2.x file for `duiyi import`: an error with a line or the units,
//! never a panic.
#![no_main]

use duiyi::publish::xliff;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err((line, _)) = xliff::read(text) {
        assert!(line <= text.lines().count() + 1);
    }
});
