//! Approved pilot programmes.

use super::super::words::PILOT_AREAS;
use super::prelude::*;

pub(super) fn recipe() -> Recipe {
    Recipe {
        noise: Noise {
            after: 0.08,
            ..Noise::default()
        },
        dates: Dates::Range {
            start: day("2018-01-01"),
        },
        payloads: PayloadKind::Count,
        names: &["pilot_id", "city", "approved", "area"],
        cells,
    }
}

fn cells(_: &Ctx, r: &Row) -> Vec<Cell> {
    vec![
        Cell::text(format!("PIL-{:05}", r.id)),
        Cell::City,
        Cell::Date(r.date),
        Cell::text(pick(PILOT_AREAS, attr(r.id, 1))),
    ]
}
