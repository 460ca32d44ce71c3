//! The per-replication hot loop for the usual recipes (weights and a choice among the
//! arithmetic, geometric and harmonic means), specialised for speed and exact to the bit.
//!
//! It gives the same floating-point results as the core's `Accumulator` (same operations in the
//! same order): a missing child adds `w * 0` (exactly zero for the positive weights it requires)
//! instead of being skipped, so the loops have no branches and vectorise. The columns are
//! padded to a multiple of [`LANES`] units and a node's sums are taken over all its children
//! for [`LANES`] units at a time, so the running sums stay in registers instead of making a
//! pass over memory per child. The indicator columns of each variant are stored with missing
//! values as 0, a 0/1 presence column and, where they are positive, their logarithms; an
//! aggregate's column is put in the form its parent's mean reads as soon as it is computed.
//! Ranks with ties at the minimum are counted (1 + the units scoring strictly higher), which
//! for the unit counts of an index is cheaper than any sort and has no branches, on 16-bit
//! keys (the rounded scores times 10^decimals) where they fit; dense ranks
//! reuse the previous replication's order (insertion sort of a nearly sorted list). Scores
//! round without a libm call. Anything else (an excluded indicator, a non-positive weight,
//! another aggregation, a non-positive value under a geometric or harmonic mean) returns
//! `false`, and the caller takes the general path.

mod batch;

pub use batch::{BatchScratch, BATCH};

use crate::assumptions::Params;
use cityrank_core::framework::Framework;
use cityrank_core::spec::{Aggregate, Rescale, Ties};

/// Units summed together; 16 doubles are four AVX2 registers per running sum, enough
/// independent additions to hide their latency (8 left the loop waiting on it).
const LANES: usize = 16;
/// Up to this many units, ranks are counted; above, sorted.
const COUNT_RANKS_UP_TO: usize = 256;

/// Which mean a node takes, as the loops are specialised on it.
#[derive(Clone, Copy, PartialEq)]
enum Mean {
    Arithmetic,
    Geometric,
    Harmonic,
}

impl Mean {
    fn of(a: Aggregate) -> Option<Mean> {
        match a {
            Aggregate::Arithmetic => Some(Mean::Arithmetic),
            Aggregate::Geometric => Some(Mean::Geometric),
            Aggregate::Harmonic => Some(Mean::Harmonic),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

/// Indicator columns of one variant, ready for branch-free accumulation; every column has
/// `stride` values, the padding missing.
struct Block {
    /// Per indicator: the score, 0 where missing.
    x0: Vec<Vec<f64>>,
    /// Per indicator: 1 where present, 0 where missing.
    pres: Vec<Vec<f64>>,
    /// Per indicator: ln(score) where present, 0 where missing; `None` if a present score is
    /// not positive (the geometric and harmonic means then take the general path).
    ln: Vec<Option<Vec<f64>>>,
    /// Per aggregate node: the units it scores and their present children.
    presence: Vec<batch::Presence>,
}

pub struct Kernel {
    blocks: Vec<Block>,
    rows: usize,
    /// `rows` rounded up to a multiple of [`LANES`].
    stride: usize,
    /// 10^decimals when ranks are on rounded scores.
    pow: Option<f64>,
    ties: Ties,
}

/// Buffers of one worker.
pub struct Scratch {
    /// Per aggregate node: its scores (NaN where missing).
    agg: Vec<Vec<f64>>,
    /// Per aggregate node, as its parent's mean reads it: the value (0, or 1 for the harmonic
    /// mean, where missing; the logarithm for the geometric mean) and its presence.
    val: Vec<Vec<f64>>,
    pres: Vec<Vec<f64>>,
    /// Ranking keys, padded with "missing".
    keys: Vec<i64>,
    /// The same as 16-bit integers, where rounded scores fit them.
    keys16: Vec<i16>,
    /// The order of the last replication (best first), the start of the next sort.
    order: Vec<u32>,
}

impl Kernel {
    pub fn new(
        fw: &Framework,
        variants: &[&cityrank_core::data::Matrix],
        decimals: Option<u32>,
        ties: Ties,
    ) -> Kernel {
        let n_ind = fw.n_indicators;
        let rows = variants.first().map_or(0, |m| m.rows);
        let stride = rows.div_ceil(LANES) * LANES;
        let padded = |f: &dyn Fn(f64) -> f64, c: &[f64]| -> Vec<f64> {
            let mut v: Vec<f64> = c.iter().map(|&x| f(x)).collect();
            v.resize(stride, 0.0);
            v
        };
        let blocks = variants
            .iter()
            .map(|m| {
                let cols = (0..n_ind).map(|j| m.col(j));
                let x0 = cols
                    .clone()
                    .map(|c| padded(&|x| if x.is_nan() { 0.0 } else { x }, c))
                    .collect();
                let pres = cols
                    .clone()
                    .map(|c| padded(&|x| if x.is_nan() { 0.0 } else { 1.0 }, c))
                    .collect();
                let ln = cols
                    .map(|c| {
                        c.iter()
                            .all(|&x| x.is_nan() || x > 0.0)
                            .then(|| padded(&|x| if x.is_nan() { 0.0 } else { x.ln() }, c))
                    })
                    .collect();
                let mut b = Block {
                    x0,
                    pres,
                    ln,
                    presence: Vec::new(),
                };
                b.presence = batch::presence(fw, &b, rows);
                b
            })
            .collect();
        Kernel {
            blocks,
            rows,
            stride,
            pow: decimals.map(|d| 10f64.powi(d as i32)),
            ties,
        }
    }

    pub fn scratch(&self, fw: &Framework) -> Scratch {
        let cols = vec![vec![0.0; self.stride]; fw.nodes.len() - fw.n_indicators];
        Scratch {
            agg: cols.clone(),
            val: cols.clone(),
            pres: cols,
            keys: vec![i64::MIN; self.stride],
            keys16: vec![i16::MIN; self.stride],
            order: (0..self.rows as u32).collect(),
        }
    }

    /// Weights, aggregates and ranks one recipe into `ranks`; `false` if the recipe needs the
    /// general path (nothing useful is left in `ranks` then). The same code is compiled twice,
    /// for the baseline CPU and with AVX2 (chosen at run time); Rust never fuses or reorders
    /// floating-point operations, so both give the same bits.
    pub fn eval(&self, fw: &Framework, p: &Params, s: &mut Scratch, ranks: &mut [u32]) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            if std::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has AVX2, checked just above.
                return unsafe { self.eval_avx2(fw, p, s, ranks) };
            }
        }
        self.eval_body(fw, p, s, ranks)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn eval_avx2(
        &self,
        fw: &Framework,
        p: &Params,
        s: &mut Scratch,
        ranks: &mut [u32],
    ) -> bool {
        self.eval_body(fw, p, s, ranks)
    }

    #[inline(always)]
    fn eval_body(&self, fw: &Framework, p: &Params, s: &mut Scratch, ranks: &mut [u32]) -> bool {
        if p.excluded.is_some() {
            return false;
        }
        let n_ind = fw.n_indicators;
        let b = &self.blocks[p.variant];
        for &node in &fw.bottom_up {
            let m = p.methods[node - n_ind];
            let Some(how) = Mean::of(m.aggregate) else {
                return false;
            };
            let kids = &fw.nodes[node].children;
            for &c in kids {
                if !(p.weights[c] > 0.0)
                    || (c < n_ind && how != Mean::Arithmetic && b.ln[c].is_none())
                {
                    return false;
                }
            }
            let cols = Children {
                block: b,
                val: &s.val,
                pres: &s.pres,
                n_ind,
                how,
            };
            let need = m.min_share * kids.len() as f64 - 1e-9;
            let mut out = std::mem::take(&mut s.agg[node - n_ind]);
            let w = &p.weights;
            match how {
                Mean::Arithmetic | Mean::Geometric => node_means(
                    &mut out,
                    kids,
                    w,
                    &cols,
                    need,
                    |w, x, _| w * x,
                    |sm, sw| sm / sw,
                ),
                Mean::Harmonic => node_means(
                    &mut out,
                    kids,
                    w,
                    &cols,
                    need,
                    // Missing children read 1 (and count 0), so the division is harmless.
                    |w, x, p| w / (if p > 0.0 { x } else { 1.0 }) * p,
                    |sm, sw| sw / sm,
                ),
            }
            if how == Mean::Geometric {
                out.iter_mut().for_each(|o| *o = o.exp());
            }
            rescale(&mut out, m.rescale);
            let k = node - n_ind;
            let fed = match fw.nodes[node].parent {
                None => true,
                Some(parent) => Mean::of(p.methods[parent - n_ind].aggregate)
                    .is_some_and(|ph| as_child(&out, ph, &mut s.val[k], &mut s.pres[k])),
            };
            // The column goes back before any early return: it is this worker's buffer.
            s.agg[k] = out;
            if !fed {
                return false;
            }
        }
        let root = std::mem::take(&mut s.agg[fw.root - n_ind]);
        self.rank(&root[..self.rows], s, ranks);
        s.agg[fw.root - n_ind] = root;
        true
    }

    /// Ranks as `rank::rank` gives them (descending, ties by the publication rule, missing
    /// last as n + 1).
    #[inline(always)]
    fn rank(&self, root: &[f64], s: &mut Scratch, ranks: &mut [u32]) {
        let n = root.len();
        let counted = self.ties == Ties::Min && n <= COUNT_RANKS_UP_TO;
        if let (true, Some(p)) = (counted, self.pow) {
            if narrow_keys(root, p, &mut s.keys16) {
                count_ranks(&s.keys16, i16::MIN, &mut ranks[..n]);
                return;
            }
        }
        let keys = &mut s.keys;
        // Keys as integers in the order of f64::total_cmp; missing scores sort last.
        for i in 0..n {
            let x = root[i];
            keys[i] = if x.is_nan() {
                i64::MIN
            } else {
                // + 0.0 turns -0 into +0, which the general path ties with +0 anyway.
                let v = match self.pow {
                    Some(p) => round_half_away(x * p) / p,
                    None => x,
                } + 0.0;
                let b = v.to_bits() as i64;
                b ^ (((b >> 63) as u64) >> 1) as i64
            };
        }
        if counted {
            count_ranks(keys, i64::MIN, &mut ranks[..n]);
        } else {
            sort_ranks(&keys[..n], &mut s.order, ranks, self.ties);
        }
    }
}

/// Rounded scores as 16-bit keys: the integers `round(x * p)`, whose order and ties are those
/// of the rounded scores `round(x * p) / p` (distinct integers this small stay distinct and
/// in order after the division). Sixteen keys fit one AVX2 comparison, against four 64-bit
/// ones. `false` (keys unusable) if a rounded score does not fit.
#[inline(always)]
fn narrow_keys(root: &[f64], p: f64, keys: &mut [i16]) -> bool {
    let mut fits = true;
    for (k, &x) in keys.iter_mut().zip(root) {
        // `round` is inline with AVX2 (a truncation of x + 0.49999999999999994 with x's sign),
        // so the loop has no branches; `round_half_away` branches on the fraction, which is
        // random here, and the mispredictions cost a quarter of a replication.
        let r = (x * p).round();
        fits &= x.is_nan() || r.abs() <= i16::MAX as f64;
        *k = if x.is_nan() { i16::MIN } else { r as i16 };
    }
    fits
}

/// Each aggregate node's weighted mean of its children, [`LANES`] units at a time: `term(w, x,
/// present)` is a child's share of the sum, `quotient(sum, sum of weights)` the mean. A unit
/// is scored where at least one child and the node's minimum share of them are present.
#[inline(always)]
fn node_means(
    out: &mut [f64],
    kids: &[usize],
    w: &[f64],
    cols: &Children,
    need: f64,
    term: impl Fn(f64, f64, f64) -> f64,
    quotient: impl Fn(f64, f64) -> f64,
) {
    for (blk, o) in out.chunks_exact_mut(LANES).enumerate() {
        let at = blk * LANES;
        let (mut sum, mut sum_w, mut count) = ([0.0; LANES], [0.0; LANES], [0.0; LANES]);
        for &c in kids {
            let (x, pr) = cols.of(c);
            let (x, pr) = (&x[at..at + LANES], &pr[at..at + LANES]);
            let w = w[c];
            for l in 0..LANES {
                sum[l] += term(w, x[l], pr[l]);
                sum_w[l] += w * pr[l];
                count[l] += pr[l];
            }
        }
        for l in 0..LANES {
            let q = quotient(sum[l], sum_w[l]);
            o[l] = if count[l] > 0.0 && count[l] >= need {
                q
            } else {
                f64::NAN
            };
        }
    }
}

/// Where a node's children's columns are, as its mean reads them.
struct Children<'a> {
    block: &'a Block,
    val: &'a [Vec<f64>],
    pres: &'a [Vec<f64>],
    n_ind: usize,
    how: Mean,
}

impl Children<'_> {
    /// The values and presence of child `c`.
    #[inline(always)]
    fn of(&self, c: usize) -> (&[f64], &[f64]) {
        if c >= self.n_ind {
            return (&self.val[c - self.n_ind], &self.pres[c - self.n_ind]);
        }
        let x = match (self.how, &self.block.ln[c]) {
            (Mean::Geometric, Some(l)) => l,
            _ => &self.block.x0[c],
        };
        (x, &self.block.pres[c])
    }
}

/// An aggregate's scores in the form its parent's mean reads them (see [`Scratch`]); `false`
/// if a geometric or harmonic parent meets a score that is not positive.
#[inline(always)]
fn as_child(col: &[f64], parent: Mean, val: &mut [f64], pres: &mut [f64]) -> bool {
    let mut ok = true;
    for ((v, pr), &x) in val.iter_mut().zip(pres.iter_mut()).zip(col) {
        let present = !x.is_nan();
        *pr = if present { 1.0 } else { 0.0 };
        *v = match parent {
            Mean::Arithmetic => {
                if present {
                    x
                } else {
                    0.0
                }
            }
            Mean::Geometric => {
                ok &= !present || x > 0.0;
                if present {
                    x.ln()
                } else {
                    0.0
                }
            }
            Mean::Harmonic => {
                ok &= !present || x > 0.0;
                if present {
                    x
                } else {
                    1.0
                }
            }
        };
    }
    ok
}

/// Competition ranks (ties at the minimum): 1 + the number of units with a strictly higher
/// key, `missing` units n + 1. `keys` may be longer than `ranks`, padded with `missing` (the
/// smallest key). Counted in lanes of the keys' width (at most 256 units, so a 16-bit count
/// does not overflow), so the comparisons and sums vectorise together.
#[inline(always)]
fn count_ranks<K: Copy + PartialOrd + CountLane>(keys: &[K], missing: K, ranks: &mut [u32]) {
    let n = ranks.len() as u32;
    for (r, &k) in ranks.iter_mut().zip(keys) {
        let above = keys
            .iter()
            .fold(K::Count::default(), |a, &o| a + K::one_if(o > k));
        *r = if k == missing {
            n + 1
        } else {
            K::to_u32(above) + 1
        };
    }
}

/// A key type and the counter of its width.
trait CountLane {
    type Count: Copy + Default + std::ops::Add<Output = Self::Count>;
    fn one_if(b: bool) -> Self::Count;
    fn to_u32(c: Self::Count) -> u32;
}

impl CountLane for i16 {
    type Count = u16;
    #[inline(always)]
    fn one_if(b: bool) -> u16 {
        b as u16
    }
    #[inline(always)]
    fn to_u32(c: u16) -> u32 {
        c as u32
    }
}

impl CountLane for i64 {
    type Count = u64;
    #[inline(always)]
    fn one_if(b: bool) -> u64 {
        b as u64
    }
    #[inline(always)]
    fn to_u32(c: u64) -> u32 {
        c as u32
    }
}

/// Ranks from the previous replication's order, re-sorted by insertion: key descending, then
/// unit ascending (a total order, so the result is the one any sort gives).
fn sort_ranks(keys: &[i64], order: &mut [u32], ranks: &mut [u32], ties: Ties) {
    let n = keys.len();
    let before = |a: u32, b: u32| {
        let (ka, kb) = (keys[a as usize], keys[b as usize]);
        ka > kb || (ka == kb && a < b)
    };
    for j in 1..n {
        let v = order[j];
        let mut k = j;
        while k > 0 && before(v, order[k - 1]) {
            order[k] = order[k - 1];
            k -= 1;
        }
        order[k] = v;
    }
    let (mut rank, mut dense) = (0u32, 0u32);
    let mut prev = 0i64;
    for (pos, &i) in order.iter().enumerate() {
        let key = keys[i as usize];
        if key == i64::MIN {
            ranks[i as usize] = n as u32 + 1;
            continue;
        }
        if pos == 0 || key != prev {
            rank = pos as u32 + 1;
            dense += 1;
        }
        prev = key;
        ranks[i as usize] = match ties {
            Ties::Min => rank,
            Ties::Dense => dense,
        };
    }
}

/// The core's `rescale`, written so that it vectorises: the same operations on every value.
#[inline(always)]
fn rescale(col: &mut [f64], how: Rescale) {
    // The maximum and minimum of the present values (the core folds with f64::max/min; they
    // can differ only in the sign of a zero extreme, which the tests below make irrelevant).
    let extremes = |col: &[f64]| {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for &v in col {
            lo = if v < lo { v } else { lo };
            hi = if v > hi { v } else { hi };
        }
        (lo, hi)
    };
    match how {
        Rescale::None => {}
        Rescale::Leader { scale } => {
            let hi = extremes(col).1;
            if hi > 0.0 {
                col.iter_mut().for_each(|v| *v = *v * scale / hi);
            }
        }
        Rescale::MinMax { low, high } => {
            let (lo, hi) = extremes(col);
            if hi > lo {
                col.iter_mut()
                    .for_each(|v| *v = low + (*v - lo) / (hi - lo) * (high - low));
            }
        }
    }
}

/// `f64::round` (half away from zero) without a libm call; exact.
#[inline]
fn round_half_away(y: f64) -> f64 {
    if !(y.abs() < 4.5e15) {
        return y.round();
    }
    let t = y as i64 as f64;
    let f = y - t;
    let r = if f >= 0.5 {
        t + 1.0
    } else if f <= -0.5 {
        t - 1.0
    } else {
        t
    };
    // A zero result keeps the sign of `y`, as `round` does.
    r.copysign(y)
}

#[cfg(test)]
mod tests {
    use super::{count_ranks, narrow_keys, round_half_away, sort_ranks};
    use cityrank_core::spec::Ties;

    #[test]
    fn counted_ranks_are_the_sorted_competition_ranks() {
        // Ties, missing units (i64::MIN) and a padding tail, in a scrambled order.
        let mut keys: Vec<i64> = (0..97).map(|i: i64| (i * 37 % 23) - 11).collect();
        keys[5] = i64::MIN;
        keys[60] = i64::MIN;
        let n = keys.len();
        let mut sorted = vec![0; n];
        let mut order: Vec<u32> = (0..n as u32).collect();
        sort_ranks(&keys, &mut order, &mut sorted, Ties::Min);
        keys.extend([i64::MIN; 7]);
        let mut counted = vec![0; n];
        count_ranks(&keys, i64::MIN, &mut counted);
        assert_eq!(counted, sorted);
        assert_eq!(counted[5], n as u32 + 1);
        // The top key (11) is held by the units with i * 37 % 23 == 22.
        assert_eq!(counted.iter().filter(|&&r| r == 1).count(), 4);
    }

    #[test]
    fn narrow_keys_rank_as_the_rounded_scores() {
        // Scores on a 0-100 scale, many tying at two decimals, some missing.
        let scores: Vec<f64> = (0..200)
            .map(|i| match i % 37 {
                0 => f64::NAN,
                k => (i * 7919 % 10_007) as f64 / 100.0 + k as f64 * 1e-3,
            })
            .collect();
        let p = 100.0;
        let wide: Vec<i64> = scores
            .iter()
            .map(|&x| match x.is_nan() {
                true => i64::MIN,
                // The i64 path's key: the bits of the rounded score, as ordered integers.
                false => ((round_half_away(x * p) / p + 0.0).to_bits() & !(1 << 63)) as i64,
            })
            .collect();
        let mut expected = vec![0; scores.len()];
        let mut order: Vec<u32> = (0..scores.len() as u32).collect();
        sort_ranks(&wide, &mut order, &mut expected, Ties::Min);
        let mut keys = vec![i16::MIN; 208];
        assert!(narrow_keys(&scores, p, &mut keys));
        let mut got = vec![0; scores.len()];
        count_ranks(&keys, i16::MIN, &mut got);
        assert_eq!(got, expected);
        assert!(got.iter().filter(|&&r| r == 1).count() >= 1);
        // A rounded score beyond 16 bits sends the replication to the 64-bit keys.
        assert!(!narrow_keys(&[327.68], p, &mut keys));
    }

    #[test]
    fn rounding_matches_f64_round() {
        for &y in &[
            0.5,
            1.5,
            2.5,
            -0.5,
            -2.5,
            0.49999999999999994,
            1e15 + 0.5,
            -7.4999999,
            123456.5,
            0.0,
            -0.0,
            3.0,
        ] {
            assert_eq!(round_half_away(y).to_bits(), y.round().to_bits(), "{y}");
        }
    }
}
