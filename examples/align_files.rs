//! Aligns two one-sentence-per-line files and prints one bead per line.
//!
//! ```text
//! cargo run --release --example align_files -- --src zh.txt --tgt en.txt [--format beads|tsv|tmx]
//!     [--source-lang zh] [--target-lang en] [--force] [--band N]
//! ```
//!
//! A thin wrapper over `duiyi::align`, for evaluation before the `duiyi align` command exists.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use duiyi::align::format::{Format, read_sentences, write_alignment};
use duiyi::align::{AlignOptions, Aligner, Language};

/// Align two one-sentence-per-line files.
#[derive(Parser)]
struct Args {
    /// Source file, one sentence per line.
    #[arg(long)]
    src: PathBuf,
    /// Target file, one sentence per line.
    #[arg(long)]
    tgt: PathBuf,
    /// Output format: beads, tsv or tmx.
    #[arg(long, default_value = "beads")]
    format: String,
    /// Source language code.
    #[arg(long, default_value = "zh")]
    source_lang: String,
    /// Target language code.
    #[arg(long, default_value = "en")]
    target_lang: String,
    /// Align even if the target does not look like a translation.
    #[arg(long)]
    force: bool,
    /// Half-width of the search band, in sentences (default: chosen from the input size).
    #[arg(long)]
    band: Option<usize>,
}

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let format: Format = args.format.parse()?;
    let source: Language = args.source_lang.parse()?;
    let target: Language = args.target_lang.parse()?;
    let src = read_sentences(&args.src)?;
    let tgt = read_sentences(&args.tgt)?;
    let src: Vec<&str> = src.iter().map(String::as_str).collect();
    let tgt: Vec<&str> = tgt.iter().map(String::as_str).collect();
    let aligner = Aligner::new(AlignOptions {
        source: source.clone(),
        target: target.clone(),
        band: args.band,
        ..AlignOptions::default()
    })?;
    let beads = aligner.align_checked(&src, &tgt, args.force)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    write_alignment(&mut out, &beads, format, (&src, &source), (&tgt, &target))?;
    out.flush()?;
    Ok(())
}
