//! Screen: decide which assessed units are ranked.
//!
//! A unit with too little data would be ranked on the few indicators it has, which flatters or
//! punishes it by accident; the coverage rules keep it out, and every exclusion carries a reason
//! that the publication prints.

use crate::data::{Dataset, Unit};
use crate::error::{BuildError, Location};
use crate::framework::Framework;
use crate::spec::ScreenRules;
use crate::stats;
use crate::steps::applicable::Applicable;
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
    /// Units screened under a `[[screen.coverage]]` threshold: (unit, threshold, reason).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub thresholds: Vec<(String, f64, String)>,
}

/// Screens every unit, every node applying to every unit.
pub fn screen(
    data: &Dataset,
    fw: &Framework,
    rules: &ScreenRules,
) -> Result<ScreenLog, BuildError> {
    screen_applicable(data, fw, rules, &Applicable::all(data.n_units()))
}

/// Screens every unit, counting coverage over the indicators that apply to it.
pub fn screen_applicable(
    data: &Dataset,
    fw: &Framework,
    rules: &ScreenRules,
    applicable: &Applicable,
) -> Result<ScreenLog, BuildError> {
    check_listed(
        data,
        rules.force_in.iter().map(|f| f.unit()),
        "screen.force_in",
    )?;
    for r in &rules.coverage {
        check_listed(
            data,
            r.units.iter().map(String::as_str),
            "screen.coverage.units",
        )?;
    }
    check_listed(
        data,
        rules.force_out.iter().map(|f| f.unit.as_str()),
        "screen.force_out",
    )?;
    let dims: Vec<Dimension> = fw
        .dimensions()
        .iter()
        .map(|&d| Dimension {
            node: d,
            name: fw.nodes[d].name.clone(),
            leaves: fw.leaves_under(d),
        })
        .collect();
    let mut log = ScreenLog {
        settings: rules.clone(),
        assessed: data.n_units(),
        kept: Vec::new(),
        excluded: Vec::new(),
        forced_in: Vec::new(),
        thresholds: Vec::new(),
    };
    // Buffers for every unit.
    let (mut present, mut dims_here) = (Vec::new(), Vec::new());
    for (i, unit) in data.units.iter().enumerate() {
        // Per indicator: None when it does not apply to the unit, else whether it has data.
        present.clear();
        present.extend((0..fw.n_indicators).map(|j| {
            applicable
                .applies(i, j)
                .then(|| !data.values.get(i, j).is_nan())
        }));
        dims_here.clear();
        dims_here.extend(dims.iter().filter(|d| applicable.applies(i, d.node)));
        let threshold = threshold_for(unit, rules);
        if let Some((t, why)) = threshold.1 {
            log.thresholds.push((unit.id.clone(), t, why.to_string()));
        }
        let mut reasons = coverage_reasons(&present, &dims_here, rules, threshold);
        if let Some(f) = rules.force_out.iter().find(|f| f.unit == unit.id) {
            reasons = vec![f.reason.clone()];
        } else if rules.force_in.iter().any(|f| f.unit() == unit.id) {
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

/// A child of the index, with the indicators below it.
struct Dimension {
    node: usize,
    name: String,
    leaves: Vec<usize>,
}

/// The coverage a unit needs: the first `[[screen.coverage]]` entry that selects it, else
/// `min_coverage`; with the entry's threshold and reason when one applies.
fn threshold_for<'a>(unit: &Unit, rules: &'a ScreenRules) -> (f64, Option<(f64, &'a str)>) {
    match rules.coverage.iter().find(|r| r.selects(unit)) {
        Some(r) => (r.min_coverage, Some((r.min_coverage, r.reason.as_str()))),
        None => (rules.min_coverage, None),
    }
}

/// Why a unit fails the coverage rules (empty: it passes). `present` holds `None` for the
/// indicators that do not apply to the unit: they count neither as data nor as missing.
fn coverage_reasons(
    present: &[Option<bool>],
    dims: &[&Dimension],
    rules: &ScreenRules,
    (min_coverage, rule): (f64, Option<(f64, &str)>),
) -> Vec<String> {
    let mut reasons = Vec::new();
    let n = present.iter().flatten().count();
    let have = present.iter().flatten().filter(|p| **p).count();
    let of = if n == present.len() {
        "indicators"
    } else {
        "applicable indicators"
    };
    if n == 0 {
        reasons.push("no indicator applies to it".to_string());
    } else if (have as f64) < min_coverage * n as f64 - 1e-9 {
        let mut r = format!(
            "data for {have} of {n} {of} ({:.0}%), below the {:.0}% required",
            100.0 * have as f64 / n as f64,
            100.0 * min_coverage
        );
        if let Some((_, why)) = rule {
            r.push_str(&format!(" ({why})"));
        }
        reasons.push(r);
    }
    for d in dims {
        let applicable = d.leaves.iter().filter_map(|&j| present[j]);
        let (n_applicable, k) = applicable.fold((0, 0), |(n, k), p| (n + 1, k + p as usize));
        if n_applicable == 0 {
            continue;
        }
        let share_ok = (k as f64) >= rules.min_dimension_coverage * n_applicable as f64 - 1e-9;
        if k < rules.min_dimension_indicators
            || !share_ok
            || (k == 0 && rules.min_dimension_indicators > 0)
        {
            let of = if n_applicable == d.leaves.len() {
                "indicators"
            } else {
                "applicable indicators"
            };
            reasons.push(format!("data for {k} of {n_applicable} {of} in {}", d.name));
        }
    }
    reasons
}

fn check_listed<'a>(
    data: &Dataset,
    ids: impl Iterator<Item = &'a str>,
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
