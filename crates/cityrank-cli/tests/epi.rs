//! The engine against a real published index: the EPI 2020 recomputed from its indicator scores.

use crate::root;
use std::collections::HashMap;

const NODES: [&str; 14] = [
    "EPI", "HLT", "ECO", "AIR", "H2O", "HMT", "WMG", "BDH", "ECS", "FSH", "CCH", "APE", "AGR",
    "WRS",
];

fn published() -> (Vec<String>, Vec<HashMap<String, String>>) {
    let path = root().join("examples/epi2020/data/results/epi2020results20200604.csv");
    let mut rdr = csv::Reader::from_path(&path).unwrap_or_else(|e| {
        panic!(
            "the EPI results ship with the example at {}: {e}",
            path.display()
        )
    });
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let rows = rdr
        .records()
        .map(|r| {
            headers
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect();
    (headers, rows)
}

#[test]
fn every_node_of_every_country_matches_the_published_epi() {
    let (spec, data) =
        cityrank_io::load(&root().join("examples/epi2020/spec.toml")).expect("load EPI spec");
    let res = cityrank_io::build(&spec, &data).expect("build");
    let fw = &spec.framework;
    let (_, rows) = published();
    assert_eq!(rows.len(), 180);
    assert_eq!(res.n_units(), 180);
    let (mut checked, mut worst) = (0, 0.0f64);
    for row in &rows {
        let i = res.unit_index(&row["iso"]).expect("country built");
        for code in NODES {
            let k = fw.find(code).expect("node in spec");
            let ours = res.score(i, k);
            match row[&format!("{code}.new")].as_str() {
                "NA" => assert!(
                    ours.is_nan(),
                    "{} {code}: published NA, built {ours}",
                    row["iso"]
                ),
                v => {
                    let p: f64 = v.parse().unwrap();
                    let d = (ours - p).abs();
                    worst = worst.max(d);
                    assert!(
                        d <= 0.05 + 1e-9,
                        "{} {code}: built {ours}, published {p}",
                        row["iso"]
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 2400, "compared {checked} values");
    eprintln!("EPI: {checked} node scores compared, largest difference {worst:.4}");
}

#[test]
fn epi_ranks_match_the_published_ranks() {
    let (spec, data) =
        cityrank_io::load(&root().join("examples/epi2020/spec.toml")).expect("load EPI spec");
    let res = cityrank_io::build(&spec, &data).expect("build");
    let k = spec.framework.find("EPI").unwrap();
    let (_, rows) = published();
    for row in &rows {
        let i = res.unit_index(&row["iso"]).unwrap();
        let want: u32 = row["EPI.rnk.new"].parse().unwrap();
        assert_eq!(res.rank(i, k), Some(want), "{}", row["iso"]);
    }
}
