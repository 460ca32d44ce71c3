//! The re-weighting itself: the engine's `aggregate` and `rank` steps on a [`State`].

use crate::state::State;
use cityrank_core::data::Matrix;
use cityrank_core::framework::{AggregateMethods, IndicatorMethods, NodeRules};
use cityrank_core::spec::{Aggregate, Publication};
use cityrank_core::steps::aggregate::{aggregate_node_with, Accumulator};
use cityrank_core::steps::node_rules::{RulesLog, UnitRules};
use cityrank_core::steps::rank;
use cityrank_core::{Framework, Node, NodeKind, Plan};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest weight accepted; weights are relative, so this only bounds nonsense.
pub const MAX_WEIGHT: f64 = 1000.0;

/// A what-if request. Unknown fields are refused so that a typo is not silently ignored.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Dimension id -> weight (relative; every dimension must be given).
    pub weights: BTreeMap<String, f64>,
    /// Aggregation of the dimensions into the index: arithmetic, geometric or harmonic.
    #[serde(default)]
    pub aggregate: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    /// Weights used, normalised to sum to one.
    pub weights: BTreeMap<String, f64>,
    pub aggregate: String,
    /// Ranked units, best first.
    pub rows: Vec<Ranked>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranked {
    /// Row of the unit in the state.
    pub index: usize,
    pub unit: String,
    pub rank: u32,
    /// Full precision.
    pub score: f64,
    /// As published (rounded to the publication's decimals).
    pub score_rounded: f64,
    pub base_rank: u32,
}

/// A state made ready to run: the plan of its weight, aggregate and rank steps rebuilt, the
/// score matrix laid out with every node below the index already aggregated.
pub struct Engine {
    state: State,
    /// The build's plan from the aggregation on, at the build's weights.
    plan: Plan,
    /// The rules of real indices the aggregate step applies to the ranked units.
    rules: UnitRules,
    /// Every column but the index's: a what-if changes only the dimension weights and the
    /// index's mean, so the nodes below it score the same in every request.
    scores: Matrix,
}

/// A what-if's result by row index, before any unit id is copied: what [`Engine::run`] and a
/// server's own rows are made from.
#[derive(Clone, Debug, PartialEq)]
pub struct Computed {
    /// The dimension weights used, in spec order, normalised to sum to one.
    pub weights: Vec<f64>,
    pub aggregate: Aggregate,
    /// Ranked units, best first.
    pub rows: Vec<RankedRow>,
}

/// One ranked unit of a [`Computed`] result.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RankedRow {
    /// Row of the unit in the state.
    pub index: usize,
    pub rank: u32,
    /// Full precision.
    pub score: f64,
    /// As published (rounded to the publication's decimals).
    pub score_rounded: f64,
    pub base_rank: u32,
}

impl Engine {
    pub fn new(state: State) -> Result<Engine, String> {
        state.check()?;
        let fw = framework(&state);
        let rows = state.units.len();
        let mut scores = Matrix::new(rows, state.nodes.len());
        for (v, s) in scores.values.iter_mut().zip(&state.scores) {
            *v = s.unwrap_or(f64::NAN);
        }
        let publish = Publication {
            decimals: state.decimals,
            rank_on_rounded: state.rank_on_rounded,
            ties: state.ties,
            ..Publication::default()
        };
        let mut plan = Plan::of_tree(fw, Default::default(), publish);
        plan.methods = (plan.framework.n_indicators..plan.framework.nodes.len())
            .map(|k| state.methods(k).expect("checked: aggregates have methods"))
            .collect();
        // The state's weights are those the build used, data-driven ones included.
        plan.weights = state.nodes.iter().map(|n| n.weight).collect();
        plan.derived = Some(Vec::new());
        let rules = state.unit_rules(&plan.framework)?;
        below_index(&plan, &rules, &mut scores)?;
        Ok(Engine {
            state,
            plan,
            rules,
            scores,
        })
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    fn fw(&self) -> &Framework {
        &self.plan.framework
    }

    /// The dimension ids, in spec order.
    pub fn dimensions(&self) -> Vec<&str> {
        self.fw()
            .dimensions()
            .iter()
            .map(|&d| self.fw().nodes[d].id.as_str())
            .collect()
    }

    /// The nominal dimension weights, by id.
    pub fn nominal(&self) -> BTreeMap<String, f64> {
        let fw = self.fw();
        fw.dimensions()
            .iter()
            .map(|&d| (fw.nodes[d].id.clone(), self.plan.weights[d]))
            .collect()
    }

    /// Checks the request and recomputes the ranking; the error is for the reader.
    pub fn run(&self, req: &Request) -> Result<Outcome, String> {
        let c = self.compute(req)?;
        let s = &self.state;
        Ok(Outcome {
            weights: self
                .dimensions()
                .into_iter()
                .map(String::from)
                .zip(c.weights)
                .collect(),
            aggregate: c.aggregate.to_string(),
            rows: c
                .rows
                .into_iter()
                .map(|r| Ranked {
                    index: r.index,
                    unit: s.units[r.index].clone(),
                    rank: r.rank,
                    score: r.score,
                    score_rounded: r.score_rounded,
                    base_rank: r.base_rank,
                })
                .collect(),
        })
    }

    /// [`Engine::run`] without the ids: checks the request, aggregates the index from the
    /// dimension scores and ranks it.
    pub fn compute(&self, req: &Request) -> Result<Computed, String> {
        let weights = self.checked_weights(&req.weights)?;
        let fw = self.fw();
        let root = fw.root;
        let how = match req.aggregate.as_deref() {
            None => self.plan.methods[root - fw.n_indicators].aggregate,
            Some(name) => mean(name)?,
        };
        let mut node_weights = self.plan.weights.clone();
        for (&d, x) in fw.dimensions().iter().zip(&weights) {
            node_weights[d] = *x;
        }
        let methods = AggregateMethods {
            aggregate: how,
            ..self.plan.methods[root - fw.n_indicators]
        };
        let mut scores = self.scores.clone();
        aggregate_nodes(
            &mut scores,
            fw,
            &self.rules,
            &node_weights,
            [(root, &methods)],
        )?;
        let col = scores.col(root);
        let s = &self.state;
        let ranks = self.plan.rank_column(col);
        let mut rows: Vec<RankedRow> = ranks
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                Some(RankedRow {
                    index: i,
                    rank: (*r)?,
                    score: col[i],
                    score_rounded: rank::round_to(col[i], s.decimals),
                    base_rank: s.base[i]?,
                })
            })
            .collect();
        rows.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.base_rank.cmp(&b.base_rank)));
        Ok(Computed {
            weights,
            aggregate: how,
            rows,
        })
    }

    /// One finite, non-negative weight per dimension, not all zero; normalised to sum to one.
    fn checked_weights(&self, given: &BTreeMap<String, f64>) -> Result<Vec<f64>, String> {
        let dims = self.dimensions();
        if let Some(k) = given.keys().find(|k| !dims.contains(&k.as_str())) {
            return Err(format!(
                "unknown dimension `{k}`: expected {}",
                dims.join(", ")
            ));
        }
        let mut w = Vec::with_capacity(dims.len());
        for d in &dims {
            let x = *given.get(*d).ok_or_else(|| {
                format!(
                    "missing weight for dimension `{d}`: give all of {}",
                    dims.join(", ")
                )
            })?;
            if !x.is_finite() || !(0.0..=MAX_WEIGHT).contains(&x) {
                return Err(format!(
                    "weight of `{d}` must be a number from 0 to {MAX_WEIGHT}, got {x}"
                ));
            }
            w.push(x);
        }
        let total: f64 = w.iter().sum();
        if total <= 0.0 {
            return Err(
                "weights are all zero: give at least one dimension a positive weight".into(),
            );
        }
        Ok(w.into_iter().map(|x| x / total).collect())
    }
}

/// A weighted mean by its spec name; the error lists the means.
fn mean(name: &str) -> Result<Aggregate, String> {
    match name.parse::<Aggregate>() {
        Ok(a) if Aggregate::MEANS.contains(&a) => Ok(a),
        _ => Err(format!(
            "unknown aggregate `{name}`: use {}",
            mean_names().join(", ")
        )),
    }
}

/// The names of the weighted means a what-if accepts, as the spec writes them.
pub fn mean_names() -> Vec<String> {
    Aggregate::MEANS.iter().map(Aggregate::to_string).collect()
}

/// Aggregates every node but the index, bottom-up, at the build's weights and under its rules:
/// the columns every what-if shares. A node the data cannot aggregate is refused here, as
/// every request would be.
fn below_index(plan: &Plan, rules: &UnitRules, scores: &mut Matrix) -> Result<(), String> {
    let fw = &plan.framework;
    let nodes = fw.bottom_up.iter().filter(|&&p| p != fw.root);
    let with_methods = nodes.map(|&p| (p, &plan.methods[p - fw.n_indicators]));
    aggregate_nodes(scores, fw, rules, &plan.weights, with_methods)
}

/// Aggregates `nodes` in order (each with its methods) into `scores`, under the units' rules.
fn aggregate_nodes<'m>(
    scores: &mut Matrix,
    fw: &Framework,
    rules: &UnitRules,
    weights: &[f64],
    nodes: impl IntoIterator<Item = (usize, &'m AggregateMethods)>,
) -> Result<(), String> {
    let mut acc = Accumulator::new(scores.rows);
    let mut log = RulesLog::new(scores.rows, fw.nodes.len());
    for (p, m) in nodes {
        aggregate_node_with(scores, fw, p, weights, m, &mut acc, Some((rules, &mut log)))
            .map_err(|e| e.message)?;
    }
    Ok(())
}

/// The tree of a state, as the aggregate step reads it (ids, children, parents, levels).
fn framework(s: &State) -> Framework {
    let mut nodes: Vec<Node> = s
        .nodes
        .iter()
        .enumerate()
        .map(|(k, n)| Node {
            id: n.id.clone(),
            name: n.id.clone(),
            name_zh: None,
            parent: None,
            children: n.children.clone(),
            weight: n.weight,
            level: 1,
            rules: NodeRules {
                applies_to: None,
                impute: n.impute_node.clone(),
                round: n.round,
            },
            kind: match s.methods(k) {
                Some(m) if k >= s.n_indicators => NodeKind::Aggregate(m),
                _ => NodeKind::Indicator(indicator()),
            },
        })
        .collect();
    for &p in &s.bottom_up {
        let kids = nodes[p].children.clone();
        nodes[p].level = 1 + kids.iter().map(|&c| nodes[c].level).max().unwrap_or(0);
        for c in kids {
            nodes[c].parent = Some(p);
        }
    }
    Framework {
        nodes,
        n_indicators: s.n_indicators,
        root: s.root,
        bottom_up: s.bottom_up.clone(),
        level_names: Default::default(),
    }
}

/// Indicator methods are spent before aggregation (the state holds normalised scores).
fn indicator() -> IndicatorMethods {
    IndicatorMethods {
        direction: Default::default(),
        unit: None,
        transform: Default::default(),
        outliers: Default::default(),
        normalise: Default::default(),
        impute: Default::default(),
    }
}
