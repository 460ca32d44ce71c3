//! Each method against values worked by hand.

use crate::common::{build, close, data, spec};
use cityrank_core::data::Matrix;
use cityrank_core::spec::{Direction, Normalise, PercentileTies, SdDivisor, Transform};
use cityrank_core::steps::{aggregate, normalise::normalise, treat};

fn norm(col: &[f64], m: Normalise, d: Direction, t: Transform) -> Vec<f64> {
    let mut out = vec![0.0; col.len()];
    normalise(col, &mut out, m, d, t, "x").expect("normalise");
    out
}

#[test]
fn min_max_onto_a_range_both_directions() {
    let x = [2.0, 4.0, 10.0];
    assert_eq!(
        norm(
            &x,
            Normalise::MinMax {
                low: 0.0,
                high: 100.0
            },
            Direction::Higher,
            Transform::None
        ),
        vec![0.0, 25.0, 100.0]
    );
    assert_eq!(
        norm(
            &x,
            Normalise::MinMax {
                low: 1.0,
                high: 11.0
            },
            Direction::Lower,
            Transform::None
        ),
        vec![11.0, 8.5, 1.0]
    );
}

#[test]
fn ratio_to_the_leader() {
    let x = [2.0, 5.0, 10.0, f64::NAN];
    let s = norm(
        &x,
        Normalise::RatioToMax,
        Direction::Higher,
        Transform::None,
    );
    assert_eq!(&s[..3], &[20.0, 50.0, 100.0]);
    assert!(s[3].is_nan(), "missing stays missing");
    assert_eq!(
        norm(
            &[2.0, 4.0],
            Normalise::RatioToMax,
            Direction::Lower,
            Transform::None
        ),
        vec![100.0, 50.0]
    );
}

#[test]
fn goalposts_clip_and_follow_the_transform() {
    let g = Normalise::Goalposts {
        best: 10.0,
        worst: 0.0,
        scale: 100.0,
        clip: true,
    };
    assert_eq!(
        norm(&[-5.0, 5.0, 20.0], g, Direction::Higher, Transform::None),
        vec![0.0, 50.0, 100.0]
    );
    // Lower is better when best < worst.
    let g = Normalise::Goalposts {
        best: 0.0,
        worst: 10.0,
        scale: 100.0,
        clip: true,
    };
    assert_eq!(
        norm(&[2.0], g, Direction::Higher, Transform::None),
        vec![80.0]
    );
    // Goalposts in raw units go through the same transform as the data: ln(e^1)=1 halfway to ln(e^2)=2.
    let g = Normalise::Goalposts {
        best: std::f64::consts::E.powi(2),
        worst: 1.0,
        scale: 100.0,
        clip: true,
    };
    let s = norm(&[1.0], g, Direction::Higher, Transform::Log);
    assert!(close(s[0], 50.0), "{s:?}");
}

#[test]
fn z_score_uses_n_minus_1() {
    let s = norm(
        &[1.0, 2.0, 3.0],
        Normalise::ZScore {
            mean: 0.0,
            sd: 1.0,
            divisor: SdDivisor::NMinus1,
        },
        Direction::Higher,
        Transform::None,
    );
    assert_eq!(s, vec![-1.0, 0.0, 1.0]);
    let s = norm(
        &[1.0, 2.0, 3.0],
        Normalise::ZScore {
            mean: 100.0,
            sd: 10.0,
            divisor: SdDivisor::NMinus1,
        },
        Direction::Lower,
        Transform::None,
    );
    assert_eq!(s, vec![110.0, 100.0, 90.0]);
}

#[test]
fn percentile_rank_counts_ties_half() {
    let s = norm(
        &[1.0, 2.0, 2.0, 3.0],
        Normalise::Percentile {
            scale: 100.0,
            ties: PercentileTies::Average,
        },
        Direction::Higher,
        Transform::None,
    );
    assert!(
        close(s[0], 0.0) && close(s[1], 50.0) && close(s[2], 50.0) && close(s[3], 100.0),
        "{s:?}"
    );
}

#[test]
fn distance_to_target_caps_at_the_scale() {
    let s = norm(
        &[0.0, 5.0, 20.0],
        Normalise::DistanceToTarget {
            target: 10.0,
            scale: 100.0,
            cap: true,
        },
        Direction::Higher,
        Transform::None,
    );
    assert_eq!(s, vec![0.0, 50.0, 100.0]);
}

#[test]
fn transforms() {
    assert!(close(
        treat::apply(Transform::Log1p, std::f64::consts::E - 1.0),
        1.0
    ));
    assert!(close(
        treat::apply(Transform::LogShift { a: 2.0 }, -1.0),
        0.0
    ));
    assert_eq!(treat::apply(Transform::Sqrt, 9.0), 3.0);
    assert!(close(
        treat::apply(Transform::BoxCox { lambda: 0.5 }, 9.0),
        4.0
    ));
    assert!(close(
        treat::apply(Transform::BoxCox { lambda: 0.0 }, 1.0),
        0.0
    ));
    assert!(treat::apply(Transform::Log, 0.0).is_nan());
}

#[test]
fn weighted_means_renormalise_over_present_children() {
    let mut acc = aggregate::Accumulator::new(2);
    use cityrank_core::spec::Aggregate::*;
    let mut out = vec![0.0; 2];
    for (how, want) in [
        (Arithmetic, (3.0 * 10.0 + 1.0 * 40.0) / 4.0),
        (Geometric, (10f64.ln() * 0.75 + 40f64.ln() * 0.25).exp()),
        (Harmonic, 1.0 / (0.75 / 10.0 + 0.25 / 40.0)),
    ] {
        acc.reset();
        acc.add(&[10.0, 10.0], 3.0, how).unwrap();
        acc.add(&[40.0, f64::NAN], 1.0, how).unwrap();
        acc.finish(&mut out, how, 0.0, 2);
        assert!(close(out[0], want), "{how:?}: {} vs {want}", out[0]);
        assert!(close(out[1], 10.0), "{how:?}: the missing child is skipped");
    }
    acc.reset();
    assert_eq!(
        acc.add(&[0.0, 1.0], 1.0, Geometric),
        Err(0),
        "geometric mean refuses zero"
    );
}

#[test]
fn min_share_leaves_a_parent_missing() {
    let s = spec("[defaults]\nnormalise = \"none\"\n[[level]]\nlevel = 2\nname = \"Dimension\"\nmin_share = 1.0\n");
    let r = build(&s, &data(&[[10.0, f64::NAN, 30.0], [20.0, 40.0, 50.0]]));
    let d1 = 4; // nodes: a b c I D1 D2
    assert!(r.score(0, d1).is_nan());
    assert!(close(r.score(1, d1), 30.0));
}

#[test]
fn rescale_sets_the_leader_to_100() {
    let mut col = vec![10.0, 40.0, f64::NAN];
    aggregate::rescale(
        &mut col,
        cityrank_core::spec::Rescale::Leader { scale: 100.0 },
    );
    assert_eq!(&col[..2], &[25.0, 100.0]);
    let mut col = vec![10.0, 20.0, 30.0];
    aggregate::rescale(
        &mut col,
        cityrank_core::spec::Rescale::MinMax {
            low: 0.0,
            high: 1.0,
        },
    );
    assert_eq!(col, vec![0.0, 0.5, 1.0]);
}

#[test]
fn a_whole_build_by_hand() {
    // log1p, ratio to max; D1 rescaled to leader = 100; index = mean of D1, D2.
    let s = spec("[defaults]\ntransform = \"log1p\"\nnormalise = \"ratio_to_max\"\n[[level]]\nlevel = 2\nname = \"Dimension\"\nrescale = \"leader\"\n");
    let e1 = std::f64::consts::E - 1.0;
    let e2 = std::f64::consts::E.powi(2) - 1.0;
    let r = build(&s, &data(&[[e2, e1, e2], [e1, e1, e1]]));
    // a: [100, 50], b: [100, 100], c: [100, 50]; D1 mean [100, 75] -> leader 100: [100, 75].
    assert!(close(r.score(1, 4), 75.0));
    assert!(close(r.score(1, 5), 50.0));
    assert!(close(r.score(1, 3), 62.5));
    assert_eq!(r.rank(0, 3), Some(1));
    assert_eq!(r.rank(1, 3), Some(2));
}

#[test]
fn imputation_by_mean_median_group_and_parent() {
    let rows = [
        [1.0, 10.0, 5.0],
        [3.0, 20.0, 5.0],
        [8.0, 30.0, 5.0],
        [f64::NAN, 40.0, 5.0],
    ];
    for (method, want) in [("mean", 4.0), ("median", 3.0)] {
        let s = spec(&format!(
            "[defaults]\nnormalise = \"none\"\nimpute = \"{method}\"\n"
        ));
        let r = build(&s, &data(&rows));
        assert!(close(r.treated.get(3, 0), want), "{method}");
        assert!(r.imputed[3], "flagged");
        assert_eq!(r.log.impute.imputed.len(), 1);
    }
    let s = spec("[defaults]\nnormalise = \"none\"\nimpute = \"parent_mean\"\n");
    let r = build(&s, &data(&rows));
    assert!(close(r.score(3, 0), 40.0), "mean of the sibling b");
    let mut d = data(&rows);
    for (i, g) in ["x", "y", "x", "x"].iter().enumerate() {
        d.units[i].groups.insert("province".into(), g.to_string());
    }
    let mut s = spec("[defaults]\nnormalise = \"none\"\nimpute = { method = \"group_mean\", group = \"province\" }\n");
    s.units.groups = vec!["province".into()];
    let r = build(&s, &d);
    assert!(
        close(r.treated.get(3, 0), 4.5),
        "mean of group x = (1 + 8) / 2"
    );
}

#[test]
fn no_imputation_keeps_missing_missing() {
    let s = spec("[defaults]\nnormalise = \"none\"\n");
    let r = build(&s, &data(&[[f64::NAN, 10.0, 5.0], [1.0, 20.0, 5.0]]));
    assert!(r.score(0, 0).is_nan());
    assert!(r.log.impute.imputed.is_empty());
}

#[test]
fn outlier_rule_winsorises_then_falls_back_to_log() {
    // One huge value among many small ones: flagged; winsorising it to the next value fixes it.
    let mut col: Vec<f64> = (1..=30).map(|v| v as f64).collect();
    col.push(1000.0);
    let rule = cityrank_core::spec::Outliers::SkewKurt {
        max_skew: 2.0,
        max_kurt: 3.5,
        max_points: 5,
        log_fallback: true,
    };
    let mut rec = treat::TreatRecord::default();
    treat::treat_outliers(&mut col, rule, &mut rec);
    assert_eq!(rec.winsorised, vec![(30, 1000.0, 30.0)]);
    assert!(!rec.log_fallback);
    // A long tail (2^10 .. 2^25 above 1..40): five points are not enough, so COINr's log_CT
    // of the original values is used instead.
    let mut col: Vec<f64> = (1..=40).map(|v| v as f64).collect();
    col.extend((10..=25).map(|e| 2f64.powi(e)));
    let range = 2f64.powi(25) - 1.0;
    let mut rec = treat::TreatRecord::default();
    treat::treat_outliers(&mut col, rule, &mut rec);
    assert!(rec.log_fallback);
    assert!(rec.winsorised.is_empty(), "the winsorisation was undone");
    assert!(
        close(col[0], (0.01 * range).ln()),
        "log_CT maps the minimum to ln(0.01 (max - min))"
    );
}

#[test]
fn screening_by_coverage_and_force_lists() {
    let s = spec("[defaults]\nnormalise = \"none\"\n[screen]\nmin_coverage = 0.6\nmin_dimension_indicators = 1\nforce_out = [{ unit = \"u0\", reason = \"data withdrawn\" }]\n");
    let rows = [
        [1.0, 2.0, 3.0],
        [1.0, 2.0, f64::NAN],
        [1.0, f64::NAN, f64::NAN],
        [2.0, 3.0, 4.0],
    ];
    let r = build(&s, &data(&rows));
    let ex: Vec<(&str, &str)> = r
        .excluded
        .iter()
        .map(|e| (e.unit.as_str(), e.reason.as_str()))
        .collect();
    assert_eq!(ex.len(), 3);
    assert_eq!(ex[0], ("u0", "data withdrawn"));
    assert!(
        ex[1].1.contains("data for 0 of 1 indicators in Two"),
        "{}",
        ex[1].1
    );
    assert!(
        ex[2].1.contains("data for 1 of 3 indicators (33%)"),
        "{}",
        ex[2].1
    );
    assert_eq!(r.n_units(), 1);
    let mut m = Matrix::new(1, 1);
    m.set(0, 0, 1.0);
    assert_eq!(m.get(0, 0), 1.0);
}
