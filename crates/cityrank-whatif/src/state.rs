//! The serialised input of a what-if: everything the aggregate and rank steps read, the
//! rules of real indices that act during aggregation included (applicability, published
//! values, node imputation over scores, rounding), so that the recompute at the nominal
//! weights is the build's.

use cityrank_core::data::{Dataset, Unit, UnitInfo};
use cityrank_core::framework::AggregateMethods;
use cityrank_core::spec::{Aggregate, FillOver, NodeImpute, Rescale, Ties};
use cityrank_core::steps::applicable::Applicable;
use cityrank_core::steps::node_rules::{PublishedColumn, UnitRules};
use cityrank_core::{Framework, NodeKind, Results};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// Nodes x units, column by column: whether the node applies to the unit (`applies_to`);
    /// absent when every node applies to every unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicable: Option<Vec<bool>>,
    /// Published values that replace a node's computed score.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub published: Vec<PublishedState>,
    /// The units' values of each group that a node imputation takes its peers from, one per
    /// unit ("" for none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, Vec<String>>,
}

/// One node's published values, one per unit (`null`: none published).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedState {
    pub node: usize,
    pub values: Vec<Option<f64>>,
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
    /// For aggregates: how a unit left without a score is filled from its peers' scores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impute_node: Option<NodeImpute>,
    /// Decimals the node's scores are rounded to once computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<u32>,
}

impl State {
    /// The state of a build of `data`.
    pub fn of(fw: &Framework, data: &Dataset, r: &Results) -> State {
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
                    // Over raw values it has acted on the indicator scores already.
                    impute_node: m
                        .and(n.rules.impute.clone())
                        .filter(|i| i.over == FillOver::Scores),
                    round: m.and(n.rules.round),
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
            applicable: applicable(fw, r),
            published: published(fw, data, r),
            groups: groups(fw, r),
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

    /// The ranked units' rules: which nodes apply to them, their published values, and the
    /// groups their node imputations take peers from.
    pub(crate) fn unit_rules(&self, fw: &Framework) -> Result<UnitRules, String> {
        let rows = self.units.len();
        let applicable = Applicable::from_mask(rows, self.nodes.len(), self.applicable.clone())
            .ok_or("what-if state: the applicability mask is not nodes x units")?;
        let units: Vec<Unit> = (0..rows)
            .map(|i| {
                Unit::from(UnitInfo {
                    id: self.units[i].clone(),
                    groups: self
                        .groups
                        .iter()
                        .filter(|(_, v)| !v[i].is_empty())
                        .map(|(g, v)| (g.clone(), v[i].clone()))
                        .collect(),
                    ..UnitInfo::default()
                })
            })
            .collect();
        let published = self
            .published
            .iter()
            .map(|p| PublishedColumn {
                node: p.node,
                values: p.values.iter().map(|v| v.unwrap_or(f64::NAN)).collect(),
            })
            .collect();
        Ok(UnitRules::new(fw, &units, applicable, published))
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
        let rows = self.units.len();
        if self
            .published
            .iter()
            .any(|p| p.node >= n || p.node < self.n_indicators || p.values.len() != rows)
        {
            return bad(
                "published values for a node that is not an aggregate, or not one per unit",
            );
        }
        if self.groups.values().any(|v| v.len() != rows) {
            return bad("group values: one per unit expected");
        }
        let named = self
            .nodes
            .iter()
            .filter_map(|x| x.impute_node.as_ref()?.group.as_ref());
        if let Some(g) = named.into_iter().find(|g| !self.groups.contains_key(*g)) {
            return bad(&format!(
                "node imputation by group `{g}` without the units' groups"
            ));
        }
        Ok(())
    }
}

/// The applicability mask of the ranked units, when some node does not apply to some unit.
fn applicable(fw: &Framework, r: &Results) -> Option<Vec<bool>> {
    let rows = r.n_units();
    r.applicable.any_not_applicable().then(|| {
        (0..fw.nodes.len())
            .flat_map(|k| (0..rows).map(move |i| (i, k)))
            .map(|(i, k)| r.applicable.applies(i, k))
            .collect()
    })
}

/// The published values of the ranked units, by node.
fn published(fw: &Framework, data: &Dataset, r: &Results) -> Vec<PublishedState> {
    let rows: Vec<Option<usize>> = r.units.iter().map(|u| data.unit_index(&u.id)).collect();
    data.published
        .iter()
        .filter_map(|p| {
            let node = fw.find(&p.node)?;
            let values = rows
                .iter()
                .map(|i| i.map(|i| p.values[i]).filter(|v| !v.is_nan()))
                .collect();
            Some(PublishedState { node, values })
        })
        .collect()
}

/// The ranked units' values of every group a node imputation over scores names.
fn groups(fw: &Framework, r: &Results) -> BTreeMap<String, Vec<String>> {
    fw.nodes
        .iter()
        .filter_map(|n| n.rules.impute.as_ref()?.group.clone())
        .map(|g| {
            let values = r
                .units
                .iter()
                .map(|u| u.groups.get(&g).cloned().unwrap_or_default())
                .collect();
            (g, values)
        })
        .collect()
}
