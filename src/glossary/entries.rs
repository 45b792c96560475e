//! [`Glossary`]: the entries of one target language, and the reviewer's operations on them.
//!
//! Every operation checks the invariants before changing anything and returns the [`Change`]s
//! it made, which the caller journals ([`super::journal`]). Invariants: each entry is valid
//! ([`Term::validate`]), the pair (source, target) is unique, and a source term has at most one
//! approved rendering. Approving a second rendering is refused unless the caller asks to
//! replace the first, which is then deprecated in the same step: a reviewer never loses the old
//! rendering silently, and the glossary is never left with two answers.

use serde::Serialize;

use super::GlossaryError;
use super::term::{Status, Term, term_id};

/// Who acts, and when: the reviewer's name is resolved by the caller (`--as`, `DUIYI_USER`,
/// `git config user.name`); the time is RFC 3339 UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The acting person.
    pub by: String,
    /// When, RFC 3339 UTC (`2026-11-29T12:00:00Z`).
    pub at: String,
}

impl Stamp {
    /// A stamp for `by`, now.
    pub fn now(by: &str) -> Self {
        Self {
            by: by.to_owned(),
            at: crate::clock::now(),
        }
    }
}

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// A new entry (or a rejected one proposed again).
    Add,
    /// Status set to approved.
    Approve,
    /// Status set to rejected.
    Reject,
    /// Status set to deprecated.
    Deprecate,
    /// A forbidden variant added.
    Forbid,
    /// Entry added or replaced by an import.
    Import,
}

/// One change of one entry, as journaled: who, when, the entry, old → new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// When.
    pub at: String,
    /// Who.
    pub by: String,
    /// The glossary's language.
    pub lang: String,
    /// What was done.
    pub action: Action,
    /// The entry's id.
    pub id: String,
    /// The entry before (none for a new entry).
    pub old: Option<Term>,
    /// The entry after.
    pub new: Option<Term>,
    /// The reviewer's note, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A change as the reviewer's commands print it: `id source → target (lang): status`, with
/// the old status when it changed (`proposed → approved`). A removal prints nothing.
impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some(new) = &self.new else {
            return Ok(());
        };
        write!(
            f,
            "{} {} → {} ({}): ",
            self.id, new.source, new.target, self.lang
        )?;
        match self.old.as_ref().map(|t| t.status) {
            Some(old) if old != new.status => write!(f, "{old} → {}", new.status),
            _ => write!(f, "{}", new.status),
        }
    }
}

/// A filter for [`Glossary::list`].
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only entries with this status.
    pub status: Option<Status>,
    /// Only entries whose source or target contains this text (case-insensitive).
    pub contains: Option<String>,
}

/// The entries of one target language, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glossary {
    lang: String,
    terms: Vec<Term>,
}

impl Glossary {
    /// An empty glossary for `lang`.
    pub fn new(lang: &str) -> Self {
        Self {
            lang: lang.to_owned(),
            terms: Vec::new(),
        }
    }

    /// A glossary holding `terms`, checked as a loader checks them.
    pub fn from_terms(lang: &str, terms: Vec<Term>) -> Result<Self, GlossaryError> {
        let mut glossary = Self::new(lang);
        for term in terms {
            glossary.push_checked(term)?;
        }
        Ok(glossary)
    }

    /// Appends an entry after checking it and the invariants; the readers use this and add the
    /// file and line to the error.
    pub fn push_checked(&mut self, term: Term) -> Result<(), GlossaryError> {
        term.validate()?;
        if let Some(existing) = self
            .terms
            .iter()
            .find(|t| t.source == term.source && t.target == term.target)
        {
            return Err(GlossaryError::Duplicate {
                source_term: term.source.clone(),
                target: term.target.clone(),
                id: existing.id(),
                status: existing.status,
            });
        }
        if term.status == Status::Approved
            && let Some(existing) = self.approved(&term.source)
        {
            return Err(GlossaryError::AlreadyApproved {
                source_term: term.source.clone(),
                existing: existing.target.clone(),
                existing_id: existing.id(),
            });
        }
        self.terms.push(term);
        Ok(())
    }

    /// The target language.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// All entries, in file order.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The entries rendering `source`.
    pub fn by_source<'a>(&'a self, source: &'a str) -> impl Iterator<Item = &'a Term> + 'a {
        self.terms.iter().filter(move |t| t.source == source)
    }

    /// The approved rendering of `source`, if any.
    pub fn approved(&self, source: &str) -> Option<&Term> {
        self.terms
            .iter()
            .find(|t| t.source == source && t.status == Status::Approved)
    }

    /// Entries passing `filter`, in file order.
    pub fn list(&self, filter: &Filter) -> Vec<&Term> {
        let needle = filter.contains.as_deref().map(str::to_lowercase);
        self.terms
            .iter()
            .filter(|t| filter.status.is_none_or(|s| t.status == s))
            .filter(|t| {
                needle.as_deref().is_none_or(|n| {
                    t.source.to_lowercase().contains(n) || t.target.to_lowercase().contains(n)
                })
            })
            .collect()
    }

    /// The entries named by `key` (an id, or a source term or one of its variants).
    pub fn find(&self, key: &str) -> Vec<&Term> {
        let key = key.trim();
        let by_id: Vec<&Term> = self.terms.iter().filter(|t| t.id() == key).collect();
        if !by_id.is_empty() {
            return by_id;
        }
        self.terms
            .iter()
            .filter(|t| t.source == key || t.variants.iter().any(|v| v == key))
            .collect()
    }

    /// The index of the one entry named by `key` (and `target`, when given). With several
    /// candidates, `prefer` picks the only one having that status, if there is exactly one.
    /// The entry named by `key` (id or source term; `target` narrows it), preferring one in
    /// status `prefer` when the source term has several.
    pub fn entry(
        &self,
        key: &str,
        target: Option<&str>,
        prefer: Option<Status>,
    ) -> Result<&Term, GlossaryError> {
        self.resolve(key, target, prefer).map(|i| &self.terms[i])
    }

    fn resolve(
        &self,
        key: &str,
        target: Option<&str>,
        prefer: Option<Status>,
    ) -> Result<usize, GlossaryError> {
        let key = key.trim();
        let mut found: Vec<usize> = (0..self.terms.len())
            .filter(|&i| self.terms[i].id() == key)
            .collect();
        if found.is_empty() {
            found = (0..self.terms.len())
                .filter(|&i| {
                    let t = &self.terms[i];
                    t.source == key || t.variants.iter().any(|v| v == key)
                })
                .collect();
        }
        if let Some(target) = target {
            found.retain(|&i| self.terms[i].target == target);
        }
        if found.len() > 1
            && let Some(status) = prefer
        {
            let preferred: Vec<usize> = found
                .iter()
                .copied()
                .filter(|&i| self.terms[i].status == status)
                .collect();
            if preferred.len() == 1 {
                found = preferred;
            }
        }
        match found.as_slice() {
            [] => Err(GlossaryError::NotFound {
                key: key.to_owned(),
                lang: self.lang.clone(),
            }),
            [one] => Ok(*one),
            many => Err(GlossaryError::Ambiguous {
                key: key.to_owned(),
                count: many.len(),
                candidates: many
                    .iter()
                    .map(|&i| {
                        let t = &self.terms[i];
                        format!("{} ({:?}, {})", t.id(), t.target, t.status)
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    fn change(
        &self,
        action: Action,
        old: Option<Term>,
        new: &Term,
        note: Option<&str>,
        stamp: &Stamp,
    ) -> Change {
        Change {
            at: stamp.at.clone(),
            by: stamp.by.clone(),
            lang: self.lang.clone(),
            action,
            id: new.id(),
            old,
            new: Some(new.clone()),
            note: note.map(str::to_owned),
        }
    }

    /// Adds `term` with status proposed. A rejected entry with the same source and target is
    /// proposed again; any other existing pair is an error.
    pub fn add(&mut self, term: Term, stamp: &Stamp) -> Result<Change, GlossaryError> {
        let mut term = term;
        term.status = Status::Proposed;
        term.by.clone_from(&stamp.by);
        term.at.clone_from(&stamp.at);
        term.validate()?;
        if let Some(i) = self
            .terms
            .iter()
            .position(|t| t.source == term.source && t.target == term.target)
        {
            let old = self.terms[i].clone();
            if old.status != Status::Rejected {
                return Err(GlossaryError::Duplicate {
                    source_term: old.source.clone(),
                    target: old.target.clone(),
                    id: old.id(),
                    status: old.status,
                });
            }
            self.terms[i] = term;
            return Ok(self.change(Action::Add, Some(old), &self.terms[i], None, stamp));
        }
        self.terms.push(term);
        let new = &self.terms[self.terms.len() - 1];
        Ok(self.change(Action::Add, None, new, None, stamp))
    }

    /// Moves the entry named by `key` (id or source term; `target` narrows it) to `to`.
    ///
    /// Approving when the source term already has an approved rendering is refused with
    /// [`GlossaryError::AlreadyApproved`] unless `replace` is set; then the old rendering is
    /// deprecated first, and both changes are returned.
    pub fn set_status(
        &mut self,
        key: &str,
        target: Option<&str>,
        to: Status,
        replace: bool,
        note: Option<&str>,
        stamp: &Stamp,
    ) -> Result<Vec<Change>, GlossaryError> {
        let prefer = match to {
            Status::Approved | Status::Rejected => Some(Status::Proposed),
            Status::Deprecated => Some(Status::Approved),
            Status::Proposed => Some(Status::Rejected),
        };
        let i = self.resolve(key, target, prefer)?;
        let current = &self.terms[i];
        if !current.status.can_become(to) {
            return Err(GlossaryError::Transition {
                id: current.id(),
                source_term: current.source.clone(),
                target: current.target.clone(),
                from: current.status,
                to,
            });
        }
        let mut changes = Vec::new();
        if to == Status::Approved {
            let source = current.source.clone();
            if let Some(j) = self
                .terms
                .iter()
                .position(|t| t.source == source && t.status == Status::Approved)
            {
                let existing = &self.terms[j];
                if !replace {
                    return Err(GlossaryError::AlreadyApproved {
                        source_term: source,
                        existing: existing.target.clone(),
                        existing_id: existing.id(),
                    });
                }
                let old = existing.clone();
                let term = &mut self.terms[j];
                term.status = Status::Deprecated;
                term.by.clone_from(&stamp.by);
                term.at.clone_from(&stamp.at);
                let replaced = format!("replaced by {}", term_id(&source, &self.terms[i].target));
                changes.push(self.change(
                    Action::Deprecate,
                    Some(old),
                    &self.terms[j],
                    Some(&replaced),
                    stamp,
                ));
            }
        }
        let old = self.terms[i].clone();
        let term = &mut self.terms[i];
        term.status = to;
        term.by.clone_from(&stamp.by);
        term.at.clone_from(&stamp.at);
        let action = match to {
            Status::Approved => Action::Approve,
            Status::Rejected => Action::Reject,
            Status::Deprecated => Action::Deprecate,
            Status::Proposed => Action::Add,
        };
        changes.push(self.change(action, Some(old), &self.terms[i], note, stamp));
        Ok(changes)
    }

    /// Approves the entry named by `key`; see [`Glossary::set_status`] for `replace`.
    pub fn approve(
        &mut self,
        key: &str,
        target: Option<&str>,
        replace: bool,
        note: Option<&str>,
        stamp: &Stamp,
    ) -> Result<Vec<Change>, GlossaryError> {
        self.set_status(key, target, Status::Approved, replace, note, stamp)
    }

    /// Rejects the proposed entry named by `key`.
    pub fn reject(
        &mut self,
        key: &str,
        target: Option<&str>,
        note: Option<&str>,
        stamp: &Stamp,
    ) -> Result<Vec<Change>, GlossaryError> {
        self.set_status(key, target, Status::Rejected, false, note, stamp)
    }

    /// Deprecates the entry named by `key`.
    pub fn deprecate(
        &mut self,
        key: &str,
        target: Option<&str>,
        note: Option<&str>,
        stamp: &Stamp,
    ) -> Result<Vec<Change>, GlossaryError> {
        self.set_status(key, target, Status::Deprecated, false, note, stamp)
    }

    /// Records `variant` as a forbidden rendering of the entry named by `key` (the approved
    /// one when the source term has several entries).
    pub fn forbid(
        &mut self,
        key: &str,
        variant: &str,
        stamp: &Stamp,
    ) -> Result<Change, GlossaryError> {
        let i = self.resolve(key, None, Some(Status::Approved))?;
        let variant = variant.trim();
        let old = self.terms[i].clone();
        if old.forbidden.iter().any(|v| v == variant) {
            return Err(GlossaryError::Invalid(format!(
                "{variant:?} is already forbidden for {} (id {})",
                old.source,
                old.id()
            )));
        }
        if variant.eq_ignore_ascii_case(&old.target) {
            return Err(GlossaryError::Invalid(format!(
                "{variant:?} is the rendering of entry {} itself",
                old.id()
            )));
        }
        let mut term = old.clone();
        term.forbidden.push(variant.to_owned());
        term.by.clone_from(&stamp.by);
        term.at.clone_from(&stamp.at);
        term.validate()?;
        self.terms[i] = term;
        Ok(self.change(Action::Forbid, Some(old), &self.terms[i], None, stamp))
    }

    /// Merges imported entries: new pairs are appended, existing pairs replaced when they
    /// differ. Nothing changes when any entry would break an invariant.
    pub fn import(
        &mut self,
        terms: Vec<Term>,
        stamp: &Stamp,
    ) -> Result<Vec<Change>, GlossaryError> {
        let mut next = self.clone();
        let mut changes = Vec::new();
        for term in terms {
            term.validate()?;
            match next
                .terms
                .iter()
                .position(|t| t.source == term.source && t.target == term.target)
            {
                Some(i) if next.terms[i] == term => {}
                Some(i) => {
                    let old = next.terms[i].clone();
                    next.terms.remove(i);
                    next.push_checked(term)?;
                    let new = next.terms[next.terms.len() - 1].clone();
                    next.terms.pop();
                    next.terms.insert(i, new);
                    changes.push(next.change(
                        Action::Import,
                        Some(old),
                        &next.terms[i],
                        None,
                        stamp,
                    ));
                }
                None => {
                    next.push_checked(term)?;
                    let new = &next.terms[next.terms.len() - 1];
                    changes.push(next.change(Action::Import, None, new, None, stamp));
                }
            }
        }
        *self = next;
        Ok(changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp() -> Stamp {
        Stamp {
            by: "li".into(),
            at: "2026-11-29T12:00:00Z".into(),
        }
    }

    fn add(g: &mut Glossary, source: &str, target: &str) -> String {
        g.add(Term::proposed(source, target, "", "", ""), &stamp())
            .unwrap()
            .id
    }

    #[test]
    fn add_proposes_and_refuses_duplicates() {
        let mut g = Glossary::new("en");
        add(&mut g, "一带一路", "Belt and Road Initiative");
        assert_eq!(g.terms()[0].status, Status::Proposed);
        assert_eq!(g.terms()[0].by, "li");
        let err = g
            .add(
                Term::proposed("一带一路", "Belt and Road Initiative", "", "", ""),
                &stamp(),
            )
            .unwrap_err();
        assert!(matches!(err, GlossaryError::Duplicate { .. }));
    }

    #[test]
    fn empty_source_is_refused() {
        let mut g = Glossary::new("en");
        let err = g
            .add(Term::proposed("", "x", "", "", ""), &stamp())
            .unwrap_err();
        assert!(err.to_string().contains("empty source term"));
        assert!(g.is_empty());
    }

    #[test]
    fn second_approval_is_refused_unless_replacing() {
        let mut g = Glossary::new("en");
        let first = add(
            &mut g,
            "人类命运共同体",
            "community with a shared future for mankind",
        );
        let second = add(&mut g, "人类命运共同体", "community of common destiny");
        g.approve(&first, None, false, None, &stamp()).unwrap();
        let err = g.approve(&second, None, false, None, &stamp()).unwrap_err();
        assert!(
            matches!(err, GlossaryError::AlreadyApproved { .. }),
            "{err}"
        );
        assert_eq!(g.approved("人类命运共同体").unwrap().id(), first);

        let changes = g
            .approve(&second, None, true, Some("house style"), &stamp())
            .unwrap();
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].action, Action::Deprecate);
        assert_eq!(changes[1].note.as_deref(), Some("house style"));
        assert_eq!(g.approved("人类命运共同体").unwrap().id(), second);
        assert_eq!(g.find(&first)[0].status, Status::Deprecated);
    }

    #[test]
    fn source_key_prefers_the_entry_the_action_applies_to() {
        let mut g = Glossary::new("en");
        let a = add(&mut g, "南南合作", "South-South cooperation");
        add(&mut g, "南南合作", "south south collaboration");
        let err = g
            .approve("南南合作", None, false, None, &stamp())
            .unwrap_err();
        assert!(matches!(err, GlossaryError::Ambiguous { count: 2, .. }));
        g.approve(
            "南南合作",
            Some("South-South cooperation"),
            false,
            None,
            &stamp(),
        )
        .unwrap();
        // Now only one proposed entry is left: rejecting by source picks it.
        g.reject("南南合作", None, Some("not idiomatic"), &stamp())
            .unwrap();
        // Deprecating by source picks the approved one.
        let changes = g.deprecate("南南合作", None, None, &stamp()).unwrap();
        assert_eq!(changes[0].id, a);
    }

    #[test]
    fn illegal_transitions_are_refused() {
        let mut g = Glossary::new("en");
        let id = add(
            &mut g,
            "正确义利观",
            "right approach to justice and interests",
        );
        g.reject(&id, None, None, &stamp()).unwrap();
        let err = g.approve(&id, None, false, None, &stamp()).unwrap_err();
        assert!(matches!(err, GlossaryError::Transition { .. }), "{err}");
        // A rejected entry can be proposed again by adding it.
        let change = g
            .add(
                Term::proposed(
                    "正确义利观",
                    "right approach to justice and interests",
                    "",
                    "",
                    "",
                ),
                &stamp(),
            )
            .unwrap();
        assert_eq!(change.old.unwrap().status, Status::Rejected);
        g.approve(&id, None, false, None, &stamp()).unwrap();
        g.deprecate(&id, None, None, &stamp()).unwrap();
        g.approve(&id, None, false, None, &stamp()).unwrap();
        let err = g.approve(&id, None, false, None, &stamp()).unwrap_err();
        assert!(matches!(err, GlossaryError::Transition { .. }));
    }

    #[test]
    fn forbid_goes_to_the_approved_entry() {
        let mut g = Glossary::new("en");
        let a = add(&mut g, "一带一路", "Belt and Road Initiative");
        add(&mut g, "一带一路", "One Belt, One Road");
        g.approve(&a, None, false, None, &stamp()).unwrap();
        let change = g.forbid("一带一路", "OBOR", &stamp()).unwrap();
        assert_eq!(change.id, a);
        assert_eq!(g.approved("一带一路").unwrap().forbidden, vec!["OBOR"]);
        assert!(g.forbid("一带一路", "OBOR", &stamp()).is_err());
    }

    #[test]
    fn list_filters_by_status_and_text() {
        let mut g = Glossary::new("en");
        let a = add(&mut g, "一带一路", "Belt and Road Initiative");
        add(&mut g, "南南合作", "South-South cooperation");
        g.approve(&a, None, false, None, &stamp()).unwrap();
        let approved = g.list(&Filter {
            status: Some(Status::Approved),
            contains: None,
        });
        assert_eq!(approved.len(), 1);
        let south = g.list(&Filter {
            status: None,
            contains: Some("south".into()),
        });
        assert_eq!(south[0].source, "南南合作");
    }

    #[test]
    fn import_is_all_or_nothing() {
        let mut g = Glossary::new("en");
        add(&mut g, "一带一路", "Belt and Road Initiative");
        let mut a = Term::proposed("南南合作", "South-South cooperation", "", "x", "t");
        a.status = Status::Approved;
        let mut b = a.clone();
        b.target = "South-South collaboration".into();
        let before = g.clone();
        let err = g.import(vec![a.clone(), b], &stamp()).unwrap_err();
        assert!(matches!(err, GlossaryError::AlreadyApproved { .. }));
        assert_eq!(g, before);
        let changes = g.import(vec![a], &stamp()).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(g.len(), 2);
    }
}
