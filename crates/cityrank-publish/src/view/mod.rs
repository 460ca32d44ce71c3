//! What the pages show, computed once from an edition: plain, serialisable data with every
//! number already formatted as published, so templates only lay it out.

mod city;
mod lede;
mod method;
mod ranking;

pub use city::{CityView, ExcludedCity, IndicatorRow};
pub use lede::Lede;
pub use method::{MethodView, TreeLine};
pub use ranking::{group_of as group, DimRanking, DimRow, Row};

use crate::edition::{self, Edition};
use serde::Serialize;

/// Everything a report or site page needs.
#[derive(Clone, Debug, Serialize)]
pub struct View {
    pub meta: MetaView,
    pub index: NodeRef,
    pub dims: Vec<NodeRef>,
    /// Every ranked unit, best first.
    pub rows: Vec<Row>,
    /// Headline length.
    pub top: usize,
    pub dim_rankings: Vec<DimRanking>,
    pub cities: Vec<CityView>,
    /// Cities assessed but not ranked, each with its data and reason.
    pub excluded: Vec<ExcludedCity>,
    pub method: MethodView,
    pub previous: Option<PreviousView>,
    pub has_tiers: bool,
    /// Decimals of published scores.
    pub decimals: u32,
    pub lede: Lede,
    /// The weight controls of "create your own ranking".
    pub weights: Vec<WeightControl>,
}

/// One dimension's weight control: the nominal weight and its share of the index, in percent.
#[derive(Clone, Debug, Serialize)]
pub struct WeightControl {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub weight: f64,
    pub share: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct MetaView {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub edition: String,
    pub cutoff: Option<String>,
    pub framework_version: Option<String>,
    pub sources: Vec<String>,
    /// The illustrative-data label; shown on every page when set.
    pub notice: Option<String>,
    pub unit_label: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct NodeRef {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
}

/// The edition compared against, and whether changes can be shown.
#[derive(Clone, Debug, Serialize)]
pub struct PreviousView {
    pub edition: String,
    pub comparable: bool,
    /// Why not, when not comparable.
    pub note: Option<String>,
}

impl View {
    pub fn new(ed: &Edition, previous: Option<&Edition>) -> View {
        let fw = &ed.spec.framework;
        let node = |k: usize| NodeRef {
            id: fw.nodes[k].id.clone(),
            name: fw.nodes[k].name.clone(),
            name_zh: fw.nodes[k].name_zh.clone(),
        };
        let prev = previous.map(|p| (p, edition::comparable(ed, p)));
        let usable = prev.as_ref().and_then(|(p, ok)| ok.is_ok().then_some(*p));
        let rows = ranking::overall(ed, usable);
        let top = match ed.results.publication.top {
            0 => rows.len(),
            n => n.min(rows.len()),
        };
        let method = method::describe(ed);
        View {
            lede: lede::lede(ed, &rows, &method.coverage_rule),
            weights: weight_controls(ed),
            decimals: ed.results.publication.decimals,
            meta: meta(ed),
            index: node(fw.root),
            dims: fw.dimensions().iter().map(|&d| node(d)).collect(),
            dim_rankings: ranking::by_dimension(ed, usable),
            cities: city::all(ed, &rows),
            excluded: city::excluded(ed),
            method,
            previous: prev.map(|(p, ok)| PreviousView {
                edition: p.label(),
                comparable: ok.is_ok(),
                note: ok.err(),
            }),
            has_tiers: !ed.results.publication.tiers.is_empty(),
            rows,
            top,
        }
    }
}

fn meta(ed: &Edition) -> MetaView {
    let m = &ed.spec.spec.meta;
    MetaView {
        id: m.id.clone(),
        name: m.name.clone(),
        name_zh: m.name_zh.clone(),
        edition: ed.label(),
        cutoff: m.cutoff.clone(),
        framework_version: m.framework_version.clone(),
        sources: m.sources.clone(),
        notice: m.illustrative.then(|| {
            m.notice
                .clone()
                .unwrap_or_else(|| "ILLUSTRATIVE DATA: these values are synthetic.".into())
        }),
        unit_label: ed.spec.spec.units.label.clone(),
    }
}

fn weight_controls(ed: &Edition) -> Vec<WeightControl> {
    let fw = &ed.spec.framework;
    let w = &ed.results.weights;
    let total: f64 = fw.dimensions().iter().map(|&d| w[d]).sum();
    fw.dimensions()
        .iter()
        .map(|&d| WeightControl {
            id: fw.nodes[d].id.clone(),
            name: fw.nodes[d].name.clone(),
            name_zh: fw.nodes[d].name_zh.clone(),
            weight: w[d],
            share: format!("{:.0}", 100.0 * w[d] / total),
        })
        .collect()
}
