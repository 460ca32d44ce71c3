//! Blockchain service filings, published in batches.

use super::super::words::SERVICES;
use super::prelude::*;

pub(super) fn recipe() -> Recipe {
    Recipe {
        noise: Noise {
            after: 0.12,
            ..Noise::default()
        },
        dates: Dates::Choices {
            counted: &["2019-03-30", "2019-10-18", "2020-04-28"],
            after: &["2020-07-31"],
        },
        payloads: PayloadKind::Count,
        names: &["filing_no", "service", "city", "batch", "batch_date"],
        cells,
    }
}

fn cells(c: &Ctx, r: &Row) -> Vec<Cell> {
    let batch = match format_date(r.date).as_str() {
        "2019-03-30" => 1,
        "2019-10-18" => 2,
        "2020-04-28" => 3,
        _ => 4,
    };
    vec![
        Cell::text(format!(
            "网信备{:06}{:02}{:06}号",
            c.area_code(r.who),
            year_of(r.date) % 100,
            r.id
        )),
        Cell::text(pick(SERVICES, attr(r.id, 1))),
        Cell::City,
        Cell::Int(batch),
        Cell::Date(r.date),
    ]
}
