//! duiyi (对译): turn a Chinese source document into reviewed, parallel bilingual editions.
//!
//! The crate is library first: every capability is a function here, and the `duiyi` binary only
//! parses arguments, calls into [`cli`], and maps errors to exit codes. Modules follow the
//! pipeline described in `ARCHITECTURE.md` at the repository root: [`project`] finds the
//! project and its documents, [`source`] reads and decodes, [`segment`] finds structure and
//! sentences; the feature modules build on those, and dependencies point downward only
//! (cli → features → model).

pub mod align;
pub mod backend;
pub mod cli;
pub mod clock;
pub mod exchange;
pub mod files;
pub mod glossary;
pub mod hints;
pub mod lang;
pub mod memory;
pub mod project;
pub mod publish;
pub mod qa;
pub mod review;
pub mod segment;
pub mod serve;
pub mod source;
pub mod store;
pub mod work;
