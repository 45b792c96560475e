//! Working with the tools translators already use: XLIFF 1.2 (`OmegaT`, Trados, `memoQ`,
//! translate-toolkit), spreadsheets re-saved by `LibreOffice`, the analysis report, the `OmegaT`
//! project. Outside tools run for real where the machine has them (translate-toolkit from
//! the Python package index, `LibreOffice`, xmllint); under `CI=true` a missing one fails (see `support::have`).
//! docs/interop.md names the test behind each cell of its matrix.

use std::path::Path;
use std::process::Command;

use crate::publish::{show, translated, xmllint};
use crate::support::{Tool, have};

const DOC: &str = "intl-development-cooperation";

fn validate_xliff12(file: &Path) {
    xmllint(&["--schema", "xliff-1.2/xliff-core-1.2-strict.xsd"], file);
}

/// Runs a translate-toolkit command in `dir`; its stdout.
fn ttk(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(args[0])
        .args(&args[1..])
        .current_dir(dir)
        .output()
        .expect("run translate-toolkit");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn xliff12_validates_and_translate_toolkit_reads_every_unit() {
    let mut t = translated(None);
    let file = format!("editions/{DOC}.en.xliff12.xlf");
    t.cmd(&["publish", "en", "--format", "xliff12"])
        .success()
        .stdout_has(&[&file]);
    let path = t.path().join(&file);
    validate_xliff12(&path);
    if have(
        Tool::TranslateToolkit,
        "that translate-toolkit reads XLIFF 1.2",
    ) {
        // pocount reads the XLIFF itself; xliff2po converts it, one PO entry per unit (a
        // heading and its TOC entry stay apart through their locations).
        let csv = ttk(t.path(), &["pocount", "--csv", &file]);
        let row: Vec<&str> = csv.lines().nth(1).expect("a row").split(',').collect();
        assert_eq!(row[8], "572", "total messages: {csv}");
        assert_eq!(row[6], "0", "untranslated messages: {csv}");
        ttk(t.path(), &["xliff2po", &file, "back.po"]);
        let po = t.read("back.po");
        // 572 entries and the header.
        assert_eq!(po.matches("\nmsgid ").count(), 573, "{po}");
        assert!(po.contains(&format!("#: source/{DOC}.txt:")), "locations");
        let csv = ttk(t.path(), &["pocount", "--csv", "back.po"]);
        let row: Vec<&str> = csv.lines().nth(1).expect("a row").split(',').collect();
        assert_eq!(row[8], "572", "total messages of the PO file: {csv}");
    }
}

#[test]
fn xliff12_comes_back_with_its_changes_only() {
    let mut t = translated(Some(40));
    t.cmd(&["publish", "en", "--format", "xliff12"]).success();
    let path = format!("editions/{DOC}.en.xliff12.xlf");
    let exported = t.read(&path);
    assert!(exported.contains("<context context-type=\"x-duiyi-base\">translated:"));
    assert!(exported.contains("<target state=\"translated\">Contents</target>"));
    // Unchanged: nothing changes.
    t.cmd(&["import", "en", &path])
        .success()
        .stdout_has(&["572 segment(s) read, 0 changed\n"]);
    // As a CAT tool would: attributes reordered, the target in a segment marker, a target
    // edited, one unit signed off (approved="yes"), another translated from scratch.
    let edited = exported
        .replacen(
            "resname=\"toc¶0.1\">",
            "resname=\"toc¶0.1\" approved=\"yes\" translate=\"yes\">",
            1,
        )
        .replacen(
            "<target state=\"translated\">Contents</target>",
            "<target state=\"signed-off\">Contents</target>",
            1,
        )
        .replacen(
            "<target state=\"translated\">Preface</target>",
            "<target state=\"translated\"><mrk mtype=\"seg\" mid=\"1\">Foreword &amp; preface</mrk></target>",
            1,
        );
    assert_ne!(edited, exported);
    t = t.file("back.xlf", &edited);
    // The translator imports: the new text lands; the approval the file claims for their own
    // text is refused (four eyes), with the line of its unit.
    let out = t.cmd(&["import", "en", "back.xlf"]).code(1);
    out.stdout_has(&[
        "572 segment(s) read, 1 changed, 1 refused",
        "refused toc¶0.1 (line 8): the file says reviewed, but tester may not approve",
    ]);
    assert_eq!(show(&mut t, "toc¶1.1")["target"], "Foreword & preface");
    // A reviewer imports the same file: the approval is theirs to give.
    t.cmd(&["import", "en", "back.xlf", "--as", "li"])
        .success()
        .stdout_has(&["572 segment(s) read, 1 changed"]);
    assert_eq!(show(&mut t, "toc¶0.1")["state"], "reviewed");
    // Edited in the store and in the file since the export: a conflict, nothing applied.
    t.set("en", "toc¶2.1", "I. A Shared Future Guides Cooperation")
        .success();
    let theirs = exported.replacen(
        "<target state=\"translated\">I. The Vision",
        "<target state=\"translated\">I. THE VISION",
        1,
    );
    assert_ne!(theirs, exported);
    t = t.file("conflict.xlf", theirs);
    t.cmd(&["import", "en", "conflict.xlf"])
        .code(1)
        .stdout_has(&["conflict toc¶2.1"]);
    assert_eq!(
        show(&mut t, "toc¶2.1")["target"],
        "I. A Shared Future Guides Cooperation"
    );
    // Bad files: the file and the line, nothing changed.
    t = t.file(
        "bad.xlf",
        exported.replacen("state=\"translated\"", "state=\"done\"", 1),
    );
    t.cmd(&["import", "en", "bad.xlf"])
        .code(2)
        .stderr_has(&["bad.xlf:8", "\"done\" is not an XLIFF 1.2 state"]);
    t = t.file("broken.xlf", exported.replacen("</target>", "", 1));
    t.cmd(&["import", "en", "broken.xlf"])
        .code(2)
        .stderr_has(&["broken.xlf:", "not well-formed XML"]);
    t = t.file(
        "french.xlf",
        exported.replace("target-language=\"en\"", "target-language=\"fr\""),
    );
    t.cmd(&["import", "en", "french.xlf"])
        .code(2)
        .stderr_has(&["target language is \"fr\""]);
}
