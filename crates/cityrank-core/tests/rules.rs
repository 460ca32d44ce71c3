//! The rules of real indices (applicability, node imputation, coverage thresholds, forced
//! units, the order of screening and imputation, published values, rounding), each on values
//! worked by hand in the comments.
//!
//! The tree is the common one, I = {D1 = {a, b}, D2 = {c}}, equal weights, arithmetic means,
//! and `normalise = "none"` unless a test says otherwise, so a score is the raw value.

use crate::common::close;
use cityrank_core::data::Published;
use cityrank_core::{Dataset, Framework, Results, Spec, Unit};

const NAN: f64 = f64::NAN;

/// The common tree with a group column `region` (and `edition`) and `extra` appended.
fn spec(extra: &str) -> Spec {
    let text = format!(
        r#"
[meta]
id = "t"
name = "test"
[units]
file = "u.csv"
groups = ["region", "edition"]
[defaults]
normalise = "none"
[index]
id = "I"
name = "Index"
[[node]]
id = "D1"
parent = "I"
name = "One"
[[node]]
id = "D2"
parent = "I"
name = "Two"
[[indicator]]
id = "a"
parent = "D1"
name = "A"
[[indicator]]
id = "b"
parent = "D1"
name = "B"
[[indicator]]
id = "c"
parent = "D2"
name = "C"
{extra}
"#
    );
    toml::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

/// Rows of (region, a, b, c); edition is "2019" for the units listed in `old`.
fn data(rows: &[(&str, [f64; 3])], old: &[usize]) -> Dataset {
    let units = rows
        .iter()
        .enumerate()
        .map(|(i, (region, _))| {
            let mut u = Unit::new(&format!("u{i}"), &format!("Unit {i}"));
            u.groups.insert("region".into(), region.to_string());
            let ed = if old.contains(&i) { "2019" } else { "new" };
            u.groups.insert("edition".into(), ed.into());
            u
        })
        .collect();
    let mut d = Dataset::new(units, vec!["a".into(), "b".into(), "c".into()]);
    for (i, (_, r)) in rows.iter().enumerate() {
        for (j, v) in r.iter().enumerate() {
            d.values.set(i, j, *v);
        }
    }
    d
}

fn build(s: &Spec, d: &Dataset) -> Results {
    let fw = Framework::from_spec(s).unwrap_or_else(|e| panic!("{e}"));
    cityrank_core::build(s, &fw, d).unwrap_or_else(|e| panic!("{e}"))
}

/// The score of unit `id` at node `node`.
fn score(r: &Results, fw_spec: &Spec, id: &str, node: &str) -> f64 {
    let fw = Framework::from_spec(fw_spec).unwrap();
    let i = r
        .unit_index(id)
        .unwrap_or_else(|| panic!("{id} is not ranked"));
    r.score(i, fw.find(node).unwrap())
}

fn ranked(r: &Results) -> Vec<&str> {
    r.units.iter().map(|u| u.id.as_str()).collect()
}

// ---- not applicable ----------------------------------------------------------------------

/// u0 coastal: a 10, b 20, c 30; u1 inland: a 40, b 60, c (does not apply); u2 coastal:
/// a 20, b 40, c missing.
fn coast() -> Dataset {
    data(
        &[
            ("coast", [10.0, 20.0, 30.0]),
            ("inland", [40.0, 60.0, NAN]),
            ("coast", [20.0, 40.0, NAN]),
        ],
        &[],
    )
}

#[test]
fn not_applicable_is_neither_scored_nor_missing() {
    // c applies to coastal units only; the index needs every applicable child (min_share 1).
    let text = "[screen]\nmin_coverage = 0.9";
    let mut s = spec(text);
    s.index.min_share = Some(1.0);
    s.indicators[2].applies_to = Some(cityrank_core::spec::AppliesTo {
        group: Some("region".into()),
        values: vec!["coast".into()],
        ..Default::default()
    });
    let r = build(&s, &coast());
    // Coverage over the applicable indicators: u0 3 of 3, u1 2 of 2 (c does not apply),
    // u2 2 of 3 = 67% < 90%, excluded.
    assert_eq!(ranked(&r), ["u0", "u1"]);
    assert!(
        r.excluded[0]
            .reason
            .contains("data for 2 of 3 indicators (67%), below the 90% required"),
        "{}",
        r.excluded[0].reason
    );
    // u0: D1 = (10 + 20) / 2 = 15, D2 = 30, I = (15 + 30) / 2 = 22.5.
    // u1: D1 = (40 + 60) / 2 = 50, D2 does not apply, I = 50 over its one applicable child,
    // which meets min_share = 1 (1 of 1 applicable).
    assert!(close(score(&r, &s, "u0", "I"), 22.5));
    assert!(close(score(&r, &s, "u1", "I"), 50.0));
    assert!(score(&r, &s, "u1", "D2").is_nan());
    let fw = Framework::from_spec(&s).unwrap();
    let p = cityrank_core::explain::profile(&r, &fw, 1, 3);
    let c = p.indicators.iter().find(|l| l.indicator == "c").unwrap();
    assert!(c.not_applicable && !c.missing && !c.imputed);
    // Without the rule, u1 has 2 of 3 and is excluded too.
    s.indicators[2].applies_to = None;
    assert_eq!(ranked(&build(&s, &coast())), ["u0"]);
}

#[test]
fn units_with_data_in_a_node() {
    // D2 applies to the units with any data in it: not to u1 and u2 (no c). Coverage: u2 has
    // 2 of 2 applicable indicators and is ranked; I(u2) = D1 = (20 + 40) / 2 = 30.
    let mut s = spec("[screen]\nmin_coverage = 0.9");
    s.nodes[1].applies_to = Some(cityrank_core::spec::AppliesTo {
        with_data: true,
        ..Default::default()
    });
    let r = build(&s, &coast());
    assert_eq!(ranked(&r), ["u0", "u1", "u2"]);
    assert!(close(score(&r, &s, "u2", "I"), 30.0));
}

#[test]
fn a_cell_that_does_not_apply_is_never_imputed() {
    // c applies to u0 and u2 (listed); mean imputation fills u2's c with the mean of the
    // present values, 30 (u0 only), and leaves u1's alone.
    let mut s = spec("");
    s.defaults.impute = Some(cityrank_core::spec::Impute::Mean);
    s.indicators[2].applies_to = Some(cityrank_core::spec::AppliesTo {
        units: vec!["u0".into(), "u2".into()],
        ..Default::default()
    });
    let r = build(&s, &coast());
    let filled: Vec<(&str, &str, f64)> = r
        .log
        .impute
        .imputed
        .iter()
        .map(|m| (m.unit.as_str(), m.indicator.as_str(), m.value))
        .collect();
    assert_eq!(filled, [("u2", "c", 30.0)]);
    assert!(r.log.impute.unfilled.is_empty());
    // u2: I = (30 + 30) / 2 = 30.
    assert!(close(score(&r, &s, "u2", "I"), 30.0));
}

#[test]
fn a_value_for_a_unit_the_rule_excludes_is_refused() {
    let mut s = spec("");
    s.indicators[2].applies_to = Some(cityrank_core::spec::AppliesTo {
        units: vec!["u1".into()],
        ..Default::default()
    });
    let fw = Framework::from_spec(&s).unwrap();
    let e = cityrank_core::build(&s, &fw, &coast()).unwrap_err();
    assert_eq!(
        e.location,
        cityrank_core::Location::Cell {
            unit: "u0".into(),
            indicator: "c".into()
        }
    );
    assert!(e.to_string().contains("does not apply"), "{e}");
}

// ---- node imputation ---------------------------------------------------------------------

/// (region, a, b, c). D1 without imputation: u0 15, u1 35, u2 none, u3 55, u4 none, u5 40
/// (a only, min_share 0).
fn peers() -> Dataset {
    data(
        &[
            ("A", [10.0, 20.0, 30.0]),
            ("A", [30.0, 40.0, 50.0]),
            ("A", [NAN, NAN, 70.0]),
            ("B", [50.0, 60.0, 10.0]),
            ("B", [NAN, NAN, 20.0]),
            ("A", [40.0, NAN, 40.0]),
        ],
        &[],
    )
}

fn impute_node(s: &mut Spec, toml_table: &str) {
    s.nodes[0].impute_node = Some(toml::from_str(toml_table).unwrap());
}

#[test]
fn node_imputation_by_group_mean_and_median_of_scores() {
    let mut s = spec("");
    impute_node(
        &mut s,
        "method = \"mean\"\ngroup = \"region\"\nover = \"scores\"",
    );
    let r = build(&s, &peers());
    // Region A's D1 scores: 15, 35, 40, mean 30; u2: I = (30 + 70) / 2 = 50.
    // Region B: 55; u4: I = (55 + 20) / 2 = 37.5.
    assert!(close(score(&r, &s, "u2", "D1"), 30.0));
    assert!(close(score(&r, &s, "u2", "I"), 50.0));
    assert!(close(score(&r, &s, "u4", "I"), 37.5));
    let fw = Framework::from_spec(&s).unwrap();
    let d1 = fw.find("D1").unwrap();
    assert!(r.is_imputed(2, d1) && r.is_imputed(4, d1) && !r.is_imputed(0, d1));
    let filled: Vec<(&str, &str, &str)> = r
        .log
        .impute
        .imputed
        .iter()
        .map(|m| (m.unit.as_str(), m.indicator.as_str(), m.method.as_str()))
        .collect();
    assert_eq!(
        filled,
        [
            ("u2", "D1", "node_group_mean(region, scores)"),
            ("u4", "D1", "node_group_mean(region, scores)")
        ]
    );
    let p = cityrank_core::explain::profile(&r, &fw, 2, 3);
    assert!(p.nodes.iter().any(|n| n.node == "D1" && n.imputed));

    // The median of 15, 35, 40 is 35: u2's I = (35 + 70) / 2 = 52.5.
    impute_node(
        &mut s,
        "method = \"median\"\ngroup = \"region\"\nover = \"scores\"",
    );
    let r = build(&s, &peers());
    assert!(close(score(&r, &s, "u2", "I"), 52.5));
    // Without a group every ranked unit is a peer: mean of 15, 35, 55, 40 = 36.25.
    impute_node(&mut s, "method = \"mean\"\nover = \"scores\"");
    let r = build(&s, &peers());
    assert!(close(score(&r, &s, "u4", "D1"), 36.25));
}

#[test]
fn node_imputation_over_raw_values() {
    let mut s = spec("");
    impute_node(
        &mut s,
        "method = \"mean\"\ngroup = \"region\"\nover = \"raw\"",
    );
    let r = build(&s, &peers());
    // Region A's raw a: 10, 30, 40 -> 80 / 3; raw b: 20, 40 -> 30. u2's a and b are filled
    // with them: D1 = (80/3 + 30) / 2 = 28.3333, I = (28.3333 + 70) / 2 = 49.1667 (over the
    // scores it was 50: u5's D1 of 40 rests on a alone).
    let d1 = (80.0 / 3.0 + 30.0) / 2.0;
    assert!(close(score(&r, &s, "u2", "D1"), d1));
    assert!(close(score(&r, &s, "u2", "I"), (d1 + 70.0) / 2.0));
    // Region B: a 50, b 60 -> u4's D1 = 55.
    assert!(close(score(&r, &s, "u4", "D1"), 55.0));
    // The filled cells are the indicator cells, flagged as imputed; u5's missing b is not
    // filled (its D1 has a score).
    let cells: Vec<(&str, &str)> = r
        .log
        .impute
        .imputed
        .iter()
        .map(|m| (m.unit.as_str(), m.indicator.as_str()))
        .collect();
    assert_eq!(cells, [("u2", "a"), ("u2", "b"), ("u4", "a"), ("u4", "b")]);
    assert!(r.imputed[2] && r.imputed[6 + 2]);
    assert_eq!(
        r.log.impute.imputed[0].method,
        "node_group_mean(region, raw) of node D1"
    );
}

#[test]
fn node_imputation_only_for_units_with_data_in_the_node() {
    // D1 needs both children (min_share 1): u5 (a only) has no D1 score either. Region A's
    // D1 scores are then 15 and 35, mean 25. With only_with_data, u5 (which has a) is filled,
    // I = (25 + 40) / 2 = 32.5; u2 and u4 (no data in D1) are not: their I is c alone.
    let mut s = spec("");
    s.nodes[0].min_share = Some(1.0);
    impute_node(
        &mut s,
        "method = \"mean\"\ngroup = \"region\"\nover = \"scores\"\nonly_with_data = true",
    );
    let r = build(&s, &peers());
    assert!(close(score(&r, &s, "u5", "I"), 32.5));
    assert!(score(&r, &s, "u2", "D1").is_nan());
    assert!(close(score(&r, &s, "u2", "I"), 70.0));
    assert!(close(score(&r, &s, "u4", "I"), 20.0));
    assert_eq!(r.log.impute.imputed.len(), 1);
}

// ---- coverage thresholds, forced units, order of screening and imputation -----------------

/// u0 3 of 3 indicators, u1 2 of 3, u2 1 of 3.
fn sparse(old: &[usize]) -> Dataset {
    data(
        &[
            ("A", [10.0, 20.0, 30.0]),
            ("A", [NAN, 40.0, 50.0]),
            ("B", [30.0, NAN, NAN]),
        ],
        old,
    )
}

#[test]
fn coverage_thresholds_by_group_and_for_listed_units() {
    let base = "[screen]\nmin_coverage = 0.6\n";
    // u2 has 1 of 3 = 33% < 60%.
    assert_eq!(ranked(&build(&spec(base), &sparse(&[]))), ["u0", "u1"]);
    // Units ranked in 2019 may have 30%: u2 (edition 2019) is ranked.
    let by_group = format!(
        "{base}[[screen.coverage]]\ngroup = \"edition\"\nvalues = [\"2019\"]\nmin_coverage = 0.3\nreason = \"ranked in the 2019 edition\""
    );
    let r = build(&spec(&by_group), &sparse(&[2]));
    assert_eq!(ranked(&r), ["u0", "u1", "u2"]);
    assert_eq!(
        r.log.screen.thresholds,
        [(
            "u2".to_string(),
            0.3,
            "ranked in the 2019 edition".to_string()
        )]
    );
    // The same for a listed unit; a higher threshold for u1 (2 of 3 = 67% < 70%) excludes it,
    // with the reason in the exclusion.
    let listed = format!(
        "{base}[[screen.coverage]]\nunits = [\"u2\"]\nmin_coverage = 0.3\nreason = \"host city\"\n[[screen.coverage]]\nunits = [\"u1\"]\nmin_coverage = 0.7\nreason = \"new entrant\""
    );
    let r = build(&spec(&listed), &sparse(&[]));
    assert_eq!(ranked(&r), ["u0", "u2"]);
    assert_eq!(
        r.excluded[0].reason,
        "data for 2 of 3 indicators (67%), below the 70% required (new entrant)"
    );
}

#[test]
fn force_in_with_a_reason() {
    let s = spec(
        "[screen]\nmin_coverage = 0.6\nforce_in = [{ unit = \"u2\", reason = \"capital city\" }, \"u0\"]",
    );
    let r = build(&s, &sparse(&[]));
    assert_eq!(ranked(&r), ["u0", "u1", "u2"]);
    // u2 is ranked only because it is forced in; u0 would be anyway.
    assert_eq!(r.log.screen.forced_in, ["u2"]);
    assert_eq!(s.screen.force_in[0].reason(), Some("capital city"));
    assert_eq!(s.screen.force_in[1].reason(), None);
}

#[test]
fn screening_raw_or_imputed_data() {
    // Mean imputation, coverage of at least 60%.
    let rules = "[screen]\nmin_coverage = 0.6\n";
    let mean = |mut s: Spec| {
        s.defaults.impute = Some(cityrank_core::spec::Impute::Mean);
        s
    };
    let s = mean(spec(rules));
    let r = build(&s, &sparse(&[]));
    // Screen first (the default): u2 (1 of 3) is excluded, then u1's a is filled with the
    // mean over the ranked units, a = 10 (u0 alone).
    assert_eq!(ranked(&r), ["u0", "u1"]);
    assert_eq!(r.log.impute.imputed[0].value, 10.0);
    // Impute first, as COINr's Screen(coin, dset = "Imputed") after Impute(): every unit is
    // imputed over all assessed units (a: mean of 10 and 30 = 20; b: mean of 20 and 40 = 30;
    // c: mean of 30 and 50 = 40), so every unit has full coverage and is ranked.
    let s = mean(spec(&format!("{rules}order = \"impute_first\"")));
    let r = build(&s, &sparse(&[]));
    assert_eq!(ranked(&r), ["u0", "u1", "u2"]);
    let filled: Vec<(&str, &str, f64)> = r
        .log
        .impute
        .imputed
        .iter()
        .map(|m| (m.unit.as_str(), m.indicator.as_str(), m.value))
        .collect();
    assert_eq!(
        filled,
        [("u1", "a", 20.0), ("u2", "b", 30.0), ("u2", "c", 40.0)]
    );
    // u2: D1 = (30 + 30) / 2 = 30, D2 = 40, I = 35.
    assert!(close(score(&r, &s, "u2", "I"), 35.0));
    // The raw values stay as given (the imputed ones are in `treated`).
    assert!(r.raw.get(2, 1).is_nan());
}

// ---- published values, rounding ----------------------------------------------------------

#[test]
fn a_published_value_overrides_a_node() {
    let s = spec("");
    let mut d = peers();
    d.published.push(Published {
        node: "D1".into(),
        values: vec![NAN, 99.0, NAN, NAN, NAN, NAN],
    });
    let r = build(&s, &d);
    // u1: D1 = 99 (computed: 35), I = (99 + 50) / 2 = 74.5; the others are as computed.
    assert!(close(score(&r, &s, "u1", "I"), 74.5));
    assert!(close(score(&r, &s, "u0", "I"), 22.5));
    let o = &r.log.overrides[0];
    assert_eq!((o.unit.as_str(), o.node.as_str()), ("u1", "D1"));
    assert_eq!((o.computed, o.published), (35.0, 99.0));
    let fw = Framework::from_spec(&s).unwrap();
    assert!(r.is_overridden(1, fw.find("D1").unwrap()));
    assert!(!r.is_overridden(0, fw.find("D1").unwrap()));
}

#[test]
fn intermediate_scores_rounded_at_a_step() {
    // u0: a 10, b 15.25 -> D1 = 12.625; rounded to 1 decimal, 12.6 (half away from zero);
    // I = (12.6 + 30) / 2 = 21.3 instead of 21.3125.
    let d = data(
        &[("A", [10.0, 15.25, 30.0]), ("A", [20.0, 40.0, 10.0])],
        &[],
    );
    let mut s = spec("");
    s.nodes[0].round = Some(1);
    let r = build(&s, &d);
    assert_eq!(score(&r, &s, "u0", "D1"), 12.6);
    assert!(close(score(&r, &s, "u0", "I"), 21.3));
    // Indicator scores, rounded by [[level]] level = 1: min-max of a (10, 20, 40) onto
    // [0, 100] gives 0, 33.3333, 100; to 2 decimals, 33.33.
    let d = data(
        &[
            ("A", [10.0, 1.0, 1.0]),
            ("A", [20.0, 2.0, 2.0]),
            ("A", [40.0, 3.0, 3.0]),
        ],
        &[],
    );
    let mut s = spec("[[level]]\nlevel = 1\nname = \"Indicator\"\nround = 2");
    s.defaults.normalise = Some(cityrank_core::spec::Normalise::MinMax {
        low: 0.0,
        high: 100.0,
    });
    let r = build(&s, &d);
    assert_eq!(r.score(1, 0), 33.33);
    assert_eq!(r.score(1, 1), 50.0);
}

// ---- the meaning checks of the new settings ----------------------------------------------

#[test]
fn rule_settings_without_meaning_are_refused() {
    let cases = [
        (
            "[[indicator]]\nid = \"x\"\nparent = \"D2\"\nname = \"X\"\napplies_to = { group = \"coast\", values = [\"yes\"] }",
            "group `coast`, which `[units] groups` does not declare",
        ),
        (
            "[[indicator]]\nid = \"x\"\nparent = \"D2\"\nname = \"X\"\napplies_to = { group = \"region\" }",
            "no `values`",
        ),
        (
            "[[indicator]]\nid = \"x\"\nparent = \"D2\"\nname = \"X\"\napplies_to = { units = [\"u1\"], with_data = true }",
            "exactly one way",
        ),
        (
            "[[indicator]]\nid = \"x\"\nparent = \"D2\"\nname = \"X\"\napplies_to = {}",
            "exactly one way",
        ),
        (
            "[[indicator]]\nid = \"x\"\nparent = \"D2\"\nname = \"X\"\napplies_to = { units = [\"u1\", \"u1\"] }",
            "lists unit `u1` twice",
        ),
        (
            "[[indicator]]\nid = \"x\"\nparent = \"D2\"\nname = \"X\"\nround = 40",
            "`round = 40`",
        ),
        (
            "[[screen.coverage]]\ngroup = \"edition\"\nvalues = [\"2019\"]\nmin_coverage = 1.5\nreason = \"old\"",
            "1.5 is not a share",
        ),
        (
            "[[screen.coverage]]\nunits = [\"u1\"]\nmin_coverage = 0.5\nreason = \" \"",
            "empty reason",
        ),
        (
            "[[screen.coverage]]\nunits = [\"u1\"]\nmin_coverage = 0.5\nreason = \"a\"\n[[screen.coverage]]\nunits = [\"u1\"]\nmin_coverage = 0.4\nreason = \"b\"",
            "unit `u1` is in two",
        ),
        (
            "[[screen.coverage]]\ngroup = \"region\"\nvalues = [\"A\"]\nmin_coverage = 0.5\nreason = \"a\"\n[[screen.coverage]]\ngroup = \"region\"\nvalues = [\"A\"]\nmin_coverage = 0.4\nreason = \"b\"",
            "value `A` is in two",
        ),
        (
            "[screen]\nforce_in = [{ unit = \"u1\", reason = \"\" }]",
            "unit `u1` has an empty reason",
        ),
        (
            "[screen]\norder = \"impute_first\"",
            "no indicator is imputed",
        ),
    ];
    for (extra, want) in cases {
        let e = match Framework::from_spec(&spec(extra)) {
            Ok(_) => panic!("accepted: {extra}"),
            Err(e) => e.to_string(),
        };
        assert!(e.contains(want), "{extra}\n gave: {e}");
        assert!(e.contains("fix:"), "{e}");
    }
    let mut s = spec("[screen]\norder = \"impute_first\"");
    s.indicators[0].impute = Some(cityrank_core::spec::Impute::ParentMean);
    let e = Framework::from_spec(&s).unwrap_err().to_string();
    assert!(e.contains("`parent_mean`"), "{e}");
    let mut s = spec("");
    impute_node(
        &mut s,
        "method = \"mean\"\ngroup = \"province\"\nover = \"scores\"",
    );
    let e = Framework::from_spec(&s).unwrap_err().to_string();
    assert!(
        e.contains("node `D1`") && e.contains("group `province`"),
        "{e}"
    );
    let mut s = spec("");
    s.index.applies_to = Some(cityrank_core::spec::AppliesTo {
        with_data: true,
        ..Default::default()
    });
    let e = Framework::from_spec(&s).unwrap_err().to_string();
    assert!(e.contains("every ranked unit needs an index score"), "{e}");
    let mut s = spec("");
    s.nodes[0].aggregate = Some(cityrank_core::spec::Aggregate::Topsis {
        normalisation: cityrank_core::spec::TopsisNormalisation::Vector,
    });
    s.indicators[0].applies_to = Some(cityrank_core::spec::AppliesTo {
        with_data: true,
        ..Default::default()
    });
    let e = Framework::from_spec(&s).unwrap_err().to_string();
    assert!(e.contains("MCDA"), "{e}");
    // A node imputation needs its `over`: no silent default.
    let bad: Result<cityrank_core::spec::NodeImpute, _> = toml::from_str("method = \"mean\"");
    assert!(bad
        .unwrap_err()
        .to_string()
        .contains("missing field `over`"));
}

#[test]
fn listed_units_must_exist() {
    let s = spec("[[screen.coverage]]\nunits = [\"u9\"]\nmin_coverage = 0.5\nreason = \"old\"");
    let fw = Framework::from_spec(&s).unwrap();
    let e = cityrank_core::build(&s, &fw, &coast())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unit `u9` is not among the units assessed"),
        "{e}"
    );
    let mut s = spec("");
    s.indicators[2].applies_to = Some(cityrank_core::spec::AppliesTo {
        units: vec!["u9".into()],
        ..Default::default()
    });
    let fw = Framework::from_spec(&s).unwrap();
    let e = cityrank_core::build(&s, &fw, &coast())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("indicator `c`") && e.contains("unit `u9`"),
        "{e}"
    );
}
