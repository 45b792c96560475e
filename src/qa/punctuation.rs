//! The punctuation check for targets written with Latin punctuation (en, fr, ...):
//! full-width punctuation left from the source, unbalanced quotes and brackets, doubled spaces,
//! a sentence end missing or added compared with the source, and 《》 titles not rendered as
//! titles (quotes or italics, per `[qa] titles`).
//!
//! “ and ” are the same code points in Chinese and English typography, so they count as
//! full-width only when `[qa] curly_quotes = false`.

use super::{Check, Issue, Item, QaError};
use crate::lang::writes_han;

/// How a 《》 title must look in the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleStyle {
    /// In quotation marks: “…”, "…", «…».
    Quotes,
    /// In italics: *…*, _…_, <i>…</i>, <em>…</em>.
    Italics,
    /// Either.
    Any,
}

impl TitleStyle {
    /// Reads the `[qa] titles` setting.
    pub fn parse(value: &str) -> Result<Self, QaError> {
        match value {
            "quotes" => Ok(Self::Quotes),
            "italics" => Ok(Self::Italics),
            "any" => Ok(Self::Any),
            _ => Err(QaError::Setting {
                key: "titles",
                value: value.to_string(),
                expected: "use quotes, italics or any",
            }),
        }
    }
}

/// The punctuation check for one target language.
pub struct Punctuation {
    applies: bool,
    titles: TitleStyle,
    curly_quotes: bool,
}

impl Punctuation {
    /// The check for `lang` (it does nothing for languages written with Han characters).
    pub fn new(lang: &str, titles: TitleStyle, curly_quotes: bool) -> Self {
        Self {
            applies: !writes_han(lang),
            titles,
            curly_quotes,
        }
    }
}

/// Whether `c` is full-width punctuation of the source (，。；：（）《》、！？【】「」『』): a
/// `match`, not a search of a string of them, because it runs on every character of every target.
fn is_full_width(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '；'
            | '：'
            | '（'
            | '）'
            | '《'
            | '》'
            | '、'
            | '！'
            | '？'
            | '【'
            | '】'
            | '「'
            | '」'
            | '『'
            | '』'
    )
}
const PAIRS: [(char, char); 5] = [('(', ')'), ('[', ']'), ('“', '”'), ('«', '»'), ('‘', '’')];

/// How a text ends: with a full stop (or ! ?), or not.
fn ends_sentence(text: &str) -> bool {
    let mut t = text.trim_end();
    // Trailing references such as （见图1） or (Figure 1) and closing quotes do not count.
    loop {
        let before = t;
        t = t.trim_end_matches([
            '”', '’', '"', '\'', '»', '」', '』', ' ', '\u{a0}', '\u{3000}',
        ]);
        for (open, close) in [('（', '）'), ('(', ')')] {
            if t.ends_with(close)
                && let Some(at) = t.rfind(open)
                && t[at..].chars().count() <= 24
            {
                let inner = &t[at..];
                let is_reference = inner.chars().any(|c| c.is_ascii_digit())
                    && !inner[open.len_utf8()..].contains([open, '.', '。']);
                if is_reference && at > 0 {
                    t = t[..at].trim_end();
                }
            }
        }
        if t == before {
            break;
        }
    }
    t.ends_with(['。', '！', '？', '.', '!', '?', '…'])
}

fn count_titles(target: &str, style: TitleStyle) -> usize {
    let quoted =
        spans(target, "“", "”") + spans(target, "«", "»") + target.matches('"').count() / 2;
    let italic = target.matches("<i>").count()
        + target.matches("<em>").count()
        + target.matches('*').count() / 2
        + target
            .split_whitespace()
            .filter(|w| {
                w.starts_with('_') || w.trim_end_matches(['.', ',', ';', ':']).ends_with('_')
            })
            .count()
            / 2;
    match style {
        TitleStyle::Quotes => quoted,
        TitleStyle::Italics => italic,
        TitleStyle::Any => quoted + italic,
    }
}

fn spans(text: &str, open: &str, close: &str) -> usize {
    text.matches(open).count().min(text.matches(close).count())
}

impl Check for Punctuation {
    fn name(&self) -> &'static str {
        "punctuation"
    }

    fn check(&self, item: &Item<'_>, out: &mut Vec<Issue>) {
        let target = item.target;
        if !self.applies || target.trim().is_empty() {
            return;
        }
        let mut left: Vec<char> = target
            .chars()
            .filter(|&c| is_full_width(c) || (!self.curly_quotes && matches!(c, '“' | '”')))
            .collect();
        left.dedup();
        if !left.is_empty() {
            let list: String = left.iter().collect();
            out.push(Issue::error(format!(
                "full-width punctuation left in the target: {list}"
            )));
        }
        for (open, close) in PAIRS {
            let (o, c) = (target.matches(open).count(), target.matches(close).count());
            // An apostrophe is a ’ too: only a missing ’ is a sign of trouble.
            if o != c && !(open == '‘' && c > o) {
                out.push(Issue::warning(format!(
                    "unbalanced {open}{close}: {o} opening, {c} closing"
                )));
            }
        }
        if target.matches('"').count() % 2 == 1 {
            out.push(Issue::warning(
                "unbalanced \": an odd number of straight quotes",
            ));
        }
        if target.trim().contains("  ") {
            out.push(Issue::warning("doubled space"));
        }
        let (s, t) = (ends_sentence(item.source), ends_sentence(target));
        if s && !t {
            out.push(Issue::warning(
                "the source ends a sentence, the target does not: a full stop is missing",
            ));
        } else if t && !s && !item.source.trim().is_empty() {
            out.push(Issue::warning(
                "the target ends with a full stop where the source has none (heading, list lead-in?)",
            ));
        }
        let titles = item
            .source
            .matches('《')
            .count()
            .min(item.source.matches('》').count());
        if titles > 0 {
            let rendered = count_titles(target, self.titles);
            if rendered < titles {
                let how = match self.titles {
                    TitleStyle::Quotes => "in quotation marks",
                    TitleStyle::Italics => "in italics",
                    TitleStyle::Any => "in quotation marks or italics",
                };
                out.push(Issue::warning(format!(
                    "{titles} title(s) in 《》 in the source, {rendered} rendered {how}"
                )));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::testing::{issues, item};

    fn check() -> Punctuation {
        Punctuation::new("en", TitleStyle::Any, true)
    }

    const SOURCE: &str = "中国稳步提高对外援助资金规模，进一步扩大援助范围。";
    const GOOD: &str = "China has steadily increased its foreign aid and expanded its scope.";

    #[test]
    fn clean_targets_pass() {
        assert!(issues(&check(), &item(SOURCE, GOOD)).is_empty());
        let with_ref = item(
            "占对外援助总额的48.52%，用于建设大中型基础设施。（见图1）",
            "They accounted for 48.52 percent, used for large and medium-sized infrastructure. (Figure 1)",
        );
        assert!(issues(&check(), &with_ref).is_empty());
        let heading = item(
            "一、新时代中国国际发展合作的理念",
            "I. China's Vision for International Development Cooperation in the New Era",
        );
        assert!(issues(&check(), &heading).is_empty());
        let quoted = item(
            "追求“大道之行、天下为公”。",
            "China pursues “a world that belongs to all”.",
        );
        assert!(issues(&check(), &quoted).is_empty());
        // A Chinese target is not judged by Latin rules.
        assert!(
            issues(
                &Punctuation::new("zh-TW", TitleStyle::Any, true),
                &item(SOURCE, "中國穩步提高。")
            )
            .is_empty()
        );
    }

    #[test]
    fn full_width_punctuation_is_an_error() {
        let found = issues(
            &check(),
            &item(
                SOURCE,
                "China has steadily increased its foreign aid，and expanded its scope。",
            ),
        );
        assert!(found[0].message.contains("，。"), "{found:?}");
        assert_eq!(found[0].severity, crate::qa::Severity::Error);
        let strict = Punctuation::new("en", TitleStyle::Any, false);
        let found = issues(
            &strict,
            &item("追求“大道之行”。", "China pursues “a world of harmony”."),
        );
        assert!(found[0].message.contains('“'), "{found:?}");
    }

    #[test]
    fn unbalanced_brackets_doubled_spaces_and_sentence_ends_are_warnings() {
        let found = issues(
            &check(),
            &item(
                SOURCE,
                "China has steadily increased its foreign aid (in scale and  scope",
            ),
        );
        let messages: Vec<&str> = found.iter().map(|i| i.message.as_str()).collect();
        assert_eq!(found.len(), 3, "{messages:?}");
        assert!(messages[0].starts_with("unbalanced ()"));
        assert!(messages[1].starts_with("doubled space"));
        assert!(messages[2].contains("full stop is missing"));
        let extra = issues(&check(), &item("（一）文化渊源", "1. Cultural Roots."));
        assert!(
            extra[0].message.contains("where the source has none"),
            "{extra:?}"
        );
        let odd = issues(
            &check(),
            &item(SOURCE, "China has \"steadily increased its aid."),
        );
        assert!(odd[0].message.contains("straight quotes"));
    }

    #[test]
    fn titles_must_be_rendered_as_titles() {
        let source = "推动共建“一带一路”倡议对接非洲联盟《2063年议程》。";
        let quoted =
            "It aligned the Belt and Road Initiative with the African Union's “Agenda 2063”.";
        let italic =
            "It aligned the Belt and Road Initiative with the African Union's *Agenda 2063*.";
        let plain = "It aligned the Belt and Road Initiative with the African Union's Agenda 2063.";
        assert!(issues(&check(), &item(source, quoted)).is_empty());
        assert!(issues(&check(), &item(source, italic)).is_empty());
        assert_eq!(issues(&check(), &item(source, plain)).len(), 1);
        let quotes_only = Punctuation::new("en", TitleStyle::Quotes, true);
        assert_eq!(issues(&quotes_only, &item(source, italic)).len(), 1);
        assert!(issues(&quotes_only, &item(source, quoted)).is_empty());
        let italics_only = Punctuation::new("en", TitleStyle::Italics, true);
        assert_eq!(issues(&italics_only, &item(source, quoted)).len(), 1);
        assert!(TitleStyle::parse("bold").is_err());
    }
}
