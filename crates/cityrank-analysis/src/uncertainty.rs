//! Monte Carlo uncertainty analysis: the distribution of every unit's overall rank over N
//! replications of the perturbed recipe.
//!
//! Replication `i` reads the first `dims` draws of its own stream, so its recipe depends only on
//! the seed and `i`. Results are integer counts (a rank histogram per unit), summed across
//! threads; integer sums do not depend on the order of addition, so the output is the same for
//! any thread count, and memory does not grow with N.

use crate::batched::Batches;
use crate::model::{Model, Workspace};
use crate::rng;
use cityrank_core::BuildError;
use rayon::prelude::*;
use serde::Serialize;

/// Replications per unit of work: large enough to amortise scheduling, small enough to balance.
const CHUNK: u64 = 2048;

/// Counts over replications.
#[derive(Clone, Debug)]
pub struct Tally {
    n_units: usize,
    /// `hist[unit * (n + 2) + rank]`: how often `unit` had `rank` (n + 1 = unscored).
    hist: Vec<u64>,
    /// The counts since they were last moved into `hist`, in 32 bits: half the memory, so that
    /// the scattered increments stay in the first-level cache for over 80 units.
    recent: Vec<u32>,
    /// Replications counted in `recent`; moved before a count could overflow.
    in_recent: u32,
    abs_shift: Vec<u64>,
    pub replications: u64,
}

impl Tally {
    fn new(n_units: usize) -> Tally {
        Tally {
            n_units,
            hist: vec![0; n_units * (n_units + 2)],
            recent: vec![0; n_units * (n_units + 2)],
            in_recent: 0,
            abs_shift: vec![0; n_units],
            replications: 0,
        }
    }

    pub(crate) fn add(&mut self, ranks: &[u32], nominal: &[u32]) {
        if self.in_recent == u32::MAX {
            self.settle();
        }
        let w = self.n_units + 2;
        for (i, &r) in ranks.iter().enumerate() {
            self.recent[i * w + r as usize] += 1;
        }
        self.in_recent += 1;
        // Apart from the scattered counts, so that it vectorises.
        for ((a, &r), &r0) in self.abs_shift.iter_mut().zip(ranks).zip(nominal) {
            *a += r.abs_diff(r0) as u64;
        }
        self.replications += 1;
    }

    /// Moves the recent counts into the totals; done before the totals are read.
    fn settle(&mut self) {
        if self.in_recent == 0 {
            return;
        }
        for (h, r) in self.hist.iter_mut().zip(self.recent.iter_mut()) {
            *h += *r as u64;
            *r = 0;
        }
        self.in_recent = 0;
    }

    fn merge(mut self, mut o: Tally) -> Tally {
        self.settle();
        o.settle();
        self.hist.iter_mut().zip(&o.hist).for_each(|(a, b)| *a += b);
        self.abs_shift
            .iter_mut()
            .zip(&o.abs_shift)
            .for_each(|(a, b)| *a += b);
        self.replications += o.replications;
        self
    }

    /// A hash of the counts, to check that two kernels counted the same ranks.
    pub fn checksum(&self) -> u64 {
        assert_eq!(self.in_recent, 0, "a tally is read once settled");
        self.hist
            .iter()
            .chain(&self.abs_shift)
            .fold(0xcbf2_9ce4_8422_2325, |h, &c| {
                (h ^ c).wrapping_mul(0x0000_0100_0000_01b3)
            })
    }

    fn hist_of(&self, unit: usize) -> &[u64] {
        assert_eq!(self.in_recent, 0, "a tally is read once settled");
        let w = self.n_units + 2;
        &self.hist[unit * w..(unit + 1) * w]
    }
}

/// One unit's rank distribution.
#[derive(Clone, Debug, Serialize)]
pub struct UnitSummary {
    pub unit: String,
    pub name: String,
    pub nominal_rank: u32,
    pub median_rank: u32,
    pub p05_rank: u32,
    pub p95_rank: u32,
    pub mean_abs_shift: f64,
    pub prob_top10: f64,
    pub prob_top_n: f64,
}

/// The result of a run.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub replications: u64,
    pub seed: u64,
    pub top_n: usize,
    pub units: Vec<UnitSummary>,
}

/// Runs replications `0..n` in parallel; `progress` is told how many finished, chunk by chunk.
pub fn run(
    model: &Model,
    n: u64,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Summary, BuildError> {
    let chunks: Vec<(u64, u64)> = (0..n)
        .step_by(CHUNK as usize)
        .map(|s| (s, (s + CHUNK).min(n)))
        .collect();
    let tally = chunks
        .par_iter()
        .map(|&(s, e)| {
            let t = run_range(model, s, e, seed)?;
            progress(e - s);
            Ok(t)
        })
        .try_reduce(|| Tally::new(model.n_units()), |a, b| Ok(a.merge(b)))?;
    Ok(summarise(model, &tally, seed))
}

/// Replications `start..end` on one thread.
/// Replications of one shape are evaluated in batches ([`crate::batched`]); the counts are
/// those of evaluating them one by one.
pub fn run_range(model: &Model, start: u64, end: u64, seed: u64) -> Result<Tally, BuildError> {
    let mut batches = Batches::new(model);
    let mut u = vec![0.0; model.assumptions.dims];
    let mut tally = Tally::new(model.n_units());
    for i in start..end {
        rng::uniforms(&mut rng::stream(seed, i), &mut u);
        batches.push(model, &u, &mut tally)?;
    }
    batches.flush(model, &mut tally)?;
    tally.settle();
    Ok(tally)
}

/// [`run_range`] one replication at a time through [`Model::eval`]: what the batches must
/// count exactly.
pub fn run_range_single(
    model: &Model,
    start: u64,
    end: u64,
    seed: u64,
) -> Result<Tally, BuildError> {
    let mut ws = model.workspace();
    let mut u = vec![0.0; model.assumptions.dims];
    let mut tally = Tally::new(model.n_units());
    for i in start..end {
        replicate(model, seed, i, &mut u, &mut ws)?;
        tally.add(&ws.ranks, &model.nominal_rank);
    }
    tally.settle();
    Ok(tally)
}

/// Draws replication `i` into `u` and evaluates it into `ws`.
pub fn replicate(
    model: &Model,
    seed: u64,
    i: u64,
    u: &mut [f64],
    ws: &mut Workspace,
) -> Result<(), BuildError> {
    rng::uniforms(&mut rng::stream(seed, i), u);
    model.eval(u, ws)
}

/// The draws of replication `i`.
pub fn draws(model: &Model, seed: u64, i: u64) -> Vec<f64> {
    let mut u = vec![0.0; model.assumptions.dims];
    rng::uniforms(&mut rng::stream(seed, i), &mut u);
    u
}

fn summarise(model: &Model, t: &Tally, seed: u64) -> Summary {
    let top_n = match model.spec.publish.top {
        0 => model.n_units(),
        k => k,
    };
    let n = t.replications.max(1) as f64;
    let units = (0..model.n_units())
        .map(|i| {
            let h = t.hist_of(i);
            let u = &model.units[i];
            UnitSummary {
                unit: u.id.clone(),
                name: u.name.clone(),
                nominal_rank: model.nominal_rank[i],
                median_rank: quantile(h, 0.5),
                p05_rank: quantile(h, 0.05),
                p95_rank: quantile(h, 0.95),
                mean_abs_shift: t.abs_shift[i] as f64 / n,
                prob_top10: h.iter().take(11).sum::<u64>() as f64 / n,
                prob_top_n: h.iter().take(top_n + 1).sum::<u64>() as f64 / n,
            }
        })
        .collect();
    Summary {
        replications: t.replications,
        seed,
        top_n,
        units,
    }
}

/// The smallest rank whose cumulative share reaches `q` (the inverse of the empirical
/// distribution, R's type 1), so it is always a rank that occurred.
pub fn quantile(hist: &[u64], q: f64) -> u32 {
    let total: u64 = hist.iter().sum();
    let need = (q * total as f64).ceil().max(1.0) as u64;
    let mut cum = 0;
    for (r, &c) in hist.iter().enumerate() {
        cum += c;
        if cum >= need {
            return r as u32;
        }
    }
    (hist.len() - 1) as u32
}
