//! Sensitivity of the ranking to each uncertain assumption: Sobol indices of the mean absolute
//! rank shift (the average over units of |rank - nominal rank|), the output COINr's
//! `get_sensitivity` uses by default.

use crate::model::Model;
use crate::sobol::{self, Indices};
use cityrank_core::BuildError;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub assumption: String,
    #[serde(flatten)]
    pub indices: Indices,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub base_rows: usize,
    pub model_runs: usize,
    pub bootstrap: usize,
    pub confidence: f64,
    pub output: &'static str,
    pub rows: Vec<Row>,
}

/// Runs the Saltelli design with `n` base rows (the model runs N (G + 2) times).
pub fn run(model: &Model, n: usize, seed: u64, boot: usize) -> Result<Report, BuildError> {
    let a = &model.assumptions;
    let groups: Vec<_> = a
        .factors
        .iter()
        .zip(&a.offsets)
        .map(|(f, &o)| o..o + f.dims())
        .collect();
    let outputs = sobol::evaluate(
        n,
        a.dims,
        &groups,
        seed,
        || model.workspace(),
        |ws, u| {
            model.eval(u, ws)?;
            Ok(mean_abs_shift(&ws.ranks, &model.nominal_rank))
        },
    )?;
    let est = sobol::indices(&outputs, boot, 0.95, seed);
    let rows = a
        .factors
        .iter()
        .zip(est)
        .map(|(f, indices)| Row {
            assumption: f.name(&model.fw),
            indices,
        })
        .collect();
    Ok(Report {
        base_rows: n,
        model_runs: n * (groups.len() + 2),
        bootstrap: boot,
        confidence: 0.95,
        output: "mean absolute rank shift",
        rows,
    })
}

pub fn mean_abs_shift(ranks: &[u32], nominal: &[u32]) -> f64 {
    let s: u64 = ranks
        .iter()
        .zip(nominal)
        .map(|(&r, &r0)| r.abs_diff(r0) as u64)
        .sum();
    s as f64 / ranks.len().max(1) as f64
}
