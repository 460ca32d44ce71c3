//! Grey relational analysis (Deng 1982, 1989): each criterion is rescaled onto [0, 1]
//! (larger- or smaller-the-better), compared with the ideal reference sequence (all ones), and
//! the grey relational coefficients are averaged with the weights into the grade.

/// The weighted grey relational grade of each alternative, in (0, 1], with distinguishing
/// coefficient `rho` (Deng's 0.5 by default). A criterion on which all alternatives are equal
/// counts as at the reference for all of them.
pub fn grey_relational(cols: &[Vec<f64>], w: &[f64], benefit: &[bool], rho: f64) -> Vec<f64> {
    let n = cols[0].len();
    let deltas: Vec<Vec<f64>> = cols
        .iter()
        .zip(benefit)
        .map(|(c, &b)| generated(c, b).iter().map(|x| 1.0 - x).collect())
        .collect();
    let all = deltas.iter().flatten().copied();
    let dmin = all.clone().fold(f64::INFINITY, f64::min);
    let dmax = all.fold(f64::NEG_INFINITY, f64::max);
    (0..n)
        .map(|i| {
            deltas
                .iter()
                .zip(w)
                .map(|(d, &wj)| {
                    let coef = if dmax > 0.0 {
                        (dmin + rho * dmax) / (d[i] + rho * dmax)
                    } else {
                        1.0
                    };
                    wj * coef
                })
                .sum()
        })
        .collect()
}

/// Grey relational generating: (x - min) / (max - min), or (max - x) / (max - min) for a
/// smaller-the-better criterion.
fn generated(col: &[f64], benefit: bool) -> Vec<f64> {
    let lo = col.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = col.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    col.iter()
        .map(|&x| match (hi > lo, benefit) {
            (false, _) => 1.0,
            (true, true) => (x - lo) / (hi - lo),
            (true, false) => (hi - x) / (hi - lo),
        })
        .collect()
}
