//! The invisible check: control characters and bidirectional overrides in a target or a
//! source.
//!
//! Such characters show nothing, yet a control character can break a line, a terminal or an
//! XML file, and a bidi override (U+202E) makes the text read in another order than it is
//! stored ("Trojan Source"): a reviewer approves one sentence and readers see another. Input
//! is refused where duiyi can (review), but a store edited by hand or an engine's answer can
//! still carry them, so `duiyi check` reports each as an error and `duiyi publish` refuses to
//! write them into any output ([`crate::publish`]). The set is [`is_invisible`]: U+0000–U+001F
//! except tab and line feed, the embeddings and overrides U+202A–U+202E and the isolates
//! U+2066–U+2069.

use super::{Check, Issue, Item};

/// Whether `c` is a character the check reports: a C0 control other than tab and line feed,
/// or a bidirectional embedding, override or isolate.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}'
        | '\u{B}'..='\u{1F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}')
}

/// The distinct invisible characters of `text`, in order of first appearance.
pub fn find(text: &str) -> Vec<char> {
    let mut found: Vec<char> = Vec::new();
    for c in text.chars().filter(|&c| is_invisible(c)) {
        if !found.contains(&c) {
            found.push(c);
        }
    }
    found
}

/// `U+202E (right-to-left override)`: how a message names an invisible character (never the
/// character itself).
pub fn describe(c: char) -> String {
    let name = match c {
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\r' => "carriage return",
        '\0' => "null",
        _ => "control character",
    };
    format!("U+{:04X} ({name})", u32::from(c))
}

/// The names of the distinct invisible characters of `text`, comma-separated, or `None`.
pub fn describe_all(text: &str) -> Option<String> {
    let found = find(text);
    (!found.is_empty()).then(|| {
        found
            .into_iter()
            .map(describe)
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// The invisible check.
#[derive(Debug, Default)]
pub struct Invisible;

impl Check for Invisible {
    fn name(&self) -> &'static str {
        "invisible"
    }

    fn check(&self, item: &Item<'_>, out: &mut Vec<Issue>) {
        if let Some(names) = describe_all(item.target) {
            out.push(Issue::error(format!(
                "invisible characters in the target: {names}; retype the translation without them"
            )));
        }
        if let Some(names) = describe_all(item.source) {
            out.push(Issue::error(format!(
                "invisible characters in the source: {names}; remove them from the source file"
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::testing::{issues, item};

    #[test]
    fn controls_and_bidi_overrides_are_errors_tab_and_newline_are_not() {
        let found = issues(
            &Invisible,
            &item("中国。", "China\u{202E}txt.exe\u{7} and \u{202E}"),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0],
            Issue::error(
                "invisible characters in the target: U+202E (right-to-left override), U+0007 (control character); retype the translation without them"
            )
        );
        assert!(issues(&Invisible, &item("中国。", "China,\tand\nmore")).is_empty());
        assert!(issues(&Invisible, &item("中国。", "")).is_empty());
        let source = issues(&Invisible, &item("中国\u{2067}。", "China."));
        assert_eq!(
            source,
            [Issue::error(
                "invisible characters in the source: U+2067 (right-to-left isolate); remove them from the source file"
            )]
        );
    }

    #[test]
    fn the_set_is_exactly_c0_without_tab_and_newline_and_the_bidi_controls() {
        let all: Vec<char> = (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|&c| is_invisible(c))
            .collect();
        let expected: Vec<char> = (0..0x20u32)
            .filter(|&c| c != 9 && c != 10)
            .chain(0x202A..=0x202E)
            .chain(0x2066..=0x2069)
            .filter_map(char::from_u32)
            .collect();
        assert_eq!(all, expected);
    }
}
