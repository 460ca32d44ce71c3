//! Screen: decide which assessed units are ranked.
//!
//! A unit with too little data would be ranked on the few indicators it has, which flatters or
//! punishes it by accident; the coverage rules keep it out, and every exclusion carries a reason
//! that the publication prints.

use crate::data::Dataset;
use crate::error::{BuildError, Location};
use crate::framework::Framework;
use crate::spec::ScreenRules;
use crate::stats;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Exclusion {
    pub unit: String,
    pub name: String,
    pub reason: String,
}

/// What the screen decided, with the settings it used.
#[derive(Clone, Debug, Serialize)]
pub struct ScreenLog {
    pub settings: ScreenRules,
    pub assessed: usize,
    /// Indices (into the assessed units) of the units kept, in input order.
    pub kept: Vec<usize>,
    pub excluded: Vec<Exclusion>,
    /// Units kept only because the spec forces them in.
    pub forced_in: Vec<String>,
}

pub fn screen(
    data: &Dataset,
    fw: &Framework,
    rules: &ScreenRules,
) -> Result<ScreenLog, BuildError> {
    check_listed(data, rules.force_in.iter(), "screen.force_in")?;
    check_listed(
        data,
        rules.force_out.iter().map(|f| &f.unit),
        "screen.force_out",
    )?;
    let dims: Vec<(String, Vec<usize>)> = fw
        .dimensions()
        .iter()
        .map(|&d| (fw.nodes[d].name.clone(), fw.leaves_under(d)))
        .collect();
    let mut log = ScreenLog {
        settings: rules.clone(),
        assessed: data.n_units(),
        kept: Vec::new(),
        excluded: Vec::new(),
        forced_in: Vec::new(),
    };
    for (i, unit) in data.units.iter().enumerate() {
        let present: Vec<bool> = (0..fw.n_indicators)
            .map(|j| !data.values.get(i, j).is_nan())
            .collect();
        let mut reasons = coverage_reasons(&present, &dims, rules);
        if let Some(f) = rules.force_out.iter().find(|f| f.unit == unit.id) {
            reasons = vec![f.reason.clone()];
        } else if rules.force_in.contains(&unit.id) {
            if !reasons.is_empty() {
                log.forced_in.push(unit.id.clone());
            }
            reasons.clear();
        }
        if reasons.is_empty() {
            log.kept.push(i);
        } else {
            let reason = reasons.join("; ");
            log.excluded.push(Exclusion {
                unit: unit.id.clone(),
                name: unit.name.clone(),
                reason,
            });
        }
    }
    Ok(log)
}

fn coverage_reasons(
    present: &[bool],
    dims: &[(String, Vec<usize>)],
    rules: &ScreenRules,
) -> Vec<String> {
    let mut reasons = Vec::new();
    let n = present.len();
    let have = present.iter().filter(|p| **p).count();
    if (have as f64) < rules.min_coverage * n as f64 - 1e-9 {
        reasons.push(format!(
            "data for {have} of {n} indicators ({:.0}%), below the {:.0}% required",
            100.0 * have as f64 / n as f64,
            100.0 * rules.min_coverage
        ));
    }
    for (name, leaves) in dims {
        let k = leaves.iter().filter(|&&j| present[j]).count();
        let share_ok = (k as f64) >= rules.min_dimension_coverage * leaves.len() as f64 - 1e-9;
        if k < rules.min_dimension_indicators
            || !share_ok
            || (k == 0 && rules.min_dimension_indicators > 0)
        {
            reasons.push(format!(
                "data for {k} of {} indicators in {name}",
                leaves.len()
            ));
        }
    }
    reasons
}

fn check_listed<'a>(
    data: &Dataset,
    ids: impl Iterator<Item = &'a String>,
    field: &str,
) -> Result<(), BuildError> {
    for id in ids {
        if data.unit_index(id).is_none() {
            return Err(BuildError::new(
                Location::Field(field.into()),
                format!("unit `{id}` is not among the units assessed"),
                "use an id from the units file",
            ));
        }
    }
    Ok(())
}

/// Share of indicators with data, per unit (for the validation report).
pub fn coverage(data: &Dataset) -> Vec<f64> {
    let n = data.indicators.len().max(1) as f64;
    (0..data.n_units())
        .map(|i| {
            (0..data.indicators.len())
                .filter(|&j| !data.values.get(i, j).is_nan())
                .count() as f64
                / n
        })
        .collect()
}

/// Share of units with data, per indicator.
pub fn indicator_coverage(data: &Dataset) -> Vec<f64> {
    let n = data.n_units().max(1) as f64;
    (0..data.indicators.len())
        .map(|j| stats::count(data.values.col(j)) as f64 / n)
        .collect()
}
