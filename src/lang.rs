//! Language tags: the one type for the languages a project names, and the one place that
//! answers questions about a tag.
//!
//! A project's languages are [`Lang`]s, checked once when `duiyi.toml` is read (a loose BCP 47
//! check: subtags of letters and digits joined by `-`, the first of 2–3 letters), so nothing
//! past that boundary handles an unchecked tag of its own. Tags that come from outside
//! (exchange files, glossaries in TBX) are compared as they are written, through the free
//! functions here, which also accept `_` as a separator (`en_US`, as some tools write it) and
//! ignore case.
//!
//! What a language means for the code that depends on it — written right to left, sentences
//! joined without spaces, written with Han characters — is answered here from the primary
//! subtag, as data, so the formats, checks and backends never switch on tags themselves.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A checked language tag (`zh`, `en`, `pt-BR`, `zh-Hant-TW`), kept as written. Its `Debug`
/// form is the quoted tag, as a string's is.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Lang(String);

/// A tag that is not a language tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("language {0:?} is not a BCP 47 tag such as `zh`, `en` or `pt-BR`")]
pub struct LangError(pub String);

impl Lang {
    /// Checks `tag` (surrounding spaces removed): alphanumeric subtags of 1–8 characters joined
    /// by `-`, the first alphabetic of 2–3 letters.
    pub fn new(tag: &str) -> Result<Self, LangError> {
        let tag = tag.trim();
        let mut parts = tag.split('-');
        let primary = parts.next().unwrap_or_default();
        let ok = (2..=3).contains(&primary.len())
            && primary.chars().all(|c| c.is_ascii_alphabetic())
            && parts.all(|p| {
                (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric())
            });
        if ok {
            Ok(Self(tag.to_string()))
        } else {
            Err(LangError(tag.to_string()))
        }
    }

    /// The tag as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag (`pt` of `pt-BR`), as written.
    pub fn primary(&self) -> &str {
        primary(&self.0)
    }

    /// Whether `tag` names the same language (see [`same_language`]).
    pub fn same_language(&self, tag: &str) -> bool {
        same_language(&self.0, tag)
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl Deref for Lang {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Lang {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Lang {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Lang {
    type Err = LangError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<String> for Lang {
    type Error = LangError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::new(&s)
    }
}

impl From<Lang> for String {
    fn from(l: Lang) -> Self {
        l.0
    }
}

impl PartialEq<str> for Lang {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Lang {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Lang {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<Lang> for str {
    fn eq(&self, other: &Lang) -> bool {
        self == other.0
    }
}

impl PartialEq<Lang> for &str {
    fn eq(&self, other: &Lang) -> bool {
        *self == other.0
    }
}

/// Whether `tag` is a language tag (see [`Lang::new`]).
pub fn is_tag(tag: &str) -> bool {
    Lang::new(tag).is_ok()
}

/// The primary language subtag of a tag as written (`zh` of `zh-CN`, `en` of `en_US`).
pub fn primary(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or(tag)
}

/// Whether two tags name the same language for an exchange file: equal, or equal primary
/// subtags, ignoring case (`en` = `en-US` = `EN_gb`).
pub fn same_language(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || primary(a).eq_ignore_ascii_case(primary(b))
}

/// Whether `tag` is `wanted` or a more specific form of it, ignoring case (`en` covers `en`
/// and `en-US`, `pt-BR` does not cover `pt-PT`): which entries of a file are meant when a
/// command asks for `wanted`.
pub fn covers(wanted: &str, tag: &str) -> bool {
    let (wanted, tag) = (wanted.to_ascii_lowercase(), tag.to_ascii_lowercase());
    tag == wanted
        || tag
            .strip_prefix(&wanted)
            .is_some_and(|rest| rest.starts_with(['-', '_']))
}

/// Whether the primary subtag of `tag` is one of `list`, ignoring case.
fn is_one_of(tag: &str, list: &[&str]) -> bool {
    let p = primary(tag);
    list.iter().any(|l| p.eq_ignore_ascii_case(l))
}

/// Languages written right to left.
const RIGHT_TO_LEFT: [&str; 5] = ["ar", "he", "fa", "ur", "yi"];

/// Languages whose sentences follow each other without a space.
const NO_SPACE_BETWEEN_SENTENCES: [&str; 3] = ["zh", "ja", "th"];

/// Languages written with Han characters.
const HAN: [&str; 6] = ["zh", "ja", "ko", "yue", "lzh", "wuu"];

/// Whether `tag` is written right to left.
pub fn is_rtl(tag: &str) -> bool {
    is_one_of(tag, &RIGHT_TO_LEFT)
}

/// Whether sentences in `tag` are written without spaces between them.
pub fn joins_without_space(tag: &str) -> bool {
    is_one_of(tag, &NO_SPACE_BETWEEN_SENTENCES)
}

/// Whether `tag` is written with Han characters (Chinese, Japanese, Korean).
pub fn writes_han(tag: &str) -> bool {
    is_one_of(tag, &HAN)
}

/// The usual region of a language, as word processors tag text.
const USUAL_REGION: [(&str, &str); 20] = [
    ("zh", "CN"),
    ("en", "US"),
    ("fr", "FR"),
    ("de", "DE"),
    ("es", "ES"),
    ("it", "IT"),
    ("pt", "PT"),
    ("ru", "RU"),
    ("ja", "JP"),
    ("ko", "KR"),
    ("ar", "SA"),
    ("nl", "NL"),
    ("pl", "PL"),
    ("sv", "SE"),
    ("tr", "TR"),
    ("vi", "VN"),
    ("th", "TH"),
    ("he", "IL"),
    ("fa", "IR"),
    ("uk", "UA"),
];

/// The language with its region, as word processors and PDF tag text (`zh` → `zh-CN`, `en` →
/// `en-US`, `fr` → `fr-FR`): a tag that names a region keeps it (`pt_br` → `pt-BR`),
/// `zh-Hant` is `zh-TW`, a language without a usual region here stays as written.
pub fn locale(tag: &str) -> String {
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next().unwrap_or_default().to_ascii_lowercase();
    let rest: Vec<&str> = parts.collect();
    let region = rest.iter().find(|p| {
        p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic())
            || p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit())
    });
    if let Some(region) = region {
        return format!("{primary}-{}", region.to_ascii_uppercase());
    }
    if primary == "zh" && rest.iter().any(|p| p.eq_ignore_ascii_case("hant")) {
        return "zh-TW".into();
    }
    match USUAL_REGION.iter().find(|(l, _)| *l == primary) {
        Some((_, region)) => format!("{primary}-{region}"),
        None => tag.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_checked_loosely() {
        for good in ["zh", "en", "pt-BR", "zh-Hant-TW", " fr "] {
            assert!(Lang::new(good).is_ok(), "{good}");
        }
        for bad in ["e", "en_US", "中文", "", "english", "en-", "en-toolongsub"] {
            let e = Lang::new(bad).unwrap_err();
            assert!(e.to_string().contains("BCP 47"), "{e}");
        }
        assert_eq!(Lang::new(" fr ").unwrap(), "fr");
        assert_eq!(format!("{:?}", Lang::new("pt-BR").unwrap()), "\"pt-BR\"");
    }

    #[test]
    fn comparison_goes_by_the_primary_subtag() {
        let en = Lang::new("en-GB").unwrap();
        assert_eq!(en.primary(), "en");
        assert!(en.same_language("EN_us"));
        assert!(!en.same_language("fr"));
        assert!(covers("en", "en-US") && covers("EN", "en_us") && covers("pt-BR", "pt-br"));
        assert!(!covers("pt-BR", "pt-PT") && !covers("en", "eng"));
    }

    #[test]
    fn what_a_language_means_for_layout_and_checks() {
        assert!(is_rtl("ar") && is_rtl("he-IL") && !is_rtl("en"));
        assert!(
            joins_without_space("zh-Hant")
                && joins_without_space("ja")
                && !joins_without_space("fr")
        );
        assert!(writes_han("ZH") && writes_han("ko") && !writes_han("en"));
    }

    #[test]
    fn locales_carry_the_usual_region() {
        assert_eq!(locale("zh"), "zh-CN");
        assert_eq!(locale("en"), "en-US");
        assert_eq!(locale("fr"), "fr-FR");
        assert_eq!(locale("pt_br"), "pt-BR");
        assert_eq!(locale("zh-Hant"), "zh-TW");
        assert_eq!(locale("zh-Hant-HK"), "zh-HK");
        assert_eq!(locale("es-419"), "es-419");
        assert_eq!(locale("eo"), "eo");
    }

    #[test]
    fn a_config_value_is_parsed_and_written_back_as_a_string() {
        #[derive(Deserialize, Serialize)]
        struct T {
            lang: Lang,
        }
        let t: T = toml::from_str("lang = \"pt-BR\"").unwrap();
        assert_eq!(t.lang.as_str(), "pt-BR");
        assert_eq!(toml::to_string(&t).unwrap().trim(), "lang = \"pt-BR\"");
        let e = toml::from_str::<T>("lang = \"en_US\"").err().unwrap();
        assert!(e.to_string().contains("BCP 47"), "{e}");
    }
}
