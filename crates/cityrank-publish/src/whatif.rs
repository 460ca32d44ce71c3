//! What-if: new dimension weights or another aggregation method, and the ranking that results.
//!
//! The computation is `cityrank_whatif`'s (the engine's aggregate and rank steps on the build's
//! normalised scores), the same code the pages run as WebAssembly; this module adds the names,
//! links, provinces and tiers readers see, and which aggregations the data allow.

use crate::edition::Edition;
use cityrank_core::spec::{Aggregate, Publication};
use cityrank_whatif::{Engine, RankedRow, State};
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

/// A what-if answer as the API sends it, borrowing the edition's names and serialised directly
/// (no JSON tree per request). The fields are in alphabetical order, the order of the JSON
/// object the API has always sent.
#[derive(Debug, Serialize)]
pub struct Answer<'a> {
    pub aggregate: String,
    pub edition: &'a str,
    /// Time the recompute took, in microseconds.
    pub elapsed_us: u64,
    pub notice: Option<&'a str>,
    pub rows: Vec<RowRef<'a>>,
    /// Weights used, normalised to sum to one, by dimension id.
    pub weights: BTreeMap<&'a str, f64>,
}

/// A [`Row`] borrowing the edition's names; fields in alphabetical order, as [`Answer`]'s.
#[derive(Clone, Debug, Serialize)]
pub struct RowRef<'a> {
    pub base_rank: u32,
    pub name: &'a str,
    pub name_zh: Option<&'a str>,
    pub province: &'a str,
    pub rank: u32,
    pub rank_change: i64,
    pub score: f64,
    pub slug: &'a str,
    pub tier: Option<&'a str>,
    pub unit: &'a str,
}

/// The precomputed state of one edition.
pub struct WhatIf {
    engine: Engine,
    publication: Publication,
    units: Vec<cityrank_core::Unit>,
    /// Each unit's page name ([`crate::site::slug`]), made once.
    slugs: Vec<String>,
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
            slugs: r.units.iter().map(|u| crate::site::slug(&u.id)).collect(),
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
        let a = self.answer(req, "", None)?;
        Ok(Outcome {
            weights: a
                .weights
                .iter()
                .map(|(&k, &v)| (k.to_string(), v))
                .collect(),
            aggregate: a.aggregate,
            rows: a.rows.iter().map(RowRef::owned).collect(),
        })
    }

    /// [`WhatIf::run`] as the API answers it for `edition` (elapsed time zero, for the caller
    /// to set).
    pub fn answer<'a>(
        &'a self,
        req: &Request,
        edition: &'a str,
        notice: Option<&'a str>,
    ) -> Result<Answer<'a>, String> {
        let how = req.aggregate.as_deref().unwrap_or(&self.nominal_aggregate);
        if let Some(cause) = self.undefined.get(how) {
            return Err(refusal(how, cause));
        }
        let out = self.engine.compute(req)?;
        let rows = out.rows.iter().map(|r| self.row(r)).collect();
        Ok(Answer {
            aggregate: out.aggregate.to_string(),
            edition,
            elapsed_us: 0,
            notice,
            rows,
            weights: self
                .engine
                .dimensions()
                .into_iter()
                .zip(out.weights)
                .collect(),
        })
    }

    fn row(&self, r: &RankedRow) -> RowRef<'_> {
        let u = &self.units[r.index];
        RowRef {
            base_rank: r.base_rank,
            name: &u.name,
            name_zh: u.name_zh.as_deref(),
            province: &self.provinces[r.index],
            rank: r.rank,
            rank_change: r.base_rank as i64 - r.rank as i64,
            score: r.score_rounded,
            slug: &self.slugs[r.index],
            tier: tier_of(&self.publication, r.score_rounded),
            unit: &u.id,
        }
    }
}

impl RowRef<'_> {
    pub fn owned(&self) -> Row {
        Row {
            rank: self.rank,
            unit: self.unit.to_string(),
            slug: self.slug.to_string(),
            name: self.name.to_string(),
            name_zh: self.name_zh.map(str::to_string),
            score: self.score,
            province: self.province.to_string(),
            tier: self.tier.map(str::to_string),
            base_rank: self.base_rank,
            rank_change: self.rank_change,
        }
    }
}

/// The tier a published (rounded) score falls in.
fn tier_of(p: &Publication, score: f64) -> Option<&str> {
    p.tiers
        .iter()
        .find(|t| score >= t.min_score)
        .map(|t| t.name.as_str())
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
