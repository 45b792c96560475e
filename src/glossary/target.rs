//! Finding a target-language rendering (or a forbidden variant) in translated English text.
//!
//! A check must not cry wolf when the translator wrote "the Belt and Road Initiative's
//! projects", "communities with a shared future", or broke a line inside the phrase. So a
//! rendering is compiled to a regular expression that allows, and only allows:
//!
//! - any case, unless the entry is case-sensitive;
//! - any run of white space, line breaks included, between words, and a hyphen or a space
//!   where the rendering has either (South-South = South South);
//! - English inflection at the end of each word: plural `-s`/`-es`, `-y` → `-ies`,
//!   possessive `'s`/`s'` (straight or curly apostrophe); and for the first word, which in a
//!   rendering like "teach people how to fish" is a verb, the verb forms `-s`, `-ed`, `-ing`
//!   (with a silent `e` dropped or a final consonant doubled), so a list heading's "Teaching
//!   people how to fish" is found; a participle (a word ending in -ing, or a first word in -ed)
//!   is found in every form of its verb, so an approved "pursuing" is found in "pursued";
//! - an article (a, an, the) before the rendering and in place of an article inside it;
//! - word boundaries at both ends, so "aid" is not found in "said".

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::GlossaryError;

/// A compiled target rendering.
#[derive(Debug, Clone)]
pub struct Rendering {
    text: String,
    /// The pattern with the optional leading article, for the ranges of [`Rendering::find`]
    /// and [`Rendering::find_iter`]; compiled on first use, since a check mostly asks only
    /// whether a rendering is there.
    pattern: String,
    regex: OnceLock<Regex>,
    /// The same pattern without the optional leading article: it matches somewhere exactly when
    /// the full one does, and starts with a word the regex engine can look for literally, so
    /// [`Rendering::is_in`] is several times faster than a search for the article-led match.
    present: Regex,
}

const ARTICLES: [&str; 3] = ["a", "an", "the"];

fn is_article(word: &str) -> bool {
    ARTICLES.contains(&word.to_ascii_lowercase().as_str())
}

fn is_word(word: &str) -> bool {
    word.chars().all(char::is_alphanumeric)
}

impl Rendering {
    /// Compiles `text` (case-insensitive unless `case_sensitive`).
    pub fn new(text: &str, case_sensitive: bool) -> Result<Self, GlossaryError> {
        let words = words(text);
        if words.is_empty() {
            return Err(GlossaryError::Invalid(format!(
                "the rendering {text:?} has no words to look for"
            )));
        }
        let mut words = words.as_slice();
        // A leading article in the rendering is optional like any other.
        if words.len() > 1 && is_article(&words[0]) {
            words = &words[1..];
        }
        let flags = if case_sensitive { "" } else { "(?i)" };
        let mut pattern = String::new();
        let mut previous: Option<&str> = None;
        for word in words {
            if previous.is_some() && is_article(word) {
                // "with a shared future" = "with the shared future" = "with shared future".
                pattern.push_str(r"(?:[\s\-‐‑–]+(?:a|an|the)\b)?");
                continue;
            }
            if let Some(previous) = previous {
                pattern.push_str(if is_word(previous) && is_word(word) {
                    r"[\s\-‐‑–]+"
                } else {
                    r"\s*"
                });
            }
            pattern.push_str(&inflected(word, previous.is_none()));
            previous = Some(word);
        }
        let compile = |pattern: &str| {
            Regex::new(pattern).map_err(|e| {
                GlossaryError::Invalid(format!("cannot compile the rendering {text:?}: {e}"))
            })
        };
        Ok(Self {
            text: text.to_owned(),
            present: compile(&format!("{flags}{pattern}"))?,
            pattern: format!(r"{flags}(?:\b(?:a|an|the)\s+)?{pattern}"),
            regex: OnceLock::new(),
        })
    }

    /// The rendering as written in the glossary.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The pattern with the leading article, compiled on first use. It is `present` behind a
    /// constant optional group, so it compiles whenever `present` did; were it ever to fail
    /// (a size limit), the matches would be found without their article.
    fn full(&self) -> &Regex {
        self.regex
            .get_or_init(|| Regex::new(&self.pattern).unwrap_or_else(|_| self.present.clone()))
    }

    /// The first occurrence in `text`, as a byte range.
    pub fn find(&self, text: &str) -> Option<Range<usize>> {
        self.full().find(text).map(|m| m.range())
    }

    /// Every non-overlapping occurrence in `text`.
    pub fn find_iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Range<usize>> + 't {
        self.full().find_iter(text).map(|m| m.range())
    }

    /// Whether the rendering occurs in `text`.
    pub fn is_in(&self, text: &str) -> bool {
        self.present.is_match(text)
    }
}

/// The words of a rendering: runs of letters and digits, and single other characters
/// (punctuation is kept literally; hyphens and spaces separate words).
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            current.push(c);
            continue;
        }
        if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        let separator = c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '–');
        if !separator {
            words.push(c.to_string());
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// The pattern for one word with its English inflections and its boundaries; `first` adds
/// the verb forms.
fn inflected(word: &str, first: bool) -> String {
    if !is_word(word) {
        return regex::escape(word);
    }
    // Plural and possessive endings, then the end of the word.
    let end = r"(?:['’]s\b|['’]|\b)";
    let chars: Vec<char> = word.chars().collect();
    let alphabetic = chars.iter().all(|c| c.is_alphabetic());
    if chars.len() < 2 || !alphabetic || (chars.len() < 3 && !first) {
        return format!(r"\b{}{end}", regex::escape(word));
    }
    // A rendering written with a participle ("pursuing", or "pursued" first) is found in every
    // form of the verb: pursue, pursues, pursued, pursuing.
    if let Some(forms) = participle_forms(&chars, first) {
        return format!(r"\b{forms}{end}");
    }
    let last = chars[chars.len() - 1];
    let before = chars[chars.len() - 2];
    if first {
        let verb = if last.eq_ignore_ascii_case(&'e') && !before.eq_ignore_ascii_case(&'e') {
            let stem: String = chars[..chars.len() - 1].iter().collect();
            format!("{}(?:e|es|ed|ing)", regex::escape(&stem))
        } else if last.eq_ignore_ascii_case(&'y') && !"aeiouAEIOU".contains(before) {
            let stem: String = chars[..chars.len() - 1].iter().collect();
            format!("{}(?:y|ies|ied|ying)", regex::escape(&stem))
        } else {
            let l = regex::escape(&last.to_string());
            format!("{}(?:s|es|ed|ing|{l}ed|{l}ing)?", regex::escape(word))
        };
        return format!(r"\b{verb}{end}");
    }
    if last.eq_ignore_ascii_case(&'y') && !"aeiouAEIOU".contains(before) {
        let stem: String = chars[..chars.len() - 1].iter().collect();
        return format!(r"\b{}(?:y|ies){end}", regex::escape(&stem));
    }
    format!(r"\b{}(?:s|es)?{end}", regex::escape(word))
}

/// The verb forms of a participle: `-ing` anywhere in a rendering (len ≥ 6), `-ed` as its first
/// word. The stem may have lost a silent e (pursu-ing: pursue) or doubled its consonant
/// (stopp-ing: stop), so both are allowed.
fn participle_forms(chars: &[char], first: bool) -> Option<String> {
    let lower: String = chars.iter().collect::<String>().to_lowercase();
    let stem_len = if chars.len() >= 6 && lower.ends_with("ing") {
        chars.len() - 3
    } else if first && chars.len() >= 6 && lower.ends_with("ed") && !lower.ends_with("eed") {
        chars.len() - 2
    } else {
        return None;
    };
    let stem: String = chars[..stem_len].iter().collect();
    let mut stems = vec![regex::escape(&stem)];
    let last = chars[stem_len - 1];
    if stem_len >= 3 && chars[stem_len - 2] == last && !"aeiouAEIOUlsLS".contains(last) {
        // stopp-ed: stop, stops.
        stems.push(regex::escape(
            &chars[..stem_len - 1].iter().collect::<String>(),
        ));
    }
    let mut alternatives: Vec<String> = stems
        .iter()
        .map(|s| format!("{s}(?:e|es|ed|ing|s)?"))
        .collect();
    if last.eq_ignore_ascii_case(&'i') {
        // appli-ed: apply, applies, applying.
        let base: String = chars[..stem_len - 1].iter().collect();
        alternatives.push(format!("{}(?:y|ies|ied|ying)", regex::escape(&base)));
    }
    Some(format!("(?:{})", alternatives.join("|")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(rendering: &str, text: &str) -> bool {
        Rendering::new(rendering, false).unwrap().is_in(text)
    }

    #[test]
    fn case_is_ignored_unless_the_entry_says_otherwise() {
        assert!(finds(
            "South-South cooperation",
            "south-south Cooperation grew"
        ));
        let exact = Rendering::new("Belt and Road Initiative", true).unwrap();
        assert!(exact.is_in("the Belt and Road Initiative"));
        assert!(!exact.is_in("the belt and road initiative"));
    }

    #[test]
    fn plural_and_possessive_inflections_are_found() {
        assert!(finds(
            "community with a shared future",
            "communities with a shared future"
        ));
        assert!(finds(
            "Belt and Road Initiative",
            "the Belt and Road Initiative's projects"
        ));
        assert!(finds(
            "Belt and Road Initiative",
            "Belt and Road Initiative’s"
        ));
        assert!(finds("partner", "our partners' needs"));
        assert!(finds(
            "South-South Cooperation Assistance Fund",
            "South-South Cooperation Assistance Funds"
        ));
    }

    #[test]
    fn a_leading_verb_may_be_inflected() {
        assert!(finds(
            "teach people how to fish",
            "– Teaching people how to fish and fostering independent development."
        ));
        assert!(finds(
            "seek common ground while shelving differences",
            "the principle of seeking common ground while shelving differences"
        ));
        assert!(finds(
            "do its best within its capacity",
            "doing its best within its capacity"
        ));
        assert!(finds("stop the spread", "stopped the spread"));
        assert!(finds("shape the future", "it shapes the future"));
        assert!(!finds(
            "teach people how to fish",
            "teacher people how to fish"
        ));
        // Only the first word: later words keep their form.
        assert!(!finds("seek common ground", "seek commoning ground"));
    }

    #[test]
    fn a_participle_is_found_in_every_form_of_its_verb() {
        for text in [
            "China pursued an independent foreign policy",
            "China pursues peace",
            "we will pursue it",
            "Pursuing development",
        ] {
            assert!(finds("pursuing", text), "{text}");
        }
        assert!(finds(
            "the path of pursuing peaceful development",
            "the path of pursued peaceful development"
        ));
        assert!(finds("pursued", "pursuing"));
        assert!(finds("stopping the spread", "stop the spread"));
        assert!(finds("applied research", "applying research"));
        assert!(!finds("pursuing", "pursuit"));
        assert!(!finds("pursuing", "pursuers"));
    }

    #[test]
    fn articles_and_line_breaks_are_tolerated() {
        assert!(finds(
            "the Belt and Road Initiative",
            "joint Belt and Road Initiative"
        ));
        assert!(finds(
            "community with a shared future for mankind",
            "a community with the shared\nfuture for mankind"
        ));
        assert!(finds(
            "South-South cooperation",
            "South South\r\ncooperation"
        ));
    }

    #[test]
    fn word_boundaries_are_respected() {
        assert!(!finds("aid", "he said"));
        assert!(!finds("OBOR", "OBORish"));
        assert!(finds("OBOR", "(OBOR)"));
        assert!(!finds("Belt and Road", "Belt and Roadmap"));
    }

    #[test]
    fn forbidden_variants_with_punctuation_are_found() {
        assert!(finds(
            "One Belt, One Road",
            "the One Belt,\nOne Road initiative"
        ));
        assert!(finds("U.N.", "the U.N. agenda"));
    }

    #[test]
    fn ranges_point_into_the_text() {
        let r = Rendering::new("Silk Road Fund", false).unwrap();
        let text = "via the Silk Road Fund.";
        let range = r.find(text).unwrap();
        assert_eq!(&text[range], "the Silk Road Fund");
    }
}
