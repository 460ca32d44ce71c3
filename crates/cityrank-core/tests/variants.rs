//! The method variants that users of COINr and the MCDA libraries meet, against published
//! worked examples and peers' outputs.
//!
//! Peers, each run once and its figures written here (full precision, so the tolerance is
//! 1e-9 unless a paper gives fewer digits): pymcdm 1.4.0 (TOPSIS normalisations, PROMETHEE II
//! with thresholds per criterion, sum and vector normalisation, standard deviation weights),
//! pyDecision (COPRAS, EDAS; `copras_method`, `edas_method` at its current repository head),
//! scipy 1.x (`scipy.stats.zscore`, ddof = 0). The COINr variants (percentile ranks, distance
//! to target, generalised mean, group imputation, weighted median) are checked in the analysis
//! crate's COINr agreement tests, on COINr's own output.

use crate::common::{build, close, data, spec, spec_text};
use crate::mcda::aircraft;
use cityrank_core::spec::{Direction, Normalise, Preference, TopsisNormalisation, Transform};
use cityrank_core::steps::mcda::{self, Criterion};
use cityrank_core::steps::normalise::normalise;
use cityrank_core::steps::weighting::sd;
use cityrank_core::{Framework, Spec};

fn near(got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < tol, "got {got:?}, want {want:?}");
    }
}

#[test]
fn topsis_with_each_normalisation_matches_pymcdm_on_the_aircraft_matrix() {
    let (cols, w, b) = aircraft();
    let cases = [
        (
            TopsisNormalisation::Vector,
            [
                0.643277000553,
                0.268383567719,
                0.613542290007,
                0.312291065582,
            ],
        ),
        (
            TopsisNormalisation::MinMax,
            [
                0.612748184182,
                0.366025403784,
                0.530641941324,
                0.351689533777,
            ],
        ),
        (
            TopsisNormalisation::Sum,
            [
                0.642930137342,
                0.264790542309,
                0.616098002477,
                0.309563178054,
            ],
        ),
    ];
    for (how, want) in cases {
        near(&mcda::topsis_with(&cols, &w, &b, how), &want, 1e-11);
    }
}

#[test]
fn topsis_min_max_matches_pymcdms_case_from_opricovic_and_tzeng() {
    // Opricovic & Tzeng (2004), EJOR 156: three alternatives, a cost and a benefit criterion,
    // equal weights; pymcdm's TOPSIS (min-max by default) gives 0.500, 0.617, 0.500.
    let cols = vec![vec![1.0, 2.0, 5.0], vec![3000.0, 3750.0, 4500.0]];
    let c = mcda::topsis_with(
        &cols,
        &[0.5, 0.5],
        &[false, true],
        TopsisNormalisation::MinMax,
    );
    near(&c, &[0.5, 0.617217781463, 0.5], 1e-11);
}

fn road_design() -> Vec<Vec<f64>> {
    // Zavadskas, Kaklauskas, Peldschus & Turskis (2007), Baltic J. Road Bridge Eng. 2(4):
    // six road design alternatives; the first criterion a benefit, the other four costs.
    vec![
        vec![30.0, 20.0, 27.0, 18.0, 24.0, 16.0],
        vec![12.487, 12.372, 11.096, 10.982, 11.017, 10.903],
        vec![6.261, 5.961, 6.262, 5.962, 6.283, 5.983],
        vec![10.880, 10.880, 9.920, 9.920, 9.980, 9.980],
        vec![7.610, 7.460, 6.690, 6.540, 7.000, 6.850],
    ]
}

#[test]
fn copras_matches_pydecision() {
    let b = [true, false, false, false, false];
    let w = [0.53, 0.1175, 0.1175, 0.1175, 0.1175];
    let c = mcda::copras(&road_design(), &w, &b);
    near(
        &c.utility,
        &[
            1.0,
            0.80218219517,
            0.972407098822,
            0.796483024348,
            0.905921501317,
            0.75031216906,
        ],
        1e-11,
    );
    let (cols, w, b) = aircraft();
    near(
        &mcda::copras(&cols, &w, &b).utility,
        &[0.981519388349, 0.815069415631, 1.0, 0.852703218949],
        1e-11,
    );
}

#[test]
fn copras_without_cost_criteria_is_the_weighted_sum_of_shares() {
    // By hand: shares (1/6, 2/6, 3/6) and (3/6, 2/6, 1/6), weights 0.75 and 0.25.
    let cols = vec![vec![1.0, 2.0, 3.0], vec![3.0, 2.0, 1.0]];
    let c = mcda::copras(&cols, &[0.75, 0.25], &[true, true]);
    near(&c.q, &[0.25, 2.0 / 6.0, 5.0 / 12.0], 1e-15);
    near(&c.utility, &[0.6, 0.8, 1.0], 1e-15);
}

#[test]
fn edas_matches_the_published_example_of_yazdani_et_al() {
    // Yazdani, Torkayesh, Santibanez-Gonzalez & Otaghsara (2020), Sustainable Operations and
    // Computers 1: five renewable energy sources, eight criteria, entropy weights; appraisal
    // scores published to three decimals, and pyDecision's and pymcdm's to full precision.
    let rows = [
        [3873.0, 39.55, 0.27, 0.87, 150.0, 0.07, 12.0, 2130.0],
        [5067.0, 67.26, 0.23, 0.23, 40.0, 0.02, 21.0, 2200.0],
        [2213.0, 24.69, 0.08, 0.17, 200.0, 0.04, 35.0, 570.0],
        [6243.0, 132.0, 0.07, 0.25, 100.0, 0.04, 16.0, 100.0],
        [8312.0, 460.47, 0.05, 0.21, 25.0, 0.1, 25.0, 200.0],
    ];
    let cols: Vec<Vec<f64>> = (0..8)
        .map(|j| rows.iter().map(|r| r[j]).collect())
        .collect();
    let w = [0.131, 0.113, 0.126, 0.125, 0.126, 0.129, 0.132, 0.117];
    let b = [false, false, false, true, true, false, true, true];
    let e = mcda::edas(&cols, &w, &b);
    near(&e.appraisal, &[0.841, 0.632, 0.883, 0.457, 0.104], 5e-4);
    near(
        &e.appraisal,
        &[
            0.84131832326,
            0.631785933035,
            0.883384755789,
            0.456675247508,
            0.103719462447,
        ],
        1e-11,
    );
    let (cols, w, b) = aircraft();
    near(
        &mcda::edas(&cols, &w, &b).appraisal,
        &[
            0.854880843002,
            0.279643783796,
            0.914568388013,
            0.339583836276,
        ],
        1e-11,
    );
}

#[test]
fn promethee_thresholds_per_criterion_match_pymcdm() {
    let (cols, w, b) = aircraft();
    let q = [0.1, 200.0, 500.0, 0.5, 1.0, 1.0];
    let p = [0.5, 1000.0, 2500.0, 1.5, 3.0, 3.0];
    let linear: Vec<Criterion> = (0..6)
        .map(|j| Criterion::new(Preference::Linear, q[j], p[j], 0.0))
        .collect();
    near(
        &mcda::net_flows(&cols, &w, &b, &linear),
        &[0.15, -0.2, 0.141666666666667, -0.091666666666667],
        1e-12,
    );
    let v: Vec<Criterion> = (0..6)
        .map(|j| Criterion::new(Preference::VShape, 0.0, p[j], 0.0))
        .collect();
    near(
        &mcda::net_flows(&cols, &w, &b, &v),
        &[
            0.142222222222222,
            -0.237777777777778,
            0.202222222222222,
            -0.106666666666667,
        ],
        1e-12,
    );
}

#[test]
fn standard_deviation_weights_on_raw_and_rescaled_scores_match_pymcdm() {
    let (cols, _, _) = aircraft();
    near(
        &sd::sd_raw(&cols).unwrap(),
        &[
            1.684282948040e-04,
            2.876076674959e-01,
            7.097411133390e-01,
            4.816451478052e-04,
            9.210816963262e-04,
            1.080064026133e-03,
        ],
        1e-12,
    );
    near(
        &sd::sd(&cols).unwrap(),
        &[
            0.165031614588,
            0.164387711959,
            0.162266491322,
            0.165176146755,
            0.157938604945,
            0.18519943043,
        ],
        1e-11,
    );
}

fn norm(col: &[f64], m: Normalise, d: Direction) -> Vec<f64> {
    let mut out = vec![0.0; col.len()];
    normalise(col, &mut out, m, d, Transform::None, "x").unwrap();
    out
}

#[test]
fn sum_and_vector_normalisation_match_pymcdm_in_both_directions() {
    let (cols, _, _) = aircraft();
    let (range, cost) = (&cols[1], &cols[3]);
    near(
        &norm(range, Normalise::Sum, Direction::Higher),
        &[0.1875, 0.3375, 0.25, 0.225],
        1e-15,
    );
    near(
        &norm(cost, Normalise::Sum, Direction::Lower),
        &[
            0.23990157883945,
            0.202993643633381,
            0.293213040803773,
            0.263891736723396,
        ],
        1e-14,
    );
    near(
        &norm(range, Normalise::Vector, Direction::Higher),
        &[
            0.366180556881955,
            0.65912500238752,
            0.488240742509274,
            0.439416668258347,
        ],
        1e-14,
    );
    near(
        &norm(cost, Normalise::Vector, Direction::Lower),
        &[
            0.493146754657499,
            0.400991619140681,
            0.585301890174318,
            0.539224322415909,
        ],
        1e-14,
    );
}

#[test]
fn z_score_with_divisor_n_matches_scipy() {
    let (cols, _, _) = aircraft();
    let z = |col: &[f64], d| {
        norm(
            col,
            Normalise::ZScore {
                mean: 0.0,
                sd: 1.0,
                divisor: cityrank_core::spec::SdDivisor::N,
            },
            d,
        )
    };
    near(
        &z(&cols[0], Direction::Higher),
        &[
            -0.483368244522832,
            1.450104733568495,
            -1.256757435759362,
            0.2900209467137,
        ],
        1e-14,
    );
    near(
        &z(&cols[3], Direction::Lower),
        &[
            -0.169030850945703,
            -1.52127765851133,
            1.183215956619923,
            0.50709255283711,
        ],
        1e-14,
    );
}

#[test]
fn the_variants_are_named_in_the_spec_and_defaults_keep_todays_words() {
    let s = spec(
        r#"[defaults]
normalise = { method = "percentile", ties = "min" }
aggregate = { method = "topsis", normalisation = "sum" }"#,
    );
    let fw = Framework::from_spec(&s).unwrap();
    let d = fw.indicator_methods(0).normalise.to_string();
    assert_eq!(d, "percentile (scale = 100.0, ties = \"min\")");
    let a = fw.aggregate_methods(fw.root).aggregate.to_string();
    assert_eq!(a, "topsis (normalisation = \"sum\")");
    // A default variant prints as before, so existing specs' logs and manifests do not change.
    let s = spec("[defaults]\nnormalise = \"percentile\"\naggregate = \"topsis\"");
    let fw = Framework::from_spec(&s).unwrap();
    assert_eq!(
        fw.indicator_methods(0).normalise.to_string(),
        "percentile (scale = 100.0)"
    );
    assert_eq!(
        fw.aggregate_methods(fw.root).aggregate.to_string(),
        "topsis"
    );
}

/// The error for `extra` appended to the small spec: from parsing or from the meaning checks.
fn refused(extra: &str) -> String {
    let s: Spec = match toml::from_str(&spec_text(extra)) {
        Ok(s) => s,
        Err(e) => return e.to_string(),
    };
    match Framework::from_spec(&s) {
        Ok(_) => panic!("accepted: {extra}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn variant_settings_without_meaning_are_refused() {
    let cases = [
        ("[defaults]\naggregate = { method = \"generalised_mean\", p = 0 }", "p = 0 must be a finite number other than 0"),
        ("[defaults]\naggregate = { method = \"generalised_mean\", p = nan }", "p = NaN"),
        ("[defaults]\naggregate = \"generalised_mean\"", "missing field `p`"),
        ("[defaults]\nimpute = { method = \"group_median\", group = \"province\" }", "group_median imputes by group `province`"),
        ("[defaults]\naggregate = { method = \"weighted_median\", ties = \"middle\" }", "unknown variant `middle`"),
        ("[defaults]\nnormalise = { method = \"percentile\", ties = \"dense\" }", "unknown variant `dense`"),
        ("[defaults]\nnormalise = { method = \"z_score\", divisor = \"n-1\" }", "unknown variant `n-1`"),
        ("[defaults]\naggregate = { method = \"topsis\", normalisation = \"max\" }", "unknown variant `max`"),
        ("[defaults]\naggregate = { method = \"promethee_ii\", criteria = { a = { preference = \"linear\", q = 1, p = 3 } } }", "criteria name `a`, which is not a child of this node"),
        ("[defaults]\naggregate = { method = \"promethee_ii\", criteria = { a = { preference = \"linear\", q = 3, p = 1 } } }", "criteria.a: promethee_ii q = 3 is not below p = 1"),
        ("[defaults]\naggregate = { method = \"promethee_ii\", criteria = { a = { preference = \"linear\", r = 1 } } }", "unknown field `r`"),
    ];
    for (extra, want) in cases {
        let e = refused(extra);
        assert!(e.contains(want), "{extra}\n gave: {e}");
    }
}

/// The small spec with D1's aggregation set on the node itself (`d1` is its TOML line).
fn with_d1(d1: &str, extra: &str) -> Spec {
    let text = spec_text(extra).replace(
        "id = \"D1\"\nparent = \"I\"",
        &format!("id = \"D1\"\nparent = \"I\"\n{d1}"),
    );
    toml::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn generalised_mean_and_weighted_median_by_hand() {
    // normalise = none keeps the values: D1 over a and b.
    let rows = [[1.0, 7.0, 0.0], [4.0, 4.0, 0.0], [10.0, 30.0, 0.0]];
    let s = with_d1(
        "aggregate = { method = \"generalised_mean\", p = 2 }",
        "[defaults]\nnormalise = \"none\"",
    );
    let r = build(&s, &data(&rows));
    let d1 = Framework::from_spec(&s).unwrap().find("D1").unwrap();
    // sqrt((1 + 49) / 2) = 5; sqrt(16) = 4; sqrt((100 + 900) / 2) = sqrt(500).
    assert!(close(r.score(0, d1), 5.0));
    assert!(close(r.score(1, d1), 4.0));
    assert!(close(r.score(2, d1), 500f64.sqrt()));
    // Two equal weights: the cumulative weight is one half at the lower value, so `mean` ties
    // give the ordinary median, `lower` and `upper` the two values.
    for (ties, want) in [("mean", 20.0), ("lower", 10.0), ("upper", 30.0)] {
        let s = with_d1(
            &format!("aggregate = {{ method = \"weighted_median\", ties = \"{ties}\" }}"),
            "[defaults]\nnormalise = \"none\"",
        );
        assert!(close(build(&s, &data(&rows)).score(2, d1), want), "{ties}");
    }
    // Weight 3 on a: a alone carries more than half.
    let s = with_d1(
        "aggregate = \"weighted_median\"",
        "[defaults]\nnormalise = \"none\"",
    )
    .with_weight("a", 3.0);
    assert!(close(build(&s, &data(&rows)).score(2, d1), 10.0));
}

trait WithWeight {
    fn with_weight(self, id: &str, w: f64) -> Self;
}

impl WithWeight for Spec {
    fn with_weight(mut self, id: &str, w: f64) -> Spec {
        let ind = self.indicators.iter_mut().find(|i| i.id == id).unwrap();
        ind.weight = Some(w);
        self
    }
}

#[test]
fn promethee_thresholds_set_per_child_in_the_spec() {
    let rows = [[10.0, 1.0, 0.0], [12.0, 3.0, 0.0], [20.0, 2.0, 0.0]];
    let s = with_d1(
        "aggregate = { method = \"promethee_ii\", preference = \"usual\", criteria = { a = { preference = \"linear\", q = 1, p = 5 } } }",
        "[defaults]\nnormalise = \"none\"",
    );
    let r = build(&s, &data(&rows));
    let d1 = Framework::from_spec(&s).unwrap().find("D1").unwrap();
    let cols = vec![vec![10.0, 12.0, 20.0], vec![1.0, 3.0, 2.0]];
    let crit = [
        Criterion::new(Preference::Linear, 1.0, 5.0, 0.0),
        Criterion::new(Preference::Usual, 0.0, 0.0, 0.0),
    ];
    let phi = mcda::net_flows(&cols, &[0.5, 0.5], &[true, true], &crit);
    // By hand: on a, P(12 - 10) = 0.25 and the rest full; on b, usual.
    // phi(u0) = (0.5 (0 - 0.25 - 1) + 0.5 (0 - 1 - 1)) / 2 = -0.8125.
    assert!(close(phi[0], -0.8125), "{phi:?}");
    for (i, f) in phi.iter().enumerate() {
        assert!(close(r.score(i, d1), 50.0 * (f + 1.0)), "{i}");
    }
    // The node's own thresholds still apply to the children not listed: a usual criterion
    // everywhere gives another ranking of u0 and u1.
    let plain = with_d1(
        "aggregate = { method = \"promethee_ii\", preference = \"usual\" }",
        "[defaults]\nnormalise = \"none\"",
    );
    assert!(!close(
        build(&plain, &data(&rows)).score(0, d1),
        r.score(0, d1)
    ));
}

#[test]
fn copras_edas_and_topsis_sum_refuse_negative_child_scores() {
    let rows = [[1.0, 7.0, 2.0], [4.0, 4.0, 3.0], [10.0, 30.0, 5.0]];
    for method in [
        "\"copras\"",
        "\"edas\"",
        "{ method = \"topsis\", normalisation = \"sum\" }",
    ] {
        let s = spec(&format!(
            "[defaults]\nnormalise = \"z_score\"\naggregate = {method}"
        ));
        let fw = Framework::from_spec(&s).unwrap();
        let e = cityrank_core::build(&s, &fw, &data(&rows))
            .unwrap_err()
            .to_string();
        assert!(e.contains("needs scores >= 0"), "{method}: {e}");
    }
    // On min-max scores they build, and the three methods agree with their pure functions.
    let s = spec("[defaults]\naggregate = \"copras\"");
    let r = build(&s, &data(&rows));
    let d1 = Framework::from_spec(&s).unwrap().find("D1").unwrap();
    let cols = vec![
        vec![0.0, 100.0 / 3.0, 100.0],
        vec![3.0 / 26.0 * 100.0, 0.0, 100.0],
    ];
    let u = mcda::copras(&cols, &[0.5, 0.5], &[true, true]).utility;
    for (i, x) in u.iter().enumerate() {
        assert!((r.score(i, d1) - 100.0 * x).abs() < 1e-9);
    }
}
