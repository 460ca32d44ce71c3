//! [`BATCH`] replications of the same recipe shape (variant and aggregations) at once, the
//! replications in the vector lanes.
//!
//! Which units a node scores and which children each unit has depend only on the data, so they
//! are listed once per variant ([`Presence`]); a replication then sums only the children that
//! are present, with no presence products or counts: one multiply and two additions per
//! present child and unit, shared by [`BATCH`] replications with their own weights. The sums
//! run over the same children in the same order as [`Kernel::eval`] (which adds an exact zero
//! for a missing child), so every score has the same bits; the ranks are then taken
//! replication by replication by the same ranking code.

use super::{Block, Kernel, Mean, Scratch};
use cityrank_core::framework::{AggregateMethods, Framework};
use cityrank_core::spec::{Rescale, Ties};

/// Replications per batch: 16 doubles are four AVX2 registers per running sum.
pub const BATCH: usize = 16;

/// The present children of one aggregate node, unit by unit, in the node's order.
pub(super) struct Presence {
    /// Whether the unit has at least one child and the node's minimum share of them.
    scored: Vec<bool>,
    /// `kids[start[u]..start[u + 1]]`: the unit's present children (node indices).
    start: Vec<u32>,
    kids: Vec<u32>,
    /// Beside `kids`, for a node of indicators: each present child's score and its logarithm
    /// (0 where the indicator has none), so the sums read them in order, without looking up
    /// columns.
    x: Vec<f64>,
    ln: Vec<f64>,
    /// Whether the node's children are all indicators (else all aggregates; a node with both
    /// takes the general path).
    of_indicators: bool,
    mixed: bool,
}

/// Each aggregate node's [`Presence`] for one variant's indicator scores, bottom-up.
pub(super) fn presence(fw: &Framework, b: &Block, rows: usize) -> Vec<Presence> {
    let n_ind = fw.n_indicators;
    let mut out: Vec<Option<Presence>> = (n_ind..fw.nodes.len()).map(|_| None).collect();
    for &node in &fw.bottom_up {
        let kids = &fw.nodes[node].children;
        let need = fw.aggregate_methods(node).min_share * kids.len() as f64 - 1e-9;
        let n_leaves = kids.iter().filter(|&&c| c < n_ind).count();
        let mut p = Presence {
            scored: Vec::with_capacity(rows),
            start: vec![0],
            kids: Vec::new(),
            x: Vec::new(),
            ln: Vec::new(),
            of_indicators: n_leaves == kids.len(),
            mixed: n_leaves > 0 && n_leaves < kids.len(),
        };
        for u in 0..rows {
            let mut count = 0.0;
            for &c in kids {
                let present = if c < n_ind {
                    b.pres[c][u] > 0.0
                } else {
                    out[c - n_ind].as_ref().expect("children first").scored[u]
                };
                if present {
                    p.kids.push(c as u32);
                    if c < n_ind {
                        p.x.push(b.x0[c][u]);
                        p.ln.push(b.ln[c].as_ref().map_or(0.0, |l| l[u]));
                    }
                    count += 1.0;
                }
            }
            p.scored.push(count > 0.0 && count >= need);
            p.start.push(p.kids.len() as u32);
        }
        out[node - n_ind] = Some(p);
    }
    out.into_iter().map(|p| p.unwrap_or_else(empty)).collect()
}

fn empty() -> Presence {
    Presence {
        scored: Vec::new(),
        start: vec![0],
        kids: Vec::new(),
        x: Vec::new(),
        ln: Vec::new(),
        of_indicators: false,
        mixed: true,
    }
}

/// Buffers of one worker for batches.
pub struct BatchScratch {
    /// Per aggregate node: units x [`BATCH`] scores (NaN where not scored).
    agg: Vec<Vec<f64>>,
    /// Per aggregate node under a geometric mean: the logarithms of its scores.
    ln: Vec<Vec<f64>>,
    /// One replication's overall scores, for ranking.
    col: Vec<f64>,
    /// Units x [`BATCH`] ranking keys (see [`lane_keys`]).
    keys: Vec<i16>,
    one: Scratch,
}

impl Kernel {
    pub fn batch_scratch(&self, fw: &Framework) -> BatchScratch {
        let cols = vec![vec![0.0; self.rows * BATCH]; fw.nodes.len() - fw.n_indicators];
        BatchScratch {
            agg: cols.clone(),
            ln: cols,
            col: vec![0.0; self.rows],
            keys: vec![0; self.rows * BATCH],
            one: self.scratch(fw),
        }
    }

    /// Weights, aggregates and ranks [`BATCH`] recipes of indicator-score variant `variant`
    /// and aggregate methods `methods`,
    /// with weights `w` (node `c`, replication `r` at `c * BATCH + r`); the ranks of
    /// replication `r` go to `ranks[r * rows..]`. `false` if the recipes need the general path.
    pub fn eval_batch(
        &self,
        fw: &Framework,
        variant: usize,
        methods: &[AggregateMethods],
        w: &[f64],
        s: &mut BatchScratch,
        ranks: &mut [u32],
    ) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            if std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512bw")
            {
                // SAFETY: the CPU has AVX-512 F and BW, checked just above.
                return unsafe { self.eval_batch_avx512(fw, variant, methods, w, s, ranks) };
            }
            if std::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has AVX2, checked just above.
                return unsafe { self.eval_batch_avx2(fw, variant, methods, w, s, ranks) };
            }
        }
        self.eval_batch_body(fw, variant, methods, w, s, ranks)
    }

    /// A batch's 16 lanes of doubles are two AVX-512 registers instead of four AVX2 ones: half
    /// the instructions for the same operations on each lane, so the same bits.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,avx512f,avx512bw")]
    unsafe fn eval_batch_avx512(
        &self,
        fw: &Framework,
        variant: usize,
        methods: &[AggregateMethods],
        w: &[f64],
        s: &mut BatchScratch,
        ranks: &mut [u32],
    ) -> bool {
        self.eval_batch_body(fw, variant, methods, w, s, ranks)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn eval_batch_avx2(
        &self,
        fw: &Framework,
        variant: usize,
        methods: &[AggregateMethods],
        w: &[f64],
        s: &mut BatchScratch,
        ranks: &mut [u32],
    ) -> bool {
        self.eval_batch_body(fw, variant, methods, w, s, ranks)
    }

    #[inline(always)]
    fn eval_batch_body(
        &self,
        fw: &Framework,
        variant: usize,
        methods: &[AggregateMethods],
        w: &[f64],
        s: &mut BatchScratch,
        ranks: &mut [u32],
    ) -> bool {
        let n_ind = fw.n_indicators;
        let b = &self.blocks[variant];
        for &node in &fw.bottom_up {
            let k = node - n_ind;
            let m = methods[k];
            let Some(how) = Mean::of(m.aggregate) else {
                return false;
            };
            if m.min_share != fw.aggregate_methods(node).min_share || b.presence[k].mixed {
                return false;
            }
            for &c in &fw.nodes[node].children {
                let positive = w[c * BATCH..(c + 1) * BATCH].iter().all(|&x| x > 0.0);
                if !positive || (c < n_ind && how != Mean::Arithmetic && b.ln[c].is_none()) {
                    return false;
                }
            }
            let mut out = std::mem::take(&mut s.agg[k]);
            node_lanes(&mut out, &b.presence[k], how, w, s, n_ind);
            if how == Mean::Geometric {
                out.iter_mut().for_each(|o| *o = o.exp());
            }
            let scored = &b.presence[k].scored;
            let whole = rescale_lanes(&mut out, scored, m.rescale);
            let parent = fw.nodes[node]
                .parent
                .map(|q| Mean::of(methods[q - n_ind].aggregate));
            let fed = match parent {
                None => true,
                Some(None) => false,
                Some(Some(Mean::Arithmetic)) => whole,
                Some(Some(ph)) => whole && as_child_lanes(&out, scored, ph, &mut s.ln[k]),
            };
            s.agg[k] = out;
            if !fed {
                return false;
            }
        }
        let rows = self.rows;
        let root = &s.agg[fw.root - n_ind];
        let counted = self.ties == Ties::Min && rows <= super::COUNT_RANKS_UP_TO;
        if let (true, Some(p)) = (counted, self.pow) {
            if lane_keys(root, p, &mut s.keys) {
                count_lanes(&s.keys, rows, ranks);
                return true;
            }
        }
        for (r, ranks) in ranks.chunks_exact_mut(rows.max(1)).take(BATCH).enumerate() {
            for (u, x) in s.col.iter_mut().enumerate() {
                *x = root[u * BATCH + r];
            }
            self.rank(&s.col, &mut s.one, ranks);
        }
        true
    }
}

/// One node's weighted means for every unit and lane: the sums over the unit's present
/// children, as [`super::node_means`] takes them. Its children are all indicators (one value
/// per unit, shared by the lanes) or all aggregates (a value per lane).
#[inline(always)]
fn node_lanes(
    out: &mut [f64],
    pres: &Presence,
    how: Mean,
    w: &[f64],
    s: &BatchScratch,
    n_ind: usize,
) {
    let (w, _) = w.as_chunks::<BATCH>();
    let (out, _) = out.as_chunks_mut::<BATCH>();
    let xs = match how {
        Mean::Geometric => &pres.ln,
        _ => &pres.x,
    };
    let cols = match how {
        Mean::Geometric => &s.ln,
        _ => &s.agg,
    };
    for (u, (o, &scored)) in out.iter_mut().zip(&pres.scored).enumerate() {
        if !scored {
            *o = [f64::NAN; BATCH];
            continue;
        }
        let range = pres.start[u] as usize..pres.start[u + 1] as usize;
        let kids = &pres.kids[range.clone()];
        let (sum, sw) = if pres.of_indicators {
            let xs = &xs[range];
            match how {
                Mean::Harmonic => sums(kids, xs, w, |_, x| [x; BATCH], |w, x| w / x),
                _ => sums(kids, xs, w, |_, x| [x; BATCH], |w, x| w * x),
            }
        } else {
            // Aggregate children have no shared value: each lane reads its own.
            let col = |c: usize, _| -> [f64; BATCH] { cols[c - n_ind].as_chunks::<BATCH>().0[u] };
            match how {
                Mean::Harmonic => sums(kids, kids, w, col, |w, x| w / x),
                _ => sums(kids, kids, w, col, |w, x| w * x),
            }
        };
        let (num, den) = match how {
            Mean::Harmonic => (sw, sum),
            _ => (sum, sw),
        };
        for r in 0..BATCH {
            o[r] = num[r] / den[r];
        }
    }
}

/// The sums of `term(weight, value)` and of the weights over `kids`, lane by lane; `value(c,
/// x)` gives child `c`'s lanes, from its entry `x` beside it.
#[inline(always)]
fn sums<X: Copy>(
    kids: &[u32],
    xs: &[X],
    w: &[[f64; BATCH]],
    value: impl Fn(usize, X) -> [f64; BATCH],
    term: impl Fn(f64, f64) -> f64,
) -> ([f64; BATCH], [f64; BATCH]) {
    let (mut sum, mut sw) = ([0.0; BATCH], [0.0; BATCH]);
    for (&c, &x) in kids.iter().zip(xs) {
        let c = c as usize;
        let wc = &w[c];
        let x = value(c, x);
        for r in 0..BATCH {
            sum[r] += term(wc[r], x[r]);
            sw[r] += wc[r];
        }
    }
    (sum, sw)
}

/// Checks that a node's scores are positive, as a geometric or harmonic parent reads them,
/// and for a geometric parent takes their logarithms into `ln`; `false` sends the batch to the
/// general path.
#[inline(always)]
fn as_child_lanes(col: &[f64], scored: &[bool], parent: Mean, ln: &mut [f64]) -> bool {
    let mut ok = [true; BATCH];
    for (u, c) in col.chunks_exact(BATCH).enumerate() {
        if !scored[u] {
            continue;
        }
        for r in 0..BATCH {
            ok[r] &= c[r] > 0.0;
        }
        if parent == Mean::Geometric {
            for (l, &x) in ln[u * BATCH..(u + 1) * BATCH].iter_mut().zip(c) {
                *l = x.ln();
            }
        }
    }
    ok.iter().all(|&o| o)
}

/// [`super::rescale`] for units x [`BATCH`] lanes: each lane's extremes and rescaling, with the
/// same operations on every value. Returns whether every scored unit has a score after it
/// (the general path treats a NaN as missing, which the fixed [`Presence`] does not).
#[inline(always)]
fn rescale_lanes(col: &mut [f64], scored: &[bool], how: Rescale) -> bool {
    let highest = |col: &[f64]| {
        let mut hi = [f64::NEG_INFINITY; BATCH];
        for c in col.chunks_exact(BATCH) {
            for r in 0..BATCH {
                hi[r] = if c[r] > hi[r] { c[r] } else { hi[r] };
            }
        }
        hi
    };
    let lowest = |col: &[f64]| {
        let mut lo = [f64::INFINITY; BATCH];
        for c in col.chunks_exact(BATCH) {
            for r in 0..BATCH {
                lo[r] = if c[r] < lo[r] { c[r] } else { lo[r] };
            }
        }
        lo
    };
    let mut nan = [false; BATCH];
    match how {
        Rescale::None => {
            for (c, &s) in col.chunks_exact(BATCH).zip(scored) {
                for r in 0..BATCH {
                    nan[r] |= s & c[r].is_nan();
                }
            }
        }
        Rescale::Leader { scale } => {
            let hi = highest(col);
            for (c, &s) in col.chunks_exact_mut(BATCH).zip(scored) {
                for r in 0..BATCH {
                    c[r] = if hi[r] > 0.0 {
                        c[r] * scale / hi[r]
                    } else {
                        c[r]
                    };
                    nan[r] |= s & c[r].is_nan();
                }
            }
        }
        Rescale::MinMax { low, high } => {
            let (lo, hi) = (lowest(col), highest(col));
            for (c, &s) in col.chunks_exact_mut(BATCH).zip(scored) {
                for r in 0..BATCH {
                    c[r] = if hi[r] > lo[r] {
                        low + (c[r] - lo[r]) / (hi[r] - lo[r]) * (high - low)
                    } else {
                        c[r]
                    };
                    nan[r] |= s & c[r].is_nan();
                }
            }
        }
    }
    !nan.iter().any(|&n| n)
}

/// [`super::narrow_keys`] for units x [`BATCH`] lanes: the rounded scores as 16-bit integers,
/// `i16::MIN` where missing; `false` if one does not fit.
#[inline(always)]
fn lane_keys(root: &[f64], p: f64, keys: &mut [i16]) -> bool {
    let mut fits = [true; BATCH];
    for (k, x) in keys.chunks_exact_mut(BATCH).zip(root.chunks_exact(BATCH)) {
        for r in 0..BATCH {
            let y = (x[r] * p).round();
            let missing = x[r].is_nan();
            fits[r] &= missing | (y.abs() <= i16::MAX as f64);
            // Clamped into range (and NaN to 0), so the conversion needs no checks; a value
            // clamped did not fit and the keys are not used.
            let y = if missing {
                0.0
            } else {
                y.clamp(i16::MIN as f64, i16::MAX as f64)
            };
            // SAFETY: `y` is finite and within i32's range.
            let y = unsafe { y.to_int_unchecked::<i32>() } as i16;
            k[r] = if missing { i16::MIN } else { y };
        }
    }
    fits.iter().all(|&f| f)
}

/// [`super::count_ranks`] for every lane at once: 1 + the units with a strictly higher key in
/// the same lane, n + 1 where missing; lane `r`'s ranks go to `ranks[r * rows..]`. Four units
/// are counted per pass over the keys, so each key is loaded once for four comparisons.
#[inline(always)]
fn count_lanes(keys: &[i16], rows: usize, ranks: &mut [u32]) {
    let mut u = 0;
    while u + 4 <= rows {
        count_group::<4>(keys, rows, u, ranks);
        u += 4;
    }
    while u < rows {
        count_group::<1>(keys, rows, u, ranks);
        u += 1;
    }
}

/// [`count_lanes`] for units `u0..u0 + G`.
#[inline(always)]
fn count_group<const G: usize>(keys: &[i16], rows: usize, u0: usize, ranks: &mut [u32]) {
    let lanes =
        |u: usize| -> [i16; BATCH] { keys[u * BATCH..(u + 1) * BATCH].try_into().expect("lanes") };
    let mine: [[i16; BATCH]; G] = std::array::from_fn(|g| lanes(u0 + g));
    let mut above = [[0u16; BATCH]; G];
    for v in 0..rows {
        let kv = lanes(v);
        for g in 0..G {
            for r in 0..BATCH {
                above[g][r] += (kv[r] > mine[g][r]) as u16;
            }
        }
    }
    for g in 0..G {
        for r in 0..BATCH {
            ranks[r * rows + u0 + g] = if mine[g][r] == i16::MIN {
                rows as u32 + 1
            } else {
                above[g][r] as u32 + 1
            };
        }
    }
}
