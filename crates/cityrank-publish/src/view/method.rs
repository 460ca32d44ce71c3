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
    /// One line per indicator: definition, source, unit, direction, weight, missing values.
    pub indicators: Vec<IndicatorLine>,
    /// The spec's `[uncertainty]` settings as written, when it has them.
    pub uncertainty: Option<String>,
    /// What rebuilds this edition: program version, spec file and its SHA-256.
    pub recipe: Recipe,
}

#[derive(Clone, Debug, Serialize)]
pub struct IndicatorLine {
    pub id: String,
    /// The id as a file-name fragment (`indicator-<slug>.html`).
    pub slug: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub dim: String,
    pub description: String,
    pub source: String,
    pub unit: String,
    pub direction: String,
    pub effective: String,
    pub normalise: String,
    /// Ranked cities without a raw value, e.g. "3/83".
    pub missing: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Recipe {
    pub version: String,
    pub spec_file: String,
    pub spec_sha256: String,
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
        indicators: indicators(ed),
        uncertainty: uncertainty_text(&ed.spec.text),
        recipe: Recipe {
            version: env!("CARGO_PKG_VERSION").into(),
            spec_file: ed
                .spec
                .path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            spec_sha256: ed.spec.sha256.clone(),
        },
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
            "Scores are published to {} decimals; ranks are {} (ties = \"{}\") on {} scores.",
            p.decimals,
            match p.ties {
                cityrank_core::spec::Ties::Min => "competition ranks (1, 2, 2, 4)",
                cityrank_core::spec::Ties::Dense => "dense ranks (1, 2, 2, 3)",
            },
            p.ties,
            if p.rank_on_rounded {
                "rounded"
            } else {
                "unrounded"
            }
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

fn indicators(ed: &Edition) -> Vec<IndicatorLine> {
    let (fw, r) = (&ed.spec.framework, &ed.results);
    let eff = weight::effective(fw, &r.weights);
    let decl = |id: &str| ed.spec.spec.indicators.iter().find(|d| d.id == id);
    (0..fw.n_indicators)
        .map(|j| {
            let n = &fw.nodes[j];
            let d = decl(&n.id);
            let missing = (0..r.n_units())
                .filter(|&i| r.raw.get(i, j).is_nan())
                .count();
            IndicatorLine {
                id: n.id.clone(),
                slug: crate::site::slug(&n.id),
                name: n.name.clone(),
                name_zh: n.name_zh.clone(),
                dim: n.parent.map(|p| fw.nodes[p].id.clone()).unwrap_or_default(),
                description: d.and_then(|d| d.description.clone()).unwrap_or_default(),
                source: d.and_then(|d| d.source.clone()).unwrap_or_default(),
                unit: fw.indicator_methods(j).unit.clone().unwrap_or_default(),
                direction: r.log.normalise[j].direction.clone(),
                effective: format!("{:.2}%", eff[j] * 100.0),
                normalise: format!(
                    "{}; {}",
                    r.log.treat[j].transform, r.log.normalise[j].method
                ),
                missing: format!("{missing}/{}", r.n_units()),
            }
        })
        .collect()
}

/// The `[uncertainty]` tables of the spec, as written (the reader sees the settings' own words).
fn uncertainty_text(spec: &str) -> Option<String> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in spec.lines() {
        let t = line.trim_start();
        if t.starts_with('[') {
            inside = t.trim_start_matches('[').starts_with("uncertainty");
        }
        if inside {
            out.push(line);
        }
    }
    let text = out.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}
