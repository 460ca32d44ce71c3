//! One city's profile: scores and ranks at every level, its indicators, strengths and weaknesses.

use super::Row;
use crate::charts::{self, ProfileBar};
use crate::edition::Edition;
use cityrank_core::{explain, stats};
use cityrank_io::write::num;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct CityView {
    pub row: Row,
    pub nodes: Vec<NodeLine>,
    pub indicators: Vec<IndicatorRow>,
    pub strengths: Vec<String>,
    pub weaknesses: Vec<String>,
    /// Inline SVG: the city's dimension scores against the median and the leader.
    pub chart: String,
    /// The rank interval from the uncertainty analysis, when one was run.
    pub interval: Option<RankInterval>,
}

/// 5th to 95th percentile and median of the city's rank over the uncertainty simulations.
#[derive(Clone, Debug, Serialize)]
pub struct RankInterval {
    pub low: String,
    pub high: String,
    pub median: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct NodeLine {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub score: String,
    pub rank: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct IndicatorRow {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub dim: String,
    pub unit: String,
    pub raw: String,
    pub score: String,
    pub rank: String,
    /// "missing", "imputed" or empty.
    pub flag: String,
}

/// A profile for every ranked city, in ranking order (`rows`).
pub fn all(ed: &Edition, rows: &[Row]) -> Vec<CityView> {
    let stats = DimStats::new(ed);
    rows.iter()
        .filter_map(|row| {
            let i = ed.results.unit_index(&row.unit)?;
            Some(one(ed, i, row.clone(), &stats))
        })
        .collect()
}

/// Median and leader of every dimension, the yardsticks of the profile chart.
struct DimStats {
    median: Vec<f64>,
    leader: Vec<f64>,
}

impl DimStats {
    fn new(ed: &Edition) -> DimStats {
        let dims = ed.spec.framework.dimensions();
        let col = |d: usize| ed.results.scores.col(d);
        DimStats {
            median: dims.iter().map(|&d| stats::median(col(d))).collect(),
            leader: dims.iter().map(|&d| stats::max(col(d))).collect(),
        }
    }
}

fn one(ed: &Edition, i: usize, row: Row, ds: &DimStats) -> CityView {
    let unit = row.unit.clone();
    let (fw, r) = (&ed.spec.framework, &ed.results);
    let p = explain::profile(r, fw, i, 3);
    let name_of = |id: &str| {
        let k = fw.find(id).expect("profile names framework nodes");
        fw.nodes[k].name.clone()
    };
    let rank_of = |rk: Option<u32>, of: usize| rk.map(|k| format!("{k}/{of}")).unwrap_or_default();
    let mut lines: Vec<&explain::NodeLine> = p.nodes.iter().collect();
    lines.sort_by_key(|n| (std::cmp::Reverse(n.level), fw.find(&n.node)));
    let nodes = lines
        .into_iter()
        .map(|n| NodeLine {
            id: n.node.clone(),
            name: n.name.clone(),
            name_zh: fw.find(&n.node).and_then(|k| fw.nodes[k].name_zh.clone()),
            score: r.display(n.score),
            rank: rank_of(n.rank, n.of),
        })
        .collect();
    let of = |j: usize| (0..r.n_units()).filter(|&u| r.rank(u, j).is_some()).count();
    let indicators = p
        .indicators
        .iter()
        .enumerate()
        .map(|(j, l)| IndicatorRow {
            id: l.indicator.clone(),
            name: l.name.clone(),
            name_zh: fw.nodes[j].name_zh.clone(),
            dim: l.parent.clone(),
            unit: fw.indicator_methods(j).unit.clone().unwrap_or_default(),
            raw: num(l.raw),
            score: r.display(l.score),
            rank: rank_of(l.rank, of(j)),
            flag: if l.imputed {
                "imputed".into()
            } else if l.missing {
                "missing".into()
            } else {
                String::new()
            },
        })
        .collect();
    let bars: Vec<ProfileBar> = fw
        .dimensions()
        .iter()
        .enumerate()
        .map(|(n, &d)| ProfileBar {
            label: fw.nodes[d].name.clone(),
            value: r.score(i, d),
            median: ds.median[n],
            leader: ds.leader[n],
        })
        .collect();
    CityView {
        row,
        nodes,
        indicators,
        strengths: p.strengths.iter().map(|s| name_of(s)).collect(),
        weaknesses: p.weaknesses.iter().map(|s| name_of(s)).collect(),
        chart: charts::frame(
            &charts::profile(&bars),
            &crate::report::caption(ed, "Dimension score 0–100: bar this city, dark mark median, orange mark leader 维度得分"),
        ),
        interval: ed
            .intervals
            .iter()
            .find(|x| x.unit == unit)
            .map(|x| RankInterval {
                low: format!("{:.0}", x.p05_rank),
                high: format!("{:.0}", x.p95_rank),
                median: format!("{:.0}", x.median_rank),
            }),
    }
}

/// A city assessed but not ranked: its raw data and the screen's reason.
#[derive(Clone, Debug, Serialize)]
pub struct ExcludedCity {
    pub unit: String,
    pub slug: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub province: String,
    pub reason: String,
    pub coverage: String,
    pub indicators: Vec<IndicatorRow>,
}

/// Every excluded city, in the screen's order.
pub fn excluded(ed: &Edition) -> Vec<ExcludedCity> {
    let (fw, d) = (&ed.spec.framework, &ed.data.dataset);
    let group = ed.spec.spec.units.groups.first();
    ed.results
        .excluded
        .iter()
        .filter_map(|e| {
            let i = d.unit_index(&e.unit)?;
            let u = &d.units[i];
            let indicators: Vec<IndicatorRow> = (0..fw.n_indicators)
                .map(|j| {
                    let x = d.values.get(i, j);
                    IndicatorRow {
                        id: fw.nodes[j].id.clone(),
                        name: fw.nodes[j].name.clone(),
                        name_zh: fw.nodes[j].name_zh.clone(),
                        dim: fw.nodes[j]
                            .parent
                            .map(|p| fw.nodes[p].id.clone())
                            .unwrap_or_default(),
                        unit: fw.indicator_methods(j).unit.clone().unwrap_or_default(),
                        raw: num(x),
                        score: String::new(),
                        rank: String::new(),
                        flag: if x.is_nan() {
                            "missing".into()
                        } else {
                            String::new()
                        },
                    }
                })
                .collect();
            let present = indicators.iter().filter(|l| l.flag.is_empty()).count();
            Some(ExcludedCity {
                unit: u.id.clone(),
                slug: crate::site::slug(&u.id),
                name: u.name.clone(),
                name_zh: u.name_zh.clone(),
                province: group
                    .and_then(|g| u.groups.get(g))
                    .cloned()
                    .unwrap_or_default(),
                reason: e.reason.clone(),
                coverage: format!("{present}/{}", fw.n_indicators),
                indicators,
            })
        })
        .collect()
}
