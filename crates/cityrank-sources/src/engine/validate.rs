//! The checks of a records spec that need no file: ids, references, date formats.

use super::compile;
use crate::definition::{Measure, RecordsSpec};
use crate::error::SourceError;
use std::collections::BTreeSet;

/// Checks the spec for inconsistencies that need no file.
pub fn validate(spec: &RecordsSpec) -> Result<(), SourceError> {
    let bad = |m: String| Err(SourceError::Spec(m));
    let mut ids = BTreeSet::new();
    for s in &spec.sources {
        if !is_identifier(&s.id) {
            return bad(format!(
                "source id `{}` must match [A-Za-z_][A-Za-z0-9_]* (it is an SQL table name)",
                s.id
            ));
        }
        if !ids.insert(s.id.as_str()) {
            return bad(format!("source `{}` is declared twice", s.id));
        }
        if let Some(f) = &s.date_format {
            if s.date_column.is_none() {
                return bad(format!(
                    "source `{}`: `date_format` needs a `date_column`",
                    s.id
                ));
            }
            if !date_format_is_valid(f) {
                return bad(format!(
                    "source `{}`: date_format `{f}` is not a strftime pattern of a date (for example \"%Y/%m/%d\" or \"%Y年%m月%d日\")",
                    s.id
                ));
            }
        }
        if let Some(key) = &s.key {
            if key.is_empty() {
                return bad(format!("source `{}`: `key` is empty", s.id));
            }
        }
    }
    for (id, ind) in &spec.indicators {
        let Some(src) = spec.sources.iter().find(|s| s.id == ind.source) else {
            return bad(format!("indicator `{id}`: unknown source `{}`", ind.source));
        };
        match (&ind.measure, &ind.sql) {
            (None, None) => return bad(format!("indicator `{id}`: needs `measure` or `sql`")),
            (Some(_), Some(_)) => {
                return bad(format!("indicator `{id}`: has both `measure` and `sql`"))
            }
            (None, Some(_)) => {
                if !ind.filters.is_empty() || ind.cutoff.is_some() || ind.window_days.is_some() {
                    return bad(format!(
                        "indicator `{id}`: `filters`, `cutoff` and `window_days` belong to the declarative form; write them into the SQL"
                    ));
                }
            }
            (Some(_), None) => {}
        }
        if ind.cutoff.is_some() && src.date_column.is_none() {
            return bad(format!(
                "indicator `{id}`: a cut-off needs `date_column` on source `{}`",
                src.id
            ));
        }
        if ind.window_days.is_some() && ind.cutoff.is_none() {
            return bad(format!("indicator `{id}`: `window_days` needs a `cutoff`"));
        }
        if ind.window_days == Some(0) {
            return bad(format!(
                "indicator `{id}`: `window_days` must be at least 1"
            ));
        }
        if let Some(Measure::CountDistinct(c) | Measure::Sum(c) | Measure::Mean(c)) = &ind.measure {
            if c.is_empty() {
                return bad(format!("indicator `{id}`: empty measure column"));
            }
        }
        if let Some(per) = &ind.per {
            if !(per.scale.is_finite() && per.scale > 0.0) {
                return bad(format!(
                    "indicator `{id}`: `per.scale` must be a positive number"
                ));
            }
        }
        for f in &ind.filters {
            compile::check_filter(id, f)?;
        }
    }
    Ok(())
}

/// A strftime pattern without errors that names a whole date: year, month and day (or
/// day of the year), or one of the combined forms `%F`, `%D`, `%x`.
fn date_format_is_valid(f: &str) -> bool {
    use chrono::format::{Item, StrftimeItems};
    if StrftimeItems::new(f).any(|i| matches!(i, Item::Error)) {
        return false;
    }
    let has = |specs: &[&str]| specs.iter().any(|s| f.contains(s));
    let year = has(&["%Y", "%y", "%G"]);
    let month = has(&["%m", "%b", "%B", "%h"]);
    let day = has(&["%d", "%e"]);
    has(&["%F", "%D", "%x"]) || (year && month && day) || (year && has(&["%j"]))
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
