//! The untranslated check: an empty target, a target identical to its source, Han characters
//! left in a target language not written with them.
//!
//! Chinese script is allowed in such a target only where the glossary says so: the Han runs of
//! approved renderings (a proper noun kept as 人民币 beside its transcription) are allowed.

use super::{Check, Issue, Item, is_han};
use crate::lang::writes_han;

/// The untranslated check for one target language.
pub struct Untranslated {
    han_target: bool,
    allowed: Vec<String>,
}

impl Untranslated {
    /// The check for `lang`; `approved_targets` are the glossary's approved renderings, whose
    /// Han characters are allowed in the target.
    pub fn new<'a>(lang: &str, approved_targets: impl IntoIterator<Item = &'a str>) -> Self {
        let mut allowed: Vec<String> = approved_targets
            .into_iter()
            .flat_map(han_runs)
            .map(str::to_string)
            .collect();
        allowed.sort();
        allowed.dedup();
        Self {
            han_target: writes_han(lang),
            allowed,
        }
    }
}

/// The maximal runs of Han characters in `text`.
fn han_runs(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(is_han)?;
        let tail = &rest[start..];
        let len = tail.find(|c: char| !is_han(c)).unwrap_or(tail.len());
        let run = &tail[..len];
        rest = &tail[len..];
        Some(run)
    })
}

impl Check for Untranslated {
    fn name(&self) -> &'static str {
        "untranslated"
    }

    fn check(&self, item: &Item<'_>, out: &mut Vec<Issue>) {
        let target = item.target.trim();
        if target.is_empty() {
            out.push(Issue::error("not translated"));
            return;
        }
        if target == item.source.trim() && item.source.chars().any(is_han) {
            out.push(Issue::error("the target is the source, untranslated"));
            return;
        }
        if self.han_target {
            return;
        }
        let left: Vec<&str> = han_runs(target)
            .filter(|run| !self.allowed.iter().any(|a| a.contains(run)))
            .collect();
        if !left.is_empty() {
            out.push(Issue::error(format!(
                "Chinese characters left in the target: {}; translate them, or approve a rendering that keeps them in the glossary",
                left.join(", ")
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::testing::{issues, item};

    const SOURCE: &str = "中国开展国际发展合作，源于中华民族的天下大同理念。";
    const GOOD: &str = "China's international development cooperation is rooted in the Chinese vision of a world of harmony.";

    #[test]
    fn a_translation_passes() {
        let check = Untranslated::new("en", []);
        assert!(issues(&check, &item(SOURCE, GOOD)).is_empty());
        // A Chinese target may of course hold Han characters.
        assert!(
            issues(
                &Untranslated::new("zh-TW", []),
                &item(SOURCE, "中國開展國際發展合作。")
            )
            .is_empty()
        );
        // A source without Han characters may be copied.
        assert!(issues(&check, &item("2020", "2020")).is_empty());
    }

    #[test]
    fn empty_and_copied_targets_are_errors() {
        let check = Untranslated::new("en", []);
        assert_eq!(issues(&check, &item(SOURCE, "  ")).len(), 1);
        let copied = issues(&check, &item(SOURCE, SOURCE));
        assert!(copied[0].message.contains("untranslated"), "{copied:?}");
    }

    #[test]
    fn han_characters_are_allowed_only_where_the_glossary_keeps_them() {
        let source = "提供援外优惠贷款1311亿元人民币。";
        let target = "Concessional loans totaled 131.1 billion yuan (人民币).";
        let found = issues(&Untranslated::new("en", []), &item(source, target));
        assert!(found[0].message.contains("人民币"), "{found:?}");
        let check = Untranslated::new("en", ["renminbi (人民币)"]);
        assert!(issues(&check, &item(source, target)).is_empty());
        let half = "Concessional loans totaled 131.1 billion 亿元 yuan (人民币).";
        let found = issues(&check, &item(source, half));
        assert!(found[0].message.contains("亿元") && !found[0].message.contains("人民币"));
    }
}
