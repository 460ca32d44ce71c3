//! Papers; preprints and theses fail the filter (journal or conference papers count).

use super::prelude::*;

pub(super) fn recipe() -> Recipe {
    Recipe {
        noise: Noise {
            after: 0.06,
            failing: 0.08,
            ..Noise::default()
        },
        dates: Dates::Range {
            start: day("2016-01-01"),
        },
        payloads: PayloadKind::Count,
        names: &["paper_id", "city", "published", "type", "language"],
        cells,
    }
}

fn cells(_: &Ctx, r: &Row) -> Vec<Cell> {
    let kind = match r.role {
        Role::Failing => pick(&["preprint", "thesis"], attr(r.id, 1)),
        _ => pick(
            &["journal", "journal", "journal", "conference"],
            attr(r.id, 1),
        ),
    };
    vec![
        Cell::text(format!("PAP-{}-{:06}", year_of(r.date), r.id)),
        Cell::City,
        Cell::Date(r.date),
        Cell::text(kind),
        Cell::text(pick(&["zh", "zh", "en"], attr(r.id, 2))),
    ]
}
