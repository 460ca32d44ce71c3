//! Social-media articles over the year before the cut-off.

use super::super::words::ACCOUNTS;
use super::prelude::*;

pub(super) fn recipe() -> Recipe {
    Recipe {
        noise: Noise {
            after: 0.04,
            before: 0.25,
            ..Noise::default()
        },
        dates: Dates::Range { start: 0 },
        payloads: PayloadKind::Count,
        names: &["article_id", "account", "city", "published"],
        cells,
    }
}

fn cells(_: &Ctx, r: &Row) -> Vec<Cell> {
    vec![
        Cell::Int(r.id as i64),
        Cell::text(pick(ACCOUNTS, attr(r.id, 1))),
        Cell::City,
        Cell::Date(r.date),
    ]
}
