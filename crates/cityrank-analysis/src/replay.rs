//! Rebuilds one replication alone, from the data and its recipe, through the core's public
//! entry points and nothing cached: the reference the fast path is tested against, and what a
//! reader runs to see one replication in full.

use crate::assumptions::Params;
use crate::model::Model;
use cityrank_core::data::Matrix;
use cityrank_core::{BuildError, Dataset};

/// Scores at every node and ranks (column-major) of the recipe `p`.
pub fn rebuild(
    model: &Model,
    data: &Dataset,
    p: &Params,
) -> Result<(Matrix, Vec<Option<u32>>), BuildError> {
    let plan = model.plan_of(p);
    let kept = plan.screen(data)?.kept;
    let prepared = plan.prepare(data, &kept)?;
    plan.finish(&prepared)
}

/// The overall ranks of a rebuild, with n + 1 for unscored units (as the fast path reports).
pub fn overall_ranks(model: &Model, ranks: &[Option<u32>]) -> Vec<u32> {
    let n = model.n_units();
    let root = model.fw.root;
    ranks[root * n..(root + 1) * n]
        .iter()
        .map(|r| r.unwrap_or(n as u32 + 1))
        .collect()
}
