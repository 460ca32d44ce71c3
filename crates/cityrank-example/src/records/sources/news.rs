//! News items over the year before the cut-off; other topics fail the filter.

use super::super::words::OUTLETS;
use super::prelude::*;

pub(super) fn recipe() -> Recipe {
    Recipe {
        noise: Noise {
            after: 0.04,
            before: 0.20,
            failing: 0.12,
            ..Noise::default()
        },
        dates: Dates::Range { start: 0 },
        payloads: PayloadKind::Count,
        names: &["item_id", "city", "published", "outlet", "topic"],
        cells,
    }
}

fn cells(_: &Ctx, r: &Row) -> Vec<Cell> {
    let topic = match r.role {
        Role::Failing => pick(&["fintech", "digital currency", "AI"], attr(r.id, 1)),
        _ => "blockchain",
    };
    vec![
        Cell::Int(r.id as i64),
        Cell::City,
        Cell::Date(r.date),
        Cell::text(pick(OUTLETS, attr(r.id, 2))),
        Cell::text(topic),
    ]
}
