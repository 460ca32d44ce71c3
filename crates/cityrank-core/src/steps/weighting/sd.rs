//! The standard deviation method: weights proportional to each criterion's standard deviation
//! (n - 1), after a min-max rescale onto [0, 1] (Diakoulaki et al. 1995 compare it with CRITIC;
//! it is CRITIC without the conflict term) or on the scores as they are (as pymcdm's
//! `standard_deviation_weights` computes it on the decision matrix).

/// Standard deviation weights of the columns.
pub fn sd(cols: &[Vec<f64>]) -> Result<Vec<f64>, String> {
    let s: Vec<f64> = cols
        .iter()
        .map(|c| crate::stats::sd(&super::min_max(c)))
        .collect();
    super::proportional(&s, "no criterion varies")
}

/// Standard deviation weights of the columns as they are, with no rescale: a child on a wider
/// scale weighs more.
pub fn sd_raw(cols: &[Vec<f64>]) -> Result<Vec<f64>, String> {
    let s: Vec<f64> = cols.iter().map(|c| crate::stats::sd(c)).collect();
    super::proportional(&s, "no criterion varies")
}
