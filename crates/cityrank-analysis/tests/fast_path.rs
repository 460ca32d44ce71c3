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
