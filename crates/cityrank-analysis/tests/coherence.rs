//! Coherence statistics on hand-worked examples and on the bundled index.

use crate::common::bundled;
use cityrank_analysis::correlation::{average_ranks, cronbach_alpha, spearman};
use cityrank_analysis::{coherence, linalg};

#[test]
fn spearman_uses_average_ranks_for_ties() {
    assert_eq!(
        average_ranks(&[10.0, 20.0, 20.0, 5.0]),
        vec![2.0, 3.5, 3.5, 1.0]
    );
    // Perfectly monotone with ties on both sides.
    let r = spearman(&[1.0, 2.0, 2.0, 3.0], &[10.0, 20.0, 20.0, 30.0]);
    assert!((r - 1.0).abs() < 1e-12);
}

#[test]
fn cronbach_alpha_on_a_worked_example() {
    // Three items, five respondents; item variances 2.5, 2.5, 1.3, total variance 16.3:
    // alpha = 1.5 (1 - 6.3 / 16.3) = 0.920245...
    let a = [1.0, 2.0, 3.0, 4.0, 5.0];
    let b = [2.0, 1.0, 4.0, 3.0, 5.0];
    let c = [1.0, 2.0, 2.0, 3.0, 4.0];
    let alpha = cronbach_alpha(&[&a, &b, &c]);
    assert!((alpha - 1.5 * (1.0 - 6.3 / 16.3)).abs() < 1e-12, "{alpha}");
}

#[test]
fn jacobi_eigen_on_a_known_matrix() {
    // [[2,1],[1,2]] has eigenvalues 3 and 1, eigenvectors (1,1)/sqrt2 and (1,-1)/sqrt2.
    let (v, vec) = linalg::symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2);
    assert!((v[0] - 3.0).abs() < 1e-12 && (v[1] - 1.0).abs() < 1e-12);
    assert!((vec[0][0].abs() - 0.5f64.sqrt()).abs() < 1e-12);
    let (v3, _) = linalg::symmetric_eigen(&[4.0, 1.0, 0.0, 1.0, 3.0, 1.0, 0.0, 1.0, 2.0], 3);
    assert!((v3.iter().sum::<f64>() - 9.0).abs() < 1e-12);
    // Characteristic roots of this tridiagonal matrix: 3 + sqrt3, 3, 3 - sqrt3.
    assert!((v3[0] - (3.0 + 3f64.sqrt())).abs() < 1e-12);
    assert!((v3[1] - 3.0).abs() < 1e-12);
}

#[test]
fn coherence_of_the_bundled_index() {
    let (spec, data, model) = bundled();
    let res = cityrank_io::build(&spec, &data).unwrap();
    let c = coherence::analyse(&spec.framework, &res, &model).unwrap();
    let fw = &spec.framework;
    assert_eq!(c.importance.len(), fw.n_indicators);
    let shares: f64 = c.importance.iter().map(|i| i.effective_share).sum();
    assert!((shares - 1.0).abs() < 1e-12);
    // 16 indicators and 4 dimensions can each be removed.
    assert_eq!(c.removal.len(), 20);
    for p in &c.pca {
        let s: f64 = p.variance_shares.iter().sum();
        assert!((s - 1.0).abs() < 1e-9, "{}", p.node);
    }
    assert!(c.pairs.iter().any(|p| p.relation == "dimension-index"));
}
