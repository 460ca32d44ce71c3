//! A three-city, two-dimension index worked by hand.

use cityrank_core::spec::{Aggregate, Rescale, Ties};
use cityrank_whatif::{Engine, NodeState, Request, State};

fn node(id: &str, children: &[usize], weight: f64, how: Option<Aggregate>) -> NodeState {
    NodeState {
        id: id.into(),
        children: children.to_vec(),
        weight,
        aggregate: how,
        min_share: 0.5,
        rescale: Rescale::None,
        impute_node: None,
        round: None,
    }
}

/// Indicators a, b (dimension A), c (dimension B); cities x, y, z. Scores:
/// a = (100, 0, 50), b = (0, 100, 50), c = (0, 50, 100); y has no c.
fn state() -> State {
    State {
        nodes: vec![
            node("a", &[], 1.0, None),
            node("b", &[], 1.0, None),
            node("c", &[], 1.0, None),
            node("A", &[0, 1], 1.0, Some(Aggregate::Arithmetic)),
            node("B", &[2], 1.0, Some(Aggregate::Arithmetic)),
            node("I", &[3, 4], 1.0, Some(Aggregate::Arithmetic)),
        ],
        n_indicators: 3,
        root: 5,
        bottom_up: vec![3, 4, 5],
        units: vec!["x".into(), "y".into(), "z".into()],
        scores: vec![
            Some(100.0),
            Some(0.0),
            Some(50.0),
            Some(0.0),
            Some(100.0),
            Some(50.0),
            Some(0.0),
            None,
            Some(100.0),
        ],
        base: vec![Some(3), Some(2), Some(1)],
        decimals: 2,
        rank_on_rounded: true,
        ties: Ties::Min,
        applicable: None,
        published: Vec::new(),
        groups: Default::default(),
    }
}

fn req(a: f64, b: f64, how: Option<&str>) -> Request {
    Request {
        weights: [("A".to_string(), a), ("B".to_string(), b)].into(),
        aggregate: how.map(String::from),
    }
}

#[test]
fn weights_move_the_ranking_as_worked_by_hand() {
    let e = Engine::new(state()).unwrap();
    // A = (50, 50, 50); B = (0, missing, 100). Equal weights: x = 25, y = 50 (B missing,
    // renormalised onto A), z = 75.
    let out = e.run(&req(1.0, 1.0, None)).unwrap();
    let got: Vec<(&str, u32, f64)> = out
        .rows
        .iter()
        .map(|r| (r.unit.as_str(), r.rank, r.score))
        .collect();
    assert_eq!(got, vec![("z", 1, 75.0), ("y", 2, 50.0), ("x", 3, 25.0)]);
    // All weight on A: every city 50, a three-way tie at rank 1.
    let out = e.run(&req(3.0, 0.0, None)).unwrap();
    assert!(out.rows.iter().all(|r| r.rank == 1 && r.score == 50.0));
    assert_eq!(out.weights["A"], 1.0);
    // Weights 1:3: x = 12.5, y = 50, z = 0.25 * 50 + 0.75 * 100 = 87.5.
    let out = e.run(&req(1.0, 3.0, None)).unwrap();
    assert_eq!(out.rows[0].score, 87.5);
    assert_eq!(out.rows[2].score, 12.5);
}

#[test]
fn a_geometric_mean_with_a_zero_score_names_the_child() {
    let e = Engine::new(state()).unwrap();
    let err = e.run(&req(1.0, 1.0, Some("geometric"))).unwrap_err();
    assert!(err.contains("`B`"), "{err}");
}

#[test]
fn bad_requests_and_states_are_refused_with_the_reason() {
    let e = Engine::new(state()).unwrap();
    assert!(e
        .run(&req(0.0, 0.0, None))
        .unwrap_err()
        .contains("all zero"));
    assert!(e
        .run(&req(-1.0, 1.0, None))
        .unwrap_err()
        .contains("from 0 to"));
    assert!(e
        .run(&req(1.0, 1.0, Some("median")))
        .unwrap_err()
        .contains("unknown aggregate"));
    let mut r = req(1.0, 1.0, None);
    r.weights.insert("C".into(), 1.0);
    assert!(e.run(&r).unwrap_err().contains("unknown dimension `C`"));
    let mut s = state();
    s.scores.pop();
    assert!(Engine::new(s).err().unwrap().contains("indicators x units"));
}
