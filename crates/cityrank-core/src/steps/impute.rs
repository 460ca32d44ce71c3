//! Impute: fill missing values, only where the spec asks, and flag every filled cell.
//!
//! Imputation changes what a city is credited with, so it is off by default and never silent:
//! each filled value is listed with its method, and cells that could not be filled stay missing.

use crate::data::{Dataset, Matrix, Unit};
use crate::framework::Framework;
use crate::spec::Impute;
use crate::stats;
use serde::Serialize;
use std::collections::BTreeMap;

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

/// Fills the raw values for indicators whose method works on raw data (mean, median, group
/// mean). Returns the mask of filled cells.
pub fn impute_raw(data: &mut Dataset, fw: &Framework, log: &mut ImputeLog) -> Vec<bool> {
    let mut mask = vec![false; data.values.values.len()];
    for j in 0..fw.n_indicators {
        let method = fw.indicator_methods(j).impute.clone();
        let fill: Box<dyn Fn(usize) -> f64> = {
            let col = data.values.col(j).to_vec();
            match &method {
                Impute::None | Impute::ParentMean => continue,
                Impute::Mean => {
                    let m = stats::mean(&col);
                    Box::new(move |_| m)
                }
                Impute::Median => {
                    let m = stats::median(&col);
                    Box::new(move |_| m)
                }
                Impute::GroupMean { group } => {
                    let means = group_means(&data.units, &col, group);
                    let units = data.units.clone();
                    let group = group.clone();
                    Box::new(move |i| {
                        units[i]
                            .groups
                            .get(&group)
                            .and_then(|g| means.get(g))
                            .copied()
                            .unwrap_or(f64::NAN)
                    })
                }
            }
        };
        fill_column(data, j, &fill, &method_name(&method), &mut mask, log);
    }
    mask
}

fn fill_column(
    data: &mut Dataset,
    j: usize,
    fill: &dyn Fn(usize) -> f64,
    method: &str,
    mask: &mut [bool],
    log: &mut ImputeLog,
) {
    let rows = data.values.rows;
    for i in 0..rows {
        if !data.values.get(i, j).is_nan() {
            continue;
        }
        let v = fill(i);
        let (unit, indicator) = (data.units[i].id.clone(), data.indicators[j].clone());
        if v.is_nan() {
            log.unfilled.push((unit, indicator));
        } else {
            data.values.set(i, j, v);
            mask[j * rows + i] = true;
            log.imputed.push(Imputed {
                unit,
                indicator,
                value: v,
                method: method.into(),
            });
        }
    }
}

fn group_means(units: &[Unit], col: &[f64], group: &str) -> BTreeMap<String, f64> {
    let mut acc: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    for (u, v) in units.iter().zip(col) {
        if let (Some(g), false) = (u.groups.get(group), v.is_nan()) {
            let e = acc.entry(g.clone()).or_default();
            e.0 += v;
            e.1 += 1;
        }
    }
    acc.into_iter()
        .map(|(g, (s, n))| (g, s / n as f64))
        .collect()
}

/// Fills normalised scores with the mean of the unit's other scores under the same parent.
pub fn impute_parent_mean(
    scores: &mut Matrix,
    units: &[Unit],
    fw: &Framework,
    mask: &mut [bool],
    log: &mut ImputeLog,
) {
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
        Impute::ParentMean => "parent_mean".into(),
    }
}
