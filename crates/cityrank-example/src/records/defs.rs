//! What each record source is: its table, its columns and the indicator computed from it,
//! in the shape `records.toml` declares.

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

/// A source with the usual columns and a plain count.
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
