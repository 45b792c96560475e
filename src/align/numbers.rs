//! Numbers as alignment anchors: `2702亿` and `270.2 billion` both become the key `2.702e11`.
//!
//! Chinese and English go through the numbers check's parser (`crate::qa::numbers`:
//! Chinese numerals, dates, ranges; [`for_each_quantity`]); other languages through a small
//! reader of Arabic digits with scale words ([`for_each_number`]). On the Bible set both give
//! the identical alignment in the same time (0.35 s).

/// Calls `found` with a canonical key for each number written in `text` with Arabic digits
/// (ASCII or full-width), scaled by a following 万/亿/thousand/million/billion/trillion and
/// marked when a percent sign or word follows.
pub(crate) fn for_each_number(text: &str, mut found: impl FnMut(&str)) {
    let chars: Vec<char> = text.chars().map(narrow_digit).collect();
    let mut at = 0;
    while at < chars.len() {
        if !chars[at].is_ascii_digit() || (at > 0 && is_word_char(chars[at - 1])) {
            at += 1;
            continue;
        }
        let mut literal = String::new();
        while at < chars.len() {
            let c = chars[at];
            if c.is_ascii_digit() {
                literal.push(c);
            } else if (c == ',' || (c == '.' && !literal.contains('.')))
                && chars.get(at + 1).is_some_and(char::is_ascii_digit)
            {
                if c == '.' {
                    literal.push('.');
                }
            } else {
                break;
            }
            at += 1;
        }
        if at < chars.len() && is_word_char(chars[at]) && chars[at].is_ascii_alphabetic() {
            // "G20", "5G", "2nd": part of a name or an ordinal, not a quantity.
            let suffix: String = chars[at..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            if !matches!(suffix.as_str(), "m" | "bn" | "k") {
                continue;
            }
        }
        let Ok(mut value) = literal.parse::<f64>() else {
            continue;
        };
        let (scale, percent) = scale_after(&chars[at..]);
        value *= scale;
        let key = if percent {
            format!("{value:.4e}%")
        } else {
            format!("{value:.4e}")
        };
        found(&key);
    }
}

/// Like [`for_each_number`], but with the numbers check's parser (`crate::qa::numbers`):
/// Chinese numerals (`二十`, `百分之四十`), dates and ranges too. Small number words (`两`,
/// "two") are skipped: translators rephrase them too freely to anchor anything.
pub(crate) fn for_each_quantity(text: &str, chinese: bool, mut found: impl FnMut(&str)) {
    use crate::qa::numbers::{Kind, Lang, extract_target, extract_zh};
    let quantities = if chinese {
        extract_zh(text)
    } else {
        extract_target(text, Lang::En)
    };
    let num = |v: f64| format!("{v:.4e}");
    for q in quantities.iter().filter(|q| !q.weak) {
        let value = q.value.to_f64();
        match q.kind {
            Kind::Percent => found(&format!("{}%", num(value))),
            Kind::Date(d) => {
                if let Some(y) = d.year {
                    found(&num(f64::from(y)));
                }
                if let (Some(m), Some(day)) = (d.month, d.day) {
                    found(&format!("d{m}-{day}"));
                }
            }
            Kind::Range { end, .. } => {
                found(&num(value));
                found(&num(end.to_f64()));
            }
            Kind::Cardinal | Kind::Ordinal | Kind::Year => found(&num(value)),
            Kind::Fraction { of } => found(&format!("{}/{of}", num(value))),
        }
    }
}

/// The multiplier and percent flag written right after a number.
fn scale_after(rest: &[char]) -> (f64, bool) {
    let mut i = 0;
    while rest.get(i).is_some_and(|c| *c == ' ') {
        i += 1;
    }
    let word: String = rest[i..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .map(char::to_ascii_lowercase)
        .collect();
    let mut scale = 1.0;
    let mut next = i;
    match word.as_str() {
        "thousand" | "k" => scale = 1e3,
        "million" | "m" => scale = 1e6,
        "billion" | "bn" => scale = 1e9,
        "trillion" => scale = 1e12,
        "percent" | "per" => return (1.0, word == "percent" || percent_word(&rest[i..])),
        _ => {}
    }
    if scale > 1.0 {
        next = i + word.chars().count();
    } else {
        match (rest.get(i), rest.get(i + 1)) {
            (Some('万'), Some('亿')) => (scale, next) = (1e12, i + 2),
            (Some('万'), _) => (scale, next) = (1e4, i + 1),
            (Some('亿'), _) => (scale, next) = (1e8, i + 1),
            (Some('千'), _) => (scale, next) = (1e3, i + 1),
            _ => {}
        }
    }
    while rest.get(next).is_some_and(|c| *c == ' ') {
        next += 1;
    }
    let percent = matches!(rest.get(next), Some('%' | '％')) || percent_word(&rest[next..]);
    (scale, percent)
}

fn percent_word(rest: &[char]) -> bool {
    let word: String = rest.iter().take(8).collect::<String>().to_ascii_lowercase();
    word.starts_with("percent") || word.starts_with("per cent")
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Full-width digits (０–９) as ASCII digits.
fn narrow_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_number(text, |k| out.push(k.to_owned()));
        out
    }

    #[test]
    fn chinese_and_english_scales_meet() {
        assert_eq!(keys("援助2702亿元"), keys("aid of 270.2 billion yuan"));
        assert_eq!(keys("3万人"), keys("30,000 people"));
        assert_eq!(keys("１２万"), keys("120 thousand"));
        assert_eq!(keys("2021年"), keys("in 2021."));
    }

    #[test]
    fn a_second_point_ends_the_number() {
        assert_eq!(keys("1.2.3"), vec!["1.2000e0", "3.0000e0"]);
    }

    #[test]
    fn percentages_are_distinct_from_plain_numbers() {
        assert_eq!(keys("47.30%"), keys("47.30 percent"));
        assert_ne!(keys("47.3%"), keys("47.3"));
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_read_without_panicking(text in "\\PC{0,80}") {
            for_each_number(&text, |k| assert!(!k.is_empty()));
        }

        #[test]
        fn digit_runs_always_give_a_key(text in "[0-9０-９,.万亿% ]{1,40}") {
            let mut n = 0;
            for_each_number(&text, |_| n += 1);
            let digits = text.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
            proptest::prop_assert!(n > 0 || !digits);
        }
    }

    #[test]
    fn names_with_digits_are_not_quantities() {
        assert!(keys("G20 and COVID-19").iter().all(|k| k != "2.0000e1"));
        assert!(keys("the 5G network").is_empty());
    }
}
