//! Sentence boundaries inside one unit of text.
//!
//! The scan walks the text once. CJK terminators (。！？……) end a sentence directly; Latin
//! terminators (. ! ?) only where UAX #29 (unicode-segmentation) also finds a sentence boundary
//! and the word before is not a listed abbreviation, which keeps `47.30%`, `U.S.` and `1. ` whole.
//! Closing quotes and brackets join the sentence they close, nothing breaks inside 《》, and a
//! parenthetical reference right after an end (`。（见图1）`) joins the sentence before it.
//! SRX rules, when configured, then add or remove boundaries.
//!
//! The result is a list of byte ranges that tile the text exactly: whitespace between sentences
//! stays at the end of the sentence before it, so concatenating the pieces gives back the unit.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::rules::{Rules, SentenceRules, SrxMode};

/// Splits `text` into sentence ranges that tile it.
pub fn split(rules: &Rules, text: &str) -> Vec<Range<usize>> {
    let mut bounds = builtin_bounds(&rules.sentence, text);
    if let Some((srx, mode)) = &rules.srx {
        let decisions = srx.decisions(text);
        let snap = |p: usize| skip_space(text, p);
        match mode {
            SrxMode::Replace => {
                bounds = decisions
                    .iter()
                    .filter(|(_, brk)| *brk)
                    .map(|(p, _)| snap(*p))
                    .collect();
            }
            SrxMode::Extend => {
                let no: Vec<usize> = decisions
                    .iter()
                    .filter(|(_, brk)| !*brk)
                    .map(|(p, _)| snap(*p))
                    .collect();
                bounds.retain(|b| !no.contains(b));
                bounds.extend(
                    decisions
                        .iter()
                        .filter(|(_, brk)| *brk)
                        .map(|(p, _)| snap(*p)),
                );
            }
        }
        bounds.retain(|&b| b > 0 && b < text.len());
        bounds.sort_unstable();
        bounds.dedup();
    }
    let mut ranges = Vec::with_capacity(bounds.len() + 1);
    let mut start = 0;
    for b in bounds {
        ranges.push(start..b);
        start = b;
    }
    ranges.push(start..text.len());
    ranges
}

/// Boundaries (byte offsets strictly inside the text) from the built-in rules.
fn builtin_bounds(rules: &SentenceRules, text: &str) -> Vec<usize> {
    let mut bounds = Vec::new();
    let mut uax: Option<Vec<usize>> = None;
    let protected = protected_spans(rules, text);
    let mut protected_iter = protected.iter().peekable();
    let mut seg_start = 0;
    let mut pos = 0;
    while let Some((mut at, _)) = rules.starts.find_in(text, pos) {
        while protected_iter.peek().is_some_and(|r| r.range.end <= at) {
            protected_iter.next();
        }
        if let Some(span) = protected_iter.next_if(|r| r.range.start <= at) {
            match span.ends_at {
                // A quotation that ends with a sentence end (。”) ends the sentence quoting it.
                Some(t) if t >= at => at = t,
                _ => {
                    pos = span.range.end;
                    continue;
                }
            }
        }
        pos = at;
        let Some(c) = text[pos..].chars().next() else {
            break;
        };
        let next = pos + c.len_utf8();
        let latin = rules.latin_terminators.contains(&c);
        // The run of terminators, then the closers.
        let mut end = next;
        let mut all_latin = latin;
        let mut all_weak = rules.weak_terminators.contains(&c);
        while let Some(d) = text[end..].chars().next() {
            if rules.terminators.contains(&d) {
                all_latin = false;
            } else if !rules.latin_terminators.contains(&d) {
                break;
            }
            all_weak &= rules.weak_terminators.contains(&d);
            end += d.len_utf8();
        }
        let run_end = end;
        while let Some(d) = text[end..].chars().next() {
            if !rules.closers.contains(&d) {
                break;
            }
            end += d.len_utf8();
        }
        // An ellipsis alone ends a sentence only before a closer or at the end of the text:
        // 养老……等民生领域 is one sentence.
        if all_weak && end == run_end && skip_space(text, end) < text.len() {
            pos = end;
            continue;
        }
        if all_latin && !latin_break(rules, text, seg_start, pos, end, &mut uax) {
            pos = end;
            continue;
        }
        // Parenthetical references after the end join this sentence.
        loop {
            let at = skip_space(text, end);
            match reference_at(rules, text, at) {
                Some(len) => end = at + len,
                None => break,
            }
        }
        end = skip_space(text, end);
        if end >= text.len() {
            break;
        }
        if continues(rules, text, run_end, end) {
            pos = end;
            continue;
        }
        bounds.push(end);
        seg_start = end;
        pos = end;
    }
    bounds
}

/// Whether the text after a sentence end at `end` still belongs to the sentence: it starts with
/// a continuation mark (，、；：), or the end closed a quotation (！” 。」) and its attribution
/// follows (他说。).
fn continues(rules: &SentenceRules, text: &str, run_end: usize, end: usize) -> bool {
    let Some(next) = text[end..].chars().next() else {
        return false;
    };
    if rules.continuations.contains(&next) {
        return true;
    }
    let Some(attribution) = &rules.attribution else {
        return false;
    };
    let quoted = text[run_end..end]
        .chars()
        .next()
        .is_some_and(|q| rules.quote_closers.contains(&q) || matches!(q, '"' | '\'' | '’'));
    quoted && attribution.is_match(&text[end..])
}

/// A stretch of text in which no sentence ends.
struct Protected {
    range: Range<usize>,
    /// For a quotation ending in a terminator (。”): where that terminator is.
    ends_at: Option<usize>,
}

/// The spans (opening mark to closing mark inclusive) of no-break pairs that close within the
/// text, merged to the outermost. An opening mark without its closing mark protects nothing.
fn protected_spans(rules: &SentenceRules, text: &str) -> Vec<Protected> {
    let Some((first, _)) = rules.openers.find_in(text, 0) else {
        return Vec::new();
    };
    let mut pairs: Vec<Range<usize>> = Vec::new();
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut from = first;
    while let Some((i, c)) = rules.pair_marks.find_in(text, from) {
        from = i + c.len_utf8();
        if rules.openers.contains(&c) {
            if let Some(&(_, close)) = rules.pair_of.iter().find(|(o, _)| *o == c) {
                stack.push((close, i));
            }
        } else if rules.no_break_close.contains(&c)
            && let Some(depth) = stack.iter().rposition(|(close, _)| *close == c)
        {
            pairs.push(stack[depth].1..i + c.len_utf8());
            stack.truncate(depth);
        }
    }
    pairs.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(pairs.len());
    for r in pairs {
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
        .into_iter()
        .map(|range| {
            let inner = &text[range.clone()];
            let ends_at = inner
                .char_indices()
                .next_back()
                .and_then(|(close_at, close)| {
                    if !rules.quote_closers.contains(&close) {
                        return None;
                    }
                    let body = inner[..close_at].trim_end_matches(|c| rules.closers.contains(&c));
                    let (last_at, last) = body.char_indices().next_back()?;
                    rules
                        .terminators
                        .contains(&last)
                        .then_some(range.start + last_at)
                });
            Protected { range, ends_at }
        })
        .collect()
}

/// Whether a Latin terminator run `[term, end)` ends a sentence.
fn latin_break(
    rules: &SentenceRules,
    text: &str,
    seg_start: usize,
    term: usize,
    end: usize,
    uax: &mut Option<Vec<usize>>,
) -> bool {
    if text[term..].starts_with('.') {
        let word_start = text[..term]
            .char_indices()
            .rev()
            .take_while(|(_, c)| *c == '.' || (c.is_alphanumeric() && !crate::source::is_han(*c)))
            .last()
            .map_or(term, |(i, _)| i);
        let word = &text[word_start..term];
        let mut letters = word.chars();
        let initial =
            matches!((letters.next(), letters.next()), (Some(c), None) if c.is_uppercase());
        if initial
            || (!word.is_empty()
                && rules
                    .abbreviations
                    .contains(&format!("{word}.").to_lowercase()))
        {
            return false;
        }
        let lead = &text[seg_start..=term];
        if rules.list_markers.iter().any(|m| m.is_match(lead)) {
            return false;
        }
    }
    // A lone full stop before a digit (47.30) never ends a sentence (UAX #29 rule SB6,
    // ATerm × Numeric): decided without computing the paragraph's UAX boundaries.
    if &text[term..end] == "." && text.as_bytes().get(end).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    // The data's exceptions (an inline list number: 附件：1.江川省…).
    if rules.latin_exceptions.iter().any(|(before, after)| {
        before.is_match(&text[seg_start..end]) && after.is_match(&text[end..])
    }) {
        return false;
    }
    let starts = uax.get_or_insert_with(|| {
        text.split_sentence_bound_indices()
            .map(|(i, _)| i)
            .collect()
    });
    let after = skip_space(text, end);
    let first = starts.partition_point(|&s| s < end);
    starts.get(first).is_some_and(|&s| s <= after) || after >= text.len()
}

/// Length of a parenthetical reference starting at `at`, if there is one.
fn reference_at(rules: &SentenceRules, text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    if !(rest.starts_with('（') || rest.starts_with('(')) {
        return None;
    }
    let mut cut = rest.len().min(160);
    while !rest.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = &rest[..cut];
    rules
        .references
        .iter()
        .find_map(|r| r.find(window).filter(|m| m.start() == 0).map(|m| m.end()))
}

fn skip_space(text: &str, from: usize) -> usize {
    let rest = &text[from..];
    from + (rest.len()
        - rest
            .trim_start_matches(|c: char| c.is_whitespace() || crate::source::is_layout_space(c))
            .len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::rules::SentenceOptions;

    fn sentences(text: &str) -> Vec<&str> {
        sentences_with(&Rules::builtin(SentenceOptions::default()), text)
    }

    fn sentences_with<'a>(rules: &Rules, text: &'a str) -> Vec<&'a str> {
        let ranges = split(rules, text);
        ranges.into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn breaks_after_chinese_terminators() {
        assert_eq!(
            sentences("中国是发展中国家。我们合作！为什么？好的"),
            ["中国是发展中国家。", "我们合作！", "为什么？", "好的"]
        );
    }

    #[test]
    fn closing_quotes_and_brackets_stay_with_their_sentence() {
        assert_eq!(
            sentences("他说：“我们一起走。”大家同意。（全文完。）下一句。"),
            [
                "他说：“我们一起走。”",
                "大家同意。",
                "（全文完。）",
                "下一句。"
            ]
        );
        assert_eq!(
            sentences("「你好！」『再见？』结束"),
            ["「你好！」", "『再见？』", "结束"]
        );
    }

    #[test]
    fn an_ellipsis_ends_a_sentence_only_before_a_closer_or_at_the_end() {
        assert_eq!(
            sentences("我们在教育、医疗、养老……等民生领域还有不少短板。下一句。"),
            [
                "我们在教育、医疗、养老……等民生领域还有不少短板。",
                "下一句。"
            ]
        );
        assert_eq!(
            sentences("我们要狠抓落实……确保各项政策落地见效。"),
            ["我们要狠抓落实……确保各项政策落地见效。"]
        );
        assert_eq!(sentences("他想了想……"), ["他想了想……"]);
        assert_eq!(
            sentences("“再等等……”大家都没有走。"),
            ["“再等等……”", "大家都没有走。"]
        );
        assert_eq!(sentences("还有……。下一句。"), ["还有……。", "下一句。"]);
    }

    #[test]
    fn a_full_stop_inside_brackets_does_not_cut_the_sentence_around_them() {
        assert_eq!(
            sentences("据统计（数据截至2023年底。），全省新增就业50万人。下一句。"),
            [
                "据统计（数据截至2023年底。），全省新增就业50万人。",
                "下一句。"
            ]
        );
        // No segment ever starts with a continuation mark.
        assert_eq!(
            sentences("他只说了一句“好。”，就走了。"),
            ["他只说了一句“好。”，就走了。"]
        );
    }

    #[test]
    fn a_quotation_and_its_attribution_are_one_sentence() {
        assert_eq!(
            sentences("“我们一定能成功！”他说。大家鼓掌。"),
            ["“我们一定能成功！”他说。", "大家鼓掌。"]
        );
        assert_eq!(
            sentences("“这条路走对了吗？”江川省副省长李华笑着说。"),
            ["“这条路走对了吗？”江川省副省长李华笑着说。"]
        );
        // Not an attribution: a new sentence after the quotation.
        assert_eq!(
            sentences("“我们一定能成功！”这是大家的心声。"),
            ["“我们一定能成功！”", "这是大家的心声。"]
        );
        assert_eq!(sentences("等等……”他说。"), ["等等……”他说。"]);
    }

    #[test]
    fn an_inline_list_number_before_han_text_is_not_a_sentence_end() {
        assert_eq!(
            sentences("附件：1.江川省优化营商环境条例（修订草案）"),
            ["附件：1.江川省优化营商环境条例（修订草案）"]
        );
        // The full-width form never broke: ． is no terminator.
        assert_eq!(
            sentences("附件：1．江川省优化营商环境条例（修订草案）"),
            ["附件：1．江川省优化营商环境条例（修订草案）"]
        );
        assert_eq!(
            sentences("附件：1.江川省条例（修订草案）2.实施细则"),
            ["附件：1.江川省条例（修订草案）2.实施细则"]
        );
        // A real end after a number still ends the sentence in Latin text.
        assert_eq!(
            sentences("The total was 12. Then it grew."),
            ["The total was 12. ", "Then it grew."]
        );
    }

    #[test]
    fn no_break_inside_book_titles() {
        assert_eq!(
            sentences("我读过《你好吗？我很好！》这本书。很好。"),
            ["我读过《你好吗？我很好！》这本书。", "很好。"]
        );
    }

    #[test]
    fn numbers_abbreviations_and_initials_do_not_break() {
        assert_eq!(
            sentences("比重为47.30%。下降了。"),
            ["比重为47.30%。", "下降了。"]
        );
        assert_eq!(
            sentences(
                "The U.S. and the U.K. agreed. Then Dr. Li spoke, e.g. on aid. Fig. 2 shows it."
            ),
            [
                "The U.S. and the U.K. agreed. ",
                "Then Dr. Li spoke, e.g. on aid. ",
                "Fig. 2 shows it."
            ]
        );
        assert_eq!(
            sentences("J. Smith arrived. He left."),
            ["J. Smith arrived. ", "He left."]
        );
        assert_eq!(
            sentences("1. 第一项内容。第二句。"),
            ["1. 第一项内容。", "第二句。"]
        );
        assert_eq!(
            sentences("Version 2.5 is out! Really?"),
            ["Version 2.5 is out! ", "Really?"]
        );
    }

    #[test]
    fn quotations_stay_whole_but_a_stray_quote_protects_nothing() {
        assert_eq!(
            sentences("书里写着：“路在脚下。走吧！”大家出发。"),
            ["书里写着：“路在脚下。走吧！”", "大家出发。"]
        );
        assert_eq!(
            sentences("他说：“没有结尾。然后。再然后。"),
            ["他说：“没有结尾。", "然后。", "再然后。"]
        );
        assert_eq!(
            sentences("“外层《内层？》还在。”结束。"),
            ["“外层《内层？》还在。”", "结束。"]
        );
    }

    #[test]
    fn semicolon_and_colon_break_only_when_asked() {
        let text = "第一，加强合作；第二，扩大规模：具体如下。";
        assert_eq!(sentences(text), [text]);
        let rules = Rules::builtin(SentenceOptions { semicolon: true });
        assert_eq!(
            sentences_with(&rules, text),
            ["第一，加强合作；", "第二，扩大规模：具体如下。"]
        );
    }

    #[test]
    fn references_after_an_end_join_the_sentence() {
        assert_eq!(
            sentences("援助金额增加等。（见图1）其他内容。"),
            ["援助金额增加等。（见图1）", "其他内容。"]
        );
        assert_eq!(
            sentences("多国受益。（见图4）（见专栏1）最后一句。"),
            ["多国受益。（见图4）（见专栏1）", "最后一句。"]
        );
        assert_eq!(
            sentences("为介绍合作（注1），特发布本白皮书。"),
            ["为介绍合作（注1），特发布本白皮书。"]
        );
    }

    #[test]
    fn whitespace_between_sentences_stays_with_the_one_before() {
        assert_eq!(sentences("第一句。  第二句。"), ["第一句。  ", "第二句。"]);
        assert_eq!(sentences("结尾。   "), ["结尾。   "]);
    }

    #[test]
    fn long_text_without_punctuation_is_one_sentence() {
        let text = "无标点".repeat(100_000);
        assert_eq!(
            split(&Rules::builtin(SentenceOptions::default()), &text).len(),
            1
        );
    }
}
