//! Arbitrary bytes through the reader and the segmenter: no panic, and segmentation loses
//! nothing (each unit's segment ranges tile its text).
#![no_main]

use std::sync::LazyLock;

use duiyi::segment::{Rules, SentenceOptions, segment_text};
use duiyi::source::{Encoding, decode};
use libfuzzer_sys::fuzz_target;

static RULES: LazyLock<[Rules; 2]> =
    LazyLock::new(|| [false, true].map(|semicolon| Rules::builtin(SentenceOptions { semicolon })));

fuzz_target!(|data: &[u8]| {
    let rules = &RULES[data.len() % 2];
    for encoding in [Encoding::Auto, Encoding::Gb18030, Encoding::Utf16Le] {
        if let Ok(decoded) = decode(data, encoding) {
            for unit in segment_text(&decoded.text, rules) {
                let mut at = 0;
                for s in &unit.segments {
                    assert_eq!(s.range.start, at);
                    at = s.range.end;
                }
                assert_eq!(at, unit.text(&decoded.text).len());
                for s in &unit.segments {
                    assert!(!s.text(unit.text(&decoded.text)).is_empty());
                }
            }
        }
    }
});
