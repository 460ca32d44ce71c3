//! Financing deals: amounts over the year before the cut-off, some undisclosed.

use super::prelude::*;

pub(super) fn recipe() -> Recipe {
    Recipe {
        noise: Noise {
            after: 0.05,
            before: 0.15,
            ..Noise::default()
        },
        dates: Dates::Range { start: 0 },
        payloads: PayloadKind::Amounts {
            typical: 15_000,
            undisclosed: 0.08,
        },
        names: &["deal_id", "city", "announced", "round", "amount_mcny"],
        cells,
    }
}

fn cells(c: &Ctx, r: &Row) -> Vec<Cell> {
    vec![
        Cell::text(format!("DEAL-{:05}", r.id)),
        Cell::City,
        Cell::Date(r.date),
        Cell::text(pick(
            &["angel", "pre-A", "A", "A", "A+", "B", "B", "C", "strategic"],
            attr(r.id, 1),
        )),
        Cell::Fixed(r.payload, c.decimals),
    ]
}
