//! Arbitrary text as a segmentation rules file (`[segmentation] rules`, the shape of the
//! built-in zh.toml): an error or rules, never a panic; rules apply to any text.
#![no_main]

use std::path::Path;

use duiyi::segment::{Rules, SentenceOptions, segment_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let options = SentenceOptions {
        semicolon: text.len() % 2 == 0,
    };
    if let Ok(rules) = Rules::from_toml(text, Path::new("rules/zh.toml"), options) {
        let _ = segment_text("第一，一、中国。你好！“他说。”Fig. 2. 3.5%", &rules);
    }
});
