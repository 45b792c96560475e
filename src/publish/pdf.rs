//! The PDF edition, typeset by duiyi itself with the embedded typst compiler (cargo feature
//! `pdf`; no outside program).
//!
//! The edition becomes a typst document: a `meta` dictionary (titles, author, languages,
//! fonts, layout), the template `edition.typ` (page, running heads and page numbers, the title
//! page, the table of contents with page numbers, headings, units; a project's
//! `templates/edition.typ` replaces it) and one call per unit, every text passed as a typst
//! string literal so nothing in it is read as markup. Source and translations stand in facing
//! columns (`--layout side-by-side`, the default) or one under the other
//! (`--layout interleaved`). typst breaks Chinese lines by its rules (no line starts with a
//! closing mark) and compresses CJK punctuation; every font is embedded as a subset (no
//! Type 3); the PDF's title, author, keywords, date and language come from the edition.
//!
//! Fonts come from the project's `fonts/` folder, then the system's, then typst's own Latin
//! fonts (Libertinus Serif). A document with Chinese, Japanese or Korean text needs a font that
//! has its characters: without one, [`Typesetter::new`] says what to install before anything
//! is written.

use std::fmt::Write as _;

use super::{Edition, Layout, Options, PublishError};
use crate::files::AtomicFile;
use crate::lang::{joins_without_space, locale, writes_han};
use crate::segment::{Role, Unit};

/// The built-in template.
pub const TEMPLATE: &str = include_str!("edition.typ");

/// The Latin fonts tried after the project's: typst's own serif is always there.
pub const LATIN_FALLBACK: &str = "Libertinus Serif";

/// CJK fonts tried after the project's, in order.
pub const CJK_FALLBACKS: [&str; 6] = [
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "AR PL UMing CN",
];

/// A string as a typst string literal.
pub fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_literal(&mut out, text);
    out
}

fn push_literal(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A unit's text in target `l` as a typst expression: its segments joined, a segment below
/// the bar marked (`mk(…)`).
fn target_expr(edition: &Edition<'_>, l: usize, unit: &Unit, out: &mut String) {
    let sep = if joins_without_space(&edition.langs[l].lang) {
        ""
    } else {
        " "
    };
    out.push_str("(\"\"");
    for (i, s) in unit.segments.iter().enumerate() {
        let shown = edition.shown(l, &s.id);
        out.push_str(", ");
        if i > 0 && !sep.is_empty() {
            out.push_str("\" \", ");
        }
        match shown.mark {
            Some(mark) => {
                out.push_str("mk(");
                push_literal(out, shown.text);
                out.push_str(", ");
                push_literal(out, mark);
                out.push(')');
            }
            None => push_literal(out, shown.text),
        }
    }
    out.push_str(").join()");
}

/// The texts of a unit in every language, as a typst array.
fn texts(edition: &Edition<'_>, unit: &Unit, out: &mut String) {
    out.push('(');
    push_literal(out, edition.doc.unit_text(unit));
    for l in 0..edition.langs.len() {
        out.push_str(", ");
        target_expr(edition, l, unit, out);
    }
    out.push_str(",)");
}

/// The label of a heading (`u-<segment id>`, as the HTML edition's anchors).
fn label_of(unit: &Unit) -> String {
    super::anchor(unit)
}

/// `YYYY-MM-DDTHH:MM:SSZ` as a typst `datetime(…)`, `auto` when it is not of that form.
fn datetime(rfc3339: &str) -> String {
    let num = |r: std::ops::Range<usize>| -> Option<u32> { rfc3339.get(r)?.parse().ok() };
    match (
        num(0..4),
        num(5..7),
        num(8..10),
        num(11..13),
        num(14..16),
        num(17..19),
    ) {
        (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) => format!(
            "datetime(year: {year}, month: {month}, day: {day}, hour: {hour}, minute: {minute}, second: {second})"
        ),
        _ => "auto".into(),
    }
}

/// The fonts the document asks for, in order of preference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontChoice {
    /// Latin families.
    pub latin: Vec<String>,
    /// CJK families.
    pub cjk: Vec<String>,
}

impl FontChoice {
    /// The project's fonts, then the fallbacks, with nothing twice.
    pub fn of(edition: &Edition<'_>) -> Self {
        let mut latin = vec![edition.meta.latin_font.clone()];
        if !latin.iter().any(|f| f.eq_ignore_ascii_case(LATIN_FALLBACK)) {
            latin.push(LATIN_FALLBACK.to_string());
        }
        let mut cjk = vec![edition.meta.cjk_font.clone()];
        for f in CJK_FALLBACKS {
            if !cjk.iter().any(|c| c.eq_ignore_ascii_case(f)) {
                cjk.push(f.to_string());
            }
        }
        Self { latin, cjk }
    }
}

/// The typst document of `edition`: `meta`, the template, the units.
pub fn source(
    edition: &Edition<'_>,
    options: &Options,
    fonts: &FontChoice,
    template: &str,
) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let source_code = locale(&edition.source_lang);
    let targets: Vec<String> = edition.langs.iter().map(|t| locale(&t.lang)).collect();
    let list = |items: &[String]| -> String {
        let mut s = String::from("(");
        for i in items {
            push_literal(&mut s, i);
            s.push_str(", ");
        }
        s.push(')');
        s
    };
    let titles: Vec<String> = edition
        .titles()
        .into_iter()
        .map(|(lang, t)| format!("({}, {})", literal(&locale(lang)), literal(&t)))
        .collect();
    let keywords: Vec<String> = std::iter::once(source_code.clone())
        .chain(targets.iter().cloned())
        .collect();
    let _ = write!(
        out,
        "#let meta = (\n  title: {},\n  author: {},\n  keywords: {},\n  date: {},\n  source: {},\n  targets: {},\n  titles: ({},),\n  latin-fonts: {},\n  cjk-fonts: {},\n  layout: {},\n  draft: {},\n  bar: {},\n)\n",
        literal(&edition.full_title()),
        edition
            .meta
            .author
            .as_deref()
            .map_or_else(|| "()".to_string(), literal),
        list(&keywords),
        datetime(&edition.date()),
        literal(&source_code),
        list(&targets),
        titles.join(", "),
        list(&fonts.latin),
        list(&fonts.cjk),
        literal(match options.layout {
            Layout::SideBySide => "columns",
            Layout::Interleaved => "interleaved",
        }),
        options.draft,
        literal(edition.bar.name()),
    );
    out.push_str(template);
    out.push_str("\n#title-page()\n");

    // The table of contents: the source's own title for it when it has one.
    let headings: Vec<&Unit> = edition
        .doc
        .units
        .iter()
        .filter(|u| u.role == Role::Heading && !u.segments.is_empty())
        .collect();
    if !headings.is_empty() {
        out.push_str("#toc(");
        let toc_title = edition
            .doc
            .units
            .iter()
            .find(|u| u.role == Role::TocTitle && !u.segments.is_empty());
        if let Some(unit) = toc_title {
            {
                out.push('(');
                push_literal(&mut out, edition.doc.unit_text(unit));
                for l in 0..edition.langs.len() {
                    out.push_str(", ");
                    let t = edition.target_text(l, unit);
                    let t = if t.is_empty() {
                        super::contents_label(&edition.langs[l].lang).to_string()
                    } else {
                        t
                    };
                    push_literal(&mut out, &t);
                }
                out.push_str(",)");
            }
        } else {
            {
                out.push('(');
                push_literal(&mut out, super::contents_label(&edition.source_lang));
                for t in edition.langs {
                    out.push_str(", ");
                    push_literal(&mut out, super::contents_label(&t.lang));
                }
                out.push_str(",)");
            }
        }
        out.push_str(", (\n");
        for unit in &headings {
            let _ = write!(
                out,
                "  ({}, {}, (",
                unit.level.unwrap_or(1).max(1),
                literal(&label_of(unit))
            );
            push_literal(&mut out, edition.doc.unit_text(unit));
            for l in 0..edition.langs.len() {
                out.push_str(", ");
                push_literal(&mut out, &edition.target_text(l, unit));
            }
            out.push_str(",)),\n");
        }
        out.push_str("))\n#pagebreak(weak: true)\n");
    }

    let title_line = edition.title().map(|u| u.line);
    for unit in &edition.doc.units {
        if unit.segments.is_empty()
            || matches!(unit.role, Role::TocTitle | Role::TocEntry)
            || unit.role == Role::Title && Some(unit.line) == title_line
        {
            continue;
        }
        if unit.role == Role::Heading {
            let _ = write!(
                out,
                "#h({}, {}, ",
                unit.level.unwrap_or(1).max(1),
                literal(&label_of(unit))
            );
        } else {
            let _ = write!(out, "#u({}, ", literal(unit.role.name()));
        }
        texts(edition, unit, &mut out);
        out.push_str(")\n");
    }
    out
}

/// Whether the edition has text in Chinese, Japanese or Korean (and so needs a CJK font).
pub fn needs_cjk(edition: &Edition<'_>) -> bool {
    writes_han(&edition.source_lang) || edition.langs.iter().any(|t| writes_han(&t.lang))
}

/// The message of a missing CJK font: what to install, where a font file may go instead.
pub fn no_cjk_font_message(fonts_dir: Option<&std::path::Path>) -> String {
    let folder = fonts_dir.map_or_else(
        || "a fonts/ folder of the project".to_string(),
        |d| d.display().to_string(),
    );
    format!(
        "the PDF edition needs a font with Chinese characters, and there is none among the system's fonts or in {folder}; install one (Debian and Ubuntu: apt-get install fonts-noto-cjk; Fedora: dnf install google-noto-serif-cjk-fonts) or put an .otf, .ttf or .ttc file into {folder}"
    )
}

/// Typesets PDF editions: the fonts, found once.
pub struct Typesetter {
    #[cfg(feature = "pdf")]
    fonts: typeset::Fonts,
    choice: FontChoice,
}

impl std::fmt::Debug for Typesetter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Typesetter")
            .field("choice", &self.choice)
            .finish_non_exhaustive()
    }
}

impl Typesetter {
    /// Finds the fonts (the project's `fonts/`, the system's, typst's own); refuses an edition
    /// with CJK text when no font has its characters, and a duiyi built without the `pdf`
    /// feature.
    pub fn new(edition: &Edition<'_>, options: &Options) -> Result<Self, PublishError> {
        #[cfg(feature = "pdf")]
        {
            let fonts = typeset::Fonts::search(options.fonts.as_deref());
            let mut choice = FontChoice::of(edition);
            if needs_cjk(edition) {
                let found = fonts.cjk_families();
                if found.is_empty() {
                    return Err(PublishError::NoCjkFont {
                        message: no_cjk_font_message(options.fonts.as_deref()),
                    });
                }
                // The families asked for that exist, else every CJK family there is.
                choice
                    .cjk
                    .retain(|f| found.iter().any(|g| g.eq_ignore_ascii_case(f)));
                if choice.cjk.is_empty() {
                    choice.cjk = found;
                }
            }
            Ok(Self { fonts, choice })
        }
        #[cfg(not(feature = "pdf"))]
        {
            let _ = (edition, options);
            Err(PublishError::PdfUnavailable)
        }
    }

    /// The fonts the edition will ask for.
    pub fn fonts(&self) -> &FontChoice {
        &self.choice
    }

    /// Typesets `edition` and writes the PDF into `out`.
    pub fn write(
        &self,
        edition: &Edition<'_>,
        options: &Options,
        out: &mut AtomicFile,
    ) -> Result<(), PublishError> {
        let over = options
            .templates
            .as_deref()
            .map(|d| d.join("edition.typ"))
            .filter(|p| p.is_file());
        let template = match &over {
            Some(p) => std::fs::read_to_string(p).map_err(|e| PublishError::Template {
                name: p.display().to_string(),
                message: e.to_string(),
            })?,
            None => TEMPLATE.to_string(),
        };
        let name = over.map_or_else(
            || "the built-in edition.typ".to_string(),
            |p| p.display().to_string(),
        );
        let text = source(edition, options, &self.choice, &template);
        #[cfg(feature = "pdf")]
        {
            let ident = format!(
                "duiyi:{}:{}",
                edition.doc.name,
                edition
                    .langs
                    .iter()
                    .map(|t| t.lang.as_str())
                    .collect::<Vec<_>>()
                    .join("+")
            );
            let bytes = self
                .fonts
                .compile(text, &ident)
                .map_err(|message| PublishError::Typeset { name, message })?;
            std::io::Write::write_all(out.writer(), &bytes).map_err(|e| out.error(e).into())
        }
        #[cfg(not(feature = "pdf"))]
        {
            let _ = (text, name, out);
            Err(PublishError::PdfUnavailable)
        }
    }
}

#[cfg(feature = "pdf")]
mod typeset {
    //! The typst world of one edition: the standard library, the fonts, one source file.

    use std::fmt::Write as _;

    use typst::diag::{FileError, FileResult, Severity};
    use typst::foundations::{Bytes, Datetime, Duration, Smart};
    use typst::syntax::{FileId, Source};
    use typst::text::{Font, FontBook};
    use typst::utils::LazyHash;
    use typst::{Library, LibraryExt, World, WorldExt};
    use typst_kit::fonts::FontStore;
    use typst_layout::PagedDocument;

    /// The fonts found: the project's, the system's, typst's own.
    pub(super) struct Fonts {
        store: FontStore,
        library: LazyHash<Library>,
    }

    impl Fonts {
        /// Searches `project` (when given and present), the system, and typst's fonts.
        pub(super) fn search(project: Option<&std::path::Path>) -> Self {
            let mut store = FontStore::new();
            if let Some(dir) = project.filter(|d| d.is_dir()) {
                store.extend(typst_kit::fonts::scan(dir));
            }
            store.extend(typst_kit::fonts::system());
            store.extend(typst_kit::fonts::embedded());
            Self {
                store,
                library: LazyHash::new(Library::default()),
            }
        }

        /// The families that have Chinese characters (中 and 国), in the order found.
        pub(super) fn cjk_families(&self) -> Vec<String> {
            let book = self.store.book();
            let mut found: Vec<String> = Vec::new();
            for (family, faces) in book.families() {
                let covers = faces
                    .filter_map(|i| book.info(i))
                    .any(|info| info.coverage.contains(0x4E2D) && info.coverage.contains(0x56FD));
                if covers && !found.iter().any(|f| f.eq_ignore_ascii_case(family)) {
                    found.push(family.to_string());
                }
            }
            found
        }

        /// Compiles `text` into a PDF; the errors' messages, with their lines, when it fails.
        pub(super) fn compile(&self, text: String, ident: &str) -> Result<Vec<u8>, String> {
            let world = EditionWorld {
                fonts: self,
                main: Source::detached(text),
            };
            let document = typst::compile::<PagedDocument>(&world)
                .output
                .map_err(|errors| describe(&world, &errors))?;
            let options = typst_pdf::PdfOptions {
                ident: Smart::Custom(ident.to_string()),
                creator: Smart::Custom(Some(format!("duiyi {}", env!("CARGO_PKG_VERSION")))),
                ..typst_pdf::PdfOptions::default()
            };
            typst_pdf::pdf(&document, &options).map_err(|errors| describe(&world, &errors))
        }
    }

    /// The errors of a compilation, each with the line of the typst source it points at.
    fn describe(world: &EditionWorld<'_>, errors: &[typst::diag::SourceDiagnostic]) -> String {
        let source = &world.main;
        errors
            .iter()
            .filter(|e| e.severity == Severity::Error)
            .take(5)
            .map(|e| {
                let line = world
                    .range(e.span)
                    .and_then(|r| source.lines().byte_to_line(r.start))
                    .map(|l| format!("line {}: ", l + 1))
                    .unwrap_or_default();
                let hints: String = e.hints.iter().fold(String::new(), |mut acc, h| {
                    let _ = write!(acc, " (hint: {})", h.v);
                    acc
                });
                format!("{line}{}{hints}", e.message)
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    struct EditionWorld<'a> {
        fonts: &'a Fonts,
        main: Source,
    }

    impl World for EditionWorld<'_> {
        fn library(&self) -> &LazyHash<Library> {
            &self.fonts.library
        }

        fn book(&self) -> &LazyHash<FontBook> {
            self.fonts.store.book()
        }

        fn main(&self) -> FileId {
            self.main.id()
        }

        fn source(&self, id: FileId) -> FileResult<Source> {
            if id == self.main.id() {
                Ok(self.main.clone())
            } else {
                Err(FileError::AccessDenied)
            }
        }

        fn file(&self, id: FileId) -> FileResult<Bytes> {
            if id == self.main.id() {
                Ok(Bytes::from_string(self.main.clone()))
            } else {
                Err(FileError::AccessDenied)
            }
        }

        fn font(&self, index: usize) -> Option<Font> {
            self.fonts.store.font(index)
        }

        fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Format, fixture};
    use super::*;
    use crate::store::record::State;

    #[test]
    fn text_is_a_string_literal_never_markup() {
        assert_eq!(
            literal("a \"b\" \\ #c *d* $e$"),
            "\"a \\\"b\\\" \\\\ #c *d* $e$\""
        );
        assert_eq!(literal("x\ny"), "\"x\\ny\"");
    }

    #[test]
    fn the_typst_document_has_every_unit_and_the_metadata() {
        let (doc, stores) = fixture::stores();
        let targets = fixture::targets_of(&stores);
        let edition = Edition::new(&doc, "zh", &targets, State::Reviewed);
        let options = Options {
            formats: vec![Format::Pdf],
            layout: Layout::SideBySide,
            require: None,
            draft: true,
            out: std::path::PathBuf::new(),
            templates: None,
            fonts: None,
            qa_errors_allowed: Vec::new(),
        };
        let text = source(&edition, &options, &FontChoice::of(&edition), TEMPLATE);
        assert!(text.contains("title: \"新时代的中国国际发展合作 · China's International Development Cooperation in the New Era\""), "{text}");
        assert!(text.contains("targets: (\"en-US\", )"));
        assert!(text.contains(
            "date: datetime(year: 2026, month: 11, day: 29, hour: 13, minute: 10, second: 0)"
        ));
        assert!(text.contains("#h(1, \"u-"));
        assert!(text.contains("mk(\"China supports <script>alert(1)</script> cooperation & \\\"partnership\\\".\", \"unreviewed\")"));
        assert!(text.contains("#u(\"note\", (\"注1：数据截至2020年。\""));
        assert!(
            !text.contains("#u(\"toc-entry\""),
            "the TOC is made with page numbers"
        );
        assert!(text.contains("#toc((\"目录\", \"Contents\",)"));
        // The whole document typst typesets, the template aside (it is a file of its own).
        insta::assert_snapshot!(text.replace(TEMPLATE, "// edition.typ\n"));
    }
}
