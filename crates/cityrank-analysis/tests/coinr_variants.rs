//! Agreement with COINr 1.1.14 (and matrixStats) on the method variants: percentile ranks with
//! both tie rules, distance to target with and without the cap, the generalised mean, group
//! mean and median imputation, the weighted median.
//!
//! The fixtures are written by `fixtures/coinr/make_variant_fixtures.R` (versions in
//! `fixtures/coinr/VERSION_variants`); no R is needed here.

use crate::coinr::{aggregates, asem, compare, indicators, num, read_csv, with_min_max_1_100};
use cityrank_core::spec::MedianTies;
use cityrank_core::steps::aggregate::median::weighted_median;

const MIN_MAX: &str = "normalise = { method = \"min_max\", low = 0, high = 100 }";

#[test]
fn percentile_ranks_match_coinr_with_either_tie_rule() {
    for (ties, fixture) in [("min", "prank_min.csv"), ("average", "prank_average.csv")] {
        let (spec, res) = asem(&format!("prank-{ties}"), |t| {
            t.replace(
                MIN_MAX,
                &format!("normalise = {{ method = \"percentile\", scale = 1, ties = \"{ties}\" }}"),
            )
        });
        let n = compare(
            &spec,
            &res,
            |i, c| res.score(i, c),
            fixture,
            &indicators(&spec),
        );
        assert_eq!(n, 51 * 49);
    }
    // The two rules differ wherever values tie, and ASEM has ties.
    let (spec, min) = asem("prank-min-2", |t| {
        t.replace(
            MIN_MAX,
            "normalise = { method = \"percentile\", ties = \"min\" }",
        )
    });
    let (_, avg) = asem("prank-avg-2", |t| {
        t.replace(MIN_MAX, "normalise = \"percentile\"")
    });
    let differ = indicators(&spec)
        .iter()
        .flat_map(|&c| (0..51).map(move |i| (i, c)))
        .filter(|&(i, c)| min.score(i, c) != avg.score(i, c) && !min.score(i, c).is_nan())
        .count();
    assert!(differ > 0);
}

/// The ASEM spec with `normalise` set on every indicator to a distance to its fixture target.
fn with_targets(t: String, cap: bool) -> String {
    let (_, rows) = read_csv("targets.csv");
    let mut t = t;
    for row in rows {
        let from = format!("id = \"{}\"\nparent", row[0]);
        let to = format!(
            "id = \"{}\"\nnormalise = {{ method = \"distance_to_target\", target = {}, scale = 1, cap = {cap} }}\nparent",
            row[0], row[1]
        );
        assert!(t.contains(&from), "{}", row[0]);
        t = t.replacen(&from, &to, 1);
    }
    t
}

#[test]
fn distance_to_target_matches_coinr_capped_and_not() {
    for (cap, fixture) in [
        (true, "dist2targ_capped.csv"),
        (false, "dist2targ_uncapped.csv"),
    ] {
        let (spec, res) = asem(&format!("d2t-{cap}"), |t| with_targets(t, cap));
        compare(
            &spec,
            &res,
            |i, c| res.score(i, c),
            fixture,
            &indicators(&spec),
        );
        let above = indicators(&spec)
            .iter()
            .flat_map(|&c| (0..51).map(move |i| (i, c)))
            .filter(|&(i, c)| res.score(i, c) > 1.0)
            .count();
        // A quarter of the units pass each target: capped, none scores above 1.
        assert_eq!(above == 0, cap, "cap = {cap}: {above} scores above 1");
    }
}

#[test]
fn generalised_mean_matches_coinr_a_genmean() {
    for p in ["2", "0.5"] {
        let (spec, res) = asem(&format!("genmean-{p}"), |t| {
            with_min_max_1_100(t)
                .replace("impute = \"none\"", "impute = \"mean\"")
                .replace(
                    "aggregate = \"arithmetic\"",
                    &format!("aggregate = {{ method = \"generalised_mean\", p = {p} }}"),
                )
        });
        let n = compare(
            &spec,
            &res,
            |i, c| res.score(i, c),
            &format!("agg_genmean_p{p}.csv"),
            &aggregates(&spec),
        );
        assert_eq!(n, 51 * 11);
    }
}

#[test]
fn group_mean_and_median_imputation_match_coinr() {
    for (method, fixture) in [
        ("group_mean", "impute_mean_grp.csv"),
        ("group_median", "impute_median_grp.csv"),
    ] {
        let (spec, res) = asem(method, |t| {
            t.replace(
                "impute = \"none\"",
                &format!("impute = {{ method = \"{method}\", group = \"EurAsia_group\" }}"),
            )
        });
        compare(
            &spec,
            &res,
            |i, c| res.treated.get(i, c),
            fixture,
            &indicators(&spec),
        );
        // Every one of ASEM's 63 missing values has a group with data, so all are filled.
        assert_eq!(res.log.impute.imputed.len(), 63, "{method}");
    }
}

#[test]
fn weighted_median_matches_matrixstats() {
    let (_, rows) = read_csv("weighted_median.csv");
    let mut exact_halves = 0;
    for (r, row) in rows.iter().enumerate() {
        let v: Vec<f64> = row.iter().map(|s| num(s)).collect();
        let pairs: Vec<(f64, f64)> = (0..6).map(|k| (v[k], v[6 + k])).collect();
        let got = [MedianTies::Mean, MedianTies::Lower, MedianTies::Upper]
            .map(|t| weighted_median(&pairs, t));
        for (g, w) in got.iter().zip(&v[12..15]) {
            assert!(
                (g - w).abs() < 1e-9,
                "row {}: {got:?} vs {:?}",
                r + 1,
                &v[12..15]
            );
        }
        exact_halves += usize::from(v[13] != v[14]);
    }
    assert!(exact_halves >= 10, "the rows exercise the tie rule");
}
