//! The static site: index, one page per dimension and per city, methodology and downloads.
//!
//! Every link is relative and every page sits in one folder (cities as `city-<code>.html`), so
//! the site works from `file://` and from any static host, under any path.

use crate::downloads;
use crate::edition::Edition;
use crate::report::charts;
use crate::templates::{self, CSS, PAGE_JS, WHATIF_JS};
use crate::view::View;
use cityrank_io::manifest::{Entry, Recipe};
use cityrank_io::Error;
use minijinja::{context, Value};
use std::path::Path;

/// The site's files: (relative path, bytes).
pub type Pages = Vec<(String, Vec<u8>)>;

/// A unit id as a file-name fragment: only `[A-Za-z0-9_-]`, anything else as `_XX` hex.
pub fn slug(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' => (b as char).to_string(),
            _ => format!("_{b:02X}"),
        })
        .collect()
}

/// Renders every page; `dashboard` adds a link back to the live dashboard.
pub fn pages(ed: &Edition, previous: Option<&Edition>, dashboard: bool) -> Result<Pages, Error> {
    let v = View::new(ed, previous);
    let env = templates::env();
    let dl = downloads::files(ed);
    let base = context! {
        v => &v,
        charts => charts(ed, &v),
        link => context! { prefix => "city-", suffix => ".html" },
        dashboard => dashboard,
        downloads => dl.iter().map(|d| context! { name => d.name, label => d.label }).collect::<Vec<_>>(),
    };
    let render = |name: &str, extra: Value| -> Result<Vec<u8>, Error> {
        let t = env.get_template(name).expect("bundled");
        t.render(context! { ..extra, ..base.clone() })
            .map(String::into_bytes)
            .map_err(|e| {
                Error::new(
                    format!("cannot render {name}: {e}"),
                    "this is a bug in cityrank; please report it",
                )
            })
    };
    let mut out: Pages = vec![
        ("style.css".into(), CSS.as_bytes().to_vec()),
        ("page.js".into(), PAGE_JS.as_bytes().to_vec()),
        ("whatif.js".into(), WHATIF_JS.as_bytes().to_vec()),
        ("whatif-wasm.js".into(), templates::wasm_js().into_bytes()),
    ];
    let state = templates::script_json(&crate::whatif::state(ed));
    out.push((
        "index.html".into(),
        render("index.html", context! { whatif_state => state })?,
    ));
    for page in ["methodology.html", "downloads.html"] {
        out.push((page.into(), render(page, context! {})?));
    }
    for dr in &v.dim_rankings {
        let name = format!("dimension-{}.html", slug(&dr.dim.id));
        let extra = context! {
            dr => dr,
            description => ed.spec.spec.nodes.iter().find(|n| n.id == dr.dim.id).and_then(|n| n.description.clone()),
            indicators => v.method.indicators.iter().filter(|l| l.dim == dr.dim.id).collect::<Vec<_>>(),
            chart => dimension_chart(ed, &v, dr),
        };
        out.push((name, render("dimension.html", extra)?));
    }
    for l in &v.method.indicators {
        let name = format!("indicator-{}.html", slug(&l.id));
        let (rows, chart, histogram) = indicator_ranking(ed, &l.id);
        let extra = context! { l => l, rows => rows, chart => chart, histogram => histogram };
        out.push((name, render("indicator.html", extra)?));
    }
    for c in &v.cities {
        let name = format!("city-{}.html", slug(&c.row.unit));
        out.push((name, render("city.html", context! { c => c })?));
    }
    for e in &v.excluded {
        let name = format!("city-{}.html", e.slug);
        out.push((name, render("excluded.html", context! { e => e })?));
    }
    out.extend(
        dl.into_iter()
            .map(|d| (format!("data/{}", d.name), d.bytes)),
    );
    Ok(out)
}

/// The dimension's top scores as a bar chart, framed to stand alone.
fn dimension_chart(ed: &Edition, v: &View, dr: &crate::view::DimRanking) -> String {
    let top: Vec<(String, f64)> = dr
        .rows
        .iter()
        .take(20.min(v.top.max(1)))
        .filter_map(|r| {
            Some((
                bilingual(&r.name, r.name_zh.as_deref()),
                r.score.parse().ok()?,
            ))
        })
        .collect();
    crate::charts::frame(
        &crate::charts::bars(
            &top,
            &format!(
                "Top {} scores 前{}名: {}",
                top.len(),
                top.len(),
                dr.dim.name
            ),
        ),
        &crate::report::caption(
            ed,
            "Bar length: dimension score as published 条形长度：维度得分",
        ),
    )
}

/// One indicator's ranking (rank, city, raw value, score), a chart of its top 20 scores and a
/// histogram of its raw values.
fn indicator_ranking(ed: &Edition, id: &str) -> (Vec<Value>, String, String) {
    let (fw, r) = (&ed.spec.framework, &ed.results);
    let j = fw.find(id).expect("indicator of the framework");
    let rows: Vec<Value> = r
        .ranking(j)
        .into_iter()
        .map(|i| {
            let u = &r.units[i];
            context! {
                rank => r.rank(i, j),
                slug => slug(&u.id),
                name => u.name.clone(),
                name_zh => u.name_zh.clone(),
                raw => cityrank_io::write::num(r.raw.get(i, j)),
                imputed => r.raw.get(i, j).is_nan(),
                score => r.display(r.score(i, j)),
            }
        })
        .collect();
    let top: Vec<(String, f64)> = r
        .ranking(j)
        .into_iter()
        .take(20)
        .map(|i| (r.units[i].label(), r.score(i, j)))
        .collect();
    let node = &fw.nodes[j];
    let name = bilingual(&node.name, node.name_zh.as_deref());
    let chart = crate::charts::frame(
        &crate::charts::bars(
            &top,
            &format!("Top {} scores 前{}名: {name}", top.len(), top.len()),
        ),
        &crate::report::caption(
            ed,
            "Bar length: normalised indicator score 条形长度：指标得分",
        ),
    );
    let raw: Vec<f64> = (0..r.n_units()).map(|i| r.raw.get(i, j)).collect();
    let axis = format!(
        "Raw value of the {} ranked cities with data, {} bins; bar height: number of cities 原始值分布（城市数）",
        raw.iter().filter(|x| x.is_finite()).count(),
        HISTOGRAM_BINS
    );
    let histogram = crate::charts::frame(
        &crate::charts::histogram(&raw, HISTOGRAM_BINS, &format!("Distribution 分布: {name}")),
        &crate::report::caption(ed, &axis),
    );
    (rows, chart, histogram)
}

/// Bins of an indicator's distribution chart: enough to show its shape for about a hundred cities.
const HISTOGRAM_BINS: usize = 12;

/// A name followed by its Chinese form where there is one.
fn bilingual(name: &str, zh: Option<&str>) -> String {
    match zh {
        Some(z) if !z.is_empty() && z != name => format!("{name} {z}"),
        _ => name.to_string(),
    }
}

/// Writes the site into `out/site` (atomically, recorded in `out/manifest.json` with
/// `settings`).
pub fn write(
    ed: &Edition,
    previous: Option<&Edition>,
    out: &Path,
    settings: serde_json::Value,
) -> Result<(), Error> {
    let files: Pages = pages(ed, previous, false)?
        .into_iter()
        .map(|(name, bytes)| (format!("site/{name}"), bytes))
        .collect();
    let entry = Entry::new("site", Recipe::of(&ed.spec, &ed.data), None, settings);
    cityrank_io::folder::write(out, &files, entry, None)
}
