//! The self-contained report.

use crate::common::{edition, hostile_edition, HOSTILE};
use cityrank_publish::report;

#[test]
fn report_is_self_contained_and_labelled() {
    let (ed, prev) = (edition("2021"), edition("2020"));
    let html = report::render(&ed, Some(&prev)).unwrap();
    assert!(html.contains("ILLUSTRATIVE DATA"));
    assert!(html.contains("2021中国区块链城市创新发展指数"));
    for tag in html.match_indices("<script").map(|(k, _)| &html[k..k + 40]) {
        assert!(
            tag.starts_with("<script>") || tag.starts_with("<script type=\"application/json\""),
            "only the report's own inline scripts and data: {tag}"
        );
    }
    assert!(
        !html.contains("rel=\"stylesheet\""),
        "no external style sheet or font"
    );
    for remote in ["src=\"http", "href=\"http", "url(", "@import", "@font-face"] {
        assert!(
            !html.contains(remote),
            "nothing is loaded from the network: {remote}"
        );
    }
    assert!(html.contains("data:text/csv;base64,"));
    assert!(html.contains("id=\"city-110000\""));
}

#[test]
fn changes_are_shown_only_between_comparable_editions() {
    let (ed, prev) = (edition("2021"), edition("2020"));
    let html = report::render(&ed, Some(&prev)).unwrap();
    assert!(
        html.contains("class=\"up\">▲1</span>"),
        "Hangzhou rose from 4th to 3rd"
    );
    let mut other = edition("2020");
    other.spec.spec.meta.framework_version = Some("2.0".into());
    let html = report::render(&ed, Some(&other)).unwrap();
    assert!(html.contains("not comparable: framework version 1.0 vs 2.0"));
    assert!(!html.contains("class=\"up\">▲"));
}

#[test]
fn city_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let ed = hostile_edition(dir.path());
    let html = report::render(&ed, None).unwrap();
    assert!(!html.contains(HOSTILE));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}
