//! MCDA aggregations against worked examples, and as node aggregations in a build.
//!
//! The decision matrix is the fighter-aircraft example of Hwang & Yoon (1981, "Multiple
//! Attribute Decision Making", Springer LNEMS 186): four aircraft, six attributes (maximum
//! speed, ferry range, maximum payload, cost [a cost attribute], reliability,
//! manoeuvrability), weights (0.2, 0.1, 0.1, 0.1, 0.2, 0.3). Their TOPSIS closeness values are
//! the book's; the other methods' figures on the same matrix were computed independently
//! (numpy and pymcdm 1.x agree to 1e-8 for VIKOR and PROMETHEE II).

use crate::common;
use cityrank_core::spec::{Aggregate, Preference, TopsisNormalisation};
use cityrank_core::steps::mcda::{self, Criterion};

pub fn aircraft() -> (Vec<Vec<f64>>, Vec<f64>, Vec<bool>) {
    let rows = [
        [2.0, 1500.0, 20000.0, 5.5, 5.0, 9.0],
        [2.5, 2700.0, 18000.0, 6.5, 3.0, 5.0],
        [1.8, 2000.0, 21000.0, 4.5, 7.0, 7.0],
        [2.2, 1800.0, 20000.0, 5.0, 5.0, 5.0],
    ];
    let cols = (0..6)
        .map(|j| rows.iter().map(|r| r[j]).collect())
        .collect();
    let w = vec![0.2, 0.1, 0.1, 0.1, 0.2, 0.3];
    let benefit = vec![true, true, true, false, true, true];
    (cols, w, benefit)
}

fn near(got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < tol, "got {got:?}, want {want:?}");
    }
}

#[test]
fn topsis_matches_hwang_and_yoon() {
    let (cols, w, b) = aircraft();
    // Relative closeness C* as published: A1 0.643, A2 0.268 (A3 0.614, A4 0.312).
    near(
        &mcda::topsis(&cols, &w, &b),
        &[0.643, 0.268, 0.614, 0.312],
        5e-4,
    );
}

#[test]
fn vikor_on_the_aircraft_matrix() {
    let (cols, w, b) = aircraft();
    let v = mcda::vikor(&cols, &w, &b, 0.5);
    near(&v.s, &[0.426190, 0.7, 0.408333, 0.619048], 1e-6);
    near(&v.r, &[0.142857, 0.3, 0.2, 0.3], 1e-6);
    near(&v.q, &[0.030612, 1.0, 0.181818, 0.861224], 1e-6);
}

#[test]
fn promethee_ii_usual_criterion_on_the_aircraft_matrix() {
    let (cols, w, b) = aircraft();
    let c = vec![Criterion::new(Preference::Usual, 0.0, 0.0, 0.0); 6];
    near(
        &mcda::net_flows(&cols, &w, &b, &c),
        &[0.1, -0.3, 1.0 / 3.0, -0.4 / 3.0],
        1e-12,
    );
}

#[test]
fn promethee_preference_functions() {
    let c = |k, q, p, s| Criterion::new(k, q, p, s);
    assert_eq!(
        mcda::preference(&c(Preference::UShape, 1.0, 0.0, 0.0), 1.0),
        0.0
    );
    assert_eq!(
        mcda::preference(&c(Preference::VShape, 0.0, 4.0, 0.0), 1.0),
        0.25
    );
    assert_eq!(
        mcda::preference(&c(Preference::Level, 1.0, 3.0, 0.0), 2.0),
        0.5
    );
    assert_eq!(
        mcda::preference(&c(Preference::Linear, 1.0, 3.0, 0.0), 2.0),
        0.5
    );
    let g = mcda::preference(&c(Preference::Gaussian, 0.0, 0.0, 1.0), 1.0);
    assert!((g - (1.0 - (-0.5f64).exp())).abs() < 1e-15);
}

#[test]
fn grey_relational_grades_on_the_aircraft_matrix() {
    let (cols, w, b) = aircraft();
    let g = mcda::grey_relational(&cols, &w, &b, 0.5);
    near(&g, &[0.625686, 0.533333, 0.662821, 0.474359], 1e-6);
}

#[test]
fn copeland_counts_pairwise_majorities() {
    let (cols, w, b) = aircraft();
    // A3 beats A1 on weight 0.6 and so on; wins minus losses.
    assert_eq!(mcda::copeland(&cols, &w, &b), vec![0.0, -3.0, 2.0, 1.0]);
}

#[test]
fn copeland_is_not_compensatory() {
    // Unit 0 leads hugely on one criterion, unit 1 narrowly on the two others.
    let cols = vec![vec![100.0, 0.0], vec![10.0, 11.0], vec![10.0, 11.0]];
    let w = vec![1.0 / 3.0; 3];
    assert_eq!(mcda::copeland(&cols, &w, &[true; 3]), vec![-1.0, 1.0]);
}

#[test]
fn mcda_index_aggregations_build_and_parse() {
    let rows = [
        [1.0, 5.0, 3.0],
        [2.0, 4.0, 9.0],
        [3.0, 1.0, 6.0],
        [4.0, 2.0, 2.0],
    ];
    let d = common::data(&rows);
    for m in [
        "\"topsis\"",
        "{ method = \"vikor\" }",
        "{ method = \"promethee_ii\", preference = \"linear\", q = 5, p = 30 }",
        "{ method = \"grey_relational\", rho = 0.5 }",
        "\"copeland\"",
    ] {
        let s = common::spec(&format!("[defaults]\naggregate = {m}\n"));
        let r = common::build(&s, &d);
        let fw = cityrank_core::Framework::from_spec(&s).unwrap();
        for i in 0..4 {
            let v = r.scores.get(i, fw.root);
            assert!((0.0..=100.0).contains(&v), "{m}: {v}");
        }
    }
}

#[test]
fn mcda_nodes_need_complete_children() {
    let rows = [
        [1.0, 5.0, 3.0],
        [2.0, f64::NAN, 9.0],
        [3.0, 1.0, 6.0],
        [4.0, 2.0, 2.0],
    ];
    // TOPSIS at the dimensions; the index (arithmetic) scores u1 on D2 alone.
    let s = common::spec("[[level]]\nlevel = 2\nname = \"Dimension\"\naggregate = \"topsis\"\n");
    let r = common::build(&s, &common::data(&rows));
    let fw = cityrank_core::Framework::from_spec(&s).unwrap();
    let d1 = fw.find("D1").unwrap();
    assert!(r.scores.get(1, d1).is_nan());
    assert!(!r.scores.get(0, d1).is_nan());
}

#[test]
fn a_child_nobody_has_is_not_a_criterion() {
    let cols: Vec<&[f64]> = vec![&[1.0, 2.0, 3.0], &[f64::NAN; 3]];
    let mut out = vec![0.0; 3];
    mcda::aggregate(
        &cols,
        &["a", "b"],
        &[0.5, 0.5],
        Aggregate::Topsis {
            normalisation: TopsisNormalisation::Vector,
        },
        &mut out,
    );
    assert!(out.iter().all(|v| !v.is_nan()));
    assert!(out[2] > out[1] && out[1] > out[0]);
}
