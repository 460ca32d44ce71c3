//! The example of the rules of real indices (`examples/rules`), read from its files and built,
//! against values worked by hand from its data.

use cityrank_io::{build, load_data, load_spec};
use std::path::Path;

fn example() -> (cityrank_io::LoadedSpec, cityrank_io::LoadedData) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/rules/spec.toml");
    let spec = load_spec(&path).unwrap_or_else(|e| panic!("{e}"));
    let data = load_data(&spec).unwrap_or_else(|e| panic!("{e}"));
    (spec, data)
}

#[test]
fn the_rules_example_by_hand() {
    let (spec, data) = example();
    // Missing cells: 17 empty cells, of which cargo for the inland c2, c5, c6 and museums for
    // the units without any (c2, c4, c5, c7: Culture applies to units with data) do not apply.
    assert_eq!(data.missing_cells, 17 - 3 - 4);
    let r = build(&spec, &data).unwrap_or_else(|e| panic!("{e}"));
    let fw = &spec.framework;
    let ids: Vec<&str> = r.units.iter().map(|u| u.id.as_str()).collect();
    // Jobs imputed first, over all seven cities: (60 + 40 + 80 + 20 + 50) / 5 = 50 for c5, c7.
    // Coverage of the applicable indicators, after imputation: c3 has 3 of 6 (50% < 75%),
    // excluded; c5 has 2 of 4 (jobs imputed, income), 50%, enough for a city ranked in 2019;
    // c7 has 2 of 5 (40%) and is forced in.
    assert_eq!(ids, ["c1", "c2", "c4", "c5", "c6", "c7"]);
    assert_eq!(
        r.excluded[0].reason,
        "data for 3 of 6 indicators (50%), below the 75% required"
    );
    assert_eq!(r.log.screen.forced_in, ["c7"]);
    let at = |unit: &str, node: &str| r.score(r.unit_index(unit).unwrap(), fw.find(node).unwrap());
    // Economy, over the applicable indicators, rounded to 1 decimal:
    // c1 (60 + 70 + 80) / 3 = 70; c2 (40 + 50) / 2 = 45 (cargo does not apply);
    // c4 (20 + 30 + 60) / 3 = 36.667 -> 36.7; c5 (50 + 40) / 2 = 45; c6 55; c7 (50 + 10) / 2 = 30.
    for (u, v) in [
        ("c1", 70.0),
        ("c2", 45.0),
        ("c4", 36.7),
        ("c5", 45.0),
        ("c6", 55.0),
        ("c7", 30.0),
    ] {
        assert_eq!(at(u, "ECON"), v, "{u}");
    }
    // Environment: c1 45, c2 65, c4 85; c6 computes 25 but its published 27.5 replaces it.
    // c5 and c7 have none: the South mean of c4 and c6, (85 + 27.5) / 2 = 56.25 -> 56.3.
    for (u, v) in [
        ("c1", 45.0),
        ("c2", 65.0),
        ("c4", 85.0),
        ("c6", 27.5),
        ("c5", 56.3),
        ("c7", 56.3),
    ] {
        assert_eq!(at(u, "ENV"), v, "{u}");
    }
    assert_eq!(r.log.overrides.len(), 1);
    assert_eq!(
        (r.log.overrides[0].computed, r.log.overrides[0].published),
        (25.0, 27.5)
    );
    // The index over the dimensions that apply: c1 (70 + 45 + 90) / 3 = 68.333;
    // c2 (45 + 65) / 2 = 55; c4 (36.7 + 85) / 2 = 60.85; c5 (45 + 56.3) / 2 = 50.65;
    // c6 (55 + 27.5 + 70) / 3 = 50.833; c7 (30 + 56.3) / 2 = 43.15.
    let want = [
        ("c1", 205.0 / 3.0),
        ("c2", 55.0),
        ("c4", 60.85),
        ("c5", 50.65),
        ("c6", 152.5 / 3.0),
        ("c7", 43.15),
    ];
    for (u, v) in want {
        assert!((at(u, "CITY") - v).abs() < 1e-9, "{u}: {}", at(u, "CITY"));
    }
    let order: Vec<&str> = r
        .ranking(fw.root)
        .iter()
        .map(|&i| r.units[i].id.as_str())
        .collect();
    assert_eq!(order, ["c1", "c4", "c2", "c6", "c5", "c7"]);
    // Filled values: jobs of c5 and c7, Environment of c5 and c7.
    let filled: Vec<(&str, &str)> = r
        .log
        .impute
        .imputed
        .iter()
        .map(|m| (m.unit.as_str(), m.indicator.as_str()))
        .collect();
    assert_eq!(
        filled,
        [("c5", "jobs"), ("c7", "jobs"), ("c5", "ENV"), ("c7", "ENV")]
    );
}

#[test]
fn a_published_column_for_an_unknown_node_names_the_spec() {
    let (mut spec, _) = example();
    spec.spec.data[1].columns = [("ENVX".to_string(), "ENV_official".to_string())].into();
    let e = load_data(&spec).unwrap_err().to_string();
    assert!(
        e.contains("`ENVX`, which is neither an indicator nor a node"),
        "{e}"
    );
    assert!(e.contains("did you mean"), "{e}");
}

#[test]
fn a_bad_published_cell_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/rules");
    std::fs::create_dir(dir.path().join("data")).unwrap();
    for f in ["spec.toml", "data/units.csv", "data/scores.csv"] {
        std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
    }
    let published = std::fs::read_to_string(src.join("data/published.csv"))
        .unwrap()
        .replace("c6,27.5", "c6,about 27");
    std::fs::write(dir.path().join("data/published.csv"), published).unwrap();
    let spec = load_spec(&dir.path().join("spec.toml")).unwrap();
    let e = load_data(&spec).unwrap_err().to_string();
    assert!(
        e.contains("published.csv:7") && e.contains("ENV_official"),
        "{e}"
    );
}

/// The EPI 2020 publishes Fisheries and Marine protected areas as NA for landlocked countries,
/// and its spec relies on missing children being skipped. `applies_to = { with_data = true }`
/// says what the NA means: the scores stay the same to the last bit, and those cells are no
/// longer counted as missing.
#[test]
fn epi_marine_indicators_as_not_applicable() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/epi2020/spec.toml");
    let (spec, data) = cityrank_io::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let before = build(&spec, &data).unwrap();
    let mut rules = spec.clone();
    let with_data = Some(cityrank_core::spec::AppliesTo {
        with_data: true,
        ..Default::default()
    });
    rules
        .spec
        .nodes
        .iter_mut()
        .find(|n| n.id == "FSH")
        .unwrap()
        .applies_to = with_data.clone();
    rules
        .spec
        .indicators
        .iter_mut()
        .find(|i| i.id == "MPA")
        .unwrap()
        .applies_to = with_data;
    rules.framework = cityrank_core::Framework::from_spec(&rules.spec).unwrap();
    let rules_data = load_data(&rules).unwrap();
    let after = build(&rules, &rules_data).unwrap();
    assert_eq!(before.scores.values.len(), after.scores.values.len());
    for (a, b) in before.scores.values.iter().zip(&after.scores.values) {
        assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()));
    }
    assert_eq!(before.ranks, after.ranks);
    let na = after
        .applicable
        .not_applicable_cells(rules.framework.n_indicators);
    assert!(na > 0);
    assert_eq!(rules_data.missing_cells, data.missing_cells - na);
}
