//! Resolving messy city strings.

use cityrank_gazetteer::{Gazetteer, Resolution, ResolutionStats};
use std::path::Path;

/// (unit, English name, Chinese short name) of the bundled example's 100 cities.
fn example_cities() -> Vec<(String, String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/blockchain-2020/data/cities.csv");
    let mut rdr = csv::Reader::from_path(path).expect("cities.csv");
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string(), r[2].to_string())
        })
        .collect()
}

/// English names that two cities share.
const SHARED: [&str; 5] = ["Taizhou", "Suzhou", "Fuzhou", "Yichun", "Yulin"];

#[test]
fn every_example_city_resolves_from_its_names() {
    let g = Gazetteer::bundled();
    let cities = example_cities();
    assert_eq!(cities.len(), 100);
    for (unit, en, zh) in &cities {
        let want = Some(unit.as_str());
        assert_eq!(g.resolve(zh), want, "{zh}");
        assert_eq!(g.resolve(&format!("{zh}市")), want, "{zh}市");
        assert_eq!(
            g.resolve(&format!(" {zh}\u{3000}")),
            want,
            "{zh} with spaces"
        );
        let place = g.lookup(unit).unwrap();
        let qualified = format!("{}{}", place.province_zh, place.name_zh);
        assert_eq!(g.resolve(&qualified), want, "{qualified}");
        let qualified_en = format!("{} {en}", place.province_en);
        assert_eq!(g.resolve(&qualified_en), want, "{qualified_en}");
        assert_eq!(
            g.resolve(&format!("{en}, {}", place.province_en)),
            want,
            "{en}, province"
        );
        if SHARED.contains(&en.as_str()) {
            assert!(
                matches!(g.resolve_detailed(en), Resolution::Ambiguous(_)),
                "{en}"
            );
            continue;
        }
        assert_eq!(g.resolve(en), want, "{en}");
        assert_eq!(g.resolve(&en.to_uppercase()), want, "{}", en.to_uppercase());
        assert_eq!(g.resolve(&en.to_lowercase()), want, "{}", en.to_lowercase());
        assert_eq!(g.resolve(&format!("{en} City")), want, "{en} City");
        assert_eq!(g.resolve(&format!("{en} Shi")), want, "{en} Shi");
    }
}

#[test]
fn the_two_taizhou_need_a_province() {
    let g = Gazetteer::bundled();
    match g.resolve_detailed("Taizhou") {
        Resolution::Ambiguous(places) => {
            let mut codes: Vec<&str> = places.iter().map(|p| p.code.as_str()).collect();
            codes.sort();
            assert_eq!(codes, ["321200", "331000"]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(g.resolve("Taizhou"), None);
    assert_eq!(g.resolve("TAIZHOU CITY"), None);
    assert_eq!(g.resolve("Jiangsu Taizhou"), Some("321200"));
    assert_eq!(g.resolve("Taizhou, Jiangsu Province"), Some("321200"));
    assert_eq!(g.resolve("Taizhou (Zhejiang)"), Some("331000"));
    assert_eq!(g.resolve("zhejiangtaizhoushi"), Some("331000"));
    // The Chinese names differ, so they are never ambiguous.
    assert_eq!(g.resolve("泰州"), Some("321200"));
    assert_eq!(g.resolve("台州市"), Some("331000"));
    // A province that has neither Taizhou does not pick one.
    assert_eq!(g.resolve("Anhui Taizhou"), None);
}

#[test]
fn other_shared_spellings_are_ambiguous() {
    let g = Gazetteer::bundled();
    for (en, a, b) in [
        ("Suzhou", "320500", "341300"),
        ("Fuzhou", "350100", "361000"),
        ("Yichun", "230700", "360900"),
        ("Yulin", "450900", "610800"),
    ] {
        assert!(
            matches!(g.resolve_detailed(en), Resolution::Ambiguous(_)),
            "{en}"
        );
        let pa = &g.lookup(a).unwrap().province_en;
        let pb = &g.lookup(b).unwrap().province_en;
        assert_eq!(g.resolve(&format!("{en}, {pa}")), Some(a));
        assert_eq!(g.resolve(&format!("{pb} {en}")), Some(b));
    }
}

#[test]
fn suffixes_prefixes_and_forms() {
    let g = Gazetteer::bundled();
    for (raw, code) in [
        ("深圳市", "440300"),
        ("广东省深圳市", "440300"),
        ("广东深圳", "440300"),
        ("广东省　深圳市", "440300"),
        ("深圳市南山区", "440300"),
        ("广东省深圳市南山区", "440300"),
        ("ＳＨＥＮＺＨＥＮ", "440300"),
        ("Shenzhen, Guangdong", "440300"),
        ("Guangdong Province Shenzhen City", "440300"),
        ("Xi'an", "610100"),
        ("Xian", "610100"),
        ("XI AN SHI", "610100"),
        ("陕西省西安市", "610100"),
        ("Ma'anshan", "340500"),
        ("maanshan", "340500"),
        ("延边", "222400"),
        ("延边州", "222400"),
        ("吉林省延边朝鲜族自治州", "222400"),
        ("阿克苏", "652900"),
        ("阿克苏地区", "652900"),
        ("锡林郭勒", "152500"),
        ("锡林郭勒盟", "152500"),
        ("内蒙古自治区呼和浩特市", "150100"),
        ("内蒙古包头", "150200"),
        ("Inner Mongolia Baotou", "150200"),
        ("Hohhot", "150100"),
        ("Huhehaote", "150100"),
        ("广西壮族自治区南宁市", "450100"),
        ("新疆乌鲁木齐", "650100"),
        ("Urumqi", "650100"),
        ("吉林", "220200"),
        ("吉林省吉林市", "220200"),
        ("Jilin City", "220200"),
        ("北京", "110000"),
        ("北京市海淀区", "110000"),
        ("Beijing Shi", "110000"),
        ("上海市", "310000"),
        ("Hong Kong", "810000"),
        ("Macao", "820000"),
        ("襄樊", "420600"),
        ("襄樊市", "420600"),
        ("Xiangfan", "420600"),
        ("思茅", "530800"),
        ("Canton", "440100"),
        ("海南州", "632500"),
        ("Lüliang", "141100"),
        ("Lvliang", "141100"),
        ("Xī'ān", "610100"),
    ] {
        assert_eq!(g.resolve(raw), Some(code), "{raw}");
    }
}

#[test]
fn junk_and_provinces_do_not_resolve() {
    let g = Gazetteer::bundled();
    for raw in [
        "",
        "   ",
        "\u{3000}",
        "海外",
        "未知",
        "N/A",
        "n/a",
        "-",
        "其他",
        "全国",
        "境外",
        "unknown",
        "Overseas",
        "广东省",
        "广东",
        "Guangdong",
        "吉林省",
        "Jilin Province",
        "海南",
        "Hainan",
        "南山区",
        "Springfield",
        "深",
        "市",
        "12345",
        "Shenzhe",
        "深圳深圳深圳",
    ] {
        assert_eq!(g.resolve(raw), None, "{raw:?}");
        assert!(
            matches!(g.resolve_detailed(raw), Resolution::Unknown),
            "{raw:?}"
        );
    }
}

#[test]
fn stats_count_each_outcome() {
    let g = Gazetteer::bundled();
    let mut stats = ResolutionStats::default();
    for raw in ["深圳", "深圳", "Taizhou", "海外", "SHENZHEN", "Taizhou"] {
        stats.tally(g, raw);
    }
    assert_eq!((stats.resolved, stats.ambiguous, stats.unknown), (3, 2, 1));
    assert_eq!(stats.total(), 6);
    assert_eq!(stats.unresolved["Taizhou"], 2);
}

#[test]
fn works_as_the_engines_resolver() {
    let g = Gazetteer::bundled();
    let r = g.resolver();
    fn takes(f: &(dyn Fn(&str) -> Option<String> + Sync)) -> Option<String> {
        f("杭州市")
    }
    assert_eq!(takes(&r).as_deref(), Some("330100"));
}

#[test]
fn every_spelling_in_the_table_finds_its_place_or_is_ambiguous() {
    let g = Gazetteer::bundled();
    let mut ambiguous = std::collections::BTreeSet::new();
    for p in g.places() {
        for s in [&p.name_zh, &p.name_en].into_iter().chain(&p.aliases) {
            match g.resolve_detailed(s) {
                Resolution::City(q) => assert_eq!(q.code, p.code, "{s}"),
                Resolution::Ambiguous(qs) => {
                    assert!(qs.iter().any(|q| q.code == p.code), "{s}");
                    ambiguous.insert(cityrank_gazetteer::normalise(s));
                }
                Resolution::Unknown => panic!("{s} of {} does not resolve", p.code),
            }
            let qualified = format!("{}{}", p.province_zh, s);
            assert_eq!(g.resolve(&qualified), Some(p.code.as_str()), "{qualified}");
        }
    }
    let ambiguous: Vec<&str> = ambiguous.iter().map(String::as_str).collect();
    assert_eq!(
        ambiguous,
        ["fuzhou", "suzhou", "taizhou", "yichun", "yulin"]
    );
}
