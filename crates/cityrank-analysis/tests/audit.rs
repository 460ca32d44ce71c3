//! Audit pieces on worked examples, and the bundled published facts.

use crate::common::{bundled, example_dir};
use cityrank_analysis::audit::{self, Fact};
use cityrank_analysis::fit;

#[test]
fn kendall_tau_b_on_a_worked_example() {
    // No ties: 3 discordant pairs of 10 give (7 - 3) / 10.
    let x = [1.0, 2.0, 3.0, 4.0, 5.0];
    let y = [3.0, 4.0, 1.0, 2.0, 5.0];
    assert!((audit::kendall_tau_b(&x, &y) - 0.2).abs() < 1e-12);
    // Ties in y: x = 1,2,3; y = 1,1,2: C = 2, D = 0, ties in y 1 -> 2 / sqrt(3 * 2).
    let t = audit::kendall_tau_b(&[1.0, 2.0, 3.0], &[1.0, 1.0, 2.0]);
    assert!((t - 2.0 / 6f64.sqrt()).abs() < 1e-12);
}

#[test]
fn bounds_parse_and_check() {
    assert_eq!(Fact::parse("<88"), Some(Fact::Below(88.0)));
    assert_eq!(Fact::parse("<=50"), Some(Fact::AtMost(50.0)));
    assert_eq!(Fact::parse(""), Some(Fact::Missing));
    assert_eq!(Fact::parse("x"), None);
    assert_eq!(Fact::Below(88.0).holds(87.99, 0.0), Some(true));
    assert_eq!(Fact::Exact(91.2).holds(91.204, 0.005), Some(true));
}

#[test]
fn simplex_fit_recovers_known_weights() {
    let w = [0.5, 0.3, 0.2, 0.0];
    let x: Vec<Vec<f64>> = (0..12)
        .map(|i| {
            (0..4)
                .map(|j| ((i * 7 + j * 3) % 11) as f64 + j as f64)
                .collect()
        })
        .collect();
    let y: Vec<f64> = x
        .iter()
        .map(|r| r.iter().zip(&w).map(|(a, b)| a * b).sum())
        .collect();
    let (got, rmse) = fit::simplex_least_squares(&x, &y);
    assert!(rmse < 1e-6, "{rmse}");
    for (g, e) in got.iter().zip(w) {
        assert!((g - e).abs() < 1e-5, "{got:?}");
    }
    let mut v = vec![0.9, 0.8, -0.2];
    fit::project_simplex(&mut v);
    assert!((v[0] - 0.55).abs() < 1e-12 && (v[1] - 0.45).abs() < 1e-12 && v[2] == 0.0);
}

#[test]
fn the_bundled_build_passes_the_published_facts() {
    let (spec, data, _) = bundled();
    let res = cityrank_io::build(&spec, &data).unwrap();
    let published = audit::read_published(&example_dir().join("published.csv")).unwrap();
    let a = audit::audit(&spec.framework, &res, &published, 50);
    assert_eq!(a.failed, 0, "{:#?}", a.checks);
    assert!(a.passed >= 15);
    assert!((a.kendall_tau_b - 1.0).abs() < 1e-12);
    let sum: f64 = a.fitted_weights.iter().map(|w| w.1).sum();
    assert!((sum - 1.0).abs() < 1e-9 && a.fitted_weights.iter().all(|w| w.1 >= 0.0));
}

/// A score published to one decimal is checked to half a unit of that decimal, whatever
/// `publish.decimals` says, and is shown at that precision.
#[test]
fn the_tolerance_follows_the_published_precision() {
    assert_eq!(audit::decimals_of("91.2"), 1);
    assert_eq!(audit::decimals_of("<=88.25"), 2);
    assert_eq!(audit::decimals_of("72"), 0);
    let (spec, data, _) = bundled();
    let res = cityrank_io::build(&spec, &data).unwrap();
    let built = res.score(0, spec.framework.root);
    let text = format!(
        "unit,name,node,score,rank\n{u},x,OVERALL,{:.1},\n{u},x,OVERALL,{:.3},\n",
        built,
        built + 0.004,
        u = res.units[0].id
    );
    let path = std::env::temp_dir().join(format!("cityrank-audit-{}.csv", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let published = audit::read_published(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let a = audit::audit(&spec.framework, &res, &published, 50);
    // One decimal: the rounded score passes. Three decimals: 0.004 off fails.
    assert_eq!(a.checks[0].score_ok, Some(true));
    assert_eq!(a.checks[1].score_ok, Some(false));
    assert_eq!(a.checks[1].score_decimals, 3);
}
