//! University courses, first offered at the start of a term.

use super::super::words::COURSES;
use super::prelude::*;

pub(super) fn recipe() -> Recipe {
    Recipe {
        noise: Noise {
            after: 0.10,
            ..Noise::default()
        },
        dates: Dates::Choices {
            counted: &[
                "2016-09-05",
                "2017-02-20",
                "2017-09-04",
                "2018-03-05",
                "2018-09-03",
                "2019-02-25",
                "2019-09-02",
                "2020-02-17",
            ],
            after: &["2020-09-07", "2021-03-01"],
        },
        payloads: PayloadKind::Count,
        names: &["course_id", "course", "city", "first_offered", "level"],
        cells,
    }
}

fn cells(_: &Ctx, r: &Row) -> Vec<Cell> {
    vec![
        Cell::text(format!("CRS-{:05}", r.id)),
        Cell::text(pick(COURSES, attr(r.id, 1))),
        Cell::City,
        Cell::Date(r.date),
        Cell::text(pick(
            &["undergraduate", "undergraduate", "graduate", "elective"],
            attr(r.id, 2),
        )),
    ]
}
