//! Chinese numerals: the digit and magnitude characters, read once from `numerals.toml`, for
//! whatever reads numbers in Chinese text (heading numbers here in `segment`, quantities in
//! [`crate::qa::numbers`]).

use std::collections::HashMap;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use serde::Deserialize;

/// The embedded table; see the file for its format.
const TABLE_TOML: &str = include_str!("numerals.toml");

#[derive(Deserialize)]
struct TableFile {
    digits: HashMap<String, u8>,
    magnitudes: HashMap<String, u32>,
}

/// Looked up for every character the numbers check scans, hence the fast hash.
struct Table {
    digits: FxHashMap<char, u8>,
    magnitudes: FxHashMap<char, u32>,
}

/// The one character of a key of the embedded table.
fn key(word: &str) -> char {
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => c,
        _ => panic!("numerals.toml: {word:?} is not one character"),
    }
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let file: TableFile = toml::from_str(TABLE_TOML).expect("the embedded numerals.toml is valid");
    Table {
        digits: file.digits.iter().map(|(k, &v)| (key(k), v)).collect(),
        magnitudes: file.magnitudes.iter().map(|(k, &v)| (key(k), v)).collect(),
    }
});

/// The value of a Chinese digit character (〇 and 零 are 0, 两 is 2).
pub fn digit(c: char) -> Option<u8> {
    TABLE.digits.get(&c).copied()
}

/// The power of ten of a magnitude character (十 → 1, 万 → 4, 亿 → 8).
pub fn magnitude(c: char) -> Option<u32> {
    TABLE.magnitudes.get(&c).copied()
}

/// Parses a Chinese or Arabic numeral below ten thousand: 一 → 1, 十二 → 12, 二十 → 20,
/// 一百零五 → 105, 两 → 2, 12 → 12.
pub fn parse(s: &str) -> Option<u32> {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let mut total = 0u32;
    let mut current: Option<u32> = None;
    let mut any = false;
    for c in s.chars() {
        any = true;
        if let Some(d) = digit(c) {
            current = Some(current.unwrap_or(0) * 10 + u32::from(d));
            continue;
        }
        let unit = 10u32.pow(magnitude(c).filter(|&p| p <= 3)?);
        total += current.take().unwrap_or(1) * unit;
    }
    any.then(|| total + current.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_digits_and_magnitudes() {
        assert_eq!(TABLE.digits.len(), 12);
        assert_eq!(
            (digit('零'), digit('两'), digit('九')),
            (Some(0), Some(2), Some(9))
        );
        assert_eq!((magnitude('十'), magnitude('亿')), (Some(1), Some(8)));
        assert_eq!(
            (digit('十'), magnitude('五'), digit('a')),
            (None, None, None)
        );
    }

    #[test]
    fn numerals_parse_below_ten_thousand() {
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("三十五", 35),
            ("一百零五", 105),
            ("两千", 2000),
            ("12", 12),
        ] {
            assert_eq!(parse(s), Some(n), "{s}");
        }
        for s in ["", "一万", "甲", "1a"] {
            assert_eq!(parse(s), None, "{s}");
        }
    }
}
