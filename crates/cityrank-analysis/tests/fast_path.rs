//! The fast path (cached indicator scores, reused buffers) gives exactly the ranks of a full
//! rebuild through the core, replication by replication.

use crate::common::{bundled, rich};
use cityrank_analysis::{replay, uncertainty};

fn check(
    spec_data_model: (
        cityrank_io::LoadedSpec,
        cityrank_io::LoadedData,
        cityrank_analysis::Model,
    ),
    reps: u64,
) {
    let (_, data, model) = spec_data_model;
    let mut ws = model.workspace();
    for i in 0..reps {
        let u = uncertainty::draws(&model, 7, i);
        model.eval(&u, &mut ws).unwrap();
        let p = model.assumptions.params(&u, &model.nominal, &model.fw);
        let (_, ranks) = replay::rebuild(&model, &data.dataset, &p).unwrap();
        assert_eq!(
            ws.ranks,
            replay::overall_ranks(&model, &ranks),
            "replication {i}"
        );
    }
}

#[test]
fn nominal_recipe_gives_the_published_build() {
    let (spec, data, model) = bundled();
    let res = cityrank_io::build(&spec, &data).unwrap();
    let fw = &spec.framework;
    let expect: Vec<u32> = (0..res.n_units())
        .map(|i| res.rank(i, fw.root).unwrap())
        .collect();
    assert_eq!(model.nominal_rank, expect);
}

#[test]
fn bundled_defaults_match_full_rebuilds() {
    check(bundled(), 200);
}

#[test]
fn every_kind_of_assumption_matches_full_rebuilds() {
    let m = rich();
    assert_eq!(
        m.2.assumptions.factors.len(),
        6,
        "{:?}",
        m.2.assumptions.factors
    );
    check(m, 300);
}

#[test]
fn default_geometric_is_dropped_with_a_note_when_scores_are_zero() {
    let (_, _, model) = bundled();
    assert_eq!(model.notes.len(), 1, "{:?}", model.notes);
    assert!(
        model.notes[0].starts_with("geometric aggregation left out")
            && model.notes[0].contains("the geometric mean needs positive scores"),
        "{}",
        model.notes[0]
    );
}

/// Replications of one shape evaluated together by the kernel give each replication's ranks
/// exactly as evaluated alone.
fn check_batch(model: &cityrank_analysis::Model, draws: u64) -> usize {
    use cityrank_analysis::kernel::BATCH;
    let k = model.kernel.as_ref().expect("kernel");
    let mut s = k.batch_scratch(&model.fw);
    let (n, n_nodes) = (model.n_units(), model.fw.nodes.len());
    let mut ws = model.workspace();
    let mut batches = 0;
    // Replications grouped by shape, as the batched run does.
    let mut open: Vec<(cityrank_analysis::Params, Vec<Vec<f64>>)> = Vec::new();
    for i in 0..draws {
        let u = uncertainty::draws(model, 5, i);
        let p = model.assumptions.params(&u, &model.nominal, &model.fw);
        if p.excluded.is_some() {
            continue;
        }
        let at = open
            .iter()
            .position(|(q, _)| q.variant == p.variant && q.methods == p.methods);
        let at = at.unwrap_or_else(|| {
            open.push((p.clone(), Vec::new()));
            open.len() - 1
        });
        open[at].1.push(u);
        if open[at].1.len() < BATCH {
            continue;
        }
        let (q, lanes) = open.swap_remove(at);
        let mut w = vec![0.0; n_nodes * BATCH];
        for (r, u) in lanes.iter().enumerate() {
            let p = model.assumptions.params(u, &model.nominal, &model.fw);
            for c in 0..n_nodes {
                w[c * BATCH + r] = p.weights[c];
            }
        }
        let mut ranks = vec![0; n * BATCH];
        if !k.eval_batch(&model.fw, q.variant, &q.methods, &w, &mut s, &mut ranks) {
            continue;
        }
        batches += 1;
        for (r, u) in lanes.iter().enumerate() {
            model.eval(u, &mut ws).unwrap();
            assert_eq!(&ranks[r * n..(r + 1) * n], &ws.ranks[..], "lane {r}");
        }
    }
    batches
}

#[test]
fn batches_rank_as_replications_alone() {
    assert!(check_batch(&bundled().2, 2000) >= 100);
    // Variants and aggregations (some leaving the kernel); one replication in 17 leaves no
    // indicator out and can be batched.
    assert!(check_batch(&rich().2, 20_000) >= 10);
}

#[test]
fn batched_runs_count_as_replications_alone() {
    for (_, _, model) in [bundled(), rich()] {
        let a = uncertainty::run_range(&model, 3, 1010, 9).unwrap();
        let b = uncertainty::run_range_single(&model, 3, 1010, 9).unwrap();
        assert_eq!(a.replications, 1007);
        assert_eq!(a.checksum(), b.checksum());
    }
}
