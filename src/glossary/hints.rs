//! Glossary hints for `duiyi next` and `duiyi show`: the terms found in a segment's source with
//! their approved (else proposed) renderings, a [`HintSource`].

use std::collections::HashMap;

use super::{Glossary, GlossaryError, GlossaryStore, Matcher, Status};
use crate::hints::{Hint, HintKind, HintSource, Query};

/// The glossaries of some languages, compiled for finding terms.
pub struct GlossaryHints {
    by_lang: HashMap<String, (Glossary, Matcher)>,
}

impl GlossaryHints {
    /// Loads and compiles the glossaries of `langs` (a language without a glossary has no hints).
    pub fn load(store: &GlossaryStore, langs: &[String]) -> Result<Self, GlossaryError> {
        let mut by_lang = HashMap::new();
        for lang in langs {
            let g = store.load(lang)?;
            if g.is_empty() {
                continue;
            }
            let m = Matcher::for_glossary(&g)?;
            by_lang.insert(lang.clone(), (g, m));
        }
        Ok(Self { by_lang })
    }
}

impl HintSource for GlossaryHints {
    fn kind(&self) -> HintKind {
        HintKind::Glossary
    }

    fn hints(&self, query: &Query<'_>) -> Vec<Hint> {
        let source = query.source;
        let Some((g, m)) = self.by_lang.get(query.lang) else {
            return Vec::new();
        };
        let mut out: Vec<Hint> = Vec::new();
        for hit in m.find(source) {
            let term = m.term(hit.term);
            if out.iter().any(|h| h.source == term) {
                continue;
            }
            let chosen = g
                .approved(term)
                .or_else(|| g.by_source(term).find(|t| t.status == Status::Proposed));
            if let Some(t) = chosen {
                out.push(Hint {
                    source: term.to_string(),
                    target: t.target.clone(),
                    score: None,
                    note: Some(t.status.to_string()),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{Stamp, Term};

    #[test]
    fn approved_terms_of_the_source_are_hinted() {
        let dir = tempfile::tempdir().unwrap();
        let store = GlossaryStore::new(dir.path());
        let stamp = Stamp::now("li");
        store
            .update("en", |g| {
                let mut c = vec![g.add(
                    Term::proposed("一带一路", "Belt and Road Initiative", "", "", ""),
                    &stamp,
                )?];
                c.push(g.add(
                    Term::proposed("南南合作", "South-South cooperation", "", "", ""),
                    &stamp,
                )?);
                c.extend(g.approve("一带一路", None, false, None, &stamp)?);
                Ok(c)
            })
            .unwrap();
        let hints = GlossaryHints::load(&store, &["en".into(), "fr".into()]).unwrap();
        let query = |source, lang| Query {
            doc: "doc",
            id: "0123456789abcdef",
            source,
            lang,
        };
        let found = hints.hints(&query("推进共建“一带一路”和南南合作。", "en"));
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].target, "Belt and Road Initiative");
        assert_eq!(found[0].note.as_deref(), Some("approved"));
        assert_eq!(found[1].note.as_deref(), Some("proposed"));
        assert!(hints.hints(&query("推进共建“一带一路”。", "fr")).is_empty());
    }
}
