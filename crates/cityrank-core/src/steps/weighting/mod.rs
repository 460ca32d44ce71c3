//! Data-driven weighting: weights computed from the children's scores (entropy, CRITIC,
//! standard deviation, PCA, optimised) or from expert input written in the spec (AHP, budget).
//!
//! Weighting is a step of the build: [`weight_and_aggregate`] computes a node's weights in the
//! bottom-up pass, just before the node is aggregated, from its children's scores as they will
//! be used (so a node's children already carry their own data-driven weights). Each method sees
//! the units with a score on every child of the node (complete rows).

pub mod ahp;
pub mod budget;
pub mod critic;
pub mod entropy;
pub mod optimised;
pub mod pca;
pub mod sd;

use crate::data::Matrix;
use crate::error::{BuildError, Location};
use crate::framework::{AggregateMethods, Framework};
use crate::spec::Weighting;
use crate::steps::aggregate::{self, Accumulator};
use crate::steps::node_rules::{RulesLog, UnitRules};
use serde::Serialize;

/// The weights one node got, and the facts behind them.
#[derive(Clone, Debug, Serialize)]
pub struct NodeWeights {
    pub node: String,
    pub method: &'static str,
    /// Child ids and their weights, in framework order.
    pub children: Vec<(String, f64)>,
    /// Units with a score on every child (the data the weights rest on).
    pub complete_units: usize,
    /// Consistency ratio, explained variance, residual...
    pub notes: Vec<String>,
}

/// The weights of one node's children by `method`, with notes. `cols` hold complete rows;
/// `written` are the weights written on the children.
pub fn compute(
    method: Weighting,
    cols: &[Vec<f64>],
    written: &[f64],
) -> Result<(Vec<f64>, Vec<String>), String> {
    let k = cols.len();
    let needs_rows = !matches!(method, Weighting::Ahp { .. } | Weighting::Budget { .. });
    if needs_rows && cols.first().map_or(0, Vec::len) < 2 {
        return Err("fewer than two units have a score on every child".into());
    }
    match method {
        Weighting::Explicit => proportional(written, "all written weights are zero").map(plain),
        Weighting::Equal => Ok(plain(vec![1.0 / k as f64; k])),
        Weighting::Entropy => entropy::entropy(cols).map(plain),
        Weighting::EntropyMinMax => entropy::entropy_min_max(cols).map(plain),
        Weighting::Critic => critic::critic(cols, &vec![true; k]).map(plain),
        Weighting::Sd => sd::sd(cols).map(plain),
        Weighting::SdRaw => sd::sd_raw(cols).map(plain),
        Weighting::Pca | Weighting::PcaVarimax => {
            let rotate = matches!(method, Weighting::PcaVarimax);
            pca::pca(cols, rotate).map(|p| {
                let note = format!(
                    "{} component(s) retained (eigenvalues {}){}, explaining {:.1}% of the variance",
                    p.retained.len(),
                    join(&p.retained),
                    if rotate && p.retained.len() > 1 { ", varimax-rotated" } else { "" },
                    100.0 * p.explained
                );
                (p.weights, vec![note])
            })
        }
        Weighting::Ahp {
            matrix,
            allow_inconsistent,
        } => ahp_weights(&matrix.to_rows(), k, allow_inconsistent),
        Weighting::Budget { points } => budget::budget(&points.to_rows(), k).map(plain),
        Weighting::Optimised { target } => {
            let t = target.map_or_else(|| written.to_vec(), |t| t.values.to_vec());
            if t.len() != k {
                return Err(format!("{} intended shares for {k} children", t.len()));
            }
            optimised::optimised(cols, &t).map(|o| {
                let note = format!(
                    "importance shares {} after {} iterations, squared error {:.2e}",
                    join(&o.shares),
                    o.iterations,
                    o.residual
                );
                (o.weights, vec![note])
            })
        }
    }
}

fn ahp_weights(
    rows: &[Vec<f64>],
    k: usize,
    allow_inconsistent: bool,
) -> Result<(Vec<f64>, Vec<String>), String> {
    if rows.len() != k {
        return Err(format!(
            "the pairwise matrix has {} rows for {k} children",
            rows.len()
        ));
    }
    let a = ahp::ahp(rows)?;
    let note = format!(
        "lambda_max {:.4}, CI {:.4}, CR {:.4}",
        a.lambda_max, a.ci, a.cr
    );
    if a.cr > 0.1 && !allow_inconsistent {
        return Err(format!(
            "the pairwise judgements are inconsistent: {note} is above 0.1 (Saaty); revise them or set `allow_inconsistent = true`"
        ));
    }
    Ok((a.weights, vec![note]))
}

fn plain(w: Vec<f64>) -> (Vec<f64>, Vec<String>) {
    (w, Vec::new())
}

fn join(x: &[f64]) -> String {
    x.iter()
        .map(|v| format!("{v:.3}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Weights and aggregates bottom-up: with `derive`, a data-driven node's weights are computed
/// from its children's columns (already aggregated) and written into `weights`, normalised to
/// sum to one as written weights are, before the node itself is aggregated. Returns how each
/// data-driven node got its weights. Without `derive` the given weights stand.
pub fn weight_and_aggregate(
    scores: &mut Matrix,
    fw: &Framework,
    weights: &mut [f64],
    methods: &[AggregateMethods],
    derive: bool,
    rules: &UnitRules,
    log: &mut RulesLog,
) -> Result<Vec<NodeWeights>, BuildError> {
    let mut acc = Accumulator::new(scores.rows);
    let mut found = Vec::new();
    for &p in &fw.bottom_up {
        let m = &methods[p - fw.n_indicators];
        if derive && m.weighting.is_data_driven() {
            found.push(weigh_node(scores, fw, p, m.weighting, weights)?);
        }
        aggregate::aggregate_node_with(scores, fw, p, weights, m, &mut acc, Some((rules, log)))?;
    }
    Ok(found)
}

/// The weights of node `p`'s children by `method`, from their columns of `scores`.
fn weigh_node(
    scores: &Matrix,
    fw: &Framework,
    p: usize,
    method: Weighting,
    weights: &mut [f64],
) -> Result<NodeWeights, BuildError> {
    let kids = &fw.nodes[p].children;
    let cols = complete_columns(kids.iter().map(|&c| scores.col(c)).collect());
    let written: Vec<f64> = kids.iter().map(|&c| fw.nodes[c].weight).collect();
    let (w, notes) = compute(method, &cols, &written).map_err(|m| {
        BuildError::new(
            Location::Node(fw.nodes[p].id.clone()),
            format!("{} weights: {m}", method.name()),
            "check the node's `weighting` setting and the data of its children",
        )
    })?;
    let total: f64 = w.iter().sum();
    for (&c, &wc) in kids.iter().zip(&w) {
        weights[c] = wc / total;
    }
    Ok(NodeWeights {
        node: fw.nodes[p].id.clone(),
        method: method.name(),
        children: kids
            .iter()
            .map(|&c| fw.nodes[c].id.clone())
            .zip(w)
            .collect(),
        complete_units: cols.first().map_or(0, Vec::len),
        notes,
    })
}

/// Whether any node of the framework asks for data-driven weights.
pub fn is_data_driven(fw: &Framework) -> bool {
    fw.bottom_up
        .iter()
        .any(|&p| fw.aggregate_methods(p).weighting.is_data_driven())
}

/// The rows where every column has a value, column by column.
pub fn complete_columns(cols: Vec<&[f64]>) -> Vec<Vec<f64>> {
    let rows = crate::correlation::complete_rows(&cols);
    cols.iter()
        .map(|c| rows.iter().map(|&i| c[i]).collect())
        .collect()
}

/// `x` scaled to sum to one; `why` explains a zero sum.
pub fn proportional(x: &[f64], why: &str) -> Result<Vec<f64>, String> {
    let total: f64 = x.iter().sum();
    if !(total > 0.0 && total.is_finite()) {
        return Err(why.to_string());
    }
    Ok(x.iter().map(|v| v / total).collect())
}

/// (x - min) / (max - min); all zeros for a constant column.
pub fn min_max(c: &[f64]) -> Vec<f64> {
    let lo = c.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = c.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    c.iter()
        .map(|&x| if hi > lo { (x - lo) / (hi - lo) } else { 0.0 })
        .collect()
}
