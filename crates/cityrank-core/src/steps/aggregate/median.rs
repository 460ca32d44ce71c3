//! The weighted median of a unit's present children: a mean that one extreme child cannot move,
//! for indices that want a child's lead to count only as far as it is shared.

use crate::spec::MedianTies;

/// The weighted median of (value, weight) pairs with positive weights. Sorted by value, it is
/// the first value at which the cumulative weight reaches half the total; when it reaches
/// exactly half there, the values below and above weigh the same and `ties` chooses between
/// that value and the next. With equal weights this is the ordinary median (`mean` ties).
pub fn weighted_median(pairs: &[(f64, f64)], ties: MedianTies) -> f64 {
    let mut v: Vec<(f64, f64)> = pairs.iter().copied().filter(|p| p.1 > 0.0).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let half = v.iter().map(|p| p.1).sum::<f64>() / 2.0;
    let mut cum = 0.0;
    for (k, &(x, w)) in v.iter().enumerate() {
        cum += w;
        // Relative slack so that weights like 0.1 + 0.2 + 0.2 still meet a half of 1.
        let exactly = (cum - half).abs() <= 1e-12 * half;
        if exactly && k + 1 < v.len() {
            let next = v[k + 1].0;
            return match ties {
                MedianTies::Mean => (x + next) / 2.0,
                MedianTies::Lower => x,
                MedianTies::Upper => next,
            };
        }
        if cum >= half {
            return x;
        }
    }
    v[v.len() - 1].0
}
