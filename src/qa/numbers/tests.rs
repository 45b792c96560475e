//! Specification of the numbers check: each example in a correct rendering (no finding) and a
//! wrong one (a finding), real sentences of the seed, and property tests.

use std::fmt::Write as _;

use proptest::prelude::*;

use super::*;

fn findings(zh: &str, target: &str, lang: &str) -> Vec<Mismatch> {
    compare(zh, target, lang).expect("the test language is supported")
}

/// The rendering is right: no finding at all.
#[track_caller]
fn clean(zh: &str, en: &str) {
    let found = findings(zh, en, "en");
    assert!(
        found.is_empty(),
        "{zh} → {en}: expected no finding, got {:#?}",
        found.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
}

#[track_caller]
fn clean_fr(zh: &str, fr: &str) {
    let found = findings(zh, fr, "fr");
    assert!(
        found.is_empty(),
        "{zh} → {fr}: expected no finding, got {:#?}",
        found.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
}

/// The rendering is wrong: at least one error; returns the messages.
#[track_caller]
fn error(zh: &str, en: &str) -> Vec<String> {
    error_in(zh, en, "en")
}

#[track_caller]
fn error_in(zh: &str, target: &str, lang: &str) -> Vec<String> {
    let found = findings(zh, target, lang);
    assert!(
        found.iter().any(|m| m.severity == Severity::Error),
        "{zh} → {target}: expected an error, got {found:#?}"
    );
    found.iter().map(ToString::to_string).collect()
}

/// The rendering is doubtful: warnings, no error.
#[track_caller]
fn warning(zh: &str, en: &str) -> Vec<String> {
    let found = findings(zh, en, "en");
    assert!(
        !found.is_empty() && found.iter().all(|m| m.severity == Severity::Warning),
        "{zh} → {en}: expected warnings only, got {found:#?}"
    );
    found.iter().map(ToString::to_string).collect()
}

/// The values read from a Chinese text, described.
fn zh(text: &str) -> Vec<String> {
    extract_zh(text).iter().map(Quantity::describe).collect()
}

fn en(text: &str) -> Vec<String> {
    extract_target(text, Lang::En)
        .iter()
        .map(Quantity::describe)
        .collect()
}

fn fr(text: &str) -> Vec<String> {
    extract_target(text, Lang::Fr)
        .iter()
        .map(Quantity::describe)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Chinese magnitudes

#[test]
fn magnitudes_yi_and_wan() {
    clean("援助金额为2702亿元", "aid totaled RMB270.2 billion");
    let messages = error("援助金额为2702亿元", "aid totaled RMB207.2 billion");
    assert_eq!(
        messages,
        [
            "missing in target: 2702亿 (270.2 billion)",
            "extra in target: 207.2 billion"
        ]
    );

    clean("1.2亿美元", "US$120 million");
    clean("1.2亿美元", "120 million US dollars");
    error("1.2亿美元", "US$12 million");

    clean("1285万千瓦时", "12.85 million kWh");
    error("1285万千瓦时", "128.5 million kWh");

    clean("0.59亿人民币", "RMB59 million");
    error("0.59亿人民币", "RMB5.9 million");

    clean("20万名", "200,000 people");
    error("20万名", "20,000 people");

    clean("1万名代表", "10,000 representatives");
    error("1万名代表", "1,000 representatives");

    clean("3万亿元", "RMB3 trillion");
    clean("3万亿元", "RMB3,000 billion");
    error("3万亿元", "RMB3 billion");
}

#[test]
fn arabic_grouping_decimals_and_full_width_digits() {
    assert_eq!(zh("1,234.5吨"), ["1234.5"]);
    assert_eq!(zh("１２３４５人"), ["12,345"]);
    assert_eq!(zh("８．５％"), ["8.5%"]);
    clean("27484名", "27,484 members");
    error("27484名", "24,784 members");
}

// ---------------------------------------------------------------------------------------------
// Chinese numerals

#[test]
fn chinese_numeral_words() {
    assert_eq!(zh("三十五"), ["35"]);
    assert_eq!(zh("一百零五"), ["105"]);
    assert_eq!(zh("两千零二十"), ["2020"]);
    assert_eq!(zh("一万二千"), ["12,000"]);
    assert_eq!(zh("三亿五千万"), ["350 million"]);
    assert_eq!(zh("十万"), ["100,000"]);

    clean("两年", "two years");
    clean("两年", "2 years");
    error("两年", "three years");

    clean("3艘", "three ships");
    error("3艘", "four ships");

    clean("三十五个", "thirty-five");
    clean("三十五个", "35");
    error("三十五个", "45");

    clean("一百零五个", "105");
    clean("一百零五个", "one hundred and five");
    error("一百零五个", "150");
}

#[test]
fn ordinals() {
    clean("第73届世界卫生大会", "the 73rd World Health Assembly");
    clean(
        "第73届世界卫生大会",
        "the seventy-third World Health Assembly",
    );
    error("第73届世界卫生大会", "the 72nd World Health Assembly");

    clean("第二届论坛", "the second forum");
    clean("第二届论坛", "the 2nd forum");
    error("第二届论坛", "the third forum");

    clean("中共十八大以来", "since the 18th CPC National Congress");
    error("中共十八大以来", "since the 19th CPC National Congress");

    clean("21世纪海上丝绸之路", "the 21st Century Maritime Silk Road");
    clean(
        "联合国成立70周年",
        "the 70th anniversary of the United Nations",
    );
    clean("第11届非洲运动会", "the 11th All-Africa Games");
}

#[test]
fn ordinal_written_as_cardinal_is_a_warning() {
    warning("第73届", "Assembly 73");
}

// ---------------------------------------------------------------------------------------------
// Approximations

#[test]
fn approximations() {
    clean("70多年来", "over the past more than 70 years");
    clean("70多年", "more than 70 years");
    clean("70多年", "over 70 years");
    let messages = warning("70多年", "70 years");
    assert_eq!(
        messages,
        ["approximation differs: source 70多 (more than 70), target 70"]
    );
    error("70多年", "more than 60 years");

    clean("7000余期", "over 7,000 sessions");
    warning("7000余期", "7,000 sessions");
    error("7000余期", "over 700 sessions");

    clean("近千名", "nearly 1,000");
    clean("近千名", "almost a thousand");
    error("近千名", "nearly 10,000");

    clean("约20万名", "about 200,000");
    clean("约20万名", "some 200,000");
    warning("约20万名", "200,000");

    clean("2万余名", "more than 20,000");
    clean("20多万", "more than 200,000");
    clean("4亿多美元", "over US$400 million");
    clean("超过110万吨", "more than 1.1 million tonnes");
    clean("十多个国家", "more than ten countries");
    clean("千余项", "over 1,000 projects");
    clean("近万个家庭", "nearly 10,000 families");
    clean("约2000多万", "about 20 million");
}

#[test]
fn wrong_approximation_kind_is_a_warning() {
    warning("近千名", "more than 1,000");
}

// ---------------------------------------------------------------------------------------------
// Percentages

#[test]
fn percentages() {
    clean("占总额的47.30%", "47.3 percent of the total");
    clean("占总额的47.30%", "47.3% of the total");
    clean("占总额的47.30%", "47.3 per cent of the total");
    error("占总额的47.30%", "47.03 percent of the total");

    clean("百分之四十", "40 percent");
    clean("百分之四十", "forty percent");
    error("百分之四十", "14 percent");

    warning("下降98%", "fell by 98");
}

// ---------------------------------------------------------------------------------------------
// Years, ranges and dates

#[test]
fn years_and_ranges() {
    for good in [
        "from 2013 to 2018",
        "2013-2018",
        "2013–2018",
        "2013–18",
        "between 2013 and 2018",
        "in 2013 through 2018",
    ] {
        clean("2013年至2018年", good);
    }
    error("2013年至2018年", "from 2013 to 2019");
    error("2013年至2018年", "2013–19");
    error("2013年至2018年", "in 2018");

    clean("1950年", "In 1950");
    clean("2013年以来", "since 2013");
    error("2013年以来", "since 2012");
}

#[test]
fn dates() {
    clean("2020年5月18日", "May 18, 2020");
    clean("2020年5月18日", "18 May 2020");
    clean("2020年5月18日", "on 18th May 2020");
    error("2020年5月18日", "May 19, 2020");
    error("2020年5月18日", "May 18, 2021");

    clean("2015年9月", "In September 2015");
    clean("2015年9月", "Sept. 2015");
    error("2015年9月", "In October 2015");
    warning("2015年9月", "In 2015");

    clean("2019年底", "end of 2019");
    clean("截至2019年底", "by the end of 2019");
    error("2019年底", "end of 2018");

    clean("新华社北京1月10日电", "Xinhua, Beijing, January 10");
    assert_eq!(zh("2020年5月18日"), ["2020-05-18"]);
    assert_eq!(zh("二〇二一年一月"), ["2021-01"]);
}

// ---------------------------------------------------------------------------------------------
// Words with numerals that are not quantities

#[test]
fn not_quantities() {
    for (source, target) in [
        (
            "共建“一带一路”",
            "the joint pursuit of the Belt and Road Initiative",
        ),
        ("统一", "unified"),
        ("一些国家", "some countries"),
        ("一系列重大举措", "a series of major measures"),
        ("同非方一道", "together with Africa"),
        ("是重要的合作伙伴之一", "is one of the important partners"),
        (
            "科学技术是第一生产力",
            "science and technology are the primary productive force",
        ),
        ("第一时间", "immediately"),
        ("二十国集团", "the G20"),
        (
            "世界百年未有之大变局",
            "changes in the world unseen in a century",
        ),
        ("开展三方合作", "carry out trilateral cooperation"),
        ("协和万邦", "harmony among all nations"),
        ("不远万里", "over a long distance"),
        (
            "红十字国际委员会",
            "the International Committee of the Red Cross",
        ),
        ("减少二氧化碳排放", "cut CO2 emissions"),
        ("3D打印技术", "3D printing"),
        ("“十百千”项目", "the Ten-Hundred-Thousand program"),
        (
            "惠及上千万受灾群众",
            "benefiting tens of millions of disaster victims",
        ),
        ("数十个国家", "dozens of countries"),
        (
            "一、人类命运共同体",
            "I. A global community of shared future",
        ),
        (
            "（三）改革管理体制",
            "(III) Reforming the management system",
        ),
        ("新冠肺炎疫情", "the COVID-19 pandemic"),
        ("各国", "all countries"),
        ("首次", "for the first time"),
        ("一技之长", "a practical skill"),
        ("千瓦", "kilowatt"),
    ] {
        clean(source, target);
    }
    assert!(zh("一带一路、统一、一些、一系列、之一、第一时间、万邦").is_empty());
}

#[test]
fn small_word_numbers_weigh_less() {
    // A small Chinese numeral left implicit in English is a warning, not an error.
    warning(
        "两国专家共同研究",
        "experts of both countries studied together",
    );
    // "first" for 首次/首届 is no finding; an English "one" is never a quantity alone.
    clean("首届论坛", "the first forum");
    clean("其中之一", "one of them");
    // A clear change of a small number is an error on both sides.
    let messages = error("两年", "three years");
    assert_eq!(
        messages,
        ["missing in target: 两 (2)", "extra in target: three (3)"]
    );
}

// ---------------------------------------------------------------------------------------------
// French

#[test]
fn french() {
    clean_fr("2702亿元人民币", "270,2 milliards de yuans");
    error_in("2702亿元人民币", "207,2 milliards de yuans", "fr");
    clean_fr("1285万千瓦时", "12,85 millions de kWh");
    clean_fr("占总额的47.30%", "47,3 % du total");
    clean_fr("占总额的47.30%", "47,3 pour cent du total");
    error_in("占总额的47.30%", "43,7 % du total", "fr");
    clean_fr("70多年来", "depuis plus de 70 ans");
    clean_fr("近1200名", "près de 1 200 médecins");
    clean_fr("27484名", "27\u{202f}484 membres");
    clean_fr("两年", "deux ans");
    error_in("两年", "trois ans", "fr");
    clean_fr("第73届", "la 73e Assemblée");
    clean_fr("第73届", "la soixante-treizième Assemblée");
    // French writes congress and century ordinals in Roman numerals.
    clean_fr("中共十八大以来", "Depuis le XVIIIe Congrès national du PCC");
    clean_fr(
        "21世纪海上丝绸之路",
        "la Route de la soie maritime du XXIe siècle",
    );
    error_in(
        "中共十八大以来",
        "Depuis le XVIIe Congrès national du PCC",
        "fr",
    );
    // Ordinary capitalized words are not Roman numerals.
    clean_fr(
        "中国",
        "De la Chine, Le Caire, Ce pays, Me Dupont, CIDCA, Liberia",
    );
    clean_fr("2020年5月18日", "le 18 mai 2020");
    clean_fr("2013年至2018年", "de 2013 à 2018");
    clean_fr("2013年至2018年", "entre 2013 et 2018");
    clean_fr("九十七", "quatre-vingt-dix-sept");
    clean_fr("七十一", "soixante et onze");
    clean_fr("二十一", "vingt et un");
    assert_eq!(fr("1 234,5"), ["1234.5"]);
    assert_eq!(fr("le 1er mai"), ["--05-01"]);
    assert_eq!(fr("un pays"), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// English reading

#[test]
fn english_reading() {
    assert_eq!(en("1,234.5"), ["1234.5"]);
    assert_eq!(en("seventy-three"), ["73"]);
    assert_eq!(en("two hundred and five thousand"), ["205,000"]);
    assert_eq!(en("twenty-first"), ["21st"]);
    assert_eq!(en("a million"), ["1 million"]);
    assert_eq!(en("US$1.2 trillion"), ["1.2 trillion"]);
    assert_eq!(en("RMB1.2bn"), ["1.2 billion"]);
    assert_eq!(
        en("the G20, COVID-19, H1N1, 5G and 3D"),
        Vec::<String>::new()
    );
    // Vague amounts read as a weak "more than": 上千名 is "thousands of" or "more than 1,000".
    assert_eq!(en("thousands of people"), ["more than 1000"]);
    assert_eq!(en("tens of millions of visits"), ["more than 10 million"]);
    assert_eq!(en("10 or more"), ["more than 10"]);
    assert_eq!(en("May 2020 and may"), ["2020-05"]);
    assert_eq!(en("1,2,3"), ["1", "2", "3"]);
    assert_eq!(en("27\u{202f}484 and 1\u{a0}234.5"), ["27,484", "1234.5"]);
    assert_eq!(en("in 2019 100 projects"), ["2019", "100"]);
}

#[test]
fn messages_name_both_sides() {
    let found = findings("2702亿元", "RMB207.2 billion", "en");
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].reason, Reason::MissingInTarget);
    assert_eq!(
        found[0].source.as_ref().map(|f| f.text.as_str()),
        Some("2702亿")
    );
    assert_eq!(found[1].reason, Reason::ExtraInTarget);
    assert_eq!(
        found[1].target.as_ref().map(|f| f.text.as_str()),
        Some("207.2 billion")
    );
}

#[test]
fn unsupported_language_is_an_error() {
    assert_eq!(
        compare("2702亿", "270,2 Milliarden", "de"),
        Err(NumbersError::UnsupportedLanguage("de".to_owned()))
    );
    assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
    assert_eq!(Lang::from_tag("fr_CA"), Some(Lang::Fr));
}

// ---------------------------------------------------------------------------------------------
// Real sentences of the white paper

const WHITE_PAPER_EN: &str = include_str!("white-paper-en.tsv");

fn white_paper_pairs() -> impl Iterator<Item = (&'static str, &'static str)> {
    WHITE_PAPER_EN
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| line.split_once('\t'))
}

#[test]
fn white_paper_good_renderings_are_clean() {
    let mut count = 0;
    for (source, target) in white_paper_pairs() {
        clean(source, target);
        count += 1;
    }
    assert!(count >= 20, "only {count} pairs");
}

#[test]
fn white_paper_bad_renderings_are_caught() {
    // A digit slip in one of several amounts.
    error(
        "其中，提供无偿援助1278亿元人民币，占对外援助总额的47.30%，重点用于帮助其他发展中国家建设中小型社会福利项目。",
        "Grants amounted to RMB127.8 billion, 43.7 percent of the total, mainly for small and medium-sized social welfare projects.",
    );
    // A magnitude slip: 亿 read as 万.
    error(
        "截至2018年底，向非洲开发银行集团捐资9.39亿美元、8亿人民币。",
        "By the end of 2018, China had contributed US$9.39 million and RMB800 million to the African Development Bank Group.",
    );
    // A dropped amount.
    let messages = error(
        "2013年至2018年，中国举办7000余期项目，共约20万名人员受益。",
        "From 2013 to 2018, China held over 7,000 training sessions.",
    );
    assert_eq!(messages, ["missing in target: 约20万 (about 200,000)"]);
    // Regions counted wrongly.
    error(
        "其中，亚洲地区30国，非洲地区53国，大洋洲地区9国，拉丁美洲和加勒比地区22国，欧洲地区8国。",
        "They included 30 countries in Asia, 35 in Africa, 9 in Oceania, 22 in Latin America and the Caribbean, and 8 in Europe.",
    );
    // A wrong date.
    error(
        "2020年5月18日，在第73届世界卫生大会视频会议开幕式上，习近平主席宣布两年内提供20亿美元国际援助。",
        "On May 8, 2020, at the opening of the 73rd World Health Assembly, President Xi Jinping announced US$2 billion of aid within two years.",
    );
    // A lost approximation.
    warning(
        "目前有近千名医疗队员在非洲、亚洲、大洋洲、美洲、欧洲55个国家的111个医疗点开展对外医疗援助工作。",
        "Today 1,000 team members are working at 111 medical sites in 55 countries.",
    );
}

#[test]
fn every_number_of_the_seed_is_read() {
    let text = include_str!("../../../source/intl-development-cooperation.txt");
    let all: Vec<String> = text.lines().flat_map(zh).collect();
    for expected in [
        "270.2 billion",
        "127.8 billion",
        "47.3%",
        "4.184 billion",
        "2013–2018",
        "2020-05-18",
        "73rd",
        "18th",
        "more than 7000",
        "about 200,000",
        "nearly 1000",
        "12.85 million",
        "59 million",
        "120 million",
        "about 20 million",
        "more than 400 million",
        "64,000",
    ] {
        assert!(all.iter().any(|v| v == expected), "{expected} not read");
    }
    assert!(
        all.len() > 250 && all.len() < 400,
        "{} quantities in the seed",
        all.len()
    );
}

// ---------------------------------------------------------------------------------------------
// Property tests

/// Chinese numerals for `n` (below 10¹²), as a careful writer spells them.
fn chinese_numerals(n: u64) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    fn below_10000(n: u64, leading: bool) -> String {
        let mut out = String::new();
        let mut zero = false;
        for (power, unit) in [
            (1000, Some('千')),
            (100, Some('百')),
            (10, Some('十')),
            (1, None),
        ] {
            let d = (n / power % 10) as usize;
            if d == 0 {
                zero = !out.is_empty();
                continue;
            }
            if zero {
                out.push('零');
            }
            zero = false;
            if !(d == 1 && power == 10 && out.is_empty() && leading) {
                out.push(DIGITS[d]);
            }
            if let Some(unit) = unit {
                out.push(unit);
            }
        }
        out
    }
    if n == 0 {
        return "零".to_owned();
    }
    let groups = [
        (n / 100_000_000, '亿'),
        (n / 10_000 % 10_000, '万'),
        (n % 10_000, ' '),
    ];
    let mut out = String::new();
    let mut pending_zero = false;
    for (value, unit) in groups {
        if value == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        let leading = out.is_empty();
        if !leading && (pending_zero || value < 1000) {
            out.push('零');
        }
        pending_zero = false;
        out.push_str(&below_10000(value, leading));
        if unit != ' ' {
            out.push(unit);
        }
    }
    out
}

/// English words for `n` (below 10¹²).
fn english_words(n: u64) -> String {
    const SMALL: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    fn below_1000(n: u64) -> String {
        let mut parts = Vec::new();
        if n >= 100 {
            parts.push(format!("{} hundred", SMALL[(n / 100) as usize]));
        }
        let rest = n % 100;
        if rest > 0 {
            let words = if rest < 20 {
                SMALL[rest as usize].to_owned()
            } else if rest.is_multiple_of(10) {
                TENS[(rest / 10) as usize].to_owned()
            } else {
                format!(
                    "{}-{}",
                    TENS[(rest / 10) as usize],
                    SMALL[(rest % 10) as usize]
                )
            };
            if n >= 100 {
                parts.push("and".to_owned());
            }
            parts.push(words);
        }
        parts.join(" ")
    }
    if n == 0 {
        return "zero".to_owned();
    }
    let mut parts = Vec::new();
    for (scale, word) in [
        (1_000_000_000, " billion"),
        (1_000_000, " million"),
        (1000, " thousand"),
        (1, ""),
    ] {
        let group = n / scale % 1000;
        if group > 0 {
            parts.push(format!("{}{word}", below_1000(group)));
        }
    }
    parts.join(" ")
}

#[test]
fn formatters_for_property_tests() {
    assert_eq!(chinese_numerals(105), "一百零五");
    assert_eq!(chinese_numerals(35), "三十五");
    assert_eq!(chinese_numerals(10_005), "一万零五");
    assert_eq!(chinese_numerals(120_000), "十二万");
    assert_eq!(chinese_numerals(100_020_000), "一亿零二万");
    assert_eq!(
        english_words(1_205_073),
        "one million two hundred and five thousand seventy-three"
    );
}

proptest! {
    #[test]
    fn magnitudes_agree_with_english(mantissa in 1_u64..1_000_000, decimals in 0_u32..3, yi in any::<bool>()) {
        let number = Decimal::from_int(i128::from(mantissa));
        let shown = format!("{number}");
        let shown = if decimals > 0 && shown.len() > decimals as usize {
            let (int, frac) = shown.split_at(shown.len() - decimals as usize);
            format!("{int}.{frac}")
        } else {
            shown
        };
        let (unit, power) = if yi { ('亿', 8) } else { ('万', 4) };
        let source = format!("{shown}{unit}美元");
        let value = Decimal::parse(&shown).and_then(|d| d.times_pow10(power));
        prop_assert!(value.is_some());
        let value = value.unwrap_or(Decimal::ZERO);
        let read: Vec<Decimal> = extract_zh(&source).iter().map(|q| q.value).collect();
        prop_assert_eq!(&read, &[value]);
        // English as "X million/billion" or as grouped digits.
        let english = format!("US${}", value.human());
        let read: Vec<Decimal> = extract_target(&english, Lang::En).iter().map(|q| q.value).collect();
        prop_assert_eq!(&read, &[value], "{}", english);
        prop_assert!(compare_in(&source, &english, Lang::En).is_empty(), "{} vs {}", source, english);
        let french = format!("{} dollars", value.human().replace(',', "\u{202f}").replace('.', ",").replace(" billion", " milliards").replace(" million", " millions").replace(" trillion", " billions"));
        prop_assert!(compare_in(&source, &french, Lang::Fr).is_empty(), "{} vs {}", source, french);
    }

    #[test]
    fn chinese_numerals_agree_with_english_words(n in 2_u64..1_000_000_000_000) {
        let source = format!("{}个", chinese_numerals(n));
        let read: Vec<Decimal> = extract_zh(&source).iter().map(|q| q.value).collect();
        prop_assert_eq!(&read, &[Decimal::from_int(i128::from(n))], "{}", source);
        let words = english_words(n);
        let read: Vec<Decimal> = extract_target(&words, Lang::En).iter().map(|q| q.value).collect();
        prop_assert_eq!(&read, &[Decimal::from_int(i128::from(n))], "{}", words);
        prop_assert!(compare_in(&source, &words, Lang::En).is_empty(), "{} vs {}", source, words);
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>(), other in any::<String>()) {
        let _ = extract_zh(&text);
        let _ = extract_target(&text, Lang::En);
        let _ = extract_target(&text, Lang::Fr);
        let _ = compare_in(&text, &other, Lang::En);
    }

    #[test]
    fn number_like_text_never_panics(
        text in "[0-9０-９一二两三四五六七八九十百千万亿零〇第年月日至到多余近约%％,.，、（）()— -]{0,40}",
        target in "[0-9a-z ,.%$–-]{0,40}|(one|two|hundred|thousand|million|and|first|May|to|from|between|more|than|-| |[0-9]){0,20}",
    ) {
        let _ = extract_zh(&text);
        let _ = compare_in(&text, &target, Lang::En);
        let _ = compare_in(&text, &target, Lang::Fr);
    }
}

#[test]
fn heading_and_list_markers_are_skipped() {
    clean(
        "（一）中国国际发展合作的由来",
        "1. The origins of China's international development cooperation",
    );
    clean(
        "二、新时代中国国际发展合作取得新进展",
        "II. New progress in the new era",
    );
    clean("1. 提供物资", "(1) Supplying materials");
    clean("（2）技术合作", "2) Technical cooperation");
    assert_eq!(en("1.2 million people"), ["1.2 million"]);
    assert_eq!(zh("1.2亿美元"), ["120 million"]);
}

#[test]
fn documented_forms() {
    clean("不到100人", "fewer than 100 people");
    clean("不足10%", "less than 10 percent");
    clean("20人左右", "around 20 people");
    clean("1000人以上", "1,000 or more people");
    clean("至少3个", "at least 3");
    clean("逾5000名", "in excess of 5,000");
    clean("10%—20%", "10%-20%");
    clean("2016年到2019年", "2016 to 2019");
    clean(
        "十八届三中全会",
        "the Third Plenary Session of the 18th Central Committee",
    );
    clean_fr("2015年9月", "en septembre 2015");
    clean_fr("第一次", "la première fois");
    clean_fr("第1届", "la 1re édition");
    clean_fr("不到100人", "moins de 100 personnes");
    clean_fr("约20万名", "environ 200 000 personnes");
    assert_eq!(en("We may 2 times"), ["2"]);
    assert_eq!(en("US$1.2bn"), ["1.2 billion"]);
}

#[test]
fn plans_fractions_and_months() {
    clean("“十四五”规划", "the 14th Five-Year Plan");
    error("“十四五”规划", "the 13th Five-Year Plan");
    clean("三分之一的人口", "one third of the population");
    clean("三分之二", "two thirds");
    clean("5月", "in May");
    clean("5月18日", "on May 18");
    assert_eq!(en("in May"), ["--05"]);
    assert_eq!(en("May we"), Vec::<String>::new());
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `1234567` as `1,234,567`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

proptest! {
    #[test]
    fn year_ranges_agree(start in 1950_u16..2090, length in 1_u16..10) {
        let end = start + length;
        let source = format!("{start}年至{end}年");
        for target in [
            format!("from {start} to {end}"),
            format!("{start}-{end}"),
            format!("{start}–{:02}", end % 100),
            format!("between {start} and {end}"),
        ] {
            prop_assert!(compare_in(&source, &target, Lang::En).is_empty(), "{} vs {}", source, target);
        }
        let wrong = format!("from {start} to {}", end + 1);
        prop_assert!(!compare_in(&source, &wrong, Lang::En).is_empty());
    }

    #[test]
    fn dates_agree(year in 1950_u16..2100, month in 1_usize..=12, day in 1_u8..=28) {
        let source = format!("{year}年{month}月{day}日");
        let name = MONTHS[month - 1];
        for target in [format!("{name} {day}, {year}"), format!("{day} {name} {year}")] {
            prop_assert!(compare_in(&source, &target, Lang::En).is_empty(), "{} vs {}", source, target);
        }
        let wrong = format!("{name} {}, {year}", day + 1);
        prop_assert!(!compare_in(&source, &wrong, Lang::En).is_empty());
    }

    #[test]
    fn integers_agree_with_grouped_digits(n in 1_000_u64..10_000_000_000_000) {
        // 2013年 is a year: keep to amounts with a measure word.
        let source = format!("{n}名");
        let target = format!("{} people", grouped(n));
        prop_assert!(compare_in(&source, &target, Lang::En).is_empty(), "{} vs {}", source, target);
        let french = format!("{} personnes", grouped(n).replace(',', "\u{a0}"));
        prop_assert!(compare_in(&source, &french, Lang::Fr).is_empty(), "{} vs {}", source, french);
    }

    #[test]
    fn percentages_agree(whole in 0_u32..100, hundredths in 0_u32..100) {
        let source = format!("{whole}.{hundredths:02}%");
        let value = Decimal::parse(&format!("{whole}.{hundredths:02}")).unwrap_or(Decimal::ZERO);
        let target = format!("{value} percent");
        prop_assert!(compare_in(&source, &target, Lang::En).is_empty(), "{} vs {}", source, target);
        let french = format!("{} %", value.to_string().replace('.', ","));
        prop_assert!(compare_in(&source, &french, Lang::Fr).is_empty(), "{} vs {}", source, french);
    }
}

#[test]
fn white_paper_in_french() {
    for (source, target) in [
        (
            "2013年至2018年，中国对外援助金额为2702亿元人民币，包括无偿援助、无息贷款和优惠贷款。",
            "De 2013 à 2018, l'aide extérieure de la Chine s'est élevée à 270,2 milliards de yuans, en dons, prêts sans intérêt et prêts concessionnels.",
        ),
        (
            "其中，提供无偿援助1278亿元人民币，占对外援助总额的47.30%，重点用于帮助其他发展中国家建设中小型社会福利项目。",
            "Les dons ont représenté 127,8 milliards de yuans, soit 47,3 % du total, surtout pour de petits et moyens projets de protection sociale.",
        ),
        (
            "2013年至2018年，中国举办7000余期项目，共约20万名人员受益。",
            "Entre 2013 et 2018, la Chine a organisé plus de 7 000 sessions, dont environ 200 000 personnes ont bénéficié.",
        ),
        (
            "截至2019年底，中国累计向72个国家和地区派遣长期医疗队，共1069批次27484名医疗队员。",
            "Fin 2019, la Chine avait envoyé des équipes médicales de longue durée dans 72 pays et régions : 1 069 équipes, soit 27\u{202f}484 membres.",
        ),
        (
            "2020年5月18日，在第73届世界卫生大会视频会议开幕式上，习近平主席宣布两年内提供20亿美元国际援助。",
            "Le 18 mai 2020, à l'ouverture de la 73e Assemblée mondiale de la santé, le président Xi Jinping a annoncé 2 milliards de dollars d'aide internationale en deux ans.",
        ),
        (
            "援古巴太阳能电站项目总装机规模为9兆瓦，每年向电网输送1285万千瓦时清洁能源电力。",
            "La centrale solaire construite à Cuba a une puissance de 9 MW et injecte chaque année 12,85 millions de kWh d'électricité propre dans le réseau.",
        ),
        (
            "70多年来，中华民族砥砺奋进，从积贫积弱逐步走向繁荣富强。",
            "Depuis plus de soixante-dix ans, la nation chinoise avance sans relâche vers la prospérité.",
        ),
    ] {
        clean_fr(source, target);
    }
    // Wrong renderings.
    error_in(
        "2013年至2018年，中国举办7000余期项目，共约20万名人员受益。",
        "Entre 2013 et 2018, la Chine a organisé plus de 7 000 sessions, dont environ 20 000 personnes ont bénéficié.",
        "fr",
    );
    error_in(
        "截至2018年底，向非洲开发银行集团捐资9.39亿美元。",
        "Fin 2018, la Chine avait versé 9,39 millions de dollars à la Banque africaine de développement.",
        "fr",
    );
}

/// Every quantity read from the seed, pinned: a change in the reader shows up as a reviewable
/// snapshot diff.
#[test]
fn seed_quantities_snapshot() {
    let text = include_str!("../../../source/intl-development-cooperation.txt");
    let mut rendered = String::new();
    for (number, line) in text.lines().enumerate() {
        for quantity in extract_zh(line) {
            let written = &line[quantity.span.clone()];
            let weak = if quantity.weak { " (weak)" } else { "" };
            writeln!(
                rendered,
                "{}: {written} → {}{weak}",
                number + 1,
                quantity.describe()
            )
            .expect("writing to a String cannot fail");
        }
    }
    insta::assert_snapshot!(rendered);
}

#[test]
fn compound_number_words() {
    assert_eq!(en("one-third of the aid"), ["1/3"]);
    assert_eq!(en("two-thirds"), ["2/3"]);
    clean("三分之二", "two-thirds");
    assert_eq!(en("ninety-nine"), ["99"]);
    assert_eq!(en("two-hundred"), ["200"]);
    assert_eq!(fr("vingt-et-un"), ["21"]);
    assert_eq!(fr("trente-et-unième"), ["31st"]);
    assert_eq!(fr("dix-sept"), ["17"]);
    assert_eq!(fr("quatre-vingts"), ["80"]);
    assert_eq!(fr("soixante-treize"), ["73"]);
    assert_eq!(fr("deux-cents"), ["200"]);
}

// ---------------------------------------------------------------------------------------------
// Issue 19: read as a careful reviewer reads them

#[test]
fn zero_alone_is_no_number() {
    clean(
        "全年社会消费品零售总额2.1万亿元。",
        "Total retail sales of consumer goods reached 2.1 trillion yuan.",
    );
    assert!(zh("零部件、零售、零距离").is_empty());
    assert_eq!(zh("二〇二〇年"), ["2020"]);
    assert_eq!(zh("一百零五"), ["105"]);
}

#[test]
fn cheng_counts_tenths() {
    assert_eq!(zh("近四成"), ["nearly 40%"]);
    assert_eq!(zh("三成以上"), ["more than 30%"]);
    clean(
        "新能源汽车销量占全省汽车销量的近四成。",
        "New energy vehicles accounted for nearly 40 percent of car sales.",
    );
    clean("比上年增长近三成。", "up nearly 30% on the year before.");
    error("占近四成。", "nearly 30 percent.");
    assert!(zh("一成不变").is_empty());
    assert!(zh("建成、完成、七八成").is_empty());
}

#[test]
fn enumerations_are_ordinals() {
    clean(
        "一是稳住就业，二是兜牢底线，三是办好实事。",
        "First, we kept jobs stable; second, we ensured basic needs; and third, we delivered.",
    );
    assert_eq!(zh("一是稳住就业"), ["1st"]);
    // 统一是 is not an enumeration.
    assert!(zh("统一是前提").is_empty());
    error(
        "二是兜牢底线，三是办好实事。",
        "Second, we ensured basic needs; and fourth, we delivered.",
    );
}

#[test]
fn law_labels_and_enumeration_markers_belong_to_the_structure_check() {
    clean(
        "第十条　本条例自2024年5月1日起施行。",
        "Article 10 These Regulations shall take effect on May 1, 2024.",
    );
    clean("第四章　法律责任", "Chapter IV Legal Liability");
    clean("第二节　公平竞争", "Section 2 Fair Competition");
    clean(
        "有前款第一项、第二项行为的，依法赔偿。",
        "Where the acts in Item 1 or Item 2 of the preceding paragraph occur, compensation shall be paid.",
    );
    clean(
        "主要做好以下工作：①稳定粮食播种面积；②加强高标准农田建设。",
        "Our main tasks are to (1) keep the area sown with grain stable and (2) build farmland.",
    );
    clean(
        "主要包括：（1）扩大内需；（2）稳定就业。",
        "They include (1) expanding domestic demand and (2) keeping jobs stable.",
    );
    clean("二级指标", "Second-level indicator");
    clean(
        "数字经济核心产业增加值突破4000亿元",
        "the value added of the digital economy exceeded 400 billion yuan",
    );
    // Other ordinals are still read.
    error("第五届论坛", "the fourth forum");
}

#[test]
fn fractions() {
    clean("增长三分之一以上", "grew by more than one third");
    clean("比重超过三分之二", "the share exceeds two thirds");
    clean("比重超过三分之二", "more than two-thirds of the total");
    clean(
        "不得超过法定时限的二分之一",
        "may not exceed half of the statutory time limit",
    );
    clean("二分之一", "50 percent");
    clean("四分之三的企业", "three quarters of the companies");
    error("增长三分之一以上", "grew by more than a quarter");
    assert_eq!(zh("四分之三"), ["3/4"]);
    // 百分之五 is a percentage, written out.
    assert_eq!(zh("增长百分之五"), ["5%"]);
    clean("增长百分之五", "grew by 5 percent");
    clean_fr("增长百分之五", "en hausse de 5 %");
    error("增长百分之五", "grew by 15 percent");
    // 前三季度: the first three quarters of a year, not three quarters of anything.
    assert_eq!(en("the first three quarters of the year"), ["1st", "3"]);
    assert_eq!(en("one half"), ["1/2"]);
}

#[test]
fn approximations_of_amounts() {
    assert_eq!(zh("上千万人次"), ["more than 10 million"]);
    clean(
        "接待游客上千万人次",
        "received more than ten million visits",
    );
    clean("接待游客上千万人次", "received tens of millions of visits");
    clean("惠及农户上万户", "benefiting more than 10,000 households");
    clean("邀请上千名青年", "invite thousands of young people");
    assert!(zh("成千上万").is_empty());
    // 数以万计: "tens of thousands", more than 10,000 (weak, as 上千万 is).
    assert_eq!(zh("数以万计的群众"), ["more than 10,000"]);
    assert_eq!(zh("数以百万计"), ["more than 1 million"]);
    assert_eq!(zh("数以十万计"), ["more than 100,000"]);
    clean("数以万计的群众", "tens of thousands of people");
    clean("数以百万计的家庭", "millions of families");
    clean("数以万计的群众", "more than 10,000 people");
    clean_fr("数以万计的群众", "des dizaines de milliers de personnes");
    clean_fr("数以百万计的家庭", "des millions de familles");
    error("数以万计的群众", "hundreds of people");
    // French reads vague amounts too: "des dizaines de millions" is more than 10 million.
    assert_eq!(
        fr("des dizaines de millions de visites"),
        ["more than 10 million"]
    );
    assert_eq!(fr("des milliers de jeunes"), ["more than 1000"]);
    clean_fr(
        "接待游客上千万人次",
        "accueilli des dizaines de millions de visiteurs",
    );
    clean_fr("邀请上千名青年", "inviter des milliers de jeunes");
    clean("不低于1500亿元", "no less than 150 billion yuan");
    clean("不少于20个场景", "at least 20 scenarios");
    clean("不超过30天", "no more than 30 days");
    warning(
        "实施重大项目1200余个",
        "1,200 major projects were carried out",
    );
}

#[test]
fn ranges_and_counting_units() {
    clean(
        "用3至5年时间建成10个实验室",
        "build 10 laboratories in three to five years",
    );
    clean(
        "用3至5年时间建成10个实验室",
        "build 10 laboratories in 3-5 years",
    );
    clean(
        "用3至5年时间建成10个实验室",
        "build 10 laboratories within 3 to 5 years",
    );
    error(
        "用3至5年时间建成10个实验室",
        "build 10 laboratories in 3 to 6 years",
    );
    clean("接待游客500人次以上", "received more than 500 visits");
    clean("接待游客2.3亿人次", "received 230 million tourist visits");
    clean("接待游客1.2万人次", "12,000 person-times");
    clean(
        "粮食产量稳定在700亿斤以上",
        "grain output stayed above 70 billion jin",
    );
}

#[test]
fn over_before_a_year_is_a_preposition() {
    clean("2013年至2018年", "over 2013-2018");
    clean("2019年", "over 2019");
    clean("超过2000名", "over 2,000 people");
}

#[test]
fn decades() {
    clean("70多年来", "over more than seven decades");
    clean("70多年来", "for more than seven decades");
    clean_fr("70多年来", "depuis plus de sept décennies");
    error("70多年来", "for more than six decades");
    clean("一年", "one year");
}

#[test]
fn absurd_inputs_do_not_overflow() {
    let many_hundreds = "hundred ".repeat(60);
    let _ = en(&format!("one {many_hundreds} ninety"));
    let _ = en(&"thousand ".repeat(60));
    let _ = zh(&"九亿".repeat(30));
    let _ = zh(&"9".repeat(100));
    let _ = en(&"9".repeat(100));
    let _ = zh(&format!("{}亿亿亿亿亿", "9".repeat(30)));
}
