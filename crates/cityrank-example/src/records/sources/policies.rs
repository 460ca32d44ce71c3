//! Policy documents, weighted by issuing level (`POLICY_WEIGHTS`).

use super::super::words::POLICIES;
use super::super::POLICY_WEIGHTS;
use super::prelude::*;

pub(super) fn recipe() -> Recipe {
    Recipe {
        noise: Noise {
            after: 0.08,
            ..Noise::default()
        },
        dates: Dates::Range {
            start: day("2016-06-01"),
        },
        payloads: PayloadKind::Weights,
        names: &["doc_id", "title", "city", "level", "issued"],
        cells,
    }
}

fn cells(_: &Ctx, r: &Row) -> Vec<Cell> {
    let level = r.payload.map(|w| 4 - w as usize).unwrap_or(2);
    vec![
        Cell::text(format!("POL-{:05}", r.id)),
        Cell::text(pick(POLICIES, attr(r.id, 1))),
        Cell::City,
        Cell::text(POLICY_WEIGHTS[level].0),
        Cell::Date(r.date),
    ]
}
