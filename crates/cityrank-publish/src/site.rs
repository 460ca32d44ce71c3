//! The static site: index, one page per dimension and per city, methodology and downloads.
//!
//! Every link is relative and every page sits in one folder (cities as `city-<code>.html`), so
//! the site works from `file://` and from any static host, under any path.

use crate::downloads;
use crate::edition::Edition;
use crate::report::charts;
use crate::templates::{self, CSS, PAGE_JS, WHATIF_JS};
use crate::view::View;
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
        out.push((name, render("dimension.html", context! { dr => dr })?));
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

/// Writes the site into `dir`.
pub fn write(ed: &Edition, previous: Option<&Edition>, dir: &Path) -> Result<(), Error> {
    let pages = pages(ed, previous, false)?;
    std::fs::create_dir_all(dir.join("data")).map_err(|e| Error::io(dir, e))?;
    for (name, bytes) in pages {
        let path = dir.join(&name);
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}
