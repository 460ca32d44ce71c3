//! "Create your own ranking": the what-if engine the pages run (as WebAssembly) against the
//! whole build pipeline rerun with the same weights.

use crate::common::edition;
use cityrank_core::framework::NodeKind;
use cityrank_core::spec::Weighting;
use cityrank_publish::whatif::{self, Request, WhatIf};
use cityrank_whatif::Engine;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;

/// The engine at the nominal weights gives exactly the published scores and ranks.
#[test]
fn nominal_weights_reproduce_the_build() {
    let ed = edition("2020");
    let (fw, r) = (&ed.spec.framework, &ed.results);
    let e = Engine::new(whatif::state(&ed)).unwrap();
    let out = e
        .run(&Request {
            weights: e.nominal(),
            aggregate: None,
        })
        .unwrap();
    assert_eq!(out.rows.len(), r.ranking(fw.root).len());
    for row in &out.rows {
        let i = r.unit_index(&row.unit).unwrap();
        assert_eq!(row.score, r.score(i, fw.root), "{}", row.unit);
        assert_eq!(Some(row.rank), r.rank(i, fw.root), "{}", row.unit);
    }
}

/// 1,000 random weightings: the engine's scores and ranks equal those of a full rebuild (screen,
/// impute, treat, normalise, aggregate, rank) with the dimension weights written into the tree.
#[test]
fn random_weightings_equal_a_full_rebuild() {
    let ed = edition("2020");
    let fw = &ed.spec.framework;
    let wi = WhatIf::new(&ed);
    let dims: Vec<usize> = fw.dimensions().to_vec();
    let mut rng = rand_pcg::Pcg64::seed_from_u64(13);
    for round in 0..1000 {
        let w: Vec<f64> = dims
            .iter()
            .map(|_| {
                if rng.gen_bool(0.15) {
                    0.0
                } else {
                    rng.gen_range(0.0..100.0)
                }
            })
            .collect();
        if w.iter().all(|&x| x == 0.0) {
            continue;
        }
        let weights: BTreeMap<String, f64> = dims
            .iter()
            .zip(&w)
            .map(|(&d, &x)| (fw.nodes[d].id.clone(), x))
            .collect();
        let got = wi
            .run(&Request {
                weights,
                aggregate: None,
            })
            .unwrap();
        let mut tree = fw.clone();
        for (&d, &x) in dims.iter().zip(&w) {
            tree.nodes[d].weight = x;
        }
        if let NodeKind::Aggregate(m) = &mut tree.nodes[fw.root].kind {
            m.weighting = Weighting::Explicit;
        }
        let rebuilt =
            cityrank_core::build(&ed.spec.spec, &tree, &ed.data.dataset).expect("rebuild");
        let order = rebuilt.ranking(tree.root);
        assert_eq!(got.rows.len(), order.len(), "round {round}");
        for (row, &i) in got.rows.iter().zip(&order) {
            let want = rebuilt.score(i, tree.root);
            let want = (want * 100.0).round() / 100.0;
            assert_eq!(
                row.rank,
                rebuilt.rank(i, tree.root).unwrap(),
                "round {round}: {w:?}"
            );
            assert!(
                (row.score - want).abs() < 1e-9,
                "round {round}: {} vs {want}",
                row.score
            );
        }
    }
}

/// The rules example (applies_to, impute_node, published values, rounding, impute_first,
/// coverage by group, force_in): the state as the pages receive it (JSON) recomputes the
/// build's scores bit for bit, and a re-weighting equals a rebuild with those weights.
#[test]
fn the_rules_of_real_indices_are_recomputed() {
    let ed = crate::common::load(&crate::common::root().join("examples/rules/spec.toml"));
    let (fw, r) = (&ed.spec.framework, &ed.results);
    let json = serde_json::to_string(&whatif::state(&ed)).unwrap();
    let state: cityrank_whatif::State = serde_json::from_str(&json).unwrap();
    assert!(state.applicable.is_some() && !state.published.is_empty());
    let e = Engine::new(state).unwrap();
    for w in [
        e.nominal(),
        [("ECON", 3.0), ("ENV", 1.0), ("CULT", 0.5)]
            .map(|(k, v)| (k.to_string(), v))
            .into(),
    ] {
        let out = e
            .run(&Request {
                weights: w.clone(),
                aggregate: None,
            })
            .unwrap();
        let mut tree = fw.clone();
        for (id, x) in &w {
            let k = tree.find(id).unwrap();
            tree.nodes[k].weight = *x;
        }
        if let NodeKind::Aggregate(m) = &mut tree.nodes[fw.root].kind {
            m.weighting = Weighting::Explicit;
        }
        let rebuilt = cityrank_core::build(&ed.spec.spec, &tree, &ed.data.dataset).unwrap();
        assert_eq!(out.rows.len(), r.n_units());
        for row in &out.rows {
            let i = rebuilt.unit_index(&row.unit).unwrap();
            assert_eq!(
                row.score.to_bits(),
                rebuilt.score(i, fw.root).to_bits(),
                "{w:?}: {}",
                row.unit
            );
            assert_eq!(
                Some(row.rank),
                rebuilt.rank(i, fw.root),
                "{w:?}: {}",
                row.unit
            );
        }
    }
}

/// The API's answer, serialised directly, is byte for byte the JSON object built from the
/// owned outcome (whose keys serde_json orders alphabetically), for several weightings and
/// every aggregation, on both bundled editions.
#[test]
fn the_answer_serialises_as_the_json_object_of_the_outcome() {
    for year in ["2020", "2021"] {
        let ed = edition(year);
        let wi = WhatIf::new(&ed);
        let notice = Some("illustrative");
        for (k, aggregate) in [
            None,
            Some("arithmetic"),
            Some("geometric"),
            Some("harmonic"),
        ]
        .into_iter()
        .enumerate()
        {
            let weights: BTreeMap<String, f64> = ["RD", "IND", "PUB", "POL"]
                .iter()
                .enumerate()
                .map(|(j, d)| (d.to_string(), ((j + k) % 4) as f64 + 0.5))
                .collect();
            let req = Request {
                weights,
                aggregate: aggregate.map(String::from),
            };
            let Ok(mut answer) = wi.answer(&req, ed.id(), notice) else {
                assert!(wi.run(&req).is_err(), "{year} {aggregate:?}");
                continue;
            };
            answer.elapsed_us = 17;
            let out = wi.run(&req).unwrap();
            let want = serde_json::json!({ "edition": ed.id(), "notice": notice, "elapsed_us": 17,
                "weights": out.weights, "aggregate": out.aggregate, "rows": out.rows });
            assert_eq!(
                serde_json::to_string(&answer).unwrap(),
                serde_json::to_string(&want).unwrap(),
                "{year} {aggregate:?}"
            );
        }
    }
}
