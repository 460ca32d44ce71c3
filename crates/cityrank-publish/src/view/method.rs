//! The methodology, generated from the spec and the build log so it cannot drift from what ran.

use crate::edition::Edition;
use cityrank_core::steps::weight;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct MethodView {
    /// The framework tree, top-down, with depth for indentation.
    pub tree: Vec<TreeLine>,
    pub coverage_rule: String,
    pub assessed: usize,
    pub ranked: usize,
    pub excluded: Vec<Excluded>,
    pub ranking_rule: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct TreeLine {
    pub depth: usize,
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub is_indicator: bool,
    /// Weight within the parent and in the whole index, as percentages.
    pub weight: String,
    pub effective: String,
    /// Transform / normalisation for indicators, aggregation for the others.
    pub method: String,
    pub direction: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Excluded {
    pub unit: String,
    pub name: String,
    pub reason: String,
}

pub fn describe(ed: &Edition) -> MethodView {
    let r = &ed.results;
    let s = &ed.spec.spec.screen;
    let mut rule = vec![format!(
        "data for at least {:.0}% of the indicators",
        s.min_coverage * 100.0
    )];
    if s.min_dimension_indicators > 0 {
        rule.push(format!(
            "at least {} indicator(s) in every dimension",
            s.min_dimension_indicators
        ));
    }
    if s.min_dimension_coverage > 0.0 {
        rule.push(format!(
            "at least {:.0}% of each dimension's indicators",
            s.min_dimension_coverage * 100.0
        ));
    }
    let p = &r.publication;
    MethodView {
        tree: tree(ed),
        coverage_rule: format!("A city is ranked with {}.", rule.join(" and ")),
        assessed: r.assessed,
        ranked: r.n_units(),
        excluded: r
            .excluded
            .iter()
            .map(|e| Excluded {
                unit: e.unit.clone(),
                name: e.name.clone(),
                reason: e.reason.clone(),
            })
            .collect(),
        ranking_rule: format!(
            "Scores are published to {} decimals; ranks are competition ranks ({:?} ties) on {} scores.",
            p.decimals,
            p.ties,
            if p.rank_on_rounded { "rounded" } else { "unrounded" }
        ),
    }
}

fn tree(ed: &Edition) -> Vec<TreeLine> {
    let fw = &ed.spec.framework;
    let nominal = &ed.results.weights;
    let eff = weight::effective(fw, nominal);
    let agg: std::collections::HashMap<&str, &cityrank_core::results::AggregateRecord> = ed
        .results
        .log
        .aggregate
        .iter()
        .map(|a| (a.node.as_str(), a))
        .collect();
    let mut out = Vec::new();
    let mut stack = vec![(fw.root, 0usize)];
    while let Some((k, depth)) = stack.pop() {
        let n = &fw.nodes[k];
        let is_indicator = k < fw.n_indicators;
        let (method, direction) = if is_indicator {
            let norm = &ed.results.log.normalise[k];
            let treat = &ed.results.log.treat[k];
            (
                format!("{}; {}", treat.transform, norm.method),
                norm.direction.clone(),
            )
        } else {
            let a = agg.get(n.id.as_str());
            let m = a
                .map(|a| {
                    format!(
                        "{} mean; rescale {}; needs {:.0}% of children",
                        a.method,
                        a.rescale,
                        a.min_share * 100.0
                    )
                })
                .unwrap_or_default();
            (m, String::new())
        };
        out.push(TreeLine {
            depth,
            id: n.id.clone(),
            name: n.name.clone(),
            name_zh: n.name_zh.clone(),
            is_indicator,
            weight: format!("{:.1}%", nominal[k] * 100.0),
            effective: format!("{:.2}%", eff[k] * 100.0),
            method,
            direction,
        });
        for &c in n.children.iter().rev() {
            stack.push((c, depth + 1));
        }
    }
    out
}
