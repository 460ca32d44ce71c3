//! The static site: a page for every assessed city, rank intervals, the reason a city is not ranked.

use crate::common::edition;
use cityrank_publish::site;
use cityrank_publish::uncertainty::Interval;

fn page<'a>(pages: &'a site::Pages, name: &str) -> &'a str {
    let (_, b) = pages.iter().find(|(n, _)| n == name).expect(name);
    std::str::from_utf8(b).unwrap()
}

#[test]
fn every_excluded_city_has_a_page_with_its_reason() {
    let ed = edition("2020");
    let pages = site::pages(&ed, None, false).unwrap();
    assert!(!ed.results.excluded.is_empty());
    for e in &ed.results.excluded {
        let html = page(&pages, &format!("city-{}.html", site::slug(&e.unit)));
        assert!(html.contains("Why not ranked"), "{}", e.unit);
        assert!(
            html.contains(&escaped(&e.reason)),
            "{}: {}",
            e.unit,
            e.reason
        );
    }
    let n = ed.results.assessed;
    let cities = pages.iter().filter(|(p, _)| p.starts_with("city-")).count();
    assert_eq!(cities, n, "a page for every assessed city");
}

/// A rank interval for Chongqing (5 to 12, median 8, published 7).
fn chongqing_interval() -> Vec<Interval> {
    vec![Interval {
        unit: "500000".into(),
        name: "Chongqing".into(),
        nominal_rank: 7.0,
        median_rank: 8.0,
        p05_rank: 5.0,
        p95_rank: 12.0,
        mean_abs_shift: None,
    }]
}

#[test]
fn a_city_page_shows_its_rank_interval_when_one_was_computed() {
    let mut ed = edition("2020");
    let plain = site::pages(&ed, None, false).unwrap();
    assert!(!page(&plain, "city-500000.html").contains("Rank interval"));
    ed.intervals = chongqing_interval();
    let pages = site::pages(&ed, None, false).unwrap();
    assert!(page(&pages, "city-500000.html").contains("Rank interval 排名区间: 5–12</b>"));
}

#[test]
fn the_index_carries_the_lede_the_coverage_and_the_what_if_engine() {
    let ed = edition("2020");
    let pages = site::pages(&ed, None, false).unwrap();
    let html = page(&pages, "index.html");
    assert!(html.contains("Beijing ranks first of 83 cities"));
    assert!(html.contains("42 of the 83 have data for every one of the 16 indicators"));
    assert!(
        html.contains("<td class=\"n\">16&#x2f;16</td>"),
        "coverage column"
    );
    assert!(html.contains("id=\"whatif-state\""));
    assert!(page(&pages, "whatif-wasm.js").contains("window.CITYRANK_WASM = \"AGFzbQ"));
}

/// Text as minijinja writes it into HTML.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2f;")
}

#[test]
fn downloads_hold_raw_values_of_every_city_and_the_spec_and_methodology_lists_indicators() {
    let ed = edition("2020");
    let pages = site::pages(&ed, None, false).unwrap();
    let raw = page(&pages, "data/raw_values.csv");
    assert_eq!(raw.lines().count(), ed.results.assessed + 1);
    let e = &ed.results.excluded[0];
    let line = raw
        .lines()
        .find(|l| l.starts_with(&format!("{},", e.unit)))
        .unwrap();
    assert!(line.contains(",no,"), "{line}");
    assert_eq!(page(&pages, "data/spec.toml"), ed.spec.text);
    let recipe: serde_json::Value =
        serde_json::from_str(&page(&pages, "data/manifest.json")).unwrap();
    assert_eq!(recipe["spec"]["sha256"], ed.spec.sha256.as_str());
    let scores = cityrank_io::write::result_files(&ed.spec, &ed.results)
        .into_iter()
        .find(|(n, _)| n == "scores.csv")
        .unwrap();
    let listed = recipe["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["file"] == "scores.csv")
        .expect("the recipe lists scores.csv");
    assert_eq!(
        listed["sha256"],
        cityrank_io::hash::sha256_hex(&scores.1).as_str()
    );
    let m = page(&pages, "methodology.html");
    assert!(
        m.contains(&ed.spec.sha256),
        "the recipe names the spec's hash"
    );
    let with_source = ed
        .spec
        .spec
        .indicators
        .iter()
        .find_map(|d| d.source.clone());
    if let Some(src) = with_source {
        assert!(m.contains(&escaped(&src)), "{src}");
    }
}

#[test]
fn a_dimension_page_lists_its_indicators_and_charts_its_scores() {
    let ed = edition("2020");
    let pages = site::pages(&ed, None, false).unwrap();
    let html = page(&pages, "dimension-RD.html");
    let fw = &ed.spec.framework;
    let rd = fw.find("RD").unwrap();
    for &j in &fw.nodes[rd].children {
        assert!(
            html.contains(&escaped(&fw.nodes[j].name)),
            "{}",
            fw.nodes[j].id
        );
    }
    assert!(html.contains("<svg") && html.contains("dimension score as published"));
}

#[test]
fn every_indicator_has_a_page_with_definition_source_unit_and_ranking() {
    let ed = edition("2020");
    let pages = site::pages(&ed, None, false).unwrap();
    let fw = &ed.spec.framework;
    for j in 0..fw.n_indicators {
        let n = &fw.nodes[j];
        let html = page(&pages, &format!("indicator-{}.html", site::slug(&n.id)));
        let d = ed
            .spec
            .spec
            .indicators
            .iter()
            .find(|d| d.id == n.id)
            .unwrap();
        for text in [&d.source, &d.description, &d.unit].into_iter().flatten() {
            assert!(html.contains(&escaped(text)), "{}: {text}", n.id);
        }
        let link = format!("href=\"indicator-{}.html\"", site::slug(&n.id));
        assert!(page(&pages, "methodology.html").contains(&link), "{link}");
        let ranked = ed.results.ranking(j).len();
        assert_eq!(
            html.matches("<tr><td class=\"n\">").count(),
            ranked,
            "{}",
            n.id
        );
        // The distribution chart counts every ranked city that has a raw value.
        let with_data = (0..ed.results.n_units())
            .filter(|&i| ed.results.raw.get(i, j).is_finite())
            .count();
        assert!(
            html.contains(&format!(
                "Raw value of the {with_data} ranked cities with data"
            )),
            "{}",
            n.id
        );
    }
}

#[test]
fn the_workbook_holds_raw_values_of_every_city_and_the_rank_intervals() {
    use calamine::{Reader, Xlsx};
    let mut ed = edition("2020");
    ed.intervals = chongqing_interval();
    let bytes = cityrank_publish::xlsx::workbook(&ed);
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let raw = wb.worksheet_range("Raw values").unwrap();
    let header_row = if ed.spec.spec.meta.notice.is_some() {
        3
    } else {
        2
    };
    // Every assessed city below the header, the excluded ones with their reason.
    assert_eq!(
        raw.height() as u32,
        header_row + 1 + ed.results.assessed as u32
    );
    let e = &ed.results.excluded[0];
    let row = raw
        .rows()
        .find(|r| r[0].to_string() == e.unit)
        .expect("an excluded city is listed");
    assert_eq!(row[2].to_string(), "no");
    assert_eq!(row[3].to_string(), e.reason);
    let iv = wb.worksheet_range("Rank intervals").unwrap();
    let row = iv.rows().find(|r| r[0].to_string() == "500000").unwrap();
    assert_eq!(row[4].to_string(), "5");
    assert_eq!(row[5].to_string(), "12");
}
