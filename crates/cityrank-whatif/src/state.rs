//! The serialised input of a what-if: everything the aggregate and rank steps read.

use cityrank_core::framework::AggregateMethods;
use cityrank_core::spec::{Aggregate, Rescale, Ties};
use cityrank_core::{Framework, NodeKind, Results};
use serde::{Deserialize, Serialize};

/// A built edition reduced to what re-weighting needs. Missing scores are `null` (JSON has no
/// NaN).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Indicators first (node `i` is score column `i`), then the aggregates.
    pub nodes: Vec<NodeState>,
    pub n_indicators: usize,
    pub root: usize,
    /// Aggregate nodes, children before parents.
    pub bottom_up: Vec<usize>,
    /// Unit ids, in the order of the score rows.
    pub units: Vec<String>,
    /// Indicator scores, column by column (`n_indicators * units.len()` values).
    pub scores: Vec<Option<f64>>,
    /// The published overall rank of each unit.
    pub base: Vec<Option<u32>>,
    pub decimals: u32,
    pub rank_on_rounded: bool,
    pub ties: Ties,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeState {
    pub id: String,
    pub children: Vec<usize>,
    /// The weight the build used within the parent (data-driven weights already computed).
    pub weight: f64,
    /// For aggregates: how the node combines its children.
    pub aggregate: Option<Aggregate>,
    #[serde(default)]
    pub min_share: f64,
    #[serde(default)]
    pub rescale: Rescale,
}

impl State {
    /// The state of a build.
    pub fn of(fw: &Framework, r: &Results) -> State {
        let rows = r.n_units();
        let nodes = fw
            .nodes
            .iter()
            .enumerate()
            .map(|(k, n)| {
                let m = match &n.kind {
                    NodeKind::Aggregate(m) => Some(*m),
                    NodeKind::Indicator(_) => None,
                };
                NodeState {
                    id: n.id.clone(),
                    children: n.children.clone(),
                    weight: r.weights[k],
                    aggregate: m.map(|m| m.aggregate),
                    min_share: m.map_or(0.0, |m| m.min_share),
                    rescale: m.map_or(Rescale::None, |m| m.rescale),
                }
            })
            .collect();
        State {
            nodes,
            n_indicators: fw.n_indicators,
            root: fw.root,
            bottom_up: fw.bottom_up.clone(),
            units: r.units.iter().map(|u| u.id.clone()).collect(),
            scores: r.scores.values[..fw.n_indicators * rows]
                .iter()
                .map(|&x| (!x.is_nan()).then_some(x))
                .collect(),
            base: (0..rows).map(|i| r.rank(i, fw.root)).collect(),
            decimals: r.publication.decimals,
            rank_on_rounded: r.publication.rank_on_rounded,
            ties: r.publication.ties,
        }
    }

    /// The aggregation settings of aggregate node `k`.
    pub(crate) fn methods(&self, k: usize) -> Option<AggregateMethods> {
        let n = &self.nodes[k];
        n.aggregate.map(|aggregate| AggregateMethods {
            aggregate,
            min_share: n.min_share,
            rescale: n.rescale,
            weighting: Default::default(),
        })
    }

    /// Rejects a state whose parts do not fit together, so that a damaged page fails with a
    /// message instead of an out-of-bounds panic.
    pub(crate) fn check(&self) -> Result<(), String> {
        let n = self.nodes.len();
        let bad = |what: &str| Err(format!("what-if state: {what}"));
        if self.root >= n || self.n_indicators > n {
            return bad("root or indicator count outside the node list");
        }
        if self.scores.len() != self.n_indicators * self.units.len() {
            return bad("score count is not indicators x units");
        }
        if self.base.len() != self.units.len() {
            return bad("one published rank per unit expected");
        }
        if self.nodes.iter().flat_map(|x| &x.children).any(|&c| c >= n)
            || self
                .bottom_up
                .iter()
                .any(|&k| k >= n || k < self.n_indicators)
        {
            return bad("a node refers to a node that does not exist");
        }
        if self
            .bottom_up
            .iter()
            .any(|&k| self.nodes[k].aggregate.is_none())
        {
            return bad("an aggregate node has no aggregation method");
        }
        Ok(())
    }
}
