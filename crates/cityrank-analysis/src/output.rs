//! The analysis results as files: CSV for spreadsheets, JSON for programs. Rows are in a fixed
//! order and numbers in shortest round-trip form, so the same seed gives the same bytes.

use crate::assumptions::Factor;
use crate::model::Model;
use crate::sensitivity::Report;
use crate::uncertainty::{self, Summary};
use cityrank_io::write::{csv_bytes, json_bytes, num};
use serde::Serialize;

pub type Files = Vec<(String, Vec<u8>)>;

/// `uncertainty.csv` and `uncertainty.json`, units by nominal rank.
pub fn uncertainty_files(model: &Model, s: &Summary) -> Files {
    let mut units: Vec<_> = s.units.iter().collect();
    units.sort_by_key(|u| (u.nominal_rank, u.unit.clone()));
    let header = [
        "unit",
        "name",
        "nominal_rank",
        "median_rank",
        "p05_rank",
        "p95_rank",
        "mean_abs_shift",
        "prob_top10",
        "prob_top_n",
    ];
    let rows: Vec<Vec<String>> = units
        .iter()
        .map(|u| {
            vec![
                u.unit.clone(),
                u.name.clone(),
                u.nominal_rank.to_string(),
                u.median_rank.to_string(),
                u.p05_rank.to_string(),
                u.p95_rank.to_string(),
                num(u.mean_abs_shift),
                num(u.prob_top10),
                num(u.prob_top_n),
            ]
        })
        .collect();
    #[derive(Serialize)]
    struct Doc<'a> {
        index: &'a str,
        replications: u64,
        seed: u64,
        top_n: usize,
        assumptions: Vec<Described<'a>>,
        notes: &'a [String],
        units: Vec<&'a uncertainty::UnitSummary>,
    }
    let doc = Doc {
        index: &model.spec.meta.id,
        replications: s.replications,
        seed: s.seed,
        top_n: s.top_n,
        assumptions: describe(model),
        notes: &model.notes,
        units,
    };
    vec![
        ("uncertainty.csv".into(), csv_bytes(&header, rows)),
        ("uncertainty.json".into(), json_bytes(&doc)),
    ]
}

#[derive(Serialize)]
pub struct Described<'a> {
    pub name: String,
    #[serde(flatten)]
    pub factor: &'a Factor,
}

pub fn describe(model: &Model) -> Vec<Described<'_>> {
    model
        .assumptions
        .factors
        .iter()
        .map(|f| Described {
            name: f.name(&model.fw),
            factor: f,
        })
        .collect()
}

/// `sensitivity.csv` and `sensitivity.json`.
pub fn sensitivity_files(r: &Report) -> Files {
    let header = [
        "assumption",
        "first_order",
        "total_order",
        "first_order_lo",
        "first_order_hi",
        "total_order_lo",
        "total_order_hi",
    ];
    let rows = r.rows.iter().map(|row| {
        let i = &row.indices;
        vec![
            row.assumption.clone(),
            num(i.first_order),
            num(i.total_order),
            num(i.first_lo),
            num(i.first_hi),
            num(i.total_lo),
            num(i.total_hi),
        ]
    });
    vec![
        ("sensitivity.csv".into(), csv_bytes(&header, rows)),
        ("sensitivity.json".into(), json_bytes(r)),
    ]
}

/// `samples.csv`: every replication's recipe (weights within parent, and each choice drawn).
pub fn samples_file(model: &Model, n: u64, seed: u64) -> (String, Vec<u8>) {
    let a = &model.assumptions;
    let fw = &model.fw;
    let mut header = vec!["replication".to_string()];
    for f in &a.factors {
        match f {
            Factor::Weights { nodes, .. } => {
                header.extend(nodes.iter().map(|&k| format!("w:{}", fw.nodes[k].id)))
            }
            _ => header.push(f.name(fw)),
        }
    }
    let rows = (0..n).map(|i| {
        let u = uncertainty::draws(model, seed, i);
        let p = a.params(&u, &model.nominal, fw);
        let mut row = vec![i.to_string()];
        for (f, &o) in a.factors.iter().zip(&a.offsets) {
            match f {
                Factor::Weights { nodes, .. } => {
                    row.extend(nodes.iter().map(|&k| num(p.weights[k])))
                }
                _ => row.extend(f.describe(&u[o..], fw)),
            }
        }
        row
    });
    let h: Vec<&str> = header.iter().map(String::as_str).collect();
    ("samples.csv".into(), csv_bytes(&h, rows))
}

/// Writes files into `out`, creating it.
/// Writes the files atomically into `out`, recorded in its manifest under `entry`.
pub fn write(
    out: &std::path::Path,
    files: &Files,
    entry: cityrank_io::manifest::Entry,
) -> Result<(), cityrank_io::Error> {
    cityrank_io::folder::write(out, files, entry, None)
}

/// The coherence tables: pairs, PCA and alpha, importance, removal; and all of it as JSON.
pub fn coherence_files(c: &crate::coherence::Coherence) -> Files {
    let pairs = c.pairs.iter().map(|p| {
        vec![
            p.relation.to_string(),
            p.a.clone(),
            p.b.clone(),
            num(p.pearson),
            num(p.spearman),
            p.flag.clone(),
        ]
    });
    let pca = c.pca.iter().flat_map(|p| {
        p.eigenvalues.iter().enumerate().map(move |(k, e)| {
            vec![
                p.node.clone(),
                num(p.cronbach_alpha),
                p.complete_units.to_string(),
                (k + 1).to_string(),
                num(*e),
                num(p.variance_shares[k]),
            ]
        })
    });
    let loadings = c.pca.iter().flat_map(|p| {
        p.columns
            .iter()
            .zip(&p.loadings_pc1)
            .map(move |(col, l)| vec![p.node.clone(), col.clone(), num(*l)])
    });
    let imp = c.importance.iter().map(|i| {
        vec![
            i.indicator.clone(),
            num(i.nominal_weight),
            num(i.r2_index),
            num(i.effective_share),
        ]
    });
    let rem = c.removal.iter().map(|r| {
        vec![
            r.removed.clone(),
            r.level.to_string(),
            num(r.mean_abs_shift),
            r.max_abs_shift.to_string(),
            r.most_moved.clone(),
            r.from.to_string(),
            r.to.to_string(),
        ]
    });
    vec![
        (
            "coherence_correlations.csv".into(),
            csv_bytes(
                &["relation", "a", "b", "pearson", "spearman", "flag"],
                pairs,
            ),
        ),
        (
            "coherence_pca.csv".into(),
            csv_bytes(
                &[
                    "node",
                    "cronbach_alpha",
                    "complete_units",
                    "component",
                    "eigenvalue",
                    "variance_share",
                ],
                pca,
            ),
        ),
        (
            "coherence_loadings.csv".into(),
            csv_bytes(&["node", "column", "loading_pc1"], loadings),
        ),
        (
            "coherence_importance.csv".into(),
            csv_bytes(
                &["indicator", "nominal_weight", "r2_index", "effective_share"],
                imp,
            ),
        ),
        (
            "coherence_removal.csv".into(),
            csv_bytes(
                &[
                    "removed",
                    "level",
                    "mean_abs_shift",
                    "max_abs_shift",
                    "most_moved",
                    "from",
                    "to",
                ],
                rem,
            ),
        ),
        ("coherence.json".into(), json_bytes(c)),
    ]
}

/// `audit.csv` (one row per published fact) and `audit.json` (with the summary and the fit).
pub fn audit_files(a: &crate::audit::Audit) -> Files {
    use crate::audit::Fact;
    let fact = |f: Fact| match f {
        Fact::Missing => String::new(),
        Fact::Exact(v) => num(v),
        Fact::Below(v) => format!("<{v}"),
        Fact::AtMost(v) => format!("<={v}"),
        Fact::Above(v) => format!(">{v}"),
        Fact::AtLeast(v) => format!(">={v}"),
    };
    let ok = |o: Option<bool>| match o {
        None => String::new(),
        Some(true) => "pass".into(),
        Some(false) => "fail".into(),
    };
    let rows = a.checks.iter().map(|c| {
        vec![
            c.unit.clone(),
            c.name.clone(),
            c.node.clone(),
            fact(c.published_score),
            num(c.built_score),
            ok(c.score_ok),
            fact(c.published_rank),
            c.built_rank.map(|r| r.to_string()).unwrap_or_default(),
            ok(c.rank_ok),
            c.rank_shift.map(|r| r.to_string()).unwrap_or_default(),
        ]
    });
    let header = [
        "unit",
        "name",
        "node",
        "published_score",
        "built_score",
        "score_check",
        "published_rank",
        "built_rank",
        "rank_check",
        "rank_shift",
    ];
    vec![
        ("audit.csv".into(), csv_bytes(&header, rows)),
        ("audit.json".into(), json_bytes(a)),
    ]
}
