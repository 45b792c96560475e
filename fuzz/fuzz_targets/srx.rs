//! Arbitrary bytes as an SRX file: an error or rules, never a panic; rules apply to any text.
#![no_main]

use duiyi::segment::srx::Srx;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(srx) = Srx::parse(data, std::path::Path::new("fuzz.srx")) {
        let rules = srx.rules_for("zh");
        let _ = rules.decisions("中国。你好！Hello. World?");
    }
});
