//! Industrial parks, named after their city; planned ones fail the filter.

use super::super::words::PARKS;
use super::prelude::*;

pub(super) fn recipe() -> Recipe {
    Recipe {
        noise: Noise {
            after: 0.10,
            failing: 0.25,
            ..Noise::default()
        },
        dates: Dates::Range {
            start: day("2016-01-01"),
        },
        payloads: PayloadKind::Count,
        names: &["park", "city", "opened", "status"],
        cells,
    }
}

fn cells(c: &Ctx, r: &Row) -> Vec<Cell> {
    let status = match r.role {
        Role::Failing => pick(&["planned", "under construction"], attr(r.id, 1)),
        _ => "operating",
    };
    let name = format!("{}{}", c.short_name(r.who), pick(PARKS, attr(r.id, 2)));
    vec![
        Cell::text(name),
        Cell::City,
        Cell::Date(r.date),
        Cell::text(status),
    ]
}
