//! duiyi (对译): turn a Chinese source document into reviewed, parallel bilingual editions.
//!
//! The crate is library first: every capability is a function here, and the `duiyi` binary only
//! parses arguments, calls into [`cli`], and maps errors to exit codes. Modules follow the
//! pipeline of `DESIGN.md`: [`source`] reads and decodes, [`segment`] finds structure and
//! sentences, and the feature modules build on those.

pub mod align;
pub mod cli;
