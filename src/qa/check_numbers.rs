//! The numbers check: the [`numbers`] library applied to a segment.
//!
//! The library does the work (万/亿 magnitudes, Chinese numerals, approximations, dates and
//! ranges, read in the target language's conventions: `1,234.5` in English, `1 234,5` in
//! French); this file only turns its mismatches into issues. A language whose conventions the
//! library does not know is not checked (the command says so once).

use super::numbers::{self, Lang, Mismatch};
use super::{Check, Issue, Item, Severity};

/// The numbers check for one target language.
pub struct Numbers {
    lang: Lang,
}

impl Numbers {
    /// The check for `lang`, or `None` when the library does not know its conventions.
    pub fn new(lang: &str) -> Option<Self> {
        Lang::from_tag(lang).map(|lang| Self { lang })
    }
}

fn issue(m: &Mismatch) -> Issue {
    let severity = match m.severity {
        numbers::Severity::Error => Severity::Error,
        numbers::Severity::Warning => Severity::Warning,
    };
    Issue {
        severity,
        message: m.to_string(),
    }
}

impl Check for Numbers {
    fn name(&self) -> &'static str {
        "numbers"
    }

    fn check(&self, item: &Item<'_>, out: &mut Vec<Issue>) {
        if item.target.trim().is_empty() {
            return;
        }
        out.extend(
            numbers::compare_in(item.source, item.target, self.lang)
                .iter()
                .map(issue),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::testing::{issues, item};

    /// Every example of the issue: source, a correct rendering, a wrong one.
    const EXAMPLES: &[(&str, &str, &str)] = &[
        (
            "2013年至2018年，中国对外援助金额为2702亿元人民币。",
            "From 2013 to 2018, China's foreign aid totaled RMB270.2 billion.",
            "From 2013 to 2018, China's foreign aid totaled RMB270.2 million.",
        ),
        (
            "中国提供了累计1.2亿美元的紧急人道主义物资援助。",
            "China provided emergency humanitarian supplies worth US$120 million in total.",
            "China provided emergency humanitarian supplies worth US$12 million in total.",
        ),
        (
            "项目年发电量达1285万千瓦时。",
            "The project generates 12.85 million kWh a year.",
            "The project generates 1.285 million kWh a year.",
        ),
        (
            "中国向该基金捐款0.59亿美元。",
            "China donated US$59 million to the fund.",
            "China donated US$590 million to the fund.",
        ),
        (
            "共约20万名人员受益。",
            "About 200,000 people benefited.",
            "About 20,000 people benefited.",
        ),
        (
            "培训了1万名技术人员。",
            "It trained 10,000 technicians.",
            "It trained 1,000 technicians.",
        ),
        (
            "项目历时两年。",
            "The project took two years.",
            "The project took three years.",
        ),
        (
            "中国派出3艘医疗船。",
            "China sent three hospital ships.",
            "China sent four hospital ships.",
        ),
        (
            "在第73届世界卫生大会上，中国宣布了这一举措。",
            "At the 73rd World Health Assembly, China announced this measure.",
            "At the 37th World Health Assembly, China announced this measure.",
        ),
        (
            "新中国成立70多年来，中国共向160多个国家提供援助。",
            "In the more than 70 years since the founding of the PRC, China has provided aid to more than 160 countries.",
            "In the more than 60 years since the founding of the PRC, China has provided aid to more than 160 countries.",
        ),
        (
            "2013年至2018年，中国举办7000余期项目。",
            "From 2013 to 2018, China held over 7,000 programs.",
            "From 2013 to 2018, China held over 700 programs.",
        ),
        (
            "提供无偿援助1278亿元人民币，占对外援助总额的47.30%。",
            "Grants totaled RMB127.8 billion, 47.3 percent of the total.",
            "Grants totaled RMB127.8 billion, 43.7 percent of the total.",
        ),
        (
            "2013年至2018年，中国共建设成套项目423个。",
            "In 2013-2018, China undertook 423 complete projects.",
            "In 2013-2019, China undertook 423 complete projects.",
        ),
        (
            "2020年5月18日，中国宣布将在两年内提供20亿美元国际援助。",
            "On May 18, 2020, China announced it would provide US$2 billion in international aid within two years.",
            "On May 19, 2020, China announced it would provide US$2 billion in international aid within two years.",
        ),
        (
            "2020年5月18日，中国宣布将在两年内提供20亿美元国际援助。",
            "On 18 May 2020, China announced it would provide US$2 billion in international aid within two years.",
            "On 18 May 2021, China announced it would provide US$2 billion in international aid within two years.",
        ),
    ];

    #[test]
    fn every_example_of_the_issue_passes_when_right_and_fails_when_wrong() {
        let check = Numbers::new("en").unwrap();
        for (source, good, bad) in EXAMPLES {
            let found = issues(&check, &item(source, good));
            assert!(found.is_empty(), "{source} / {good}: {found:?}");
            let found = issues(&check, &item(source, bad));
            assert!(!found.is_empty(), "{source} / {bad}: no finding");
        }
    }

    #[test]
    fn a_value_on_one_side_only_is_an_error_naming_it() {
        let check = Numbers::new("en").unwrap();
        let found = issues(
            &check,
            &item("共约20万名人员受益。", "About 20,000 people benefited."),
        );
        assert!(found.iter().any(|i| i.severity == Severity::Error));
        assert!(
            found.iter().any(|i| i.message.contains("20万")),
            "{found:?}"
        );
    }

    #[test]
    fn a_lost_approximation_is_a_warning() {
        let check = Numbers::new("en").unwrap();
        let found = issues(
            &check,
            &item("中国举办7000余期项目。", "China held 7,000 programs."),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].severity, Severity::Warning);
    }

    #[test]
    fn french_conventions_apply() {
        let check = Numbers::new("fr").unwrap();
        let source = "中国对外援助金额为2702亿元人民币，共约20万名人员受益。";
        let good = "L'aide s'élève à 270,2 milliards de yuans, et environ 200 000 personnes en ont bénéficié.";
        let bad = "L'aide s'élève à 270,2 millions de yuans, et environ 20 000 personnes en ont bénéficié.";
        assert!(issues(&check, &item(source, good)).is_empty());
        assert_eq!(issues(&check, &item(source, bad)).len(), 4);
    }

    #[test]
    fn untranslated_segments_and_unknown_languages_are_left_alone() {
        let check = Numbers::new("en").unwrap();
        assert!(issues(&check, &item("共约20万名人员受益。", "")).is_empty());
        assert!(Numbers::new("sw").is_none());
    }
}
