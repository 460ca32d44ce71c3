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
    base: Vec<Option<u32>>,
}

impl WhatIf {
    pub fn new(ed: &Edition) -> WhatIf {
        let fw = ed.spec.framework.clone();
        let r = &ed.results;
        WhatIf {
            base: (0..r.n_units()).map(|i| r.rank(i, fw.root)).collect(),
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

    /// Checks the request and recomputes the ranking; the error is for the client.
    pub fn run(&self, req: &Request) -> Result<Outcome, String> {
        let weights = self.checked_weights(&req.weights)?;
        let how = match req.aggregate.as_deref() {
            None => self.methods[self.fw.root - self.fw.n_indicators].aggregate,
            Some("arithmetic") => Aggregate::Arithmetic,
            Some("geometric") => Aggregate::Geometric,
            Some("harmonic") => Aggregate::Harmonic,
            Some(other) => {
                return Err(format!(
                    "unknown aggregate `{other}`: use arithmetic, geometric or harmonic"
                ))
            }
        };
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
