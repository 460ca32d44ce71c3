//! Data-driven weights against worked examples, through the spec, and MCDA aggregations as
//! uncertainty alternatives.

use crate::common::variant;
use cityrank_analysis::{replay, uncertainty};
use cityrank_core::steps::weighting::{self, ahp, budget, critic, entropy, optimised, pca, sd};

fn near(got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < tol, "got {got:?}, want {want:?}");
    }
}

/// Hwang & Yoon's (1981) fighter-aircraft matrix, as columns; attribute 4 (cost) is a cost.
fn aircraft() -> Vec<Vec<f64>> {
    let rows = [
        [2.0, 1500.0, 20000.0, 5.5, 5.0, 9.0],
        [2.5, 2700.0, 18000.0, 6.5, 3.0, 5.0],
        [1.8, 2000.0, 21000.0, 4.5, 7.0, 7.0],
        [2.2, 1800.0, 20000.0, 5.0, 5.0, 5.0],
    ];
    (0..6)
        .map(|j| rows.iter().map(|r| r[j]).collect())
        .collect()
}

/// Saaty (1990), "How to make a decision: the analytic hierarchy process", EJOR 48, 9-26:
/// the house-buying criteria (size, transportation, neighbourhood, age, yard, modern
/// facilities, general condition, financing). Published priorities 0.173, 0.054, 0.188,
/// 0.018, 0.031, 0.036, 0.167, 0.333; lambda_max 9.669, CI 0.238, CR 0.169.
fn saaty_house() -> Vec<Vec<f64>> {
    let t = 1.0 / 3.0;
    vec![
        vec![1.0, 5.0, 3.0, 7.0, 6.0, 6.0, t, 0.25],
        vec![0.2, 1.0, t, 5.0, 3.0, 3.0, 0.2, 1.0 / 7.0],
        vec![t, 3.0, 1.0, 6.0, 3.0, 4.0, 6.0, 0.2],
        vec![1.0 / 7.0, 0.2, 1.0 / 6.0, 1.0, t, 0.25, 1.0 / 7.0, 0.125],
        vec![1.0 / 6.0, t, t, 3.0, 1.0, 0.5, 0.2, 1.0 / 6.0],
        vec![1.0 / 6.0, t, 0.25, 4.0, 2.0, 1.0, 0.2, 1.0 / 6.0],
        vec![3.0, 5.0, 1.0 / 6.0, 7.0, 5.0, 5.0, 1.0, 0.5],
        vec![4.0, 7.0, 5.0, 8.0, 6.0, 6.0, 2.0, 1.0],
    ]
}

#[test]
fn ahp_matches_saaty_1990() {
    let a = ahp::ahp(&saaty_house()).unwrap();
    near(
        &a.weights,
        &[0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333],
        5e-4,
    );
    assert!((a.lambda_max - 9.669).abs() < 5e-4);
    assert!((a.ci - 0.238).abs() < 5e-4);
    assert!((a.cr - 0.169).abs() < 5e-4);
}

#[test]
fn ahp_refuses_inconsistent_judgements_unless_allowed() {
    use cityrank_core::spec::{Table, Weighting};
    let matrix = Table::from_rows(saaty_house()).unwrap();
    let cols = vec![vec![0.0]; 8];
    let strict = Weighting::Ahp {
        matrix,
        allow_inconsistent: false,
    };
    let e = weighting::compute(strict, &cols, &[1.0; 8]).unwrap_err();
    assert!(e.contains("CR 0.1691"), "{e}");
    let lax = Weighting::Ahp {
        matrix,
        allow_inconsistent: true,
    };
    assert!(weighting::compute(lax, &cols, &[1.0; 8]).is_ok());
    // A consistent matrix: priorities are its ratios exactly.
    let a = ahp::ahp(&[
        vec![1.0, 2.0, 4.0],
        vec![0.5, 1.0, 2.0],
        vec![0.25, 0.5, 1.0],
    ])
    .unwrap();
    near(&a.weights, &[4.0 / 7.0, 2.0 / 7.0, 1.0 / 7.0], 1e-12);
    assert!(a.cr.abs() < 1e-12);
}

#[test]
fn ahp_rejects_a_non_reciprocal_matrix() {
    assert!(ahp::ahp(&[vec![1.0, 2.0], vec![2.0, 1.0]]).is_err());
}

#[test]
fn entropy_on_the_aircraft_matrix() {
    // Computed independently (numpy; pymcdm's entropy_weights agrees to 1e-8).
    let w = entropy::entropy(&aircraft()).unwrap();
    near(
        &w,
        &[0.064190, 0.206088, 0.013445, 0.081326, 0.358680, 0.276272],
        1e-6,
    );
    let mm = entropy::entropy_min_max(&aircraft()).unwrap();
    assert!((mm[0] - w[0]).abs() > 0.01, "the min-max variant differs");
    assert!(entropy::entropy(&[vec![-1.0, 2.0]]).is_err());
}

#[test]
fn critic_and_sd_on_the_aircraft_matrix() {
    // Diakoulaki et al. (1995) definitions, computed independently with numpy: min-max from
    // worst to best (cost reversed), C_j = sd_j sum_k (1 - r_jk).
    let b = [true, true, true, false, true, true];
    let w = critic::critic(&aircraft(), &b).unwrap();
    near(
        &w,
        &[0.235874, 0.208818, 0.127000, 0.130615, 0.120926, 0.176765],
        1e-6,
    );
    let s = sd::sd(&aircraft()).unwrap();
    near(
        &s,
        &[0.165032, 0.164388, 0.162266, 0.165176, 0.157939, 0.185199],
        1e-6,
    );
}

#[test]
fn pca_weights_sum_to_one_and_follow_the_loadings() {
    let x: Vec<f64> = (0..30).map(|i| ((i * 7) % 11) as f64).collect();
    let noise: Vec<f64> = (0..30).map(|i| ((i * 5) % 7) as f64 * 0.3).collect();
    let cols = vec![
        x.clone(),
        x.iter().zip(&noise).map(|(a, b)| a + b).collect(),
        x.iter().zip(&noise).map(|(a, b)| a - 2.0 * b).collect(),
    ];
    let p = pca::pca(&cols, false).unwrap();
    assert!((p.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert_eq!(p.retained.len(), 1);
    // The column closest to the common factor loads most.
    assert!(p.weights[0] > p.weights[2]);
}

/// Two groups of three children on two latent factors (the data of fixtures/varimax/make.R).
fn two_factor_columns() -> Vec<Vec<f64>> {
    let i = 0..40i32;
    let f1: Vec<f64> = i.clone().map(|i| ((i * 7) % 11) as f64).collect();
    let f2: Vec<f64> = i.clone().map(|i| ((i * 5) % 13) as f64).collect();
    let e: Vec<f64> = i.map(|i| ((i * 3) % 7) as f64 * 0.3).collect();
    let col = |f: &dyn Fn(usize) -> f64| (0..40).map(f).collect::<Vec<f64>>();
    vec![
        col(&|k| f1[k] + e[k]),
        col(&|k| f1[k] - 0.5 * e[k]),
        col(&|k| f1[k] + 0.2 * f2[k]),
        col(&|k| f2[k] + e[k]),
        col(&|k| f2[k] - 0.4 * e[k]),
        col(&|k| f2[k] + 0.3 * f1[k]),
    ]
}

#[test]
fn varimax_pca_weights_agree_with_r() {
    // R 4.x, stats::varimax (normalize = TRUE, eps = 1e-5), fixtures/varimax/make.R.
    let r_squared_loadings = [
        [0.00782069569599569, 0.96755891924823],
        [0.00772776105619733, 0.977723520259195],
        [0.0932086916552843, 0.905808850476419],
        [0.976044521344966, 0.00727482096841541],
        [0.986814165429529, 0.00489400780804566],
        [0.905821519708582, 0.0931282383128522],
    ];
    let r_weights = [
        0.169160414860259,
        0.170937514000888,
        0.158364517015397,
        0.170643970995671,
        0.172526851123175,
        0.15836673200461,
    ];
    let cols = two_factor_columns();
    let p = pca::pca(&cols, true).unwrap();
    assert_eq!(p.retained.len(), 2);
    near(&p.weights, &r_weights, 1e-9);

    // The rotation itself, on the unrotated loadings.
    let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    let corr = cityrank_analysis::correlation::correlation_matrix(&refs);
    let (values, vectors) = cityrank_analysis::linalg::symmetric_eigen(&corr, 6);
    let loadings: Vec<Vec<f64>> = (0..2)
        .map(|c| vectors[c].iter().map(|v| v * values[c].sqrt()).collect())
        .collect();
    let rotated = pca::varimax(&loadings);
    for (j, want) in r_squared_loadings.iter().enumerate() {
        let got = [rotated[0][j].powi(2), rotated[1][j].powi(2)];
        near(&got, want, 1e-9);
    }
    // Unrotated, the first component loads on all six: the weights differ.
    let plain = pca::pca(&cols, false).unwrap();
    assert!(plain
        .weights
        .iter()
        .zip(&p.weights)
        .any(|(a, b)| (a - b).abs() > 1e-3));
}

#[test]
fn budget_averages_normalised_expert_points() {
    let w = budget::budget(&[vec![50.0, 30.0, 20.0], vec![2.0, 2.0, 6.0]], 3).unwrap();
    near(&w, &[0.35, 0.25, 0.40], 1e-12);
    assert!(budget::budget(&[vec![1.0, 2.0]], 3).is_err());
}

#[test]
fn optimised_weights_reach_the_intended_shares() {
    let a: Vec<f64> = (0..40).map(|i| ((i * 7) % 13) as f64).collect();
    let b: Vec<f64> = (0..40)
        .map(|i| ((i * 5) % 11) as f64 + 0.2 * a[i])
        .collect();
    let c: Vec<f64> = (0..40).map(|i| ((i * 3) % 17) as f64).collect();
    let target = [0.5, 0.3, 0.2];
    let o = optimised::optimised(&[a, b, c], &target).unwrap();
    near(&o.shares, &target, 1e-5);
    assert!(o.residual < 1e-10);
}

#[test]
fn spec_weighting_is_computed_from_the_dimension_scores() {
    let (spec, data, _) = variant("w-entropy", |t| {
        t.replace(
            "name_zh = \"区块链城市创新发展指数\"\n",
            "name_zh = \"区块链城市创新发展指数\"\nweighting = { method = \"critic\" }\n",
        )
    });
    let fw = &spec.framework;
    // The build computes the weights itself, from the dimension scores it aggregates.
    let res = cityrank_io::build(&spec, &data).unwrap();
    assert_eq!(res.weighting.len(), 1);
    assert_eq!(res.weighting[0].method, "critic");
    let dims = fw.dimensions();
    let cols = weighting::complete_columns(dims.iter().map(|&d| res.scores.col(d)).collect());
    let want = critic::critic(&cols, &vec![true; dims.len()]).unwrap();
    let got: Vec<f64> = dims.iter().map(|&d| res.weights[d]).collect();
    near(&got, &want, 1e-12);
}

#[test]
fn spec_ahp_matrix_is_read_and_checked() {
    let (spec, data, _) = variant("w-ahp", |t| {
        t.replace(
            "name_zh = \"区块链城市创新发展指数\"\n",
            "name_zh = \"区块链城市创新发展指数\"\nweighting = { method = \"ahp\", matrix = [[1, 2, 4, 4], [0.5, 1, 2, 2], [0.25, 0.5, 1, 1], [0.25, 0.5, 1, 1]] }\n",
        )
    });
    let fw = &spec.framework;
    let res = cityrank_io::build(&spec, &data).unwrap();
    let got: Vec<f64> = fw.dimensions().iter().map(|&d| res.weights[d]).collect();
    near(&got, &[0.5, 0.25, 0.125, 0.125], 1e-12);
}

#[test]
fn mcda_alternatives_in_the_uncertainty_analysis_match_full_rebuilds() {
    let (_, data, model) = variant("w-mcda", |t| {
        t + "\n[uncertainty]\naggregations = [\"arithmetic\", \"topsis\", \"vikor\", \"promethee_ii\", \"grey_relational\", \"copeland\"]\n"
    });
    let mut ws = model.workspace();
    for i in 0..60 {
        let u = uncertainty::draws(&model, 11, i);
        model.eval(&u, &mut ws).unwrap();
        let p = model.assumptions.params(&u, &model.nominal, &model.fw);
        let (_, ranks) = replay::rebuild(&model, &data.dataset, &p).unwrap();
        assert_eq!(
            ws.ranks,
            replay::overall_ranks(&model, &ranks),
            "replication {i}"
        );
    }
}
