//! `duiyi serve`: the workbench in the browser ([`crate::serve`]). Prints the URL as the first
//! line of output, then serves until stopped (Ctrl-C).

use std::io::Write;

use clap::Args;

use super::args::WhoArg;
use super::{Error, Outcome};
use crate::project::Project;
use crate::serve::{self, Settings};

/// Arguments of `duiyi serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = serve::DEFAULT_PORT)]
    pub port: u16,
    /// The address to listen on: this computer only (127.0.0.1, `::1`, localhost) until users
    /// and logins exist.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Open the workbench in the default browser.
    #[arg(long)]
    pub open: bool,
    #[command(flatten)]
    who: WhoArg,
}

pub(super) fn run(
    project: Project,
    args: &ServeArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    serve::loopback(&args.host)?;
    let settings = Settings {
        host: args.host.clone(),
        port: args.port,
        user: args.who.resolve(&project)?,
    };
    let mut printed = Ok(());
    serve::run(project, &settings, |url| {
        printed = writeln!(out, "{url}").and_then(|()| out.flush());
        eprintln!(
            "duiyi: serving the workbench as {}; stop with Ctrl-C",
            settings.user
        );
        if args.open {
            open_browser(url);
        }
    })?;
    printed?;
    Ok(Outcome::Ok)
}

/// Asks the desktop to open `url`; says so when it cannot.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!("duiyi: could not run {opener}; open {url} in a browser");
    }
}
