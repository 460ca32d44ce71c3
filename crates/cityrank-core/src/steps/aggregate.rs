//! Aggregate: combine children into their parent, level by level, then rescale if asked.
//!
//! A missing child is skipped and the weights of the present children are renormalised (the
//! rule of the EPI, COINr and most published indices); a parent with too few present children
//! (below `min_share`) is itself missing rather than scored on a sliver of its data.

use crate::data::Matrix;
use crate::error::{BuildError, Location};
use crate::framework::{AggregateMethods, Framework};
use crate::spec::{Aggregate, Rescale};
use crate::stats;
use crate::steps::mcda;
use crate::steps::node_rules::{RulesLog, UnitRules};

pub mod median;

/// Fills the aggregate columns of `scores` (units x nodes; indicator columns already hold the
/// normalised scores). `weights` are per node, `methods` per aggregate node (index `k - n_ind`).
pub fn aggregate(
    scores: &mut Matrix,
    fw: &Framework,
    weights: &[f64],
    methods: &[AggregateMethods],
) -> Result<(), BuildError> {
    aggregate_with(scores, fw, weights, methods, None)
}

/// [`aggregate`] under the rules of the ranked units (see [`aggregate_node_with`]).
pub fn aggregate_with(
    scores: &mut Matrix,
    fw: &Framework,
    weights: &[f64],
    methods: &[AggregateMethods],
    mut rules: Option<(&UnitRules, &mut RulesLog)>,
) -> Result<(), BuildError> {
    let mut acc = Accumulator::new(scores.rows);
    for &p in &fw.bottom_up {
        let r = rules.as_mut().map(|(r, log)| (*r, &mut **log));
        aggregate_node_with(
            scores,
            fw,
            p,
            weights,
            &methods[p - fw.n_indicators],
            &mut acc,
            r,
        )?;
    }
    Ok(())
}

/// Fills node `p`'s column from its children's (already filled) columns.
pub fn aggregate_node(
    scores: &mut Matrix,
    fw: &Framework,
    p: usize,
    weights: &[f64],
    m: &AggregateMethods,
    acc: &mut Accumulator,
) -> Result<(), BuildError> {
    aggregate_node_with(scores, fw, p, weights, m, acc, None)
}

/// [`aggregate_node`] under the rules of the ranked units: `min_share` counts the children
/// that apply to each unit, and the node's published values, imputation and rounding follow.
pub fn aggregate_node_with(
    scores: &mut Matrix,
    fw: &Framework,
    p: usize,
    weights: &[f64],
    m: &AggregateMethods,
    acc: &mut Accumulator,
    rules: Option<(&UnitRules, &mut RulesLog)>,
) -> Result<(), BuildError> {
    if m.aggregate.is_mcda() {
        if mcda::needs_non_negative(m.aggregate) {
            non_negative(scores, fw, p, m.aggregate)?;
        }
        mcda_node(scores, fw, p, weights, m.aggregate);
    } else {
        acc.reset();
        for &c in &fw.nodes[p].children {
            acc.add(scores.col(c), weights[c], m.aggregate)
                .map_err(|i| positive_error(fw, p, c, i, m.aggregate))?;
        }
        let n_children = fw.nodes[p].children.len();
        match &rules {
            Some((r, _)) if r.applicable.any_not_applicable() => {
                acc.finish_each(scores.col_mut(p), m.aggregate, m.min_share, |i| {
                    r.applicable_children(fw, p, i)
                })
            }
            _ => acc.finish(scores.col_mut(p), m.aggregate, m.min_share, n_children),
        }
    }
    rescale(scores.col_mut(p), m.rescale);
    if let Some((r, log)) = rules {
        r.after_node(scores, fw, p, log);
    }
    Ok(())
}

/// Refuses a negative child score under a method that divides by column sums or means.
fn non_negative(
    scores: &Matrix,
    fw: &Framework,
    p: usize,
    how: Aggregate,
) -> Result<(), BuildError> {
    for &c in &fw.nodes[p].children {
        if let Some(i) = scores.col(c).iter().position(|&x| x < 0.0) {
            return Err(BuildError::new(
                Location::Node(fw.nodes[p].id.clone()),
                format!(
                    "{how} divides each child by its column sum or mean, which needs scores >= 0, but child `{}` scores {} for the unit in row {}",
                    fw.nodes[c].id,
                    scores.get(i, c),
                    i + 1
                ),
                "normalise the children onto a non-negative range (min_max, sum or ratio_to_max), or use topsis with vector normalisation",
            ));
        }
    }
    Ok(())
}

/// An MCDA node: the method sees the whole matrix of the node's child columns.
fn mcda_node(scores: &mut Matrix, fw: &Framework, p: usize, weights: &[f64], how: Aggregate) {
    let kids = &fw.nodes[p].children;
    let w: Vec<f64> = kids.iter().map(|&c| weights[c]).collect();
    let cols: Vec<Vec<f64>> = kids.iter().map(|&c| scores.col(c).to_vec()).collect();
    let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    let ids: Vec<&str> = kids.iter().map(|&c| fw.nodes[c].id.as_str()).collect();
    mcda::aggregate(&refs, &ids, &w, how, scores.col_mut(p));
}

/// Running sums over the children of one node, one slot per unit (and, for a weighted
/// median, each unit's (score, weight) pairs).
pub struct Accumulator {
    sum_w: Vec<f64>,
    sum: Vec<f64>,
    present: Vec<u32>,
    pairs: Vec<Vec<(f64, f64)>>,
}

impl Accumulator {
    pub fn new(rows: usize) -> Self {
        Accumulator {
            sum_w: vec![0.0; rows],
            sum: vec![0.0; rows],
            present: vec![0; rows],
            pairs: Vec::new(),
        }
    }

    pub fn reset(&mut self) {
        self.sum_w.fill(0.0);
        self.sum.fill(0.0);
        self.present.fill(0);
        self.pairs.iter_mut().for_each(Vec::clear);
    }

    /// Adds one child column; on a value outside the mean's domain (<= 0 under a geometric or
    /// harmonic mean, < 0 or, for p < 0, <= 0 under a generalised mean), returns the row.
    pub fn add(&mut self, col: &[f64], w: f64, how: Aggregate) -> Result<(), usize> {
        if let Aggregate::WeightedMedian { .. } = how {
            self.pairs.resize_with(col.len(), Vec::new);
        }
        for (i, &x) in col.iter().enumerate() {
            if x.is_nan() {
                continue;
            }
            let term = match how {
                Aggregate::Arithmetic => w * x,
                Aggregate::Geometric if x > 0.0 => w * x.ln(),
                Aggregate::Harmonic if x > 0.0 => w / x,
                Aggregate::GeneralisedMean { p } if x > 0.0 || (x == 0.0 && p > 0.0) => {
                    w * x.powf(p)
                }
                Aggregate::WeightedMedian { .. } => {
                    self.pairs[i].push((x, w));
                    0.0
                }
                _ => return Err(i),
            };
            self.sum[i] += term;
            self.sum_w[i] += w;
            self.present[i] += 1;
        }
        Ok(())
    }

    pub fn finish(&self, out: &mut [f64], how: Aggregate, min_share: f64, n_children: usize) {
        self.finish_each(out, how, min_share, |_| n_children);
    }

    /// [`Accumulator::finish`] with the number of children counted per unit (those that
    /// apply to it).
    pub fn finish_each(
        &self,
        out: &mut [f64],
        how: Aggregate,
        min_share: f64,
        n_children: impl Fn(usize) -> usize,
    ) {
        for (i, o) in out.iter_mut().enumerate() {
            let k = self.present[i];
            let enough = k > 0 && k as f64 >= min_share * n_children(i) as f64 - 1e-9;
            *o = if !enough || self.sum_w[i] <= 0.0 {
                f64::NAN
            } else {
                let (s, w) = (self.sum[i], self.sum_w[i]);
                match how {
                    Aggregate::Arithmetic => s / w,
                    Aggregate::Geometric => (s / w).exp(),
                    Aggregate::Harmonic => w / s,
                    Aggregate::GeneralisedMean { p } => (s / w).powf(1.0 / p),
                    Aggregate::WeightedMedian { ties } => {
                        median::weighted_median(&self.pairs[i], ties)
                    }
                    // MCDA nodes never reach the accumulator (see `mcda_node`).
                    _ => f64::NAN,
                }
            };
        }
    }
}

/// Rescales a node's column in place.
pub fn rescale(col: &mut [f64], how: Rescale) {
    match how {
        Rescale::None => {}
        Rescale::Leader { scale } => {
            let hi = stats::max(col);
            if hi > 0.0 {
                col.iter_mut().for_each(|v| *v = *v * scale / hi);
            }
        }
        Rescale::MinMax { low, high } => {
            let (lo, hi) = (stats::min(col), stats::max(col));
            if hi > lo {
                col.iter_mut()
                    .for_each(|v| *v = low + (*v - lo) / (hi - lo) * (high - low));
            }
        }
    }
}

fn positive_error(
    fw: &Framework,
    parent: usize,
    child: usize,
    row: usize,
    how: Aggregate,
) -> BuildError {
    BuildError::new(
        Location::Node(fw.nodes[parent].id.clone()),
        match how {
            Aggregate::GeneralisedMean { p } => format!(
                "the generalised mean with p = {p} needs scores {}, but child `{}` has a score outside that for the unit in row {}",
                if p > 0.0 { ">= 0" } else { "> 0" },
                fw.nodes[child].id,
                row + 1
            ),
            _ => format!(
                "the {how} mean needs positive scores, but child `{}` has a score <= 0 for the unit in row {}",
                fw.nodes[child].id,
                row + 1
            ),
        },
        "normalise onto a positive range, e.g. `normalise = { method = \"min_max\", low = 1, high = 100 }`, or use the arithmetic mean",
    )
}
