//! The bundled 2020 example tells the story of the real release.

use crate::root;
use cityrank_core::Results;

fn built() -> (cityrank_io::LoadedSpec, Results) {
    let (spec, data) = cityrank_sources::load(
        &root().join("examples/blockchain-2020/spec.toml"),
        &Default::default(),
    )
    .expect("load");
    let res = cityrank_io::build(&spec, &data).expect("build");
    (spec, res)
}

#[test]
fn the_records_give_exactly_the_generators_indicator_values() {
    let dir = root().join("examples/blockchain-2020");
    let (spec, from_records) =
        cityrank_sources::load(&dir.join("spec.toml"), &Default::default()).expect("load");
    // The same spec reading the generator's table instead of the records.
    let table_spec = spec.clone().with_indicator_table("data/indicators.csv");
    let from_table = cityrank_io::load_data(&table_spec).expect("table loads");
    let (a, b) = (
        &from_records.dataset.values.values,
        &from_table.dataset.values.values,
    );
    assert_eq!(a.len(), 1600);
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            x == y || (x.is_nan() && y.is_nan()),
            "cell {k}: records give {x}, the table {y}"
        );
    }
    let prov = &from_records.extra["records"];
    assert_eq!(prov["sources"].as_object().unwrap().len(), 16);
    let unresolved: u64 = prov["sources"]
        .as_object()
        .unwrap()
        .values()
        .map(|s| s["rows_unresolved"].as_u64().unwrap())
        .sum();
    assert!(
        unresolved > 0,
        "messy strings that name no city are counted, not dropped"
    );
}

#[test]
fn the_spec_holds_the_generated_record_definitions() {
    let dir = root().join("examples/blockchain-2020");
    let spec = cityrank_io::load_spec(&dir.join("spec.toml")).unwrap();
    let generated: cityrank_core::spec::records::RecordsSpec =
        toml::from_str(&std::fs::read_to_string(dir.join("records.toml")).unwrap()).unwrap();
    assert_eq!(
        spec.spec.records().unwrap(),
        generated,
        "spec.toml and the generator's records.toml disagree"
    );
}

/// Checks a published figure that may be a number, or a bound such as `<88` or `<=50`.
fn meets(published: &str, ours: f64, tolerance: f64) -> bool {
    if let Some(v) = published.strip_prefix("<=") {
        ours <= v.parse::<f64>().unwrap()
    } else if let Some(v) = published.strip_prefix('<') {
        ours < v.parse::<f64>().unwrap()
    } else {
        (ours - published.parse::<f64>().unwrap()).abs() <= tolerance
    }
}

#[test]
fn the_published_facts_hold() {
    let (spec, res) = built();
    let fw = &spec.framework;
    assert_eq!(res.assessed, 100);
    assert_eq!(res.n_units(), 83);
    assert_eq!(res.excluded.len(), 17);
    let mut rdr =
        csv::Reader::from_path(root().join("examples/blockchain-2020/published.csv")).unwrap();
    let mut facts = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let (unit, node, score, rank) = (&rec[0], &rec[2], &rec[3], &rec[4]);
        let i = res
            .unit_index(unit)
            .unwrap_or_else(|| panic!("{unit} is ranked"));
        let k = if node == "OVERALL" {
            fw.root
        } else {
            fw.find(node).unwrap()
        };
        let s = cityrank_core::steps::rank::round_to(res.score(i, k), 2);
        if !score.is_empty() {
            assert!(
                meets(score, s, 0.5),
                "{unit} {node}: built {s}, published {score}"
            );
            facts += 1;
        }
        if !rank.is_empty() {
            let r = res.rank(i, k).unwrap() as f64;
            assert!(
                meets(rank, r, 0.0),
                "{unit} {node}: rank {r}, published {rank}"
            );
            facts += 1;
        }
    }
    assert!(facts >= 15);
    let shanghai = res.unit_index("310000").unwrap();
    assert!(
        res.score(shanghai, fw.root) > 87.5,
        "just under 88, not far under"
    );
}

#[test]
fn every_exclusion_has_a_reason() {
    let (_, res) = built();
    assert!(res
        .excluded
        .iter()
        .all(|e| e.reason.starts_with("data for")));
    let whole_dimension = res
        .excluded
        .iter()
        .filter(|e| e.reason.contains("data for 0 of 4 indicators in"))
        .count();
    assert!(
        whole_dimension > 0 && whole_dimension < 17,
        "a mix of reasons"
    );
}

#[test]
fn a_profile_names_three_strengths_and_weaknesses() {
    let (spec, res) = built();
    let i = res.unit_index("360400").unwrap();
    let p = cityrank_core::explain::profile(&res, &spec.framework, i, 3);
    assert_eq!(p.strengths.len(), 3);
    assert_eq!(p.weaknesses.len(), 3);
    assert_eq!(p.nodes[0].node, "BCI");
    let best = p
        .indicators
        .iter()
        .find(|l| l.indicator == p.strengths[0])
        .unwrap()
        .rank
        .unwrap();
    assert!(p
        .indicators
        .iter()
        .filter_map(|l| l.rank)
        .all(|r| r >= best));
}
