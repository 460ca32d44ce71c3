//! The non-compensatory Copeland ranking of Munda & Nardo (2009): for each pair of units the
//! outranking index e_jk sums the weights of the criteria on which j beats k, plus half the
//! weights of those on which they tie; j wins the pair when e_jk > e_kj. A large lead on one
//! criterion cannot buy back losses on others, which is the point of the method.

/// Copeland score of each alternative: pairs won minus pairs lost (a tied pair counts 0).
/// Weights should sum to one.
pub fn copeland(cols: &[Vec<f64>], w: &[f64], benefit: &[bool]) -> Vec<f64> {
    let n = cols[0].len();
    let mut score = vec![0.0; n];
    for j in 0..n {
        for k in (j + 1)..n {
            let e = outranking(cols, w, benefit, j, k);
            let sign = if (e - 0.5).abs() < 1e-12 {
                0.0
            } else {
                (e - 0.5).signum()
            };
            score[j] += sign;
            score[k] -= sign;
        }
    }
    score
}

/// e_jk: weight of the criteria on which j is better than k, plus half of those where equal.
pub fn outranking(cols: &[Vec<f64>], w: &[f64], benefit: &[bool], j: usize, k: usize) -> f64 {
    cols.iter()
        .zip(w)
        .zip(benefit)
        .map(|((c, &wm), &b)| {
            let d = if b { c[j] - c[k] } else { c[k] - c[j] };
            if d > 0.0 {
                wm
            } else if d == 0.0 {
                wm / 2.0
            } else {
                0.0
            }
        })
        .sum()
}
