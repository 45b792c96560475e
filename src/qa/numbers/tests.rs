//! Specification of the numbers check.

use super::*;

#[test]
#[ignore = "prints every quantity of the seed, for eyeballing"]
fn dump_seed() {
    let text = include_str!("../../../source/intl-development-cooperation.txt");
    for line in text.lines() {
        for q in extract_zh(line) {
            println!("{}\t{}", &line[q.span.clone()], q.describe());
        }
    }
}

#[test]
#[ignore = "prints quantities of the DUMP environment variable"]
fn dump_env() {
    let text = std::env::var("DUMP").unwrap_or_default();
    let lang = std::env::var("LANG_TAG").unwrap_or_default();
    let found = if lang.is_empty() {
        extract_zh(&text)
    } else {
        extract_target(&text, Lang::from_tag(&lang).unwrap_or(Lang::En))
    };
    for q in found {
        println!(
            "{}\t{}\t{:?}\tweak={}",
            &text[q.span.clone()],
            q.describe(),
            q.kind,
            q.weak
        );
    }
}
