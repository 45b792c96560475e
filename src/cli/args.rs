//! Arguments several commands share: `--doc`, `--as` and `--prefer`. Each is one type, so every
//! command spells, documents and resolves it the same way.

use clap::{Args, ValueEnum};

use super::Error;
use crate::project::{DocumentSpec, Project};
use crate::store::import::Prefer;
use crate::store::{self, identity};

/// `--doc NAME`: which document.
#[derive(Debug, Clone, Default, Args)]
pub struct DocArg {
    /// The document, in a project with several (default: the one that has the segments named,
    /// or every document where the command can work on all).
    #[arg(long, value_name = "NAME")]
    pub doc: Option<String>,
}

impl DocArg {
    /// The document named.
    pub fn name(&self) -> Option<&str> {
        self.doc.as_deref()
    }

    /// The document meant: the named one, or the project's only one.
    pub fn one(&self, project: &Project) -> Result<DocumentSpec, Error> {
        Ok(project.document_or_only(self.name())?)
    }

    /// The document meant by a command naming segments `whats` in `lang` (see
    /// [`store::locate`]).
    pub fn of<S: AsRef<str>>(
        &self,
        project: &Project,
        lang: &str,
        whats: &[S],
    ) -> Result<DocumentSpec, Error> {
        Ok(store::locate(project, self.name(), lang, whats)?)
    }
}

/// `--as NAME`: who acts.
#[derive(Debug, Clone, Default, Args)]
pub struct WhoArg {
    /// Who is acting (default: `$DUIYI_USER`, else `git config user.name`).
    #[arg(long = "as", value_name = "NAME", global = true)]
    pub who: Option<String>,
}

impl WhoArg {
    /// The acting user, resolved as [`identity::who`] does.
    pub fn resolve(&self, project: &Project) -> Result<String, Error> {
        Ok(identity::who(self.who.as_deref(), project.root())?)
    }

    /// Who a machine run is attributed to ([`identity::runner`]).
    pub fn runner(&self, project: &Project) -> String {
        identity::runner(self.who.as_deref(), project.root())
    }
}

/// `--prefer`: how to settle a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreferArg {
    /// Take the file's text.
    File,
    /// Keep the store's text.
    Store,
}

impl From<PreferArg> for Prefer {
    fn from(p: PreferArg) -> Self {
        match p {
            PreferArg::File => Prefer::File,
            PreferArg::Store => Prefer::Store,
        }
    }
}
