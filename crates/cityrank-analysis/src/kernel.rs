//! The per-replication hot loop for the usual recipes (weights and a choice among the
//! arithmetic, geometric and harmonic means), specialised for speed and exact to the bit.
//!
//! It gives the same floating-point results as the core's `Accumulator` (same operations in the
//! same order): a missing child adds `w * 0` (exactly zero for the positive weights it requires)
//! instead of being skipped, so the loops have no branches and vectorise; the indicator columns
//! of each variant are stored with missing values as 0, a 0/1 presence column and, where they
//! are positive, their logarithms. Ranks reuse the previous replication's order (insertion sort
//! of a nearly sorted list) and round without a libm call. Anything else (an excluded
//! indicator, a non-positive weight, another aggregation, a non-positive value under a
//! geometric or harmonic mean) returns `false`, and the caller takes the general path.

use crate::assumptions::Params;
use cityrank_core::framework::{AggregateMethods, Framework};
use cityrank_core::spec::{Aggregate, Rescale, Ties};

/// Indicator columns of one variant, ready for branch-free accumulation.
struct Block {
    /// Per indicator: the score, 0 where missing.
    x0: Vec<Vec<f64>>,
    /// Per indicator: 1 where present, 0 where missing.
    pres: Vec<Vec<f64>>,
    /// Per indicator: ln(score) where present, 0 where missing; `None` if a present score is
    /// not positive (the geometric and harmonic means then take the general path).
    ln: Vec<Option<Vec<f64>>>,
}

pub struct Kernel {
    blocks: Vec<Block>,
    rows: usize,
    /// 10^decimals when ranks are on rounded scores.
    pow: Option<f64>,
    ties: Ties,
}

/// Buffers of one worker.
pub struct Scratch {
    agg: Vec<Vec<f64>>,
    sum: Vec<f64>,
    sum_w: Vec<f64>,
    count: Vec<f64>,
    keys: Vec<i64>,
    /// The order of the last replication (best first), the start of the next sort.
    order: Vec<u32>,
    pres: Vec<f64>,
    val: Vec<f64>,
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
        let blocks = variants
            .iter()
            .map(|m| {
                let cols = (0..n_ind).map(|j| m.col(j));
                let x0 = cols
                    .clone()
                    .map(|c| {
                        c.iter()
                            .map(|&x| if x.is_nan() { 0.0 } else { x })
                            .collect()
                    })
                    .collect();
                let pres = cols
                    .clone()
                    .map(|c| {
                        c.iter()
                            .map(|x| if x.is_nan() { 0.0 } else { 1.0 })
                            .collect()
                    })
                    .collect();
                let ln = cols
                    .map(|c| {
                        c.iter().all(|&x| x.is_nan() || x > 0.0).then(|| {
                            c.iter()
                                .map(|&x| if x.is_nan() { 0.0 } else { x.ln() })
                                .collect()
                        })
                    })
                    .collect();
                Block { x0, pres, ln }
            })
            .collect();
        Kernel {
            blocks,
            rows,
            pow: decimals.map(|d| 10f64.powi(d as i32)),
            ties,
        }
    }

    pub fn scratch(&self, fw: &Framework) -> Scratch {
        let r = self.rows;
        Scratch {
            agg: vec![vec![0.0; r]; fw.nodes.len() - fw.n_indicators],
            sum: vec![0.0; r],
            sum_w: vec![0.0; r],
            count: vec![0.0; r],
            keys: vec![0; r],
            order: (0..r as u32).collect(),
            pres: vec![0.0; r],
            val: vec![0.0; r],
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
            let m: AggregateMethods = p.methods[node - n_ind];
            let how = match m.aggregate {
                Aggregate::Arithmetic => 0,
                Aggregate::Geometric => 1,
                Aggregate::Harmonic => 2,
                #[allow(unreachable_patterns)]
                _ => return false,
            };
            s.sum.fill(0.0);
            s.sum_w.fill(0.0);
            s.count.fill(0.0);
            let kids = &fw.nodes[node].children;
            for &c in kids {
                let w = p.weights[c];
                if !(w > 0.0) {
                    return false;
                }
                if c < n_ind {
                    let pr = &b.pres[c];
                    let xs: &[f64] = match how {
                        0 => &b.x0[c],
                        _ => match &b.ln[c] {
                            Some(l) => l,
                            None => return false,
                        },
                    };
                    if how == 2 {
                        // w / x = w / e^ln x is not exact: take the scores, 1 where missing.
                        for i in 0..self.rows {
                            s.val[i] = if pr[i] > 0.0 { b.x0[c][i] } else { 1.0 };
                        }
                        accumulate(
                            &mut s.sum,
                            &mut s.sum_w,
                            &mut s.count,
                            &s.val,
                            pr,
                            w,
                            HARMONIC,
                        );
                    } else {
                        accumulate(&mut s.sum, &mut s.sum_w, &mut s.count, xs, pr, w, LINEAR);
                    }
                } else {
                    let col = &s.agg[c - n_ind];
                    let mut ok = true;
                    for ((v, pr), &x) in s.val.iter_mut().zip(s.pres.iter_mut()).zip(col) {
                        let present = !x.is_nan();
                        *pr = if present { 1.0 } else { 0.0 };
                        *v = if present { x } else { 0.0 };
                    }
                    match how {
                        0 => {}
                        1 => {
                            for (v, &pr) in s.val.iter_mut().zip(&s.pres) {
                                ok &= pr == 0.0 || *v > 0.0;
                                if pr > 0.0 {
                                    *v = v.ln();
                                }
                            }
                        }
                        _ => {
                            for (v, &pr) in s.val.iter_mut().zip(&s.pres) {
                                ok &= pr == 0.0 || *v > 0.0;
                                *v = if pr > 0.0 { *v } else { 1.0 };
                            }
                        }
                    }
                    if !ok {
                        return false;
                    }
                    if how == 2 {
                        accumulate(
                            &mut s.sum,
                            &mut s.sum_w,
                            &mut s.count,
                            &s.val,
                            &s.pres,
                            w,
                            HARMONIC,
                        );
                    } else {
                        accumulate(
                            &mut s.sum,
                            &mut s.sum_w,
                            &mut s.count,
                            &s.val,
                            &s.pres,
                            w,
                            LINEAR,
                        );
                    }
                }
            }
            let need = m.min_share * kids.len() as f64 - 1e-9;
            let out = &mut s.agg[node - n_ind];
            let terms = s.sum.iter().zip(&s.sum_w).zip(&s.count);
            if how == 2 {
                for (o, ((&sm, &sw), &k)) in out.iter_mut().zip(terms) {
                    let q = sw / sm;
                    *o = if k > 0.0 && k >= need { q } else { f64::NAN };
                }
            } else {
                for (o, ((&sm, &sw), &k)) in out.iter_mut().zip(terms) {
                    let q = sm / sw;
                    *o = if k > 0.0 && k >= need { q } else { f64::NAN };
                }
                if how == 1 {
                    out.iter_mut().for_each(|o| *o = o.exp());
                }
            }
            rescale(out, m.rescale);
        }
        self.rank(&s.agg[fw.root - n_ind], &mut s.keys, &mut s.order, ranks);
        true
    }

    /// Ranks as `rank::rank` gives them (descending, ties by the publication rule, missing
    /// last as n + 1), from the previous order.
    fn rank(&self, root: &[f64], keys: &mut [i64], order: &mut Vec<u32>, ranks: &mut [u32]) {
        let n = root.len();
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
        // Insertion sort: key descending, then unit ascending (a total order, so the result is
        // the one any sort gives).
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
            ranks[i as usize] = match self.ties {
                Ties::Min => rank,
                Ties::Dense => dense,
            };
        }
    }
}

/// A child's share of the weighted sum: `w x` (arithmetic and geometric means, the latter on logs).
const LINEAR: fn(f64, f64, f64) -> f64 = |w, x, _| w * x;
/// `w / x` for present children (harmonic mean).
const HARMONIC: fn(f64, f64, f64) -> f64 = |w, x, p| w / x * p;

/// Adds one weighted child to the running sums: `term(w, x, present)` is the child's share
/// of the sum (`w x` for the arithmetic and geometric means, `w / x` for the harmonic).
#[inline(always)]
fn accumulate(
    sum: &mut [f64],
    sum_w: &mut [f64],
    count: &mut [f64],
    x: &[f64],
    pr: &[f64],
    w: f64,
    term: impl Fn(f64, f64, f64) -> f64,
) {
    for (((s, sw), k), (&x, &p)) in sum
        .iter_mut()
        .zip(sum_w.iter_mut())
        .zip(count.iter_mut())
        .zip(x.iter().zip(pr))
    {
        *s += term(w, x, p);
        *sw += w * p;
        *k += p;
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
    use super::round_half_away;

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
