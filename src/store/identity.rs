//! Who is acting: `--as NAME`, else `DUIYI_USER`, else `git config user.name`.
//!
//! Resolved in one place, in the documented order (command line > environment > git), so every
//! record and journal line names a person and no command guesses differently.

use std::path::Path;
use std::process::Command;

use super::StoreError;

/// The acting user: `explicit` (from `--as`), else `DUIYI_USER`, else git's `user.name` as seen
/// from `root`.
pub fn who(explicit: Option<&str>, root: &Path) -> Result<String, StoreError> {
    let clean = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(name) = explicit.and_then(clean) {
        return Ok(name);
    }
    if let Some(name) = std::env::var("DUIYI_USER").ok().as_deref().and_then(clean) {
        return Ok(name);
    }
    let git = Command::new("git")
        .args(["config", "user.name"])
        .current_dir(root)
        .output();
    if let Ok(out) = git
        && out.status.success()
        && let Some(name) = std::str::from_utf8(&out.stdout).ok().and_then(clean)
    {
        return Ok(name);
    }
    Err(StoreError::NoIdentity)
}

/// Who a machine run is attributed to: the acting user as [`who`] finds them, else `duiyi`
/// (a draft needs no person to answer for it).
pub fn runner(explicit: Option<&str>, root: &Path) -> String {
    who(explicit, root).unwrap_or_else(|_| "duiyi".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_wins() {
        assert_eq!(who(Some(" ana "), Path::new(".")).unwrap(), "ana");
    }
}
