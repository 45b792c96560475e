//! Suggestions for one segment, from wherever they come: the extension point of `duiyi next`
//! and `duiyi show`.
//!
//! A [`HintSource`] turns a [`Query`] (a segment of a document, going into a language) into
//! [`Hint`]s. The glossary ([`crate::glossary::hints`]) and the translation memory
//! ([`crate::memory::hints`]) implement it; the store's work item
//! ([`crate::store::next::item`]) asks every source it is given and files the hints by
//! [`HintKind`]. This module depends on nothing else in the crate, so neither the store nor the
//! sources depend on each other.

use serde::Serialize;

/// A suggestion for a segment: a glossary term or a memory match.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hint {
    /// The source phrase or sentence matched.
    pub source: String,
    /// Its target rendering.
    pub target: String,
    /// Similarity for memory matches (0–1); none for terms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// A note (term status, where the match comes from).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where hints are listed: each kind has its own list in a work item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintKind {
    /// Terms of the glossary found in the source.
    Glossary,
    /// Translations of similar sentences (the translation memory).
    Memory,
}

/// The segment hints are wanted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query<'a> {
    /// The document.
    pub doc: &'a str,
    /// The segment id (a memory never offers a segment its own translation).
    pub id: &'a str,
    /// The source text.
    pub source: &'a str,
    /// The target language.
    pub lang: &'a str,
}

/// Something that suggests terms or translations for a segment (glossary, memory).
pub trait HintSource {
    /// The list the hints appear in.
    fn kind(&self) -> HintKind;
    /// Hints for a segment, best first.
    fn hints(&self, query: &Query<'_>) -> Vec<Hint>;
}
