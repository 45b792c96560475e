//! Exchange files shared by several features: [`xml`], the XML plumbing their readers and
//! writers share, and [`tmx`], the translation-memory format.

pub mod tmx;
pub mod xml;
