//! `duiyi init`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{Error, Outcome};
use crate::project;

/// Arguments of `duiyi init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the project (default: the working directory).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The source language.
    #[arg(long, default_value = "zh")]
    pub source: String,
    /// The target languages, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "en")]
    pub targets: Vec<String>,
}

pub(super) fn run(args: &InitArgs, out: &mut dyn Write) -> Result<Outcome, Error> {
    let targets: Vec<String> = args
        .targets
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let made = project::init(&args.dir, args.source.trim(), &targets)?;
    writeln!(out, "{made}")?;
    Ok(Outcome::Ok)
}
