//! Public fund commitments: amounts adding up to each city's total.

use super::prelude::*;

pub(super) fn recipe() -> Recipe {
    Recipe {
        noise: Noise {
            after: 0.08,
            ..Noise::default()
        },
        dates: Dates::Range {
            start: day("2017-06-01"),
        },
        payloads: PayloadKind::Amounts {
            typical: 40_000,
            undisclosed: 0.0,
        },
        names: &["commitment_id", "city", "announced", "kind", "amount_mcny"],
        cells,
    }
}

fn cells(c: &Ctx, r: &Row) -> Vec<Cell> {
    vec![
        Cell::text(format!("FUND-{:05}", r.id)),
        Cell::City,
        Cell::Date(r.date),
        Cell::text(pick(
            &["industry fund", "guidance fund", "subsidy", "special fund"],
            attr(r.id, 1),
        )),
        Cell::Fixed(r.payload, c.decimals),
    ]
}
