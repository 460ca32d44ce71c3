//! The Shannon entropy weight method (Zeleny 1982; Hwang & Yoon 1981): a criterion whose values
//! are spread evenly over the alternatives carries little information and gets little weight.
//!
//! p_ij = x_ij / sum_i x_ij, E_j = -sum_i p_ij ln p_ij / ln m (0 ln 0 = 0), weight ~ 1 - E_j.
//! The original works on the values as they are and needs them non-negative. The common
//! practice of a min-max rescale onto [0, 1] first is [`entropy_min_max`]; it gives different
//! weights (the worst alternative then contributes nothing to each criterion).

/// Entropy weights of non-negative columns (complete rows, m >= 2).
pub fn entropy(cols: &[Vec<f64>]) -> Result<Vec<f64>, String> {
    if cols.iter().flatten().any(|&x| x < 0.0) {
        return Err("entropy weights need non-negative values".into());
    }
    let d: Vec<f64> = cols.iter().map(|c| 1.0 - entropy_of(c)).collect();
    super::proportional(&d, "every criterion has maximal entropy (all values alike)")
}

/// Entropy weights after rescaling each column onto [0, 1] by its min and max.
pub fn entropy_min_max(cols: &[Vec<f64>]) -> Result<Vec<f64>, String> {
    let scaled: Vec<Vec<f64>> = cols.iter().map(|c| super::min_max(c)).collect();
    entropy(&scaled)
}

/// Normalised Shannon entropy of one column, in [0, 1]; 1 for an all-zero column.
pub fn entropy_of(c: &[f64]) -> f64 {
    let total: f64 = c.iter().sum();
    if total <= 0.0 || c.len() < 2 {
        return 1.0;
    }
    let h: f64 = c
        .iter()
        .filter(|&&x| x > 0.0)
        .map(|&x| {
            let p = x / total;
            -p * p.ln()
        })
        .sum();
    h / (c.len() as f64).ln()
}
