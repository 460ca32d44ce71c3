//! Weight: each node's weight within its parent, normalised to sum to one over all siblings.
//!
//! The build renormalises again over the children a unit actually has, so these are the nominal
//! weights that the methodology publishes and that the uncertainty analysis perturbs.

use crate::framework::Framework;
use crate::spec::Weighting;

/// Nominal weights, one per node (the root gets 1).
pub fn nominal(fw: &Framework) -> Vec<f64> {
    let mut w = vec![1.0; fw.nodes.len()];
    for &p in &fw.bottom_up {
        let kids = &fw.nodes[p].children;
        let raw: Vec<f64> = match fw.aggregate_methods(p).weighting {
            Weighting::Equal => vec![1.0; kids.len()],
            // Data-driven weights are computed outside the core (they need the data) and
            // passed in as overrides; without them the written weights stand.
            _ => kids.iter().map(|&c| fw.nodes[c].weight).collect(),
        };
        let total: f64 = raw.iter().sum();
        for (&c, r) in kids.iter().zip(raw) {
            w[c] = r / total;
        }
    }
    w
}

/// A node's effective weight in the whole index: the product of nominal weights up to the root.
pub fn effective(fw: &Framework, nominal: &[f64]) -> Vec<f64> {
    (0..fw.nodes.len())
        .map(|k| nominal[k] * fw.ancestors(k).iter().map(|&a| nominal[a]).product::<f64>())
        .collect()
}
