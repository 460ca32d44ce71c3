//! COPRAS, the complex proportional assessment of Zavadskas & Kaklauskas (1996): each criterion
//! is divided by its column sum and weighted; an alternative's benefit sum S+ and cost sum S-
//! give its relative significance Q, and its utility degree is Q over the best Q.

/// The COPRAS measures, one value per alternative.
#[derive(Clone, Debug, PartialEq)]
pub struct Copras {
    /// Sum of the weighted normalised benefit criteria.
    pub s_plus: Vec<f64>,
    /// Sum of the weighted normalised cost criteria.
    pub s_minus: Vec<f64>,
    /// Relative significance Q = S+ + sum(S-) / (S- sum(1 / S-)); Q = S+ without cost criteria.
    pub q: Vec<f64>,
    /// Utility degree Q / max Q, in (0, 1].
    pub utility: Vec<f64>,
}

/// COPRAS of a decision matrix with values >= 0 and positive column sums (a column summing to 0
/// contributes nothing). Weights should sum to one.
pub fn copras(cols: &[Vec<f64>], w: &[f64], benefit: &[bool]) -> Copras {
    let n = cols[0].len();
    let (mut s_plus, mut s_minus) = (vec![0.0; n], vec![0.0; n]);
    for ((c, &wj), &b) in cols.iter().zip(w).zip(benefit) {
        let total: f64 = c.iter().sum();
        if !(total > 0.0) {
            continue;
        }
        let sums = if b { &mut s_plus } else { &mut s_minus };
        for (s, &x) in sums.iter_mut().zip(c) {
            *s += wj * x / total;
        }
    }
    let has_cost = benefit.iter().any(|b| !b);
    let total_minus: f64 = s_minus.iter().sum();
    let inverse_sum: f64 = s_minus.iter().map(|s| 1.0 / s).sum();
    let q: Vec<f64> = (0..n)
        .map(|i| {
            if has_cost && total_minus > 0.0 {
                s_plus[i] + total_minus / (s_minus[i] * inverse_sum)
            } else {
                s_plus[i]
            }
        })
        .collect();
    let best = q.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let utility = q
        .iter()
        .map(|&x| if best > 0.0 { x / best } else { 1.0 })
        .collect();
    Copras {
        s_plus,
        s_minus,
        q,
        utility,
    }
}
