//! Writing results: CSV and JSON, long and wide, the step logs and the manifest.
//!
//! Everything is rendered in memory first and written only when all of it succeeded, so a
//! failed run never leaves a half-written results folder. Numbers are printed in Rust's
//! shortest round-trip form and every collection is ordered, so two builds give the same bytes.

use crate::data::LoadedData;
use crate::error::Error;
use crate::manifest::{Entry, Manifest, Recipe};
use crate::spec::LoadedSpec;
use cityrank_core::{explain, Framework, Results};
use serde::Serialize;
use std::path::Path;

pub use crate::folder::Files;

/// A number as written in data files: empty when missing.
pub fn num(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        format!("{x}")
    }
}

fn opt<T: ToString>(x: Option<T>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// A CSV document from a header and rows, every text cell spreadsheet-safe
/// ([`crate::sheet::guard`]).
pub fn csv_bytes(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(
        header
            .iter()
            .map(|c| crate::sheet::guard(c))
            .collect::<Vec<_>>()
            .iter()
            .map(|c| c.as_ref()),
    )
    .expect("in-memory write");
    for r in rows {
        let cells: Vec<_> = r.iter().map(|c| crate::sheet::guard(c)).collect();
        w.write_record(cells.iter().map(|c| c.as_ref()))
            .expect("in-memory write");
    }
    w.into_inner().expect("in-memory write")
}

pub fn json_bytes<T: Serialize>(v: &T) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(v).expect("serialisable");
    b.push(b'\n');
    b
}

/// Aggregates top-down (index first), then indicators.
pub fn node_order(fw: &Framework) -> Vec<usize> {
    // Highest level first; within a level, as the spec writes them (RD, IND, PUB, POL).
    let mut v: Vec<usize> = fw.bottom_up.clone();
    v.sort_by_key(|&k| (std::cmp::Reverse(fw.nodes[k].level), k));
    v.extend(0..fw.n_indicators);
    v
}

/// All result files of a build.
pub fn result_files(spec: &LoadedSpec, res: &Results) -> Files {
    let fw = &spec.framework;
    let mut files: Files = vec![
        ("scores.csv".into(), scores_long(fw, res)),
        ("scores_wide.csv".into(), scores_wide(fw, res)),
        ("scores.json".into(), json_bytes(&scores_json(spec, res))),
        (
            "scores_long.json".into(),
            json_bytes(&scores_long_json(fw, res)),
        ),
        (
            "excluded.csv".into(),
            csv_bytes(
                &["unit", "name", "reason"],
                res.excluded
                    .iter()
                    .map(|e| vec![e.unit.clone(), e.name.clone(), e.reason.clone()]),
            ),
        ),
        ("weights.csv".into(), weights_csv(fw, res)),
        (
            "profiles.json".into(),
            json_bytes(
                &(0..res.n_units())
                    .map(|i| explain::profile(res, fw, i, 3))
                    .collect::<Vec<_>>(),
            ),
        ),
    ];
    files.extend(step_files(res));
    if spec.spec.meta.illustrative {
        label_illustrative(&mut files, spec.spec.meta.notice.as_deref());
    }
    files
}

/// Synthetic data must never pass for real: every CSV gets a `data` column saying so, and the
/// folder a NOTICE.txt. (JSON files carry the notice in their own fields.)
fn label_illustrative(files: &mut Files, notice: Option<&str>) {
    for (_, bytes) in files.iter_mut().filter(|(n, _)| n.ends_with(".csv")) {
        let mut rdr = csv::Reader::from_reader(bytes.as_slice());
        let mut header: Vec<String> = rdr
            .headers()
            .expect("own CSV")
            .iter()
            .map(str::to_string)
            .collect();
        header.push("data".into());
        let rows: Vec<Vec<String>> = rdr
            .records()
            .map(|r| {
                let mut v: Vec<String> = r.expect("own CSV").iter().map(str::to_string).collect();
                v.push("illustrative".into());
                v
            })
            .collect();
        let h: Vec<&str> = header.iter().map(String::as_str).collect();
        *bytes = csv_bytes(&h, rows);
    }
    let text = notice.unwrap_or("ILLUSTRATIVE DATA: the values in these files are synthetic.");
    files.push(("NOTICE.txt".into(), format!("{text}\n").into_bytes()));
}

fn scores_long(fw: &Framework, res: &Results) -> Vec<u8> {
    let mut rows = Vec::new();
    for k in node_order(fw) {
        let n = &fw.nodes[k];
        for i in res
            .ranking(k)
            .into_iter()
            .chain((0..res.n_units()).filter(|&i| res.rank(i, k).is_none()))
        {
            let u = &res.units[i];
            let s = res.score(i, k);
            rows.push(vec![
                u.id.clone(),
                u.name.clone(),
                n.id.clone(),
                n.level.to_string(),
                num(s),
                opt(res.rank(i, k)),
                fw.level_name(n.level),
                res.display(s),
                u.name_zh.clone().unwrap_or_default(),
            ]);
        }
        for e in &res.excluded {
            rows.push(vec![
                e.unit.clone(),
                e.name.clone(),
                n.id.clone(),
                n.level.to_string(),
                String::new(),
                String::new(),
                fw.level_name(n.level),
                String::new(),
                String::new(),
            ]);
        }
    }
    csv_bytes(
        &[
            "unit",
            "name",
            "node",
            "level",
            "score",
            "rank",
            "level_name",
            "published",
            "name_zh",
        ],
        rows,
    )
}

#[derive(Serialize)]
struct LongRow<'a> {
    unit: &'a str,
    name: &'a str,
    node: &'a str,
    level: u32,
    score: Option<f64>,
    rank: Option<u32>,
}

/// The long table as JSON records, ranked units only.
fn scores_long_json<'a>(fw: &'a Framework, res: &'a Results) -> Vec<LongRow<'a>> {
    let mut rows = Vec::new();
    for k in node_order(fw) {
        for i in res
            .ranking(k)
            .into_iter()
            .chain((0..res.n_units()).filter(|&i| res.rank(i, k).is_none()))
        {
            let s = res.score(i, k);
            let (u, n) = (&res.units[i], &fw.nodes[k]);
            rows.push(LongRow {
                unit: &u.id,
                name: &u.name,
                node: &n.id,
                level: n.level,
                score: (!s.is_nan()).then_some(s),
                rank: res.rank(i, k),
            });
        }
    }
    rows
}

fn scores_wide(fw: &Framework, res: &Results) -> Vec<u8> {
    let order = node_order(fw);
    let mut header: Vec<String> = vec![
        "unit".into(),
        "name".into(),
        "name_zh".into(),
        "tier".into(),
    ];
    for &k in &order {
        header.push(fw.nodes[k].id.clone());
        header.push(format!("{}_published", fw.nodes[k].id));
        header.push(format!("{}_rank", fw.nodes[k].id));
    }
    let rows = res
        .ranking(fw.root)
        .into_iter()
        .chain((0..res.n_units()).filter(|&i| res.rank(i, fw.root).is_none()))
        .map(|i| {
            let u = &res.units[i];
            let mut r = vec![
                u.id.clone(),
                u.name.clone(),
                u.name_zh.clone().unwrap_or_default(),
                res.tier(fw, i).map(|t| t.name.clone()).unwrap_or_default(),
            ];
            for &k in &order {
                r.push(num(res.score(i, k)));
                r.push(res.display(res.score(i, k)));
                r.push(opt(res.rank(i, k)));
            }
            r
        });
    let h: Vec<&str> = header.iter().map(String::as_str).collect();
    csv_bytes(&h, rows)
}

#[derive(Serialize)]
struct ScoresJson<'a> {
    index: &'a str,
    name: &'a str,
    illustrative: bool,
    notice: Option<&'a str>,
    assessed: usize,
    ranked: usize,
    nodes: Vec<NodeJson<'a>>,
    units: Vec<UnitJson<'a>>,
}

#[derive(Serialize)]
struct NodeJson<'a> {
    id: &'a str,
    name: &'a str,
    name_zh: Option<&'a str>,
    level: u32,
    parent: Option<&'a str>,
    weight: f64,
}

#[derive(Serialize)]
struct UnitJson<'a> {
    unit: &'a str,
    name: &'a str,
    name_zh: Option<&'a str>,
    groups: &'a std::collections::BTreeMap<String, String>,
    scores: std::collections::BTreeMap<&'a str, (Option<f64>, Option<u32>)>,
}

fn scores_json<'a>(spec: &'a LoadedSpec, res: &'a Results) -> ScoresJson<'a> {
    let fw = &spec.framework;
    let order = node_order(fw);
    ScoresJson {
        index: &spec.spec.meta.id,
        name: &spec.spec.meta.name,
        illustrative: spec.spec.meta.illustrative,
        notice: spec.spec.meta.notice.as_deref(),
        assessed: res.assessed,
        ranked: res.n_units(),
        nodes: order
            .iter()
            .map(|&k| {
                let n = &fw.nodes[k];
                NodeJson {
                    id: &n.id,
                    name: &n.name,
                    name_zh: n.name_zh.as_deref(),
                    level: n.level,
                    parent: n.parent.map(|p| fw.nodes[p].id.as_str()),
                    weight: res.weights[k],
                }
            })
            .collect(),
        units: res
            .ranking(fw.root)
            .into_iter()
            .map(|i| {
                let u = &res.units[i];
                let scores = order.iter().map(|&k| {
                    let s = res.score(i, k);
                    (
                        fw.nodes[k].id.as_str(),
                        ((!s.is_nan()).then_some(s), res.rank(i, k)),
                    )
                });
                UnitJson {
                    unit: &u.id,
                    name: &u.name,
                    name_zh: u.name_zh.as_deref(),
                    groups: &u.groups,
                    scores: scores.collect(),
                }
            })
            .collect(),
    }
}

fn weights_csv(fw: &Framework, res: &Results) -> Vec<u8> {
    let eff = cityrank_core::steps::weight::effective(fw, &res.weights);
    let rows = node_order(fw).into_iter().map(|k| {
        let n = &fw.nodes[k];
        vec![
            n.id.clone(),
            n.parent.map(|p| fw.nodes[p].id.clone()).unwrap_or_default(),
            n.level.to_string(),
            num(res.weights[k]),
            num(eff[k]),
        ]
    });
    csv_bytes(
        &["node", "parent", "level", "weight", "effective_weight"],
        rows,
    )
}

fn step_files(res: &Results) -> Files {
    let log = &res.log;
    let unit = |i: usize| res.units[i].id.clone();
    let treat = log.treat.iter().map(|t| {
        vec![
            t.indicator.clone(),
            t.transform.clone(),
            num(t.skew_before),
            num(t.kurt_before),
            num(t.skew_after),
            num(t.kurt_after),
            t.winsorised.len().to_string(),
            t.log_fallback.to_string(),
        ]
    });
    let wins = log
        .treat
        .iter()
        .flat_map(|t| {
            t.winsorised
                .iter()
                .map(move |(i, a, b)| (t.indicator.clone(), *i, *a, *b))
        })
        .map(|(ind, i, a, b)| vec![unit(i), ind, num(a), num(b)]);
    let imputed = log.impute.imputed.iter().map(|m| {
        vec![
            m.unit.clone(),
            m.indicator.clone(),
            num(m.value),
            m.method.clone(),
        ]
    });
    let norm = log.normalise.iter().map(|n| {
        vec![
            n.indicator.clone(),
            n.method.clone(),
            n.direction.clone(),
            num(n.min),
            num(n.max),
        ]
    });
    let agg = log.aggregate.iter().map(|a| {
        vec![
            a.node.clone(),
            a.method.clone(),
            num(a.min_share),
            a.rescale.clone(),
            a.unscored.to_string(),
        ]
    });
    vec![
        ("steps/screen.json".into(), json_bytes(&log.screen)),
        (
            "steps/imputed.csv".into(),
            csv_bytes(&["unit", "indicator", "value", "method"], imputed),
        ),
        (
            "steps/treatment.csv".into(),
            csv_bytes(
                &[
                    "indicator",
                    "transform",
                    "skew_before",
                    "kurt_before",
                    "skew_after",
                    "kurt_after",
                    "winsorised",
                    "log_fallback",
                ],
                treat,
            ),
        ),
        (
            "steps/winsorised.csv".into(),
            csv_bytes(&["unit", "indicator", "from", "to"], wins),
        ),
        (
            "steps/normalise.csv".into(),
            csv_bytes(&["indicator", "method", "direction", "min", "max"], norm),
        ),
        (
            "steps/aggregate.csv".into(),
            csv_bytes(&["node", "method", "min_share", "rescale", "unscored"], agg),
        ),
    ]
    .into_iter()
    .chain(published_file(log))
    .collect()
}

/// `steps/published.csv`: the published values that replaced computed scores (only written
/// when the spec maps a data column to a node).
fn published_file(log: &cityrank_core::results::BuildLog) -> Option<(String, Vec<u8>)> {
    if log.overrides.is_empty() {
        return None;
    }
    let rows = log.overrides.iter().map(|o| {
        vec![
            o.unit.clone(),
            o.node.clone(),
            num(o.computed),
            num(o.published),
        ]
    });
    Some((
        "steps/published.csv".into(),
        csv_bytes(&["unit", "node", "computed", "published"], rows),
    ))
}

/// Writes the files and the manifest (which lists their hashes) into `out`, atomically, as the
/// output of `run`; outputs of other commands already in `out` are kept.
pub fn write_all(
    out: &Path,
    files: &Files,
    mut manifest: Manifest,
    entry: Entry,
) -> Result<(), Error> {
    manifest.add_outputs(files);
    let top = serde_json::to_value(&manifest).expect("serialisable");
    crate::folder::write(out, files, entry, Some(top))
}

/// Builds every result file and writes them with the manifest. `settings` are the command's
/// flags, recorded in the manifest.
pub fn write_results(
    out: &Path,
    spec: &LoadedSpec,
    data: &LoadedData,
    res: &Results,
    settings: serde_json::Value,
) -> Result<Manifest, Error> {
    let files = result_files(spec, res);
    let manifest = Manifest::new(spec, data, res);
    let entry = Entry::new(
        "run",
        Recipe::of(spec, data),
        Some(spec.spec.meta.seed),
        settings,
    );
    write_all(out, &files, manifest.clone(), entry)?;
    Ok(manifest)
}
