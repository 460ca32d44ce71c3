//! The meaning checks and orientation rules: every case here was once accepted and gave a
//! wrong or silently incomplete result.

use crate::common::{data, spec};
use cityrank_core::{Dataset, Framework, Spec, Unit};

/// The spec error for `extra` appended to the small two-dimension spec.
fn refused(extra: &str) -> String {
    let s: Spec = spec(extra);
    match Framework::from_spec(&s) {
        Ok(_) => panic!("accepted: {extra}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn parameters_out_of_range_are_refused() {
    let cases = [
        ("[defaults]\naggregate = { method = \"vikor\", v = 1.5 }", "vikor v = 1.5"),
        ("[defaults]\naggregate = { method = \"vikor\", v = -1 }", "vikor v = -1"),
        ("[defaults]\naggregate = { method = \"grey_relational\", rho = 0 }", "rho = 0"),
        ("[defaults]\naggregate = { method = \"grey_relational\", rho = -0.5 }", "rho = -0.5"),
        ("[defaults]\naggregate = { method = \"promethee_ii\", preference = \"linear\", q = 30, p = 10 }", "q = 30 is not below p = 10"),
        ("[defaults]\naggregate = { method = \"promethee_ii\", preference = \"v_shape\" }", "needs p > 0"),
        ("[defaults]\naggregate = { method = \"promethee_ii\", preference = \"gaussian\" }", "needs s > 0"),
        ("[defaults]\naggregate = { method = \"promethee_ii\", preference = \"usual\", p = 3 }", "no parameter p"),
        ("[defaults]\nrescale = { method = \"leader\", scale = -100 }", "scale = -100"),
        ("[defaults]\nrescale = { method = \"min_max\", low = 100, high = 0 }", "inverted"),
        ("[publish]\ndecimals = 1000", "1000 decimals"),
        ("[screen]\nmin_coverage = nan", "NaN is not a share"),
        ("[screen]\nmin_coverage = -1", "-1 is not a share"),
        ("[screen]\nmin_coverage = 2", "2 is not a share"),
        ("[screen]\nmin_dimension_coverage = 1.5", "1.5 is not a share"),
        ("[[publish.tier]]\nname = \"B\"\nmin_score = 40\n[[publish.tier]]\nname = \"A\"\nmin_score = 70", "not below the tier before it"),
        ("[[publish.tier]]\nname = \"A\"\nmin_score = nan", "has min_score NaN"),
        ("[[level]]\nlevel = 2\nname = \"Pillar\"\n[[level]]\nlevel = 2\nname = \"Dimension\"", "level 2 has two [[level]] entries"),
        ("[screen]\nforce_in = [\"u1\"]\nforce_out = [{ unit = \"u1\", reason = \"withdrawn\" }]", "both forced in and forced out"),
        ("[defaults]\nnormalise = { method = \"percentile\", scale = 0 }", "percentile scale = 0"),
        ("[defaults]\nnormalise = { method = \"z_score\", sd = inf }", "sd = inf"),
        ("[uncertainty]\nweight_noise = 1.5", "noise 1.5 is not a share"),
        ("[uncertainty]\nweight_noise = nan", "noise NaN is not a share"),
        ("[[uncertainty.level]]\nlevel = 1\nnoise = -0.1", "noise -0.1 is not a share"),
        ("[[uncertainty.level]]\nlevel = 3\nnoise = 0.1", "level 3 has no weighted children"),
        ("[[uncertainty.level]]\nlevel = 1\nnoise = 0.1\n[[uncertainty.level]]\nlevel = 1\nnoise = 0.2", "level 1 has two [[uncertainty.level]] entries"),
        ("[uncertainty]\naggregation_levels = [4]", "level 4 has no aggregate nodes"),
    ];
    for (extra, want) in cases {
        let e = refused(extra);
        assert!(e.contains(want), "{extra}\n gave: {e}");
        assert!(e.contains("fix:"), "{e}");
    }
}

#[test]
fn weights_whose_sum_overflows_are_refused() {
    let mut s = spec("");
    for ind in &mut s.indicators {
        ind.weight = Some(1e308);
    }
    let e = Framework::from_spec(&s).unwrap_err().to_string();
    assert!(
        e.contains("node `D1`") && e.contains("add up to inf"),
        "{e}"
    );
}

#[test]
fn group_mean_needs_a_declared_group() {
    let e = refused("[defaults]\nimpute = { method = \"group_mean\", group = \"province\" }");
    assert!(
        e.contains("group `province`") && e.contains("[units] groups"),
        "{e}"
    );
}

#[test]
fn goalposts_and_direction_must_agree() {
    let e = refused("[defaults]\nnormalise = { method = \"goalposts\", best = 0, worst = 10 }");
    assert!(
        e.contains("say lower is better") && e.contains("direction = \\\"lower\\\"")
            || e.contains("direction = \"lower\""),
        "{e}"
    );
    let mut s = spec("[defaults]\nnormalise = { method = \"goalposts\", best = 0, worst = 10 }");
    for ind in &mut s.indicators {
        ind.direction = cityrank_core::spec::Direction::Lower;
    }
    assert!(Framework::from_spec(&s).is_ok());
}

#[test]
fn a_ranked_unit_without_an_index_score_is_an_error() {
    // min_share = 1 leaves D1 unscored for u1 (b missing); the geometric index then has no
    // score for u1, which the screen (no rules) let through.
    let s = spec("[defaults]\nmin_share = 1\n");
    let fw = Framework::from_spec(&s).unwrap();
    let d = data(&[[1.0, 2.0, 3.0], [2.0, f64::NAN, 4.0], [3.0, 4.0, 5.0]]);
    let e = cityrank_core::build(&s, &fw, &d).unwrap_err().to_string();
    assert!(
        e.contains("1 unit(s) passed the screen") && e.contains("`u1`"),
        "{e}"
    );
    // Screening it out is the fix.
    let s = spec("[defaults]\nmin_share = 1\n[screen]\nmin_coverage = 1\n");
    let fw = Framework::from_spec(&s).unwrap();
    let r = cityrank_core::build(&s, &fw, &d).unwrap();
    assert_eq!((r.n_units(), r.excluded.len()), (2, 1));
}

/// Hwang & Yoon's (1981) fighter-aircraft matrix fed raw (`normalise = "none"`) to a TOPSIS
/// node, the cost attribute declared `direction = "lower"`: the node must give the book's
/// relative closeness (0.643, 0.268, 0.614, 0.312), which needs the cost attribute to count
/// the right way round.
#[test]
fn raw_criteria_with_lower_is_better_feed_mcda_the_right_way_round() {
    let names = [
        "speed",
        "range",
        "payload",
        "cost",
        "reliability",
        "manoeuvre",
    ];
    let weights = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3];
    let mut text = String::from(
        "[meta]\nid = \"a\"\nname = \"aircraft\"\n[units]\nfile = \"u.csv\"\n[defaults]\nnormalise = \"none\"\n[index]\nid = \"I\"\nname = \"Index\"\naggregate = \"topsis\"\n",
    );
    for (n, w) in names.iter().zip(weights) {
        let dir = if *n == "cost" { "lower" } else { "higher" };
        text.push_str(&format!(
            "[[indicator]]\nid = \"{n}\"\nname = \"{n}\"\nparent = \"I\"\nweight = {w}\ndirection = \"{dir}\"\n"
        ));
    }
    let s: Spec = toml::from_str(&text).unwrap();
    let (cols, _, _) = crate::mcda::aircraft();
    let units = (0..4)
        .map(|i| Unit::new(&format!("A{}", i + 1), "aircraft"))
        .collect();
    let mut d = Dataset::new(units, names.iter().map(|n| n.to_string()).collect());
    for (j, c) in cols.iter().enumerate() {
        d.values.col_mut(j).copy_from_slice(c);
    }
    let fw = Framework::from_spec(&s).unwrap();
    let r = cityrank_core::build(&s, &fw, &d).unwrap();
    for (i, want) in [64.3, 26.8, 61.4, 31.2].iter().enumerate() {
        let got = r.score(i, fw.root);
        assert!((got - want).abs() < 0.05, "A{}: {got} vs {want}", i + 1);
    }
}

/// The spec-parse error for `extra` appended to the small spec.
fn unparsed(extra: &str) -> String {
    let text = format!("[meta]\nid = \"t\"\nname = \"t\"\n[units]\nfile = \"u.csv\"\n{extra}\n[index]\nid = \"I\"\nname = \"Index\"\n[[indicator]]\nid = \"a\"\nparent = \"I\"\nname = \"A\"\n");
    match toml::from_str::<Spec>(&text) {
        Ok(_) => panic!("accepted: {extra}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn keys_on_a_method_without_parameters_are_refused() {
    for (extra, key, method) in [
        (
            "aggregate = { method = \"copeland\", normalisation = \"min_max\" }",
            "normalisation",
            "copeland",
        ),
        (
            "normalise = { method = \"ratio_to_max\", scale = 1 }",
            "scale",
            "ratio_to_max",
        ),
        (
            "transform = { method = \"sqrt\", power = 3 }",
            "power",
            "sqrt",
        ),
        (
            "impute = { method = \"mean\", group = \"province\" }",
            "group",
            "mean",
        ),
        (
            "weighting = { method = \"entropy\", target = [1, 2] }",
            "target",
            "entropy",
        ),
        (
            "outliers = { method = \"none\", max_skew = 2 }",
            "max_skew",
            "none",
        ),
    ] {
        let e = unparsed(&format!("[defaults]\n{extra}"));
        assert!(
            e.contains(&format!(
                "unknown field `{key}`: method `{method}` takes no parameters"
            )),
            "{extra}\n gave: {e}"
        );
        // The error points at the line of the setting (line 7: after [meta], [units], [defaults]).
        assert!(e.contains("line 7"), "{e}");
    }
    // In the [uncertainty] lists too.
    let e = unparsed("[uncertainty]\nnormalisations = [{ method = \"percentile\" }, { method = \"ratio_to_max\", low = 0 }]");
    assert!(
        e.contains("method `ratio_to_max` takes no parameters"),
        "{e}"
    );
    // Methods with parameters already refuse a key they do not have, naming the valid ones.
    let e = unparsed("[defaults]\nnormalise = { method = \"min_max\", scale = 1 }");
    assert!(
        e.contains("unknown field `scale`, expected `low` or `high`"),
        "{e}"
    );
    // The plain name and a table with only `method` still parse.
    unparsed_ok("[defaults]\naggregate = \"topsis\"\ntransform = { method = \"sqrt\" }");
}

fn unparsed_ok(extra: &str) {
    let text = format!("[meta]\nid = \"t\"\nname = \"t\"\n[units]\nfile = \"u.csv\"\n{extra}\n[index]\nid = \"I\"\nname = \"Index\"\n[[indicator]]\nid = \"a\"\nparent = \"I\"\nname = \"A\"\n");
    toml::from_str::<Spec>(&text).unwrap_or_else(|e| panic!("{extra}: {e}"));
}

/// A target on the worst side of the data would make the score fall as the value improves
/// (a lower-is-better indicator with its target above every value ranked it upside down).
#[test]
fn a_distance_to_target_on_the_wrong_side_is_refused() {
    let d = data(&[[1.0, 2.0, 3.0], [2.0, 5.0, 4.0], [3.0, 4.0, 5.0]]);
    let higher =
        spec("[defaults]\nnormalise = { method = \"distance_to_target\", target = 0.5 }\n");
    let fw = Framework::from_spec(&higher).unwrap();
    let e = cityrank_core::build(&higher, &fw, &d)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("target 0.5 is not above the lowest value (1"),
        "{e}"
    );
    let mut lower =
        spec("[defaults]\nnormalise = { method = \"distance_to_target\", target = 9 }\n");
    for ind in &mut lower.indicators {
        ind.direction = cityrank_core::spec::Direction::Lower;
    }
    let fw = Framework::from_spec(&lower).unwrap();
    let e = cityrank_core::build(&lower, &fw, &d)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("target 9 is not below the highest value (3"),
        "{e}"
    );
    // On the right side: a = 1, 2, 3 with target 0 (lower is better) scores 100 x (3 - x) / 3.
    lower.defaults.normalise = Some(cityrank_core::spec::Normalise::DistanceToTarget {
        target: 0.0,
        scale: 100.0,
        cap: true,
    });
    let fw = Framework::from_spec(&lower).unwrap();
    let r = cityrank_core::build(&lower, &fw, &d).unwrap();
    let got: Vec<f64> = (0..3).map(|i| r.score(i, 0)).collect();
    for (g, w) in got.iter().zip([200.0 / 3.0, 100.0 / 3.0, 0.0]) {
        assert!((g - w).abs() < 1e-9, "{got:?}");
    }
}
