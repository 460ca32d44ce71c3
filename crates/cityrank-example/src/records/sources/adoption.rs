//! Adoption cases; concepts fail the filter (pilots and production count).

use super::super::words::SECTORS;
use super::prelude::*;

pub(super) fn recipe() -> Recipe {
    Recipe {
        noise: Noise {
            after: 0.08,
            failing: 0.10,
            ..Noise::default()
        },
        dates: Dates::Range {
            start: day("2017-01-01"),
        },
        payloads: PayloadKind::Count,
        names: &["case_id", "city", "announced", "sector", "stage"],
        cells,
    }
}

fn cells(_: &Ctx, r: &Row) -> Vec<Cell> {
    let stage = match r.role {
        Role::Failing => "concept",
        _ => pick(&["pilot", "pilot", "production"], attr(r.id, 1)),
    };
    vec![
        Cell::text(format!("CASE-{:05}", r.id)),
        Cell::City,
        Cell::Date(r.date),
        Cell::text(pick(SECTORS, attr(r.id, 2))),
        Cell::text(stage),
    ]
}
