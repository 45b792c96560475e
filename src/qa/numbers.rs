//! The numbers check: every quantity of the Chinese source must reappear, with the same value, in
//! the target.
//!
//! Both sides are read into typed [`Quantity`] values ([`extract_zh`], [`extract_target`]) and the
//! two multisets are compared ([`compare`]). Values are exact decimals ([`Decimal`]), so `2702亿`
//! and `270.2 billion` are equal without any rounding tolerance.
//!
//! The design aims at few false alarms on real official prose:
//! - Words that contain numerals but are not quantities (一带一路, 三方合作, 第一时间) are listed as
//!   data in `numbers-zh.toml`; a lone 一 (usually the article "a") and lone English "one" are never
//!   quantities; vague amounts (上千万, 数十, "thousands of") are skipped on both sides.
//! - Small numbers written as words (两, 三, "two", "first") are *weak*: when a weak quantity has
//!   no counterpart it is a warning on the source side and is ignored on the target side, unless
//!   the other side also has an unmatched quantity of the same class, in which case the value was
//!   most likely changed and both are errors.
//! - A differing approximation (70多 rendered as plain "70") or kind (第73届 rendered as "73") is a
//!   warning; a value present on one side only is an error.
//!
//! A date or a range counts by its parts, so `2013年至2018年` matches "from 2013 to 2018",
//! "2013–18" and "between 2013 and 2018" alike.

mod decimal;
mod latin;
pub(crate) use latin::roman_value;
mod zh;

use std::fmt;
use std::ops::Range;

pub use decimal::Decimal;
pub use latin::extract_target;
pub use zh::extract_zh;

/// A numeric expression found in a segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quantity {
    /// The value. For a [`Kind::Date`] it is the year (zero when the text gives none); for a
    /// [`Kind::Range`] it is the start.
    pub value: Decimal,
    /// What the value counts.
    pub kind: Kind,
    /// The approximation marker written with it, if any (多, 余, "more than", "nearly", ...).
    pub approx: Option<Approx>,
    /// Byte range of the whole expression in the segment text, markers included.
    pub span: Range<usize>,
    /// Written as a small number word (两, 三, "two", "first"): such a quantity is often left
    /// implicit or rephrased by translators, so it weighs less when unmatched.
    pub weak: bool,
}

/// What a [`Quantity`] counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A plain number: `3艘`, `20万`, "12.85 million".
    Cardinal,
    /// An ordinal: `第73届`, `十八大`, "73rd", "first", `73e`.
    Ordinal,
    /// A percentage: `47.30%`, `百分之四十`, "47.3 percent", `47,3 %`.
    Percent,
    /// A calendar year: `2013年`, "2013".
    Year,
    /// A calendar date, possibly partial: `2020年5月18日`, "May 2020", `1月10日`.
    Date(Date),
    /// A range: `2013年至2018年`, "2013–18", "between 2013 and 2018".
    Range {
        /// The end of the range (the start is [`Quantity::value`]).
        end: Decimal,
        /// What both ends count.
        of: Endpoint,
    },
}

/// A calendar date whose parts may be missing (`2019年5月`, `5月18日`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Date {
    /// The year.
    pub year: Option<u16>,
    /// The month, 1 to 12.
    pub month: Option<u8>,
    /// The day of the month, 1 to 31.
    pub day: Option<u8>,
}

/// What both ends of a [`Kind::Range`] count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// Plain numbers.
    Cardinal,
    /// Calendar years.
    Year,
    /// Percentages.
    Percent,
}

/// An approximation marker attached to a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Approx {
    /// 多, 余, 超过, 逾, 以上; "more than", "over", "upwards of"; `plus de`.
    Over,
    /// 近, 将近, 接近; "nearly", "almost", "close to"; `près de`, `presque`.
    Nearly,
    /// 约, 大约, 左右; "about", "around", "some", "approximately"; `environ`.
    About,
    /// 不到, 不足, 以下; "less than", "fewer than", "under"; `moins de`.
    Under,
}

/// A target language whose number conventions the check knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English: `1,234.5`, "12.85 million", "more than 70".
    En,
    /// French: `1 234,5`, `12,85 millions`, `plus de 70`, `73e`.
    Fr,
}

impl Lang {
    /// The language of a BCP 47 tag (`en`, `en-GB`, `fr_FR`), if supported.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = crate::lang::primary(tag);
        if primary.eq_ignore_ascii_case("en") {
            Some(Self::En)
        } else if primary.eq_ignore_ascii_case("fr") {
            Some(Self::Fr)
        } else {
            None
        }
    }
}

/// How serious a [`Mismatch`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Worth a look: a lost approximation, a changed kind, a small number word left out.
    Warning,
    /// A value present on one side only.
    Error,
}

/// Why a [`Mismatch`] was reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    /// A source value has no counterpart in the target.
    MissingInTarget,
    /// A target value has no counterpart in the source.
    ExtraInTarget,
    /// The value matches but the approximation marker differs (70多 vs "70").
    ApproxDiffers,
    /// The value matches but what it counts differs (第73届 vs "73").
    KindDiffers,
}

/// A quantity as written, for reporting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The expression as it appears in the segment (`2702亿`, "207.2 billion").
    pub text: String,
    /// The parsed quantity.
    pub quantity: Quantity,
}

/// One disagreement between the numbers of a source segment and its translation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong.
    pub reason: Reason,
    /// The source side, when the finding involves one.
    pub source: Option<Found>,
    /// The target side, when the finding involves one.
    pub target: Option<Found>,
}

/// An unsupported target language was asked for.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NumbersError {
    /// The language tag is not one the numbers check knows.
    #[error("the numbers check does not know the conventions of language `{0}`; supported: en, fr")]
    UnsupportedLanguage(String),
}

/// Compares the numbers of a Chinese `source` segment with those of its `target` translation in
/// the language tagged `target_lang` (`en`, `fr`, ...).
///
/// Returns the mismatches in source order then target order; an empty vector means the numbers
/// agree.
pub fn compare(
    source: &str,
    target: &str,
    target_lang: &str,
) -> Result<Vec<Mismatch>, NumbersError> {
    let lang = Lang::from_tag(target_lang)
        .ok_or_else(|| NumbersError::UnsupportedLanguage(target_lang.to_owned()))?;
    Ok(compare_in(source, target, lang))
}

/// [`compare`] for an already resolved target language.
pub fn compare_in(source: &str, target: &str, lang: Lang) -> Vec<Mismatch> {
    let sources = extract_zh(source);
    let targets = extract_target(target, lang);
    if sources.is_empty() && targets.is_empty() {
        return Vec::new();
    }
    compare_quantities(source, &sources, target, &targets)
}

/// The comparison class of an atom: values only match within a class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Class {
    /// Cardinals and years: a year is a number like any other.
    Number,
    Ordinal,
    Percent,
    /// Dates compare by their parts.
    Date(Date),
}

/// One comparable value: a quantity, or one end of a range.
#[derive(Clone, Copy, Debug)]
struct Atom {
    value: Decimal,
    class: Class,
    approx: Option<Approx>,
    weak: bool,
    /// Index of the quantity it comes from.
    quantity: usize,
    /// Set once paired with an atom of the other side.
    matched: bool,
}

fn atoms(quantities: &[Quantity]) -> Vec<Atom> {
    let mut atoms = Vec::with_capacity(quantities.len() + 2);
    for (index, quantity) in quantities.iter().enumerate() {
        let atom = |value, class| Atom {
            value,
            class,
            approx: quantity.approx,
            weak: quantity.weak,
            quantity: index,
            matched: false,
        };
        match quantity.kind {
            Kind::Cardinal | Kind::Year => atoms.push(atom(quantity.value, Class::Number)),
            Kind::Ordinal => atoms.push(atom(quantity.value, Class::Ordinal)),
            Kind::Percent => atoms.push(atom(quantity.value, Class::Percent)),
            Kind::Date(date) => atoms.push(atom(Decimal::ZERO, Class::Date(date))),
            Kind::Range { end, of } => {
                let class = match of {
                    Endpoint::Cardinal | Endpoint::Year => Class::Number,
                    Endpoint::Percent => Class::Percent,
                };
                atoms.push(atom(quantity.value, class));
                atoms.push(atom(end, class));
            }
        }
    }
    atoms
}

/// Two date parts agree when equal or when either is unknown.
fn agree<T: PartialEq + Copy>(p: Option<T>, q: Option<T>) -> bool {
    p.is_none() || q.is_none() || p == q
}

/// Whether two atoms of different classes denote the same thing written as a different kind.
fn same_value_other_kind(a: &Atom, b: &Atom) -> bool {
    match (a.class, b.class) {
        (Class::Date(x), Class::Date(y)) => {
            // A date rendered with fewer parts (2015年9月 as "2015") still names the same time.
            agree(x.year, y.year) && agree(x.month, y.month) && agree(x.day, y.day)
        }
        (Class::Date(date), Class::Number) => {
            date.year.map(|year| Decimal::from_int(i128::from(year))) == Some(b.value)
        }
        (Class::Number, Class::Date(date)) => {
            date.year.map(|year| Decimal::from_int(i128::from(year))) == Some(a.value)
        }
        _ => a.value == b.value,
    }
}

fn class_family(class: Class) -> u8 {
    match class {
        Class::Number => 0,
        Class::Ordinal => 1,
        Class::Percent => 2,
        Class::Date(_) => 3,
    }
}

fn found(text: &str, quantities: &[Quantity], atom: &Atom) -> Found {
    let quantity = quantities[atom.quantity].clone();
    Found {
        text: text
            .get(quantity.span.clone())
            .unwrap_or_default()
            .to_owned(),
        quantity,
    }
}

/// Compares quantities already extracted from `source_text` and `target_text`.
///
/// Useful when a caller extracts once and compares against several targets.
pub fn compare_quantities(
    source_text: &str,
    sources: &[Quantity],
    target_text: &str,
    targets: &[Quantity],
) -> Vec<Mismatch> {
    let mut left = atoms(sources);
    let mut right = atoms(targets);
    let mut findings = Vec::new();

    // Pass 1: same value, class and approximation.
    pair(&mut left, &mut right, |a, b| {
        a.class == b.class && a.value == b.value && a.approx == b.approx
    });
    // Pass 2: the approximation differs.
    for (a, b) in pair(&mut left, &mut right, |a, b| {
        a.class == b.class && a.value == b.value
    }) {
        findings.push(Mismatch {
            severity: Severity::Warning,
            reason: Reason::ApproxDiffers,
            source: Some(found(source_text, sources, &a)),
            target: Some(found(target_text, targets, &b)),
        });
    }
    // Pass 3: the same value written as another kind.
    for (a, b) in pair(&mut left, &mut right, same_value_other_kind) {
        findings.push(Mismatch {
            severity: Severity::Warning,
            reason: Reason::KindDiffers,
            source: Some(found(source_text, sources, &a)),
            target: Some(found(target_text, targets, &b)),
        });
    }

    let unmatched_families = |atoms: &[Atom]| {
        atoms
            .iter()
            .filter(|atom| !atom.matched)
            .fold(0_u8, |set, atom| set | 1 << class_family(atom.class))
    };
    let left_families = unmatched_families(&left);
    let right_families = unmatched_families(&right);
    for atom in left.iter().filter(|atom| !atom.matched) {
        let contested = right_families & (1 << class_family(atom.class)) != 0;
        findings.push(Mismatch {
            severity: if atom.weak && !contested {
                Severity::Warning
            } else {
                Severity::Error
            },
            reason: Reason::MissingInTarget,
            source: Some(found(source_text, sources, atom)),
            target: None,
        });
    }
    for atom in right.iter().filter(|atom| !atom.matched) {
        let contested = left_families & (1 << class_family(atom.class)) != 0;
        if atom.weak && !contested {
            continue;
        }
        findings.push(Mismatch {
            severity: Severity::Error,
            reason: Reason::ExtraInTarget,
            source: None,
            target: Some(found(target_text, targets, atom)),
        });
    }
    findings
}

/// Pairs each unmatched left atom with the first unmatched right atom accepted by `accept`, marks
/// both matched, and returns the new pairs.
fn pair(
    left: &mut [Atom],
    right: &mut [Atom],
    accept: impl Fn(&Atom, &Atom) -> bool,
) -> Vec<(Atom, Atom)> {
    let mut pairs = Vec::new();
    for a in left.iter_mut().filter(|atom| !atom.matched) {
        if let Some(b) = right.iter_mut().find(|b| !b.matched && accept(a, b)) {
            a.matched = true;
            b.matched = true;
            pairs.push((*a, *b));
        }
    }
    pairs
}

impl Quantity {
    /// The value in reader-friendly English, with its kind and approximation:
    /// `270.2 billion`, `more than 70`, `47.3%`, `73rd`, `2013–2018`, `2020-05-18`.
    pub fn describe(&self) -> String {
        let approx = match self.approx {
            None => "",
            Some(Approx::Over) => "more than ",
            Some(Approx::Nearly) => "nearly ",
            Some(Approx::About) => "about ",
            Some(Approx::Under) => "less than ",
        };
        let value = match self.kind {
            Kind::Cardinal => self.value.human(),
            Kind::Year => self.value.to_string(),
            Kind::Percent => format!("{}%", self.value),
            Kind::Ordinal => ordinal(self.value),
            Kind::Date(date) => describe_date(date),
            Kind::Range { end, of } => match of {
                Endpoint::Year => format!("{}–{end}", self.value),
                Endpoint::Cardinal => format!("{}–{}", self.value.human(), end.human()),
                Endpoint::Percent => format!("{}%–{end}%", self.value),
            },
        };
        format!("{approx}{value}")
    }
}

fn ordinal(value: Decimal) -> String {
    let suffix = match value.as_int().map(|n| (n % 10, n % 100)) {
        Some((_, 11..=13)) | None => "th",
        Some((1, _)) => "st",
        Some((2, _)) => "nd",
        Some((3, _)) => "rd",
        Some(_) => "th",
    };
    format!("{value}{suffix}")
}

fn describe_date(date: Date) -> String {
    match (date.year, date.month, date.day) {
        (Some(y), Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
        (Some(y), Some(m), None) => format!("{y:04}-{m:02}"),
        (None, Some(m), Some(d)) => format!("--{m:02}-{d:02}"),
        (Some(y), _, _) => format!("{y:04}"),
        (None, Some(m), None) => format!("--{m:02}"),
        (None, _, _) => "date".to_owned(),
    }
}

impl fmt::Display for Found {
    /// `2702亿 (270.2 billion)`, or just the text when it already reads as the description.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let description = self.quantity.describe();
        if description == self.text {
            f.write_str(&self.text)
        } else {
            write!(f, "{} ({description})", self.text)
        }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.reason, &self.source, &self.target) {
            (Reason::MissingInTarget, Some(source), _) => {
                write!(f, "missing in target: {source}")
            }
            (Reason::ExtraInTarget, _, Some(target)) => write!(f, "extra in target: {target}"),
            (Reason::ApproxDiffers, Some(source), Some(target)) => {
                write!(f, "approximation differs: source {source}, target {target}")
            }
            (Reason::KindDiffers, Some(source), Some(target)) => {
                write!(f, "kind differs: source {source}, target {target}")
            }
            _ => f.write_str("numbers differ"),
        }
    }
}

#[cfg(test)]
mod tests;
