//! Registered firms by credit code; cancelled and revoked firms fail the filter.

use super::prelude::*;

pub(super) fn recipe() -> Recipe {
    Recipe {
        noise: Noise {
            after: 0.05,
            failing: 0.15,
            ..Noise::default()
        },
        dates: Dates::Range {
            start: day("2012-01-01"),
        },
        payloads: PayloadKind::Count,
        names: &["firm_id", "city", "registered", "status", "capital_10k_cny"],
        cells,
    }
}

fn cells(c: &Ctx, r: &Row) -> Vec<Cell> {
    let status = match r.role {
        Role::Failing => pick(&["cancelled", "cancelled", "revoked"], attr(r.id, 1)),
        _ => "active",
    };
    let capital = (10f64.powf(1.5 + 2.5 * attr(r.id, 2))).round() as i64 * 10;
    vec![
        Cell::text(credit_code(c.area_code(r.who), r.id)),
        Cell::City,
        Cell::Date(r.date),
        Cell::text(status),
        Cell::Int(capital),
    ]
}
