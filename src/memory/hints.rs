//! Memory hints for `duiyi next` and `duiyi show`: translations of the most similar sentences
//! (never the segment's own), with their score and where they come from, a
//! [`HintSource`].

use std::collections::HashMap;

use super::{Asking, Memory, MemoryError};
use crate::hints::{Hint, HintKind, HintSource, Query};
use crate::project::Project;

/// How many matches a segment is shown.
pub const LIMIT: usize = 3;

/// The memories of some languages.
#[derive(Debug)]
pub struct MemoryHints {
    by_lang: HashMap<String, Memory>,
    threshold: f64,
}

impl MemoryHints {
    /// Loads the memories of `langs` ([`Memory::from_project`]); matches scoring below
    /// `threshold` are not shown.
    pub fn load(project: &Project, langs: &[String], threshold: f64) -> Result<Self, MemoryError> {
        let mut by_lang = HashMap::new();
        for lang in langs {
            by_lang.insert(lang.clone(), Memory::from_project(project, lang)?);
        }
        Ok(Self { by_lang, threshold })
    }

    /// Hints from memories already built, by language.
    pub fn new(by_lang: HashMap<String, Memory>, threshold: f64) -> Self {
        Self { by_lang, threshold }
    }
}

impl HintSource for MemoryHints {
    fn kind(&self) -> HintKind {
        HintKind::Memory
    }

    fn hints(&self, query: &Query<'_>) -> Vec<Hint> {
        let Some(memory) = self.by_lang.get(query.lang) else {
            return Vec::new();
        };
        let asking = Asking {
            doc: query.doc,
            id: query.id,
        };
        memory
            .matches(query.source, self.threshold, Some(asking), LIMIT)
            .into_iter()
            .map(|m| Hint {
                source: m.entry.source.clone(),
                target: m.entry.target.clone(),
                score: Some(m.score),
                note: Some(m.entry.from.to_string()),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::Provenance;

    #[test]
    fn hints_name_their_score_and_origin_and_skip_the_segment_itself() {
        let mut m = Memory::new();
        for (id, source, target) in [
            ("aaaaaaaaaaaaaaaa", "中国坚持走和平发展道路。", "Own."),
            (
                "bbbbbbbbbbbbbbbb",
                "中国始终坚持走和平发展道路。",
                "Always.",
            ),
        ] {
            m.add(
                source,
                target,
                Provenance::Record {
                    doc: "doc".into(),
                    id: id.into(),
                    r#ref: "1¶1.1".into(),
                },
            );
        }
        let hints = MemoryHints::new(HashMap::from([("en".to_string(), m)]), 0.75);
        let query = Query {
            doc: "doc",
            id: "aaaaaaaaaaaaaaaa",
            source: "中国坚持走和平发展道路。",
            lang: "en",
        };
        let found = hints.hints(&query);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].target, "Always.");
        assert_eq!(found[0].note.as_deref(), Some("doc 1¶1.1"));
        assert!(found[0].score.is_some_and(|s| s > 0.8 && s < 1.0));
        assert!(
            hints
                .hints(&Query {
                    lang: "fr",
                    ..query
                })
                .is_empty()
        );
    }
}
