//! The estimators on the Ishigami function, whose Sobol indices are known analytically
//! (Ishigami and Homma 1990; a = 7, b = 0.1, inputs uniform on [-pi, pi]).

use cityrank_analysis::sobol;
use std::f64::consts::PI;

fn ishigami(u: &[f64]) -> f64 {
    let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

fn analytic() -> ([f64; 3], [f64; 3]) {
    let (a, b) = (7.0f64, 0.1f64);
    let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let v = v1 + v2 + v13;
    ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
}

#[test]
fn jansen_estimators_recover_the_ishigami_indices() {
    let groups = [0..1, 1..2, 2..3];
    let out = sobol::evaluate(
        20_000,
        3,
        &groups,
        42,
        || (),
        |_, u| Ok::<f64, ()>(ishigami(u)),
    )
    .unwrap();
    let est = sobol::indices(&out, 200, 0.95, 42);
    let (s, st) = analytic();
    for g in 0..3 {
        let e = &est[g];
        assert!(
            (e.first_order - s[g]).abs() < 0.03,
            "S{g} {e:?} vs {}",
            s[g]
        );
        assert!(
            (e.total_order - st[g]).abs() < 0.03,
            "ST{g} {e:?} vs {}",
            st[g]
        );
        assert!(e.first_lo <= e.first_order && e.first_order <= e.first_hi);
        assert!(e.total_lo <= st[g] + 0.02 && st[g] - 0.02 <= e.total_hi);
    }
}

#[test]
fn same_seed_same_estimates() {
    let groups = [0..1, 1..2, 2..3];
    let run = || {
        let o =
            sobol::evaluate(500, 3, &groups, 9, || (), |_, u| Ok::<f64, ()>(ishigami(u))).unwrap();
        sobol::indices(&o, 50, 0.9, 9)
    };
    assert_eq!(run(), run());
}
