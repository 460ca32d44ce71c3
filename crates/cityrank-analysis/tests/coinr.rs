//! Agreement with COINr 1.1.14 on its ASEM example (51 countries, 49 indicators, 4 levels).
//!
//! The reference values are fixtures written by `fixtures/coinr/make_fixtures.R` (COINr run
//! once, its version recorded in `fixtures/coinr/VERSION`); no R is needed here. The data are
//! those shipped in `examples/asem/data`, read through `examples/asem/spec.toml`.
//! Tolerance 1e-9 relative to the scale of the values (COINr's fixtures carry 15 digits).

use cityrank_analysis::correlation::{correlation_matrix, cronbach_alpha};
use cityrank_analysis::linalg::symmetric_eigen;
use cityrank_core::spec::{Outliers, Ties};
use cityrank_core::steps::{rank, treat};
use cityrank_core::{stats, Results};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const TOL: f64 = 1e-9;

pub(crate) fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

pub(crate) fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/coinr")).join(name)
}

/// A fixture CSV as a header and rows of cells.
pub(crate) fn read_csv(name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(fixture(name)).expect(name);
    let head = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (head, rows)
}

pub(crate) fn num(s: &str) -> f64 {
    if s.is_empty() {
        f64::NAN
    } else {
        s.parse().unwrap_or_else(|_| panic!("not a number: {s}"))
    }
}

/// A wide fixture (`uCode` then one column per code): value by (unit, code).
pub(crate) fn wide(name: &str) -> HashMap<(String, String), f64> {
    let (head, rows) = read_csv(name);
    let mut out = HashMap::new();
    for row in rows {
        for (k, cell) in head.iter().zip(&row).skip(1) {
            out.insert((row[0].clone(), k.clone()), num(cell));
        }
    }
    out
}

pub(crate) fn close(a: f64, b: f64, scale: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() <= TOL * scale.max(1.0)
}

/// The ASEM spec with `edit` applied to its text, written to a temporary folder with absolute
/// data paths, built.
pub(crate) fn asem(
    name: &str,
    edit: impl Fn(String) -> String,
) -> (cityrank_io::LoadedSpec, Results) {
    let dir = root().join("examples/asem");
    let text = std::fs::read_to_string(dir.join("spec.toml")).unwrap();
    let data = dir.join("data");
    let text = text.replace("\"data/", &format!("\"{}/", data.display()));
    let tmp = std::env::temp_dir().join(format!("cityrank-coinr-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let path = tmp.join("spec.toml");
    std::fs::write(&path, edit(text)).unwrap();
    build(&path)
}

pub(crate) fn build(path: &Path) -> (cityrank_io::LoadedSpec, Results) {
    let (spec, data) = cityrank_io::load(path).expect("the ASEM spec loads");
    let res = cityrank_io::build(&spec, &data).expect("builds");
    (spec, res)
}

/// Compares the columns `codes` of a matrix (units x nodes, or units x indicators for `treated`)
/// with a wide fixture; returns the number of cells compared.
pub(crate) fn compare(
    spec: &cityrank_io::LoadedSpec,
    res: &Results,
    get: impl Fn(usize, usize) -> f64,
    fixture_name: &str,
    codes: &[usize],
) -> usize {
    let want = wide(fixture_name);
    let fw = &spec.framework;
    let mut n = 0;
    let mut bad = Vec::new();
    for &c in codes {
        let id = &fw.nodes[c].id;
        let col: Vec<f64> = (0..res.n_units()).map(|i| get(i, c)).collect();
        let scale = stats::max(&col).abs().max(stats::min(&col).abs());
        for (i, u) in res.units.iter().enumerate() {
            let w = want[&(u.id.clone(), id.clone())];
            if !close(col[i], w, scale) {
                bad.push(format!("{} {id}: cityrank {} COINr {w}", u.id, col[i]));
            }
            n += 1;
        }
    }
    assert!(
        bad.is_empty(),
        "{fixture_name}: {} cells differ:\n{}",
        bad.len(),
        bad.join("\n")
    );
    n
}

pub(crate) fn indicators(spec: &cityrank_io::LoadedSpec) -> Vec<usize> {
    (0..spec.framework.n_indicators).collect()
}

pub(crate) fn aggregates(spec: &cityrank_io::LoadedSpec) -> Vec<usize> {
    (spec.framework.n_indicators..spec.framework.nodes.len()).collect()
}

#[test]
fn asem_spec_reads_the_shipped_data() {
    let (spec, res) = build(&root().join("examples/asem/spec.toml"));
    assert_eq!(res.n_units(), 51);
    assert_eq!(spec.framework.n_indicators, 49);
    assert_eq!(spec.framework.nodes[spec.framework.root].level, 4);
    let missing: usize = (0..49)
        .map(|j| res.raw.col(j).iter().filter(|v| v.is_nan()).count())
        .sum();
    assert_eq!(
        missing, 63,
        "the README's count of missing indicator values"
    );
}

#[test]
fn min_max_0_100_matches_coinr() {
    let (spec, res) = asem("minmax", |t| t);
    let n = compare(
        &spec,
        &res,
        |i, c| res.score(i, c),
        "minmax.csv",
        &indicators(&spec),
    );
    assert_eq!(n, 51 * 49);
}

#[test]
fn z_score_n_minus_1_matches_coinr() {
    let (spec, res) = asem("zscore", |t| {
        t.replace(
            "normalise = { method = \"min_max\", low = 0, high = 100 }",
            "normalise = { method = \"z_score\", mean = 0, sd = 1 }",
        )
    });
    compare(
        &spec,
        &res,
        |i, c| res.score(i, c),
        "zscore.csv",
        &indicators(&spec),
    );
}

#[test]
fn skewness_and_kurtosis_match_coinr() {
    let (spec, res) = asem("skew", |t| t);
    let (_, rows) = read_csv("skew_kurt.csv");
    assert_eq!(rows.len(), 49);
    for row in rows {
        let j = spec.framework.find(&row[0]).unwrap();
        let col = res.raw.col(j);
        let (s, k) = (stats::skewness(col), stats::kurtosis(col));
        assert!(
            close(s, num(&row[1]), 1.0),
            "{}: skew {s} vs {}",
            row[0],
            row[1]
        );
        assert!(
            close(k, num(&row[2]), num(&row[2]).abs()),
            "{}: kurt {k} vs {}",
            row[0],
            row[2]
        );
    }
}

#[test]
fn outlier_treatment_matches_coinr_qtreat() {
    let (spec, res) = asem("treat", |t| {
        t.replace(
            "outliers = \"none\"",
            "outliers = { method = \"skew_kurt\" }",
        )
    });
    compare(
        &spec,
        &res,
        |i, c| res.treated.get(i, c),
        "treated.csv",
        &indicators(&spec),
    );
    // The same indicators are winsorised, by the same number of points, and none falls back.
    let (_, rows) = read_csv("treat_details.csv");
    for row in rows {
        let j = spec.framework.find(&row[0]).unwrap();
        let rec = &res.log.treat[j];
        let points = if row[2].is_empty() {
            0
        } else {
            num(&row[2]) as usize
        };
        assert_eq!(rec.winsorised.len(), points, "{}", row[0]);
        assert!(!rec.log_fallback, "{}", row[0]);
    }
}

#[test]
fn winsorisation_loop_and_log_fallback_match_coinr_on_constructed_columns() {
    let (head, rows) = read_csv("treat_constructed.csv");
    let (_, details) = read_csv("treat_constructed_details.csv");
    let rule = Outliers::SkewKurt {
        max_skew: 2.0,
        max_kurt: 3.5,
        max_points: 5,
        log_fallback: true,
    };
    for d in details {
        let name = &d[0];
        let raw_at = head
            .iter()
            .position(|h| *h == format!("{name}_raw"))
            .unwrap();
        let out_at = head.iter().position(|h| h == name).unwrap();
        let mut col: Vec<f64> = rows.iter().map(|r| num(&r[raw_at])).collect();
        let want: Vec<f64> = rows.iter().map(|r| num(&r[out_at])).collect();
        let mut rec = treat::TreatRecord::default();
        treat::treat_outliers(&mut col, rule, &mut rec);
        let passes_after_winsorising = d[2] == "TRUE";
        assert_eq!(rec.log_fallback, !passes_after_winsorising, "{name}");
        if passes_after_winsorising {
            assert_eq!(rec.winsorised.len(), num(&d[1]) as usize, "{name}");
        }
        for (i, (a, b)) in col.iter().zip(&want).enumerate() {
            assert!(
                close(*a, *b, b.abs()),
                "{name} row {i}: cityrank {a} COINr {b}"
            );
        }
    }
}

pub(crate) fn with_min_max_1_100(t: String) -> String {
    t.replace(
        "normalise = { method = \"min_max\", low = 0, high = 100 }",
        "normalise = { method = \"min_max\", low = 1, high = 100 }",
    )
}

#[test]
fn arithmetic_aggregation_matches_coinr() {
    let (spec, res) = asem("amean0", |t| t);
    compare(
        &spec,
        &res,
        |i, c| res.score(i, c),
        "agg_amean_0_100.csv",
        &aggregates(&spec),
    );
    let (spec, res) = asem("amean1", with_min_max_1_100);
    compare(
        &spec,
        &res,
        |i, c| res.score(i, c),
        "agg_amean_1_100.csv",
        &aggregates(&spec),
    );
}

#[test]
fn geometric_aggregation_matches_coinr() {
    let (spec, res) = asem("gmean", |t| {
        with_min_max_1_100(t).replace("aggregate = \"arithmetic\"", "aggregate = \"geometric\"")
    });
    compare(
        &spec,
        &res,
        |i, c| res.score(i, c),
        "agg_gmean_1_100.csv",
        &aggregates(&spec),
    );
}

#[test]
fn harmonic_aggregation_matches_coinr() {
    let (spec, res) = asem("hmean", |t| {
        with_min_max_1_100(t).replace("aggregate = \"arithmetic\"", "aggregate = \"harmonic\"")
    });
    compare(
        &spec,
        &res,
        |i, c| res.score(i, c),
        "agg_hmean_1_100.csv",
        &aggregates(&spec),
    );
}

#[test]
fn ranks_with_ties_at_the_minimum_match_coinr() {
    let (spec, res) = asem("ranks", |t| t);
    let want = wide("ranks.csv");
    let fw = &spec.framework;
    let mut ties = 0;
    for c in 0..fw.nodes.len() {
        let got = rank::rank(res.scores.col(c), None, Ties::Min);
        for (i, u) in res.units.iter().enumerate() {
            let w = want[&(u.id.clone(), fw.nodes[c].id.clone())];
            match got[i] {
                Some(r) => assert_eq!(r as f64, w, "{} {}", u.id, fw.nodes[c].id),
                None => assert!(w.is_nan(), "{} {}", u.id, fw.nodes[c].id),
            }
            // The build's own ranks are the same (the spec ranks unrounded scores, ties at min).
            assert_eq!(res.rank(i, c), got[i]);
        }
        let mut seen: Vec<u32> = got.iter().flatten().copied().collect();
        let n = seen.len();
        seen.sort();
        seen.dedup();
        ties += n - seen.len();
    }
    assert!(
        ties > 0,
        "ASEM has tied indicator values, so ties are exercised"
    );
}

/// The min-max scores of the indicators under each pillar.
fn pillar_columns<'a>(
    spec: &cityrank_io::LoadedSpec,
    res: &'a Results,
    group: &str,
) -> Vec<&'a [f64]> {
    let fw = &spec.framework;
    let cols: Vec<usize> = if group == "All" {
        (0..fw.n_indicators).collect()
    } else {
        fw.nodes[fw.find(group).unwrap()].children.clone()
    };
    cols.iter().map(|&c| res.scores.col(c)).collect()
}

#[test]
fn cronbach_alpha_matches_coinr_on_complete_units() {
    // cityrank uses complete units (Cronbach 1951); COINr's default covariances are pairwise,
    // so the comparison is with COINr's `use = "complete.obs"`. Where no value is missing the
    // two COINr columns agree, and so does cityrank with both.
    let (spec, res) = asem("alpha", |t| t);
    let (_, rows) = read_csv("cronbach.csv");
    for row in rows {
        let cols = pillar_columns(&spec, &res, &row[0]);
        let a = cronbach_alpha(&cols);
        assert!(
            close(a, num(&row[2]), 1.0),
            "{}: {a} vs COINr {}",
            row[0],
            row[2]
        );
        let complete = cols.iter().all(|c| c.iter().all(|v| !v.is_nan()));
        if complete {
            assert!(close(a, num(&row[1]), 1.0), "{}", row[0]);
        }
    }
}

#[test]
fn pca_eigenvalues_and_loadings_match_coinr() {
    let (spec, res) = asem("pca", |t| t);
    let (_, ev) = read_csv("pca_eigenvalues.csv");
    let (_, ld) = read_csv("pca_loadings.csv");
    let fw = &spec.framework;
    let groups: Vec<String> = {
        let mut g: Vec<String> = ev.iter().map(|r| r[0].clone()).collect();
        g.dedup();
        g
    };
    assert_eq!(groups.len(), 8);
    for g in groups {
        let cols = pillar_columns(&spec, &res, &g);
        let k = cols.len();
        let (values, vectors) = symmetric_eigen(&correlation_matrix(&cols), k);
        let want: Vec<f64> = ev
            .iter()
            .filter(|r| r[0] == g)
            .map(|r| num(&r[2]))
            .collect();
        assert_eq!(want.len(), k, "{g}");
        for (a, b) in values.iter().zip(&want) {
            assert!(close(*a, *b, 1.0), "{g}: eigenvalue {a} vs COINr {b}");
        }
        let ids: Vec<&str> = fw.nodes[fw.find(&g).unwrap()]
            .children
            .iter()
            .map(|&c| fw.nodes[c].id.as_str())
            .collect();
        for (j, v) in vectors.iter().enumerate() {
            let w: Vec<f64> = ids
                .iter()
                .map(|id| {
                    let r = ld
                        .iter()
                        .find(|r| r[0] == g && r[1] == (j + 1).to_string() && r[2] == *id)
                        .unwrap();
                    num(&r[3])
                })
                .collect();
            // Up to sign: align on the largest COINr loading.
            let m = (0..k)
                .max_by(|&a, &b| w[a].abs().total_cmp(&w[b].abs()))
                .unwrap();
            let s = if (v[m] > 0.0) == (w[m] > 0.0) {
                1.0
            } else {
                -1.0
            };
            for (a, b) in v.iter().zip(&w) {
                assert!(
                    close(s * a, *b, 1.0),
                    "{g} PC{}: loading {a} vs COINr {b}",
                    j + 1
                );
            }
        }
    }
}

#[test]
fn asem_uncertainty_fast_path_matches_full_rebuilds() {
    // The benchmark's recipe: min-max [1, 100], weights +-25% at every level, arithmetic or
    // geometric at every aggregate level; the specialised kernel against the core, rank by rank.
    let dir = root().join("examples/asem");
    let data = dir.join("data");
    let text = with_min_max_1_100(std::fs::read_to_string(dir.join("spec.toml")).unwrap())
        .replace(
            "\"data/",
            &format!("\"{}/", data.display()),
        )
        .replace(
            "weight_noise = 0.25",
            "weight_noise = 0.25\naggregations = [\"arithmetic\", \"geometric\"]\naggregation_levels = [2, 3, 4]",
        );
    let tmp = std::env::temp_dir().join(format!("cityrank-coinr-ua-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("spec.toml"), text).unwrap();
    let (spec, data) = cityrank_io::load(&tmp.join("spec.toml")).unwrap();
    let model = cityrank_analysis::Model::new(&spec.spec, &spec.plan(), &data.dataset).unwrap();
    assert!(model.kernel.is_some());
    let mut ws = model.workspace();
    for i in 0..300 {
        let u = cityrank_analysis::uncertainty::draws(&model, 11, i);
        model.eval(&u, &mut ws).unwrap();
        let p = model.assumptions.params(&u, &model.nominal, &model.fw);
        let (_, ranks) = cityrank_analysis::replay::rebuild(&model, &data.dataset, &p).unwrap();
        assert_eq!(
            ws.ranks,
            cityrank_analysis::replay::overall_ranks(&model, &ranks),
            "replication {i}"
        );
    }
}

/// `cityrank import coinr` on the shipped iData and iMeta, into a temporary folder, built.
fn imported(name: &str, denominate: bool) -> (cityrank_io::LoadedSpec, Results) {
    let data = root().join("examples/asem/data");
    let dir = std::env::temp_dir().join(format!(
        "cityrank-coinr-import-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let opts = cityrank_io::coinr::CoinrOptions {
        idata: data.join("ASEM_iData.csv"),
        imeta: data.join("ASEM_iMeta.csv"),
        denominate,
        force: false,
    };
    let i = cityrank_io::coinr::import(&dir, &opts).expect("imports");
    build(&i.spec)
}

#[test]
fn the_imported_coinr_spec_reproduces_coinrs_default_build() {
    let (spec, res) = imported("default", false);
    assert_eq!(spec.framework.n_indicators, 49);
    assert_eq!(spec.spec.units.groups.len(), 4);
    let n = compare(
        &spec,
        &res,
        |i, c| res.score(i, c),
        "minmax.csv",
        &indicators(&spec),
    ) + compare(
        &spec,
        &res,
        |i, c| res.score(i, c),
        "agg_amean_0_100.csv",
        &aggregates(&spec),
    );
    assert_eq!(n, 51 * 60);
    let want = wide("ranks.csv");
    for c in aggregates(&spec) {
        for (i, u) in res.units.iter().enumerate() {
            let w = want[&(u.id.clone(), spec.framework.nodes[c].id.clone())];
            assert_eq!(
                res.rank(i, c).map(f64::from),
                Some(w),
                "{} {}",
                u.id,
                spec.framework.nodes[c].id
            );
        }
    }
}

#[test]
fn the_imported_spec_with_denominators_matches_coinrs_denominate() {
    let (spec, res) = imported("denominated", true);
    let denominated = spec
        .spec
        .indicators
        .iter()
        .filter(|i| i.denominator.is_some())
        .count();
    assert!(denominated > 0, "ASEM's iMeta names denominators");
    compare(
        &spec,
        &res,
        |i, c| res.raw.get(i, c),
        "denominated.csv",
        &indicators(&spec),
    );
    compare(
        &spec,
        &res,
        |i, c| res.score(i, c),
        "agg_amean_denominated.csv",
        &(0..spec.framework.nodes.len()).collect::<Vec<_>>(),
    );
}
