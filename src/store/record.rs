//! The translation record: one segment, one language, one line of `translations/<lang>/<doc>.jsonl`.
//!
//! Field order is the declaration order below and never changes, optional fields are left out
//! when empty, and text is written as UTF-8 without escapes, so a store diffs and merges line by
//! line in git and a person can read it. Unknown fields are refused: a typo in a hand-edited
//! store is an error, not a silently lost value.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The review state of a translation (the XLIFF 2 model), in workflow order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Not translated yet (or a draft).
    Initial,
    /// Translated, waiting for review.
    Translated,
    /// Approved by a reviewer.
    Reviewed,
    /// Signed off: ready to publish.
    Final,
}

impl State {
    /// Every state in workflow order.
    pub const ALL: [State; 4] = [
        State::Initial,
        State::Translated,
        State::Reviewed,
        State::Final,
    ];

    /// The name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            State::Initial => "initial",
            State::Translated => "translated",
            State::Reviewed => "reviewed",
            State::Final => "final",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A state name that is not one of the four.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown state {0:?}; the states are initial, translated, reviewed, final")]
pub struct UnknownState(pub String);

impl FromStr for State {
    type Err = UnknownState;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        State::ALL
            .into_iter()
            .find(|st| st.name() == s)
            .ok_or_else(|| UnknownState(s.to_string()))
    }
}

/// A flag on a translation, beside its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    /// The source changed under the translation, or it is unedited machine output.
    NeedsReview,
    /// A reviewer rejected it; the note says why.
    Rejected,
}

impl Flag {
    /// The name used in files and output.
    pub fn name(self) -> &'static str {
        match self {
            Flag::NeedsReview => "needs-review",
            Flag::Rejected => "rejected",
        }
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Flag {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Flag::NeedsReview, Flag::Rejected]
            .into_iter()
            .find(|f| f.name() == s.trim())
            .ok_or_else(|| format!("unknown flag {s:?}; the flags are needs-review, rejected"))
    }
}

/// Where a translation came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Typed by a person.
    Human,
    /// Machine translation by the named backend (`mt:deepl`).
    Mt(String),
    /// Taken from the translation memory.
    Memory,
    /// Found by aligning an existing translation.
    Align,
    /// Imported from an exchange file.
    Import,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Human => f.write_str("human"),
            Origin::Mt(backend) => write!(f, "mt:{backend}"),
            Origin::Memory => f.write_str("memory"),
            Origin::Align => f.write_str("align"),
            Origin::Import => f.write_str("import"),
        }
    }
}

/// An origin that is none of `human`, `mt:<backend>`, `memory`, `align`, `import`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown origin {0:?}; origins are human, mt:<backend>, memory, align, import")]
pub struct UnknownOrigin(pub String);

impl FromStr for Origin {
    type Err = UnknownOrigin;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "human" => Origin::Human,
            "memory" => Origin::Memory,
            "align" => Origin::Align,
            "import" => Origin::Import,
            _ => match s.strip_prefix("mt:") {
                Some(b) if !b.is_empty() => Origin::Mt(b.to_string()),
                _ => return Err(UnknownOrigin(s.to_string())),
            },
        })
    }
}

impl Serialize for Origin {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Origin {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One segment's translation into one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    /// The segment's stable id.
    pub id: String,
    /// The segment's ref when the record was last written (for people reading the file).
    #[serde(rename = "ref")]
    pub r#ref: String,
    /// The source text this record belongs to.
    pub source: String,
    /// The earlier source text the target was written for, after a source revision carried it
    /// over (shown to the reviewer as what changed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// The translation (empty while `initial` and untouched).
    pub target: String,
    /// The review state.
    pub state: State,
    /// Flags beside the state.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub flags: BTreeSet<Flag>,
    /// Where the target came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// Who answers for the current target text: the person who wrote, imported, aligned,
    /// restored or confirmed it. Empty for unconfirmed machine output. Nobody approves a text
    /// they answer for unless the project allows self-review (`[review]` in duiyi.toml).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Who last changed the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
    /// When (UTC, RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The last note (a reviewer's reason for rejecting, or a translator's remark).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The segment no longer exists in the source; the translation is kept so it can be
    /// restored (`duiyi restore`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub obsolete: bool,
}

impl Translation {
    /// A fresh, untranslated record for a segment.
    pub fn initial(id: &str, r#ref: &str, source: &str) -> Self {
        Self {
            id: id.to_string(),
            r#ref: r#ref.to_string(),
            source: source.to_string(),
            previous: None,
            target: String::new(),
            state: State::Initial,
            flags: BTreeSet::new(),
            origin: None,
            author: None,
            who: None,
            when: None,
            note: None,
            obsolete: false,
        }
    }

    /// The revision an exchange file records as its base for this record (see [`base`]).
    pub fn base(&self) -> String {
        base(&self.target, self.state)
    }

    /// Whether the target is an unconfirmed machine draft: `initial` text from a translation
    /// backend or the memory.
    pub fn is_machine_draft(&self) -> bool {
        self.state == State::Initial
            && !self.target.is_empty()
            && matches!(self.origin, Some(Origin::Mt(_) | Origin::Memory))
    }

    /// Whether a flag is set.
    pub fn has(&self, flag: Flag) -> bool {
        self.flags.contains(&flag)
    }

    /// Whether the segment needs someone's attention: untranslated, flagged or rejected.
    pub fn needs_work(&self) -> bool {
        !self.obsolete && (self.state == State::Initial || !self.flags.is_empty())
    }

    /// The record as one line of JSON, without the newline.
    pub fn to_line(&self) -> String {
        let mut out = Vec::with_capacity(256);
        self.write_line(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Appends the record as one line of JSON, without the newline.
    pub fn write_line(&self, out: &mut Vec<u8>) {
        // Serializing plain strings, enums and sets into memory cannot fail.
        let _ = serde_json::to_writer(out, self);
    }
}

/// A record read without copying its text, for reading large stores fast (counting, finding
/// one segment). It accepts exactly what [`Translation`] accepts: same fields, same types.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordView<'a> {
    /// The segment id.
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    /// The ref.
    #[serde(rename = "ref", borrow)]
    pub r#ref: Cow<'a, str>,
    /// The source text.
    #[serde(borrow)]
    pub source: Cow<'a, str>,
    /// The earlier source.
    #[serde(default, borrow)]
    pub previous: Option<Cow<'a, str>>,
    /// The target text.
    #[serde(borrow)]
    pub target: Cow<'a, str>,
    /// The state.
    pub state: State,
    /// The flags.
    #[serde(default)]
    pub flags: Vec<Flag>,
    /// The origin.
    #[serde(default)]
    pub origin: Option<Origin>,
    /// Who answers for the target.
    #[serde(default, borrow)]
    pub author: Option<Cow<'a, str>>,
    /// Who.
    #[serde(default, borrow)]
    pub who: Option<Cow<'a, str>>,
    /// When.
    #[serde(default, borrow)]
    pub when: Option<Cow<'a, str>>,
    /// The note.
    #[serde(default, borrow)]
    pub note: Option<Cow<'a, str>>,
    /// Whether the record is obsolete.
    #[serde(default)]
    pub obsolete: bool,
}

/// The 64-bit number a segment id spells (16 lowercase hex digits), or `None` for anything
/// that is not an id.
pub fn id_key(id: &str) -> Option<u64> {
    if crate::segment::is_id(id) {
        u64::from_str_radix(id, 16).ok()
    } else {
        None
    }
}

/// Hashes segment-id keys by taking them as they are: ids are already uniformly spread 64-bit
/// hashes, so hashing them again (as the default hasher does) only costs time on big stores.
#[derive(Debug, Clone, Copy, Default)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by [`id_key`].
pub type IdMap<V> = std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<IdHasher>>;

/// The first line of a store: which document it belongs to and the fingerprint of the source
/// (and segmentation settings, built-in rules and [`crate::segment::SEGMENTER_REVISION`]) its
/// records were merged against. When the fingerprint matches,
/// the records are the document's segments and nothing needs to be segmented again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Format marker and version: `"translations/1"`.
    pub duiyi: String,
    /// The document id.
    pub doc: String,
    /// The target language.
    pub lang: String,
    /// BLAKE3 of the source bytes, the segmentation settings and the duiyi version.
    pub fingerprint: String,
    /// How many live (not obsolete) records follow: a store missing some is noticed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segments: Option<usize>,
    /// The journal transaction that wrote this file (see [`crate::store::history`]): a
    /// journal entry of another transaction at the end of the journal never reached the store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx: Option<String>,
}

impl Header {
    /// Whether the records under this header are exactly the current segments of `doc` in
    /// `lang`: same document and language, the current source fingerprint, this format, and as
    /// many live records as the header promises.
    pub fn is_current(&self, doc: &str, lang: &str, fingerprint: &str, live: usize) -> bool {
        self.duiyi == FORMAT
            && self.doc == doc
            && self.lang == lang
            && self.fingerprint == fingerprint
            && self.segments == Some(live)
    }

    /// Whether the header matches the document, language and source but promises more live
    /// records than there are: records were cut from the file.
    pub fn missing(&self, doc: &str, lang: &str, fingerprint: &str, live: usize) -> Option<usize> {
        (self.doc == doc && self.lang == lang && self.fingerprint == fingerprint)
            .then_some(self.segments?)
            .filter(|&n| n > live)
            .map(|n| n - live)
    }
}

/// The value of [`Header::duiyi`] this version writes.
pub const FORMAT: &str = "translations/2";

/// Formats this version reads: `translations/1` (no record count, no transaction, no
/// authors) is read and upgraded on the next write.
pub const READABLE: [&str; 2] = ["translations/1", FORMAT];

/// The base an exchange file carries for a segment: the state and a hash of the target text
/// when the file was made (`reviewed:9f3a0c1d2e4b`). Importing compares it with the store
/// and with the file, three ways, to tell a stale file from a newer edit.
pub fn base(target: &str, state: State) -> String {
    format!("{state}:{}", text_hash(target))
}

/// The hash part of a [`base`]: 12 hex digits of BLAKE3 over the trimmed text.
pub fn text_hash(target: &str) -> String {
    blake3::hash(target.trim().as_bytes()).to_hex()[..12].to_string()
}

/// A base read back from a file: the state and text hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    /// The state when the file was made.
    pub state: State,
    /// The hash of the target text when the file was made.
    pub hash: String,
}

impl FromStr for Base {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "{s:?} is not a base (STATE:HASH, such as translated:9f3a0c1d2e4b); keep the base as exported, or empty it"
            )
        };
        let (state, hash) = s.trim().split_once(':').ok_or_else(bad)?;
        let state = state.parse().map_err(|_| bad())?;
        if hash.len() != 12 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(Self {
            state,
            hash: hash.to_ascii_lowercase(),
        })
    }
}

impl Base {
    /// Whether `text` is the text the base was made from.
    pub fn has_text(&self, text: &str) -> bool {
        text_hash(text) == self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_one_unescaped_line_in_a_fixed_field_order() {
        let mut t = Translation::initial("0123456789abcdef", "3.2¶4.1", "中国坚持“授人以渔”。");
        t.target = "China \"teaches fishing\".".into();
        t.state = State::Translated;
        t.flags.insert(Flag::Rejected);
        t.flags.insert(Flag::NeedsReview);
        t.origin = Some(Origin::Mt("deepl".into()));
        let line = t.to_line();
        assert_eq!(
            line,
            r#"{"id":"0123456789abcdef","ref":"3.2¶4.1","source":"中国坚持“授人以渔”。","target":"China \"teaches fishing\".","state":"translated","flags":["needs-review","rejected"],"origin":"mt:deepl"}"#
        );
        assert_eq!(serde_json::from_str::<Translation>(&line).unwrap(), t);
    }

    #[test]
    fn states_and_origins_parse_and_refuse() {
        assert_eq!("final".parse::<State>().unwrap(), State::Final);
        assert!("done".parse::<State>().is_err());
        assert_eq!("mt:x".parse::<Origin>().unwrap(), Origin::Mt("x".into()));
        assert!("mt:".parse::<Origin>().is_err());
        assert!("robot".parse::<Origin>().is_err());
        assert!(State::Initial < State::Final);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let line = r#"{"id":"0123456789abcdef","ref":"1¶1.1","source":"x","target":"","state":"initial","colour":"red"}"#;
        assert!(serde_json::from_str::<Translation>(line).is_err());
    }
}
