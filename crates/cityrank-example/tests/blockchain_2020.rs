//! The bundled 2020 blockchain example: committed CSVs are the generator's output,
//! and the example's method applied to them reproduces the published facts.

use std::collections::HashMap;
use std::path::PathBuf;

use cityrank_example::{cities_csv, generate, indicators_csv, GeneratorSettings, Status};

fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/blockchain-2020")
}

fn settings() -> GeneratorSettings {
    GeneratorSettings::load(&example_dir().join("generator.toml")).expect("generator.toml")
}

/// Set CITYRANK_BLESS=1 to rewrite the committed CSVs after changing the generator.
#[test]
fn committed_csvs_are_the_generator_output() {
    let data = generate(&settings()).expect("generate");
    let dir = example_dir().join("data");
    if std::env::var_os("CITYRANK_BLESS").is_some() {
        cityrank_example::write_csvs(&data, &dir).expect("write");
    }
    let cities = std::fs::read_to_string(dir.join("cities.csv")).expect("cities.csv");
    let indicators = std::fs::read_to_string(dir.join("indicators.csv")).expect("indicators.csv");
    assert!(
        cities == cities_csv(&data),
        "cities.csv differs from the generator"
    );
    assert!(
        indicators == indicators_csv(&data),
        "indicators.csv differs from the generator"
    );
}

#[test]
fn generation_is_deterministic_and_seeded() {
    let s = settings();
    let a = generate(&s).unwrap();
    assert_eq!(a, generate(&s).unwrap());
    let mut other = s.clone();
    other.seed += 1;
    assert_ne!(a.values, generate(&other).unwrap().values);
}

#[test]
fn label_says_illustrative() {
    assert!(settings().label.contains("ILLUSTRATIVE"));
}

#[test]
fn targets_match_screening_plan() {
    let data = generate(&settings()).unwrap();
    let ranked = data
        .plan
        .targets
        .iter()
        .filter(|t| t.status.is_ranked())
        .count();
    assert_eq!(ranked, 83);
    let mut slots: Vec<usize> = data
        .plan
        .targets
        .iter()
        .filter_map(|t| match t.status {
            Status::Ranked { slot } => Some(slot),
            _ => None,
        })
        .collect();
    slots.sort();
    assert_eq!(slots, (1..=83).collect::<Vec<_>>());
}

// ---- a small, independent forward model of the example's method ----

struct Ranking {
    /// unit -> (overall, [RD, IND, PUB, POL]) for ranked cities.
    scores: HashMap<u32, (f64, [f64; 4])>,
    excluded_too_few: usize,
    excluded_dimension: usize,
}

impl Ranking {
    fn rank(&self, unit: u32, node: Option<usize>) -> usize {
        let pick = |s: &(f64, [f64; 4])| round2(node.map_or(s.0, |d| s.1[d]));
        let mine = pick(&self.scores[&unit]);
        1 + self.scores.values().filter(|s| pick(s) > mine).count()
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn forward_model() -> Ranking {
    let path = example_dir().join("data/indicators.csv");
    let mut rdr = csv::Reader::from_path(path).expect("indicators.csv");
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let dim_of: Vec<usize> = header[1..]
        .iter()
        .map(|h| match h.split('_').next().unwrap() {
            "rd" => 0,
            "ind" => 1,
            "pub" => 2,
            "pol" => 3,
            other => panic!("unknown dimension prefix {other}"),
        })
        .collect();
    let n = dim_of.len();
    let mut rows: Vec<(u32, Vec<Option<f64>>)> = Vec::new();
    let (mut too_few, mut no_dim) = (0, 0);
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let unit: u32 = rec[0].parse().unwrap();
        let vals: Vec<Option<f64>> = (1..=n)
            .map(|j| (!rec[j].is_empty()).then(|| rec[j].parse::<f64>().unwrap()))
            .collect();
        let present = vals.iter().filter(|v| v.is_some()).count();
        let dims_ok = (0..4).all(|d| (0..n).any(|j| dim_of[j] == d && vals[j].is_some()));
        if present * 3 < n * 2 {
            too_few += 1;
        } else if !dims_ok {
            no_dim += 1;
        } else {
            rows.push((unit, vals.iter().map(|v| v.map(f64::ln_1p)).collect()));
        }
    }
    let max: Vec<f64> = (0..n)
        .map(|j| rows.iter().filter_map(|r| r.1[j]).fold(0.0, f64::max))
        .collect();
    let raw: Vec<[f64; 4]> = rows
        .iter()
        .map(|(_, t)| {
            let mut dims = [0.0; 4];
            for (d, slot) in dims.iter_mut().enumerate() {
                let s: Vec<f64> = (0..n)
                    .filter(|&j| dim_of[j] == d)
                    .filter_map(|j| t[j].map(|x| 100.0 * x / max[j]))
                    .collect();
                *slot = s.iter().sum::<f64>() / s.len() as f64;
            }
            dims
        })
        .collect();
    let dmax: Vec<f64> = (0..4)
        .map(|d| raw.iter().map(|r| r[d]).fold(0.0, f64::max))
        .collect();
    let scores = rows
        .iter()
        .zip(&raw)
        .map(|((unit, _), r)| {
            let dims: [f64; 4] = std::array::from_fn(|d| r[d] * 100.0 / dmax[d]);
            (*unit, (dims.iter().sum::<f64>() / 4.0, dims))
        })
        .collect();
    Ranking {
        scores,
        excluded_too_few: too_few,
        excluded_dimension: no_dim,
    }
}

#[test]
fn ranks_follow_the_planned_slots() {
    let data = generate(&settings()).unwrap();
    let r = forward_model();
    for t in &data.plan.targets {
        if let Status::Ranked { slot } = t.status {
            let rank = r.rank(t.unit, None);
            assert!(
                rank.abs_diff(slot) <= 2,
                "{}: rank {rank}, slot {slot}",
                t.unit
            );
            assert!((r.scores[&t.unit].0 - t.overall).abs() < 0.5, "{}", t.unit);
        }
    }
}

const BEIJING: u32 = 110000;
const SHENZHEN: u32 = 440300;
const SHANGHAI: u32 = 310000;
const HANGZHOU: u32 = 330100;
const GUANGZHOU: u32 = 440100;
const CHONGQING: u32 = 500000;
const JIUJIANG: u32 = 360400;

#[test]
fn screening_ranks_83_and_excludes_17_for_both_reasons() {
    let r = forward_model();
    assert_eq!(r.scores.len(), 83);
    assert_eq!(r.excluded_too_few + r.excluded_dimension, 17);
    assert!(r.excluded_too_few > 0 && r.excluded_dimension > 0);
}

#[test]
fn published_overall_scores_and_ranks() {
    let r = forward_model();
    for (unit, score, rank) in [
        (BEIJING, 99.82, 1),
        (SHENZHEN, 91.2, 2),
        (SHANGHAI, 87.9, 3),
        (HANGZHOU, 86.5, 4),
        (GUANGZHOU, 77.0, 5),
    ] {
        let got = round2(r.scores[&unit].0);
        assert!((got - score).abs() <= 0.5, "{unit}: {got} vs {score}");
        assert_eq!(r.rank(unit, None), rank, "{unit}");
    }
    assert!(r.scores[&SHANGHAI].0 < 88.0, "Shanghai just under 88");
}

#[test]
fn published_dimension_leaders() {
    let r = forward_model();
    for d in 0..3 {
        assert_eq!(round2(r.scores[&BEIJING].1[d]), 100.0);
        assert_eq!(r.rank(BEIJING, Some(d)), 1);
    }
    assert_eq!(round2(r.scores[&CHONGQING].1[3]), 100.0);
    assert_eq!(r.rank(CHONGQING, Some(3)), 1);
    let others_at_100 = r
        .scores
        .iter()
        .filter(|(u, s)| **u != CHONGQING && round2(s.1[3]) >= 100.0)
        .count();
    assert_eq!(others_at_100, 0, "Chongqing alone first on policy");
}

#[test]
fn jiujiang_in_top_50_below_36() {
    let r = forward_model();
    let score = round2(r.scores[&JIUJIANG].0);
    assert!(score < 36.0, "Jiujiang {score}");
    assert!(r.rank(JIUJIANG, None) <= 50);
    let fiftieth = r
        .scores
        .keys()
        .filter(|&&u| r.rank(u, None) <= 50)
        .map(|u| round2(r.scores[u].0))
        .fold(f64::INFINITY, f64::min);
    assert!(fiftieth < 36.0);
}

/// A `published.csv` cell: empty, a number, or a bound such as `<36` or `<=50`.
fn satisfies(cell: &str, got: f64, tolerance: f64) -> bool {
    let bound = |prefix: &str| cell.strip_prefix(prefix).map(|v| v.parse::<f64>().unwrap());
    if cell.is_empty() {
        true
    } else if let Some(v) = bound("<=") {
        got <= v
    } else if let Some(v) = bound(">=") {
        got >= v
    } else if let Some(v) = bound("<") {
        got < v
    } else if let Some(v) = bound(">") {
        got > v
    } else {
        (got - cell.parse::<f64>().unwrap()).abs() <= tolerance
    }
}

#[test]
fn every_published_fact_holds() {
    let r = forward_model();
    let mut rdr = csv::Reader::from_path(example_dir().join("published.csv")).unwrap();
    assert_eq!(
        rdr.headers().unwrap(),
        vec!["unit", "name", "node", "score", "rank", "source"]
    );
    let mut n = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let unit: u32 = rec[0].parse().unwrap();
        let node = ["RD", "IND", "PUB", "POL"]
            .iter()
            .position(|d| *d == &rec[2]);
        assert!(node.is_some() || &rec[2] == "OVERALL", "node {}", &rec[2]);
        let s = &r.scores[&unit];
        let score = round2(node.map_or(s.0, |d| s.1[d]));
        let rank = r.rank(unit, node) as f64;
        assert!(
            satisfies(&rec[3], score, 0.5),
            "{unit} {}: score {score}",
            &rec[2]
        );
        assert!(
            satisfies(&rec[4], rank, 0.0),
            "{unit} {}: rank {rank}",
            &rec[2]
        );
        assert!(rec[5].starts_with("2020中国区块链城市创新发展指数"));
        n += 1;
    }
    assert_eq!(n, 10);
}
