//! CRITIC, CRiteria Importance Through Intercriteria Correlation (Diakoulaki, Mavrotas &
//! Papayannakis 1995): a criterion weighs by its contrast (standard deviation) times its
//! conflict with the others, C_j = sd_j * sum_k (1 - r_jk).
//!
//! As in the paper, each criterion is first rescaled onto [0, 1] from its worst to its best
//! value, so a cost criterion is reversed before its standard deviation is taken. The
//! correlations do not depend on that; whether the sd divides by n or n - 1 does not change
//! the weights (it scales every C_j alike).

/// CRITIC weights of the columns; `benefit[j]` says whether higher is better.
pub fn critic(cols: &[Vec<f64>], benefit: &[bool]) -> Result<Vec<f64>, String> {
    let scaled: Vec<Vec<f64>> = cols
        .iter()
        .zip(benefit)
        .map(|(c, &b)| oriented(&super::min_max(c), b))
        .collect();
    let info: Vec<f64> = (0..cols.len())
        .map(|j| {
            let conflict: f64 = (0..cols.len())
                .map(|k| 1.0 - correlation(&scaled[j], &scaled[k]))
                .sum();
            crate::stats::sd(&scaled[j]) * conflict
        })
        .collect();
    super::proportional(&info, "no criterion varies")
}

fn oriented(c: &[f64], benefit: bool) -> Vec<f64> {
    if benefit {
        c.to_vec()
    } else {
        c.iter().map(|x| 1.0 - x).collect()
    }
}

/// Pearson correlation, 0 when a column is constant (it then conflicts with nothing).
fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let r = crate::stats::pearson(a, b);
    if r.is_nan() {
        0.0
    } else {
        r
    }
}
