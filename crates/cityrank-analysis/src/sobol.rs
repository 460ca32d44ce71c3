//! Variance-based sensitivity: Saltelli's design, Jansen's estimators, bootstrap intervals.
//!
//! For N base rows, matrices A and B hold independent draws; for each factor (a group of
//! columns) A_B^g is A with that group's columns taken from B. With V the variance of f over
//! A and B (Saltelli et al. 2010, "Variance based sensitivity analysis of model output",
//! Table 2, estimators (f) and (j), after Jansen 1999):
//!   first order  S_g  = (V - 1/(2N) sum (f(B) - f(A_B^g))^2) / V
//!   total order  ST_g = 1/(2N) sum (f(A) - f(A_B^g))^2 / V
//! The model is run N (G + 2) times. Rows are drawn from per-row streams and results are kept
//! in row order, so the estimates do not depend on the thread count.

use crate::rng;
use rand::Rng;
use rayon::prelude::*;
use serde::Serialize;
use std::ops::Range;

/// Model outputs on the design: per base row, f(A), f(B) and f(A_B^g) for every group.
#[derive(Clone, Debug)]
pub struct Outputs {
    pub fa: Vec<f64>,
    pub fb: Vec<f64>,
    /// `fab[g][j]`.
    pub fab: Vec<Vec<f64>>,
}

/// First- and total-order indices of one factor, with bootstrap bounds.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Indices {
    pub first_order: f64,
    pub total_order: f64,
    pub first_lo: f64,
    pub first_hi: f64,
    pub total_lo: f64,
    pub total_hi: f64,
}

/// Runs the design: `n` base rows over `dims` uniform inputs split into `groups`.
/// `init` makes one worker's state; `f` evaluates a point of the unit hypercube.
pub fn evaluate<W, E: Send>(
    n: usize,
    dims: usize,
    groups: &[Range<usize>],
    seed: u64,
    init: impl Fn() -> W + Sync + Send,
    f: impl Fn(&mut W, &[f64]) -> Result<f64, E> + Sync + Send,
) -> Result<Outputs, E> {
    let rows: Vec<Vec<f64>> = (0..n)
        .into_par_iter()
        .map_init(
            || (init(), vec![0.0; 2 * dims], vec![0.0; dims]),
            |(w, ab, mix), j| {
                rng::uniforms(&mut rng::stream(seed, j as u64), ab);
                let (a, b) = ab.split_at(dims);
                let mut out = Vec::with_capacity(groups.len() + 2);
                out.push(f(w, a)?);
                out.push(f(w, b)?);
                for g in groups {
                    mix.copy_from_slice(a);
                    mix[g.clone()].copy_from_slice(&b[g.clone()]);
                    out.push(f(w, mix)?);
                }
                Ok(out)
            },
        )
        .collect::<Result<_, E>>()?;
    Ok(Outputs {
        fa: rows.iter().map(|r| r[0]).collect(),
        fb: rows.iter().map(|r| r[1]).collect(),
        fab: (0..groups.len())
            .map(|g| rows.iter().map(|r| r[g + 2]).collect())
            .collect(),
    })
}

/// Jansen's estimators over the base rows `idx` (all rows, or a bootstrap resample).
pub fn jansen(o: &Outputs, g: usize, idx: &[usize]) -> (f64, f64) {
    let n = idx.len() as f64;
    let mean = idx.iter().map(|&j| o.fa[j] + o.fb[j]).sum::<f64>() / (2.0 * n);
    let var = idx
        .iter()
        .map(|&j| (o.fa[j] - mean).powi(2) + (o.fb[j] - mean).powi(2))
        .sum::<f64>()
        / (2.0 * n - 1.0);
    if !(var > 0.0) {
        return (0.0, 0.0);
    }
    let (mut first, mut total) = (0.0, 0.0);
    for &j in idx {
        let ab = o.fab[g][j];
        first += (o.fb[j] - ab).powi(2);
        total += (o.fa[j] - ab).powi(2);
    }
    ((var - first / (2.0 * n)) / var, total / (2.0 * n) / var)
}

/// Estimates with `boot` bootstrap resamples of the base rows and a `level` (e.g. 0.95)
/// percentile interval.
pub fn indices(o: &Outputs, boot: usize, level: f64, seed: u64) -> Vec<Indices> {
    let n = o.fa.len();
    let all: Vec<usize> = (0..n).collect();
    let samples: Vec<Vec<usize>> = (0..boot)
        .map(|b| {
            let mut r = rng::stream(seed ^ 0xB007_5742_u64, b as u64);
            (0..n).map(|_| r.gen_range(0..n)).collect()
        })
        .collect();
    (0..o.fab.len())
        .map(|g| {
            let (s, st) = jansen(o, g, &all);
            let (mut fs, mut ts): (Vec<f64>, Vec<f64>) =
                samples.iter().map(|idx| jansen(o, g, idx)).unzip();
            let (flo, fhi) = interval(&mut fs, level);
            let (tlo, thi) = interval(&mut ts, level);
            Indices {
                first_order: s,
                total_order: st,
                first_lo: flo,
                first_hi: fhi,
                total_lo: tlo,
                total_hi: thi,
            }
        })
        .collect()
}

/// Percentile interval of the bootstrap estimates.
fn interval(v: &mut [f64], level: f64) -> (f64, f64) {
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    v.sort_by(f64::total_cmp);
    let a = (1.0 - level) / 2.0;
    let at = |q: f64| v[((q * v.len() as f64).floor() as usize).min(v.len() - 1)];
    (at(a), at(1.0 - a))
}
