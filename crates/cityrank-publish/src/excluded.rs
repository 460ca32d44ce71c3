//! An assessed city the screen left out: its raw values and the reason, so that looking it up
//! is never a dead end.

use cityrank_core::data::Dataset;
use cityrank_core::{Framework, Results};
use serde::Serialize;

/// What is known of an excluded city.
#[derive(Clone, Debug, Serialize)]
pub struct ExcludedCity {
    pub unit: String,
    pub name: String,
    pub name_zh: Option<String>,
    /// Group memberships (province, ...), as in the units file.
    pub groups: std::collections::BTreeMap<String, String>,
    pub status: &'static str,
    /// The screen's reason, as written to excluded.csv.
    pub reason: String,
    /// Indicators with a value, out of `of`.
    pub present: usize,
    pub of: usize,
    /// Every indicator in spec order, with the raw value where there is one.
    pub indicators: Vec<RawValue>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RawValue {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    /// The dimension (parent node) id.
    pub dim: String,
    pub unit: Option<String>,
    /// `None` when the city has no value.
    pub raw: Option<f64>,
}

/// The excluded city `k` (index into `results.excluded`); raw values come from the assessed
/// data set, which still holds every unit the screen saw.
pub fn describe(fw: &Framework, assessed: &Dataset, results: &Results, k: usize) -> ExcludedCity {
    let e = &results.excluded[k];
    let row = assessed.unit_index(&e.unit);
    let unit = row.map(|i| assessed.units[i].clone());
    let indicators: Vec<RawValue> = (0..fw.n_indicators)
        .map(|j| {
            let n = &fw.nodes[j];
            let x = row.map_or(f64::NAN, |i| assessed.values.get(i, j));
            RawValue {
                id: n.id.clone(),
                name: n.name.clone(),
                name_zh: n.name_zh.clone(),
                dim: n.parent.map(|p| fw.nodes[p].id.clone()).unwrap_or_default(),
                unit: fw.indicator_methods(j).unit.clone(),
                raw: (!x.is_nan()).then_some(x),
            }
        })
        .collect();
    ExcludedCity {
        unit: e.unit.clone(),
        name: e.name.clone(),
        name_zh: unit.as_ref().and_then(|u| u.name_zh.clone()),
        groups: unit.map(|u| u.groups.clone()).unwrap_or_default(),
        status: "excluded",
        reason: e.reason.clone(),
        present: indicators.iter().filter(|v| v.raw.is_some()).count(),
        of: indicators.len(),
        indicators,
    }
}
