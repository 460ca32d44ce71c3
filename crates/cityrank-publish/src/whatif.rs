//! What-if: new dimension weights or another aggregation method, and the ranking that results.
//!
//! The normalised indicator scores do not depend on the weights, so they are taken from the
//! build once and only aggregation and ranking run per request (`steps::aggregate` on a copy of
//! the score matrix): microseconds for a hundred cities.

use crate::edition::Edition;
use cityrank_core::data::Matrix;
use cityrank_core::framework::AggregateMethods;
use cityrank_core::spec::{Aggregate, Publication};
use cityrank_core::steps::{aggregate, rank};
use cityrank_core::{build, Framework};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest weight accepted; weights are relative, so this only bounds nonsense.
pub const MAX_WEIGHT: f64 = 1000.0;

/// A what-if request. Unknown fields are refused so that a typo is not silently ignored.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Dimension id -> weight (relative; every dimension must be given).
    pub weights: BTreeMap<String, f64>,
    /// Aggregation of the dimensions into the index: arithmetic, geometric or harmonic.
    #[serde(default)]
    pub aggregate: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    /// Weights used, normalised to sum to one.
    pub weights: BTreeMap<String, f64>,
    pub aggregate: String,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub rank: u32,
    pub unit: String,
    pub slug: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub score: f64,
    /// Province (first group column), for filtering.
    pub province: String,
    /// The tier the new score falls in, where the spec defines tiers.
    pub tier: Option<String>,
    pub base_rank: u32,
    /// Positive: moves up under the new weights.
    pub rank_change: i64,
}

/// The precomputed state of one edition.
pub struct WhatIf {
    fw: Framework,
    scores: Matrix,
    weights: Vec<f64>,
    methods: Vec<AggregateMethods>,
    publication: Publication,
    units: Vec<cityrank_core::Unit>,
    provinces: Vec<String>,
    base: Vec<Option<u32>>,
    /// Why each aggregation is undefined for these data, if it is.
    undefined: BTreeMap<&'static str, String>,
}

/// An aggregation of the dimensions into the index, and whether the data allow it.
#[derive(Clone, Debug, Serialize)]
pub struct Choice {
    pub method: &'static str,
    pub defined: bool,
    /// Why not, naming the city and dimension, when not defined.
    pub reason: Option<String>,
    /// The reason without the method's name, shared by the means it rules out.
    pub cause: Option<String>,
}

/// The aggregations a reader may choose between.
const METHODS: [(&str, Aggregate); 3] = [
    ("arithmetic", Aggregate::Arithmetic),
    ("geometric", Aggregate::Geometric),
    ("harmonic", Aggregate::Harmonic),
];

impl WhatIf {
    pub fn new(ed: &Edition) -> WhatIf {
        let fw = ed.spec.framework.clone();
        let r = &ed.results;
        WhatIf {
            base: (0..r.n_units()).map(|i| r.rank(i, fw.root)).collect(),
            provinces: (0..r.n_units())
                .map(|i| crate::view::group(ed, i))
                .collect(),
            undefined: METHODS
                .iter()
                .filter_map(|&(name, how)| Some((name, undefined(ed, how)?)))
                .collect(),
            methods: build::aggregate_methods(&fw),
            scores: r.scores.clone(),
            weights: r.weights.clone(),
            publication: r.publication.clone(),
            units: r.units.clone(),
            fw,
        }
    }

    /// The nominal dimension weights, by id.
    pub fn nominal(&self) -> BTreeMap<String, f64> {
        self.fw
            .dimensions()
            .iter()
            .map(|&d| (self.fw.nodes[d].id.clone(), self.weights[d]))
            .collect()
    }

    /// Every aggregation, with whether the data allow it and why not.
    pub fn choices(&self) -> Vec<Choice> {
        METHODS
            .iter()
            .map(|&(method, _)| Choice {
                method,
                defined: !self.undefined.contains_key(method),
                reason: self.undefined.get(method).map(|c| refusal(method, c)),
                cause: self.undefined.get(method).cloned(),
            })
            .collect()
    }

    /// The spec's own aggregation of the index, by name.
    pub fn nominal_aggregate(&self) -> String {
        let how = self.methods[self.fw.root - self.fw.n_indicators].aggregate;
        format!("{how:?}").to_lowercase()
    }

    /// Checks the request and recomputes the ranking; the error is for the client.
    pub fn run(&self, req: &Request) -> Result<Outcome, String> {
        let weights = self.checked_weights(&req.weights)?;
        let how = match req.aggregate.as_deref() {
            None => self.methods[self.fw.root - self.fw.n_indicators].aggregate,
            Some(name) => match METHODS.iter().find(|(n, _)| *n == name) {
                Some((_, how)) => *how,
                None => {
                    return Err(format!(
                        "unknown aggregate `{name}`: use arithmetic, geometric or harmonic"
                    ))
                }
            },
        };
        let name = format!("{how:?}").to_lowercase();
        if let Some(cause) = self.undefined.get(name.as_str()) {
            return Err(refusal(&name, cause));
        }
        let mut w = self.weights.clone();
        for (&d, x) in self.fw.dimensions().iter().zip(&weights) {
            w[d] = *x;
        }
        let mut methods = self.methods.clone();
        methods[self.fw.root - self.fw.n_indicators].aggregate = how;
        let mut scores = self.scores.clone();
        aggregate::aggregate(&mut scores, &self.fw, &w, &methods).map_err(|e| e.message)?;
        let col = scores.col(self.fw.root);
        let p = &self.publication;
        let ranks = rank::rank(col, p.rank_on_rounded.then_some(p.decimals), p.ties);
        let mut rows: Vec<Row> = ranks
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let (rank, base) = (r.as_ref()?, self.base[i]?);
                Some(Row {
                    rank: *rank,
                    unit: self.units[i].id.clone(),
                    slug: crate::site::slug(&self.units[i].id),
                    name: self.units[i].name.clone(),
                    name_zh: self.units[i].name_zh.clone(),
                    score: rank::round_to(col[i], p.decimals),
                    province: self.provinces[i].clone(),
                    tier: tier_of(p, rank::round_to(col[i], p.decimals)),
                    base_rank: base,
                    rank_change: base as i64 - *rank as i64,
                })
            })
            .collect();
        rows.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.base_rank.cmp(&b.base_rank)));
        Ok(Outcome {
            weights: self
                .fw
                .dimensions()
                .iter()
                .zip(&weights)
                .map(|(&d, x)| (self.fw.nodes[d].id.clone(), *x))
                .collect(),
            aggregate: format!("{how:?}").to_lowercase(),
            rows,
        })
    }

    /// One finite, non-negative weight per dimension, not all zero; normalised to sum to one.
    fn checked_weights(&self, given: &BTreeMap<String, f64>) -> Result<Vec<f64>, String> {
        let dims: Vec<&str> = self
            .fw
            .dimensions()
            .iter()
            .map(|&d| self.fw.nodes[d].id.as_str())
            .collect();
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

/// The tier a published (rounded) score falls in.
fn tier_of(p: &Publication, score: f64) -> Option<String> {
    p.tiers
        .iter()
        .find(|t| score >= t.min_score)
        .map(|t| t.name.clone())
}

/// Why the index cannot be aggregated with `how` from these dimension scores (the same words
/// for every mean): the geometric and harmonic means need every present score above zero.
/// Names the cities and dimensions at fault (the first three, and how many more); `None` when
/// the method is defined.
fn undefined(ed: &Edition, how: Aggregate) -> Option<String> {
    if how == Aggregate::Arithmetic {
        return None;
    }
    let (fw, r) = (&ed.spec.framework, &ed.results);
    let at_fault: Vec<String> = r
        .ranking(fw.root)
        .into_iter()
        .filter_map(|i| {
            let &d = fw.dimensions().iter().find(|&&d| r.score(i, d) <= 0.0)?;
            let (u, n) = (&r.units[i], &fw.nodes[d]);
            let s = r.display(r.score(i, d));
            Some(format!(
                "{} ({}) scores {s} on {} ({})",
                u.label(),
                u.id,
                n.name,
                n.id
            ))
        })
        .collect();
    let first = at_fault.first()?;
    let more = match at_fault.len() {
        1 => String::new(),
        n if n <= 3 => format!("; also {}", at_fault[1..].join(", ")),
        n => format!("; also {} and {} more", at_fault[1..3].join(", "), n - 3),
    };
    Some(format!(
        "every dimension score must be above 0, but {first}{more}"
    ))
}

/// The full refusal: which mean, and why not.
fn refusal(method: &str, cause: &str) -> String {
    format!("the {method} mean is not defined for these data: {cause}")
}
