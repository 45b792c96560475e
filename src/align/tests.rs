//! Aligner behaviour, as specifications: one test per bead shape and anchor kind, bad input,
//! and the coverage invariant.

use proptest::prelude::*;

use super::*;

fn zh_en() -> Aligner {
    Aligner::new(AlignOptions::default()).unwrap()
}

/// Asserts the alignment covers `0..n` and `0..m` exactly once each, in order.
fn assert_covers(beads: &[Bead], n: usize, m: usize) {
    let src: Vec<usize> = beads.iter().flat_map(|b| b.src.iter().copied()).collect();
    let tgt: Vec<usize> = beads.iter().flat_map(|b| b.tgt.iter().copied()).collect();
    assert_eq!(src, (0..n).collect::<Vec<_>>(), "source side of {beads:?}");
    assert_eq!(tgt, (0..m).collect::<Vec<_>>(), "target side of {beads:?}");
    for bead in beads {
        assert!(!bead.src.is_empty() || !bead.tgt.is_empty(), "empty bead");
        assert!((0.0..=1.0).contains(&bead.confidence), "{bead:?}");
    }
}

fn render(beads: &[Bead]) -> String {
    beads
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

fn aligned(src: &[&str], tgt: &[&str]) -> String {
    let beads = zh_en().align(src, tgt);
    assert_covers(&beads, src.len(), tgt.len());
    render(&beads)
}

#[test]
fn one_to_one() {
    let src = [
        "我们讨论了农业问题。",
        "会议还讨论了教育。",
        "大家都很满意。",
    ];
    let tgt = [
        "We discussed agricultural issues.",
        "The meeting also discussed education.",
        "Everyone was satisfied.",
    ];
    assert_eq!(aligned(&src, &tgt), "[0]:[0] [1]:[1] [2]:[2]");
}

#[test]
fn two_to_one() {
    let src = [
        "我们讨论了农业问题。",
        "政府重视农业。",
        "农业是国家的基础。",
        "大家都很满意。",
    ];
    let tgt = [
        "We discussed agricultural issues.",
        "The government values agriculture, the foundation of the country.",
        "Everyone was satisfied.",
    ];
    assert_eq!(aligned(&src, &tgt), "[0]:[0] [1,2]:[1] [3]:[2]");
}

#[test]
fn one_to_two() {
    let src = [
        "我们讨论了农业问题。",
        "政府重视农业，因为农业是国家的基础，也关系到每个农民的生活。",
        "大家都很满意。",
    ];
    let tgt = [
        "We discussed agricultural issues.",
        "The government values agriculture, the foundation of the country.",
        "It affects the life of every farmer.",
        "Everyone was satisfied.",
    ];
    assert_eq!(aligned(&src, &tgt), "[0]:[0] [1]:[1,2] [2]:[3]");
}

#[test]
fn one_to_three() {
    let src = [
        "我们讨论了农业问题。",
        "会议讨论了教育、卫生和环境问题，并通过了三项决议。",
        "大家都很满意。",
    ];
    let tgt = [
        "We discussed agricultural issues.",
        "The meeting discussed education.",
        "It also addressed health and the environment.",
        "Three resolutions were adopted.",
        "Everyone was satisfied.",
    ];
    assert_eq!(aligned(&src, &tgt), "[0]:[0] [1]:[1,2,3] [2]:[4]");
}

#[test]
fn three_to_one() {
    let src = [
        "我们讨论了农业问题。",
        "会议讨论了教育。",
        "会议还讨论了卫生和环境。",
        "会议通过了三项决议。",
        "大家都很满意。",
    ];
    let tgt = [
        "We discussed agricultural issues.",
        "The meeting discussed education, health and the environment, and adopted three \
         resolutions.",
        "Everyone was satisfied.",
    ];
    assert_eq!(aligned(&src, &tgt), "[0]:[0] [1,2,3]:[1] [4]:[2]");
}

#[test]
fn two_to_two() {
    // The first source sentence runs on into what the second target sentence says.
    let src = [
        "我们讨论了农业问题。",
        "2015年出口1200万吨，2016年出口3400万吨，2017年出口5600万吨，2018年出口7800万吨，",
        "2019年出口9100万吨。",
        "大家都很满意。",
    ];
    let tgt = [
        "We discussed agricultural issues.",
        "Exports were 12 million tonnes in 2015.",
        "They were 34 million tonnes in 2016, 56 million tonnes in 2017, 78 million tonnes in \
         2018 and 91 million tonnes in 2019.",
        "Everyone was satisfied.",
    ];
    assert_eq!(aligned(&src, &tgt), "[0]:[0] [1,2]:[1,2] [3]:[3]");
}

#[test]
fn zero_to_one_for_an_added_target_sentence() {
    let src = [
        "我们讨论了农业问题。",
        "会议还讨论了教育。",
        "大家都很满意。",
    ];
    let tgt = [
        "We discussed agricultural issues.",
        "Translator's note: the English edition of this record was prepared in 2024 from the \
         stenographic minutes kept by the secretariat, which are held in the archive.",
        "The meeting also discussed education.",
        "Everyone was satisfied.",
    ];
    assert_eq!(aligned(&src, &tgt), "[0]:[0] []:[1] [1]:[2] [2]:[3]");
}

#[test]
fn one_to_zero_for_an_untranslated_source_sentence() {
    let src = [
        "我们讨论了农业问题。",
        "本记录根据秘书处保存的速记稿整理，原件存于档案馆，如有出入以原件为准，特此说明。",
        "会议还讨论了教育。",
        "大家都很满意。",
    ];
    let tgt = [
        "We discussed agricultural issues.",
        "The meeting also discussed education.",
        "Everyone was satisfied.",
    ];
    assert_eq!(aligned(&src, &tgt), "[0]:[0] [1]:[] [2]:[1] [3]:[2]");
}

#[test]
fn numbers_decide_where_a_merge_goes() {
    let src = [
        "2015年产量为12吨。",
        "2016年产量为34吨。",
        "2017年产量为56吨。",
    ];
    let early = [
        "Output was 12 tonnes in 2015 and 34 in 2016.",
        "In 2017 it was 56 tonnes.",
    ];
    let late = [
        "Output was 12 tonnes in 2015.",
        "It was 34 tonnes in 2016 and 56 in 2017.",
    ];
    assert_eq!(aligned(&src, &early), "[0,1]:[0] [2]:[1]");
    assert_eq!(aligned(&src, &late), "[0]:[0] [1,2]:[1]");
}

#[test]
fn chinese_scaled_numbers_anchor_to_english_ones() {
    let src = ["援助总额为2702亿元。", "受援国家有121个。"];
    let tgt = [
        "There were 121 recipient countries.",
        "Aid totalled 270.2 billion yuan.",
    ];
    let aligner = zh_en();
    let anchors = Anchors::extract(&src, &tgt, (&Language::Chinese, &Language::English), None);
    assert!(anchors.shares_content(0, 1) && anchors.shares_content(1, 0));
    assert!(!anchors.shares_content(0, 0));
    assert_covers(&aligner.align(&src, &tgt), 2, 2);
}

#[test]
fn latin_names_decide_where_a_merge_goes() {
    // No dictionary for zh–fr: only the names anchor.
    let aligner = Aligner::new(AlignOptions {
        target: "fr".parse().unwrap(),
        ..AlignOptions::default()
    })
    .unwrap();
    let src = ["WHO发布了报告。", "UNDP表示支持。", "UNICEF也表示支持。"];
    let early = [
        "Le rapport de la WHO et le soutien du UNDP.",
        "Le UNICEF aussi soutient.",
    ];
    let late = [
        "La WHO a publié un rapport.",
        "Le UNDP et le UNICEF le soutiennent.",
    ];
    let beads = aligner.align(&src, &early);
    assert_covers(&beads, 3, 2);
    assert_eq!(render(&beads), "[0,1]:[0] [2]:[1]");
    assert_eq!(render(&aligner.align(&src, &late)), "[0]:[0] [1,2]:[1]");
}

#[test]
fn latin_words_written_in_chinese_text_anchor_to_the_same_words() {
    let src = ["这款iPhone在Paris发布。"];
    let tgt = [
        "The iPhone was launched in Paris.",
        "It sold well in London.",
    ];
    let anchors = Anchors::extract(&src, &tgt, (&Language::Chinese, &Language::English), None);
    assert!(anchors.shares_content(0, 0));
    assert!(!anchors.shares_content(0, 1));
}

#[test]
fn dictionary_words_decide_where_a_merge_goes() {
    let src = ["农业很重要。", "教育很重要。", "卫生很重要。"];
    let early = ["Agriculture and education matter.", "Health matters too."];
    let late = ["Agriculture matters.", "Education and health matter too."];
    assert_eq!(aligned(&src, &early), "[0,1]:[0] [2]:[1]");
    assert_eq!(aligned(&src, &late), "[0]:[0] [1,2]:[1]");
}

#[test]
fn glossary_pairs_are_strong_anchors() {
    let glossary = vec![("甲方".to_owned(), "the Purchaser".to_owned())];
    let aligner = Aligner::new(AlignOptions {
        target: "fr".parse().unwrap(),
        glossary,
        ..AlignOptions::default()
    })
    .unwrap();
    let src = ["甲方应付款。", "乙方应交货。", "双方签字。"];
    let tgt = [
        "Paiement par the purchaser.",
        "Livraison et signature des deux parties.",
    ];
    assert_eq!(render(&aligner.align(&src, &tgt)), "[0]:[0] [1,2]:[1]");
}

#[test]
fn english_source_and_chinese_target_use_the_dictionary_too() {
    let aligner = Aligner::new(AlignOptions {
        source: Language::English,
        target: Language::Chinese,
        ..AlignOptions::default()
    })
    .unwrap();
    let src = ["Agriculture and education matter.", "Health matters too."];
    let tgt = ["农业很重要。", "教育很重要。", "卫生很重要。"];
    assert_eq!(render(&aligner.align(&src, &tgt)), "[0]:[0,1] [1]:[2]");
}

#[test]
fn empty_sides_never_fail() {
    let aligner = zh_en();
    assert!(aligner.align(&[], &[]).is_empty());
    let only_src = aligner.align(&["一。", "二。"], &[]);
    assert_eq!(render(&only_src), "[0]:[] [1]:[]");
    let only_tgt = aligner.align(&[], &["One."]);
    assert_eq!(render(&only_tgt), "[]:[0]");
    let blank = aligner.align(&["", "   "], &["", ""]);
    assert_covers(&blank, 2, 2);
    let err = aligner.align_checked(&[], &["One."], false).unwrap_err();
    assert!(
        matches!(err, AlignError::EmptySide { side: "source" }),
        "{err}"
    );
    let err = aligner.align_checked(&["一。"], &[], false).unwrap_err();
    assert!(
        err.to_string().contains("target text has no sentences"),
        "{err}"
    );
    assert_eq!(
        render(&aligner.align_checked(&[], &["One."], true).unwrap()),
        "[]:[0]"
    );
}

#[test]
fn wildly_different_lengths_still_cover_everything() {
    let aligner = zh_en();
    let many: Vec<String> = (0..700).map(|i| format!("第{i}条。")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let beads = aligner.align(&many, &["Article one."]);
    assert_covers(&beads, 700, 1);
    let beads = aligner.align(&["第一条。"], &many);
    assert_covers(&beads, 1, 700);
}

#[test]
fn one_huge_line_is_fine() {
    let huge = "发展合作是国际关系的重要组成部分。".repeat(20_000);
    let src = ["前言。", huge.as_str(), "结语。"];
    let tgt = [
        "Preface.",
        "Development cooperation matters.",
        "Conclusion.",
    ];
    let beads = zh_en().align(&src, &tgt);
    assert_covers(&beads, 3, 3);
}

#[test]
fn long_texts_take_the_banded_path_and_stay_accurate() {
    // 1,500 source sentences; every third pair of them is merged into one target sentence,
    // and a long target stretch is inserted, so the path leaves the diagonal.
    let mut src = Vec::new();
    let mut tgt = Vec::new();
    let mut gold = Vec::new();
    let mut i = 0;
    while i < 1500 {
        if i % 3 == 1 && i + 1 < 1500 {
            src.push(format!("第{}条规定了{}项农业措施。", i + 1, i * 7 + 3));
            src.push(format!("第{}条规定了{}项教育措施。", i + 2, i * 11 + 5));
            tgt.push(format!(
                "Articles {} and {} set out {} agricultural and {} educational measures.",
                i + 1,
                i + 2,
                i * 7 + 3,
                i * 11 + 5
            ));
            gold.push(format!("[{},{}]:[{}]", i, i + 1, tgt.len() - 1));
            i += 2;
        } else {
            src.push(format!("第{}条规定了{}项卫生措施。", i + 1, i * 13 + 1));
            tgt.push(format!(
                "Article {} sets out {} health measures.",
                i + 1,
                i * 13 + 1
            ));
            gold.push(format!("[{i}]:[{}]", tgt.len() - 1));
            i += 1;
        }
    }
    let src: Vec<&str> = src.iter().map(String::as_str).collect();
    let tgt: Vec<&str> = tgt.iter().map(String::as_str).collect();
    let beads = zh_en().align(&src, &tgt);
    assert_covers(&beads, src.len(), tgt.len());
    let found: std::collections::HashSet<String> = beads.iter().map(ToString::to_string).collect();
    let hits = gold.iter().filter(|g| found.contains(*g)).count();
    assert!(
        hits * 100 >= gold.len() * 98,
        "{hits} of {} gold beads",
        gold.len()
    );
}

#[test]
fn without_anchors_the_banded_search_matches_the_full_search() {
    // Two languages the aligner knows nothing about: lengths are the only evidence. 60 extra
    // target sentences in the middle push the true path far off the length diagonal.
    let options = AlignOptions {
        source: "xx".parse().unwrap(),
        target: "yy".parse().unwrap(),
        ..AlignOptions::default()
    };
    let length = |i: u64| {
        let x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        20 + usize::try_from((x ^ (x >> 29)) % 97).unwrap()
    };
    let src: Vec<String> = (0..1200).map(|i| "a".repeat(length(i))).collect();
    let mut tgt = Vec::new();
    let mut gold = Vec::new();
    for i in 0..1200 {
        if i == 600 {
            for k in 0..60 {
                tgt.push("c".repeat(length(k + 5000) * 3));
            }
        }
        tgt.push("b".repeat(length(i) * 6 / 5));
        gold.push(format!("[{i}]:[{}]", tgt.len() - 1));
    }
    let src: Vec<&str> = src.iter().map(String::as_str).collect();
    let tgt: Vec<&str> = tgt.iter().map(String::as_str).collect();
    let banded = Aligner::new(options.clone()).unwrap().align(&src, &tgt);
    assert_covers(&banded, src.len(), tgt.len());
    let full = Aligner::new(AlignOptions {
        band: Some(10_000),
        ..options
    })
    .unwrap()
    .align(&src, &tgt);
    assert_eq!(render(&banded), render(&full));
    // Length alone cannot tell an inserted sentence from a translated one of similar length,
    // so a few sentences around the insertion go astray; the rest must be right.
    let found: std::collections::HashSet<String> = banded.iter().map(ToString::to_string).collect();
    let hits = gold.iter().filter(|g| found.contains(*g)).count();
    assert!(
        hits * 100 >= gold.len() * 88,
        "{hits} of {} gold beads",
        gold.len()
    );
}

#[test]
fn a_target_in_the_wrong_language_is_refused_unless_forced() {
    let aligner = zh_en();
    let src = [
        "我们讨论了农业问题。",
        "会议还讨论了教育。",
        "政府重视卫生和环境。",
        "大家都很满意。",
    ];
    let french = [
        "Nous avons discuté des questions agricoles.",
        "La réunion a aussi abordé l'enseignement.",
        "Le gouvernement tient à la santé et au milieu.",
        "Tout le monde était content.",
    ];
    let err = aligner.align_checked(&src, &french, false).unwrap_err();
    assert!(matches!(err, AlignError::WrongLanguage { .. }), "{err}");
    assert!(err.to_string().contains("force"), "{err}");
    assert_covers(&aligner.align_checked(&src, &french, true).unwrap(), 4, 4);
    // The source file given twice: Chinese where English was expected.
    let err = aligner.align_checked(&src, &src, false).unwrap_err();
    assert!(matches!(err, AlignError::WrongLanguage { .. }), "{err}");

    let english = [
        "We discussed agricultural issues.",
        "The meeting also discussed education.",
        "The government values health and the environment.",
        "Everyone was satisfied.",
    ];
    let beads = aligner.align_checked(&src, &english, false).unwrap();
    let check = aligner.language_check(&src, &english, &beads);
    assert!(check.anchor_rate > 0.7, "{check:?}");
    assert!(!check.looks_wrong(&Language::Chinese, &Language::English));
}

#[test]
fn paragraphs_first_then_sentences() {
    let src = vec![
        vec!["我们讨论了农业问题。", "政府重视农业。"],
        vec!["会议还讨论了教育。", "大家都很满意。"],
    ];
    let tgt = vec![
        vec!["We discussed agricultural issues, which the government values."],
        vec![
            "The meeting also discussed education.",
            "Everyone was satisfied.",
        ],
    ];
    let beads = zh_en().align_paragraphs(&src, &tgt);
    assert_covers(&beads, 4, 3);
    assert_eq!(render(&beads), "[0,1]:[0] [2]:[1] [3]:[2]");
}

#[test]
fn extra_pair_scores_are_taken_into_account() {
    struct Oracle;
    impl PairScore for Oracle {
        fn pair_score(&self, src: usize, tgt: usize) -> f64 {
            if (src, tgt) == (0, 0) || (src, tgt) == (1, 1) || (src, tgt) == (2, 1) {
                10.0
            } else {
                0.0
            }
        }
    }
    // Without evidence the lengths prefer [0]:[0] [1]:[1] [2]:[]... the oracle says 1-2 merge.
    let src = ["甲乙丙丁。", "戊己庚辛。", "壬癸子丑。"];
    let tgt = ["Xxxx xxxx xx.", "Yyyy yyyy yy."];
    let beads = zh_en().align_with(&src, &tgt, Some(&Oracle));
    assert_eq!(render(&beads), "[0]:[0] [1,2]:[1]");
}

#[test]
fn language_codes_parse() {
    assert_eq!("zh-Hans".parse::<Language>().unwrap(), Language::Chinese);
    assert_eq!("en_GB".parse::<Language>().unwrap(), Language::English);
    assert_eq!(
        "fr".parse::<Language>().unwrap(),
        Language::Other("fr".to_owned())
    );
    assert_eq!(Language::Chinese.to_string(), "zh");
}

fn sentence() -> impl Strategy<Value = String> {
    prop_oneof![
        "[农业教育卫生环境发展合作国家政府人民的了和在是，。0-9]{0,30}",
        "[A-Za-z0-9 ,.]{0,60}",
        Just(String::new()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_index_exactly_once_in_order(
        src in proptest::collection::vec(sentence(), 0..40),
        tgt in proptest::collection::vec(sentence(), 0..40),
    ) {
        let src: Vec<&str> = src.iter().map(String::as_str).collect();
        let tgt: Vec<&str> = tgt.iter().map(String::as_str).collect();
        let beads = zh_en().align(&src, &tgt);
        assert_covers(&beads, src.len(), tgt.len());
    }

    #[test]
    fn paragraph_first_alignment_covers_every_sentence_too(
        src in proptest::collection::vec(proptest::collection::vec(sentence(), 0..5), 0..8),
        tgt in proptest::collection::vec(proptest::collection::vec(sentence(), 0..5), 0..8),
    ) {
        let src: Vec<Vec<&str>> =
            src.iter().map(|p| p.iter().map(String::as_str).collect()).collect();
        let tgt: Vec<Vec<&str>> =
            tgt.iter().map(|p| p.iter().map(String::as_str).collect()).collect();
        let beads = zh_en().align_paragraphs(&src, &tgt);
        assert_covers(&beads, src.iter().map(Vec::len).sum(), tgt.iter().map(Vec::len).sum());
    }
}

/// Sentences of the project's white paper with an English rendering written for this test (not
/// the published translation), in three paragraphs; political prose often turns one Chinese
/// sentence into two English ones.
fn white_paper_sample() -> (Vec<Vec<&'static str>>, Vec<Vec<&'static str>>, &'static str) {
    let zh = vec![
        vec![
            "中国稳步提高对外援助资金规模，进一步扩大援助范围。",
            "2013年至2018年，中国对外援助金额为2702亿元人民币，包括无偿援助、无息贷款和优惠贷款。",
            "其中，提供无偿援助1278亿元人民币，占对外援助总额的47.30%，重点用于帮助其他发展中国家建设中小型社会福利项目以及实施人力资源开发合作、技术合作、物资援助、南南合作援助基金和紧急人道主义援助项目。",
            "提供无息贷款113亿元人民币，占对外援助总额的4.18%，主要用于帮助其他发展中国家建设社会公共设施和民生项目。",
            "提供援外优惠贷款1311亿元人民币，占对外援助总额的48.52%，用于帮助其他发展中国家建设有经济社会效益的生产型项目和大中型基础设施，提供成套设备、机电产品、技术服务以及其他物资等。",
            "（见图1）",
        ],
        vec![
            "——减免有关国家债务。",
            "2013年至2018年，中国免除最不发达国家、重债穷国、内陆发展中国家和小岛屿发展中国家共计98笔到期无息贷款债务，累计金额达41.84亿元人民币。",
        ],
        vec![
            "——推进工业化进程。",
            "工业化是一个国家实现经济独立的必由之路，也是创造就业、消除贫困的重要途径。",
            "中国支持其他发展中国家发挥优势产能潜力、构筑更加现代化的产业体系，提升资源附加值，加快工业化进程。",
            "援孟加拉国沙迦拉化肥厂自2015年投产已生产尿素化肥超过110万吨，累计节省4亿多美元外汇。",
            "古巴果蔬加工厂、塔吉克斯坦硫酸厂等项目建成投产后，提高了工业生产效率，直接拉动了当地收入和税收。",
            "项目坚持本土化经营，增加了就业岗位的同时，提高了当地人员劳动技能。",
        ],
    ];
    let en = vec![
        vec![
            "China has been steadily enlarging the funds it devotes to foreign aid and widening \
             the scope of that aid.",
            "Between 2013 and 2018 its foreign aid came to RMB 270.2 billion, in three forms: \
             grants, interest-free loans and concessional loans.",
            "Grants accounted for RMB 127.8 billion, or 47.30 percent of the total.",
            "They went chiefly to small and medium-sized social welfare projects in other \
             developing countries, and to cooperation in human resources development, technical \
             cooperation, material assistance, the South-South Cooperation Assistance Fund and \
             emergency humanitarian aid.",
            "Interest-free loans amounted to RMB 11.3 billion, 4.18 percent of the total, and \
             were used mainly for public facilities and projects that improve people's lives.",
            "Concessional loans reached RMB 131.1 billion, 48.52 percent of the total.",
            "They financed productive projects with economic and social returns, large and \
             medium-sized infrastructure, and complete sets of equipment, machinery and \
             electrical products, technical services and other goods.",
            "(See Figure 1)",
        ],
        vec![
            "Debt relief.",
            "From 2013 to 2018 China cancelled 98 matured interest-free loans owed by the least \
             developed countries, heavily indebted poor countries, landlocked developing \
             countries and small island developing states, worth RMB 4.184 billion in all.",
        ],
        vec![
            "Industrialization.",
            "Industrialization is the only road to economic independence for a country and an \
             important means of creating jobs and ending poverty.",
            "China helps other developing countries to use their productive potential, build \
             more modern industries, add value to their resources and industrialize faster.",
            "The Shahjalal fertilizer plant in Bangladesh, built with Chinese aid, has produced \
             more than 1.1 million tonnes of urea since it opened in 2015.",
            "It has saved the country over 400 million US dollars in foreign exchange.",
            "Once projects such as a fruit and vegetable processing plant in Cuba and a sulfuric \
             acid plant in Tajikistan went into operation, industrial productivity rose and \
             local incomes and tax revenues grew.",
            "The projects are run by local staff, creating jobs and raising workers' skills.",
        ],
    ];
    let gold = "[0]:[0] [1]:[1] [2]:[2,3] [3]:[4] [4]:[5,6] [5]:[7] [6]:[8] [7]:[9] [8]:[10] \
                [9]:[11] [10]:[12] [11]:[13,14] [12]:[15] [13]:[16]";
    (zh, en, gold)
}

#[test]
fn political_prose_with_one_to_two_splits() {
    let (zh, en, gold) = white_paper_sample();
    let src: Vec<&str> = zh.iter().flatten().copied().collect();
    let tgt: Vec<&str> = en.iter().flatten().copied().collect();
    assert_eq!(aligned(&src, &tgt), gold);
    let beads = zh_en().align_paragraphs(&zh, &en);
    assert_covers(&beads, src.len(), tgt.len());
    assert_eq!(render(&beads), gold);
}
