//! The review state machine: every change of a translation's state goes through [`transition`].
//!
//! States follow XLIFF 2 (`initial → translated → reviewed → final`); two flags sit beside the
//! state: `needs-review` (the source changed under the translation, or it is unedited machine
//! output) and `rejected` (a reviewer refused it; the note says why). Keeping every rule in this
//! one function means the commands (`set`, `edit`, `import`, `review`) and the source merge
//! cannot disagree about what is allowed.
//!
//! | action | allowed from | result | flags and note |
//! | --- | --- | --- | --- |
//! | edit (`set`, `edit`, `import`) with new text | any state | `translated` (or `initial` when asked: a draft) | clears `needs-review` and `rejected`; from `reviewed`/`final` it says so |
//! | edit with the same text | `initial`, `translated` | `translated` | clears flags (confirms a carried-over translation) |
//! | edit with the same text | `reviewed`, `final` | unchanged | nothing to do |
//! | approve | `translated` | `reviewed` | clears `needs-review` and `rejected` |
//! | reject (note required) | `translated`, `reviewed` | `translated` | sets `rejected`, note = the reason |
//! | reopen | `reviewed`, `final` | `translated` | — |
//! | finalize | `reviewed` | `final` | — |
//! | carry-over (source revision) | any state with a target | `translated` | sets `needs-review` |
//! | draft (`translate`, machine output) | `initial`, `translated` | `initial` | sets `needs-review`; note = the caller's (match score, term warning) |
//!
//! Everything else is refused with the reason and what to do instead. A translation is never
//! empty and never spans lines (a segment is one sentence of one paragraph).

use std::collections::BTreeSet;

use crate::store::record::{Flag, State, Translation};

/// What someone does to a translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action<'a> {
    /// Writes target text; `state` is the state asked for (`translated` when `None`).
    Edit {
        /// The new target text.
        target: &'a str,
        /// The state asked for: `initial` (a draft) or `translated`.
        state: Option<State>,
    },
    /// A reviewer approves: `translated → reviewed`.
    Approve,
    /// A reviewer rejects with a reason.
    Reject,
    /// Sends a reviewed or final translation back to `translated`.
    Reopen,
    /// Signs off: `reviewed → final`.
    Finalize,
    /// The source changed; the old translation is carried over to the new segment.
    CarryOver,
    /// A machine draft (`duiyi translate`): `initial` with `needs-review`, never over a
    /// reviewed or final translation.
    Draft {
        /// The machine's text.
        target: &'a str,
    },
}

impl Action<'_> {
    /// The verb, as in the history journal.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Edit { .. } => "set",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Reopen => "reopen",
            Action::Finalize => "finalize",
            Action::CarryOver => "carry-over",
            Action::Draft { .. } => "translate",
        }
    }
}

/// A transition that is not allowed, or an action with bad input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    /// The action is not allowed from the current state.
    #[error("cannot {action}: it is {state}{flags}; {hint}")]
    Refused {
        /// The action.
        action: &'static str,
        /// The current state.
        state: State,
        /// The current flags, as text (empty or ` (rejected)`).
        flags: String,
        /// What to do instead.
        hint: &'static str,
    },
    /// An empty translation.
    #[error("the translation is empty; write the text, or leave the segment as it is")]
    Empty,
    /// A translation with a line break.
    #[error("the translation spans several lines; a segment is one sentence: write it on one line")]
    MultiLine,
    /// A state that `set` cannot give.
    #[error("`set` gives the state initial (a draft) or translated; {0} comes from `duiyi review`")]
    NotSettable(State),
    /// Reject without a note.
    #[error("a rejection needs a reason: pass --note TEXT")]
    NoteRequired,
}

/// The result of an allowed transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The new state.
    pub state: State,
    /// The new flags.
    pub flags: BTreeSet<Flag>,
    /// The new target text, when it changes.
    pub target: Option<String>,
    /// The new note, when it changes (`Some(None)` clears it).
    pub note: Option<Option<String>>,
    /// Something the user should be told (`reviewed → translated because the text changed`).
    pub notice: Option<String>,
}

impl Change {
    /// A change of state, flags and note that leaves the target and tells the user nothing.
    #[expect(
        clippy::option_option,
        reason = "the type of the note field: None keeps the note, Some(None) clears it"
    )]
    fn keeping_target(state: State, flags: BTreeSet<Flag>, note: Option<Option<String>>) -> Self {
        Self {
            state,
            flags,
            target: None,
            note,
            notice: None,
        }
    }

    /// Whether anything changes at all.
    pub fn changes(&self, record: &Translation) -> bool {
        self.state != record.state
            || self.flags != record.flags
            || self.target.as_ref().is_some_and(|t| *t != record.target)
            || self.note.as_ref().is_some_and(|n| *n != record.note)
    }

    /// Writes the change into the record (who, when and origin are the caller's).
    pub fn apply(&self, record: &mut Translation) {
        record.state = self.state;
        record.flags.clone_from(&self.flags);
        if let Some(t) = &self.target {
            record.target.clone_from(t);
        }
        if let Some(n) = &self.note {
            record.note.clone_from(n);
        }
    }
}

/// Checks an action against a record's state and says what it becomes.
///
/// `note` is the note given with the action: required for a rejection, stored otherwise when
/// present.
pub fn transition(
    record: &Translation,
    action: &Action<'_>,
    note: Option<&str>,
) -> Result<Change, ReviewError> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let refused = |hint| ReviewError::Refused {
        action: action.name(),
        state: record.state,
        flags: flags_text(&record.flags),
        hint,
    };
    let mut flags = record.flags.clone();
    let keep_note = note.map(|n| Some(n.to_string()));
    let change = match action {
        Action::Edit { target, state } => {
            let target = target.trim();
            if target.is_empty() {
                return Err(ReviewError::Empty);
            }
            if target.contains(['\n', '\r']) {
                return Err(ReviewError::MultiLine);
            }
            let wanted = state.unwrap_or(State::Translated);
            if wanted > State::Translated {
                return Err(ReviewError::NotSettable(wanted));
            }
            let same = target == record.target;
            if same && record.state >= State::Reviewed && state.is_none() {
                return Ok(Change::keeping_target(record.state, flags, keep_note));
            }
            flags.remove(&Flag::NeedsReview);
            flags.remove(&Flag::Rejected);
            let notice = (record.state >= State::Reviewed && !same).then(|| {
                format!(
                    "it was {}; the text changed, so it is {wanted} again and needs a new review",
                    record.state
                )
            });
            Change {
                state: wanted,
                flags,
                target: Some(target.to_string()),
                note: Some(note.map(str::to_string)),
                notice,
            }
        }
        Action::Approve => {
            if record.state != State::Translated {
                return Err(refused(match record.state {
                    State::Initial => {
                        "only a translated segment can be approved: translate it first with `duiyi set`"
                    }
                    _ => "it is already approved; `finalize` signs it off, `reopen` sends it back",
                }));
            }
            flags.remove(&Flag::NeedsReview);
            flags.remove(&Flag::Rejected);
            Change::keeping_target(State::Reviewed, flags, Some(note.map(str::to_string)))
        }
        Action::Reject => {
            match record.state {
                State::Translated | State::Reviewed => {}
                State::Initial => {
                    return Err(refused(
                        "there is no translation to reject yet; it needs `duiyi set` first",
                    ));
                }
                State::Final => {
                    return Err(refused(
                        "a final segment is signed off: `reopen` it first, then reject",
                    ));
                }
            }
            let Some(note) = note else {
                return Err(ReviewError::NoteRequired);
            };
            flags.insert(Flag::Rejected);
            Change::keeping_target(State::Translated, flags, Some(Some(note.to_string())))
        }
        Action::Reopen => {
            if record.state < State::Reviewed {
                return Err(refused(
                    "it is still open (only reviewed or final segments can be reopened)",
                ));
            }
            Change::keeping_target(State::Translated, flags, keep_note)
        }
        Action::Finalize => {
            if record.state != State::Reviewed {
                return Err(refused(match record.state {
                    State::Final => "it is already final",
                    _ => "only a reviewed segment can be finalized: approve it first",
                }));
            }
            Change::keeping_target(State::Final, flags, keep_note)
        }
        Action::Draft { target } => {
            if record.state >= State::Reviewed {
                return Err(refused(
                    "machine output never replaces a reviewed or final translation",
                ));
            }
            if target.trim().is_empty() {
                return Err(ReviewError::Empty);
            }
            if target.contains('\n') {
                return Err(ReviewError::MultiLine);
            }
            Change {
                state: State::Initial,
                flags: BTreeSet::from([Flag::NeedsReview]),
                target: Some((*target).to_string()),
                note: Some(note.map(str::to_string)),
                notice: None,
            }
        }
        Action::CarryOver => {
            if record.target.is_empty() {
                return Err(refused("there is no translation to carry over"));
            }
            flags.insert(Flag::NeedsReview);
            Change::keeping_target(State::Translated, flags, keep_note)
        }
    };
    Ok(change)
}

fn flags_text(flags: &BTreeSet<Flag>) -> String {
    if flags.is_empty() {
        String::new()
    } else {
        let names: Vec<_> = flags.iter().map(|f| f.name()).collect();
        format!(" ({})", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(state: State, flags: &[Flag]) -> Translation {
        let mut t = Translation::initial("0123456789abcdef", "1¶1.1", "中国。");
        if state != State::Initial {
            t.target = "China.".into();
        }
        t.state = state;
        t.flags = flags.iter().copied().collect();
        t
    }

    fn run(
        state: State,
        flags: &[Flag],
        action: &Action<'_>,
        note: Option<&str>,
    ) -> Result<Change, ReviewError> {
        transition(&record(state, flags), action, note)
    }

    const EDIT: Action<'static> = Action::Edit {
        target: "The PRC.",
        state: None,
    };

    #[test]
    fn editing_is_allowed_from_every_state_and_clears_flags() {
        for s in State::ALL {
            let c = run(s, &[Flag::NeedsReview, Flag::Rejected], &EDIT, None).unwrap();
            assert_eq!(c.state, State::Translated, "{s}");
            assert!(c.flags.is_empty());
            assert_eq!(c.target.as_deref(), Some("The PRC."));
            assert_eq!(c.notice.is_some(), s >= State::Reviewed, "{s}");
        }
        let draft = Action::Edit {
            target: "Draft",
            state: Some(State::Initial),
        };
        assert_eq!(
            run(State::Initial, &[], &draft, None).unwrap().state,
            State::Initial
        );
    }

    #[test]
    fn editing_refuses_empty_multiline_and_review_states() {
        let e = |t| Action::Edit {
            target: t,
            state: None,
        };
        assert_eq!(
            run(State::Initial, &[], &e("  "), None),
            Err(ReviewError::Empty)
        );
        assert_eq!(
            run(State::Initial, &[], &e("a\nb"), None),
            Err(ReviewError::MultiLine)
        );
        let reviewed = Action::Edit {
            target: "x",
            state: Some(State::Reviewed),
        };
        assert_eq!(
            run(State::Translated, &[], &reviewed, None),
            Err(ReviewError::NotSettable(State::Reviewed))
        );
    }

    #[test]
    fn the_same_text_keeps_a_reviewed_segment_and_confirms_a_flagged_one() {
        let same = Action::Edit {
            target: "China.",
            state: None,
        };
        let c = run(State::Reviewed, &[], &same, None).unwrap();
        assert_eq!(c.state, State::Reviewed);
        assert!(!c.changes(&record(State::Reviewed, &[])));
        let c = run(State::Translated, &[Flag::NeedsReview], &same, None).unwrap();
        assert!(c.flags.is_empty());
        assert!(c.notice.is_none());
    }

    #[test]
    fn approve_only_from_translated() {
        for s in State::ALL {
            let r = run(
                s,
                &[Flag::Rejected, Flag::NeedsReview],
                &Action::Approve,
                None,
            );
            if s == State::Translated {
                let c = r.unwrap();
                assert_eq!(c.state, State::Reviewed);
                assert!(c.flags.is_empty());
            } else {
                assert!(matches!(r, Err(ReviewError::Refused { .. })), "{s}");
            }
        }
    }

    #[test]
    fn reject_needs_a_note_and_an_open_or_reviewed_translation() {
        for s in State::ALL {
            let r = run(s, &[], &Action::Reject, Some("wrong term"));
            if matches!(s, State::Translated | State::Reviewed) {
                let c = r.unwrap();
                assert_eq!(c.state, State::Translated);
                assert!(c.flags.contains(&Flag::Rejected));
                assert_eq!(c.note, Some(Some("wrong term".into())));
            } else {
                assert!(matches!(r, Err(ReviewError::Refused { .. })), "{s}");
            }
        }
        assert_eq!(
            run(State::Translated, &[], &Action::Reject, Some(" ")),
            Err(ReviewError::NoteRequired)
        );
        assert_eq!(
            run(State::Translated, &[], &Action::Reject, None),
            Err(ReviewError::NoteRequired)
        );
    }

    #[test]
    fn reopen_only_from_reviewed_or_final() {
        for s in State::ALL {
            let r = run(s, &[], &Action::Reopen, None);
            if s >= State::Reviewed {
                assert_eq!(r.unwrap().state, State::Translated);
            } else {
                let e = r.unwrap_err();
                assert!(e.to_string().contains("still open"), "{e}");
            }
        }
    }

    #[test]
    fn finalize_only_from_reviewed() {
        for s in State::ALL {
            let r = run(s, &[], &Action::Finalize, None);
            if s == State::Reviewed {
                assert_eq!(r.unwrap().state, State::Final);
            } else {
                assert!(r.is_err(), "{s}");
            }
        }
    }

    #[test]
    fn carry_over_flags_and_demotes() {
        for s in [State::Translated, State::Reviewed, State::Final] {
            let c = run(s, &[], &Action::CarryOver, None).unwrap();
            assert_eq!(c.state, State::Translated);
            assert!(c.flags.contains(&Flag::NeedsReview));
        }
        assert!(run(State::Initial, &[], &Action::CarryOver, None).is_err());
    }

    #[test]
    fn refusals_say_what_to_do() {
        let e = run(State::Initial, &[], &Action::Approve, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot approve: it is initial; only a translated segment can be approved: translate it first with `duiyi set`"
        );
        let e = run(State::Final, &[], &Action::Reject, Some("x")).unwrap_err();
        assert!(e.to_string().contains("reopen"), "{e}");
    }
}
