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
            Some((r.name.clone(), ed.results.score(i, root)))
        })
        .collect();
    let d = correlation::dimensions(ed);
    let ind = correlation::indicators(ed);
    Charts {
        top_n: n,
        top: charts::bars(&top, "Top overall scores"),
        intervals: (!ed.intervals.is_empty()).then(|| charts::intervals(&ed.intervals, v.top)),
        dims_heat: charts::heatmap(
            &d.labels,
            &d.matrix,
            "Correlation of the index and its dimensions",
        ),
        ind_heat: charts::heatmap(&ind.labels, &ind.matrix, "Correlation of indicator scores"),
    }
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

/// Writes `out/report.html`.
pub fn write(
    ed: &Edition,
    previous: Option<&Edition>,
    out: &Path,
) -> Result<std::path::PathBuf, Error> {
    let html = render(ed, previous)?;
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let path = out.join("report.html");
    std::fs::write(&path, html).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}
