//! The screen and the raw-value imputations, in the order the spec says (`[screen] order`),
//! with the units' rules (applicability, published values) resolved for the ranked units.

use crate::data::{Dataset, Matrix};
use crate::error::{BuildError, Location};
use crate::framework::Framework;
use crate::spec::{ScreenOrder, ScreenRules};
use crate::steps::applicable::Applicable;
use crate::steps::impute::{self, ImputeLog, RawCells};
use crate::steps::node_rules::{PublishedColumn, RulesLog, UnitRules};
use crate::steps::screen::{self, ScreenLog};

/// The ranked units, their data before and after raw-value imputation, and their rules.
pub struct Filled {
    /// The ranked units' raw values.
    pub kept: Dataset,
    /// The same values after raw-value imputation (of indicators, then of nodes over raw
    /// values), units x indicators.
    pub filled: Matrix,
    pub rules: UnitRules,
    /// The imputations so far; `imputed` covers units x nodes.
    pub log: RulesLog,
}

/// Screens every assessed unit over the indicators that apply to it, on the raw data or (with
/// `order = "impute_first"`) on the imputed data.
pub fn screen(
    fw: &Framework,
    rules: &ScreenRules,
    data: &Dataset,
) -> Result<ScreenLog, BuildError> {
    let applicable = Applicable::new(fw, &data.units, &data.values)?;
    check_not_applicable_values(fw, data, &applicable)?;
    match rules.order {
        ScreenOrder::ScreenFirst => screen::screen_applicable(data, fw, rules, &applicable),
        ScreenOrder::ImputeFirst => {
            let mut all = Dataset {
                units: Vec::new(),
                indicators: Vec::new(),
                values: data.values.clone(),
                published: Vec::new(),
            };
            impute_applicable(&mut all.values, data, fw, &applicable);
            all.units.clone_from(&data.units);
            all.indicators.clone_from(&data.indicators);
            screen::screen_applicable(&all, fw, rules, &applicable)
        }
    }
}

/// The raw-value imputations of the ranked units `kept` (rows of `data`): over the ranked
/// units after the screen, or over every assessed unit before it (`order = "impute_first"`);
/// then node imputation over raw values.
pub fn impute(
    fw: &Framework,
    rules: &ScreenRules,
    data: &Dataset,
    kept: &[usize],
) -> Result<Filled, BuildError> {
    let applicable = Applicable::new(fw, &data.units, &data.values)?;
    check_not_applicable_values(fw, data, &applicable)?;
    let published = published_columns(fw, data)?;
    let kept_data = data.select_units(kept);
    let (mut filled, mask, impute_log) = match rules.order {
        ScreenOrder::ScreenFirst => {
            let mut filled = kept_data.values.clone();
            let app = applicable.select_rows(kept);
            let (mask, log) = impute_applicable(&mut filled, &kept_data, fw, &app);
            (filled, mask, log)
        }
        ScreenOrder::ImputeFirst => {
            let mut all = data.values.clone();
            let (mask, log) = impute_applicable(&mut all, data, fw, &applicable);
            let (mask, log) = keep_rows(mask, log, data, kept);
            (all.select_rows(kept), mask, log)
        }
    };
    let rows = kept_data.n_units();
    let unit_rules = UnitRules::new(
        fw,
        &kept_data.units,
        applicable.select_rows(kept),
        published
            .into_iter()
            .map(|c| PublishedColumn {
                node: c.node,
                values: kept.iter().map(|&i| c.values[i]).collect(),
            })
            .collect(),
    );
    let mut imputed = mask;
    imputed.resize(rows * fw.nodes.len(), false);
    let mut log = RulesLog {
        impute: impute_log,
        imputed,
        ..RulesLog::default()
    };
    unit_rules.impute_raw_nodes(&mut filled, fw, &mut log);
    Ok(Filled {
        kept: kept_data,
        filled,
        rules: unit_rules,
        log,
    })
}

/// The indicators' raw-value imputation of `values` (those of `data`, copied to be filled),
/// leaving the cells that do not apply empty.
fn impute_applicable(
    values: &mut Matrix,
    data: &Dataset,
    fw: &Framework,
    app: &Applicable,
) -> (Vec<bool>, ImputeLog) {
    let mut log = ImputeLog::default();
    let cells = RawCells {
        values,
        units: &data.units,
        indicators: &data.indicators,
    };
    let mut mask = impute::impute_raw(cells, fw, &mut log);
    unfill_not_applicable(values, &mut mask, &mut log, app, &data.units, fw);
    (mask, log)
}

/// Undoes any imputation of a cell whose indicator does not apply to the unit: such a cell
/// is not missing, so nothing may be invented for it.
pub fn unfill_not_applicable(
    values: &mut Matrix,
    mask: &mut [bool],
    log: &mut ImputeLog,
    app: &Applicable,
    units: &[crate::data::Unit],
    fw: &Framework,
) {
    if !app.any_not_applicable() {
        return;
    }
    let rows = values.rows;
    let na = |unit: &str, ind: &str| {
        let i = units.iter().position(|u| u.id == unit);
        let j = fw.find(ind).filter(|&j| j < fw.n_indicators);
        matches!((i, j), (Some(i), Some(j)) if !app.applies(i, j))
    };
    log.imputed.retain(|m| !na(&m.unit, &m.indicator));
    log.unfilled.retain(|(u, ind)| !na(u, ind));
    for j in 0..fw.n_indicators.min(values.cols) {
        for i in 0..rows {
            if !app.applies(i, j) {
                values.set(i, j, f64::NAN);
                mask[j * rows + i] = false;
            }
        }
    }
}

/// The imputation of every assessed unit, restricted to the ranked ones.
fn keep_rows(
    mask: Vec<bool>,
    mut log: ImputeLog,
    data: &Dataset,
    kept: &[usize],
) -> (Vec<bool>, ImputeLog) {
    let rows = data.n_units();
    let cols = mask.len() / rows.max(1);
    let out = (0..cols)
        .flat_map(|j| kept.iter().map(move |&i| (j, i)))
        .map(|(j, i)| mask[j * rows + i])
        .collect();
    let ranked = |u: &str| kept.iter().any(|&i| data.units[i].id == u);
    log.imputed.retain(|m| ranked(&m.unit));
    log.unfilled.retain(|(u, _)| ranked(u));
    (out, log)
}

/// A value given for an indicator that a group or list rule says does not apply to the unit
/// contradicts the rule; it is refused rather than dropped.
fn check_not_applicable_values(
    fw: &Framework,
    data: &Dataset,
    app: &Applicable,
) -> Result<(), BuildError> {
    if !app.any_not_applicable() {
        return Ok(());
    }
    for j in 0..fw.n_indicators {
        for (i, u) in data.units.iter().enumerate() {
            if !app.applies(i, j) && !data.values.get(i, j).is_nan() {
                return Err(BuildError::new(
                    Location::Cell {
                        unit: u.id.clone(),
                        indicator: fw.nodes[j].id.clone(),
                    },
                    format!(
                        "the value {} is given, but `applies_to` says indicator `{}` does not apply to unit `{}`",
                        data.values.get(i, j),
                        fw.nodes[j].id,
                        u.id
                    ),
                    "empty the cell, or widen the `applies_to` rule of the indicator or of its node",
                ));
            }
        }
    }
    Ok(())
}

/// The published columns of the data, by node index.
fn published_columns(fw: &Framework, data: &Dataset) -> Result<Vec<PublishedColumn>, BuildError> {
    data.published
        .iter()
        .map(|p| match fw.find(&p.node) {
            Some(k) if k >= fw.n_indicators => Ok(PublishedColumn {
                node: k,
                values: p.values.clone(),
            }),
            _ => Err(BuildError::new(
                Location::Field("data.columns".into()),
                format!(
                    "published values are mapped to `{}`, which is not an aggregate node",
                    p.node
                ),
                "map a column to the id of a [[node]] or of the [index]",
            )),
        })
        .collect()
}
