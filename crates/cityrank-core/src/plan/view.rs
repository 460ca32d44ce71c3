//! The plan as data, in the spec's vocabulary: what `cityrank plan` prints (as text or JSON)
//! and what the manifest stores. Methods are the spec's own types, so their JSON is the spec's
//! form and their text is the spec's words ([`crate::spec::names`]).

use super::Plan;
use crate::framework::NodeRules;
use crate::spec::records::{RecordIndicator, SourceDecl};
use crate::spec::{
    Aggregate, Direction, Impute, Normalise, Outliers, Rescale, ScreenRules, Ties, Transform,
    Weighting,
};
use crate::steps::weight;
use serde::Serialize;

/// The steps of a build in order, every setting resolved.
#[derive(Clone, Debug, Serialize)]
pub struct PlanView {
    /// Record sources the indicators below are computed from (before the first step).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceDecl>,
    pub screen: ScreenRules,
    /// Impute, treat and normalise, per indicator.
    pub indicators: Vec<IndicatorStep>,
    /// Weight and aggregate, per aggregate node, bottom-up (children before parents).
    pub nodes: Vec<NodeStep>,
    pub rank: RankStep,
}

#[derive(Clone, Debug, Serialize)]
pub struct IndicatorStep {
    pub id: String,
    pub name: String,
    /// How the value is computed from records, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<RecordIndicator>,
    pub impute: Impute,
    pub transform: Transform,
    pub outliers: Outliers,
    pub normalise: Normalise,
    pub direction: Direction,
    /// Applicability and rounding, as written on the indicator.
    #[serde(skip_serializing_if = "NodeRules::is_empty")]
    pub rules: NodeRules,
    /// Weight within the parent, and in the whole index (the product up to the root).
    pub weight: f64,
    pub effective_weight: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct NodeStep {
    pub id: String,
    pub name: String,
    pub level: String,
    /// Where the children's weights come from.
    pub weighting: Weighting,
    /// Whether the weights below are the ones a build computed from the data (`false` for a
    /// data-driven node of a plan not yet run: the written weights stand in).
    pub weights_from_data: bool,
    /// Each child's weight within this node, as the aggregation uses it.
    pub children: Vec<ChildWeight>,
    /// Units the data-driven weights rest on, and what the method reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complete_units: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub aggregate: Aggregate,
    pub min_share: f64,
    pub rescale: Rescale,
    /// Applicability, imputation of a missing score and rounding, as written on the node.
    #[serde(skip_serializing_if = "NodeRules::is_empty")]
    pub rules: NodeRules,
    pub weight: f64,
    pub effective_weight: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ChildWeight {
    pub id: String,
    pub weight: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct RankStep {
    pub ties: Ties,
    pub decimals: u32,
    pub rank_on_rounded: bool,
    pub top: usize,
}

impl Plan {
    /// The plan in the spec's vocabulary.
    pub fn view(&self) -> PlanView {
        let fw = &self.framework;
        let eff = weight::effective(fw, &self.weights);
        let records = self.records.as_ref();
        let indicators = (0..fw.n_indicators)
            .map(|j| {
                let n = &fw.nodes[j];
                let m = fw.indicator_methods(j);
                IndicatorStep {
                    id: n.id.clone(),
                    name: n.name.clone(),
                    records: records.and_then(|r| r.indicators.get(&n.id).cloned()),
                    impute: m.impute.clone(),
                    transform: m.transform,
                    outliers: m.outliers,
                    normalise: m.normalise,
                    direction: m.direction,
                    rules: n.rules.clone(),
                    weight: self.weights[j],
                    effective_weight: eff[j],
                }
            })
            .collect();
        let nodes = fw
            .bottom_up
            .iter()
            .map(|&k| self.node_step(k, &eff))
            .collect();
        let p = &self.publish;
        PlanView {
            sources: records.map(|r| r.sources.clone()).unwrap_or_default(),
            screen: self.screen.clone(),
            indicators,
            nodes,
            rank: RankStep {
                ties: p.ties,
                decimals: p.decimals,
                rank_on_rounded: p.rank_on_rounded,
                top: p.top,
            },
        }
    }

    fn node_step(&self, k: usize, eff: &[f64]) -> NodeStep {
        let fw = &self.framework;
        let n = &fw.nodes[k];
        let m = self.methods[k - fw.n_indicators];
        let found = self.derived.iter().flatten().find(|d| d.node == n.id);
        NodeStep {
            id: n.id.clone(),
            name: n.name.clone(),
            level: fw.level_name(n.level),
            weighting: m.weighting,
            weights_from_data: m.weighting.is_data_driven() && found.is_some(),
            children: n
                .children
                .iter()
                .map(|&c| ChildWeight {
                    id: fw.nodes[c].id.clone(),
                    weight: self.weights[c],
                })
                .collect(),
            complete_units: found.map(|d| d.complete_units),
            notes: found.map(|d| d.notes.clone()).unwrap_or_default(),
            aggregate: m.aggregate,
            min_share: m.min_share,
            rescale: m.rescale,
            rules: n.rules.clone(),
            weight: self.weights[k],
            effective_weight: eff[k],
        }
    }
}
