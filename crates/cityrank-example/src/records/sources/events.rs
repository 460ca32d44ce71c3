//! Events; cancelled and postponed ones fail the filter.

use super::prelude::*;

pub(super) fn recipe() -> Recipe {
    Recipe {
        noise: Noise {
            after: 0.06,
            failing: 0.10,
            ..Noise::default()
        },
        dates: Dates::Range {
            start: day("2016-01-01"),
        },
        payloads: PayloadKind::Count,
        names: &["event_id", "city", "held", "kind", "status"],
        cells,
    }
}

fn cells(_: &Ctx, r: &Row) -> Vec<Cell> {
    let status = match r.role {
        Role::Failing => pick(&["cancelled", "postponed"], attr(r.id, 1)),
        _ => "held",
    };
    vec![
        Cell::text(format!("EVT-{:05}", r.id)),
        Cell::City,
        Cell::Date(r.date),
        Cell::text(pick(
            &["conference", "meetup", "meetup", "hackathon", "expo"],
            attr(r.id, 2),
        )),
        Cell::text(status),
    ]
}
