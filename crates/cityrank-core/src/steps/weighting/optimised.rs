//! Weights optimised so that each child's importance matches an intended share, as the JRC
//! does in its audits (Paruolo, Saisana & Saltelli 2013; Becker et al. 2017): importance is
//! the squared Pearson correlation of the child with the node (the weighted arithmetic mean of
//! the children), and the shares are the importances scaled to sum to one.
//!
//! The optimiser is a damped multiplicative fixed-point iteration: w_j <- w_j (t_j / S_j)^(1/2),
//! renormalised, keeping the best point seen; it stops when the squared error falls below
//! 1e-12 or after 2,000 steps. A child that cannot reach its share (one uncorrelated with the
//! others) leaves a residual, which is reported.

/// The optimised weights and how close the shares came.
#[derive(Clone, Debug, PartialEq)]
pub struct Optimised {
    pub weights: Vec<f64>,
    /// The achieved importance shares.
    pub shares: Vec<f64>,
    /// Sum of squared differences between achieved and intended shares.
    pub residual: f64,
    pub iterations: usize,
}

pub fn optimised(cols: &[Vec<f64>], target: &[f64]) -> Result<Optimised, String> {
    let t = super::proportional(target, "the intended shares are all zero")?;
    let mut w = t.clone();
    let mut best = (f64::INFINITY, w.clone(), vec![0.0; w.len()]);
    let mut iterations = 0;
    for step in 0..2000 {
        iterations = step + 1;
        let s = shares(cols, &w);
        let err: f64 = s.iter().zip(&t).map(|(a, b)| (a - b).powi(2)).sum();
        if err < best.0 {
            best = (err, w.clone(), s.clone());
        }
        if err < 1e-12 {
            break;
        }
        let next: Vec<f64> = w
            .iter()
            .zip(s.iter().zip(&t))
            .map(|(wj, (sj, tj))| wj * (tj / sj.max(1e-12)).sqrt())
            .collect();
        w = super::proportional(&next, "the weights collapsed to zero")?;
    }
    Ok(Optimised {
        weights: best.1,
        shares: best.2,
        residual: best.0,
        iterations,
    })
}

/// Squared correlation of each child with the weighted mean, scaled to sum to one.
pub fn shares(cols: &[Vec<f64>], w: &[f64]) -> Vec<f64> {
    let n = cols[0].len();
    let y: Vec<f64> = (0..n)
        .map(|i| cols.iter().zip(w).map(|(c, wj)| wj * c[i]).sum())
        .collect();
    let r2: Vec<f64> = cols
        .iter()
        .map(|c| {
            let r = crate::stats::pearson(c, &y);
            if r.is_nan() {
                0.0
            } else {
                r * r
            }
        })
        .collect();
    let total: f64 = r2.iter().sum();
    r2.iter().map(|x| x / total.max(1e-300)).collect()
}
