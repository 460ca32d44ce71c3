//! The page templates, compiled into the binary so publishing needs no files at run time.
//!
//! minijinja escapes HTML automatically only in templates whose name ends in `.html`; every
//! page template is named so. Values marked `safe` are SVG built by [`crate::charts`], which
//! escapes its own text.

use minijinja::Environment;

pub const CSS: &str = include_str!("../templates/style.css");
pub const DASHBOARD_JS: &str = include_str!("../templates/dashboard.js");
/// The dashboard's own layout (controls, filters, the scrolling table), on top of `CSS`.
pub const DASHBOARD_CSS: &str = include_str!("../templates/dashboard.css");
/// "Create your own ranking" in the browser; shared by the site, the report and the dashboard.
pub const WHATIF_JS: &str = include_str!("../templates/whatif.js");
/// Chart downloads (SVG, PNG) and print preparation, on every page.
pub const PAGE_JS: &str = include_str!("../templates/page.js");
/// The what-if engine as WebAssembly (built by `scripts/build-wasm` from crates/cityrank-whatif).
pub const WHATIF_WASM: &[u8] = include_bytes!("../assets/whatif.wasm");

/// A script defining `window.CITYRANK_WASM`, the engine module in base64 (pages opened from
/// `file://` cannot fetch a separate .wasm file).
pub fn wasm_js() -> String {
    format!(
        "// The cityrank what-if engine (crates/cityrank-whatif) as WebAssembly, base64.\nwindow.CITYRANK_WASM = \"{}\";\n",
        crate::downloads::base64(WHATIF_WASM)
    )
}

/// JSON for a `<script type="application/json">` block: `<` escaped so no text can close it.
pub fn script_json<T: serde::Serialize>(x: &T) -> String {
    serde_json::to_string(x)
        .expect("plain data serialises")
        .replace('<', "\\u003c")
}

const TEMPLATES: [(&str, &str); 11] = [
    ("macros.html", include_str!("../templates/macros.html")),
    ("report.html", include_str!("../templates/report.html")),
    ("layout.html", include_str!("../templates/layout.html")),
    ("index.html", include_str!("../templates/index.html")),
    (
        "dimension.html",
        include_str!("../templates/dimension.html"),
    ),
    ("city.html", include_str!("../templates/city.html")),
    ("excluded.html", include_str!("../templates/excluded.html")),
    (
        "indicator.html",
        include_str!("../templates/indicator.html"),
    ),
    (
        "methodology.html",
        include_str!("../templates/methodology.html"),
    ),
    (
        "downloads.html",
        include_str!("../templates/downloads.html"),
    ),
    (
        "dashboard.html",
        include_str!("../templates/dashboard.html"),
    ),
];

/// An environment holding every template.
pub fn env() -> Environment<'static> {
    let mut env = Environment::new();
    for (name, src) in TEMPLATES {
        env.add_template(name, src)
            .expect("bundled templates parse");
    }
    env
}
