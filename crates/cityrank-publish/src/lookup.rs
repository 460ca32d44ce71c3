//! Finding a city by what a reader types: its id, English name or Chinese name, ranked or not.
//!
//! Every command and endpoint that takes a city accepts the same three forms, so a name that
//! works in `cityrank profile` works in `/api/cities/{city}` too.

use cityrank_core::data::{Dataset, Unit};
use cityrank_core::Results;

/// Where a city was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// Index into `results.units`.
    Ranked(usize),
    /// Index into `results.excluded`.
    Excluded(usize),
}

/// Whether `u` is what `query` names (id, or name case-insensitively, or the Chinese name with
/// or without the trailing 市).
pub fn matches(u: &Unit, query: &str) -> bool {
    let q = query.trim();
    let zh = |z: &str| z == q || z.trim_end_matches('市') == q.trim_end_matches('市');
    u.id == q || u.name.eq_ignore_ascii_case(q) || u.name_zh.as_deref().is_some_and(zh)
}

/// The assessed unit `query` names, ranked or excluded; `None` when no assessed unit matches.
pub fn find(results: &Results, assessed: &Dataset, query: &str) -> Option<Found> {
    if let Some(i) = results.units.iter().position(|u| matches(u, query)) {
        return Some(Found::Ranked(i));
    }
    let id = assessed
        .units
        .iter()
        .find(|u| matches(u, query))
        .map(|u| u.id.as_str())
        .unwrap_or(query.trim());
    results
        .excluded
        .iter()
        .position(|e| e.unit == id || e.name.eq_ignore_ascii_case(query.trim()))
        .map(Found::Excluded)
}
