//! Reading XLIFF 1.2 files back, what `OmegaT`, Trados, `memoQ` and translate-toolkit exchange,
//! into the same [`XliffFile`] as XLIFF 2 ([`super::xliff`]), so both go through one import.
//!
//! # States, both ways
//!
//! XLIFF 1.2 keeps a state on each `<target state="…">` and an approval on each
//! `<trans-unit approved="yes">`. duiyi writes ([`state_out`]) and reads ([`state_in`]) them so:
//!
//! | duiyi | written | read back as |
//! | --- | --- | --- |
//! | `initial` (a draft) | `needs-translation` | `new`, `needs-translation`, `needs-adaptation`, `needs-l10n`: `initial` |
//! | `translated`, flagged `needs-review` or `rejected` | `needs-review-translation` | `needs-review-*`: `translated` |
//! | `translated` | `translated` | `translated` |
//! | `reviewed` | `signed-off`, `approved="yes"` | `signed-off`, or `approved="yes"` with any state below: `reviewed` |
//! | `final` | `final`, `approved="yes"` | `final` |
//!
//! Custom `x-` states are read as no state. What the file asks for is then decided by
//! [`crate::store::import`] like any other file: a file only raises a state, as far as the
//! importing person may.
//!
//! # Base and context
//!
//! The base of each unit ([`crate::store::import`]) travels in a
//! `<context-group purpose="information">` as `<context context-type="x-duiyi-base">`,
//! beside the ref (`x-ref`) and the role (`x-role`); the source file and line (`sourcefile`,
//! `linenumber`) are a `purpose="location"` group. The strict 1.2 schema refuses foreign attributes it cannot check, while context
//! groups are kept by the tools and shown to translators as context.
//!
//! # Inline content
//!
//! The text of `<g>`, `<mrk>` (a tool's own segmentation, `mtype="seg"`) is kept; `<x/>`, `<bx/>`,
//! `<ex/>` are dropped; the native code inside `<ph>`, `<bpt>`, `<ept>`, `<it>` and `<sub>` is not
//! text and is left out, except duiyi's own `<ph ctype="x-duiyi-cp">HHHH</ph>`, the one character
//! XML 1.0 cannot carry. `<alt-trans>` suggestions are not read. DTDs and entities other than the
//! predefined ones are refused, as for XLIFF 2.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::xliff::{Entry, XliffFile};
use super::xml::{Lines, attr, line_of, push_text};
use crate::store::record::State;

/// The XLIFF 1.2 namespace.
pub const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:1.2";

/// The `ctype` of the `<ph>` that carries a character XML 1.0 cannot.
pub const CODE_POINT: &str = "x-duiyi-cp";

/// The `context-type` of the base.
pub const BASE: &str = "x-duiyi-base";

/// The XLIFF 1.2 `state` and `approved` of a record in `state`, flagged for review or not.
pub fn state_out(state: State, flagged: bool) -> (&'static str, bool) {
    match state {
        State::Initial => ("needs-translation", false),
        State::Translated if flagged => ("needs-review-translation", false),
        State::Translated => ("translated", false),
        State::Reviewed => ("signed-off", true),
        State::Final => ("final", true),
    }
}

/// The duiyi state of an XLIFF 1.2 `state` (`None`: not given or a custom `x-` one) and
/// `approved`.
pub fn state_in(state: Option<&str>, approved: bool) -> Result<Option<State>, String> {
    let read = match state {
        None => None,
        Some("new" | "needs-translation" | "needs-adaptation" | "needs-l10n") => {
            Some(State::Initial)
        }
        Some(
            "needs-review-translation"
            | "needs-review-adaptation"
            | "needs-review-l10n"
            | "translated",
        ) => Some(State::Translated),
        Some("signed-off") => Some(State::Reviewed),
        Some("final") => Some(State::Final),
        Some(x) if x.starts_with("x-") => None,
        Some(other) => {
            return Err(format!(
                "state {other:?} is not an XLIFF 1.2 state (new, needs-translation, needs-review-translation, translated, signed-off, final, …)"
            ));
        }
    };
    Ok(match read {
        Some(State::Final) => Some(State::Final),
        _ if approved => Some(State::Reviewed),
        other => other,
    })
}

/// The version an XLIFF file declares on its root (`None`: no `<xliff>` root found).
pub fn version(text: &str) -> Option<String> {
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                return (e.local_name().as_ref() == "xliff")
                    .then(|| attr(&e, "version").ok().flatten().unwrap_or_default());
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    Source,
    Target,
    Base,
}

/// What the reader is inside of, for one `<trans-unit>`.
struct Unit {
    entry: Entry,
    approved: bool,
    state: Option<String>,
    depth: usize,
}

/// Reads an XLIFF 1.2 file; `(line, message)` on error.
#[allow(clippy::too_many_lines)]
pub fn read(text: &str) -> Result<XliffFile, (usize, String)> {
    let mut reader = Reader::from_str(text);
    let mut file = XliffFile::default();
    let mut root = false;
    let mut lines = Lines::default();
    let mut unit: Option<Unit> = None;
    let mut field = Field::None;
    let mut field_depth = 0usize;
    // Depth of the element whose content is native code (`<ph>`, `<bpt>`, …), 0 if none.
    let mut code_depth = 0usize;
    let mut code_point: Option<String> = None;
    let mut depth = 0usize;
    let mut buffer = String::new();
    loop {
        let position = reader.buffer_position();
        let fail = |m: String| (line_of(text, position), m);
        let event = reader
            .read_event()
            .map_err(|e| fail(format!("not well-formed XML: {e}")))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name();
                let name: &str = name.as_ref();
                let in_core = e.name().prefix().is_none();
                if !root {
                    if name != "xliff" {
                        return Err(fail(format!("not an XLIFF file: the root is <{name}>")));
                    }
                    let version = attr(e, "version").map_err(&fail)?.unwrap_or_default();
                    if !version.starts_with("1.") {
                        return Err(fail(format!("XLIFF version {version:?} is not XLIFF 1.2")));
                    }
                    root = true;
                }
                match name {
                    "file" if in_core && unit.is_none() => {
                        let src = attr(e, "source-language").map_err(&fail)?;
                        let trg = attr(e, "target-language").map_err(&fail)?;
                        for (have, new) in [(&mut file.src_lang, src), (&mut file.trg_lang, trg)] {
                            let new = new.unwrap_or_default();
                            if have.is_empty() {
                                *have = new;
                            } else if !new.is_empty() && *have != new {
                                return Err(fail(format!(
                                    "the <file> elements disagree on their languages ({have:?} and {new:?}); split the file per language"
                                )));
                            }
                        }
                    }
                    "trans-unit" if in_core && unit.is_none() => {
                        let id = attr(e, "id")
                            .map_err(&fail)?
                            .ok_or_else(|| fail("a <trans-unit> without id".into()))?;
                        let approved = attr(e, "approved").map_err(&fail)?;
                        unit = Some(Unit {
                            entry: Entry {
                                line: lines.at(text, position),
                                unit: id,
                                source: String::new(),
                                target: None,
                                state: None,
                                base: None,
                            },
                            approved: approved.as_deref() == Some("yes"),
                            state: None,
                            depth: depth + 1,
                        });
                    }
                    "source" | "target"
                        if in_core
                            && field == Field::None
                            && unit.as_ref().is_some_and(|u| u.depth == depth) =>
                    {
                        field = if name == "source" {
                            Field::Source
                        } else {
                            Field::Target
                        };
                        if let Some(u) = unit.as_mut()
                            && field == Field::Target
                        {
                            u.state = attr(e, "state").map_err(&fail)?;
                            u.entry.target = Some(String::new());
                        }
                        field_depth = depth + 1;
                        buffer.clear();
                        if empty {
                            field = Field::None;
                        }
                    }
                    "context"
                        if in_core
                            && field == Field::None
                            && !empty
                            && unit.is_some()
                            && attr(e, "context-type").map_err(&fail)?.as_deref() == Some(BASE) =>
                    {
                        field = Field::Base;
                        field_depth = depth + 1;
                        buffer.clear();
                    }
                    "ph" | "bpt" | "ept" | "it" | "sub"
                        if in_core && field != Field::None && code_depth == 0 && !empty =>
                    {
                        code_depth = depth + 1;
                        if name == "ph"
                            && attr(e, "ctype").map_err(&fail)?.as_deref() == Some(CODE_POINT)
                        {
                            code_point = Some(String::new());
                        }
                    }
                    _ => {}
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                let name = e.local_name();
                let in_core = e.name().prefix().is_none();
                if code_depth != 0 && depth + 1 == code_depth {
                    code_depth = 0;
                    if let Some(hex) = code_point.take() {
                        let c = u32::from_str_radix(hex.trim(), 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or_else(|| {
                                fail(format!(
                                    "<ph ctype=\"{CODE_POINT}\">{hex}</ph> is not a character"
                                ))
                            })?;
                        buffer.push(c);
                    }
                    continue;
                }
                match name.as_ref() {
                    "source" | "target" | "context"
                        if field != Field::None && depth + 1 == field_depth =>
                    {
                        let t = std::mem::take(&mut buffer);
                        if let Some(u) = unit.as_mut() {
                            match field {
                                Field::Source => u.entry.source = t,
                                Field::Target => u.entry.target = Some(t),
                                Field::Base => u.entry.base = Some(t.trim().to_string()),
                                Field::None => {}
                            }
                        }
                        field = Field::None;
                    }
                    "trans-unit"
                        if in_core && unit.as_ref().is_some_and(|u| u.depth == depth + 1) =>
                    {
                        if let Some(mut u) = unit.take() {
                            u.entry.state = state_in(u.state.as_deref(), u.approved)
                                .map_err(|m| (u.entry.line, m))?;
                            file.entries.push(u.entry);
                        }
                    }
                    _ => {}
                }
            }
            Event::DocType(_) => {
                return Err(fail(
                    "a DOCTYPE is not allowed in XLIFF files (DTDs are never read)".into(),
                ));
            }
            Event::Eof => break,
            other => {
                if code_depth != 0 {
                    if let Some(hex) = code_point.as_mut() {
                        push_text(&other, true, hex).map_err(&fail)?;
                    } else {
                        push_text(&other, false, &mut buffer).map_err(&fail)?;
                    }
                } else {
                    push_text(&other, field != Field::None, &mut buffer).map_err(&fail)?;
                }
            }
        }
    }
    if !root {
        return Err((1, "not an XLIFF file: no <xliff> element".into()));
    }
    if depth != 0 {
        return Err((
            line_of(text, text.len() as u64),
            "not well-formed XML: an element is not closed".into(),
        ));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const FILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="source/d.txt" source-language="zh" target-language="en" datatype="plaintext">
    <body>
      <trans-unit id="000000000000000a" resname="1¶1.1" approved="yes">
        <source>甲<ph id="1" ctype="x-duiyi-cp">0001</ph>。</source>
        <target state="translated"><mrk mtype="seg" mid="1">A<g id="2">b</g><x id="3"/>.</mrk></target>
        <context-group purpose="information">
          <context context-type="x-ref">1¶1.1</context>
          <context context-type="x-duiyi-base">translated:0123456789ab</context>
        </context-group>
        <alt-trans><source>乙</source><target>B</target></alt-trans>
        <note>甲 = A</note>
      </trans-unit>
      <group id="g">
      <trans-unit id="000000000000000b">
        <source>乙<bpt id="4">&lt;b&gt;</bpt>丙<ept id="4">&lt;/b&gt;</ept></source>
        <target state="needs-review-translation">B</target>
      </trans-unit>
      <trans-unit id="000000000000000c"><source>丁</source></trans-unit>
      <trans-unit id="000000000000000d"><source>戊</source><target state="final">E</target></trans-unit>
      </group>
    </body>
  </file>
</xliff>
"#;

    #[test]
    fn units_carry_text_state_base_and_line() {
        let f = read(FILE).unwrap();
        assert_eq!((f.src_lang.as_str(), f.trg_lang.as_str()), ("zh", "en"));
        assert_eq!(f.entries.len(), 4);
        let a = &f.entries[0];
        assert_eq!(a.line, 5);
        assert_eq!(a.source, "甲\u{1}。");
        assert_eq!(a.target.as_deref(), Some("Ab."));
        assert_eq!(
            a.state,
            Some(State::Reviewed),
            "approved=yes raises translated"
        );
        assert_eq!(a.base.as_deref(), Some("translated:0123456789ab"));
        let b = &f.entries[1];
        assert_eq!(b.source, "乙丙", "native code is not text");
        assert_eq!(b.state, Some(State::Translated));
        assert_eq!(b.base, None);
        assert_eq!(
            (f.entries[2].target.as_ref(), f.entries[2].state),
            (None, None)
        );
        assert_eq!(f.entries[3].state, Some(State::Final));
    }

    #[test]
    fn states_map_both_ways() {
        for (state, flagged) in [
            (State::Initial, false),
            (State::Translated, false),
            (State::Translated, true),
            (State::Reviewed, false),
            (State::Final, false),
        ] {
            let (name, approved) = state_out(state, flagged);
            assert_eq!(state_in(Some(name), approved), Ok(Some(state)), "{name}");
        }
        assert_eq!(state_in(Some("new"), false), Ok(Some(State::Initial)));
        assert_eq!(state_in(Some("x-custom"), false), Ok(None));
        assert_eq!(state_in(None, true), Ok(Some(State::Reviewed)));
        assert!(
            state_in(Some("done"), false)
                .unwrap_err()
                .contains("\"done\"")
        );
    }

    #[test]
    fn bad_files_name_the_line() {
        let bad = FILE.replace("state=\"final\"", "state=\"done\"");
        let (line, m) = read(&bad).unwrap_err();
        assert_eq!(line, 21);
        assert!(m.contains("\"done\""), "{m}");
        let (line, m) = read(&FILE.replace(
            "</target>\n        <context-group",
            "\n        <context-group",
        ))
        .unwrap_err();
        assert!(line > 5, "{line}");
        assert!(m.contains("well-formed"), "{m}");
        assert!(
            read("<xliff version=\"2.1\"/>")
                .unwrap_err()
                .1
                .contains("not XLIFF 1.2")
        );
        let dtd = "<!DOCTYPE xliff [<!ENTITY a \"b\">]><xliff version=\"1.2\"/>";
        assert!(read(dtd).unwrap_err().1.contains("DOCTYPE"));
        assert_eq!(version(FILE).as_deref(), Some("1.2"));
        assert_eq!(version("<tmx/>"), None);
    }

    proptest! {
        #[test]
        fn arbitrary_input_never_panics(s in ".{0,300}") {
            let _ = read(&s);
            let _ = read(&format!("<xliff version=\"1.2\"><file source-language=\"zh\" datatype=\"plaintext\" original=\"x\"><body><trans-unit id=\"a\"><source>{s}</source><target>{s}</target></trans-unit></body></file></xliff>"));
        }
    }
}
