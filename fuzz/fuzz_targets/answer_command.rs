//! Arbitrary bytes as one answer line of a `command` backend's program: an error or the reply
//! to the request, never a panic.
#![no_main]

use duiyi::backend::{Context, Request, TermHint, command};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let request = Request {
        doc: "white-paper".into(),
        id: "0000000000000000".into(),
        r#ref: "1¶1.1".into(),
        source: "中国坚持推动一带一路建设。".into(),
        terms: vec![TermHint {
            source: "一带一路".into(),
            target: "Belt and Road Initiative".into(),
        }],
        context: Context::default(),
        strict: false,
    };
    let _ = command::parse_answer("local", data, &request);
});
