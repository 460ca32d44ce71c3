//! `report.html`: the whole publication in one self-contained file.
//!
//! Styles, charts (SVG) and downloads (`data:` URIs) are inside the file, and it loads nothing,
//! so it can be mailed, archived or opened offline and still look the same.

use crate::charts;
use crate::correlation;
use crate::downloads::{self, data_uri};
use crate::edition::Edition;
use crate::templates::{self, CSS, PAGE_JS, WHATIF_JS};
use crate::view::View;
use cityrank_io::manifest::{Entry, Recipe};
use cityrank_io::Error;
use minijinja::context;
use serde::Serialize;
use std::path::Path;

/// How many cities the Top-N bar chart and the rank-interval chart show.
const CHART_TOP: usize = 20;

#[derive(Serialize)]
pub struct Charts {
    pub top_n: usize,
    pub top: String,
    pub intervals: Option<String>,
    /// Shown beside the intervals when they were admitted from another recipe.
    pub intervals_warning: Option<String>,
    pub dims_heat: String,
    pub ind_heat: String,
}

#[derive(Serialize)]
struct Link {
    href: String,
    name: String,
    label: &'static str,
}

/// The charts of the report and the site's index.
pub fn charts(ed: &Edition, v: &View) -> Charts {
    let n = CHART_TOP.min(v.top.max(1)).min(v.rows.len());
    let root = ed.spec.framework.root;
    let top: Vec<(String, f64)> = v.rows[..n]
        .iter()
        .filter_map(|r| {
            let i = ed.results.unit_index(&r.unit)?;
            Some((ed.results.units[i].label(), ed.results.score(i, root)))
        })
        .collect();
    let d = correlation::dimensions(ed);
    let ind = correlation::indicators(ed);
    let cap = |axis: &'static str, legend: bool| charts::Caption {
        legend,
        ..caption(ed, axis)
    };
    let heat = "Correlation of scores across the ranked cities 各城市得分的相关系数";
    Charts {
        top_n: n,
        top: charts::frame(
            &charts::bars(&top, "Top overall scores 总分前列"),
            &cap("Bar length: overall index score as published 条形长度：总分", false),
        ),
        intervals: (!ed.intervals.is_empty()).then(|| {
            charts::frame(
                &charts::intervals(&ed.intervals, v.top),
                &cap("Rank, 1 = best. Bar: 5th–95th percentile over the simulations; dot: published rank 排名（1为最佳）", false),
            )
        }),
        intervals_warning: ed.intervals_warning.clone(),
        dims_heat: charts::frame(
            &charts::heatmap(&d.labels, &d.matrix, "Correlation of the index and its dimensions"),
            &cap(heat, true),
        ),
        ind_heat: charts::frame(
            &charts::heatmap(&ind.labels, &ind.matrix, "Correlation of indicator scores"),
            &cap(heat, true),
        ),
    }
}

/// The caption of a chart of `ed`: the axis title, the source line and the notice.
pub fn caption<'a>(ed: &Edition, axis: &'a str) -> charts::Caption<'a> {
    charts::Caption {
        axis,
        source: source_line(ed),
        notice: ed.spec.spec.meta.illustrative.then_some(charts::NOTICE),
        legend: false,
    }
}

/// "Name edition, built with cityrank; sources" for the foot of every chart.
pub fn source_line(ed: &Edition) -> String {
    let m = &ed.spec.spec.meta;
    let mut s = format!("{} {} (cityrank)", m.name, ed.label());
    if !m.sources.is_empty() {
        s.push_str("; ");
        s.push_str(&m.sources.join("; "));
    }
    s
}

/// Renders the report of `ed`, with changes since `previous` when comparable.
pub fn render(ed: &Edition, previous: Option<&Edition>) -> Result<String, Error> {
    let v = View::new(ed, previous);
    let links: Vec<Link> = downloads::files(ed)
        .iter()
        .map(|d| Link {
            href: data_uri(d),
            name: d.name.clone(),
            label: d.label,
        })
        .collect();
    let env = templates::env();
    let t = env.get_template("report.html").expect("bundled");
    t.render(context! {
        v => &v,
        css => CSS,
        charts => charts(ed, &v),
        downloads => links,
        link => context! { prefix => "#city-", suffix => "" },
        whatif_state => templates::script_json(&crate::whatif::state(ed)),
        wasm_js => templates::wasm_js(),
        whatif_js => WHATIF_JS,
        page_js => PAGE_JS,
    })
    .map_err(|e| {
        Error::new(
            format!("cannot render the report: {e}"),
            "this is a bug in cityrank; please report it",
        )
    })
}

/// Writes `out/report.html` (atomically, recorded in `out/manifest.json` with `settings`).
pub fn write(
    ed: &Edition,
    previous: Option<&Edition>,
    out: &Path,
    settings: serde_json::Value,
) -> Result<std::path::PathBuf, Error> {
    let html = render(ed, previous)?;
    let entry = Entry::new("report", Recipe::of(&ed.spec, &ed.data), None, settings);
    cityrank_io::folder::write(
        out,
        &vec![("report.html".into(), html.into_bytes())],
        entry,
        None,
    )?;
    Ok(out.join("report.html"))
}
