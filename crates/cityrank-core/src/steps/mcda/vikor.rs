//! VIKOR, as Opricovic & Tzeng (2004) define it: group utility S (weighted, normalised
//! Manhattan distance to the best values), individual regret R (the Chebyshev one) and their
//! compromise Q, all lower-is-better.

use super::best_worst;

/// The three VIKOR measures, one value per alternative.
#[derive(Clone, Debug, PartialEq)]
pub struct Vikor {
    pub s: Vec<f64>,
    pub r: Vec<f64>,
    pub q: Vec<f64>,
}

/// S, R and Q with `v` the weight of the strategy of maximum group utility. A criterion on
/// which all alternatives are equal contributes nothing; so does a Q term whose range is zero.
pub fn vikor(cols: &[Vec<f64>], w: &[f64], benefit: &[bool], v: f64) -> Vikor {
    let n = cols[0].len();
    let (mut s, mut r) = (vec![0.0; n], vec![0.0; n]);
    for ((c, &wj), &b) in cols.iter().zip(w).zip(benefit) {
        let (best, worst) = best_worst(c, b);
        if best == worst {
            continue;
        }
        for i in 0..n {
            let d = wj * (best - c[i]) / (best - worst);
            s[i] += d;
            r[i] = f64::max(r[i], d);
        }
    }
    let q = (0..n)
        .map(|i| v * share(&s, s[i]) + (1.0 - v) * share(&r, r[i]))
        .collect();
    Vikor { s, r, q }
}

/// (x - min) / (max - min) over `all`, or 0 when they are all equal.
fn share(all: &[f64], x: f64) -> f64 {
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if hi > lo {
        (x - lo) / (hi - lo)
    } else {
        0.0
    }
}
