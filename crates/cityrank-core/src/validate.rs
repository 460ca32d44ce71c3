//! Checks of the data before a build: what a careful analyst looks at first.

use crate::data::Dataset;
use crate::stats;
use crate::steps::screen;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct DataReport {
    pub units: usize,
    pub indicators: Vec<IndicatorStats>,
    /// Share of indicators with data, per unit id.
    pub unit_coverage: Vec<(String, f64)>,
    /// Pairs of indicators with identical columns.
    pub duplicate_indicators: Vec<(String, String)>,
    /// Pairs of units with identical rows of data.
    pub duplicate_units: Vec<(String, String)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct IndicatorStats {
    pub indicator: String,
    pub coverage: f64,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub sd: f64,
    pub skewness: f64,
    pub kurtosis: f64,
    pub zero_variance: bool,
    /// |skew| >= 2 and kurtosis >= 3.5: the COINr/GII outlier flag.
    pub outlier_flag: bool,
}

pub fn report(data: &Dataset) -> DataReport {
    let cov = screen::indicator_coverage(data);
    let indicators = (0..data.indicators.len())
        .map(|j| {
            let c = data.values.col(j);
            let (skew, kurt) = stats::skew_kurt(c);
            IndicatorStats {
                indicator: data.indicators[j].clone(),
                coverage: cov[j],
                min: stats::min(c),
                max: stats::max(c),
                mean: stats::mean(c),
                sd: stats::sd(c),
                skewness: skew,
                kurtosis: kurt,
                zero_variance: !(stats::max(c) > stats::min(c)),
                outlier_flag: skew.abs() >= 2.0 && kurt >= 3.5,
            }
        })
        .collect();
    let unit_coverage = data
        .units
        .iter()
        .map(|u| u.id.clone())
        .zip(screen::coverage(data))
        .collect();
    DataReport {
        units: data.n_units(),
        indicators,
        unit_coverage,
        duplicate_indicators: duplicate_columns(data),
        duplicate_units: duplicate_rows(data),
    }
}

fn same(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

fn duplicate_columns(data: &Dataset) -> Vec<(String, String)> {
    let n = data.indicators.len();
    let mut out = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let (x, y) = (data.values.col(a), data.values.col(b));
            if stats::count(x) > 0 && x.iter().zip(y).all(|(p, q)| same(*p, *q)) {
                out.push((data.indicators[a].clone(), data.indicators[b].clone()));
            }
        }
    }
    out
}

fn duplicate_rows(data: &Dataset) -> Vec<(String, String)> {
    let (n, m) = (data.n_units(), data.indicators.len());
    let row = |i: usize| (0..m).map(move |j| data.values.get(i, j));
    let mut out = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let any = row(a).any(|v| !v.is_nan());
            if any && row(a).zip(row(b)).all(|(p, q)| same(p, q)) {
                out.push((data.units[a].id.clone(), data.units[b].id.clone()));
            }
        }
    }
    out
}
