//! Working with the tools translators already use: XLIFF 1.2 (`OmegaT`, Trados, `memoQ`,
//! translate-toolkit), spreadsheets re-saved by `LibreOffice`, the analysis report, the `OmegaT`
//! project. Outside tools run for real where the machine has them (translate-toolkit from
//! the Python package index, `LibreOffice`, xmllint); under `CI=true` a missing one fails (see `support::have`).
//! docs/interop.md names the test behind each cell of its matrix.

use std::path::Path;
use std::process::Command;

use crate::publish::{show, translated, xmllint};
use crate::support::{OMEGAT_JAR, Tool, have};

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

/// Re-saves `file` (relative to `dir`) with headless `LibreOffice` as `to` (a filter name) into
/// `dir/out/`, reading CSV as UTF-8 with commas and double quotes, as a user picks in its
/// import dialog; a profile of its own in `dir` keeps parallel tests apart.
fn soffice(dir: &Path, file: &str, to: &str) {
    let profile = format!("file://{}", dir.join("lo-profile").display());
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            to,
        ])
        .args(["--outdir", "out", file])
        .current_dir(dir)
        .output()
        .expect("run soffice");
    assert!(
        out.status.success() && dir.join("out").is_dir(),
        "soffice {file} -> {to}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

const CSV_FILTER: &str = "csv:Text - txt - csv (StarCalc):44,34,76,1";

#[test]
fn tables_resaved_by_libreoffice_import_with_no_change() {
    let mut t = translated(None);
    t.cmd(&["export", "en", "--format", "csv", "-o", "t.csv"])
        .success();
    t.cmd(&["export", "en", "--format", "xlsx", "-o", "t.xlsx"])
        .success();
    let csv = t.read("t.csv");
    assert!(csv.starts_with('\u{feff}'), "a byte order mark for Excel");
    // The white paper has two ids a spreadsheet reads as numbers; they go out as text.
    assert!(
        csv.contains("\n\"=\"\"0030936108e74168\"\"\",3.2¶2.6,"),
        "{csv}"
    );
    t.cmd(&["export", "en", "--format", "csv", "--no-bom", "-o", "-"])
        .success()
        .stdout_has(&["id,ref,source"]);
    if !have(
        Tool::Soffice,
        "that LibreOffice re-saves tables duiyi imports",
    ) {
        return;
    }
    // A hand-made or older table with the bare id, which a spreadsheet mangles.
    let bare = csv.replace("\"=\"\"0030936108e74168\"\"\"", "0030936108e74168");
    t = t.file("bare.csv", bare);
    soffice(t.path(), "t.csv", CSV_FILTER);
    soffice(t.path(), "t.xlsx", "xlsx");
    std::fs::rename(t.path().join("out/t.csv"), t.path().join("out/again.csv")).expect("mv");
    soffice(t.path(), "t.csv", "xlsx");
    std::fs::rename(
        t.path().join("out/t.xlsx"),
        t.path().join("out/from-csv.xlsx"),
    )
    .expect("mv");
    soffice(t.path(), "t.xlsx", "xlsx");
    soffice(t.path(), "bare.csv", CSV_FILTER);
    let mangled = t.read("out/bare.csv");
    assert!(
        !mangled.contains("0030936108e74168"),
        "LibreOffice mangles a bare id: {mangled}"
    );
    for file in ["out/again.csv", "out/from-csv.xlsx", "out/t.xlsx"] {
        t.cmd(&["import", "en", file])
            .success()
            .stdout_has(&["572 segment(s) read, 0 changed\n"]);
    }
    let out = t.cmd(&["import", "en", "out/bare.csv"]).success();
    out.stdout_has(&[
        "1 row(s) had an id a spreadsheet turned into a number (line 212, \"1.79769313486232E+308\" for 3.2¶2.6 0030936108e74168); they were matched by ref and source\n",
        "572 segment(s) read, 0 changed\n",
    ]);
}

#[test]
fn the_analysis_counts_repetitions_and_match_bands_as_cat_tools_do() {
    let mut t = translated(Some(300));
    let out = t.cmd(&["stats", "--analysis", "en"]).success();
    insta::assert_snapshot!("analysis_white_paper", out.stdout);
    let json = t
        .cmd(&["stats", "--analysis", "en", "--json"])
        .success()
        .json();
    assert_eq!(json["total"]["total"]["segments"], 572);
    assert_eq!(json["documents"][0]["bands"][0]["band"], "repetition");
    let csv = t
        .cmd(&["stats", "--analysis", "en", "--csv"])
        .success()
        .stdout;
    assert!(csv.starts_with("document,band,segments,han\n"), "{csv}");
    assert!(csv.contains(&format!("\n{DOC},total,572,")), "{csv}");
    t.cmd(&["stats", "--analysis", "de"])
        .code(2)
        .stderr_has(&["\"de\" is not a target language"]);
}

/// `project_save.tmx` as `OmegaT` writes it from the memories it was given: no duiyi ids or
/// props, one unit per source, `targets` edited.
fn project_save(memory: &str, edits: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for line in memory.lines() {
        if line.trim_start().starts_with("<prop ") {
            continue;
        }
        let line = match line.find(" tuid=\"") {
            Some(at) => {
                let end = line[at + 7..].find('"').map_or(line.len(), |e| at + 8 + e);
                format!("{}{}", &line[..at], &line[end..])
            }
            None => line.to_string(),
        };
        out.push_str(&line);
        out.push('\n');
    }
    for (from, to) in edits {
        assert!(out.contains(from), "{from}");
        out = out.replacen(from, to, 1);
    }
    out
}

#[test]
fn an_omegat_project_is_written_and_its_work_comes_back_through_the_import() {
    let mut t = translated(Some(100));
    t.cmd(&["review", "en", "approve", "toc¶0.1", "--as", "li"])
        .success();
    t.cmd(&["export", "en", "--format", "omegat", "--output", "omt"])
        .success()
        .stdout_has(&["omt\n"]);
    // The source: one duiyi segment per line, so OmegaT's segments are ours.
    let source = t.read(&format!("omt/source/{DOC}.txt"));
    assert_eq!(source.lines().count(), 572);
    assert_eq!(source.lines().next(), Some("目\u{a0}录"));
    let project = t.read("omt/omegat.project");
    assert!(
        project.contains("<sentence_seg>false</sentence_seg>"),
        "{project}"
    );
    assert!(
        project.contains("<source_lang>zh</source_lang>"),
        "{project}"
    );
    assert!(
        t.read("omt/omegat/filters.xml")
            .contains("name=\"segmentOn\" value=\"BREAKS\"")
    );
    xmllint(
        &["--schema", "srx/srx20.xsd"],
        &t.path().join("omt/omegat/segmentation.srx"),
    );
    // Reviewed work is inserted by OmegaT (tm/auto), drafts are only offered (tm/).
    let auto = t.read(&format!("omt/tm/auto/{DOC}.en.tmx"));
    let drafts = t.read(&format!("omt/tm/{DOC}.en.drafts.tmx"));
    assert_eq!(auto.matches("<tu ").count(), 1, "{auto}");
    assert_eq!(drafts.matches("<tu ").count(), 99);
    for tmx in [&auto, &drafts] {
        assert!(tmx.contains("<prop type=\"x-duiyi-base\">"));
    }
    xmllint(
        &["--dtdvalid", "tmx/tmx14.dtd"],
        &t.path().join(format!("omt/tm/{DOC}.en.drafts.tmx")),
    );
    // The glossary: approved terms only, no header row, no forbidden rendering.
    let glossary = t.read("omt/glossary/en.utf8");
    let approved = t
        .cmd(&[
            "glossary", "list", "--lang", "en", "--status", "approved", "--json",
        ])
        .success()
        .json();
    assert_eq!(
        glossary.lines().count(),
        approved.as_array().expect("array").len()
    );
    assert!(!glossary.starts_with("source\t"), "no header row");
    assert!(
        glossary.lines().all(|l| l.split('\t').count() == 3),
        "{glossary}"
    );
    // OmegaT gives every repetition of a source its translation (a heading and its TOC
    // entry): the first import fills the repetitions the store had left open.
    let save = project_save(&drafts, &[]);
    t = t.file("omt/omegat/project_save.tmx", &save);
    t.cmd(&["import", "en", "omt"])
        .success()
        .stdout_has(&["137 segment(s) read, 38 changed"]);
    // Exported again, unchanged work comes back unchanged.
    t.cmd(&["export", "en", "--format", "omegat", "--output", "omt"])
        .success();
    let drafts = t.read(&format!("omt/tm/{DOC}.en.drafts.tmx"));
    t = t.file("omt/omegat/project_save.tmx", project_save(&drafts, &[]));
    t.cmd(&["import", "en", "omt"])
        .success()
        .stdout_has(&["137 segment(s) read, 0 changed"]);
    // Edited in OmegaT: exactly that segment (and its repetition) changes.
    let save = project_save(&drafts, &[("<seg>Preface</seg>", "<seg>Foreword</seg>")]);
    t = t.file("omt/omegat/project_save.tmx", &save);
    t.cmd(&["import", "en", "omt"])
        .success()
        .stdout_has(&["137 segment(s) read, 2 changed"]);
    assert_eq!(show(&mut t, "toc¶1.1")["target"], "Foreword");
    assert_eq!(show(&mut t, "0¶0.1")["target"], "Foreword");
    // Edited in the store since the export and in OmegaT: a conflict, nothing applied.
    t.set("en", "toc¶2.1", "I. A Shared Future").success();
    let save = project_save(
        &drafts,
        &[(
            "<seg>I. The Vision of a Community",
            "<seg>I. THE Vision of a Community",
        )],
    );
    t = t.file("omt/omegat/project_save.tmx", &save);
    t.cmd(&["import", "en", "omt"])
        .code(1)
        .stdout_has(&["conflict toc¶2.1"]);
    assert_eq!(show(&mut t, "toc¶2.1")["target"], "I. A Shared Future");
    // A folder that is not an OmegaT project, and one with no saved work.
    t.cmd(&["import", "en", "source"])
        .code(2)
        .stderr_has(&["only when it is an OmegaT project"]);
    std::fs::remove_file(t.path().join("omt/omegat/project_save.tmx")).expect("rm");
    t.cmd(&["import", "en", "omt"])
        .code(2)
        .stderr_has(&["project_save.tmx", "no saved work"]);
}

/// Every section of the white paper, to review it whole.
const SECTIONS: [&str; 11] = ["toc", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

#[test]
fn omegat_translates_every_segment_of_the_exported_project_from_our_memory() {
    if !have(Tool::Omegat, "that OmegaT translates the exported project") {
        return;
    }
    let mut t = translated(None);
    let mut review = vec!["review", "en", "approve"];
    review.extend(SECTIONS);
    review.extend(["--as", "li"]);
    t.cmd(&review).success();
    t.cmd(&["export", "en", "--format", "omegat", "--output", "omt"])
        .success();
    // OmegaT 3.6 in console mode, with a home folder of its own for its settings.
    let home = t.path().join("omegat-home");
    let out = Command::new("java")
        .arg(format!("-Duser.home={}", home.display()))
        .args(["-Djava.awt.headless=true", "-jar", OMEGAT_JAR])
        .arg(t.path().join("omt"))
        .arg("--mode=console-translate")
        .output()
        .expect("run OmegaT");
    let log =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && log.contains("Translated document created"),
        "{log}"
    );
    // OmegaT's own count: 572 segments, none left to translate.
    let stats = t.read("omt/omegat/project_stats.txt");
    let row = |name: &str| -> Vec<String> {
        let line = stats
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_default();
        line.split('\t').map(|c| c.trim().to_string()).collect()
    };
    assert_eq!(
        row("Total:").get(1).map(String::as_str),
        Some("572"),
        "{stats}"
    );
    assert_eq!(
        row("Remaining:").get(1).map(String::as_str),
        Some("0"),
        "{stats}"
    );
    // The translated document is our translation, segment by segment.
    let target = t.read(&format!("omt/target/{DOC}.txt"));
    let english: Vec<String> = include_str!("../data/white-paper-en.tsv")
        .lines()
        .map(|l| l.split('\t').nth(2).unwrap_or_default().trim().to_string())
        .collect();
    let lines: Vec<&str> = target.lines().map(str::trim).collect();
    assert_eq!(lines.len(), 572);
    assert_eq!(lines, english);
}
