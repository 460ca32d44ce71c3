//! Publishing cityrank results: a self-contained HTML report, a static multi-page site, and a
//! live dashboard with a JSON API and what-if re-weighting.
//!
//! Everything is rendered from the same build ([`edition::Edition`]) through one view model
//! ([`view::View`]), so the report, the site and the dashboard cannot disagree.

pub mod charts;
pub mod correlation;
pub mod downloads;
pub mod edition;
pub mod excluded;
pub mod lookup;
pub mod report;
pub mod server;
pub mod site;
pub mod templates;
pub mod uncertainty;
pub mod view;
pub mod whatif;
pub mod xlsx;

pub use edition::Edition;
