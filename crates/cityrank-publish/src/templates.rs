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

const TEMPLATES: [(&str, &str); 9] = [
    ("macros.html", include_str!("../templates/macros.html")),
    ("report.html", include_str!("../templates/report.html")),
    ("layout.html", include_str!("../templates/layout.html")),
    ("index.html", include_str!("../templates/index.html")),
    (
        "dimension.html",
        include_str!("../templates/dimension.html"),
    ),
    ("city.html", include_str!("../templates/city.html")),
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
