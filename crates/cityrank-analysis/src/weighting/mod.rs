//! Data-driven weighting: weights computed from the children's scores (entropy, CRITIC,
//! standard deviation, PCA, optimised) or from expert input written in the spec (AHP, budget).
//!
//! The core stays pure and data-free: it keeps the written weights for these methods, and
//! [`resolve`] computes them here and hands them to the core through `build_with` overrides.
//! Nodes are resolved bottom-up, so a node's children already carry their own data-driven
//! weights when its weights are computed. Each method sees the units with a score on every
//! child of the node (complete rows).

pub mod ahp;
pub mod budget;
pub mod critic;
pub mod entropy;
pub mod optimised;
pub mod pca;
pub mod sd;

use cityrank_core::build::{self, Overrides, Prepared};
use cityrank_core::framework::Framework;
use cityrank_core::spec::{Spec, Weighting};
use cityrank_core::steps::weight;
use cityrank_core::{BuildError, Location, Results};
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

/// Weights of every node (within its parent, as `weight::nominal` gives them) with the
/// data-driven ones computed.
#[derive(Clone, Debug, Serialize)]
pub struct Resolved {
    pub weights: Vec<f64>,
    pub nodes: Vec<NodeWeights>,
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

/// Computes the data-driven weights bottom-up. `method_of(node)` says which method a node
/// uses (`None` or a written/equal method: its weights are left as they are).
pub fn resolve(
    spec: &Spec,
    fw: &Framework,
    prepared: &Prepared,
    method_of: impl Fn(usize) -> Option<Weighting>,
) -> Result<Resolved, BuildError> {
    let mut weights = weight::nominal(fw);
    let mut nodes = Vec::new();
    for &p in &fw.bottom_up {
        let Some(method) = method_of(p).filter(|m| m.is_data_driven()) else {
            continue;
        };
        let o = Overrides {
            weights: Some(weights.clone()),
            ..Overrides::default()
        };
        let (scores, _) = build::build_with(spec, fw, prepared, &o)?;
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
        for (&c, &wc) in kids.iter().zip(&w) {
            weights[c] = wc;
        }
        nodes.push(NodeWeights {
            node: fw.nodes[p].id.clone(),
            method: method.name(),
            children: kids
                .iter()
                .map(|&c| fw.nodes[c].id.clone())
                .zip(w)
                .collect(),
            complete_units: cols.first().map_or(0, Vec::len),
            notes,
        });
    }
    Ok(Resolved { weights, nodes })
}

/// The weightings the spec itself asks for.
pub fn from_spec(fw: &Framework) -> impl Fn(usize) -> Option<Weighting> + '_ {
    |p| Some(fw.aggregate_methods(p).weighting)
}

/// Whether any node of the spec asks for data-driven weights.
pub fn spec_is_data_driven(fw: &Framework) -> bool {
    fw.bottom_up
        .iter()
        .any(|&p| fw.aggregate_methods(p).weighting.is_data_driven())
}

/// Rebuilds a core build's results with the spec's data-driven weights (scores, ranks,
/// weights and the unscored counts of the aggregate log); `None` when the spec has none.
pub fn apply(
    spec: &Spec,
    fw: &Framework,
    data: &cityrank_core::Dataset,
    results: &mut Results,
) -> Result<Option<Resolved>, BuildError> {
    if !spec_is_data_driven(fw) {
        return Ok(None);
    }
    let prepared = build::prepare(spec, fw, data)?;
    let resolved = resolve(spec, fw, &prepared, from_spec(fw))?;
    let o = Overrides {
        weights: Some(resolved.weights.clone()),
        ..Overrides::default()
    };
    let (scores, ranks) = build::build_with(spec, fw, &prepared, &o)?;
    for rec in &mut results.log.aggregate {
        if let Some(k) = fw.find(&rec.node) {
            rec.unscored = scores.col(k).iter().filter(|v| v.is_nan()).count();
        }
    }
    results.scores = scores;
    results.ranks = ranks;
    results.weights = resolved.weights.clone();
    Ok(Some(resolved))
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
