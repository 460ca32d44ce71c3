//! Impute: fill missing values, only where the spec asks, and flag every filled cell.
//!
//! Imputation changes what a city is credited with, so it is off by default and never silent:
//! each filled value is listed with its method, and cells that could not be filled stay missing.

use crate::data::{Matrix, Unit};
use crate::framework::Framework;
use crate::spec::Impute;
use crate::stats;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Imputed {
    pub unit: String,
    pub indicator: String,
    pub value: f64,
    pub method: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ImputeLog {
    pub imputed: Vec<Imputed>,
    /// Cells the method was asked to fill but could not (e.g. a group with no values).
    pub unfilled: Vec<(String, String)>,
}

/// The raw values of one set of units, lent to the imputation: it fills `values` in place and
/// reads the units (groups, ids for its log) and the indicator names where they lie.
pub struct RawCells<'a> {
    pub values: &'a mut Matrix,
    pub units: &'a [Unit],
    pub indicators: &'a [String],
}

/// Fills the raw values for indicators whose method works on raw data (mean, median, group
/// mean or median). Returns the mask of filled cells.
pub fn impute_raw(mut data: RawCells, fw: &Framework, log: &mut ImputeLog) -> Vec<bool> {
    let mut mask = vec![false; data.values.values.len()];
    // Each unit's group, as an index, resolved once per grouping rather than once per indicator.
    let mut groupings: Vec<(&str, Grouping)> = Vec::new();
    // One buffer for the group means or medians of every indicator.
    let mut by_group = Vec::new();
    for j in 0..fw.n_indicators {
        let method = &fw.indicator_methods(j).impute;
        let col = data.values.col(j);
        let fill = match method {
            Impute::None | Impute::ParentMean => continue,
            Impute::Mean => Fill::All(stats::mean(col)),
            Impute::Median => Fill::All(stats::median(col)),
            Impute::GroupMean { group } => {
                let g = grouping(&mut groupings, data.units, group);
                g.means_into(col, &mut by_group);
                Fill::ByGroup(&by_group, &g.of_unit)
            }
            Impute::GroupMedian { group } => {
                let g = grouping(&mut groupings, data.units, group);
                by_group = g.medians(col);
                Fill::ByGroup(&by_group, &g.of_unit)
            }
        };
        fill_column(&mut data, j, &fill, method, &mut mask, log);
    }
    mask
}

/// The units' memberships under `group`, resolved on first use.
fn grouping<'g, 's>(
    groupings: &'g mut Vec<(&'s str, Grouping)>,
    units: &[Unit],
    group: &'s str,
) -> &'g mut Grouping {
    let k = match groupings.iter().position(|(g, _)| *g == group) {
        Some(k) => k,
        None => {
            groupings.push((group, Grouping::new(units, group)));
            groupings.len() - 1
        }
    };
    &mut groupings[k].1
}

/// The value that fills a missing cell of one indicator.
enum Fill<'a> {
    /// The same for every unit (mean, median).
    All(f64),
    /// The mean of the unit's group (by group index), missing for a unit in no group.
    ByGroup(&'a [f64], &'a [Option<usize>]),
}

impl Fill<'_> {
    fn at(&self, unit: usize) -> f64 {
        match self {
            Fill::All(v) => *v,
            Fill::ByGroup(means, of_unit) => of_unit[unit].map_or(f64::NAN, |g| means[g]),
        }
    }
}

/// The units' memberships under one grouping (e.g. province).
struct Grouping {
    /// The group of each unit, an index into the sorted group names; `None` if it has none.
    of_unit: Vec<Option<usize>>,
    n_groups: usize,
    /// The units of each group in unit order, group after group: `members[starts[g]..starts[g + 1]]`.
    members: Vec<usize>,
    starts: Vec<usize>,
}

impl Grouping {
    fn new(units: &[Unit], group: &str) -> Grouping {
        let names: BTreeSet<&str> = units
            .iter()
            .filter_map(|u| u.groups.get(group).map(String::as_str))
            .collect();
        let index: BTreeMap<&str, usize> =
            names.into_iter().enumerate().map(|(k, g)| (g, k)).collect();
        let of_unit: Vec<Option<usize>> = units
            .iter()
            .map(|u| u.groups.get(group).map(|g| index[g.as_str()]))
            .collect();
        let n_groups = index.len();
        let mut members: Vec<usize> = (0..units.len()).filter(|&i| of_unit[i].is_some()).collect();
        // Stable: each group's units stay in unit order.
        members.sort_by_key(|&i| of_unit[i]);
        let mut starts = vec![0; n_groups + 1];
        for g in of_unit.iter().flatten() {
            starts[g + 1] += 1;
        }
        for g in 0..n_groups {
            starts[g + 1] += starts[g];
        }
        Grouping {
            of_unit,
            n_groups,
            members,
            starts,
        }
    }

    /// The mean of the present values of each group (NaN for a group with none), summed in
    /// unit order, into `out` (which the caller reuses across indicators). One group at a
    /// time, so that each sum stays in a register rather than in memory.
    fn means_into(&self, col: &[f64], out: &mut Vec<f64>) {
        out.clear();
        out.extend(self.starts.windows(2).map(|w| {
            let (mut s, mut n) = (0.0, 0usize);
            for &i in &self.members[w[0]..w[1]] {
                let v = col[i];
                if !v.is_nan() {
                    s += v;
                    n += 1;
                }
            }
            if n == 0 {
                f64::NAN
            } else {
                s / n as f64
            }
        }));
    }
}

impl Grouping {
    /// The median of the present values of each group (NaN for a group with none).
    fn medians(&self, col: &[f64]) -> Vec<f64> {
        let mut members = vec![Vec::new(); self.n_groups];
        for (g, &v) in self.of_unit.iter().zip(col) {
            if let Some(g) = g {
                members[*g].push(v);
            }
        }
        members.iter().map(|m| stats::median(m)).collect()
    }
}

fn fill_column(
    data: &mut RawCells,
    j: usize,
    fill: &Fill,
    method: &Impute,
    mask: &mut [bool],
    log: &mut ImputeLog,
) {
    let rows = data.values.rows;
    // The method's name, written once the column has a cell to fill.
    let mut name = None;
    for (i, cell) in data.values.col_mut(j).iter_mut().enumerate() {
        if !cell.is_nan() {
            continue;
        }
        let v = fill.at(i);
        let (unit, indicator) = (data.units[i].id.clone(), data.indicators[j].clone());
        if v.is_nan() {
            log.unfilled.push((unit, indicator));
        } else {
            *cell = v;
            mask[j * rows + i] = true;
            log.imputed.push(Imputed {
                unit,
                indicator,
                value: v,
                method: name.get_or_insert_with(|| method_name(method)).clone(),
            });
        }
    }
}

/// Fills normalised scores with the mean of the unit's other scores under the same parent.
pub fn impute_parent_mean(
    scores: &mut Matrix,
    units: &[Unit],
    fw: &Framework,
    mask: &mut [bool],
    log: &mut ImputeLog,
) {
    let wanted = |j: usize| fw.indicator_methods(j).impute == Impute::ParentMean;
    if !(0..fw.n_indicators).any(wanted) {
        return;
    }
    let original = scores.clone();
    for j in 0..fw.n_indicators {
        if fw.indicator_methods(j).impute != Impute::ParentMean {
            continue;
        }
        let parent = fw.nodes[j].parent.expect("indicators have parents");
        let siblings: Vec<usize> = fw.nodes[parent]
            .children
            .iter()
            .copied()
            .filter(|&c| c != j && c < fw.n_indicators)
            .collect();
        for i in 0..scores.rows {
            if !original.get(i, j).is_nan() {
                continue;
            }
            let vals: Vec<f64> = siblings.iter().map(|&s| original.get(i, s)).collect();
            let v = stats::mean(&vals);
            let (unit, indicator) = (units[i].id.clone(), fw.nodes[j].id.clone());
            if v.is_nan() {
                log.unfilled.push((unit, indicator));
            } else {
                scores.set(i, j, v);
                mask[j * scores.rows + i] = true;
                log.imputed.push(Imputed {
                    unit,
                    indicator,
                    value: v,
                    method: "parent_mean".into(),
                });
            }
        }
    }
}

fn method_name(m: &Impute) -> String {
    match m {
        Impute::None => "none".into(),
        Impute::Mean => "mean".into(),
        Impute::Median => "median".into(),
        Impute::GroupMean { group } => format!("group_mean({group})"),
        Impute::GroupMedian { group } => format!("group_median({group})"),
        Impute::ParentMean => "parent_mean".into(),
    }
}
