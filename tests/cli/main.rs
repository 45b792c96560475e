//! Integration tests: the real `duiyi` binary on real files.
//!
//! One test binary (fast to link) with one module per command family. [`support::Test`] builds
//! a project in a temporary folder ("a project with this source and these files"), runs a
//! command in it, and returns what a user would see.

mod align;
mod backends;
mod check;
mod documents;
mod glossary;
mod integrity;
mod memory;
mod publish;
mod security;
mod segments;
mod serve;
mod store;
mod support;
