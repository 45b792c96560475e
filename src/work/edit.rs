//! Changing one segment from a face that shows it to a person: a save or a review verdict
//! carries the revision the person saw, so a change made meanwhile (in another browser, or
//! with the command line) is a conflict rather than an overwrite
//! ([`store::apply_one_based`]); after a save the quality checks run on that segment.

use serde::Serialize;

use super::WorkError;
use crate::project::Project;
use crate::qa::Finding;
use crate::review::Action;
use crate::store::record::{Origin, State};
use crate::store::{self, Applied, Store};

/// What a save or a verdict did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Saved {
    /// The document.
    pub doc: String,
    /// The segment's ref.
    #[serde(rename = "ref")]
    pub r#ref: String,
    /// The revision now (the base of the next change).
    pub revision: String,
    /// The state now.
    pub state: State,
    /// Whether anything changed.
    pub changed: bool,
    /// Something to tell the person (a reviewed segment went back to translated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// The quality checks' findings on the text now (after a save; empty after a verdict).
    pub qa: Vec<Finding>,
}

/// What a person does to one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change<'a> {
    /// Writes the target (state translated).
    Save(&'a str),
    /// A reviewer's verdict.
    Review(Verdict),
}

/// A reviewer's verdict on one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// translated → reviewed.
    Approve,
    /// Flags it rejected (a note is required).
    Reject,
    /// reviewed or final → translated.
    Reopen,
    /// reviewed → final.
    Finalize,
}

impl std::str::FromStr for Verdict {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "approve" => Ok(Self::Approve),
            "reject" => Ok(Self::Reject),
            "reopen" => Ok(Self::Reopen),
            "finalize" => Ok(Self::Finalize),
            _ => Err(format!(
                "unknown verdict {s:?}; use approve, reject, reopen or finalize"
            )),
        }
    }
}

/// Applies `change` to the segment `what` (a ref or an id) of `lang`, in the document `doc`
/// names or the one that has it, as `who`, if the segment is still at revision `base`; under
/// the review rules and the four-eyes rule of `[review]`, as `duiyi set` and `duiyi review`.
#[allow(clippy::too_many_arguments)]
pub fn apply(
    project: &Project,
    lang: &str,
    doc: Option<&str>,
    what: &str,
    change: Change<'_>,
    note: Option<&str>,
    base: &str,
    who: &str,
) -> Result<Saved, WorkError> {
    project.target(lang)?;
    let spec = store::locate(project, doc, lang, &[what])?;
    let action = match change {
        Change::Save(target) => Action::Edit {
            target,
            state: None,
        },
        Change::Review(Verdict::Approve) => Action::Approve,
        Change::Review(Verdict::Reject) => Action::Reject,
        Change::Review(Verdict::Reopen) => Action::Reopen,
        Change::Review(Verdict::Finalize) => Action::Finalize,
    };
    let origin = matches!(change, Change::Save(_)).then_some(Origin::Human);
    let committed =
        store::apply_one_based(project, &spec, lang, what, &action, note, who, origin, base)?;
    let Applied {
        r#ref,
        changed,
        state,
        notice,
        ..
    } = committed.value;
    let store = Store::open(project, &spec, lang)?;
    let at = store.find_one(&r#ref)?;
    let qa = if matches!(change, Change::Save(_)) {
        crate::qa::project::check_record(project, &store, at)?
    } else {
        Vec::new()
    };
    Ok(Saved {
        doc: spec.name,
        r#ref,
        revision: store.records()[at].base(),
        state,
        changed,
        notice,
        qa,
    })
}
