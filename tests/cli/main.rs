//! Integration tests: the real `duiyi` binary on real files.
//!
//! One test binary (fast to link) with one module per command family. [`support::Test`] builds
//! a project in a temporary folder ("a project with this source and these files"), runs a
//! command in it, and returns what a user would see.

#![allow(unreachable_pub)] // the test crate's modules share helpers; nothing here is a public API

mod align;
mod backends;
mod check;
mod corpus;
mod documents;
mod glossary;
mod integrity;
mod interop;
mod memory;
mod outputs;
mod print;
mod publish;
mod security;
mod segments;
mod serve;
mod store;
mod support;
