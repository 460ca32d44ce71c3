//! What-if: new dimension weights or another aggregation method, and the ranking that results.
//!
//! The computation is `cityrank_whatif`'s (the engine's aggregate and rank steps on the build's
//! normalised scores), the same code the pages run as WebAssembly; this module adds the names,
//! links, provinces and tiers readers see, and which aggregations the data allow.

use crate::edition::Edition;
use cityrank_core::spec::{Aggregate, Publication};
use cityrank_whatif::{Engine, State};
use serde::Serialize;
use std::collections::BTreeMap;

pub use cityrank_whatif::{Request, MAX_WEIGHT};

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
    engine: Engine,
    publication: Publication,
    units: Vec<cityrank_core::Unit>,
    provinces: Vec<String>,
    nominal_aggregate: String,
    /// Why each aggregation is undefined for these data, if it is.
    /// Keyed by the spec name of each mean a reader may choose ([`Aggregate::MEANS`]).
    undefined: BTreeMap<String, String>,
}

/// An aggregation of the dimensions into the index, and whether the data allow it.
#[derive(Clone, Debug, Serialize)]
pub struct Choice {
    pub method: String,
    pub defined: bool,
    /// Why not, naming the city and dimension, when not defined.
    pub reason: Option<String>,
    /// The reason without the method's name, shared by the means it rules out.
    pub cause: Option<String>,
}

/// The what-if state of an edition, as the pages embed it.
pub fn state(ed: &Edition) -> State {
    State::of(&ed.spec.framework, &ed.data.dataset, &ed.results)
}

impl WhatIf {
    pub fn new(ed: &Edition) -> WhatIf {
        let (fw, r) = (&ed.spec.framework, &ed.results);
        WhatIf {
            engine: Engine::new(state(ed)).expect("a build's own state is consistent"),
            publication: r.publication.clone(),
            units: r.units.clone(),
            provinces: (0..r.n_units())
                .map(|i| crate::view::group(ed, i))
                .collect(),
            nominal_aggregate: fw.aggregate_methods(fw.root).aggregate.to_string(),
            undefined: Aggregate::MEANS
                .iter()
                .filter_map(|&how| Some((how.to_string(), undefined(ed, how)?)))
                .collect(),
        }
    }

    /// The nominal dimension weights, by id.
    pub fn nominal(&self) -> BTreeMap<String, f64> {
        self.engine.nominal()
    }

    /// Every aggregation, with whether the data allow it and why not.
    pub fn choices(&self) -> Vec<Choice> {
        cityrank_whatif::mean_names()
            .into_iter()
            .map(|method| Choice {
                defined: !self.undefined.contains_key(&method),
                reason: self.undefined.get(&method).map(|c| refusal(&method, c)),
                cause: self.undefined.get(&method).cloned(),
                method,
            })
            .collect()
    }

    /// The spec's own aggregation of the index, by name.
    pub fn nominal_aggregate(&self) -> String {
        self.nominal_aggregate.clone()
    }

    /// Checks the request and recomputes the ranking; the error is for the client.
    pub fn run(&self, req: &Request) -> Result<Outcome, String> {
        let how = req.aggregate.as_deref().unwrap_or(&self.nominal_aggregate);
        if let Some(cause) = self.undefined.get(how) {
            return Err(refusal(how, cause));
        }
        let out = self.engine.run(req)?;
        let p = &self.publication;
        let rows = out
            .rows
            .into_iter()
            .map(|r| {
                let u = &self.units[r.index];
                Row {
                    rank: r.rank,
                    unit: r.unit,
                    slug: crate::site::slug(&u.id),
                    name: u.name.clone(),
                    name_zh: u.name_zh.clone(),
                    score: r.score_rounded,
                    province: self.provinces[r.index].clone(),
                    tier: tier_of(p, r.score_rounded),
                    base_rank: r.base_rank,
                    rank_change: r.base_rank as i64 - r.rank as i64,
                }
            })
            .collect();
        Ok(Outcome {
            weights: out.weights,
            aggregate: out.aggregate,
            rows,
        })
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
