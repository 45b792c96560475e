//! The HTML edition: one standalone file (inline CSS, no external requests), source and
//! target(s) aligned unit by unit.
//!
//! The page and the unit are two minijinja templates, embedded here as data and overridable
//! from the project (`templates/edition.html`, `templates/edition-unit.html`). The page is
//! rendered once with a marker where `{{ units }}` stands and split there; then each unit is
//! written straight into the output's buffer, so memory stays flat however long the document.
//! The built-in unit template is mirrored in code (same markup, same escaping, pinned by a test
//! against the template), which copies no text into a template context; a project's own
//! `edition-unit.html` is rendered by minijinja for each unit. Autoescaping is on, so segment
//! text is always text.

use std::io::{self, Write};
use std::path::Path;

use minijinja::{Environment, HtmlEscape, Value, context};

use super::{Edition, Layout, Options, PublishError, anchor};
use crate::files::AtomicFile;
use crate::lang::is_rtl;
use crate::segment::{Role, Unit};

const PAGE: &str = include_str!("edition.html");
const UNIT: &str = include_str!("edition-unit.html");
const MARKER: &str = "\u{1}duiyi-units\u{1}";

fn template_error(name: &str, e: &minijinja::Error) -> PublishError {
    PublishError::Template {
        name: name.to_string(),
        message: format!("{e:#}"),
    }
}

/// The environment with the page and unit templates (project overrides first).
pub fn environment(templates: Option<&Path>) -> Result<Environment<'static>, PublishError> {
    let mut env = Environment::new();
    for (name, builtin) in [("edition.html", PAGE), ("edition-unit.html", UNIT)] {
        let over = templates.map(|d| d.join(name)).filter(|p| p.is_file());
        let text = match over {
            Some(p) => std::fs::read_to_string(&p).map_err(|e| PublishError::Template {
                name: p.display().to_string(),
                message: e.to_string(),
            })?,
            None => builtin.to_string(),
        };
        env.add_template_owned(name.to_string(), text)
            .map_err(|e| template_error(name, &e))?;
    }
    Ok(env)
}

/// Writes the HTML edition of `edition` into `out`.
pub fn write(
    edition: &Edition<'_>,
    options: &Options,
    out: &mut AtomicFile,
) -> Result<(), PublishError> {
    let env = environment(options.templates.as_deref())?;
    let title_text = edition.source_title();
    let target_titles: Vec<String> = (0..edition.langs.len())
        .filter_map(|l| edition.target_title(l))
        .collect();
    let titles: Vec<Value> = edition
        .titles()
        .into_iter()
        .map(|(lang, text)| context! { lang, text, rtl => is_rtl(lang) })
        .collect();
    let levels = heading_levels(edition);
    let has_toc = edition.doc.units.iter().any(|u| u.role == Role::TocEntry);
    let toc: Vec<Value> = if has_toc {
        Vec::new()
    } else {
        edition
            .doc
            .units
            .iter()
            .filter(|u| u.role == Role::Heading)
            .map(|u| context! { anchor => anchor(u), text => edition.doc.unit_text(u), level => u.level.unwrap_or(1).max(1) })
            .collect()
    };
    let langs: Vec<&str> = edition.langs.iter().map(|l| l.lang.as_str()).collect();
    let running = edition.full_title();
    let title_unit = edition.title();
    let page = env
        .get_template("edition.html")
        .and_then(|t| {
            t.render(context! {
                title => title_text,
                target_titles,
                titles,
                full_title => running,
                title_anchor => title_unit.map(anchor),
                author => edition.meta.author,
                running_css => Value::from_safe_string(css_string(&running)),
                fonts => Value::from_safe_string(font_stack(edition)),
                running,
                source_lang => edition.source_lang,
                langs,
                layout => match options.layout { Layout::SideBySide => "side-by-side", Layout::Interleaved => "interleaved" },
                draft => options.draft,
                bar => edition.bar.name(),
                toc,
                version => env!("CARGO_PKG_VERSION"),
                units => Value::from_safe_string(MARKER.to_string()),
            })
        })
        .map_err(|e| template_error("edition.html", &e))?;
    let (head, tail) = page
        .split_once(MARKER)
        .ok_or_else(|| PublishError::Template {
            name: "edition.html".into(),
            message: "the page template must show {{ units }} once, where the units go".into(),
        })?;
    let custom_unit = options
        .templates
        .as_deref()
        .is_some_and(|d| d.join("edition-unit.html").is_file());
    let unit_template = env
        .get_template("edition-unit.html")
        .map_err(|e| template_error("edition-unit.html", &e))?;
    out.writer()
        .write_all(head.as_bytes())
        .map_err(|e| out.error(e))?;
    let rtl: Vec<bool> = langs.iter().map(|l| is_rtl(l)).collect();
    let seps: Vec<&str> = langs
        .iter()
        .map(|l| {
            if crate::lang::joins_without_space(l) {
                ""
            } else {
                " "
            }
        })
        .collect();
    let units = Units {
        edition,
        langs: &langs,
        rtl: &rtl,
        seps: &seps,
        levels: &levels,
    };
    let title_line = title_unit.map(|u| u.line);
    for unit in &edition.doc.units {
        // The title unit is in the title block.
        if unit.segments.is_empty() || unit.role == Role::Title && Some(unit.line) == title_line {
            continue;
        }
        let w = out.writer();
        if custom_unit {
            unit_template
                .render_captured_to(units.context(unit), &mut *w)
                .map_err(|e| template_error("edition-unit.html", &e))?;
        } else {
            units
                .write_builtin(unit, &mut *w)
                .map_err(|e| out.error(e))?;
        }
        out.writer().write_all(b"\n").map_err(|e| out.error(e))?;
    }
    out.writer()
        .write_all(tail.as_bytes())
        .map_err(|e| out.error(e))?;
    Ok(())
}

/// A text as a CSS string: quoted, with backslashes, quotes, line breaks and `<` escaped (so
/// it can close neither the string nor the `<style>` element).
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\3C "),
            '>' => out.push_str("\\3E "),
            '\n' | '\r' => out.push_str("\\A "),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The CSS font stack: the project's Latin and CJK fonts, then common serif fallbacks.
fn font_stack(edition: &Edition<'_>) -> String {
    let mut families: Vec<String> = Vec::new();
    for f in [
        edition.meta.latin_font.as_str(),
        super::LATIN_FONT,
        edition.meta.cjk_font.as_str(),
        super::CJK_FONT,
        "Source Han Serif SC",
        "Songti SC",
        "SimSun",
        "Georgia",
    ] {
        let quoted = css_string(f);
        if !families.contains(&quoted) {
            families.push(quoted);
        }
    }
    families.push("serif".into());
    families.join(", ")
}

/// The level of each heading by its first segment's id (for the TOC entries that link to it).
fn heading_levels(edition: &Edition<'_>) -> std::collections::HashMap<String, u8> {
    edition
        .doc
        .units
        .iter()
        .filter(|u| u.role == Role::Heading)
        .filter_map(|u| {
            u.segments
                .first()
                .map(|s| (s.id.to_string(), u.level.unwrap_or(1).max(1)))
        })
        .collect()
}

/// What every unit of one edition shares.
struct Units<'e, 'a> {
    edition: &'e Edition<'a>,
    langs: &'e [&'e str],
    rtl: &'e [bool],
    seps: &'e [&'e str],
    levels: &'e std::collections::HashMap<String, u8>,
}

impl Units<'_, '_> {
    /// The level of the heading a TOC entry lists.
    fn toc_level(&self, unit: &Unit) -> Option<u8> {
        unit.links_to
            .as_deref()
            .and_then(|id| self.levels.get(id).copied())
    }
}

impl Units<'_, '_> {
    /// The unit template's context (for a project's own `edition-unit.html`).
    fn context(&self, unit: &Unit) -> Value {
        let targets: Vec<Value> = (0..self.langs.len())
            .map(|l| {
                let segments: Vec<Value> = unit
                    .segments
                    .iter()
                    .map(|s| {
                        let shown = self.edition.shown(l, &s.id);
                        context! { text => shown.text, mark => shown.mark, state => shown.state.name() }
                    })
                    .collect();
                context! { lang => self.langs[l], rtl => self.rtl[l], sep => self.seps[l], segments }
            })
            .collect();
        let link = unit.links_to.as_deref().map(|id| format!("u-{id}"));
        context! {
            role => unit.role.name(),
            level => unit.level,
            toc_level => self.toc_level(unit),
            anchor => anchor(unit),
            reference => unit.segments[0].r#ref.to_string(),
            link,
            source => context! {
                lang => self.edition.source_lang,
                text => self.edition.doc.unit_text(unit),
                cells => unit.segments.iter().map(|s| self.edition.doc.segment_text(unit, s)).collect::<Vec<_>>(),
            },
            targets,
        }
    }

    /// Writes `unit` exactly as the built-in `edition-unit.html` renders it (same markup, same
    /// escaping), without building a template context: no copy of any text is made.
    fn write_builtin(&self, unit: &Unit, w: &mut impl Write) -> io::Result<()> {
        let role = unit.role.name();
        write!(w, "<section class=\"u {}", HtmlEscape(role))?;
        let level = unit.level.filter(|&l| l != 0);
        if let Some(l) = level {
            write!(w, " h{l}")?;
        }
        if let Some(t) = self.toc_level(unit) {
            write!(w, " t{t}")?;
        }
        // `anchor(unit)` of a unit with segments, written without a copy.
        write!(
            w,
            "\" id=\"u-{}\" data-ref=\"{}\"",
            HtmlEscape(&unit.segments[0].id),
            HtmlEscape(&unit.segments[0].r#ref.to_string())
        )?;
        if let Some(l) = level {
            write!(w, " role=\"heading\" aria-level=\"{}\"", u16::from(l) + 1)?;
        } else if unit.role == Role::Title {
            w.write_all(b" role=\"heading\" aria-level=\"1\"")?;
        }
        write!(
            w,
            "><div class=\"src\" lang=\"{}\">",
            HtmlEscape(&self.edition.source_lang)
        )?;
        if unit.role == Role::TableRow {
            // A table row: one cell per segment, in the source and in each target.
            w.write_all(b"<table class=\"cells\"><tr>")?;
            for s in &unit.segments {
                write!(
                    w,
                    "<td>{}</td>",
                    HtmlEscape(self.edition.doc.segment_text(unit, s))
                )?;
            }
            w.write_all(b"</tr></table></div>")?;
            for (l, lang) in self.langs.iter().enumerate() {
                write!(w, "<div class=\"tgt\" lang=\"{}\"", HtmlEscape(lang))?;
                if self.rtl[l] {
                    w.write_all(b" dir=\"rtl\"")?;
                }
                w.write_all(b"><table class=\"cells\"><tr>")?;
                for s in &unit.segments {
                    let shown = self.edition.shown(l, &s.id);
                    w.write_all(b"<td>")?;
                    match shown.mark {
                        Some(mark) => write!(
                            w,
                            "<span class=\"mark\" data-mark=\"{}\">{}</span>",
                            HtmlEscape(mark),
                            HtmlEscape(shown.text)
                        )?,
                        None => write!(w, "{}", HtmlEscape(shown.text))?,
                    }
                    w.write_all(b"</td>")?;
                }
                w.write_all(b"</tr></table></div>")?;
            }
            return w.write_all(b"</section>");
        }
        if let Some(id) = &unit.links_to {
            write!(
                w,
                "<a href=\"#u-{}\">{}</a>",
                HtmlEscape(id),
                HtmlEscape(self.edition.doc.unit_text(unit))
            )?;
        } else {
            write!(w, "{}", HtmlEscape(self.edition.doc.unit_text(unit)))?;
        }
        w.write_all(b"</div>")?;
        for (l, lang) in self.langs.iter().enumerate() {
            write!(w, "<div class=\"tgt\" lang=\"{}\"", HtmlEscape(lang))?;
            if self.rtl[l] {
                w.write_all(b" dir=\"rtl\"")?;
            }
            w.write_all(b">")?;
            if let Some(id) = &unit.links_to {
                write!(w, "<a href=\"#u-{}\">", HtmlEscape(id))?;
            }
            for (i, s) in unit.segments.iter().enumerate() {
                if i > 0 {
                    write!(w, "{}", HtmlEscape(self.seps[l]))?;
                }
                let shown = self.edition.shown(l, &s.id);
                match shown.mark {
                    Some(mark) => write!(
                        w,
                        "<span class=\"mark\" data-mark=\"{}\">{}</span>",
                        HtmlEscape(mark),
                        HtmlEscape(shown.text)
                    )?,
                    None => write!(w, "{}", HtmlEscape(shown.text))?,
                }
            }
            if unit.links_to.is_some() {
                w.write_all(b"</a>")?;
            }
            w.write_all(b"</div>")?;
        }
        w.write_all(b"</section>")
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Format, fixture};
    use super::*;
    use crate::store::record::State;

    pub(crate) fn render(layout: Layout, draft: bool, langs: &[&str]) -> String {
        render_with(layout, draft, langs, None)
    }

    fn render_with(
        layout: Layout,
        draft: bool,
        langs: &[&str],
        templates: Option<&Path>,
    ) -> String {
        let (doc, mut stores) = fixture::stores();
        for extra in langs.iter().skip(1) {
            let mut copy = stores[0].clone();
            copy.0 = (*extra).to_string();
            stores.push(copy);
        }
        let targets = fixture::targets_of(&stores);
        let edition = Edition::new(&doc, "zh", &targets, State::Reviewed);
        let dir = tempfile::tempdir().unwrap();
        let options = Options {
            formats: vec![Format::Html],
            layout,
            require: Some(State::Reviewed),
            draft,
            out: dir.path().to_path_buf(),
            templates: templates.map(Path::to_path_buf),
            fonts: None,
            qa_errors_allowed: Vec::new(),
        };
        let mut f = AtomicFile::create(&dir.path().join("x.html")).unwrap();
        write(&edition, &options, &mut f).unwrap();
        let p = f.commit().unwrap();
        std::fs::read_to_string(p).unwrap()
    }

    #[test]
    fn markup_in_segments_is_text_and_languages_are_tagged() {
        let html = render(Layout::SideBySide, true, &["en", "ar"]);
        assert!(!html.contains("<script>alert"), "escaped");
        assert!(html.contains("&lt;script&gt;alert(1)"));
        assert!(html.contains("lang=\"ar\" dir=\"rtl\""));
        assert!(html.contains("data-mark=\"unreviewed\""));
        assert!(html.contains("data-mark=\"untranslated\""));
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "no external requests"
        );
        assert!(html.contains("href=\"#u-"), "the TOC links to headings");
    }

    #[test]
    fn the_builtin_unit_writer_matches_the_unit_template() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("edition-unit.html"), UNIT).unwrap();
        for (layout, draft, langs) in [
            (Layout::SideBySide, true, &["en", "ar"][..]),
            (Layout::Interleaved, false, &["en"][..]),
            (Layout::SideBySide, true, &["zh-TW", "fr"][..]),
        ] {
            assert_eq!(
                render_with(layout, draft, langs, None),
                render_with(layout, draft, langs, Some(dir.path())),
                "{langs:?}"
            );
        }
    }

    #[test]
    fn table_rows_are_laid_out_as_tables_by_the_writer_and_the_template_alike() {
        let (doc, stores) = fixture::table_stores();
        let targets = fixture::targets_of(&stores);
        let edition = Edition::new(&doc, "zh", &targets, State::Reviewed);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("edition-unit.html"), UNIT).unwrap();
        let render = |templates: Option<&Path>| {
            let options = Options {
                formats: vec![Format::Html],
                layout: Layout::SideBySide,
                require: Some(State::Reviewed),
                draft: true,
                out: dir.path().to_path_buf(),
                templates: templates.map(Path::to_path_buf),
                fonts: None,
                qa_errors_allowed: Vec::new(),
            };
            let mut f = AtomicFile::create(&dir.path().join("t.html")).unwrap();
            write(&edition, &options, &mut f).unwrap();
            std::fs::read_to_string(f.commit().unwrap()).unwrap()
        };
        let html = render(None);
        assert!(
            html.contains("<table class=\"cells\"><tr><td>指标</td><td>2019年</td><td>2023年</td></tr></table>"),
            "{html}"
        );
        assert!(html.contains(
            "<table class=\"cells\"><tr><td>Indicator</td><td>2019</td><td>2023</td></tr></table>"
        ));
        assert!(html.contains("<td><span class=\"mark\" data-mark=\"untranslated\"></span></td>"));
        assert_eq!(html, render(Some(dir.path())));
    }

    #[test]
    fn html_edition_is_pinned() {
        insta::assert_snapshot!(render(Layout::SideBySide, true, &["en"]));
    }
}
