//! Research institutes, named after their city; closed ones fail the filter.

use super::super::words::INSTITUTES;
use super::prelude::*;

pub(super) fn recipe() -> Recipe {
    Recipe {
        noise: Noise {
            after: 0.05,
            failing: 0.06,
            ..Noise::default()
        },
        dates: Dates::Range {
            start: day("2015-06-01"),
        },
        payloads: PayloadKind::Count,
        names: &["institute", "kind", "city", "founded", "status"],
        cells,
    }
}

fn cells(c: &Ctx, r: &Row) -> Vec<Cell> {
    let (suffix, kind) = INSTITUTES[(attr(r.id, 1) * INSTITUTES.len() as f64) as usize];
    let name = format!("{}{suffix}", c.short_name(r.who));
    vec![
        Cell::text(name),
        Cell::text(kind),
        Cell::City,
        Cell::Date(r.date),
        Cell::text(if r.role == Role::Failing {
            "closed"
        } else {
            "active"
        }),
    ]
}
