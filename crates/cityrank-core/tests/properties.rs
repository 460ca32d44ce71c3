//! Properties that must hold for any data.

use crate::common::{build, data, spec};
use proptest::prelude::*;

fn rows() -> impl Strategy<Value = Vec<[f64; 3]>> {
    prop::collection::vec(prop::array::uniform3(0.0f64..1000.0), 3..20)
}

proptest! {
    #[test]
    fn raising_a_higher_is_better_value_never_lowers_the_score(rs in rows(), which in 0usize..3, bump in 0.0f64..500.0, unit in 0usize..3) {
        let s = spec("[defaults]\nnormalise = { method = \"goalposts\", best = 2000, worst = 0 }\n");
        let before = build(&s, &data(&rs));
        let mut raised = rs.clone();
        raised[unit][which] += bump;
        let after = build(&s, &data(&raised));
        let root = 3;
        prop_assert!(after.score(unit, root) >= before.score(unit, root) - 1e-9);
    }

    #[test]
    fn min_max_ignores_a_positive_scale_factor(rs in rows(), k in 0.01f64..100.0) {
        let s = spec("");
        let scaled: Vec<[f64; 3]> = rs.iter().map(|r| [r[0] * k, r[1], r[2]]).collect();
        let (a, b) = (build(&s, &data(&rs)), build(&s, &data(&scaled)));
        for i in 0..rs.len() {
            prop_assert!((a.score(i, 0) - b.score(i, 0)).abs() < 1e-6 || a.score(i, 0).is_nan());
        }
    }

    #[test]
    fn scaling_all_weights_together_changes_nothing(rs in rows(), k in 0.01f64..100.0) {
        let base = spec("");
        let mut scaled = base.clone();
        for ind in &mut scaled.indicators {
            ind.weight = Some(k * ind.weight.unwrap_or(1.0));
        }
        for n in &mut scaled.nodes {
            n.weight = Some(k * n.weight.unwrap_or(1.0));
        }
        let (a, b) = (build(&base, &data(&rs)), build(&scaled, &data(&rs)));
        for i in 0..rs.len() {
            prop_assert!((a.score(i, 3) - b.score(i, 3)).abs() < 1e-9 || a.score(i, 3).is_nan());
        }
    }
}
