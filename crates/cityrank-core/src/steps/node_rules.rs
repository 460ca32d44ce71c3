//! The rules a node applies once its scores are computed, in this order: a published value
//! replaces the computed score, a unit still without a score is imputed from its peers, and
//! the scores are rounded. Plus the raw-value form of node imputation, which runs before
//! treatment. Every value set here is listed and flagged like an imputed indicator value.

use crate::data::{Matrix, Unit};
use crate::framework::Framework;
use crate::spec::{FillOver, FillStat, NodeImpute};
use crate::stats;
use crate::steps::applicable::Applicable;
use crate::steps::impute::{ImputeLog, Imputed};
use crate::steps::rank::round_to;
use serde::Serialize;
use std::collections::BTreeMap;

/// A published value that replaced a computed score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Override {
    pub unit: String,
    pub node: String,
    /// The score the build computed (empty when it had none).
    pub computed: f64,
    pub published: f64,
}

/// Published values for one node, one per ranked unit (NaN: none published).
#[derive(Clone, Debug, PartialEq)]
pub struct PublishedColumn {
    pub node: usize,
    pub values: Vec<f64>,
}

/// What the rules need to know about the ranked units.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitRules {
    pub applicable: Applicable,
    pub published: Vec<PublishedColumn>,
    /// The units, for the published values and node imputation (their ids and groups); empty
    /// when the tree has neither.
    units: Vec<Unit>,
}

/// What the rules did during a build.
#[derive(Clone, Debug, Default)]
pub struct RulesLog {
    pub impute: ImputeLog,
    /// Units x nodes: values filled by node imputation or indicator imputation.
    pub imputed: Vec<bool>,
    pub overrides: Vec<Override>,
    /// Units x nodes: values replaced by a published one (empty when none were).
    pub overridden: Vec<bool>,
}

impl RulesLog {
    /// An empty log for `rows` units and `nodes` nodes.
    pub fn new(rows: usize, nodes: usize) -> RulesLog {
        RulesLog {
            imputed: vec![false; rows * nodes],
            ..RulesLog::default()
        }
    }
}

impl UnitRules {
    /// No rules: every node applies to every unit, nothing published.
    pub fn none(rows: usize) -> UnitRules {
        UnitRules {
            applicable: Applicable::all(rows),
            published: Vec::new(),
            units: Vec::new(),
        }
    }

    /// The rules of `units` under `fw`. The units are copied only where a rule reads them.
    pub fn new(
        fw: &Framework,
        units: &[Unit],
        applicable: Applicable,
        published: Vec<PublishedColumn>,
    ) -> Self {
        let read = !published.is_empty() || fw.nodes.iter().any(|n| n.rules.impute.is_some());
        UnitRules {
            applicable,
            published,
            units: if read { units.to_vec() } else { Vec::new() },
        }
    }

    /// The children of `p` that apply to unit `i`.
    pub fn applicable_children(&self, fw: &Framework, p: usize, i: usize) -> usize {
        fw.nodes[p]
            .children
            .iter()
            .filter(|&&c| self.applicable.applies(i, c))
            .count()
    }

    /// Published values, node imputation over scores and rounding of node `p`, whose column
    /// of `scores` has just been computed from its children.
    pub fn after_node(&self, scores: &mut Matrix, fw: &Framework, p: usize, log: &mut RulesLog) {
        if let Some(col) = self.published.iter().find(|c| c.node == p) {
            self.apply_published(scores, fw, col, log);
        }
        let rules = &fw.nodes[p].rules;
        if let Some(imp) = rules.impute.as_ref().filter(|r| r.over == FillOver::Scores) {
            self.impute_scores(scores, fw, p, imp, log);
        }
        if let Some(d) = rules.round {
            round_column(scores.col_mut(p), d);
        }
    }

    fn apply_published(
        &self,
        scores: &mut Matrix,
        fw: &Framework,
        col: &PublishedColumn,
        log: &mut RulesLog,
    ) {
        let rows = scores.rows;
        if log.overridden.is_empty() {
            log.overridden = vec![false; rows * fw.nodes.len()];
        }
        for (i, &v) in col.values.iter().enumerate() {
            if v.is_nan() || !self.applicable.applies(i, col.node) {
                continue;
            }
            log.overrides.push(Override {
                unit: self.units[i].id.clone(),
                node: fw.nodes[col.node].id.clone(),
                computed: scores.get(i, col.node),
                published: v,
            });
            scores.set(i, col.node, v);
            log.overridden[col.node * rows + i] = true;
        }
    }

    /// Fills the units without a score at `p` with the mean or median of their peers' scores.
    fn impute_scores(
        &self,
        scores: &mut Matrix,
        fw: &Framework,
        p: usize,
        imp: &NodeImpute,
        log: &mut RulesLog,
    ) {
        let original = scores.col(p).to_vec();
        let peers = Peers::new(&self.units, imp.group.as_deref());
        let fills = peers.stats(&original, imp.method);
        for i in 0..scores.rows {
            if !self.wants_fill(scores, fw, p, imp, i) {
                continue;
            }
            let v = fills[peers.of_unit[i]];
            let unit = self.units[i].id.clone();
            let node = fw.nodes[p].id.clone();
            if v.is_nan() {
                log.impute.unfilled.push((unit, node));
                continue;
            }
            scores.set(i, p, v);
            log.imputed[p * scores.rows + i] = true;
            log.impute.imputed.push(Imputed {
                unit,
                indicator: node,
                value: v,
                method: imp.name(),
            });
        }
    }

    /// Whether unit `i` is one node imputation at `p` should fill: it has no score there, the
    /// node applies to it, and (if asked) it has a score in at least one child.
    fn wants_fill(
        &self,
        scores: &Matrix,
        fw: &Framework,
        p: usize,
        imp: &NodeImpute,
        i: usize,
    ) -> bool {
        scores.get(i, p).is_nan()
            && self.applicable.applies(i, p)
            && (!imp.only_with_data
                || fw.nodes[p]
                    .children
                    .iter()
                    .any(|&c| !scores.get(i, c).is_nan()))
    }

    /// The raw-value form of node imputation: for each unit that would have no score at such a
    /// node, every missing indicator below it gets the peers' mean (or median) raw value.
    /// Runs after indicator imputation and before treatment; nodes are taken bottom-up.
    pub fn impute_raw_nodes(&self, raw: &mut Matrix, fw: &Framework, log: &mut RulesLog) {
        for &p in &fw.bottom_up {
            let Some(imp) = fw.nodes[p].rules.impute.as_ref() else {
                continue;
            };
            if imp.over != FillOver::Raw {
                continue;
            }
            let peers = Peers::new(&self.units, imp.group.as_deref());
            let leaves = fw.leaves_under(p);
            let fills: Vec<Vec<f64>> = leaves
                .iter()
                .map(|&j| peers.stats(raw.col(j), imp.method))
                .collect();
            for i in 0..raw.rows {
                let with_data = leaves.iter().any(|&j| !raw.get(i, j).is_nan());
                let scored = self.scored_from(raw, fw, p, i);
                if scored || !self.applicable.applies(i, p) || (imp.only_with_data && !with_data) {
                    continue;
                }
                for (&j, fill) in leaves.iter().zip(&fills) {
                    if raw.get(i, j).is_nan() && self.applicable.applies(i, j) {
                        self.fill_raw(raw, fw, (i, j), fill[peers.of_unit[i]], imp, p, log);
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn fill_raw(
        &self,
        raw: &mut Matrix,
        fw: &Framework,
        (i, j): (usize, usize),
        v: f64,
        imp: &NodeImpute,
        p: usize,
        log: &mut RulesLog,
    ) {
        let (unit, indicator) = (self.units[i].id.clone(), fw.nodes[j].id.clone());
        if v.is_nan() {
            log.impute.unfilled.push((unit, indicator));
            return;
        }
        raw.set(i, j, v);
        log.imputed[j * raw.rows + i] = true;
        log.impute.imputed.push(Imputed {
            unit,
            indicator,
            value: v,
            method: format!("{} of node {}", imp.name(), fw.nodes[p].id),
        });
    }

    /// Whether node `k` would have a score for unit `i` given which raw values are present:
    /// at least one child that applies, and at least `min_share` of them (every child for an
    /// MCDA node).
    fn scored_from(&self, raw: &Matrix, fw: &Framework, k: usize, i: usize) -> bool {
        if k < fw.n_indicators {
            return !raw.get(i, k).is_nan();
        }
        let m = fw.aggregate_methods(k);
        let kids: Vec<usize> = fw.nodes[k]
            .children
            .iter()
            .copied()
            .filter(|&c| self.applicable.applies(i, c))
            .collect();
        let have = kids
            .iter()
            .filter(|&&c| self.scored_from(raw, fw, c, i))
            .count();
        if m.aggregate.is_mcda() {
            return have > 0 && have == kids.len();
        }
        have > 0 && have as f64 >= m.min_share * kids.len() as f64 - 1e-9
    }

    /// Rounds the indicator scores of indicators with a `round` setting.
    pub fn round_indicators(scores: &mut Matrix, fw: &Framework) {
        for j in 0..fw.n_indicators {
            if let Some(d) = fw.nodes[j].rules.round {
                round_column(scores.col_mut(j), d);
            }
        }
    }
}

fn round_column(col: &mut [f64], decimals: u32) {
    for v in col.iter_mut().filter(|v| !v.is_nan()) {
        *v = round_to(*v, decimals);
    }
}

/// The peer group of every unit: the units that share its value of a group column (a unit
/// without a value is its own peer group of none), or every unit.
struct Peers {
    /// Index of each unit's group.
    of_unit: Vec<usize>,
    members: Vec<Vec<usize>>,
}

impl Peers {
    fn new(units: &[Unit], group: Option<&str>) -> Peers {
        let mut index: BTreeMap<Option<&str>, usize> = BTreeMap::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut of_unit = Vec::with_capacity(units.len());
        for (i, u) in units.iter().enumerate() {
            let key = group.map(|g| u.groups.get(g).map_or("", String::as_str));
            let g = *index.entry(key).or_insert_with(|| {
                members.push(Vec::new());
                members.len() - 1
            });
            members[g].push(i);
            of_unit.push(g);
        }
        // Units with an empty group value have no peers.
        if let Some(&g) = index.get(&Some("")) {
            members[g].clear();
        }
        Peers { of_unit, members }
    }

    /// The statistic of `col` over each peer group's present values (NaN when none).
    fn stats(&self, col: &[f64], how: FillStat) -> Vec<f64> {
        self.members
            .iter()
            .map(|m| {
                let v: Vec<f64> = m.iter().map(|&i| col[i]).filter(|x| !x.is_nan()).collect();
                match how {
                    FillStat::Mean => stats::mean(&v),
                    FillStat::Median => stats::median(&v),
                }
            })
            .collect()
    }
}

/// The first rule of the spec or data that the replications of the uncertainty analysis do
/// not apply (they vary weights and aggregation over fixed indicator scores), if any.
pub fn unsupported_in_replications(
    spec: &crate::spec::Spec,
    fw: &Framework,
    data: &crate::data::Dataset,
) -> Option<&'static str> {
    let rules = fw.nodes.iter().map(|n| &n.rules);
    if rules.clone().any(|r| r.applies_to.is_some()) {
        return Some("applies_to");
    }
    if rules.clone().any(|r| r.impute.is_some()) {
        return Some("impute_node");
    }
    if rules.clone().any(|r| r.round.is_some()) {
        return Some("round");
    }
    if !data.published.is_empty() {
        return Some("published values mapped to a node");
    }
    (spec.screen.order == crate::spec::ScreenOrder::ImputeFirst)
        .then_some("order = \"impute_first\"")
}
