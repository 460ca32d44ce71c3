//! Removing duplicate records by a declared key.
//!
//! Of the rows sharing a key, the one kept is the earliest-dated (rows without a date
//! last); among rows of the same date, the one whose other columns, in schema order,
//! come first (an empty cell first), text compared as text and other types by their text form.
//! Every engine must keep the same row, or the values would depend on how the rows were
//! split among partitions.
//!
//! The obvious plan, `first_value(column ORDER BY date, ...)` for every column, keeps a
//! vector of ordering values per key *per column*: at a few million keys that is
//! gigabytes and most of the run. Instead each row is written as one string whose byte
//! order is the order above (a part per column: a marker byte that puts empty cells
//! first, then the text; parts separated by a NUL byte, which sorts below any
//! character), the minimum string per key is taken by the engine's compact `min` over
//! bytes, and the kept row is read back out of that string. Only built-in functions are
//! used, so the plan runs unchanged on Ballista. Sources with columns that do not
//! round-trip through text (nested JSON values, timestamps) keep the `first_value` plan.

use super::compile::{is_string, sortable};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::functions::core::expr_fn::nullif;
use datafusion::functions::string::expr_fn::{concat, split_part};
use datafusion::functions::unicode::expr_fn::substr;
use datafusion::functions_aggregate::count::count_all;
use datafusion::functions_aggregate::expr_fn::{first_value, min};
use datafusion::logical_expr::{cast, when, Expr, SortExpr};
use datafusion::prelude::{col, ident, lit, DataFrame};

/// Rows of each key before removing duplicates (summed up as the rows read).
pub(crate) const KEY_ROWS: &str = "__cityrank_key_rows";
/// True for a kept row whose text held a NUL byte, which the encoding cannot carry.
pub(crate) const KEY_NUL: &str = "__cityrank_key_nul";
const ENCODED: &str = "__cityrank_key_row";

const SEP: &str = "\u{0}";
const EMPTY: &str = "\u{1}";
const PRESENT: &str = "\u{2}";
const NO_DATE: &str = "\u{3}";

/// How the duplicates of a source are removed.
pub(crate) enum Plan {
    /// The kept row is read back from the minimum encoded row (the usual plan).
    Encoded,
    /// `first_value` per column, for columns that do not round-trip through text.
    FirstValue,
}

impl Plan {
    pub(crate) fn for_columns(key: &[String], columns: &[(String, DataType)]) -> Plan {
        let round_trips = columns
            .iter()
            .filter(|(n, _)| !key.contains(n))
            .all(|(_, t)| round_trips(t));
        if round_trips {
            Plan::Encoded
        } else {
            Plan::FirstValue
        }
    }
}

fn round_trips(t: &DataType) -> bool {
    is_string(t)
        || matches!(t, DataType::Boolean | DataType::Date32)
        || t.is_integer()
        || t.is_floating()
        || matches!(t, DataType::Decimal128(_, _) | DataType::Decimal256(_, _))
}

/// The source with one row per key: every column in its order, then [`KEY_ROWS`] and
/// (encoded plan) [`KEY_NUL`].
pub(crate) fn dedup(
    raw: DataFrame,
    key: &[String],
    columns: &[(String, DataType)],
    date: Option<&Expr>,
) -> datafusion::error::Result<DataFrame> {
    match Plan::for_columns(key, columns) {
        Plan::Encoded => encoded(raw, key, columns, date),
        Plan::FirstValue => by_first_value(raw, key, columns, date),
    }
}

fn others<'a>(
    key: &'a [String],
    columns: &'a [(String, DataType)],
) -> impl Iterator<Item = &'a (String, DataType)> {
    columns.iter().filter(move |(n, _)| !key.contains(n))
}

fn encoded(
    raw: DataFrame,
    key: &[String],
    columns: &[(String, DataType)],
    date: Option<&Expr>,
) -> datafusion::error::Result<DataFrame> {
    // Part 1: the date (ISO text sorts as dates do), rows without one last.
    let mut parts = vec![match date {
        Some(d) => when(d.clone().is_null(), lit(NO_DATE))
            .otherwise(concat(vec![lit(PRESENT), cast(d.clone(), DataType::Utf8)]))?,
        None => lit(PRESENT),
    }];
    for (name, _) in others(key, columns) {
        parts.push(lit(SEP));
        parts.push(
            when(ident(name).is_null(), lit(EMPTY)).otherwise(concat(vec![
                lit(PRESENT),
                cast(ident(name), DataType::Utf8),
            ]))?,
        );
    }
    let on: Vec<Expr> = key.iter().map(ident).collect();
    let grouped = raw.aggregate(
        on,
        vec![
            min(concat(parts)).alias(ENCODED),
            count_all().alias(KEY_ROWS),
        ],
    )?;

    let mut select = Vec::with_capacity(columns.len() + 2);
    let mut part = 1i64;
    for (name, t) in columns {
        if key.contains(name) {
            select.push(ident(name));
            continue;
        }
        part += 1;
        let text = split_part(col(ENCODED), lit(SEP), lit(part));
        let value = substr(text.clone(), lit(2i64));
        let decoded = if is_string(t) {
            // Text may be empty and still present: the marker tells.
            let value = if t == &DataType::Utf8 {
                value
            } else {
                cast(value, t.clone())
            };
            when(text.eq(lit(EMPTY)), lit(ScalarValue::try_from(t)?)).otherwise(value)?
        } else {
            // The text of a number, date or boolean is never empty; an empty cell's is.
            cast(nullif(value, lit("")), t.clone())
        };
        select.push(decoded.alias(name));
    }
    select.push(col(KEY_ROWS));
    // A NUL byte inside a value would shift the parts: there would be one too many.
    select.push(
        split_part(col(ENCODED), lit(SEP), lit(part + 1))
            .not_eq(lit(""))
            .alias(KEY_NUL),
    );
    grouped.select(select)
}

fn by_first_value(
    raw: DataFrame,
    key: &[String],
    columns: &[(String, DataType)],
    date: Option<&Expr>,
) -> datafusion::error::Result<DataFrame> {
    let on: Vec<Expr> = key.iter().map(ident).collect();
    let mut sort: Vec<SortExpr> = Vec::new();
    if let Some(d) = date {
        sort.push(d.clone().sort(true, false));
    }
    for (n, t) in others(key, columns) {
        if sortable(t) {
            sort.push(ident(n).sort(true, true));
        }
    }
    let mut firsts: Vec<Expr> = others(key, columns)
        .map(|(n, _)| first_value(ident(n), sort.clone()).alias(n))
        .collect();
    firsts.push(count_all().alias(KEY_ROWS));
    let mut cols: Vec<Expr> = columns.iter().map(|(n, _)| ident(n)).collect();
    cols.push(col(KEY_ROWS));
    cols.push(lit(false).alias(KEY_NUL));
    raw.aggregate(on, firsts)?.select(cols)
}
