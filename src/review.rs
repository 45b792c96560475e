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
//! | carry-over (source revision) | any state with a target | `translated`, or `initial` for a draft | sets `needs-review` |
//! | draft (`translate`, machine output) | `initial`, `translated` | `initial` | sets `needs-review`; note = the caller's (match score, term warning) |
//! | confirm (a translator accepts a draft as it is) | `initial` with a target | `translated` | clears `needs-review` |
//!
//! Everything else is refused with the reason and what to do instead. A translation is never
//! empty, never spans lines (a segment is one sentence of one paragraph) and never carries
//! control characters or bidirectional overrides, which would reach the editions invisibly.
//!
//! Who may do what is the second question, answered by [`permitted`] from the project's
//! `[review]` settings: only the listed reviewers approve and finalize, and nobody approves or
//! finalizes a text they answer for (its [`author`](Translation::author)) unless the project
//! allows self-review.

use std::collections::BTreeSet;

use crate::project::ReviewSettings;
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
    /// A translator accepts a draft as it is: `initial → translated`, text and origin kept.
    Confirm,
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
            Action::Confirm => "confirm",
        }
    }

    /// Whether this is a reviewer's sign-off (approve or finalize).
    pub fn is_sign_off(&self) -> bool {
        matches!(self, Action::Approve | Action::Finalize)
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
    /// A character that would reach the editions invisibly.
    #[error(
        "the translation contains {name} (U+{code:04X}) at character {at}; it would be invisible in the editions: remove it"
    )]
    Invisible {
        /// The character's code point.
        code: u32,
        /// What it is.
        name: &'static str,
        /// 1-based character position.
        at: usize,
    },
    /// The acting person may not do this (the project's `[review]` rules).
    #[error("{who} may not {action}: {rule}; {hint}")]
    NotPermitted {
        /// The action.
        action: &'static str,
        /// Who tried.
        who: String,
        /// The rule that refuses it.
        rule: String,
        /// How to proceed or change the rule.
        hint: String,
    },
}

impl ReviewError {
    /// Whether the command was refused (exit 1) rather than given bad input (exit 2).
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            ReviewError::Refused { .. } | ReviewError::NotPermitted { .. }
        )
    }
}

/// The first character of `text` that must not be in a translation: a control character
/// (U+0000–U+001F but tab, U+007F–U+009F) or a bidirectional embedding, override or isolate
/// (U+202A–U+202E, U+2066–U+2069). Line breaks are refused separately.
pub fn invisible(text: &str) -> Option<ReviewError> {
    text.chars()
        .enumerate()
        .find_map(|(i, c)| {
            let name = match c {
                '\t' | '\n' | '\r' => return None,
                '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => "a control character",
                '\u{202a}'..='\u{202e}' => "a bidirectional embedding or override",
                '\u{2066}'..='\u{2069}' => "a bidirectional isolate",
                _ => return None,
            };
            Some((i, c, name))
        })
        .map(|(i, c, name)| ReviewError::Invisible {
            code: u32::from(c),
            name,
            at: i + 1,
        })
}

/// Checks a translation's text: not empty, one line, nothing invisible.
fn check_text(target: &str) -> Result<(), ReviewError> {
    if target.trim().is_empty() {
        return Err(ReviewError::Empty);
    }
    if target.contains(['\n', '\r']) {
        return Err(ReviewError::MultiLine);
    }
    match invisible(target) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Whether `who` may do `action` to `record` under the project's `[review]` settings: approving
/// and finalizing are for the listed reviewers (anyone when no list is given), and never for
/// the person who answers for the text, unless `self_review` is set.
pub fn permitted(
    settings: &ReviewSettings,
    record: &Translation,
    action: &Action<'_>,
    who: &str,
) -> Result<(), ReviewError> {
    if !action.is_sign_off() {
        return Ok(());
    }
    let refuse = |rule: String, hint: String| ReviewError::NotPermitted {
        action: action.name(),
        who: who.to_string(),
        rule,
        hint,
    };
    if let Some(reviewers) = &settings.reviewers
        && !reviewers.iter().any(|r| r == who)
    {
        return Err(refuse(
            format!(
                "only the project's reviewers approve and finalize ({})",
                if reviewers.is_empty() {
                    "none are listed".to_string()
                } else {
                    reviewers.join(", ")
                }
            ),
            format!("ask one of them, or add {who:?} to `reviewers` under [review] in duiyi.toml"),
        ));
    }
    if !settings.self_review && record.author.as_deref() == Some(who) {
        return Err(refuse(
            format!("{who} wrote this translation (its last change), and nobody reviews their own work"),
            "ask another reviewer; a one-person project sets `self_review = true` under [review] in duiyi.toml".into(),
        ));
    }
    Ok(())
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
            check_text(target)?;
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
            check_text(target)?;
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
            // A draft stays a draft: carrying it over is no reason to count it as translated.
            let state = if record.state == State::Initial {
                State::Initial
            } else {
                State::Translated
            };
            Change::keeping_target(state, flags, keep_note)
        }
        Action::Confirm => {
            if record.state != State::Initial || record.target.is_empty() {
                return Err(refused(
                    "only a draft (initial, with text) is confirmed; a translated segment goes on to review",
                ));
            }
            flags.remove(&Flag::NeedsReview);
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
    fn carry_over_flags_and_demotes_but_keeps_a_draft_a_draft() {
        for s in [State::Translated, State::Reviewed, State::Final] {
            let c = run(s, &[], &Action::CarryOver, None).unwrap();
            assert_eq!(c.state, State::Translated);
            assert!(c.flags.contains(&Flag::NeedsReview));
        }
        assert!(run(State::Initial, &[], &Action::CarryOver, None).is_err());
        let mut draft = record(State::Initial, &[Flag::NeedsReview]);
        draft.target = "Machine text.".into();
        let c = transition(&draft, &Action::CarryOver, None).unwrap();
        assert_eq!(c.state, State::Initial);
        assert!(c.flags.contains(&Flag::NeedsReview));
    }

    #[test]
    fn confirming_accepts_a_draft_as_it_is() {
        let mut draft = record(State::Initial, &[Flag::NeedsReview]);
        draft.target = "Machine text.".into();
        let c = transition(&draft, &Action::Confirm, None).unwrap();
        assert_eq!(c.state, State::Translated);
        assert!(c.flags.is_empty());
        assert!(c.target.is_none());
        assert!(run(State::Initial, &[], &Action::Confirm, None).is_err());
        assert!(run(State::Translated, &[], &Action::Confirm, None).is_err());
    }

    #[test]
    fn invisible_characters_are_refused() {
        for bad in [
            "a\u{202e}b",
            "x\u{0}",
            "bell\u{7}",
            "\u{2066}iso",
            "c1\u{85}x",
        ] {
            let e = run(
                State::Initial,
                &[],
                &Action::Edit {
                    target: bad,
                    state: None,
                },
                None,
            )
            .unwrap_err();
            assert!(matches!(e, ReviewError::Invisible { .. }), "{bad:?}: {e}");
            let e = run(State::Initial, &[], &Action::Draft { target: bad }, None).unwrap_err();
            assert!(matches!(e, ReviewError::Invisible { .. }), "{bad:?}");
        }
        let e = invisible("ab\u{202e}").unwrap();
        assert_eq!(
            e.to_string(),
            "the translation contains a bidirectional embedding or override (U+202E) at character 3; it would be invisible in the editions: remove it"
        );
        assert!(invisible("Tab\tand “quotes” and 中文").is_none());
    }

    #[test]
    fn only_reviewers_sign_off_and_never_their_own_text() {
        let mut r = record(State::Translated, &[]);
        r.author = Some("ana".into());
        let open = ReviewSettings::default();
        assert!(permitted(&open, &r, &Action::Approve, "li").is_ok());
        let e = permitted(&open, &r, &Action::Approve, "ana").unwrap_err();
        assert!(e.is_refusal());
        assert!(e.to_string().contains("self_review = true"), "{e}");
        assert!(permitted(&open, &r, &Action::Reject, "ana").is_ok());
        let solo = ReviewSettings {
            reviewers: None,
            self_review: true,
        };
        assert!(permitted(&solo, &r, &Action::Approve, "ana").is_ok());
        let listed = ReviewSettings {
            reviewers: Some(vec!["wang".into(), "li".into()]),
            self_review: false,
        };
        assert!(permitted(&listed, &r, &Action::Finalize, "wang").is_ok());
        let e = permitted(&listed, &r, &Action::Approve, "zhao").unwrap_err();
        assert_eq!(
            e.to_string(),
            "zhao may not approve: only the project's reviewers approve and finalize (wang, li); ask one of them, or add \"zhao\" to `reviewers` under [review] in duiyi.toml"
        );
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
