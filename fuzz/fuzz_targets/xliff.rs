//! Arbitrary bytes as an XLIFF 2 file (`duiyi import LANG FILE.xlf`): the reader gives an error
//! naming a line of the text or the units, and the import's checks (languages, unit ids) an
//! error or the incoming translations, never a panic.
#![no_main]

use std::path::Path;

use duiyi::exchange::xliff;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Err((line, _)) = xliff::read(text)
    {
        assert!(line <= text.lines().count() + 1);
    }
    let _ = xliff::incoming(Path::new("fuzz.xlf"), data, "zh", "en");
});
