//! Arbitrary bytes as a translation for `duiyi align`, read as plain text, Markdown, HTML and
//! Word (DOCX): paragraphs of non-empty sentences or an error, never a panic.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use duiyi::align::input::{parse_translation, translation_rules};
use duiyi::segment::rules::Rules;
use libfuzzer_sys::fuzz_target;

static RULES: LazyLock<Rules> = LazyLock::new(translation_rules);

fuzz_target!(|data: &[u8]| {
    for name in ["fuzz.txt", "fuzz.md", "fuzz.html", "fuzz.docx"] {
        if let Ok(paragraphs) = parse_translation(Path::new(name), data, &RULES) {
            for p in paragraphs {
                assert!(!p.sentences.is_empty());
                assert!(p.sentences.iter().all(|s| !s.trim().is_empty()));
            }
        }
    }
});
