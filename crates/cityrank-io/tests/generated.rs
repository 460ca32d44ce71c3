//! Random specs and data, through the same loading and building as `cityrank run`.
//!
//! Whatever the tree, the methods, their parameters (in range or not) and the missing cells,
//! a build either fails with an error that names a file and line and says how to fix it, or
//! gives every ranked unit a finite score and a valid competition rank. Under arithmetic
//! aggregation with written weights, raising a higher-is-better value (or lowering a
//! lower-is-better one) never lowers the unit's index score.

use cityrank_core::Results;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, TestRunner};
use std::fmt::Write;
use std::path::Path;

/// Fixed seed and a bounded number of cases: the same cases on every run, in a few seconds.
fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(20201),
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    }
}

#[derive(Clone, Debug)]
struct Indicator {
    lower: bool,
    weight: f64,
    transform: String,
    outliers: bool,
    normalise: String,
    impute: String,
}

#[derive(Clone, Debug)]
struct Node {
    weight: f64,
    aggregate: String,
    rescale: String,
    weighting: String,
    min_share: Option<f64>,
    /// Indicators directly under the node (one group), or under sub-nodes (several groups).
    groups: Vec<Vec<Indicator>>,
}

#[derive(Clone, Debug)]
struct Case {
    root_aggregate: String,
    dims: Vec<Node>,
    min_coverage: f64,
    decimals: u32,
    rank_on_rounded: bool,
    /// Units x indicators, `None` for an empty cell.
    values: Vec<Vec<Option<f64>>>,
}

impl Case {
    fn indicators(&self) -> Vec<&Indicator> {
        self.dims
            .iter()
            .flat_map(|d| d.groups.iter().flatten())
            .collect()
    }
}

/// A number that is usually in range for the parameter and sometimes not.
fn param(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![38 => lo..hi, 1 => (lo - 1.0)..lo, 1 => hi..(hi + 1.0)]
}

fn transform() -> impl Strategy<Value = String> {
    prop_oneof![
        10 => Just("\"none\"".to_string()),
        1 => Just("\"log1p\"".to_string()),
        1 => Just("\"log\"".to_string()),
        1 => Just("\"sqrt\"".to_string()),
        1 => param(0.0, 10.0).prop_map(|a| format!("{{ method = \"log_shift\", a = {a:?} }}")),
        1 => param(-1.0, 2.0).prop_map(|l| format!("{{ method = \"box_cox\", lambda = {l:?} }}")),
    ]
}

fn normalise(lower: bool) -> impl Strategy<Value = String> {
    // Goalposts that agree with the direction, or (one time in five) contradict it.
    let goalposts = (
        0.0f64..200.0,
        800.0f64..1200.0,
        prop::bool::weighted(0.05),
        any::<bool>(),
    )
        .prop_map(move |(low, high, contradict, clip)| {
            let (best, worst) = if lower != contradict {
                (low, high)
            } else {
                (high, low)
            };
            format!(
                "{{ method = \"goalposts\", best = {best:?}, worst = {worst:?}, clip = {clip} }}"
            )
        });
    prop_oneof![
        3 => Just("\"min_max\"".to_string()),
        1 => (param(-10.0, 10.0), param(90.0, 110.0))
            .prop_map(|(l, h)| format!("{{ method = \"min_max\", low = {l:?}, high = {h:?} }}")),
        1 => Just("\"ratio_to_max\"".to_string()),
        1 => goalposts,
        1 => (param(-5.0, 50.0), param(0.5, 10.0))
            .prop_map(|(m, s)| format!("{{ method = \"z_score\", mean = {m:?}, sd = {s:?} }}")),
        1 => param(1.0, 100.0).prop_map(|s| format!("{{ method = \"percentile\", scale = {s:?} }}")),
        1 => (-200.0f64..1500.0)
            .prop_map(|t| format!("{{ method = \"distance_to_target\", target = {t:?} }}")),
        1 => Just("\"none\"".to_string()),
    ]
}

fn impute() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("\"none\""),
        1 => Just("\"mean\""),
        1 => Just("\"median\""),
        1 => Just("\"parent_mean\""),
    ]
    .prop_map(str::to_string)
}

fn indicator() -> impl Strategy<Value = Indicator> {
    (any::<bool>(), weight()).prop_flat_map(|(lower, weight)| {
        (
            transform(),
            prop::bool::weighted(0.2),
            normalise(lower),
            impute(),
        )
            .prop_map(move |(transform, outliers, normalise, impute)| Indicator {
                lower,
                weight,
                transform,
                outliers,
                normalise,
                impute,
            })
    })
}

/// Usually a positive weight; now and then zero, negative or beyond what a sum can hold.
fn weight() -> impl Strategy<Value = f64> {
    prop_oneof![
        150 => 0.1f64..5.0,
        1 => Just(0.0),
        1 => -2.0f64..-0.1,
        1 => Just(1e308),
    ]
}

fn aggregate() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just("\"arithmetic\"".to_string()),
        1 => Just("\"geometric\"".to_string()),
        1 => Just("\"harmonic\"".to_string()),
        1 => Just("\"topsis\"".to_string()),
        1 => param(0.0, 1.0).prop_map(|v| format!("{{ method = \"vikor\", v = {v:?} }}")),
        1 => param(0.01, 1.0).prop_map(|r| format!("{{ method = \"grey_relational\", rho = {r:?} }}")),
        1 => (0usize..6, 0.0f64..10.0, 0.0f64..30.0).prop_map(|(k, q, p)| {
            let (name, keys) = [
                ("usual", ""),
                ("u_shape", "q"),
                ("v_shape", "p"),
                ("level", "qp"),
                ("linear", "qp"),
                ("gaussian", "s"),
            ][k];
            let mut t = format!("{{ method = \"promethee_ii\", preference = \"{name}\"");
            for key in keys.chars() {
                let v = if key == 'q' { q } else { p };
                write!(t, ", {key} = {v:?}").unwrap();
            }
            t + " }"
        }),
        1 => Just("\"copeland\"".to_string()),
    ]
}

fn rescale() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("\"none\"".to_string()),
        1 => param(1.0, 100.0).prop_map(|s| format!("{{ method = \"leader\", scale = {s:?} }}")),
        1 => (param(-10.0, 10.0), param(50.0, 100.0))
            .prop_map(|(l, h)| format!("{{ method = \"min_max\", low = {l:?}, high = {h:?} }}")),
    ]
}

fn weighting() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just("explicit"),
        1 => Just("equal"),
        1 => Just("entropy"),
        1 => Just("critic"),
        1 => Just("sd"),
    ]
    .prop_map(str::to_string)
}

fn node(aggregates: BoxedStrategy<String>) -> impl Strategy<Value = Node> {
    (
        weight(),
        aggregates,
        rescale(),
        weighting(),
        prop::option::weighted(
            0.2,
            prop_oneof![10 => 0.0f64..1.0, 2 => Just(1.0), 1 => Just(1.5)],
        ),
        prop::collection::vec(prop::collection::vec(indicator(), 1..4), 1..3),
    )
        .prop_map(
            |(weight, aggregate, rescale, weighting, min_share, groups)| Node {
                weight,
                aggregate,
                rescale,
                weighting,
                min_share,
                groups,
            },
        )
}

/// A raw value: mostly positive, sometimes zero or negative (outside a log's domain), or
/// an empty cell.
fn cell() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        200 => (0.0f64..1000.0).prop_map(Some),
        1 => (-100.0f64..0.0).prop_map(Some),
        1 => Just(Some(0.0)),
        30 => Just(None),
    ]
}

fn case(aggregates: fn() -> BoxedStrategy<String>) -> impl Strategy<Value = Case> {
    (
        aggregates(),
        prop::collection::vec(node(aggregates()), 1..4),
        prop_oneof![6 => Just(0.0), 4 => 0.0f64..1.0, 1 => Just(1.5)],
        prop_oneof![Just(0u32), Just(1), Just(2), Just(3)],
        any::<bool>(),
        2usize..12,
    )
        .prop_flat_map(
            |(root_aggregate, dims, min_coverage, decimals, rank_on_rounded, n)| {
                let k: usize = dims.iter().map(|d| d.groups.iter().flatten().count()).sum();
                let rows = prop::collection::vec(prop::collection::vec(cell(), k), n);
                rows.prop_map(move |values| Case {
                    root_aggregate: root_aggregate.clone(),
                    dims: dims.clone(),
                    min_coverage,
                    decimals,
                    rank_on_rounded,
                    values,
                })
            },
        )
}

fn any_aggregate() -> BoxedStrategy<String> {
    aggregate().boxed()
}

fn arithmetic() -> BoxedStrategy<String> {
    Just("\"arithmetic\"".to_string()).boxed()
}

/// The spec, units and data files of a case.
fn files(c: &Case) -> (String, String, String) {
    let mut s = format!(
        "[meta]\nid = \"g\"\nname = \"Generated\"\n\n[units]\nfile = \"units.csv\"\n\n[[data]]\nfile = \"data.csv\"\n\n\
         [screen]\nmin_coverage = {:?}\n\n[publish]\ndecimals = {}\nrank_on_rounded = {}\n\n\
         [index]\nid = \"I\"\nname = \"Index\"\naggregate = {}\n",
        c.min_coverage, c.decimals, c.rank_on_rounded, c.root_aggregate
    );
    let mut k = 0;
    for (d, dim) in c.dims.iter().enumerate() {
        write!(
            s,
            "\n[[node]]\nid = \"D{d}\"\nparent = \"I\"\nname = \"Dimension {d}\"\nweight = {:?}\naggregate = {}\nrescale = {}\nweighting = \"{}\"\n",
            dim.weight, dim.aggregate, dim.rescale, dim.weighting
        )
        .unwrap();
        if let Some(m) = dim.min_share {
            writeln!(s, "min_share = {m:?}").unwrap();
        }
        for (g, group) in dim.groups.iter().enumerate() {
            let parent = if dim.groups.len() == 1 {
                format!("D{d}")
            } else {
                let id = format!("D{d}S{g}");
                write!(
                    s,
                    "\n[[node]]\nid = \"{id}\"\nparent = \"D{d}\"\nname = \"Sub {d}.{g}\"\naggregate = {}\n",
                    dim.aggregate
                )
                .unwrap();
                id
            };
            for ind in group {
                write!(
                    s,
                    "\n[[indicator]]\nid = \"x{k}\"\nparent = \"{parent}\"\nname = \"X{k}\"\nweight = {:?}\ndirection = \"{}\"\ntransform = {}\nnormalise = {}\nimpute = {}\n",
                    ind.weight,
                    if ind.lower { "lower" } else { "higher" },
                    ind.transform,
                    ind.normalise,
                    ind.impute
                )
                .unwrap();
                if ind.outliers {
                    s.push_str("outliers = \"skew_kurt\"\n");
                }
                k += 1;
            }
        }
    }
    let mut units = String::from("unit,name\n");
    let mut data = String::from("unit");
    for j in 0..k {
        write!(data, ",x{j}").unwrap();
    }
    data.push('\n');
    for (i, row) in c.values.iter().enumerate() {
        writeln!(units, "u{i},Unit {i}").unwrap();
        write!(data, "u{i}").unwrap();
        for v in row {
            data.push(',');
            if let Some(v) = v {
                write!(data, "{v:?}").unwrap();
            }
        }
        data.push('\n');
    }
    (s, units, data)
}

/// Loads and builds a case from files, as `cityrank run` does.
fn run(dir: &Path, c: &Case) -> Result<(cityrank_io::LoadedSpec, Results), cityrank_io::Error> {
    let (spec, units, data) = files(c);
    for (name, text) in [
        ("spec.toml", spec),
        ("units.csv", units),
        ("data.csv", data),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let (spec, data) = cityrank_io::load(&dir.join("spec.toml"))?;
    let res = cityrank_io::build(&spec, &data)?;
    Ok((spec, res))
}

/// A refusal must say where (a file of the case and a line in it) and how to fix it.
fn assert_clear(e: &cityrank_io::Error) -> Result<(), TestCaseError> {
    let file = e
        .file
        .as_ref()
        .and_then(|f| f.file_name())
        .and_then(|f| f.to_str());
    prop_assert!(
        matches!(file, Some("spec.toml" | "units.csv" | "data.csv")) && e.line.is_some(),
        "no file and line: {e}"
    );
    prop_assert!(!e.hint.is_empty(), "no fix: {e}");
    Ok(())
}

/// Every ranked unit has a finite score, and the ranks are the competition ranking of the
/// scores (rounded to the published decimals when the spec ranks on rounded scores).
fn assert_ranked(res: &Results, root: usize) -> Result<(), TestCaseError> {
    let n = res.n_units();
    let p = &res.publication;
    let key = |i: usize| {
        let s = res.score(i, root);
        if p.rank_on_rounded {
            cityrank_core::steps::rank::round_to(s, p.decimals)
        } else {
            s
        }
    };
    for i in 0..n {
        prop_assert!(
            res.score(i, root).is_finite(),
            "unit {i} ranked without a score"
        );
        let above = (0..n).filter(|&j| key(j) > key(i)).count() as u32;
        prop_assert_eq!(res.rank(i, root), Some(above + 1), "unit {}", i);
    }
    Ok(())
}

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Runs `check` on `cases` generated cases; returns how many built and how many were refused.
fn each(
    cases: u32,
    strategy: impl Strategy<Value = Case>,
    check: impl Fn(&Case) -> Result<bool, TestCaseError>,
) -> (usize, usize) {
    let built = std::cell::Cell::new(0);
    let refused = std::cell::Cell::new(0);
    let mut runner = TestRunner::new(config(cases));
    let outcome = runner.run(&strategy, |c| {
        let ok = check(&c)?;
        let n = if ok { &built } else { &refused };
        n.set(n.get() + 1);
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    (built.get(), refused.get())
}

#[test]
fn a_build_is_refused_clearly_or_ranks_every_unit() {
    let (built, refused) = each(256, case(any_aggregate), |c| {
        let dir = scratch();
        match run(dir.path(), c) {
            Err(e) => assert_clear(&e).map(|_| false),
            Ok((spec, res)) => assert_ranked(&res, spec.framework.root).map(|_| true),
        }
    });
    // Both outcomes are exercised, each often enough to mean something.
    assert!(
        built >= 40 && refused >= 40,
        "built {built}, refused {refused}"
    );
}

#[test]
fn a_better_value_never_lowers_the_score() {
    let strategy = (
        case(arithmetic),
        any::<prop::sample::Index>(),
        0.0f64..500.0,
    );
    let checked = std::cell::Cell::new(0);
    let mut runner = TestRunner::new(config(256));
    let outcome = runner.run(&strategy, |(mut c, pick, step)| {
        // Only written weights: data-driven ones move with the data.
        for d in &mut c.dims {
            d.weighting = "explicit".into();
        }
        let dir = scratch();
        let Ok((spec, before)) = run(dir.path(), &c) else {
            return Ok(());
        };
        let present: Vec<(usize, usize)> = (0..c.values.len())
            .flat_map(|i| (0..c.values[i].len()).map(move |j| (i, j)))
            .filter(|&(i, j)| c.values[i][j].is_some())
            .collect();
        if present.is_empty() {
            return Ok(());
        }
        let (i, j) = present[pick.index(present.len())];
        let unit = format!("u{i}");
        let Some(b) = before.unit_index(&unit) else {
            return Ok(());
        };
        let lower = c.indicators()[j].lower;
        let mut better = c.clone();
        let v = better.values[i][j].as_mut().expect("present");
        *v += if lower { -step } else { step };
        // A lowered value may leave a transform's domain: such refusals are checked above.
        let Ok((_, after)) = run(dir.path(), &better) else {
            return Ok(());
        };
        let a = after
            .unit_index(&unit)
            .expect("a better value keeps the unit ranked");
        let root = spec.framework.root;
        let (s0, s1) = (before.score(b, root), after.score(a, root));
        prop_assert!(
            s1 >= s0 - 1e-9 * s0.abs().max(1.0),
            "u{i}: x{j} {} by {step}: score {s0} -> {s1}\n{}",
            if lower { "lowered" } else { "raised" },
            files(&c).0
        );
        checked.set(checked.get() + 1);
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    assert!(checked.get() >= 60, "only {} cases compared", checked.get());
}
