//! Rank: order units by score, as the publication prints them.

use crate::spec::Ties;

/// Rounds half away from zero to `decimals` places.
pub fn round_to(x: f64, decimals: u32) -> f64 {
    let p = 10f64.powi(decimals as i32);
    (x * p).round() / p
}

/// Ranks descending; missing scores get no rank. With `decimals`, units whose scores round to
/// the same printed value tie.
pub fn rank(scores: &[f64], decimals: Option<u32>, ties: Ties) -> Vec<Option<u32>> {
    let mut out = vec![None; scores.len()];
    rank_into(scores, decimals, ties, &mut Vec::new(), &mut out);
    out
}

/// [`rank`] into `out` (as long as `scores`), with `order` as a reusable buffer: a build ranks
/// every node's column.
pub fn rank_into(
    scores: &[f64],
    decimals: Option<u32>,
    ties: Ties,
    order: &mut Vec<(f64, usize)>,
    out: &mut [Option<u32>],
) {
    // The same operations as `round_to`, with the power of ten taken once.
    let p = decimals.map(|d| 10f64.powi(d as i32));
    let key = |x: f64| p.map_or(x, |p| (x * p).round() / p);
    if ties == Ties::Min && scores.len() <= COUNT_UP_TO {
        count_into(scores, key, out);
        return;
    }
    order.clear();
    order.extend(
        scores
            .iter()
            .enumerate()
            .filter(|(_, x)| !x.is_nan())
            .map(|(i, &x)| (key(x), i)),
    );
    // A total order (score, then unit), so an unstable sort gives the one result.
    order.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    out.fill(None);
    let (mut rank, mut dense) = (0u32, 0u32);
    for (pos, &(v, i)) in order.iter().enumerate() {
        if pos == 0 || v != order[pos - 1].0 {
            rank = pos as u32 + 1;
            dense += 1;
        }
        out[i] = Some(match ties {
            Ties::Min => rank,
            Ties::Dense => dense,
        });
    }
}

/// Columns up to this long are ranked by counting (n² comparisons that vectorise), longer ones
/// by sorting.
const COUNT_UP_TO: usize = 128;

/// Competition ranks (ties at the minimum) as 1 + the number of scores strictly above, which is
/// the sorted rank of the first of a tie. Compared as floats: a missing score (NaN) is above
/// none, and -0 and +0 tie, as the sort's `==` ties them.
fn count_into(scores: &[f64], key: impl Fn(f64) -> f64, out: &mut [Option<u32>]) {
    let mut keys = [f64::NAN; COUNT_UP_TO];
    for (k, &x) in keys.iter_mut().zip(scores) {
        *k = key(x);
    }
    let keys = &keys[..scores.len()];
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F, checked just above.
            return unsafe { count_avx512(keys, out) };
        }
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            return unsafe { count_avx2(keys, out) };
        }
    }
    count_keys(keys, out);
}

/// [`count_keys`] in 8-lane vectors: the counts are exact integers, so any width gives the
/// same ranks.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn count_avx512(keys: &[f64], out: &mut [Option<u32>]) {
    count_keys(keys, out);
}

/// [`count_keys`] in 4-lane vectors.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn count_avx2(keys: &[f64], out: &mut [Option<u32>]) {
    count_keys(keys, out);
}

/// For four scores at a time, one pass adding to the count of every score below them: the
/// inner loop runs down the column in vector lanes, with no reduction across lanes and one
/// load and store of a count per four comparisons.
#[inline(always)]
fn count_keys(keys: &[f64], out: &mut [Option<u32>]) {
    let mut above = [0u64; COUNT_UP_TO];
    let above = &mut above[..keys.len()];
    let mut others = keys.chunks_exact(4);
    for o in &mut others {
        let (o0, o1, o2, o3) = (o[0], o[1], o[2], o[3]);
        for (a, &k) in above.iter_mut().zip(keys) {
            *a += (o0 > k) as u64 + (o1 > k) as u64 + (o2 > k) as u64 + (o3 > k) as u64;
        }
    }
    for &other in others.remainder() {
        for (a, &k) in above.iter_mut().zip(keys) {
            *a += (other > k) as u64;
        }
    }
    for ((o, &k), &a) in out.iter_mut().zip(keys).zip(above.iter()) {
        *o = (!k.is_nan()).then_some(a as u32 + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competition_and_dense_ranks() {
        let s = [10.0, 20.0, 20.0, f64::NAN, 5.0];
        assert_eq!(
            rank(&s, None, Ties::Min),
            vec![Some(3), Some(1), Some(1), None, Some(4)]
        );
        assert_eq!(
            rank(&s, None, Ties::Dense),
            vec![Some(2), Some(1), Some(1), None, Some(3)]
        );
    }

    #[test]
    fn counted_ranks_are_the_sorted_ones() {
        // Ties (after rounding too), -0 and +0, negatives and missing scores.
        let s: Vec<f64> = (0..100)
            .map(|i: i32| match i % 13 {
                0 => f64::NAN,
                1 => -0.0,
                2 => 0.0,
                k => ((i * 37) % 29 - 14) as f64 / 3.0 + k as f64 * 1e-4,
            })
            .collect();
        for decimals in [None, Some(0), Some(2)] {
            let mut order = Vec::new();
            let mut sorted = vec![None; s.len()];
            rank_sorted(&s, decimals, &mut order, &mut sorted);
            assert_eq!(rank(&s, decimals, Ties::Min), sorted, "{decimals:?}");
        }
    }

    /// The sort path of `rank_into` with ties at the minimum.
    fn rank_sorted(
        s: &[f64],
        decimals: Option<u32>,
        order: &mut Vec<(f64, usize)>,
        out: &mut [Option<u32>],
    ) {
        // A column longer than the counting limit takes the sort; its head is `s`.
        let mut long = s.to_vec();
        long.resize(COUNT_UP_TO + 1, f64::NAN);
        let mut all = vec![None; long.len()];
        rank_into(&long, decimals, Ties::Min, order, &mut all);
        out.copy_from_slice(&all[..s.len()]);
    }

    #[test]
    fn rounded_scores_tie() {
        let s = [88.004, 87.996, 87.0];
        assert_eq!(
            rank(&s, Some(2), Ties::Min),
            vec![Some(1), Some(1), Some(3)]
        );
        assert_eq!(rank(&s, None, Ties::Min), vec![Some(1), Some(2), Some(3)]);
    }
}
