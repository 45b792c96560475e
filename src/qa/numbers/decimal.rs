//! An exact decimal value: `mantissa × 10^-scale`, always normalized.
//!
//! Floating point would make 270.2 × 10⁹ and 2702 × 10⁸ differ in the last bit; the check compares
//! values written in different magnitudes on both sides, so it needs exact equality. Numbers in
//! documents have few significant digits, so an `i128` mantissa is ample; arithmetic that would
//! overflow yields `None` and the expression is simply not extracted.

use std::fmt;

/// An exact, normalized, non-negative decimal number.
///
/// Two `Decimal`s are equal exactly when they denote the same number, whatever their written
/// form: `270.2e9 == 2702e8`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Decimal {
    mantissa: i128,
    scale: u8,
}

/// The largest number of fraction digits kept; more is never a real quantity in prose.
const MAX_SCALE: u8 = 18;

impl Decimal {
    /// Zero.
    pub const ZERO: Self = Self {
        mantissa: 0,
        scale: 0,
    };

    /// The integer `value`.
    pub fn from_int(value: i128) -> Self {
        Self::new(value, 0)
    }

    /// `mantissa × 10^-scale`, normalized.
    fn new(mut mantissa: i128, mut scale: u8) -> Self {
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        if mantissa == 0 {
            scale = 0;
        }
        Self { mantissa, scale }
    }

    /// Parses ASCII digits with at most one `.` (for example `270.2`, `0.59`, `47.30`).
    ///
    /// Returns `None` for anything else or on overflow.
    pub fn parse(text: &str) -> Option<Self> {
        let mut mantissa: i128 = 0;
        let mut scale: u8 = 0;
        let mut seen_point = false;
        let mut seen_digit = false;
        for byte in text.bytes() {
            match byte {
                b'0'..=b'9' => {
                    seen_digit = true;
                    mantissa = mantissa
                        .checked_mul(10)?
                        .checked_add(i128::from(byte - b'0'))?;
                    if seen_point {
                        scale += 1;
                        if scale > MAX_SCALE {
                            return None;
                        }
                    }
                }
                b'.' if !seen_point => seen_point = true,
                _ => return None,
            }
        }
        seen_digit.then(|| Self::new(mantissa, scale))
    }

    /// `self × 10^exponent`, or `None` on overflow.
    pub fn times_pow10(self, exponent: u32) -> Option<Self> {
        let mut mantissa = self.mantissa;
        let mut scale = self.scale;
        let mut remaining = exponent;
        while remaining > 0 && scale > 0 {
            scale -= 1;
            remaining -= 1;
        }
        mantissa = mantissa.checked_mul(10_i128.checked_pow(remaining)?)?;
        Some(Self::new(mantissa, scale))
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        let scale = self.scale.max(other.scale);
        let left = self
            .mantissa
            .checked_mul(10_i128.checked_pow(u32::from(scale - self.scale))?)?;
        let right = other
            .mantissa
            .checked_mul(10_i128.checked_pow(u32::from(scale - other.scale))?)?;
        Some(Self::new(left.checked_add(right)?, scale))
    }

    /// The value as an integer, when it is one.
    pub fn as_int(self) -> Option<i128> {
        (self.scale == 0).then_some(self.mantissa)
    }

    /// Whether the value is a whole number.
    pub fn is_integer(self) -> bool {
        self.scale == 0
    }

    /// The nearest `f64`, for statistics and display only; comparisons use the exact value.
    pub fn to_f64(self) -> f64 {
        self.mantissa as f64 / 10_f64.powi(i32::from(self.scale))
    }

    /// A reader-friendly English rendering: `270.2 billion`, `12.85 million`, `200,000`, `47.3`.
    pub fn human(self) -> String {
        for (exponent, word) in [(12, "trillion"), (9, "billion"), (6, "million")] {
            let unit = Self::from_int(10_i128.pow(exponent));
            if self >= unit {
                let mut scaled = self;
                scaled.scale += u8::try_from(exponent).unwrap_or(0);
                return format!("{} {word}", Self::new(scaled.mantissa, scaled.scale));
            }
        }
        let plain = self.to_string();
        let (int, frac) = plain
            .split_once('.')
            .map_or((plain.as_str(), ""), |(i, f)| (i, f));
        let mut grouped = String::with_capacity(int.len() + int.len() / 3 + frac.len() + 1);
        for (index, digit) in int.chars().enumerate() {
            if index > 0 && (int.len() - index) % 3 == 0 && int.len() > 4 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        if !frac.is_empty() {
            grouped.push('.');
            grouped.push_str(frac);
        }
        grouped
    }
}

impl fmt::Display for Decimal {
    /// Plain decimal notation without grouping: `270200000000`, `47.3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.mantissa.unsigned_abs().to_string();
        if self.mantissa < 0 {
            f.write_str("-")?;
        }
        let scale = usize::from(self.scale);
        if scale == 0 {
            return f.write_str(&digits);
        }
        if digits.len() > scale {
            let (int, frac) = digits.split_at(digits.len() - scale);
            write!(f, "{int}.{frac}")
        } else {
            write!(f, "0.{}{digits}", "0".repeat(scale - digits.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Decimal;

    fn d(text: &str) -> Decimal {
        Decimal::parse(text).expect("test literal parses")
    }

    #[test]
    fn equal_values_written_differently_are_equal() {
        assert_eq!(d("270.2").times_pow10(9), d("2702").times_pow10(8));
        assert_eq!(d("47.30"), d("47.3"));
        assert_eq!(d("0.59").times_pow10(8), d("59").times_pow10(6));
        assert_eq!(
            d("1.2").times_pow10(8),
            Some(Decimal::from_int(120_000_000))
        );
    }

    #[test]
    fn display_and_human() {
        assert_eq!(d("0.05").to_string(), "0.05");
        assert_eq!(d("47.30").to_string(), "47.3");
        assert_eq!(
            d("2702").times_pow10(8).map(Decimal::human).as_deref(),
            Some("270.2 billion")
        );
        assert_eq!(Decimal::from_int(200_000).human(), "200,000");
        assert_eq!(Decimal::from_int(2018).human(), "2018");
        assert_eq!(
            d("12.85").times_pow10(6).map(Decimal::human).as_deref(),
            Some("12.85 million")
        );
    }

    #[test]
    fn parse_rejects_junk_and_overflow() {
        assert_eq!(Decimal::parse(""), None);
        assert_eq!(Decimal::parse("."), None);
        assert_eq!(Decimal::parse("1.2.3"), None);
        assert_eq!(Decimal::parse(&"9".repeat(60)), None);
        assert_eq!(Decimal::from_int(1).times_pow10(200), None);
    }

    #[test]
    fn addition_aligns_scales() {
        assert_eq!(d("0.5").checked_add(d("1.25")), Some(d("1.75")));
    }
}
