//! TOPSIS, as Hwang & Yoon (1981) define it: vector normalisation of each criterion, weighted,
//! Euclidean distances to the ideal and the anti-ideal, relative closeness to the ideal.

use super::best_worst;

/// Relative closeness C = S- / (S+ + S-) of each alternative, in [0, 1]; 0.5 when the ideal and
/// anti-ideal coincide (all alternatives alike).
pub fn topsis(cols: &[Vec<f64>], w: &[f64], benefit: &[bool]) -> Vec<f64> {
    let n = cols[0].len();
    let weighted: Vec<Vec<f64>> = cols
        .iter()
        .zip(w)
        .map(|(c, &wj)| {
            let norm = c.iter().map(|x| x * x).sum::<f64>().sqrt();
            let f = if norm > 0.0 { wj / norm } else { 0.0 };
            c.iter().map(|x| x * f).collect()
        })
        .collect();
    let ideals: Vec<(f64, f64)> = weighted
        .iter()
        .zip(benefit)
        .map(|(c, &b)| best_worst(c, b))
        .collect();
    (0..n)
        .map(|i| {
            let (mut plus, mut minus) = (0.0, 0.0);
            for (c, &(best, worst)) in weighted.iter().zip(&ideals) {
                plus += (c[i] - best).powi(2);
                minus += (c[i] - worst).powi(2);
            }
            let (plus, minus) = (plus.sqrt(), minus.sqrt());
            if plus + minus > 0.0 {
                minus / (plus + minus)
            } else {
                0.5
            }
        })
        .collect()
}
