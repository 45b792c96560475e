//! Approved terms as protected placeholders, for engines that take neither a prompt nor a
//! glossary (LibreTranslate, Google, most local engines).
//!
//! Each occurrence of a term's source in the segment is replaced by a token the engine leaves
//! alone (`[[T1]]`), and the token is replaced by the approved rendering afterwards. A token the
//! engine dropped or mangled is simply not restored: the glossary check that follows then finds
//! the term missing, retries once, and flags the segment if it still fails.

use super::{Reply, Request, TermHint};

/// A segment with its terms replaced by tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protected {
    /// The text to send.
    pub text: String,
    /// (token, approved rendering), in token order.
    pub tokens: Vec<(String, String)>,
}

/// Replaces every occurrence of each term (longest first) with a token.
pub fn protect(source: &str, terms: &[TermHint]) -> Protected {
    let mut sorted: Vec<&TermHint> = terms.iter().filter(|t| !t.source.is_empty()).collect();
    sorted.sort_by_key(|t| std::cmp::Reverse(t.source.len()));
    let mut text = source.to_string();
    let mut tokens = Vec::new();
    for term in sorted {
        if text.contains(&term.source) {
            let token = format!("[[T{}]]", tokens.len() + 1);
            text = text.replace(&term.source, &token);
            tokens.push((token, term.target.clone()));
        }
    }
    Protected { text, tokens }
}

/// Puts the approved renderings back in place of their tokens.
pub fn restore(text: &str, tokens: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (token, target) in tokens {
        out = out.replace(token, target);
    }
    out
}

/// The segments of a batch, each with its terms replaced by tokens.
pub fn protect_batch(batch: &[Request]) -> Vec<Protected> {
    batch.iter().map(|r| protect(&r.source, &r.terms)).collect()
}

/// The replies to a protected batch: each answer (in batch order) with its renderings put back.
pub fn restore_batch<'a>(
    answers: impl IntoIterator<Item = &'a str>,
    protected: &[Protected],
) -> Vec<Reply> {
    answers
        .into_iter()
        .zip(protected)
        .map(|(text, p)| Reply::Text {
            text: restore(text, &p.tokens),
            score: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(s: &str, t: &str) -> TermHint {
        TermHint {
            source: s.into(),
            target: t.into(),
        }
    }

    #[test]
    fn terms_become_tokens_and_come_back_as_their_renderings() {
        let terms = [
            hint("一带一路", "Belt and Road Initiative"),
            hint("一带", "belt"),
            hint("南南合作", "South-South cooperation"),
        ];
        let p = protect("推动一带一路和南南合作。", &terms);
        assert_eq!(p.text, "推动[[T1]]和[[T2]]。");
        let back = restore("Promote the [[T1]] and [[T2]].", &p.tokens);
        assert_eq!(
            back,
            "Promote the Belt and Road Initiative and South-South cooperation."
        );
    }

    #[test]
    fn a_dropped_token_is_left_for_the_glossary_check() {
        let p = protect("一带一路", &[hint("一带一路", "Belt and Road Initiative")]);
        assert_eq!(restore("The initiative", &p.tokens), "The initiative");
    }
}
