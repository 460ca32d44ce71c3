//! Patents by applicant city; a patent listed twice (same number) is a duplicate.

use super::prelude::*;

pub(super) fn recipe() -> Recipe {
    Recipe {
        noise: Noise {
            after: 0.08,
            duplicate: 0.06,
            ..Noise::default()
        },
        dates: Dates::Range {
            start: day("2015-01-01"),
        },
        payloads: PayloadKind::Count,
        names: &["patent_no", "applicant_city", "filed", "kind"],
        cells,
    }
}

fn cells(_: &Ctx, r: &Row) -> Vec<Cell> {
    let invention = attr(r.id, 1) < 0.7;
    let check = match (attr(r.id, 2) * 11.0) as u32 {
        10 => "X".to_string(),
        c => c.to_string(),
    };
    let no = format!(
        "CN{}{}{:07}.{check}",
        year_of(r.date),
        if invention { 1 } else { 2 },
        r.id
    );
    vec![
        Cell::text(no),
        Cell::City,
        Cell::Date(r.date),
        Cell::text(if invention { "invention" } else { "utility" }),
    ]
}
