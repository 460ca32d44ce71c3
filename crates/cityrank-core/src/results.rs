//! What a build returns: scores and ranks at every node, the excluded units, and the step logs.

use crate::data::{Matrix, Unit};
use crate::framework::Framework;
use crate::spec::{Publication, Tier};
use crate::steps::impute::ImputeLog;
use crate::steps::screen::{Exclusion, ScreenLog};
use crate::steps::treat::TreatRecord;
use serde::Serialize;

#[derive(Clone, Debug)]
pub struct Results {
    /// The ranked units, in input order.
    pub units: Vec<Unit>,
    /// Assessed but not ranked, with reasons.
    pub excluded: Vec<Exclusion>,
    pub assessed: usize,
    /// Raw values of the ranked units, before imputation (units x indicators).
    pub raw: Matrix,
    /// After imputation, transform and outlier treatment (units x indicators).
    pub treated: Matrix,
    /// Scores at every node (units x nodes); indicator columns hold normalised scores.
    pub scores: Matrix,
    /// Ranks at every node, column-major like `scores`.
    pub ranks: Vec<Option<u32>>,
    /// Imputed values (units x nodes, column-major): indicator cells and node scores.
    pub imputed: Vec<bool>,
    /// Scores replaced by a published value (units x nodes; empty when none were).
    pub overridden: Vec<bool>,
    /// Which nodes apply to which ranked units.
    pub applicable: crate::steps::applicable::Applicable,
    /// Weight of each node within its parent, data-driven ones as the build computed them.
    pub weights: Vec<f64>,
    /// How each data-driven node got its weights (empty when the spec has none).
    pub weighting: Vec<crate::steps::weighting::NodeWeights>,
    pub publication: Publication,
    pub log: BuildLog,
}

/// The record of every step, with the settings it used.
#[derive(Clone, Debug, Serialize)]
pub struct BuildLog {
    pub screen: ScreenLog,
    pub impute: ImputeLog,
    pub treat: Vec<TreatRecord>,
    pub normalise: Vec<NormaliseRecord>,
    pub aggregate: Vec<AggregateRecord>,
    /// Published values that replaced computed scores.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<crate::steps::node_rules::Override>,
}

#[derive(Clone, Debug, Serialize)]
pub struct NormaliseRecord {
    pub indicator: String,
    pub method: String,
    pub direction: String,
    pub min: f64,
    pub max: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct AggregateRecord {
    pub node: String,
    pub method: String,
    pub min_share: f64,
    pub rescale: String,
    /// Ranked units left without a score at this node (too few children present).
    pub unscored: usize,
}

impl Results {
    pub fn n_units(&self) -> usize {
        self.units.len()
    }

    pub fn score(&self, unit: usize, node: usize) -> f64 {
        self.scores.get(unit, node)
    }

    pub fn rank(&self, unit: usize, node: usize) -> Option<u32> {
        self.ranks[node * self.scores.rows + unit]
    }

    /// Whether the unit's score at a node was imputed (indicator or node imputation).
    pub fn is_imputed(&self, unit: usize, node: usize) -> bool {
        self.imputed
            .get(node * self.scores.rows + unit)
            .copied()
            .unwrap_or(false)
    }

    /// Whether the unit's score at a node is a published value that replaced the computed one.
    pub fn is_overridden(&self, unit: usize, node: usize) -> bool {
        self.overridden
            .get(node * self.scores.rows + unit)
            .copied()
            .unwrap_or(false)
    }

    pub fn unit_index(&self, id: &str) -> Option<usize> {
        self.units.iter().position(|u| u.id == id)
    }

    /// Units with a rank at `node`, best first (ties in input order).
    pub fn ranking(&self, node: usize) -> Vec<usize> {
        let mut r: Vec<(u32, usize)> = (0..self.n_units())
            .filter_map(|i| self.rank(i, node).map(|k| (k, i)))
            .collect();
        r.sort_unstable();
        r.into_iter().map(|(_, i)| i).collect()
    }

    /// The tier of a unit by its overall score, if the spec defines tiers.
    pub fn tier(&self, fw: &Framework, unit: usize) -> Option<&Tier> {
        let s = crate::steps::rank::round_to(self.score(unit, fw.root), self.publication.decimals);
        self.publication.tiers.iter().find(|t| s >= t.min_score)
    }

    /// A score as published (rounded), or empty when missing.
    pub fn display(&self, x: f64) -> String {
        if x.is_nan() {
            String::new()
        } else {
            format!("{:.*}", self.publication.decimals as usize, x)
        }
    }
}
