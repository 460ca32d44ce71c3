//! Uncertainty runs: reproducible to the byte, independent of the thread count.

use crate::common::bundled;
use cityrank_analysis::{output, uncertainty};

fn files(threads: usize, seed: u64) -> Vec<(String, Vec<u8>)> {
    let (_, _, model) = bundled();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let s = pool
        .install(|| uncertainty::run(&model, 5000, seed, &|_| {}))
        .unwrap();
    output::uncertainty_files(&model, &s)
}

#[test]
fn same_seed_same_bytes_whatever_the_threads() {
    let a = files(1, 11);
    let b = files(3, 11);
    assert_eq!(a, b);
    assert_ne!(a, files(2, 12));
}

#[test]
fn summaries_are_consistent() {
    let (_, _, model) = bundled();
    let s = uncertainty::run(&model, 2000, 1, &|_| {}).unwrap();
    assert_eq!(s.replications, 2000);
    for u in &s.units {
        assert!(
            u.p05_rank <= u.median_rank && u.median_rank <= u.p95_rank,
            "{u:?}"
        );
        assert!(u.prob_top10 <= u.prob_top_n);
    }
    let first = s.units.iter().find(|u| u.nominal_rank == 1).unwrap();
    assert_eq!(first.name, "Beijing");
    assert!(first.prob_top10 > 0.99);
}

#[test]
fn quantiles_invert_the_empirical_distribution() {
    let h = [0, 5, 0, 10, 5];
    assert_eq!(uncertainty::quantile(&h, 0.05), 1);
    assert_eq!(uncertainty::quantile(&h, 0.25), 1);
    assert_eq!(uncertainty::quantile(&h, 0.26), 3);
    assert_eq!(uncertainty::quantile(&h, 0.5), 3);
    assert_eq!(uncertainty::quantile(&h, 0.95), 4);
}

#[test]
fn samples_table_has_a_row_per_replication() {
    let (_, _, model) = bundled();
    let (_, bytes) = output::samples_file(&model, 10, 3);
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text.lines().count(), 11);
    assert!(text.lines().next().unwrap().starts_with("replication,w:"));
}
