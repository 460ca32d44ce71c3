//! Spec sections for record sources and the indicators computed from them.
//!
//! In a spec, sources are `[[source]]` tables and an indicator computed from records carries a
//! `[indicator.records]` table (the `RecordIndicator` below); the `cityrank-sources` crate runs
//! them through an SQL engine. The examples here show them gathered as a standalone
//! [`RecordsSpec`], the form that crate takes.
//!
//! These are plain serde types (no engine types) meant to be read from TOML.
//! Every table denies unknown fields, so a typo in a key is an error rather
//! than a silently ignored setting.
//!
//! A complete records section, as a [`RecordsSpec`]:
//!
//! ```toml
//! [[source]]
//! id = "firms"
//! files = "records/firms/*.csv"      # glob, relative to the spec's directory
//! city_column = "city"
//! date_column = "registered"
//! covers = "all"
//! key = ["firm_id"]                   # duplicates by key are removed (and counted)
//!
//! [[source]]
//! id = "patents"
//! files = "records/patents-*.parquet"
//! city_column = "applicant_city"
//! date_column = "filed"
//! covers = ["110000", "310000", "440300"]
//!
//! [indicators.active_ai_firms]
//! source = "firms"
//! measure = "count"
//! filters = [
//!   { column = "status", op = "=", value = "active" },
//!   { column = "industry", op = "in", value = ["AI", "blockchain"] },
//! ]
//! cutoff = 2020-06-30
//!
//! [indicators.patents_per_10k]
//! source = "patents"
//! measure = { count_distinct = "patent_no" }
//! cutoff = 2020-06-30
//! window_days = 365
//! per = { file = "denominators/population.csv", column = "population", scale = 10000 }
//!
//! [indicators.financing]
//! source = "firms"
//! sql = "SELECT city_code AS city, sum(CAST(amount AS DOUBLE)) AS value FROM firms GROUP BY city_code"
//! ```

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// The records part of a spec: sources and the indicators defined on them.
///
/// ```toml
/// [[source]]
/// id = "firms"
/// files = "records/firms/*.csv"
/// city_column = "city"
/// covers = "all"
///
/// [indicators.firms]
/// source = "firms"
/// measure = "count"
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RecordsSpec {
    /// Record sources, in the order declared (`[[source]]` tables).
    #[serde(rename = "source", default)]
    pub sources: Vec<SourceDecl>,
    /// Indicators by id (`[indicators.<id>]` tables).
    #[serde(default)]
    pub indicators: BTreeMap<String, RecordIndicator>,
}

/// A set of record files read as one table.
///
/// ```toml
/// [[source]]
/// id = "firms"                      # also the SQL table name of the source
/// files = "records/firms/*.csv"     # glob, relative to the spec's directory
/// format = "csv"                    # csv | parquet | jsonl; inferred from the extension if absent
/// city_column = "city"              # the column naming the city (messy strings are resolved)
/// date_column = "registered"        # optional; needed for a cut-off
/// date_format = "%Y/%m/%d"          # optional: dates written otherwise than YYYY-MM-DD
/// covers = ["110000", "310000"]     # or "all"
/// key = ["firm_id"]                 # optional: rows with the same key are duplicates
/// encoding = "gbk"                  # optional: files are converted to UTF-8 before reading
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDecl {
    /// Identifier of the source; must be a plain SQL identifier (`[A-Za-z_][A-Za-z0-9_]*`).
    pub id: String,
    /// Glob pattern of the files, relative to the spec's directory (or absolute).
    pub files: String,
    /// File format; inferred from the extension of the matched files when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// Column holding the city string of each record.
    pub city_column: String,
    /// Column holding the date of each record (ISO `YYYY-MM-DD`, or a date/timestamp type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_column: Option<String>,
    /// How the date column's text is written when it is not ISO `YYYY-MM-DD`, as a
    /// strftime pattern (`"%Y/%m/%d"`, `"%Y年%m月%d日"`, `"%d.%m.%Y"`). Ignored for
    /// columns that are dates already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_format: Option<String>,
    /// Which cities the source covers. A covered city without records has the value 0;
    /// a city that is not covered has no value.
    pub covers: Covers,
    /// Columns that identify a record; rows repeating a key are removed and counted.
    /// The earliest-dated row of a key is kept (ties broken by the other columns, in
    /// order), so that every engine keeps the same row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Vec<String>>,
    /// Character encoding of CSV / JSON-lines files when not UTF-8 (for example `"gbk"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

/// Format of a source's files.
///
/// ```toml
/// format = "parquet"
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-separated values with a header line.
    Csv,
    /// Apache Parquet.
    Parquet,
    /// One JSON object per line (`.jsonl`, `.ndjson`, `.json`).
    Jsonl,
}

impl Format {
    /// The format implied by a file extension (case-insensitive), if any.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "parquet" | "pq" => Some(Format::Parquet),
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            _ => None,
        }
    }

    /// Lower-case name as written in a spec.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Jsonl => "jsonl",
        }
    }
}

/// The cities a source covers: `"all"` or a list of city codes.
///
/// ```toml
/// covers = "all"
/// # or
/// covers = ["110000", "310000"]
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Covers {
    /// Every city of the run.
    All,
    /// Only these city codes.
    List(Vec<String>),
}

impl Covers {
    /// Whether `city` is covered.
    pub fn contains(&self, city: &str) -> bool {
        match self {
            Covers::All => true,
            Covers::List(list) => list.iter().any(|c| c == city),
        }
    }
}

impl Serialize for Covers {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Covers::All => s.serialize_str("all"),
            Covers::List(list) => list.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Covers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Covers;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(r#""all" or a list of city codes"#)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Covers, E> {
                if v == "all" {
                    Ok(Covers::All)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Covers, A::Error> {
                let mut list = Vec::new();
                while let Some(code) = seq.next_element::<String>()? {
                    list.push(code);
                }
                Ok(Covers::List(list))
            }
        }
        d.deserialize_any(V)
    }
}

/// How a declarative indicator aggregates the records of a city.
///
/// ```toml
/// measure = "count"                       # number of records
/// measure = { count_distinct = "firm_id" } # number of distinct non-empty values
/// measure = { sum = "capital" }           # sum of a numeric column (empty cells ignored)
/// measure = { mean = "capital" }          # mean of a numeric column (empty cells ignored)
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Measure {
    /// Number of records.
    Count,
    /// Number of distinct non-empty values of a column.
    CountDistinct(String),
    /// Sum of a numeric column.
    Sum(String),
    /// Mean of a numeric column.
    Mean(String),
}

impl Measure {
    /// The column the measure reads, if any.
    pub fn column(&self) -> Option<&str> {
        match self {
            Measure::Count => None,
            Measure::CountDistinct(c) | Measure::Sum(c) | Measure::Mean(c) => Some(c),
        }
    }
}

/// An indicator computed from the records of one source.
///
/// Declarative form:
///
/// ```toml
/// [indicators.active_ai_firms]
/// source = "firms"
/// measure = "count"
/// filters = [
///   { column = "status", op = "=", value = "active" },
///   { column = "industry", op = "in", value = ["AI", "blockchain"] },
/// ]
/// cutoff = 2020-06-30          # records dated after it are left out
/// window_days = 365            # optional: only the 365 days ending on the cut-off
/// per = { file = "denominators/population.csv", column = "population", scale = 10000 }
/// ```
///
/// SQL form: the query sees every source as a table named by its id, holding the
/// source's columns plus `city_code` (the resolved city) and `record_date`
/// (the parsed date, when the source has a date column); duplicates are already
/// removed and only rows of covered cities of the run are present. It must
/// return exactly the columns `city` and `value`, one row per city.
///
/// ```toml
/// [indicators.big_deals]
/// source = "deals"             # decides coverage
/// sql = """
/// SELECT city_code AS city, count(*) AS value
/// FROM deals WHERE CAST(amount AS DOUBLE) > 1e8 AND record_date <= DATE '2020-06-30'
/// GROUP BY city_code
/// """
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecordIndicator {
    /// The source the indicator is defined on (and whose coverage it has).
    pub source: String,
    /// The aggregate (declarative form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<Measure>,
    /// Filters, all of which a record must pass (declarative form), applied in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Filter>,
    /// Records dated after this day are left out (declarative form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cutoff: Option<Date>,
    /// Only records dated within this many days ending on the cut-off (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_days: Option<u32>,
    /// Divide by a denominator table (per capita, per GDP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<Per>,
    /// A raw SQL query returning `(city, value)` instead of the declarative form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
}

/// A denominator table: a CSV file with a city column and a numeric column.
///
/// ```toml
/// per = { file = "denominators/gdp.csv", column = "gdp_billion_yuan", scale = 1 }
/// per = { file = "denominators/population.csv", city_column = "code", column = "population", scale = 10000 }
/// ```
///
/// The value becomes `value / denominator * scale`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Per {
    /// CSV file, relative to the spec's directory.
    pub file: String,
    /// Column holding the city (code or name; resolved like record cities). Default `"city"`.
    #[serde(default = "default_city_column")]
    pub city_column: String,
    /// Column holding the denominator.
    pub column: String,
    /// Multiplier applied after dividing (for example 10000 for "per 10k people"). Default 1.
    #[serde(default = "default_scale")]
    pub scale: f64,
}

fn default_city_column() -> String {
    "city".to_string()
}
fn default_scale() -> f64 {
    1.0
}

/// One filter on a record column.
///
/// ```toml
/// { column = "status", op = "=", value = "active" }
/// { column = "capital", op = ">=", value = 1000000 }
/// { column = "keyword", op = "in", value = ["AI", "区块链"] }
/// { column = "title", op = "contains", value = "blockchain" }
/// ```
///
/// A string value compares the trimmed text of the column; a number compares the
/// column read as a number. A record whose cell is empty (or not a number, for a
/// numeric comparison) fails the filter.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// The column compared.
    pub column: String,
    /// The comparison.
    pub op: FilterOp,
    /// A scalar, or a list for `in` / `not_in`.
    #[serde(alias = "values")]
    pub value: FilterValue,
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} {} {}", self.column, self.op.symbol(), self.value)
    }
}

/// Comparison operator of a [`Filter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum FilterOp {
    /// Equal.
    #[serde(rename = "=", alias = "==")]
    Eq,
    /// Not equal.
    #[serde(rename = "!=", alias = "<>")]
    NotEq,
    /// Less than.
    #[serde(rename = "<")]
    Lt,
    /// Less than or equal.
    #[serde(rename = "<=")]
    LtEq,
    /// Greater than.
    #[serde(rename = ">")]
    Gt,
    /// Greater than or equal.
    #[serde(rename = ">=")]
    GtEq,
    /// One of a list.
    #[serde(rename = "in")]
    In,
    /// None of a list.
    #[serde(rename = "not_in")]
    NotIn,
    /// Contains a substring.
    #[serde(rename = "contains")]
    Contains,
}

impl FilterOp {
    /// The operator as written in a spec.
    pub fn symbol(self) -> &'static str {
        match self {
            FilterOp::Eq => "=",
            FilterOp::NotEq => "!=",
            FilterOp::Lt => "<",
            FilterOp::LtEq => "<=",
            FilterOp::Gt => ">",
            FilterOp::GtEq => ">=",
            FilterOp::In => "in",
            FilterOp::NotIn => "not_in",
            FilterOp::Contains => "contains",
        }
    }

    /// Whether the operator takes a list.
    pub fn takes_list(self) -> bool {
        matches!(self, FilterOp::In | FilterOp::NotIn)
    }
}

/// The value(s) of a [`Filter`].
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum FilterValue {
    /// A single value.
    One(Scalar),
    /// A list (for `in` / `not_in`).
    Many(Vec<Scalar>),
}

impl fmt::Display for FilterValue {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            FilterValue::One(s) => write!(f, "{s}"),
            FilterValue::Many(list) => {
                f.write_str("[")?;
                for (i, s) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{s}")?;
                }
                f.write_str("]")
            }
        }
    }
}

/// A literal in a filter.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    /// true / false.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// Text.
    Str(String),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Scalar::Bool(b) => write!(f, "{b}"),
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::Float(x) => write!(f, "{x}"),
            Scalar::Str(s) => write!(f, "'{s}'"),
        }
    }
}

/// A calendar date. Deserializes from a TOML date (`2020-06-30`) or a string
/// (`"2020-06-30"`); serializes as the string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1-12.
    pub month: u32,
    /// Day of month, 1-31.
    pub day: u32,
}

impl Date {
    /// A validated date.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let mut parts = s.splitn(3, '-');
        let y = parts.next()?;
        let m = parts.next()?;
        let d = parts.next()?;
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i32 {
        // Howard Hinnant's days_from_civil.
        let y = if self.month <= 2 {
            self.year - 1
        } else {
            self.year
        } as i64;
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        (era * 146097 + doe - 719468) as i32
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days_since_epoch(days: i32) -> Date {
        let z = days as i64 + 719468;
        let era = if z >= 0 { z } else { z - 146096 } / 146097;
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        Date {
            year: (if m <= 2 { y + 1 } else { y }) as i32,
            month: m,
            day: d,
        }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
            }
            // A native TOML date arrives as a one-entry map holding its text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
                let Some((_, text)) = map.next_entry::<String, String>()? else {
                    return Err(de::Error::invalid_length(0, &self));
                };
                self.visit_str(&text)
            }
        }
        d.deserialize_any(V)
    }
}
