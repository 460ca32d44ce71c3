//! `cityrank weights`: data-driven weights for one node or every node, and the ranking they
//! give beside the nominal one; written to `weights_<method>.csv` and `ranking_<method>.csv`.

use super::{banner, build};
use crate::console::{heading, table};
use cityrank_core::framework::Framework;
use cityrank_core::spec::Weighting;
use cityrank_core::steps::weighting::NodeWeights;
use cityrank_core::Plan;
use cityrank_io::Error;
use std::fmt::Write as _;
use std::path::Path;

/// The method names the command takes.
pub const METHODS: &str =
    "entropy, entropy_min_max, critic, sd, pca, pca_varimax, ahp, budget, optimised";

pub fn weights(
    spec_path: &Path,
    method: &str,
    node: Option<&str>,
    out: &Path,
    engine: &cityrank_sources::Settings,
) -> Result<(), Error> {
    let b = build(spec_path, engine)?;
    let fw = b.spec.framework.clone();
    let locate = |e| b.data.locate(&b.spec, e);
    let nodes = chosen_nodes(&fw, node)?;
    let mut plan = Plan::new(&b.spec.spec, &fw);
    for &p in &nodes {
        plan.methods[p - fw.n_indicators].weighting = method_at(&fw, p, method)?;
    }
    let data = &b.data.dataset;
    let kept = plan.screen(data).map_err(locate)?.kept;
    let prepared = plan.prepare(data, &kept).map_err(locate)?;
    let mut scores = prepared.scores.clone();
    let found = plan
        .aggregate(&mut scores, &prepared.rules)
        .map_err(locate)?;
    let resolved = Resolved {
        weights: found.weights,
        nodes: found.weighting,
    };
    let ranks = plan.rank(&scores);
    let n = b.results.n_units();
    let root = fw.root * n;
    let new_ranks = &ranks[root..root + n];
    println!("{}", heading(&format!("{method} weights")));
    if let Some(bn) = banner(&b.spec) {
        println!("{bn}");
    }
    println!(
        "{}",
        weight_table(&fw, &b.results.weights, &resolved, &nodes)
    );
    let shifts = ranking_rows(&b.results, &fw, new_ranks);
    println!("{}", ranking_table(&shifts));
    let files = vec![
        (
            format!("weights_{method}.csv"),
            weights_csv(&fw, &b.results.weights, &resolved, &nodes).into_bytes(),
        ),
        (
            format!("ranking_{method}.csv"),
            ranking_csv(&shifts).into_bytes(),
        ),
    ];
    // One entry per method: each method's files are its own output.
    let own = serde_json::json!({ "method": method, "node": node });
    let entry = super::entry(
        &format!("weights --method {method}"),
        &b.spec,
        &b.data,
        None,
        own,
        engine,
    );
    cityrank_io::folder::write(out, &files, entry, None)?;
    println!(
        "\nWritten to {}/: weights_{method}.csv, ranking_{method}.csv",
        out.display()
    );
    Ok(())
}

/// Every node's weight under the chosen methods, and how the data-driven ones were found.
struct Resolved {
    weights: Vec<f64>,
    nodes: Vec<NodeWeights>,
}

/// The node asked for, or every aggregate node with more than one child.
fn chosen_nodes(fw: &Framework, node: Option<&str>) -> Result<Vec<usize>, Error> {
    match node {
        Some(id) => match fw.find(id) {
            Some(k) if k >= fw.n_indicators => Ok(vec![k]),
            _ => Err(Error::new(
                format!("`{id}` is not an aggregate node of this spec"),
                "give the id of the index or of one of its dimensions",
            )),
        },
        None => Ok(fw
            .bottom_up
            .iter()
            .copied()
            .filter(|&p| fw.nodes[p].children.len() > 1)
            .collect()),
    }
}

/// The method for node `p`, read by the spec's own parser; AHP and budget take their
/// judgements from the node's spec setting, optimised its target if it has one.
fn method_at(fw: &Framework, p: usize, name: &str) -> Result<Weighting, Error> {
    let written = fw.aggregate_methods(p).weighting;
    match name.parse::<Weighting>() {
        Ok(Weighting::Optimised { target: None }) if written.name() == "optimised" => Ok(written),
        Ok(m) if m.is_data_driven() => Ok(m),
        Ok(m) => Err(Error::new(
            format!("`{m}` weights are not computed from the data"),
            format!("use one of {METHODS}"),
        )),
        Err(_) if written.name() == name => Ok(written),
        Err(e) if e.contains("missing field") => Err(Error::new(
            format!("node `{}` has no {name} judgements in the spec ({e})", fw.nodes[p].id),
            format!("write them on the node, e.g. weighting = {{ method = \"ahp\", matrix = [[1, 3], [0.3333333, 1]] }}, and pass --node {}", fw.nodes[p].id),
        )),
        Err(e) => Err(Error::new(
            format!("unknown weighting method `{name}`: {e}"),
            format!("use one of {METHODS}"),
        )),
    }
}

fn weight_table(fw: &Framework, nominal: &[f64], r: &Resolved, nodes: &[usize]) -> String {
    let mut rows = Vec::new();
    for &p in nodes {
        for &c in &fw.nodes[p].children {
            rows.push(vec![
                fw.nodes[p].id.clone(),
                fw.nodes[c].id.clone(),
                format!("{:.4}", nominal[c]),
                format!("{:.4}", r.weights[c]),
            ]);
        }
    }
    let mut s = table(&["node", "child", "nominal", "new"], rows, &[2, 3]);
    for nw in r.nodes.iter().filter(|nw| !nw.notes.is_empty()) {
        let _ = write!(s, "\n{}: {}", nw.node, nw.notes.join("; "));
    }
    s
}

/// (unit id, name, nominal rank, new rank), in order of the new rank.
type Shift = (String, String, Option<u32>, Option<u32>);

fn ranking_rows(res: &cityrank_core::Results, fw: &Framework, new: &[Option<u32>]) -> Vec<Shift> {
    let mut rows: Vec<Shift> = res
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.clone(), u.name.clone(), res.rank(i, fw.root), new[i]))
        .collect();
    rows.sort_by_key(|r| (r.3.unwrap_or(u32::MAX), r.2.unwrap_or(u32::MAX)));
    rows
}

fn ranking_table(rows: &[Shift]) -> String {
    let show = |r: Option<u32>| r.map(|x| x.to_string()).unwrap_or_default();
    let body = rows
        .iter()
        .take(20)
        .map(|(_, name, a, b)| {
            let shift = match (a, b) {
                (Some(a), Some(b)) => format!("{:+}", *a as i64 - *b as i64),
                _ => String::new(),
            };
            vec![show(*b), name.clone(), show(*a), shift]
        })
        .collect();
    format!(
        "{}\n{}",
        heading("Ranking with these weights (top 20)"),
        table(&["new", "unit", "nominal", "shift"], body, &[0, 2, 3])
    )
}

fn weights_csv(fw: &Framework, nominal: &[f64], r: &Resolved, nodes: &[usize]) -> String {
    let mut s = String::from("node,child,nominal_weight,weight\n");
    for &p in nodes {
        for &c in &fw.nodes[p].children {
            let _ = writeln!(
                s,
                "{},{},{},{}",
                fw.nodes[p].id, fw.nodes[c].id, nominal[c], r.weights[c]
            );
        }
    }
    s
}

fn ranking_csv(rows: &[Shift]) -> String {
    let show = |r: Option<u32>| r.map(|x| x.to_string()).unwrap_or_default();
    let mut s = String::from("unit,name,nominal_rank,rank\n");
    for (id, name, a, b) in rows {
        let name = if name.contains([',', '"']) {
            format!("\"{}\"", name.replace('"', "\"\""))
        } else {
            name.clone()
        };
        let _ = writeln!(s, "{id},{name},{},{}", show(*a), show(*b));
    }
    s
}
