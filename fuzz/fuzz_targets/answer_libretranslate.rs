//! Arbitrary bytes as LibreTranslate's `{"translatedText":[...]}` answering a batch of two: an error
//! or exactly one reply per request, never a panic.
#![no_main]

use duiyi::backend::{Context, Request, TermHint, libretranslate};
use libfuzzer_sys::fuzz_target;

fn batch() -> Vec<Request> {
    ["中国坚持推动一带一路建设。", "中国积极开展南南合作。"]
        .iter()
        .enumerate()
        .map(|(i, s)| Request {
            doc: "white-paper".into(),
            id: format!("{i:016x}"),
            r#ref: format!("1¶{}.1", i + 1),
            source: (*s).to_string(),
            terms: vec![TermHint {
                source: "一带一路".into(),
                target: "Belt and Road Initiative".into(),
            }],
            context: Context::default(),
            strict: false,
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let batch = batch();
    if let Ok(replies) = libretranslate::parse_answer("libretranslate", data, &batch) {
        assert_eq!(replies.len(), batch.len());
    }
});
