//! Reading quantities out of English and French text.
//!
//! The text is cut once into tokens (numbers, words, symbols), then a small pattern pass reads
//! quantities off the tokens: digits with scale words ("12.85 million"), number words
//! ("seventy-three"), ordinals ("73rd", `73e`), percentages, dates, ranges, and the approximation
//! phrases before them. Everything that differs between languages — number words, decimal and
//! grouping marks, month names, approximation phrases — is data (`numbers-words.toml`) or a
//! [`Lang`] switch, so adding a language is mostly adding a table.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use serde::Deserialize;

use super::{Approx, Date, Decimal, Endpoint, Kind, Lang, Quantity};

/// Embedded word tables; see the file for its format.
const WORDS_TOML: &str = include_str!("../numbers-words.toml");

#[derive(Deserialize)]
struct WordsFile {
    en: LangFile,
    fr: LangFile,
}

#[derive(Deserialize)]
struct LangFile {
    joiners: Vec<String>,
    articles: Vec<String>,
    lone: Vec<String>,
    percent: Vec<String>,
    ordinal_suffixes: Vec<String>,
    currency: Vec<String>,
    range_to: Vec<String>,
    range_between: Vec<String>,
    range_and: Vec<String>,
    #[serde(default)]
    calendar_prepositions: Vec<String>,
    #[serde(default)]
    decades: Vec<String>,
    #[serde(default)]
    fractions: HashMap<String, u32>,
    #[serde(default)]
    vague: HashMap<String, u32>,
    #[serde(default)]
    vague_of: Vec<String>,
    #[serde(default)]
    vague_before: Vec<String>,
    #[serde(default)]
    fraction_not_after: Vec<String>,
    #[serde(default)]
    labels: Vec<String>,
    cardinal: HashMap<String, u32>,
    ordinal: HashMap<String, u32>,
    scale: HashMap<String, u32>,
    approx: ApproxFile,
    after: AfterFile,
    months: HashMap<String, u8>,
    #[serde(default)]
    months_capitalized: bool,
}

#[derive(Deserialize)]
struct ApproxFile {
    over: Vec<String>,
    nearly: Vec<String>,
    about: Vec<String>,
    under: Vec<String>,
}

#[derive(Deserialize)]
struct AfterFile {
    #[serde(default)]
    over: Vec<String>,
    #[serde(default)]
    about: Vec<String>,
}

/// What a word means to the number reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Word {
    Cardinal(u32),
    Ordinal(u32),
    /// A power of ten.
    Scale(u32),
    /// A fraction word with its denominator: "half" (2), "thirds" (3), "quarter" (4).
    Fraction(u32),
    /// A plural scale for a vague amount, with its power of ten: "thousands" (3), "tens" (1).
    Vague(u32),
}

/// FNV-1a: the lexicon is looked up once per word of every segment, and its keys are short
/// trusted strings, so a simple fast hash beats the default DoS-resistant one.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &byte in bytes {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// What a word of the lexicon is: a number word, a month name, or both (none is both today).
#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    meaning: Option<Word>,
    month: Option<u8>,
}

/// One language's rules, ready for lookups.
struct Rules {
    lexicon: HashMap<String, Entry, BuildHasherDefault<Fnv>>,
    /// Length in bytes of the longest lexicon entry: longer words are not looked up.
    longest_word: usize,
    joiners: Vec<String>,
    articles: Vec<String>,
    lone: Vec<String>,
    /// Multi-word phrases, each split into lowercase words.
    percent: Vec<Vec<String>>,
    ordinal_suffixes: Vec<String>,
    currency: Vec<String>,
    range_to: Vec<String>,
    range_between: Vec<String>,
    range_and: Vec<String>,
    calendar_prepositions: Vec<String>,
    decades: Vec<String>,
    vague_of: Vec<String>,
    vague_before: Vec<String>,
    fraction_not_after: Vec<String>,
    labels: Vec<String>,
    before: Vec<(Vec<String>, Approx)>,
    after: Vec<(Vec<String>, Approx)>,
    months_capitalized: bool,
    decimal_comma: bool,
}

fn phrases(list: &[String], approx: Approx) -> impl Iterator<Item = (Vec<String>, Approx)> + '_ {
    list.iter().map(move |phrase| {
        (
            phrase.split_whitespace().map(str::to_owned).collect(),
            approx,
        )
    })
}

impl Rules {
    fn new(file: LangFile, decimal_comma: bool) -> Self {
        let mut lexicon: HashMap<String, Entry, BuildHasherDefault<Fnv>> = HashMap::default();
        let words = file
            .cardinal
            .into_iter()
            .map(|(word, value)| (word, Word::Cardinal(value)))
            .chain(
                file.ordinal
                    .into_iter()
                    .map(|(word, value)| (word, Word::Ordinal(value))),
            )
            .chain(
                file.scale
                    .into_iter()
                    .map(|(word, power)| (word, Word::Scale(power))),
            )
            .chain(
                file.fractions
                    .into_iter()
                    .map(|(word, of)| (word, Word::Fraction(of))),
            )
            .chain(
                file.vague
                    .into_iter()
                    .map(|(word, power)| (word, Word::Vague(power))),
            );
        for (word, meaning) in words {
            lexicon.entry(word).or_default().meaning = Some(meaning);
        }
        for (word, month) in file.months {
            lexicon.entry(word).or_default().month = Some(month);
        }
        let mut before: Vec<_> = phrases(&file.approx.over, Approx::Over)
            .chain(phrases(&file.approx.nearly, Approx::Nearly))
            .chain(phrases(&file.approx.about, Approx::About))
            .chain(phrases(&file.approx.under, Approx::Under))
            .collect();
        // Longest first, so "just under" wins over "under".
        before.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        let after = phrases(&file.after.over, Approx::Over)
            .chain(phrases(&file.after.about, Approx::About))
            .collect();
        Self {
            longest_word: lexicon.keys().map(String::len).max().unwrap_or_default(),
            lexicon,
            joiners: file.joiners,
            articles: file.articles,
            lone: file.lone,
            percent: file
                .percent
                .iter()
                .map(|p| p.split_whitespace().map(str::to_owned).collect())
                .collect(),
            ordinal_suffixes: file.ordinal_suffixes,
            currency: file.currency,
            range_to: file.range_to,
            range_between: file.range_between,
            range_and: file.range_and,
            calendar_prepositions: file.calendar_prepositions,
            decades: file.decades,
            vague_of: file.vague_of,
            vague_before: file.vague_before,
            fraction_not_after: file.fraction_not_after,
            labels: file.labels,
            before,
            after,
            months_capitalized: file.months_capitalized,
            decimal_comma,
        }
    }
}

static RULES: LazyLock<(Rules, Rules)> = LazyLock::new(|| {
    let file: WordsFile =
        toml::from_str(WORDS_TOML).expect("the embedded numbers-words.toml is valid");
    (Rules::new(file.en, false), Rules::new(file.fr, true))
});

fn rules(lang: Lang) -> &'static Rules {
    match lang {
        Lang::En => &RULES.0,
        Lang::Fr => &RULES.1,
    }
}

/// A token of Latin-script text.
#[derive(Clone, Copy, Debug)]
struct Token {
    kind: TokenKind,
    start: usize,
    end: usize,
    /// Whitespace separates it from the previous token.
    gap: bool,
}

#[derive(Clone, Copy, Debug)]
enum TokenKind {
    Number {
        value: Decimal,
        int_digits: usize,
        /// No grouping and no fraction.
        plain_int: bool,
    },
    /// A word, with what it means to the number reader, looked up once.
    Word {
        meaning: Option<Word>,
        month: Option<u8>,
    },
    Symbol(char),
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}')
}

fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Looks a word up in the number-word and month tables, case-insensitively, without allocating
/// for ASCII words.
fn look_up(word: &str, rules: &Rules) -> (Option<Word>, Option<u8>) {
    const LONGEST: usize = 24;
    if word.len() > LONGEST.min(rules.longest_word) {
        return (None, None);
    }
    let find = |key: &str| {
        rules
            .lexicon
            .get(key)
            .map_or((None, None), |entry| (entry.meaning, entry.month))
    };
    let ascii = word.is_ascii();
    if ascii && !word.bytes().any(|byte| byte.is_ascii_uppercase()) {
        find(word)
    } else if ascii {
        let mut buffer = [0_u8; LONGEST];
        let lower = &mut buffer[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        std::str::from_utf8(lower).map_or((None, None), find)
    } else if word.chars().any(char::is_uppercase) {
        find(&word.to_lowercase())
    } else {
        find(word)
    }
}

/// A French ordinal in Roman numerals: `XVIIIe` (18th), `XXIe siècle`, `Ier`, `IIe`. Only
/// capitals followed by `e`, `er` or `ème`, and a single letter only as I, V or X, so ordinary
/// words (De, Le, Ce) are never read as numbers.
fn roman_ordinal(word: &str) -> Option<u32> {
    let digits_end = word
        .char_indices()
        .find(|(_, c)| !matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M'))
        .map_or(word.len(), |(i, _)| i);
    let (roman, suffix) = word.split_at(digits_end);
    if roman.is_empty() || !matches!(suffix, "e" | "er" | "ème" | "eme") {
        return None;
    }
    // One letter alone is a numeral only as I, V or X: "De", "Le", "Ce", "Me" are words.
    if roman.len() == 1 && !matches!(roman, "I" | "V" | "X") {
        return None;
    }
    roman_value(roman)
}

/// The value of a Roman numeral in either case (a letter before a greater one subtracts:
/// `XIV` = 14); `None` for other characters or a value that is not positive. Whether the form is
/// canonical is the caller's question.
pub(crate) fn roman_value(roman: &str) -> Option<u32> {
    let value = |c: char| match c.to_ascii_uppercase() {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let values: Vec<u32> = roman.chars().map(value).collect::<Option<_>>()?;
    let mut total: i64 = 0;
    for (i, v) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|next| next > v) {
            total -= i64::from(*v);
        } else {
            total += i64::from(*v);
        }
    }
    u32::try_from(total).ok().filter(|&n| n > 0)
}

/// Whether `word` equals the lowercase `expected`, ignoring case.
fn same_word(word: &str, expected: &str) -> bool {
    if word.is_ascii() {
        word.eq_ignore_ascii_case(expected)
    } else {
        word.chars()
            .flat_map(char::to_lowercase)
            .eq(expected.chars())
    }
}

fn tokenize(text: &str, rules: &Rules) -> Vec<Token> {
    let bytes = text.as_bytes();
    let char_at = |at: usize| text.get(at..).and_then(|rest| rest.chars().next());
    // Upper bound: a token needs a byte and usually a space.
    let mut tokens = Vec::with_capacity(text.len() / 4);
    let mut gap = false;
    let mut start = 0;
    while let Some(c) = char_at(start) {
        if is_space(c) {
            gap = true;
            start += c.len_utf8();
            continue;
        }
        let (kind, end) = if c.is_ascii_digit() {
            read_number(text, start, rules.decimal_comma)
        } else if c.is_alphabetic() {
            // ASCII letters byte by byte; other letters decoded.
            let mut end = start + c.len_utf8();
            loop {
                match bytes.get(end) {
                    Some(byte) if byte.is_ascii_alphabetic() => end += 1,
                    Some(byte) if !byte.is_ascii() => match char_at(end) {
                        Some(next) if next.is_alphabetic() => end += next.len_utf8(),
                        _ => break,
                    },
                    _ => break,
                }
            }
            let word = &text[start..end];
            let (mut meaning, month) = look_up(word, rules);
            if meaning.is_none() && rules.decimal_comma {
                meaning = roman_ordinal(word).map(Word::Ordinal);
            }
            (TokenKind::Word { meaning, month }, end)
        } else {
            (TokenKind::Symbol(c), start + c.len_utf8())
        };
        tokens.push(Token {
            kind,
            start,
            end,
            gap,
        });
        gap = false;
        start = end;
    }
    tokens
}

/// Reads the number whose first digit is at byte `start`: the token and the byte after it.
fn read_number(text: &str, start: usize, decimal_comma: bool) -> (TokenKind, usize) {
    let bytes = text.as_bytes();
    let digit_at = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_digit);
    let mut buffer = [0_u8; 40];
    let mut len = 0;
    let mut at = start;
    let mut int_digits = 0;
    let mut grouped = false;
    let mut fraction = false;
    let mut overflow = false;
    let (group_mark, decimal_mark) = if decimal_comma {
        (None, b',')
    } else {
        (Some(b','), b'.')
    };
    loop {
        match bytes.get(at) {
            Some(&byte) if byte.is_ascii_digit() => {
                if let Some(slot) = buffer.get_mut(len) {
                    *slot = byte;
                    len += 1;
                } else {
                    overflow = true;
                }
                if !fraction {
                    int_digits += 1;
                }
                at += 1;
            }
            Some(&byte)
                if Some(byte) == group_mark
                    && !fraction
                    && (grouped || (1..=3).contains(&int_digits))
                    && (1..=3).all(|k| digit_at(at + k))
                    && !digit_at(at + 4) =>
            {
                grouped = true;
                at += 1;
            }
            Some(&byte) if byte == decimal_mark && !fraction && digit_at(at + 1) => {
                if let Some(slot) = buffer.get_mut(len) {
                    *slot = b'.';
                    len += 1;
                }
                fraction = true;
                at += 1;
            }
            _ if !fraction => {
                // Grouping by a (narrow) no-break or thin space before three digits, in every
                // language (SI style); by a plain space too in French.
                let Some(space) = text[at..]
                    .chars()
                    .next()
                    .filter(|&c| is_group_space(c) && (decimal_comma || c != ' '))
                else {
                    break;
                };
                let next = at + space.len_utf8();
                if (grouped || (1..=3).contains(&int_digits))
                    && (0..3).all(|k| digit_at(next + k))
                    && !digit_at(next + 3)
                {
                    grouped = true;
                    at = next;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    let value = if overflow {
        None
    } else {
        std::str::from_utf8(&buffer[..len])
            .ok()
            .and_then(Decimal::parse)
    };
    match value {
        Some(value) => (
            TokenKind::Number {
                value,
                int_digits,
                plain_int: !grouped && !fraction,
            },
            at,
        ),
        None => (TokenKind::Symbol('#'), at),
    }
}

/// Extracts every quantity of an English or French segment, in text order.
///
/// Never panics, whatever the input.
pub fn extract_target(text: &str, lang: Lang) -> Vec<Quantity> {
    let rules = rules(lang);
    let tokens = tokenize(text, rules);
    let reader = Reader {
        text,
        tokens: &tokens,
        rules,
    };
    let mut found = Vec::new();
    let mut index = reader.list_marker_end();
    while index < tokens.len() {
        if let Some(next) = reader.label_or_marker_end(index) {
            index = next;
            continue;
        }
        match reader.quantity_at(index) {
            Step::Found(quantity, next) => {
                found.push(quantity);
                index = next.max(index + 1);
            }
            Step::Skip(next) => index = next.max(index + 1),
            Step::Nothing => index += 1,
        }
    }
    found
}

/// What the reader found at a token.
enum Step<T> {
    /// A quantity, and the token after it.
    Found(T, usize),
    /// Digits that are part of a name (G20, COVID-19, 5G): go on after them.
    Skip(usize),
    /// Nothing here.
    Nothing,
}

struct Reader<'a> {
    text: &'a str,
    tokens: &'a [Token],
    rules: &'a Rules,
}

/// A quantity being read: value and kind, the token range it covers, written in words or not.
#[derive(Clone, Copy, Debug)]
struct Reading {
    value: Decimal,
    kind: Kind,
    first: usize,
    /// Index after the last token.
    next: usize,
    words: bool,
    approx: Option<Approx>,
    /// A vague amount ("tens of millions"): weak, like a small number word.
    vague: bool,
}

impl Reader<'_> {
    /// The word at `index`, as written.
    fn word(&self, index: usize) -> Option<&str> {
        let token = self.tokens.get(index)?;
        matches!(token.kind, TokenKind::Word { .. }).then(|| &self.text[token.start..token.end])
    }

    fn word_is(&self, index: usize, list: &[String]) -> bool {
        self.word(index)
            .is_some_and(|word| list.iter().any(|item| same_word(word, item)))
    }

    fn symbol(&self, index: usize) -> Option<char> {
        match self.tokens.get(index)?.kind {
            TokenKind::Symbol(c) => Some(c),
            _ => None,
        }
    }

    fn gap(&self, index: usize) -> bool {
        self.tokens.get(index).is_none_or(|token| token.gap)
    }

    fn number_word(&self, index: usize) -> Option<Word> {
        match self.tokens.get(index)?.kind {
            TokenKind::Word { meaning, .. } => meaning,
            _ => None,
        }
    }

    /// The index after a structure label's number ("Article 15", "Chapter 2", "Item 1") or an
    /// enumeration marker inside the text ("(1) keep … (2) build …") at `index`, if there is one:
    /// they belong to the structure check, like the 第十五条 and ① they render.
    fn label_or_marker_end(&self, index: usize) -> Option<usize> {
        let small_int = |at: usize| {
            matches!(
                self.tokens.get(at).map(|token| token.kind),
                Some(TokenKind::Number {
                    int_digits: 1..=3,
                    plain_int: true,
                    ..
                })
            )
        };
        if self.word_is(index, &self.rules.labels) && small_int(index + 1) {
            return Some(index + 2);
        }
        (self.symbol(index) == Some('(')
            && small_int(index + 1)
            && self.symbol(index + 2) == Some(')')
            && !self.gap(index + 1)
            && !self.gap(index + 2))
        .then_some(index + 3)
    }

    /// The index after a heading or list marker at the start of the segment (`1.`, `(2)`,
    /// `3)`), or 0: markers belong to the structure check.
    fn list_marker_end(&self) -> usize {
        let small_int = |index: usize| {
            matches!(
                self.tokens.get(index).map(|token| token.kind),
                Some(TokenKind::Number {
                    int_digits: 1 | 2,
                    plain_int: true,
                    ..
                })
            )
        };
        let followed_by_text = |index: usize| self.gap(index) && self.word(index).is_some();
        if small_int(0) && matches!(self.symbol(1), Some('.' | ')')) && followed_by_text(2) {
            return 2;
        }
        if self.symbol(0) == Some('(') && small_int(1) && self.symbol(2) == Some(')') {
            return 3;
        }
        0
    }

    fn quantity_at(&self, index: usize) -> Step<Quantity> {
        let mut reading = match self.simple_at(index) {
            Step::Found(reading, _) => reading,
            Step::Skip(next) => return Step::Skip(next),
            Step::Nothing => return Step::Nothing,
        };
        reading = self.range_after(reading);
        self.approx_around(&mut reading);
        let weak = reading.vague
            || (reading.words
                && !matches!(reading.kind, Kind::Range { .. })
                && reading.value <= Decimal::from_int(10));
        let start = self.tokens[reading.first].start;
        let end = self.tokens[reading.next - 1].end;
        Step::Found(
            Quantity {
                value: reading.value,
                kind: reading.kind,
                approx: reading.approx,
                span: start..end,
                weak,
            },
            reading.next,
        )
    }

    /// The index after a rejected number and whatever is glued to it.
    fn skip_glued(&self, index: usize) -> usize {
        let mut next = index + 1;
        while next < self.tokens.len() && !self.gap(next) {
            if matches!(self.tokens[next].kind, TokenKind::Symbol(c) if c != '-') {
                break;
            }
            next += 1;
        }
        next
    }

    /// A quantity without range or approximation at `index`.
    fn simple_at(&self, index: usize) -> Step<Reading> {
        let Some(token) = self.tokens.get(index) else {
            return Step::Nothing;
        };
        match token.kind {
            TokenKind::Number {
                value,
                int_digits,
                plain_int,
            } => self.digits_at(index, value, int_digits, plain_int),
            TokenKind::Word { .. } => {
                if let Some(reading) = self.month_first_date(index) {
                    return Step::Found(reading, reading.next);
                }
                if let Some(reading) = self.fraction_at(index).or_else(|| self.vague_at(index)) {
                    return Step::Found(reading, reading.next);
                }
                match self.phrase_at(index) {
                    Some(reading) => Step::Found(reading, reading.next),
                    None => Step::Nothing,
                }
            }
            TokenKind::Symbol(_) => Step::Nothing,
        }
    }

    fn raw(&self, index: usize) -> &str {
        self.tokens
            .get(index)
            .map_or("", |token| &self.text[token.start..token.end])
    }

    fn digits_at(
        &self,
        index: usize,
        value: Decimal,
        int_digits: usize,
        plain_int: bool,
    ) -> Step<Reading> {
        // Names: G20, H1N1, COVID-19 (but US$120, RMB270 are amounts).
        if !self.gap(index) && index > 0 {
            if self.word(index - 1).is_some() && !self.word_is(index - 1, &self.rules.currency) {
                return Step::Skip(self.skip_glued(index));
            }
            if self.symbol(index - 1) == Some('-')
                && !self.gap(index - 1)
                && index >= 2
                && self.raw(index - 2).chars().any(char::is_uppercase)
                && self.word(index - 2).is_some()
            {
                return Step::Skip(self.skip_glued(index));
            }
        }
        let mut next = index + 1;
        let mut kind = Kind::Cardinal;
        if self.word(next).is_some() && !self.gap(next) {
            let raw = self.raw(next);
            if self.word_is(next, &self.rules.ordinal_suffixes) && plain_int {
                kind = Kind::Ordinal;
                next += 1;
            } else if raw.len() == 1 && raw.chars().all(|c| c.is_ascii_uppercase()) {
                return Step::Skip(self.skip_glued(index));
            }
        }
        // 18 May 2020, 1er mai 2020.
        if plain_int
            && int_digits <= 2
            && let Some(month) = self.month(next)
            && let Some(day) = value
                .as_int()
                .and_then(|d| u8::try_from(d).ok())
                .filter(|d| (1..=31).contains(d))
        {
            let mut date = Date {
                year: None,
                month: Some(month),
                day: Some(day),
            };
            let mut end = next + 1;
            if let Some(year) = self.year_at(end) {
                date.year = Some(year);
                end += 1;
            }
            return Step::Found(Self::date_reading(index, end, date), end);
        }
        let mut value = value;
        let mut plain = plain_int;
        if kind == Kind::Cardinal {
            while let Some(Word::Scale(power)) = self.number_word(next) {
                let Some(scaled) = value.times_pow10(power) else {
                    return Step::Nothing;
                };
                value = scaled;
                plain = false;
                next += 1;
            }
            if let Some(after) = self.percent_at(next) {
                kind = Kind::Percent;
                next = after;
            } else if plain
                && int_digits == 4
                && (Decimal::from_int(1000)..=Decimal::from_int(2199)).contains(&value)
            {
                kind = Kind::Year;
            }
        }
        let reading = Reading {
            value,
            kind,
            first: index,
            next,
            words: false,
            approx: None,
            vague: false,
        };
        Step::Found(reading, next)
    }

    /// A fraction in words: "one third", "a third", "two-thirds", "three quarters", "half",
    /// "a half" (not "the first three quarters", a span of time).
    fn fraction_at(&self, index: usize) -> Option<Reading> {
        let word = |value: u32, of: u32, next: usize| Reading {
            value: Decimal::from_int(i128::from(value)),
            kind: Kind::Fraction { of },
            first: index,
            next,
            words: true,
            approx: None,
            vague: false,
        };
        let numerator = if self.word_is(index, &self.rules.articles) {
            1
        } else {
            match self.number_word(index)? {
                Word::Cardinal(n) if (1..=10).contains(&n) => n,
                // "half" alone is one half ("quarter" alone is a span of time).
                Word::Fraction(2) => return Some(word(1, 2, index + 1)),
                _ => return None,
            }
        };
        if index > 0
            && (matches!(self.number_word(index - 1), Some(Word::Ordinal(_)))
                || self.word_is(index - 1, &self.rules.fraction_not_after))
        {
            return None;
        }
        let mut at = index + 1;
        if self.symbol(at) == Some('-') && !self.gap(at) && !self.gap(at + 1) {
            at += 1;
        }
        let of = match self.number_word(at)? {
            Word::Fraction(of) => of,
            Word::Ordinal(of) if (3..=10).contains(&of) => of,
            _ => return None,
        };
        Some(word(numerator, of, at + 1))
    }

    /// A vague amount: "thousands", "tens of millions", "hundreds of thousands": more than the
    /// power of ten it names, and weak.
    fn vague_at(&self, index: usize) -> Option<Reading> {
        let power = match self.number_word(index) {
            Some(Word::Vague(power)) => power,
            // French "des millions": a plural scale after `vague_before`.
            Some(Word::Scale(power))
                if index > 0 && self.word_is(index - 1, &self.rules.vague_before) =>
            {
                power
            }
            _ => return None,
        };
        let (power, next) = match self.number_word(index + 2) {
            // "tens of millions"; in French "dizaines de millions", where millions is a scale.
            Some(Word::Vague(more) | Word::Scale(more))
                if self.word_is(index + 1, &self.rules.vague_of) =>
            {
                (power + more, index + 3)
            }
            _ => (power, index + 1),
        };
        Some(Reading {
            value: Decimal::from_int(1).times_pow10(power)?,
            kind: Kind::Cardinal,
            first: index,
            next,
            words: true,
            approx: Some(Approx::Over),
            vague: true,
        })
    }

    fn date_reading(first: usize, next: usize, date: Date) -> Reading {
        Reading {
            value: Decimal::from_int(i128::from(date.year.unwrap_or_default())),
            kind: Kind::Date(date),
            first,
            next,
            words: false,
            approx: None,
            vague: false,
        }
    }

    fn month(&self, index: usize) -> Option<u8> {
        let TokenKind::Word {
            month: Some(month), ..
        } = self.tokens.get(index)?.kind
        else {
            return None;
        };
        // "may" is a verb; "May" is a month.
        (!self.rules.months_capitalized || starts_upper(self.raw(index))).then_some(month)
    }

    /// A four-digit year at `index`, after an optional comma (`May 18, 2020`).
    fn year_at(&self, index: usize) -> Option<u16> {
        let token = self.tokens.get(index)?;
        match token.kind {
            TokenKind::Number {
                value,
                int_digits: 4,
                plain_int: true,
            } => u16::try_from(value.as_int()?).ok(),
            _ => None,
        }
    }

    /// `May 18, 2020`, `September 2015`, `May 18`: a month name followed by a day or a year.
    fn month_first_date(&self, index: usize) -> Option<Reading> {
        let month = self.month(index)?;
        let mut next = index + 1;
        if self.symbol(next) == Some('.') {
            next += 1;
        }
        if let Some(year) = self.year_at(next) {
            let date = Date {
                year: Some(year),
                month: Some(month),
                day: None,
            };
            return Some(Self::date_reading(index, next + 1, date));
        }
        let day = match self.tokens.get(next).map(|token| token.kind) {
            Some(TokenKind::Number {
                value,
                int_digits: 1 | 2,
                plain_int: true,
            }) => value
                .as_int()
                .and_then(|d| u8::try_from(d).ok())
                .filter(|d| (1..=31).contains(d)),
            _ => None,
        };
        let Some(day) = day else {
            // A month alone ("in May"): weak, like 5月 alone; not at the start of a sentence,
            // where "May" and "March" are more often verbs.
            let date = Date {
                month: Some(month),
                ..Date::default()
            };
            return (index > 0).then(|| Reading {
                words: true,
                ..Self::date_reading(index, index + 1, date)
            });
        };
        next += 1;
        if !self.gap(next) && self.word_is(next, &self.rules.ordinal_suffixes) {
            next += 1;
        }
        let mut date = Date {
            year: None,
            month: Some(month),
            day: Some(day),
        };
        let mut after = next;
        if self.symbol(after) == Some(',') {
            after += 1;
        }
        if let Some(year) = self.year_at(after) {
            date.year = Some(year);
            next = after + 1;
        }
        Some(Self::date_reading(index, next, date))
    }

    /// The index after a percent sign or word at `index`, if there is one.
    fn percent_at(&self, index: usize) -> Option<usize> {
        if matches!(self.symbol(index), Some('%' | '％')) {
            return Some(index + 1);
        }
        self.rules
            .percent
            .iter()
            .find(|phrase| self.phrase_matches(index, phrase))
            .map(|phrase| index + phrase.len())
    }

    fn phrase_matches(&self, index: usize, phrase: &[String]) -> bool {
        phrase.iter().enumerate().all(|(offset, word)| {
            self.word(index + offset)
                .is_some_and(|written| same_word(written, word))
        })
    }

    /// Number words: `seventy-three`, `two hundred and five`, `a million`, `twenty-first`,
    /// `soixante-dix`, `quatre-vingt-dix-sept`.
    fn phrase_at(&self, index: usize) -> Option<Reading> {
        let mut at = index;
        if matches!(self.number_word(index + 1), Some(Word::Scale(_)))
            && self.word_is(index, &self.rules.articles)
        {
            at += 1;
        }
        let mut total: i128 = 0;
        let mut current: i128 = 0;
        let mut previous: Option<Word> = None;
        let mut ordinal = false;
        let mut count = 0;
        let next = loop {
            let Some(word) = self.number_word(at) else {
                break at;
            };
            if ordinal || matches!(word, Word::Fraction(_) | Word::Vague(_)) {
                break at;
            }
            match word {
                Word::Cardinal(value) | Word::Ordinal(value) => {
                    let value = i128::from(value);
                    if value == 20 && previous == Some(Word::Cardinal(4)) {
                        // quatre-vingt(s): 4 × 20.
                        current = current.checked_add(76)?;
                    } else {
                        current = current.checked_add(value)?;
                    }
                    ordinal = matches!(word, Word::Ordinal(_));
                }
                Word::Fraction(_) | Word::Vague(_) => break at,
                Word::Scale(power) => {
                    let unit = 10_i128.checked_pow(power)?;
                    if power == 2 {
                        current = current.max(1).checked_mul(unit)?;
                    } else {
                        total = total.checked_add(current.max(1).checked_mul(unit)?)?;
                        current = 0;
                    }
                }
            }
            previous = Some(word);
            count += 1;
            match self.next_in_phrase(at, word)? {
                Some(next) => at = next,
                None => break at + 1,
            }
        };
        if count == 0 {
            return None;
        }
        let before = if index >= 2 && self.symbol(index - 1) == Some('-') && !self.gap(index) {
            index - 2
        } else {
            index.wrapping_sub(1)
        };
        if count == 1
            && ordinal
            && index > 0
            && (matches!(self.number_word(before), Some(Word::Cardinal(_)))
                || self.word_is(before, &self.rules.articles))
        {
            // A fraction: "one third", "a third", "two fifths".
            return None;
        }
        let mut value = Decimal::from_int(total.checked_add(current)?);
        let mut kind = if ordinal {
            Kind::Ordinal
        } else {
            Kind::Cardinal
        };
        let mut end = next;
        let decades = !ordinal && self.word_is(next, &self.rules.decades);
        if decades {
            // "seven decades" for 70年.
            value = value.times_pow10(1)?;
            end = next + 1;
        } else if !ordinal && let Some(after) = self.percent_at(next) {
            kind = Kind::Percent;
            end = after;
        }
        if count == 1
            && !decades
            && kind == Kind::Cardinal
            && (self.word_is(index, &self.rules.lone)
                || matches!(self.number_word(index), Some(Word::Scale(_))))
        {
            // "one of", "un pays", a bare "hundred".
            return None;
        }
        Some(Reading {
            value,
            kind,
            first: index,
            next: end,
            words: true,
            approx: None,
            vague: false,
        })
    }

    /// Where a number-word phrase goes on after the word `word` at `at`: `Some(Some(index))` for
    /// the next number word, `Some(None)` when the phrase ends, `None` when the phrase is a name
    /// (Ten-Hundred-Thousand) and no quantity at all.
    #[expect(
        clippy::option_option,
        reason = "three outcomes read naturally with `?` at the call site"
    )]
    fn next_in_phrase(&self, at: usize, word: Word) -> Option<Option<usize>> {
        let after = at + 1;
        let tight = |index: usize| {
            self.symbol(index) == Some('-') && !self.gap(index) && !self.gap(index + 1)
        };
        if tight(after) {
            // vingt-et-un, trente-et-unième.
            if self.word_is(after + 1, &self.rules.joiners)
                && tight(after + 2)
                && self.number_word(after + 3).is_some()
            {
                return Some(Some(after + 3));
            }
            if let Some(next) = self.number_word(after + 1) {
                if starts_upper(self.raw(at)) && starts_upper(self.raw(after + 1)) {
                    // Ten-Hundred-Thousand, Twenty-First Century Fund: a name, not a quantity.
                    return None;
                }
                return Some(compound(word, next).then_some(after + 1));
            }
        }
        let following = self.number_word(after + 1);
        let joiner = self.word_is(after, &self.rules.joiners)
            && following.is_some()
            && (matches!(word, Word::Scale(_))
                || (matches!(word, Word::Cardinal(tens) if tens >= 20 && tens.is_multiple_of(10))
                    && matches!(following, Some(Word::Cardinal(unit)) if unit < 20))
                || self.word_is(after + 1, &self.rules.lone)
                || following == Some(Word::Ordinal(1)));
        if joiner {
            return Some(Some(after + 1));
        }
        let continues = self
            .number_word(after)
            .is_some_and(|next| joins(word, next));
        Some(continues.then_some(after))
    }

    /// Joins a range after `reading`: `2013-2018`, `2013–18`, `from 2013 to 2018`,
    /// `between 2013 and 2018`, `de 2013 à 2018`.
    fn range_after(&self, reading: Reading) -> Reading {
        let of = match reading.kind {
            Kind::Year => Endpoint::Year,
            Kind::Cardinal => Endpoint::Cardinal,
            Kind::Percent => Endpoint::Percent,
            _ => return reading,
        };
        let at = reading.next;
        let dash = matches!(self.symbol(at), Some('-' | '–' | '—' | '~'));
        let between =
            reading.first > 0 && self.word_is(reading.first - 1, &self.rules.range_between);
        let word = self.word_is(at, &self.rules.range_to)
            || (between && self.word_is(at, &self.rules.range_and));
        if !dash && !word {
            return reading;
        }
        let Step::Found(second, _) = self.simple_at(at + 1) else {
            return reading;
        };
        if second.words != reading.words {
            return reading;
        }
        let mut end = second.value;
        let of = match (of, second.kind) {
            (Endpoint::Year | Endpoint::Cardinal, Kind::Year) => Endpoint::Year,
            (Endpoint::Year, Kind::Cardinal) if dash && second.value < Decimal::from_int(100) => {
                // 2013–18.
                let start = reading.value.as_int().unwrap_or_default();
                let mut year = start / 100 * 100 + second.value.as_int().unwrap_or_default();
                if year < start {
                    year += 100;
                }
                end = Decimal::from_int(year);
                Endpoint::Year
            }
            (Endpoint::Cardinal, Kind::Cardinal) => Endpoint::Cardinal,
            (Endpoint::Percent | Endpoint::Cardinal, Kind::Percent) => Endpoint::Percent,
            _ => return reading,
        };
        Reading {
            kind: Kind::Range { end, of },
            next: second.next,
            ..reading
        }
    }

    /// Attaches approximation phrases before (`more than US$`) and after (`or more`) a reading.
    fn approx_around(&self, reading: &mut Reading) {
        let mut at = reading.first;
        while at > 0
            && (matches!(
                self.symbol(at - 1),
                Some('$' | '€' | '£' | '¥' | '\'' | '’')
            ) || self.word_is(at - 1, &self.rules.currency))
        {
            at -= 1;
        }
        let calendar = matches!(
            reading.kind,
            Kind::Year
                | Kind::Date(_)
                | Kind::Range {
                    of: Endpoint::Year,
                    ..
                }
        );
        for (phrase, approx) in &self.rules.before {
            if calendar
                && phrase.len() == 1
                && self.rules.calendar_prepositions.contains(&phrase[0])
            {
                // "over 2013-2018" is "during", not "more than".
                continue;
            }
            if at >= phrase.len() && self.phrase_matches(at - phrase.len(), phrase) {
                reading.approx = Some(*approx);
                reading.first = at - phrase.len();
                break;
            }
        }
        if reading.approx.is_none() {
            for (phrase, approx) in &self.rules.after {
                if self.phrase_matches(reading.next, phrase) {
                    reading.approx = Some(*approx);
                    reading.next += phrase.len();
                    break;
                }
            }
        }
    }
}

/// Whether number word `next` may follow `word` across a hyphen: "seventy-three",
/// "twenty-first", `dix-sept`, `soixante-dix`, `quatre-vingt`, `deux-cents`; not "one-third".
fn compound(word: Word, next: Word) -> bool {
    match (word, next) {
        (Word::Cardinal(10), Word::Cardinal(unit) | Word::Ordinal(unit)) => (7..=9).contains(&unit),
        (Word::Cardinal(tens), Word::Cardinal(unit) | Word::Ordinal(unit))
            if tens >= 20 && tens.is_multiple_of(10) =>
        {
            unit < 20
        }
        (Word::Cardinal(4), Word::Cardinal(20)) => true,
        _ => joins(word, next),
    }
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether number word `next` continues a phrase after `word` across a space: "twenty three",
/// "two hundred", "five thousand", "hundred five".
fn joins(word: Word, next: Word) -> bool {
    match (word, next) {
        (_, Word::Scale(_)) => !matches!(word, Word::Ordinal(_)),
        (Word::Scale(_), Word::Cardinal(_) | Word::Ordinal(_)) => true,
        (Word::Cardinal(tens), Word::Cardinal(unit) | Word::Ordinal(unit)) => {
            tens >= 20 && tens.is_multiple_of(10) && unit < 10
        }
        _ => false,
    }
}
