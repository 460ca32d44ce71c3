//! MCDA aggregations: methods that rank a node's units from the whole matrix of its children
//! rather than from a per-unit mean.
//!
//! Each method is a pure function of a decision matrix (criteria as columns, one value per
//! alternative) with weights and a benefit/cost flag per criterion, as in its original paper,
//! so that it can be checked against the published worked example. [`aggregate`] applies them
//! to a node: child scores are already oriented so that higher is better, so every child is a
//! benefit criterion there.
//!
//! Missing children: the methods compare units with each other on every criterion, so a unit
//! is scored only when all of the node's children have a score; the others get a missing node
//! score (counted as unscored in the build's aggregate log). The comparison set is the units
//! with complete children, and a node with fewer than two such units is missing throughout.
//! A child that no unit has (an indicator left out) is dropped from the criteria.

mod copeland;
mod copras;
mod edas;
mod grey;
mod promethee;
mod topsis;
mod vikor;

pub use copeland::copeland;
pub use copras::{copras, Copras};
pub use edas::{edas, Edas};
pub use grey::grey_relational;
pub use promethee::{net_flows, preference, Criterion};
pub use topsis::{topsis, topsis_with};
pub use vikor::{vikor, Vikor};

use crate::spec::{Aggregate, Criteria};

/// Scores one MCDA node: `cols` are the child columns (units as rows), `ids` the children's
/// ids (for thresholds set per child), `weights` the child weights (any positive scale), `out`
/// the node column. Scores are on 0-100, higher is better.
pub fn aggregate(cols: &[&[f64]], ids: &[&str], weights: &[f64], how: Aggregate, out: &mut [f64]) {
    out.fill(f64::NAN);
    // A child no unit has (an indicator left out) is not a criterion at all.
    let kept: Vec<usize> = (0..cols.len())
        .filter(|&j| cols[j].iter().any(|x| !x.is_nan()))
        .collect();
    let ids: Vec<&str> = kept.iter().map(|&j| ids[j]).collect();
    let weights: Vec<f64> = kept.iter().map(|&j| weights[j]).collect();
    let cols: Vec<&[f64]> = kept.iter().map(|&j| cols[j]).collect();
    let rows: Vec<usize> = (0..out.len())
        .filter(|&i| cols.iter().all(|c| !c[i].is_nan()))
        .collect();
    if rows.len() < 2 || cols.is_empty() {
        return;
    }
    let matrix: Vec<Vec<f64>> = cols
        .iter()
        .map(|c| rows.iter().map(|&i| c[i]).collect())
        .collect();
    let w = normalised(&weights);
    let scores = scores_0_100(&matrix, &ids, &w, how);
    for (&i, s) in rows.iter().zip(scores) {
        out[i] = s;
    }
}

/// The method's own result mapped onto 0-100, higher is better.
fn scores_0_100(m: &[Vec<f64>], ids: &[&str], w: &[f64], how: Aggregate) -> Vec<f64> {
    let benefit = vec![true; m.len()];
    let n = m[0].len() as f64;
    match how {
        Aggregate::Topsis { normalisation } => {
            scaled(topsis_with(m, w, &benefit, normalisation), |c| 100.0 * c)
        }
        Aggregate::Copras => {
            let q = copras(m, w, &benefit).utility;
            scaled(q, |u| 100.0 * u)
        }
        Aggregate::Edas => scaled(edas(m, w, &benefit).appraisal, |a| 100.0 * a),
        Aggregate::Vikor { v } => scaled(vikor(m, w, &benefit, v).q, |q| 100.0 * (1.0 - q)),
        Aggregate::PrometheeIi {
            preference,
            q,
            p,
            s,
            criteria,
        } => {
            let c = criteria_of(ids, Criterion::new(preference, q, p, s), criteria);
            scaled(net_flows(m, w, &benefit, &c), |f| 50.0 * (f + 1.0))
        }
        Aggregate::GreyRelational { rho } => {
            scaled(grey_relational(m, w, &benefit, rho), |g| 100.0 * g)
        }
        Aggregate::Copeland => scaled(copeland(m, w, &benefit), |c| 50.0 * (c / (n - 1.0) + 1.0)),
        Aggregate::Arithmetic
        | Aggregate::Geometric
        | Aggregate::Harmonic
        | Aggregate::GeneralisedMean { .. }
        | Aggregate::WeightedMedian { .. } => {
            unreachable!("a mean is not an MCDA method")
        }
    }
}

/// Each child's PROMETHEE criterion: its own thresholds where `criteria` has them, else the
/// node's.
fn criteria_of(ids: &[&str], node: Criterion, criteria: Criteria) -> Vec<Criterion> {
    ids.iter()
        .map(|id| {
            criteria
                .get(id)
                .map_or(node, |t| Criterion::new(t.preference, t.q, t.p, t.s))
        })
        .collect()
}

/// Whether `how` needs child scores >= 0: COPRAS and TOPSIS with sum normalisation divide by
/// column sums, EDAS by column means, and a negative value makes those shares meaningless.
pub fn needs_non_negative(how: Aggregate) -> bool {
    use crate::spec::TopsisNormalisation;
    matches!(
        how,
        Aggregate::Copras
            | Aggregate::Edas
            | Aggregate::Topsis {
                normalisation: TopsisNormalisation::Sum
            }
    )
}

fn scaled(x: Vec<f64>, f: impl Fn(f64) -> f64) -> Vec<f64> {
    x.into_iter().map(f).collect()
}

/// Weights summing to one (equal weights if they sum to zero).
pub fn normalised(w: &[f64]) -> Vec<f64> {
    let total: f64 = w.iter().sum();
    if total > 0.0 {
        w.iter().map(|x| x / total).collect()
    } else {
        vec![1.0 / w.len() as f64; w.len()]
    }
}

/// Best and worst value of a criterion, by its direction.
pub(crate) fn best_worst(col: &[f64], benefit: bool) -> (f64, f64) {
    let hi = col.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lo = col.iter().copied().fold(f64::INFINITY, f64::min);
    if benefit {
        (hi, lo)
    } else {
        (lo, hi)
    }
}
