//! The example as raw records: one table per source (firms, patents, news, ...)
//! from which the declarative definitions of `records.toml` compute exactly the
//! values of `indicators.csv`.
//!
//! For each city and indicator the generator writes the records that count (as many
//! as the value, or amounts that add up to it), then noise that the definitions must
//! remove: records after the cut-off or before the look-back window, records failing
//! a filter (cancelled firms, preprints), duplicates by key, records of cities outside
//! the example, and city strings that name no city. A city whose value is missing is
//! one the source does not cover: the source has no record of it.

use std::collections::BTreeSet;

use cityrank_gazetteer::Gazetteer;

use crate::generate::ExampleData;
use crate::messy::{pick_unresolved, Spellings, OUTSIDE};
use crate::rng::Draws;

/// The cut-off date of the example (`meta.cutoff` of its spec).
pub const CUTOFF: &str = "2020-05-31";

/// How an indicator aggregates the records of a city.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureDef {
    /// Number of records.
    Count,
    /// Sum of a numeric column (empty cells add nothing).
    Sum(&'static str),
    /// Mean of a numeric column.
    Mean(&'static str),
    /// Sum of a weight per value of a text column, as an SQL indicator (the weights
    /// belong to the method, not to the records).
    Weighted {
        column: &'static str,
        weights: &'static [(&'static str, u32)],
    },
}

/// A filter of an indicator: `column = value`, or `column in [values]` for several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterDef {
    pub column: &'static str,
    pub values: &'static [&'static str],
}

/// One record source and the indicator computed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceDef {
    /// Source id (also its SQL table name and file stem).
    pub id: &'static str,
    /// The indicator of `indicators.csv` it gives.
    pub indicator: &'static str,
    pub city_column: &'static str,
    pub date_column: &'static str,
    /// Column identifying a record; repeated keys are duplicates.
    pub key: Option<&'static str>,
    pub measure: MeasureDef,
    pub filters: &'static [FilterDef],
    /// Only records of the days ending on the cut-off count.
    pub window_days: Option<u32>,
    /// Written as Parquet in the committed example (too large as CSV).
    pub parquet: bool,
}

const fn source(id: &'static str, indicator: &'static str, date_column: &'static str) -> SourceDef {
    SourceDef {
        id,
        indicator,
        city_column: "city",
        date_column,
        key: None,
        measure: MeasureDef::Count,
        filters: &[],
        window_days: None,
        parquet: false,
    }
}

/// Issuing levels of policy documents and their weights in `pol_docs`.
pub const POLICY_WEIGHTS: &[(&str, u32)] = &[
    ("national", 4),
    ("provincial", 3),
    ("municipal", 2),
    ("district", 1),
];

/// The 16 sources, in the order of the indicators.
pub const SOURCES: [SourceDef; 16] = [
    SourceDef {
        city_column: "applicant_city",
        key: Some("patent_no"),
        ..source("patents", "rd_patents", "filed")
    },
    SourceDef {
        filters: &[FilterDef {
            column: "type",
            values: &["journal", "conference"],
        }],
        ..source("papers", "rd_papers", "published")
    },
    source("courses", "rd_courses", "first_offered"),
    SourceDef {
        filters: &[FilterDef {
            column: "status",
            values: &["active"],
        }],
        ..source("institutes", "rd_institutes", "founded")
    },
    SourceDef {
        filters: &[FilterDef {
            column: "status",
            values: &["active"],
        }],
        ..source("firms", "ind_firms", "registered")
    },
    source("filings", "ind_filings", "batch_date"),
    SourceDef {
        measure: MeasureDef::Sum("amount_mcny"),
        window_days: Some(366),
        ..source("deals", "ind_financing", "announced")
    },
    SourceDef {
        filters: &[FilterDef {
            column: "stage",
            values: &["pilot", "production"],
        }],
        ..source("adoption", "ind_adoption", "announced")
    },
    SourceDef {
        filters: &[FilterDef {
            column: "topic",
            values: &["blockchain"],
        }],
        window_days: Some(366),
        parquet: true,
        ..source("news", "pub_news", "published")
    },
    SourceDef {
        measure: MeasureDef::Mean("search_index"),
        window_days: Some(90),
        ..source("search", "pub_search", "day")
    },
    SourceDef {
        filters: &[FilterDef {
            column: "status",
            values: &["held"],
        }],
        ..source("events", "pub_events", "held")
    },
    SourceDef {
        window_days: Some(366),
        parquet: true,
        ..source("social", "pub_social", "published")
    },
    SourceDef {
        measure: MeasureDef::Weighted {
            column: "level",
            weights: POLICY_WEIGHTS,
        },
        ..source("policies", "pol_docs", "issued")
    },
    SourceDef {
        measure: MeasureDef::Sum("amount_mcny"),
        ..source("funds", "pol_funds", "announced")
    },
    source("pilots", "pol_pilots", "approved"),
    SourceDef {
        filters: &[FilterDef {
            column: "status",
            values: &["operating"],
        }],
        ..source("parks", "pol_parks", "opened")
    },
];

/// A column of a record table.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Text; `None` is an empty cell.
    Text(Vec<Option<String>>),
    /// Integers.
    Int(Vec<i64>),
    /// Dates, as days since 1970-01-01.
    Date(Vec<i32>),
    /// Decimal numbers as integer units of `10^-decimals`; `None` is an empty cell.
    Fixed {
        units: Vec<Option<i64>>,
        decimals: u32,
    },
}

impl Column {
    pub fn len(&self) -> usize {
        match self {
            Column::Text(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Date(v) => v.len(),
            Column::Fixed { units, .. } => units.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cell as written in CSV.
    pub fn cell(&self, row: usize) -> String {
        match self {
            Column::Text(v) => v[row].clone().unwrap_or_default(),
            Column::Int(v) => v[row].to_string(),
            Column::Date(v) => format_date(v[row]),
            Column::Fixed { units, decimals } => match units[row] {
                None => String::new(),
                Some(u) => format_fixed(u, *decimals),
            },
        }
    }
}

/// The records of one source.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordTable {
    pub source: SourceDef,
    /// Column names, in file order.
    pub names: Vec<&'static str>,
    pub columns: Vec<Column>,
    /// The city each row was written for (`None`: a string naming no city, or none).
    pub truth: Vec<Option<u32>>,
}

impl RecordTable {
    pub fn rows(&self) -> usize {
        self.truth.len()
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.names
            .iter()
            .position(|n| *n == name)
            .map(|i| &self.columns[i])
    }
}

/// Writes record tables of the example; one per source, any number of replicas
/// (replica 0 is the committed example; replica `r` has the same values with other
/// records, so `k` replicas multiply counts and sums by `k` and keep means).
pub struct RecordGenerator<'a> {
    data: &'a ExampleData,
    seed: u64,
    cities: Vec<Spellings>,
    outside: Vec<Spellings>,
}

/// Rows before their columns: whom they are for, when, and their part.
#[derive(Debug, Clone)]
struct Row {
    /// Sequence number within the table, the basis of ids and attributes.
    id: u64,
    who: Who,
    date: i32,
    role: Role,
    /// Amount (in units), weight level, or nothing.
    payload: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// Index into the candidates.
    City(usize),
    /// Index into `OUTSIDE`.
    Outside(usize),
    /// A string naming no city.
    Unresolved,
    /// An empty cell.
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Passes every filter, dated inside the window.
    Counted,
    /// Dated after the cut-off.
    After,
    /// Dated before the look-back window.
    Before,
    /// Fails the source's filter.
    Failing,
}

/// Noise, as shares of the counted records.
#[derive(Debug, Clone, Copy, Default)]
struct Noise {
    after: f64,
    before: f64,
    failing: f64,
    duplicate: f64,
}

const OUTSIDE_SHARE: f64 = 0.03;
const UNRESOLVED_SHARE: f64 = 0.012;
const EMPTY_SHARE: f64 = 0.003;
const STAGE_RECORDS: u64 = 100;

/// Where counted records fall in time.
enum Dates {
    /// Any day from `start` to the cut-off (or the window), later days more likely.
    Range { start: i32 },
    /// One of fixed days (terms, batches): `counted` up to the cut-off, `after` beyond.
    Choices {
        counted: &'static [&'static str],
        after: &'static [&'static str],
    },
}

impl<'a> RecordGenerator<'a> {
    pub fn new(data: &'a ExampleData, seed: u64) -> RecordGenerator<'a> {
        let g = Gazetteer::bundled();
        RecordGenerator {
            data,
            seed,
            cities: data
                .plan
                .cities
                .iter()
                .map(|c| Spellings::new(g, c.unit))
                .collect(),
            outside: OUTSIDE.iter().map(|&c| Spellings::new(g, c)).collect(),
        }
    }

    /// Values of one indicator in integer units (`None`: not covered).
    fn units(&self, indicator: &str) -> (Vec<Option<i64>>, u32) {
        let j = self
            .data
            .plan
            .indicators
            .iter()
            .position(|i| i.id == indicator)
            .unwrap_or_else(|| panic!("indicator {indicator} is not generated"));
        let decimals = self.data.plan.indicators[j].decimals;
        let q = 10f64.powi(decimals as i32);
        let units = self
            .data
            .values
            .iter()
            .map(|row| row[j].map(|x| (x * q).round() as i64))
            .collect();
        (units, decimals)
    }

    /// Codes of the cities `source` covers (those with a value).
    pub fn covers(&self, source: &SourceDef) -> Vec<u32> {
        let (units, _) = self.units(source.indicator);
        self.data
            .plan
            .cities
            .iter()
            .zip(units)
            .filter(|(_, u)| u.is_some())
            .map(|(c, _)| c.unit)
            .collect()
    }

    /// The table of one source for one replica.
    pub fn table(&self, source: &SourceDef, replica: u32) -> RecordTable {
        let stage = STAGE_RECORDS
            + SOURCES
                .iter()
                .position(|s| s.id == source.id)
                .expect("known source") as u64;
        let seed = self.seed ^ u64::from(replica).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut d = Draws::new(seed, stage);
        let (units, decimals) = self.units(source.indicator);
        match source.id {
            "patents" => self.counted(
                &mut d,
                replica,
                source,
                &units,
                Noise {
                    after: 0.08,
                    duplicate: 0.06,
                    ..Noise::default()
                },
                Dates::Range {
                    start: day("2015-01-01"),
                },
                &["patent_no", "applicant_city", "filed", "kind"],
                |r| {
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
                },
            ),
            "papers" => self.counted(
                &mut d,
                replica,
                source,
                &units,
                Noise {
                    after: 0.06,
                    failing: 0.08,
                    ..Noise::default()
                },
                Dates::Range {
                    start: day("2016-01-01"),
                },
                &["paper_id", "city", "published", "type", "language"],
                |r| {
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
                },
            ),
            "courses" => self.counted(
                &mut d,
                replica,
                source,
                &units,
                Noise {
                    after: 0.10,
                    ..Noise::default()
                },
                Dates::Choices {
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
                &["course_id", "course", "city", "first_offered", "level"],
                |r| {
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
                },
            ),
            "institutes" => self.counted(
                &mut d,
                replica,
                source,
                &units,
                Noise {
                    after: 0.05,
                    failing: 0.06,
                    ..Noise::default()
                },
                Dates::Range {
                    start: day("2015-06-01"),
                },
                &["institute", "kind", "city", "founded", "status"],
                |r| {
                    let (suffix, kind) =
                        INSTITUTES[(attr(r.id, 1) * INSTITUTES.len() as f64) as usize];
                    let name = format!("{}{suffix}", self.short_name(r.who));
                    vec![
                        Cell::text(name),
                        Cell::text(kind),
                        Cell::City,
                        Cell::Date(r.date),
                        Cell::text(if r.role == Role::Failing {
                            "closed"
                        } else {
                            "active"
                        }),
                    ]
                },
            ),
            "firms" => self.counted(
                &mut d,
                replica,
                source,
                &units,
                Noise {
                    after: 0.05,
                    failing: 0.15,
                    ..Noise::default()
                },
                Dates::Range {
                    start: day("2012-01-01"),
                },
                &["firm_id", "city", "registered", "status", "capital_10k_cny"],
                |r| {
                    let status = match r.role {
                        Role::Failing => {
                            pick(&["cancelled", "cancelled", "revoked"], attr(r.id, 1))
                        }
                        _ => "active",
                    };
                    let capital = (10f64.powf(1.5 + 2.5 * attr(r.id, 2))).round() as i64 * 10;
                    vec![
                        Cell::text(credit_code(self.area_code(r.who), r.id)),
                        Cell::City,
                        Cell::Date(r.date),
                        Cell::text(status),
                        Cell::Int(capital),
                    ]
                },
            ),
            "filings" => self.counted(
                &mut d,
                replica,
                source,
                &units,
                Noise {
                    after: 0.12,
                    ..Noise::default()
                },
                Dates::Choices {
                    counted: &["2019-03-30", "2019-10-18", "2020-04-28"],
                    after: &["2020-07-31"],
                },
                &["filing_no", "service", "city", "batch", "batch_date"],
                |r| {
                    let batch = match format_date(r.date).as_str() {
                        "2019-03-30" => 1,
                        "2019-10-18" => 2,
                        "2020-04-28" => 3,
                        _ => 4,
                    };
                    vec![
                        Cell::text(format!(
                            "网信备{:06}{:02}{:06}号",
                            self.area_code(r.who),
                            year_of(r.date) % 100,
                            r.id
                        )),
                        Cell::text(pick(SERVICES, attr(r.id, 1))),
                        Cell::City,
                        Cell::Int(batch),
                        Cell::Date(r.date),
                    ]
                },
            ),
            "deals" => {
                let noise = Noise {
                    after: 0.05,
                    before: 0.15,
                    ..Noise::default()
                };
                let payloads = amount_payloads(&mut d, &units, 15_000, 0.08);
                let rows = self.plan(
                    &mut d,
                    replica,
                    source,
                    &units,
                    &payloads,
                    noise,
                    Dates::Range { start: 0 },
                );
                self.build(
                    source,
                    rows,
                    &mut d,
                    &["deal_id", "city", "announced", "round", "amount_mcny"],
                    |r| {
                        vec![
                            Cell::text(format!("DEAL-{:05}", r.id)),
                            Cell::City,
                            Cell::Date(r.date),
                            Cell::text(pick(
                                &["angel", "pre-A", "A", "A", "A+", "B", "B", "C", "strategic"],
                                attr(r.id, 1),
                            )),
                            Cell::Fixed(r.payload, decimals),
                        ]
                    },
                )
            }
            "adoption" => self.counted(
                &mut d,
                replica,
                source,
                &units,
                Noise {
                    after: 0.08,
                    failing: 0.10,
                    ..Noise::default()
                },
                Dates::Range {
                    start: day("2017-01-01"),
                },
                &["case_id", "city", "announced", "sector", "stage"],
                |r| {
                    let stage = match r.role {
                        Role::Failing => "concept",
                        _ => pick(&["pilot", "pilot", "production"], attr(r.id, 1)),
                    };
                    vec![
                        Cell::text(format!("CASE-{:05}", r.id)),
                        Cell::City,
                        Cell::Date(r.date),
                        Cell::text(pick(SECTORS, attr(r.id, 2))),
                        Cell::text(stage),
                    ]
                },
            ),
            "news" => self.counted(
                &mut d,
                replica,
                source,
                &units,
                Noise {
                    after: 0.04,
                    before: 0.20,
                    failing: 0.12,
                    ..Noise::default()
                },
                Dates::Range { start: 0 },
                &["item_id", "city", "published", "outlet", "topic"],
                |r| {
                    let topic = match r.role {
                        Role::Failing => {
                            pick(&["fintech", "digital currency", "AI"], attr(r.id, 1))
                        }
                        _ => "blockchain",
                    };
                    vec![
                        Cell::Int(r.id as i64),
                        Cell::City,
                        Cell::Date(r.date),
                        Cell::text(pick(OUTLETS, attr(r.id, 2))),
                        Cell::text(topic),
                    ]
                },
            ),
            "search" => self.search(source, &units, decimals, &mut d),
            "events" => self.counted(
                &mut d,
                replica,
                source,
                &units,
                Noise {
                    after: 0.06,
                    failing: 0.10,
                    ..Noise::default()
                },
                Dates::Range {
                    start: day("2016-01-01"),
                },
                &["event_id", "city", "held", "kind", "status"],
                |r| {
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
                },
            ),
            "social" => self.counted(
                &mut d,
                replica,
                source,
                &units,
                Noise {
                    after: 0.04,
                    before: 0.25,
                    ..Noise::default()
                },
                Dates::Range { start: 0 },
                &["article_id", "account", "city", "published"],
                |r| {
                    vec![
                        Cell::Int(r.id as i64),
                        Cell::text(pick(ACCOUNTS, attr(r.id, 1))),
                        Cell::City,
                        Cell::Date(r.date),
                    ]
                },
            ),
            "policies" => {
                let noise = Noise {
                    after: 0.08,
                    ..Noise::default()
                };
                let payloads = weight_payloads(&mut d, &units);
                let rows = self.plan(
                    &mut d,
                    replica,
                    source,
                    &units,
                    &payloads,
                    noise,
                    Dates::Range {
                        start: day("2016-06-01"),
                    },
                );
                self.build(
                    source,
                    rows,
                    &mut d,
                    &["doc_id", "title", "city", "level", "issued"],
                    |r| {
                        let level = r.payload.map(|w| 4 - w as usize).unwrap_or(2);
                        vec![
                            Cell::text(format!("POL-{:05}", r.id)),
                            Cell::text(pick(POLICIES, attr(r.id, 1))),
                            Cell::City,
                            Cell::text(POLICY_WEIGHTS[level].0),
                            Cell::Date(r.date),
                        ]
                    },
                )
            }
            "funds" => {
                let noise = Noise {
                    after: 0.08,
                    ..Noise::default()
                };
                let payloads = amount_payloads(&mut d, &units, 40_000, 0.0);
                let rows = self.plan(
                    &mut d,
                    replica,
                    source,
                    &units,
                    &payloads,
                    noise,
                    Dates::Range {
                        start: day("2017-06-01"),
                    },
                );
                self.build(
                    source,
                    rows,
                    &mut d,
                    &["commitment_id", "city", "announced", "kind", "amount_mcny"],
                    |r| {
                        vec![
                            Cell::text(format!("FUND-{:05}", r.id)),
                            Cell::City,
                            Cell::Date(r.date),
                            Cell::text(pick(
                                &["industry fund", "guidance fund", "subsidy", "special fund"],
                                attr(r.id, 1),
                            )),
                            Cell::Fixed(r.payload, decimals),
                        ]
                    },
                )
            }
            "pilots" => self.counted(
                &mut d,
                replica,
                source,
                &units,
                Noise {
                    after: 0.08,
                    ..Noise::default()
                },
                Dates::Range {
                    start: day("2018-01-01"),
                },
                &["pilot_id", "city", "approved", "area"],
                |r| {
                    vec![
                        Cell::text(format!("PIL-{:05}", r.id)),
                        Cell::City,
                        Cell::Date(r.date),
                        Cell::text(pick(PILOT_AREAS, attr(r.id, 1))),
                    ]
                },
            ),
            "parks" => self.counted(
                &mut d,
                replica,
                source,
                &units,
                Noise {
                    after: 0.10,
                    failing: 0.25,
                    ..Noise::default()
                },
                Dates::Range {
                    start: day("2016-01-01"),
                },
                &["park", "city", "opened", "status"],
                |r| {
                    let status = match r.role {
                        Role::Failing => pick(&["planned", "under construction"], attr(r.id, 1)),
                        _ => "operating",
                    };
                    let name = format!("{}{}", self.short_name(r.who), pick(PARKS, attr(r.id, 2)));
                    vec![
                        Cell::text(name),
                        Cell::City,
                        Cell::Date(r.date),
                        Cell::text(status),
                    ]
                },
            ),
            other => panic!("no generator for source {other}"),
        }
    }
}

/// The payloads of the counted rows of each city, and a draw for noise rows.
struct Payloads {
    counted: Vec<Vec<Option<i64>>>,
    noise: fn(&mut Draws) -> Option<i64>,
}

/// One counted row per unit of a count.
fn count_payloads(units: &[Option<i64>]) -> Payloads {
    Payloads {
        counted: units
            .iter()
            .map(|u| vec![None; u.unwrap_or(0).max(0) as usize])
            .collect(),
        noise: |_| None,
    }
}

/// Amounts adding up to each city's total (about `typical` units each, 0.01 million
/// CNY a unit), plus a share
/// of records whose amount is undisclosed (empty, adding nothing).
fn amount_payloads(
    d: &mut Draws,
    units: &[Option<i64>],
    typical: i64,
    undisclosed: f64,
) -> Payloads {
    let counted = units
        .iter()
        .map(|u| {
            let Some(total) = *u else { return Vec::new() };
            let mut out: Vec<Option<i64>> = if total > 0 {
                let k = 1 + ((total as f64 / typical as f64) * (0.5 + d.uniform())) as i64;
                partition(d, total, k.min(total))
                    .into_iter()
                    .map(Some)
                    .collect()
            } else {
                Vec::new()
            };
            let n_hidden = stochastic_round(d, out.len().max(1) as f64 * undisclosed);
            out.extend(std::iter::repeat_n(None, n_hidden));
            d.shuffle(&mut out);
            out
        })
        .collect();
    Payloads {
        counted,
        noise: |d| Some(1 + (d.uniform() * 30_000.0) as i64),
    }
}

/// Issuing levels whose weights add up to each city's weighted count.
fn weight_payloads(d: &mut Draws, units: &[Option<i64>]) -> Payloads {
    let counted = units
        .iter()
        .map(|u| {
            let mut rest = u.unwrap_or(0);
            let mut out = Vec::new();
            while rest > 0 {
                let x = d.uniform();
                let w = if x < 0.08 {
                    4
                } else if x < 0.28 {
                    3
                } else if x < 0.70 {
                    2
                } else {
                    1
                };
                let w = w.min(rest);
                out.push(Some(w));
                rest -= w;
            }
            out
        })
        .collect();
    Payloads {
        counted,
        noise: |d| Some(1 + d.below(4) as i64),
    }
}

/// `total` split into `k` positive parts at random cut points.
fn partition(d: &mut Draws, total: i64, k: i64) -> Vec<i64> {
    let mut cuts = BTreeSet::new();
    while (cuts.len() as i64) < k - 1 {
        cuts.insert(1 + (d.uniform() * (total - 1) as f64) as i64);
    }
    let mut out = Vec::with_capacity(k as usize);
    let mut prev = 0;
    for c in cuts.into_iter().chain(std::iter::once(total)) {
        out.push(c - prev);
        prev = c;
    }
    out
}

fn stochastic_round(d: &mut Draws, x: f64) -> usize {
    let f = x.floor();
    f as usize + usize::from(d.uniform() < x - f)
}

/// A cell of a row before the city is spelled.
enum Cell {
    Text(Option<String>),
    City,
    Int(i64),
    Date(i32),
    Fixed(Option<i64>, u32),
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(Some(s.into()))
    }
}

impl<'a> RecordGenerator<'a> {
    /// Rows of one source: counted rows with their payloads, then noise, shuffled,
    /// numbered, and ordered by date.
    #[allow(clippy::too_many_arguments)]
    fn plan(
        &self,
        d: &mut Draws,
        replica: u32,
        source: &SourceDef,
        units: &[Option<i64>],
        payloads: &Payloads,
        noise: Noise,
        dates: Dates,
    ) -> Vec<Row> {
        let cutoff = day(CUTOFF);
        let counted_day = |d: &mut Draws| -> i32 {
            match &dates {
                Dates::Range { start } => {
                    let lo = match source.window_days {
                        Some(w) => cutoff - w as i32 + 1,
                        None => *start,
                    };
                    if d.uniform() < 0.02 {
                        return cutoff; // the cut-off day itself counts
                    }
                    let span = (cutoff - lo + 1) as f64;
                    (lo + (d.uniform().sqrt() * span) as i32).min(cutoff)
                }
                Dates::Choices { counted, .. } => day(counted[d.below(counted.len())]),
            }
        };
        let after_day = |d: &mut Draws| -> i32 {
            match &dates {
                Dates::Range { .. } if d.uniform() < 0.1 => cutoff + 1,
                Dates::Range { .. } => cutoff + 1 + (d.uniform() * 120.0) as i32,
                Dates::Choices { after, .. } => day(after[d.below(after.len())]),
            }
        };
        let before_day = |d: &mut Draws| -> i32 {
            let edge = cutoff - source.window_days.expect("a window") as i32;
            if d.uniform() < 0.1 {
                edge // the day the window starts after
            } else {
                edge - (d.uniform() * 365.0) as i32
            }
        };

        // (row, index of the row it duplicates)
        let mut rows: Vec<(Row, Option<usize>)> = Vec::new();
        let push = |rows: &mut Vec<(Row, Option<usize>)>, who, date, role, payload| {
            rows.push((
                Row {
                    id: 0,
                    who,
                    date,
                    role,
                    payload,
                },
                None,
            ));
        };
        let mut total = 0usize;
        for (i, (unit, counted)) in units.iter().zip(&payloads.counted).enumerate() {
            if unit.is_none() {
                continue; // not covered: the source has no record of the city
            }
            let who = Who::City(i);
            let first = rows.len();
            for p in counted {
                let date = counted_day(d);
                push(&mut rows, who, date, Role::Counted, *p);
            }
            let n = counted.len() as f64;
            total += counted.len();
            let noise_rows =
                |share: f64, role: Role, rows: &mut Vec<(Row, Option<usize>)>, d: &mut Draws| {
                    for _ in 0..stochastic_round(d, n * share) {
                        let date = match role {
                            Role::After => after_day(d),
                            Role::Before => before_day(d),
                            _ => counted_day(d),
                        };
                        let p = (payloads.noise)(d);
                        push(rows, who, date, role, p);
                    }
                };
            noise_rows(noise.after, Role::After, &mut rows, d);
            if source.window_days.is_some() {
                noise_rows(noise.before, Role::Before, &mut rows, d);
            }
            noise_rows(noise.failing, Role::Failing, &mut rows, d);
            if counted.is_empty() && d.uniform() < 0.5 {
                // A covered city whose only records are removed: its value is 0.
                let role = if noise.failing > 0.0 {
                    Role::Failing
                } else {
                    Role::After
                };
                let date = if role == Role::After {
                    after_day(d)
                } else {
                    counted_day(d)
                };
                push(&mut rows, who, date, role, (payloads.noise)(d));
            }
            if source.key.is_some() && !counted.is_empty() {
                for _ in 0..stochastic_round(d, n * noise.duplicate) {
                    let k = first + d.below(counted.len());
                    let mut copy = rows[k].0.clone();
                    copy.role = Role::Counted;
                    rows.push((copy, Some(k)));
                }
            }
        }
        for (share, kind) in [(OUTSIDE_SHARE, 0), (UNRESOLVED_SHARE, 1), (EMPTY_SHARE, 2)] {
            // At least one of each, so that every source has each kind of stray row.
            for _ in 0..stochastic_round(d, total as f64 * share).max(1) {
                let who = match kind {
                    0 => Who::Outside(d.below(OUTSIDE.len())),
                    1 => Who::Unresolved,
                    _ => Who::Empty,
                };
                let date = counted_day(d);
                push(&mut rows, who, date, Role::Counted, (payloads.noise)(d));
            }
        }

        // Numbers in a random order, so that ids say nothing about the city.
        let mut originals: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].1.is_none()).collect();
        d.shuffle(&mut originals);
        let base = u64::from(replica) * 1_000_000;
        for (n, &i) in originals.iter().enumerate() {
            rows[i].0.id = base + n as u64 + 1;
        }
        for i in 0..rows.len() {
            if let Some(k) = rows[i].1 {
                rows[i].0.id = rows[k].0.id;
            }
        }
        let mut rows: Vec<Row> = rows.into_iter().map(|(r, _)| r).collect();
        rows.sort_by_key(|r| (r.date, r.id));
        rows
    }

    /// A source whose value counts its records: one unit payload per counted row.
    #[allow(clippy::too_many_arguments)]
    fn counted(
        &self,
        d: &mut Draws,
        replica: u32,
        source: &SourceDef,
        units: &[Option<i64>],
        noise: Noise,
        dates: Dates,
        names: &[&'static str],
        cells: impl Fn(&Row) -> Vec<Cell>,
    ) -> RecordTable {
        let rows = self.plan(
            d,
            replica,
            source,
            units,
            &count_payloads(units),
            noise,
            dates,
        );
        self.build(source, rows, d, names, cells)
    }

    /// Spells the cities and lays the cells out as columns.
    fn build(
        &self,
        source: &SourceDef,
        rows: Vec<Row>,
        d: &mut Draws,
        names: &[&'static str],
        cells: impl Fn(&Row) -> Vec<Cell>,
    ) -> RecordTable {
        let mut columns: Vec<Column> = Vec::new();
        let mut truth = Vec::with_capacity(rows.len());
        for (n, r) in rows.iter().enumerate() {
            let row = cells(r);
            assert_eq!(row.len(), names.len(), "cells of {}", source.id);
            if n == 0 {
                columns = row
                    .iter()
                    .map(|c| match c {
                        Cell::Text(_) | Cell::City => Column::Text(Vec::new()),
                        Cell::Int(_) => Column::Int(Vec::new()),
                        Cell::Date(_) => Column::Date(Vec::new()),
                        Cell::Fixed(_, decimals) => Column::Fixed {
                            units: Vec::new(),
                            decimals: *decimals,
                        },
                    })
                    .collect();
            }
            for (cell, col) in row.into_iter().zip(columns.iter_mut()) {
                match (cell, col) {
                    (Cell::City, Column::Text(v)) => v.push(self.spell(r.who, d)),
                    (Cell::Text(s), Column::Text(v)) => v.push(s),
                    (Cell::Int(x), Column::Int(v)) => v.push(x),
                    (Cell::Date(x), Column::Date(v)) => v.push(x),
                    (Cell::Fixed(x, _), Column::Fixed { units, .. }) => units.push(x),
                    _ => panic!("cells of {} change type", source.id),
                }
            }
            truth.push(self.truth(r.who));
        }
        RecordTable {
            source: *source,
            names: names.to_vec(),
            columns,
            truth,
        }
    }

    fn spell(&self, who: Who, d: &mut Draws) -> Option<String> {
        match who {
            Who::City(i) => Some(self.cities[i].pick(d)),
            Who::Outside(k) => Some(self.outside[k].pick(d)),
            Who::Unresolved => Some(pick_unresolved(d).to_string()),
            Who::Empty => None,
        }
    }

    fn truth(&self, who: Who) -> Option<u32> {
        match who {
            Who::City(i) => Some(self.data.plan.cities[i].unit),
            Who::Outside(k) => Some(OUTSIDE[k]),
            Who::Unresolved | Who::Empty => None,
        }
    }

    /// Short Chinese name for names of parks and institutes ("深圳区块链产业园").
    fn short_name(&self, who: Who) -> &str {
        match who {
            Who::City(i) => self.cities[i].short_zh(),
            Who::Outside(k) => self.outside[k].short_zh(),
            Who::Unresolved | Who::Empty => "",
        }
    }

    /// The division code inside ids (credit codes, filing numbers); 0 when unknown.
    fn area_code(&self, who: Who) -> u32 {
        self.truth(who).unwrap_or(0)
    }

    /// The daily search-interest series: every day of January to June 2020 for each
    /// covered city with interest; the 90 days ending on the cut-off average exactly
    /// the city's value.
    fn search(
        &self,
        source: &SourceDef,
        units: &[Option<i64>],
        decimals: u32,
        d: &mut Draws,
    ) -> RecordTable {
        let cutoff = day(CUTOFF);
        let window = source.window_days.expect("a window") as i32;
        let first = day("2020-01-01");
        let last = day("2020-06-30");
        let mut city: Vec<Option<String>> = Vec::new();
        let mut days: Vec<i32> = Vec::new();
        let mut index: Vec<Option<i64>> = Vec::new();
        let mut truth = Vec::new();
        let mut series = |who: Who, level: i64, d: &mut Draws| {
            let inside: Vec<i64> = zero_sum_around(d, level, window as usize);
            let mut k = 0;
            for day in first..=last {
                let v = if day > cutoff - window && day <= cutoff {
                    k += 1;
                    inside[k - 1]
                } else {
                    let trend = if day > cutoff { 1.1 } else { 0.9 };
                    ((level as f64 * trend * (1.0 + 0.2 * d.normal())).round() as i64).max(0)
                };
                city.push(match who {
                    Who::Unresolved => Some("全国".to_string()),
                    _ => self.spell(who, d),
                });
                days.push(day);
                index.push(Some(v));
                truth.push(self.truth(who));
            }
        };
        for (i, u) in units.iter().enumerate() {
            if let Some(level) = *u {
                if level > 0 {
                    series(Who::City(i), level, d);
                }
            }
        }
        // The national series, two cities outside the example, and rows without a city.
        series(Who::Unresolved, 24_000, d);
        series(Who::Outside(0), 310, d);
        series(Who::Outside(6), 95, d);
        for k in 0..3 {
            city.push(None);
            days.push(cutoff - 10 * k);
            index.push(Some(500));
            truth.push(None);
        }
        RecordTable {
            source: *source,
            names: vec!["city", "day", "search_index"],
            columns: vec![
                Column::Text(city),
                Column::Date(days),
                Column::Fixed {
                    units: index,
                    decimals,
                },
            ],
            truth,
        }
    }
}

/// `n` non-negative integers averaging exactly `level`, spread around it.
fn zero_sum_around(d: &mut Draws, level: i64, n: usize) -> Vec<i64> {
    let sd = level as f64 * 0.25;
    let mut v: Vec<i64> = (0..n)
        .map(|_| {
            (level as f64 + sd * d.normal())
                .round()
                .clamp(0.0, 3.0 * level as f64) as i64
        })
        .collect();
    let mut excess: i64 = v.iter().sum::<i64>() - level * n as i64;
    while excess != 0 {
        let i = d.below(n);
        if excess > 0 && v[i] > 0 {
            v[i] -= 1;
            excess -= 1;
        } else if excess < 0 && v[i] < 3 * level {
            v[i] += 1;
            excess += 1;
        }
    }
    v
}

/// A uniform draw in [0, 1) from a record's number: attributes of a record (its kind,
/// its outlet) follow from its id, so a duplicate repeats them.
fn attr(id: u64, salt: u64) -> f64 {
    let mut z = id.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

fn pick<'s>(list: &[&'s str], u: f64) -> &'s str {
    list[((u * list.len() as f64) as usize).min(list.len() - 1)]
}

/// An 18-character unified social credit code: 91, the division, MA, 8 characters.
fn credit_code(area: u32, id: u64) -> String {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut s = format!("91{area:06}MA");
    for k in 0..8 {
        s.push(CHARS[(attr(id, 10 + k) * CHARS.len() as f64) as usize] as char);
    }
    s
}

/// Days since 1970-01-01 of an ISO date (`YYYY-MM-DD`, trusted).
pub fn day(iso: &str) -> i32 {
    let y: i64 = iso[0..4].parse().expect("year");
    let m: i64 = iso[5..7].parse().expect("month");
    let dd: i64 = iso[8..10].parse().expect("day");
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as i32
}

/// `YYYY-MM-DD` of days since 1970-01-01.
pub fn format_date(days: i32) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn year_of(days: i32) -> i32 {
    format_date(days)[0..4].parse().expect("year")
}

/// `units` as a decimal with `decimals` places ("438.91").
pub fn format_fixed(units: i64, decimals: u32) -> String {
    if decimals == 0 {
        return units.to_string();
    }
    let q = 10i64.pow(decimals);
    let sign = if units < 0 { "-" } else { "" };
    let a = units.abs();
    format!("{sign}{}.{:0w$}", a / q, a % q, w = decimals as usize)
}

const COURSES: &[&str] = &[
    "区块链原理与技术",
    "区块链金融",
    "分布式账本技术",
    "智能合约开发",
    "密码学与区块链",
    "Blockchain Fundamentals",
    "区块链应用设计",
    "数字货币与金融科技",
];

const INSTITUTES: &[(&str, &str)] = &[
    ("区块链研究院", "institute"),
    ("区块链技术实验室", "lab"),
    ("分布式账本重点实验室", "lab"),
    ("数字经济研究中心", "centre"),
    ("金融科技研究院", "institute"),
    ("区块链应用创新中心", "centre"),
];

const SERVICES: &[&str] = &[
    "供应链金融平台",
    "电子存证服务",
    "商品溯源平台",
    "跨境支付服务",
    "数字身份服务",
    "司法存证平台",
    "版权保护平台",
    "政务数据共享平台",
    "BaaS 服务平台",
];

const SECTORS: &[&str] = &[
    "finance",
    "supply chain",
    "government services",
    "judicial",
    "healthcare",
    "energy",
    "logistics",
    "agriculture",
];

const OUTLETS: &[&str] = &[
    "新华网",
    "人民网",
    "中国证券报",
    "21世纪经济报道",
    "澎湃新闻",
    "财新网",
    "第一财经",
    "China Daily",
    "Reuters",
    "South China Morning Post",
];

const ACCOUNTS: &[&str] = &[
    "区块链观察",
    "链上周报",
    "数字经济研究",
    "金融科技前沿",
    "产业区块链",
    "城市科技报道",
    "Crypto Daily CN",
    "政策解读",
    "科技园区动态",
    "创投日报",
];

const POLICIES: &[&str] = &[
    "关于加快区块链产业发展的若干措施",
    "区块链技术应用行动计划",
    "关于推动区块链技术和产业创新发展的实施意见",
    "数字经济发展规划",
    "区块链产业园区扶持办法",
    "关于支持区块链企业发展的通知",
];

const PILOT_AREAS: &[&str] = &[
    "government services",
    "supply chain finance",
    "judicial evidence",
    "healthcare",
    "energy",
    "agricultural traceability",
    "cross-border trade",
];

const PARKS: &[&str] = &[
    "区块链产业园",
    "数字经济产业园",
    "区块链创新中心",
    "链谷",
    "区块链小镇",
    "区块链孵化基地",
];
