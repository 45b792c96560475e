//! Reading quantities out of Chinese text.
//!
//! A hand-written scanner over the characters, not a regular expression: the grammar mixes Arabic
//! digits, magnitudes (2702亿, 1285万), Chinese numerals (一百零五), markers before and after
//! (约, 近, 多, 余) and context (年, 月, 日, %, 第), and the scanner reads it in one pass with one
//! allocation. Words whose numerals are not quantities come from `numbers-zh.toml`, matched with
//! one precompiled multi-literal regex and blanked out before scanning.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Approx, Date, Decimal, Endpoint, Kind, Quantity};
use crate::segment::numerals::{digit as numeral, magnitude};

/// Embedded word table; see the file for its format.
const TABLE_TOML: &str = include_str!("../numbers-zh.toml");

#[derive(Deserialize)]
struct TableFile {
    skip: Vec<String>,
    #[serde(default)]
    ordinal: HashMap<String, i64>,
    #[serde(default)]
    cardinal: HashMap<String, i64>,
    #[serde(default)]
    name: HashMap<String, i64>,
}

struct Table {
    /// Every listed word, longest first, as one alternation.
    words: Regex,
    /// Words that stand for a fixed quantity: kind, value, weak.
    values: HashMap<String, (Kind, i64, bool)>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let file: TableFile =
        toml::from_str(TABLE_TOML).expect("the embedded numbers-zh.toml is valid");
    let mut words: Vec<&str> = file
        .skip
        .iter()
        .chain(file.ordinal.keys())
        .chain(file.cardinal.keys())
        .chain(file.name.keys())
        .map(String::as_str)
        .collect();
    words.sort_by_key(|word| std::cmp::Reverse(word.chars().count()));
    let pattern = words
        .iter()
        .map(|word| regex::escape(word))
        .collect::<Vec<_>>()
        .join("|");
    let values = file
        .ordinal
        .into_iter()
        .map(|(word, value)| (word, (Kind::Ordinal, value, false)))
        .chain(
            file.cardinal
                .into_iter()
                .map(|(word, value)| (word, (Kind::Cardinal, value, false))),
        )
        .chain(
            file.name
                .into_iter()
                .map(|(word, value)| (word, (Kind::Cardinal, value, true))),
        )
        .collect();
    Table {
        words: Regex::new(&pattern).expect("escaped literals form a valid regex"),
        values,
    }
});

/// Stands in for characters of a listed word, so the scanner never reads them as numerals.
const BLANK: char = '\0';

/// Approximation markers written before a number, longest first.
const PREFIXES: &[(&str, Approx)] = &[
    ("将近", Approx::Nearly),
    ("接近", Approx::Nearly),
    ("超过", Approx::Over),
    ("大约", Approx::About),
    ("不到", Approx::Under),
    ("不足", Approx::Under),
    ("至少", Approx::Over),
    ("近", Approx::Nearly),
    ("约", Approx::About),
    ("逾", Approx::Over),
];

/// Approximation markers written after a number.
const SUFFIXES: &[(&str, Approx)] = &[
    ("左右", Approx::About),
    ("以上", Approx::Over),
    ("以下", Approx::Under),
];

/// Extracts every quantity of a Chinese segment, in text order.
///
/// Never panics, whatever the input.
pub fn extract_zh(text: &str) -> Vec<Quantity> {
    let mut found = Vec::new();
    if !text
        .chars()
        .any(|c| digit(c).is_some() || numeral(c).is_some() || magnitude(c).is_some())
    {
        return found;
    }
    let mut chars: Vec<(usize, char)> = text.char_indices().collect();
    let table = &*TABLE;
    for word in table.words.find_iter(text) {
        let starts_with_digit = word
            .as_str()
            .chars()
            .next()
            .is_some_and(|c| numeral(c).is_some_and(|d| d > 0) || c == '十');
        let after_numeral = text[..word.start()]
            .chars()
            .next_back()
            .is_some_and(|c| numeral(c).is_some() || magnitude(c).is_some() || digit(c).is_some());
        if starts_with_digit && after_numeral {
            continue;
        }
        if let Some(&(kind, value, weak)) = table.values.get(word.as_str()) {
            found.push(Quantity {
                value: Decimal::from_int(i128::from(value)),
                kind,
                approx: None,
                span: word.range(),
                weak,
            });
        }
        let start = chars.partition_point(|&(byte, _)| byte < word.start());
        for entry in chars.iter_mut().skip(start) {
            if entry.0 >= word.end() {
                break;
            }
            entry.1 = BLANK;
        }
    }
    let scanner = Scanner {
        chars: &chars,
        len: text.len(),
    };
    let mut index = 0;
    while index < chars.len() {
        match scanner.quantity_at(index) {
            Some((quantity, next)) => {
                found.push(quantity);
                index = next.max(index + 1);
            }
            None => index = scanner.skip_run(index),
        }
    }
    found.sort_by_key(|quantity| quantity.span.start);
    found
}

/// The value of an Arabic digit, ASCII or full-width.
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => u8::try_from(u32::from(c) - u32::from('0')).ok(),
        '０'..='９' => u8::try_from(u32::from(c) - u32::from('０')).ok(),
        _ => None,
    }
}

/// A one-character measure word or unit that may stand between a number and 左右/以上.
fn is_measure_word(c: char) -> bool {
    "人个名次年天月种家所项期批吨元条件台套座艘例份位户".contains(c)
}

/// A number read at some position, before its context decides its kind.
#[derive(Debug, Clone, Copy)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent facts about how the number was written, read by different rules"
)]
struct Number {
    value: Decimal,
    /// Index of the first character after it (markers 多/余 and magnitudes included).
    end: usize,
    /// Written with Arabic digits.
    arabic: bool,
    /// Integer digits written, for years (Arabic or digit-by-digit Chinese such as 二〇二〇).
    int_digits: usize,
    /// A whole number with no grouping, no fraction and no magnitude: may be a year or a month.
    plain_int: bool,
    /// Only magnitude characters, no digit (千, 近万): a quantity only with a marker.
    bare: bool,
    /// Just 一: the article "a", not a quantity, unless its context says otherwise.
    lone_one: bool,
    /// 多 or 余 written inside or after it.
    approx: Option<Approx>,
}

struct Scanner<'a> {
    chars: &'a [(usize, char)],
    len: usize,
}

impl Scanner<'_> {
    /// The index after the run of number characters at `index` (at least `index + 1`), so a
    /// rejected number (G20, 五六十, 数十) is not read again from its middle.
    fn skip_run(&self, index: usize) -> usize {
        let is_number =
            |c: char| digit(c).is_some() || numeral(c).is_some() || magnitude(c).is_some();
        if !is_number(self.char_at(index)) {
            return index + 1;
        }
        let mut at = index + 1;
        while is_number(self.char_at(at)) || matches!(self.char_at(at), '.' | ',' | '．') {
            at += 1;
        }
        at
    }

    fn char_at(&self, index: usize) -> char {
        self.chars.get(index).map_or(BLANK, |&(_, c)| c)
    }

    fn byte_at(&self, index: usize) -> usize {
        self.chars.get(index).map_or(self.len, |&(byte, _)| byte)
    }

    fn starts_with(&self, index: usize, word: &str) -> bool {
        (index..)
            .zip(word.chars())
            .all(|(at, c)| self.char_at(at) == c)
    }

    fn ends_with(&self, index: usize, word: &str) -> bool {
        let count = word.chars().count();
        index >= count && self.starts_with(index - count, word)
    }

    /// The quantity starting at `index`, with the index after it.
    fn quantity_at(&self, index: usize) -> Option<(Quantity, usize)> {
        let c = self.char_at(index);
        if c == '第' {
            return self.ordinal_at(index);
        }
        if c == '百' && self.starts_with(index + 1, "分之") {
            let number = self.number_at(index + 3)?;
            let quantity = Quantity {
                value: number.value,
                kind: Kind::Percent,
                approx: number.approx,
                span: self.byte_at(index)..self.byte_at(number.end),
                weak: false,
            };
            return Some((quantity, number.end));
        }
        if digit(c).is_none() && numeral(c).is_none() && magnitude(c).is_none() {
            return None;
        }
        let (first, end) = self.simple_at(index)?;
        // A range: 2013年至2018年, 10%—20%.
        let connector = self.char_at(end);
        if matches!(connector, '至' | '到' | '-' | '－' | '—' | '–' | '~' | '～') {
            let skip = if connector == '—' && self.char_at(end + 1) == '—' {
                2
            } else {
                1
            };
            if let Some((second, after)) = self.simple_at(end + skip)
                && let Some(range) = join_range(&first, &second)
            {
                return Some((range, after));
            }
        }
        Some((first, end))
    }

    fn ordinal_at(&self, index: usize) -> Option<(Quantity, usize)> {
        let number = self.number_at(index + 1)?;
        if number.bare {
            return None;
        }
        let quantity = Quantity {
            value: number.value,
            kind: Kind::Ordinal,
            approx: None,
            span: self.byte_at(index)..self.byte_at(number.end),
            weak: !number.arabic && number.value <= Decimal::from_int(10),
        };
        Some((quantity, number.end))
    }

    /// A number with its context (prefix marker, 年, 月, 日, %, suffix marker), not a range.
    fn simple_at(&self, index: usize) -> Option<(Quantity, usize)> {
        let number = self.number_at(index)?;
        let before = if index == 0 {
            BLANK
        } else {
            self.char_at(index - 1)
        };
        let mut end = number.end;
        let after = self.char_at(end);

        if number.arabic && self.glued_to_latin(index, end) {
            return None;
        }
        // Fractions (三分之一) are not compared; 百分之 is read by the caller.
        if self.starts_with(end, "分之") || self.ends_with(index, "分之") {
            return None;
        }
        // Heading and list markers (二、 （三） 1. (2)) belong to the structure check.
        let enclosed = matches!(before, '（' | '(') && matches!(after, '）' | ')');
        if !number.arabic && (after == '、' || enclosed) {
            return None;
        }
        if number.arabic
            && number.plain_int
            && self.at_segment_start(if enclosed { index - 1 } else { index })
            && (enclosed
                || after == '、'
                || (matches!(after, '.' | '．') && digit(self.char_at(end + 1)).is_none()))
        {
            return None;
        }
        // Vague amounts: 数十, 几百, 上千万, 成千上万.
        if matches!(before, '数' | '几') || (number.bare && matches!(before, '上' | '成')) {
            return None;
        }

        let mut prefix_start = index;
        let mut approx = None;
        for &(marker, kind) in PREFIXES {
            if self.ends_with(index, marker) && !self.marker_in_word(index, marker) {
                prefix_start = index - marker.chars().count();
                approx = Some(kind);
                break;
            }
        }

        if number.plain_int && number.int_digits == 4 && after == '年' {
            return Some(self.year_or_date(&number, prefix_start, approx));
        }
        if number.plain_int
            && number.int_digits <= 2
            && after == '月'
            && let Some((month, day, next)) = self.month_day_at(index)
        {
            // 5月18日; a month alone (5月) is weak, as "in May" may be left implicit.
            let quantity = Quantity {
                value: Decimal::ZERO,
                kind: Kind::Date(Date {
                    year: None,
                    month: Some(month),
                    day,
                }),
                approx: None,
                span: self.byte_at(index)..self.byte_at(next),
                weak: day.is_none(),
            };
            return Some((quantity, next));
        }
        if number.lone_one || (!number.arabic && number.int_digits > 1) {
            // 一 is "a"; 五六 is "five or six"; 二〇二〇 without 年 is not a quantity either.
            return None;
        }

        let mut kind = Kind::Cardinal;
        if matches!(after, '%' | '％') {
            kind = Kind::Percent;
            end += 1;
        } else if self.starts_with(end, "世纪") || self.starts_with(end, "周年") {
            kind = Kind::Ordinal;
        }
        let mut approx = approx.or(number.approx);
        // 左右 and 以上 may follow a measure word: 20人左右, 1000人以上.
        let classifier = usize::from(is_measure_word(self.char_at(end)));
        'markers: for skip in 0..=classifier {
            for &(marker, kind) in SUFFIXES {
                if self.starts_with(end + skip, marker) {
                    approx = approx.or(Some(kind));
                    end += skip + marker.chars().count();
                    break 'markers;
                }
            }
        }
        if number.bare && approx.is_none() {
            return None;
        }
        let quantity = Quantity {
            value: number.value,
            kind,
            approx,
            span: self.byte_at(prefix_start)..self.byte_at(end),
            weak: !number.arabic && number.value <= Decimal::from_int(10),
        };
        Some((quantity, end))
    }

    /// A year (`2013年`) or a date starting with one (`2020年5月18日`, `2015年9月`).
    fn year_or_date(
        &self,
        number: &Number,
        prefix_start: usize,
        approx: Option<Approx>,
    ) -> (Quantity, usize) {
        let mut end = number.end;
        let year = u16::try_from(number.value.as_int().unwrap_or_default()).ok();
        end += 1;
        let mut date = Date {
            year,
            ..Date::default()
        };
        if let Some((month, day, next)) = self.month_day_at(end) {
            date.month = Some(month);
            date.day = day;
            end = next;
        }
        let kind = if date.month.is_some() {
            Kind::Date(date)
        } else {
            Kind::Year
        };
        let quantity = Quantity {
            value: number.value,
            kind,
            approx,
            span: self.byte_at(prefix_start)..self.byte_at(end),
            weak: false,
        };
        (quantity, end)
    }

    /// Whether only whitespace comes before `index`.
    fn at_segment_start(&self, index: usize) -> bool {
        self.chars[..index.min(self.chars.len())]
            .iter()
            .all(|&(_, c)| c.is_whitespace())
    }

    /// Whether a one-character prefix marker is really the end of another word (最近, 条约).
    fn marker_in_word(&self, index: usize, marker: &str) -> bool {
        let count = marker.chars().count();
        if count > 1 || index <= count {
            return false;
        }
        let before = self.char_at(index - count - 1);
        match marker {
            "近" => matches!(before, '最' | '附' | '邻' | '亲' | '接' | '将'),
            "约" => matches!(
                before,
                '条' | '公'
                    | '节'
                    | '签'
                    | '制'
                    | '合'
                    | '预'
                    | '邀'
                    | '特'
                    | '契'
                    | '盟'
                    | '履'
                    | '违'
                    | '守'
                    | '和'
                    | '大'
                    | '相'
            ),
            _ => false,
        }
    }

    /// Digits touching Latin letters are part of a name: G20, 3D, 5G, COVID-19.
    fn glued_to_latin(&self, start: usize, end: usize) -> bool {
        let before = if start == 0 {
            BLANK
        } else {
            self.char_at(start - 1)
        };
        if before.is_ascii_alphabetic() {
            return true;
        }
        if before == '-' && start >= 2 && self.char_at(start - 2).is_ascii_uppercase() {
            return true;
        }
        let after = self.char_at(end);
        after.is_ascii_uppercase() && !self.char_at(end + 1).is_ascii_alphabetic()
    }

    /// `5月18日` or `5月` at `index`: month, optional day, and the index after.
    fn month_day_at(&self, index: usize) -> Option<(u8, Option<u8>, usize)> {
        let month = self.number_at(index)?;
        if !month.plain_int || self.char_at(month.end) != '月' {
            return None;
        }
        let month_value = u8::try_from(month.value.as_int()?)
            .ok()
            .filter(|m| (1..=12).contains(m))?;
        let after_month = month.end + 1;
        if let Some(day) = self.number_at(after_month) {
            let day_value = day
                .value
                .as_int()
                .and_then(|d| u8::try_from(d).ok())
                .filter(|d| (1..=31).contains(d));
            if let (true, Some(day_value)) = (
                day.plain_int && matches!(self.char_at(day.end), '日' | '号'),
                day_value,
            ) {
                return Some((month_value, Some(day_value), day.end + 1));
            }
        }
        Some((month_value, None, after_month))
    }

    /// A bare number at `index`: Arabic with grouping, decimals and magnitudes, or Chinese
    /// numerals; with 多/余 written inside or right after it.
    fn number_at(&self, index: usize) -> Option<Number> {
        let c = self.char_at(index);
        let mut number = if digit(c).is_some() {
            self.arabic_at(index)?
        } else if numeral(c).is_some() || magnitude(c).is_some() {
            self.chinese_at(index)?
        } else {
            return None;
        };
        // 20多万, 十余万: the marker sits between the number and its magnitude.
        let mut end = number.end;
        let mut marker_inside = false;
        if matches!(self.char_at(end), '多' | '余') && magnitude(self.char_at(end + 1)).is_some()
        {
            number.approx = Some(Approx::Over);
            end += 1;
            marker_inside = true;
        }
        let mut exponent = 0;
        if number.arabic || marker_inside {
            while let Some(power) = magnitude(self.char_at(end)) {
                exponent += power;
                end += 1;
            }
        }
        if exponent > 0 {
            number.value = number.value.times_pow10(exponent)?;
            number.plain_int = false;
            number.lone_one = false;
        }
        if number.approx.is_none() && matches!(self.char_at(end), '多' | '余') {
            number.approx = Some(Approx::Over);
            end += 1;
        }
        if number.approx.is_some() {
            number.plain_int = false;
        }
        number.end = end;
        Some(number)
    }

    fn arabic_at(&self, index: usize) -> Option<Number> {
        let mut buffer = [0_u8; 40];
        let mut len = 0;
        let mut push = |byte: u8| -> Option<()> {
            *buffer.get_mut(len)? = byte;
            len += 1;
            Some(())
        };
        let mut at = index;
        let mut int_digits = 0;
        let mut grouped = false;
        let mut fraction = false;
        loop {
            let c = self.char_at(at);
            if let Some(d) = digit(c) {
                push(b'0' + d)?;
                if !fraction {
                    int_digits += 1;
                }
                at += 1;
            } else if c == ','
                && !fraction
                && (1..=3).contains(&int_digits)
                && (1..=3).all(|k| digit(self.char_at(at + k)).is_some())
                && digit(self.char_at(at + 4)).is_none()
            {
                grouped = true;
                at += 1;
            } else if c == ','
                && grouped
                && !fraction
                && (1..=3).all(|k| digit(self.char_at(at + k)).is_some())
            {
                at += 1;
            } else if matches!(c, '.' | '．') && !fraction && digit(self.char_at(at + 1)).is_some()
            {
                push(b'.')?;
                fraction = true;
                at += 1;
            } else {
                break;
            }
        }
        let text = std::str::from_utf8(&buffer[..len]).ok()?;
        let value = Decimal::parse(text)?;
        Some(Number {
            value,
            end: at,
            arabic: true,
            int_digits,
            plain_int: !grouped && !fraction,
            bare: false,
            lone_one: false,
            approx: None,
        })
    }

    /// Chinese numerals: 三十五, 一百零五, 两千, 一万二千, 近万 (bare), 二〇二〇 (digit by digit).
    fn chinese_at(&self, index: usize) -> Option<Number> {
        let mut total: i128 = 0; // groups of 亿 and above
        let mut wan: i128 = 0; // the group of 万
        let mut section: i128 = 0; // below 万
        let mut current: i128 = 0; // the last digit
        let mut digits = 0; // digit characters
        let mut run = 0; // consecutive digit characters
        let mut longest_run = 0;
        let mut string_value: i128 = 0; // digit-by-digit reading
        let mut units = false;
        let mut at = index;
        loop {
            let c = self.char_at(at);
            if let Some(d) = numeral(c) {
                let after_unit_zero = d == 0 && units;
                current = i128::from(d);
                digits += 1;
                string_value = string_value * 10 + i128::from(d);
                if !after_unit_zero {
                    run += 1;
                    longest_run = longest_run.max(run);
                }
            } else if let Some(power) = magnitude(c) {
                units = true;
                run = 0;
                let unit = 10_i128.pow(power);
                match power {
                    1..=3 => {
                        let factor = if current == 0 { 1 } else { current };
                        section = section.checked_add(factor.checked_mul(unit)?)?;
                    }
                    4 => {
                        let mut group = section.checked_add(current)?;
                        if group == 0 {
                            group = 1;
                        }
                        wan = wan.checked_add(group.checked_mul(unit)?)?;
                        section = 0;
                    }
                    _ => {
                        let mut group = wan.checked_add(section)?.checked_add(current)?;
                        if group == 0 && total == 0 {
                            group = 1;
                        }
                        total = total.checked_add(group)?.checked_mul(unit)?;
                        wan = 0;
                        section = 0;
                    }
                }
                current = 0;
            } else {
                break;
            }
            at += 1;
            if at - index > 24 {
                return None;
            }
        }
        if at == index {
            return None;
        }
        let digit_string = longest_run > 1;
        if digit_string && units {
            // 五六十: "fifty or sixty", not a quantity; skip the whole run.
            return Some(Number {
                value: Decimal::ZERO,
                end: at,
                arabic: false,
                int_digits: 2,
                plain_int: false,
                bare: false,
                lone_one: false,
                approx: None,
            });
        }
        let value = if digit_string {
            string_value
        } else {
            total
                .checked_add(wan)?
                .checked_add(section)?
                .checked_add(current)?
        };
        let first = self.char_at(index);
        Some(Number {
            value: Decimal::from_int(value),
            end: at,
            arabic: false,
            int_digits: if digit_string { digits } else { 0 },
            plain_int: true,
            bare: digits == 0 && first != '十',
            lone_one: at == index + 1 && first == '一',
            approx: None,
        })
    }
}

/// Two quantities joined by 至/到/— into a range, when their kinds agree.
fn join_range(first: &Quantity, second: &Quantity) -> Option<Quantity> {
    let of = match (first.kind, second.kind) {
        (Kind::Year | Kind::Cardinal, Kind::Year) => Endpoint::Year,
        (Kind::Cardinal, Kind::Cardinal) => Endpoint::Cardinal,
        (Kind::Percent | Kind::Cardinal, Kind::Percent) => Endpoint::Percent,
        _ => return None,
    };
    if first.weak != second.weak {
        return None;
    }
    Some(Quantity {
        value: first.value,
        kind: Kind::Range {
            end: second.value,
            of,
        },
        approx: first.approx.or(second.approx),
        span: first.span.start..second.span.end,
        weak: first.weak,
    })
}
