//! Arbitrary text as a ref or selector (`3.2¶4.1`, `toc`, `3p4`): an error or a selector,
//! never a panic; a segment ref prints back to the same selector.
#![no_main]

use duiyi::segment::Selector;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(Selector::Segment(r)) = text.parse::<Selector>() {
        let again: Selector = r.to_string().parse().expect("a printed ref parses");
        assert_eq!(again, Selector::Segment(r));
    }
});
