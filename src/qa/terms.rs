//! The terms check: the glossary applied to a segment, via [`crate::glossary::check()`].
//!
//! A source term with an approved rendering that the target lacks is an error, a forbidden
//! variant in the target is an error, a deprecated rendering a warning. Matching (width and
//! quotation folding in Chinese; case, inflection and line breaks in the target) is the
//! glossary's.

use crate::glossary::check::Checker;
use crate::glossary::{FindingKind, Glossary, GlossaryError};

use super::{Check, Issue, Item};

/// The terms check for one language's glossary.
pub struct Terms {
    checker: Checker,
}

impl Terms {
    /// Compiles the glossary.
    pub fn new(glossary: &Glossary) -> Result<Self, GlossaryError> {
        Ok(Self {
            checker: Checker::new(glossary)?,
        })
    }
}

impl Check for Terms {
    fn name(&self) -> &'static str {
        "terms"
    }

    fn check(&self, item: &Item<'_>, out: &mut Vec<Issue>) {
        for f in self
            .checker
            .check_segment(item.r#ref, item.source, item.target)
        {
            let expected = f.expected.as_deref().unwrap_or("(no approved rendering)");
            let found = f.found.as_deref().unwrap_or_default();
            out.push(match f.kind {
                FindingKind::MissingApproved => {
                    Issue::error(format!("{} should be rendered “{expected}”", f.term))
                }
                FindingKind::Forbidden => Issue::error(format!(
                    "forbidden rendering “{found}” of {}; use “{expected}”",
                    f.term
                )),
                FindingKind::Deprecated => Issue::warning(format!(
                    "deprecated rendering “{found}” of {}; use “{expected}”",
                    f.term
                )),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::check::sample as glossary;
    use crate::qa::Severity;
    use crate::qa::testing::{issues, item};

    const SOURCE: &str = "推进共建“一带一路”。";

    #[test]
    fn the_approved_rendering_passes() {
        let check = Terms::new(&glossary()).unwrap();
        let found = issues(
            &check,
            &item(SOURCE, "We will advance the Belt and Road Initiative."),
        );
        assert!(found.is_empty(), "{found:?}");
        let assistance_fund = item(
            "——南南合作援助基金。",
            "– The South-South Cooperation Assistance Fund.",
        );
        assert!(issues(&check, &assistance_fund).is_empty());
    }

    #[test]
    fn missing_forbidden_and_deprecated_renderings_are_reported() {
        let check = Terms::new(&glossary()).unwrap();
        let missing = issues(&check, &item(SOURCE, "We will advance the new Silk Road."));
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].severity, Severity::Error);
        assert!(missing[0].message.contains("Belt and Road Initiative"));
        let bad = issues(
            &check,
            &item(SOURCE, "We will advance OBOR (One Belt, One Road)."),
        );
        let severities: Vec<_> = bad.iter().map(|i| i.severity).collect();
        assert_eq!(
            severities,
            vec![Severity::Error, Severity::Error, Severity::Warning],
            "{bad:?}"
        );
        assert!(bad[1].message.contains("OBOR"));
    }

    #[test]
    fn untranslated_segments_are_not_term_findings() {
        let check = Terms::new(&glossary()).unwrap();
        assert!(issues(&check, &item(SOURCE, "")).is_empty());
    }
}
