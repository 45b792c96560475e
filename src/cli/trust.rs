//! `duiyi trust [--revoke | --status]`: let this project's `command` backends run programs.

use std::io::Write;

use clap::Args;

use super::{Error, Outcome};
use crate::backend::trust::{self, TrustStatus, TrustStore};
use crate::project::{PROJECT_FILE, Project};

/// Arguments of `duiyi trust`.
#[derive(Debug, Args)]
pub struct TrustArgs {
    /// Forget this project: its command backends no longer run.
    #[arg(long, conflicts_with = "status")]
    pub revoke: bool,
    /// Say whether this project is trusted (exit 1 when it is not).
    #[arg(long)]
    pub status: bool,
}

pub(super) fn run(
    project: &Project,
    args: &TrustArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let store = TrustStore::of_user()?;
    let root = project.root().display();
    let programs = trust::programs(project);
    if args.status {
        let status = store.status(project)?;
        writeln!(out, "{root}: {status}")?;
        print_programs(out, &programs)?;
        return Ok(match status {
            TrustStatus::Trusted { .. } => Outcome::Ok,
            _ => Outcome::Findings,
        });
    }
    if args.revoke {
        let was = store.revoke(project)?;
        if was {
            writeln!(
                out,
                "{root}: no longer trusted; its command backends will not run"
            )?;
        } else {
            writeln!(out, "{root}: was not trusted")?;
        }
        return Ok(Outcome::Ok);
    }
    store.trust(project)?;
    writeln!(
        out,
        "{root}: trusted with this {PROJECT_FILE}; any change to it needs `duiyi trust` again"
    )?;
    print_programs(out, &programs)?;
    Ok(Outcome::Ok)
}

fn print_programs(out: &mut dyn Write, programs: &[(String, Vec<String>)]) -> Result<(), Error> {
    if programs.is_empty() {
        writeln!(out, "no command backends are configured")?;
    }
    for (name, program) in programs {
        writeln!(out, "  [backends.{name}] runs {program:?}")?;
    }
    Ok(())
}
