//! Correlations between the dimensions (and the index) and between the indicators.
//!
//! Computed over the ranked units' scores with `cityrank_core::stats::pearson`, which skips
//! missing pairs: a heatmap of how much the pillars say the same thing.

use crate::edition::Edition;
use cityrank_core::stats::pearson;

/// Labels and the correlation matrix of `nodes`.
pub struct Correlation {
    pub labels: Vec<String>,
    pub matrix: Vec<Vec<f64>>,
}

fn of_nodes(ed: &Edition, nodes: &[usize]) -> Correlation {
    let (fw, s) = (&ed.spec.framework, &ed.results.scores);
    Correlation {
        labels: nodes.iter().map(|&k| fw.nodes[k].id.clone()).collect(),
        matrix: nodes
            .iter()
            .map(|&a| nodes.iter().map(|&b| pearson(s.col(a), s.col(b))).collect())
            .collect(),
    }
}

/// The index and its dimensions.
pub fn dimensions(ed: &Edition) -> Correlation {
    let fw = &ed.spec.framework;
    let mut nodes = vec![fw.root];
    nodes.extend(fw.dimensions());
    of_nodes(ed, &nodes)
}

/// Every indicator, in framework order.
pub fn indicators(ed: &Edition) -> Correlation {
    let nodes: Vec<usize> = (0..ed.spec.framework.n_indicators).collect();
    of_nodes(ed, &nodes)
}
