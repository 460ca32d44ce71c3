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
    for (o, &k) in out.iter_mut().zip(keys) {
        *o = (!k.is_nan()).then(|| {
            let above: u64 = keys.iter().map(|&other| (other > k) as u64).sum();
            above as u32 + 1
        });
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
