//! Exchange files shared by several features: [`xml`], the XML plumbing their readers and
//! writers share, [`tmx`], the translation-memory format, [`xliff`] and [`xliff12`],
//! reading XLIFF 2 and 1.2 back from other CAT tools, [`omegat`], an `OmegaT` project both ways, and [`import`], which reads any exchange
//! file into a store through the one import path ([`crate::store::import`]).

pub mod import;
pub mod omegat;
pub mod tmx;
pub mod xliff;
pub mod xliff12;
pub mod xml;
