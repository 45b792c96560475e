//! Quality checks: what a careful reviewer of a Chinese official document catches, run before
//! approval and before publishing.
//!
//! The module holds one file per check family, each a library of pure functions over a source
//! segment and its translation, so a check is testable without a project on disk. Only
//! [`numbers`] exists so far; terms, untranslated, consistency, punctuation, structure and length
//! follow, behind a common check interface.

pub mod numbers;
