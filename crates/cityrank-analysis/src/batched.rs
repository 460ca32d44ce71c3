//! Replications gathered by recipe shape (indicator-score variant and aggregations) into
//! batches that the kernel evaluates together ([`crate::kernel::BATCH`] at a time). The tally
//! is a sum of integer counts, so the order in which replications are counted changes nothing.

use crate::assumptions::Params;
use crate::kernel::{BatchScratch, BATCH};
use crate::model::{Model, Workspace};
use crate::uncertainty::Tally;
use cityrank_core::framework::{AggregateMethods, Framework};
use cityrank_core::BuildError;

/// Shapes held open at once; a replication of a further shape is evaluated alone.
const MAX_SHAPES: usize = 8;

/// The replications of one shape waiting for a full batch.
struct Bucket {
    variant: usize,
    methods: Vec<AggregateMethods>,
    /// Node `c`, lane `r` at `c * BATCH + r`.
    weights: Vec<f64>,
    /// Each lane's draws (`dims` apiece), for the general path if the batch needs it.
    draws: Vec<f64>,
    /// Lanes filled.
    len: usize,
}

/// One worker's open batches and buffers.
pub struct Batches {
    buckets: Vec<Bucket>,
    recipe: Params,
    scratch: Option<BatchScratch>,
    ranks: Vec<u32>,
    ws: Workspace,
}

impl Batches {
    pub fn new(model: &Model) -> Batches {
        Batches {
            buckets: Vec::new(),
            recipe: model.nominal.clone(),
            scratch: model.kernel.as_ref().map(|k| k.batch_scratch(&model.fw)),
            ranks: vec![0; model.n_units() * BATCH],
            ws: model.workspace(),
        }
    }

    /// Counts the replication with draws `u` into `tally`, now or when its batch is full.
    pub fn push(&mut self, model: &Model, u: &[f64], tally: &mut Tally) -> Result<(), BuildError> {
        if self.scratch.is_none() {
            return self.alone(model, u, tally);
        }
        let p = &mut self.recipe;
        model
            .assumptions
            .unnormalised_into(u, &model.nominal, &model.fw, p);
        if p.excluded.is_some() {
            return self.alone(model, u, tally);
        }
        let found = self
            .buckets
            .iter()
            .position(|b| b.variant == p.variant && b.methods == p.methods);
        let k = match found {
            Some(k) => k,
            None if self.buckets.len() < MAX_SHAPES => {
                self.buckets.push(Bucket {
                    variant: p.variant,
                    methods: p.methods.clone(),
                    weights: vec![0.0; p.weights.len() * BATCH],
                    draws: vec![0.0; u.len() * BATCH],
                    len: 0,
                });
                self.buckets.len() - 1
            }
            None => return self.alone(model, u, tally),
        };
        let b = &mut self.buckets[k];
        let lane = b.len;
        for (c, &w) in p.weights.iter().enumerate() {
            b.weights[c * BATCH + lane] = w;
        }
        b.draws[lane * u.len()..(lane + 1) * u.len()].copy_from_slice(u);
        b.len += 1;
        if b.len == BATCH {
            renormalise_lanes(&mut b.weights, &model.fw);
            self.run(model, k, tally)?;
        }
        Ok(())
    }

    /// Counts every replication still waiting (the spare lanes repeat the first one and are
    /// not counted).
    pub fn flush(&mut self, model: &Model, tally: &mut Tally) -> Result<(), BuildError> {
        for k in 0..self.buckets.len() {
            let b = &mut self.buckets[k];
            let n = b.len;
            if n == 0 {
                continue;
            }
            for c in 0..b.weights.len() / BATCH {
                let first = b.weights[c * BATCH];
                b.weights[c * BATCH + n..(c + 1) * BATCH].fill(first);
            }
            renormalise_lanes(&mut b.weights, &model.fw);
            self.run(model, k, tally)?;
        }
        Ok(())
    }

    /// Evaluates bucket `k` (its first lanes are replications) and empties it.
    fn run(&mut self, model: &Model, k: usize, tally: &mut Tally) -> Result<(), BuildError> {
        let b = &mut self.buckets[k];
        let n = std::mem::take(&mut b.len);
        let (kernel, scratch) = (model.kernel.as_ref(), self.scratch.as_mut());
        let done = match (kernel, scratch) {
            (Some(kn), Some(s)) => kn.eval_batch(
                &model.fw,
                b.variant,
                &b.methods,
                &b.weights,
                s,
                &mut self.ranks,
            ),
            _ => false,
        };
        let rows = model.n_units();
        if done {
            for r in 0..n {
                tally.add(&self.ranks[r * rows..(r + 1) * rows], &model.nominal_rank);
            }
            return Ok(());
        }
        let draws = std::mem::take(&mut self.buckets[k].draws);
        let dims = draws.len() / BATCH;
        let r = (0..n).try_for_each(|r| self.alone(model, &draws[r * dims..(r + 1) * dims], tally));
        self.buckets[k].draws = draws;
        r
    }

    /// Evaluates one replication by itself.
    fn alone(&mut self, model: &Model, u: &[f64], tally: &mut Tally) -> Result<(), BuildError> {
        model.eval(u, &mut self.ws)?;
        tally.add(&self.ws.ranks, &model.nominal_rank);
        Ok(())
    }
}

/// [`crate::assumptions::renormalise`] for every lane: the same sums in the same order and the
/// same divisions, [`BATCH`] recipes at a time.
fn renormalise_lanes(w: &mut [f64], fw: &Framework) {
    for &p in &fw.bottom_up {
        let kids = &fw.nodes[p].children;
        let mut total = [-0.0; BATCH];
        for &c in kids {
            for r in 0..BATCH {
                total[r] += w[c * BATCH + r];
            }
        }
        for &c in kids {
            for r in 0..BATCH {
                if total[r] > 0.0 {
                    w[c * BATCH + r] /= total[r];
                }
            }
        }
    }
}
