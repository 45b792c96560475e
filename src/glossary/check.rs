//! Terminology checks on translated segments.
//!
//! For each (segment, source, target) triple, the source terms found by the [`Matcher`]
//! (leftmost-longest) are looked up: a term with an approved rendering that the target lacks
//! is a finding, and so is a target using one of the term's forbidden variants or a deprecated
//! rendering. A forbidden or deprecated match that lies inside the approved rendering's own
//! match is not reported (a deprecated "South-South Cooperation" must not flag the approved
//! "South-South cooperation" when case is ignored). Segments with an empty target are not
//! translated yet and are skipped.
//!
//! The check works on plain triples so it runs on anything: the translation store, an import
//! preview, a test.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use super::{Glossary, GlossaryError, Matcher, Rendering, Status};

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// The source has the term; the target lacks its approved rendering.
    MissingApproved,
    /// The target uses a forbidden variant of a term found in the source.
    Forbidden,
    /// The target uses a deprecated rendering of a term found in the source.
    Deprecated,
}

/// One terminology problem in one segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The segment, as the caller named it (a ref such as `3.2¶4.1`).
    pub segment: String,
    /// What is wrong.
    pub kind: FindingKind,
    /// The source term found in the segment.
    pub term: String,
    /// The approved rendering, when the term has one.
    pub expected: Option<String>,
    /// The text found in the target (forbidden or deprecated findings).
    pub found: Option<String>,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let expected = self
            .expected
            .as_deref()
            .unwrap_or("(no approved rendering)");
        match self.kind {
            FindingKind::MissingApproved => write!(
                f,
                "{}: {} should be rendered {expected:?}",
                self.segment, self.term
            ),
            FindingKind::Forbidden | FindingKind::Deprecated => write!(
                f,
                "{}: {} variant {:?} used for {}; use {expected:?}",
                self.segment,
                if self.kind == FindingKind::Forbidden {
                    "forbidden"
                } else {
                    "deprecated"
                },
                self.found.as_deref().unwrap_or(""),
                self.term
            ),
        }
    }
}

struct TermRules {
    approved: Option<Rendering>,
    avoid: Vec<(FindingKind, Rendering)>,
}

/// A glossary compiled for checking many segments.
pub struct Checker {
    matcher: Matcher,
    rules: HashMap<String, TermRules>,
}

impl Checker {
    /// Compiles the glossary's approved, deprecated and forbidden renderings.
    pub fn new(glossary: &Glossary) -> Result<Self, GlossaryError> {
        let matcher = Matcher::for_glossary(glossary)?;
        let mut rules: HashMap<String, TermRules> = HashMap::new();
        for term in glossary.terms() {
            let rule = rules
                .entry(term.source.clone())
                .or_insert_with(|| TermRules {
                    approved: None,
                    avoid: Vec::new(),
                });
            match term.status {
                Status::Approved => {
                    rule.approved = Some(Rendering::new(&term.target, term.case_sensitive)?);
                }
                Status::Deprecated => rule.avoid.push((
                    FindingKind::Deprecated,
                    Rendering::new(&term.target, term.case_sensitive)?,
                )),
                Status::Proposed | Status::Rejected => {}
            }
            for variant in &term.forbidden {
                rule.avoid.push((
                    FindingKind::Forbidden,
                    Rendering::new(variant, term.case_sensitive)?,
                ));
            }
        }
        Ok(Self { matcher, rules })
    }

    /// The findings for one segment.
    pub fn check_segment(&self, segment: &str, source: &str, target: &str) -> Vec<Finding> {
        let mut findings = Vec::new();
        if target.trim().is_empty() {
            return findings;
        }
        let mut seen = Vec::new();
        for hit in self.matcher.find(source) {
            let term = self.matcher.term(hit.term);
            if seen.contains(&term) {
                continue;
            }
            seen.push(term);
            let Some(rule) = self.rules.get(term) else {
                continue;
            };
            // Where the approved rendering stands is needed only when an avoided one is used.
            let mut approved_ranges: Option<Vec<Range<usize>>> = None;
            let expected = || rule.approved.as_ref().map(|r| r.text().to_owned());
            if rule.approved.as_ref().is_some_and(|r| !r.is_in(target)) {
                findings.push(Finding {
                    segment: segment.to_owned(),
                    kind: FindingKind::MissingApproved,
                    term: term.to_owned(),
                    expected: expected(),
                    found: None,
                });
            }
            for (kind, rendering) in &rule.avoid {
                if !rendering.is_in(target) {
                    continue;
                }
                let approved_ranges = approved_ranges.get_or_insert_with(|| {
                    rule.approved
                        .as_ref()
                        .map(|r| r.find_iter(target).collect())
                        .unwrap_or_default()
                });
                let used = rendering.find_iter(target).find(|range| {
                    !approved_ranges
                        .iter()
                        .any(|a| a.start <= range.start && range.end <= a.end)
                });
                if let Some(range) = used {
                    findings.push(Finding {
                        segment: segment.to_owned(),
                        kind: *kind,
                        term: term.to_owned(),
                        expected: expected(),
                        found: Some(target[range].to_owned()),
                    });
                }
            }
        }
        findings
    }
}

/// Checks (segment, source, target) triples against `glossary`; findings in input order.
pub fn check<'a, I>(glossary: &Glossary, segments: I) -> Result<Vec<Finding>, GlossaryError>
where
    I: IntoIterator<Item = (&'a str, &'a str, &'a str)>,
{
    let checker = Checker::new(glossary)?;
    Ok(segments
        .into_iter()
        .flat_map(|(segment, source, target)| checker.check_segment(segment, source, target))
        .collect())
}

/// The glossary the term-check tests share: 一带一路 approved as "Belt and Road Initiative", with
/// a deprecated rendering and a forbidden variant; 南南合作 and 南南合作援助基金 approved;
/// 正确义利观 only proposed.
#[cfg(test)]
pub(crate) fn sample() -> Glossary {
    use super::{Stamp, Term};

    let stamp = Stamp::now("li");
    let mut g = Glossary::new("en");
    for (source, target) in [
        ("一带一路", "Belt and Road Initiative"),
        ("一带一路", "One Belt, One Road"),
        ("南南合作", "South-South cooperation"),
        (
            "南南合作援助基金",
            "South-South Cooperation Assistance Fund",
        ),
        ("正确义利观", "right approach to justice and interests"),
    ] {
        g.add(Term::proposed(source, target, "", "", ""), &stamp)
            .unwrap();
    }
    g.approve(
        "一带一路",
        Some("Belt and Road Initiative"),
        false,
        None,
        &stamp,
    )
    .unwrap();
    g.deprecate("一带一路", Some("One Belt, One Road"), None, &stamp)
        .unwrap();
    g.forbid("一带一路", "OBOR", &stamp).unwrap();
    g.approve("南南合作", None, false, None, &stamp).unwrap();
    g.approve("南南合作援助基金", None, false, None, &stamp)
        .unwrap();
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{Stamp, Term};

    use super::sample as glossary;

    fn kinds(findings: &[Finding]) -> Vec<(FindingKind, &str)> {
        findings.iter().map(|f| (f.kind, f.term.as_str())).collect()
    }

    #[test]
    fn approved_rendering_present_passes() {
        let g = glossary();
        let findings = check(
            &g,
            [(
                "1¶1.1",
                "共建“一带一路”。",
                "jointly building the Belt and Road\nInitiative.",
            )],
        )
        .unwrap();
        assert!(findings.is_empty(), "{findings:?}");
    }

    #[test]
    fn missing_forbidden_and_deprecated_are_reported() {
        let g = glossary();
        let findings = check(
            &g,
            [
                (
                    "1¶1.1",
                    "共建“一带一路”。",
                    "building One Belt, One Road (OBOR).",
                ),
                (
                    "1¶1.2",
                    "推进南南合作。",
                    "promote cooperation among the South.",
                ),
                ("1¶1.3", "推进南南合作。", ""),
            ],
        )
        .unwrap();
        assert_eq!(
            kinds(&findings),
            vec![
                (FindingKind::MissingApproved, "一带一路"),
                (FindingKind::Forbidden, "一带一路"),
                (FindingKind::Deprecated, "一带一路"),
                (FindingKind::MissingApproved, "南南合作"),
            ]
        );
        assert_eq!(findings[1].found.as_deref(), Some("OBOR"));
        assert!(findings[0].to_string().contains("Belt and Road Initiative"));
    }

    #[test]
    fn only_the_longest_source_term_is_checked() {
        let g = glossary();
        // 南南合作 inside 南南合作援助基金 is not required separately.
        let findings = check(
            &g,
            [(
                "2¶1.1",
                "南南合作援助基金",
                "the South-South Cooperation Assistance Fund",
            )],
        )
        .unwrap();
        assert!(findings.is_empty(), "{findings:?}");
    }

    #[test]
    fn a_deprecated_rendering_inside_the_approved_one_is_not_reported() {
        let stamp = Stamp::now("li");
        let mut g = Glossary::new("en");
        g.add(Term::proposed("援助", "foreign aid", "", "", ""), &stamp)
            .unwrap();
        g.add(Term::proposed("援助", "aid", "", "", ""), &stamp)
            .unwrap();
        g.approve("援助", Some("foreign aid"), false, None, &stamp)
            .unwrap();
        g.deprecate("援助", Some("aid"), None, &stamp).unwrap();
        let ok = check(&g, [("s", "援助", "China's foreign aid")]).unwrap();
        assert!(ok.is_empty(), "{ok:?}");
        let bad = check(&g, [("s", "援助", "foreign aid and other aid")]).unwrap();
        assert_eq!(kinds(&bad), vec![(FindingKind::Deprecated, "援助")]);
    }
}
