//! The length check: a target much longer or shorter than its source is often a sentence lost
//! or pasted twice.
//!
//! The expected ratio (target characters per source character) is learned from the language's
//! own translated segments with robust statistics: the median of the log ratios and their
//! median absolute deviation (MAD, scaled by 1.4826 to estimate a standard deviation), so a few
//! bad segments do not move it. A segment whose log ratio lies more than `[qa]
//! length_tolerance` scaled MADs from the median is reported. Until `[qa] length_min_samples`
//! segments are translated, the default ratio `[qa] length_ratio` (3.0 for English from
//! Chinese) with a MAD of 0.25 stands in. Segments under 8 source characters (digits not
//! counted) are too short to judge.

use super::{Check, Issue, Item};

/// Source texts shorter than this (in characters, whitespace excluded) are not judged.
const MIN_SOURCE_CHARS: usize = 8;
/// Below this many source characters the tolerance widens by √(`SHORT_SEGMENT` / n): the ratio of
/// a short segment varies more ("我的回答是肯定的！" is "My answer is yes!"), as any ratio of small
/// counts does.
const SHORT_SEGMENT: f64 = 20.0;
/// The scaled MAD assumed before there are enough samples, and the smallest one used.
const DEFAULT_MAD: f64 = 0.25;
const MIN_MAD: f64 = 0.12;

/// The length check.
pub struct Length {
    median: f64,
    mad: f64,
    tolerance: f64,
    min_samples: usize,
    learned_from: usize,
}

fn chars(text: &str) -> usize {
    if text.is_ascii() {
        // A Latin-script target, the common case: counted byte by byte (vectorized).
        text.bytes()
            .filter(|b| !matches!(b, b'\t'..=b'\r' | b' '))
            .count()
    } else {
        text.chars().filter(|c| !c.is_whitespace()).count()
    }
}

fn log_ratio(item: &Item<'_>) -> Option<f64> {
    let s = chars(item.source);
    let t = chars(item.target);
    // Digits are written alike on both sides: a date or a figure (2024年3月1日) is judged by its
    // other characters, too few to say anything.
    let words = item
        .source
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_digit() && !c.is_ascii_punctuation())
        .count();
    (words >= MIN_SOURCE_CHARS && t > 0).then(|| (t as f64 / s as f64).ln())
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        f64::midpoint(values[n / 2 - 1], values[n / 2])
    }
}

impl Length {
    /// The check with the default `ratio`, the `tolerance` in scaled MADs, and the number of
    /// translated segments needed before the learned ratio is used.
    pub fn new(ratio: f64, tolerance: f64, min_samples: usize) -> Self {
        Self {
            median: ratio.max(0.01).ln(),
            mad: DEFAULT_MAD,
            tolerance,
            min_samples: min_samples.max(3),
            learned_from: 0,
        }
    }

    /// The expected ratio and how many segments it was learned from (0: the default).
    pub fn expected(&self) -> (f64, usize) {
        (self.median.exp(), self.learned_from)
    }
}

impl Check for Length {
    fn name(&self) -> &'static str {
        "length"
    }

    fn learn(&mut self, items: &[Item<'_>]) {
        let mut ratios: Vec<f64> = items.iter().filter_map(log_ratio).collect();
        if ratios.len() < self.min_samples {
            return;
        }
        let m = median(&mut ratios);
        let mut deviations: Vec<f64> = ratios.iter().map(|r| (r - m).abs()).collect();
        self.median = m;
        self.mad = (median(&mut deviations) * 1.4826).max(MIN_MAD);
        self.learned_from = ratios.len();
    }

    fn check(&self, item: &Item<'_>, out: &mut Vec<Issue>) {
        let Some(r) = log_ratio(item) else {
            return;
        };
        let z = (r - self.median) / self.mad;
        let n = chars(item.source) as f64;
        let tolerance = self.tolerance * (SHORT_SEGMENT / n).sqrt().max(1.0);
        if z.abs() > tolerance {
            let how = if z > 0.0 { "long" } else { "short" };
            let basis = if self.learned_from > 0 {
                format!("learned from {} segments", self.learned_from)
            } else {
                "default".to_string()
            };
            out.push(Issue::warning(format!(
                "the target is unusually {how}: {:.2} characters per source character, expected about {:.2} ({basis})",
                r.exp(),
                self.median.exp()
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::testing::{issues, item};

    const SOURCE: &str = "中国稳步提高对外援助资金规模，进一步扩大援助范围。";
    const GOOD: &str = "China has steadily increased its foreign aid funding and further expanded the scope of its assistance.";

    #[test]
    fn short_segments_get_more_room() {
        // z = -3.55 for this 9-character source: within 3 × √(20/9) scaled MADs.
        let check = Length::new(3.78, 3.0, 1000);
        assert!(issues(&check, &item("我的回答是肯定的！", "My answer is yes!")).is_empty());
        // A long segment with the same ratio is still reported.
        assert_eq!(
            issues(
                &check,
                &item(SOURCE, "China gives more aid to more places.")
            )
            .len(),
            1
        );
    }

    #[test]
    fn the_default_ratio_judges_before_there_are_enough_samples() {
        let check = Length::new(2.2, 4.0, 30);
        assert!(issues(&check, &item(SOURCE, GOOD)).is_empty());
        let short = issues(&check, &item(SOURCE, "China gives aid."));
        assert!(short[0].message.contains("unusually short"), "{short:?}");
        let doubled = format!("{GOOD} {GOOD} {GOOD} {GOOD}");
        assert!(
            issues(&check, &item(SOURCE, &doubled))[0]
                .message
                .contains("long")
        );
        // Too short to judge.
        assert!(issues(&check, &item("前言", "Preface to the Present White Paper")).is_empty());
    }

    #[test]
    fn the_ratio_is_learned_robustly_from_the_project() {
        // A language whose translations run at about 1.2 characters per source character.
        let targets: Vec<String> = (0..40)
            .map(|i| "x".repeat(29 + i % 5))
            .chain(std::iter::once("x".repeat(400)))
            .collect();
        let source = "中".repeat(25);
        let items: Vec<Item<'_>> = targets.iter().map(|t| item(&source, t)).collect();
        let mut check = Length::new(2.2, 4.0, 30);
        check.learn(&items);
        let (ratio, n) = check.expected();
        assert_eq!(n, 41);
        assert!((ratio - 1.24).abs() < 0.05, "{ratio}");
        assert!(issues(&check, &items[0]).is_empty());
        // The outlier that did not move the median is reported.
        assert_eq!(issues(&check, &items[40]).len(), 1);
        // 2.2 per character, fine by default, is long for this language.
        assert_eq!(issues(&check, &item(&source, &"x".repeat(55))).len(), 1);
    }
}
