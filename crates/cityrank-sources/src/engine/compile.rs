//! Declarative indicators -> one DataFusion aggregate per source.

use super::load::{CITY_CODE, RECORD_DATE};
use super::{as_decimal, as_i64, as_strings, collect, locate};
use crate::definition::{
    Filter, FilterOp, FilterValue, Measure, RecordIndicator, Scalar, SourceDecl,
};
use crate::error::SourceError;
use crate::files::SourceFiles;
use crate::provenance::{FilterCount, IndicatorProvenance};
use datafusion::arrow::array::Array;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::functions::core::expr_fn::{coalesce, nullif};
use datafusion::functions::datetime::expr_fn::to_date;
use datafusion::functions::string::expr_fn::{btrim, contains};
use datafusion::functions_aggregate::count::count_all;
use datafusion::functions_aggregate::expr_fn::{count, count_distinct, sum};
use datafusion::logical_expr::{cast, try_cast, when, Expr};
use datafusion::prelude::{col, ident, lit, DataFrame};
use std::collections::{BTreeMap, HashMap};
use std::ops::Not;
use std::path::Path;
use std::time::Duration;

/// Sums run in Decimal(38, 6): exact, so the result does not depend on how the
/// engine split the rows (which a float sum would).
pub(crate) const DECIMAL: DataType = DataType::Decimal128(38, 6);
const DECIMAL_SCALE: f64 = 1e6;

pub(crate) fn is_string(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

pub(crate) fn sortable(t: &DataType) -> bool {
    t.is_primitive() || is_string(t) || matches!(t, DataType::Boolean)
}

/// The trimmed text of a column, NULL when empty.
pub(crate) fn text_expr(name: &str, t: &DataType) -> Expr {
    if is_string(t) {
        nullif(btrim(vec![ident(name)]), lit(""))
    } else {
        cast(ident(name), DataType::Utf8)
    }
}

/// A column as Decimal(38, 6), and whether the cell is non-empty; `None` if the
/// column's type is not numeric or text.
pub(crate) fn number_expr(name: &str, t: &DataType) -> Option<(Expr, Expr)> {
    if is_string(t) {
        let text = text_expr(name, t);
        Some((
            try_cast(try_cast(text.clone(), DataType::Float64), DECIMAL),
            text.is_not_null(),
        ))
    } else if t.is_numeric() {
        Some((try_cast(ident(name), DECIMAL), ident(name).is_not_null()))
    } else {
        None
    }
}

fn float_expr(name: &str, t: &DataType) -> Option<Expr> {
    if is_string(t) {
        Some(try_cast(text_expr(name, t), DataType::Float64))
    } else if t.is_numeric() {
        Some(try_cast(ident(name), DataType::Float64))
    } else {
        None
    }
}

/// The parsed date of a row and the trimmed text it came from.
pub(crate) struct DateExprs {
    pub parsed: Expr,
    pub text: Expr,
}

pub(crate) fn date_expr(
    decl: &SourceDecl,
    first_file: &Path,
    name: &str,
    t: &DataType,
) -> Result<DateExprs, SourceError> {
    if is_string(t) {
        let text = text_expr(name, t);
        // With a declared format, a cell that does not match stops the query; the
        // error path then names its file and line (`locate`).
        let parsed = match &decl.date_format {
            Some(f) => to_date(vec![text.clone(), lit(f.as_str())]),
            None => try_cast(text.clone(), DataType::Date32),
        };
        Ok(DateExprs { parsed, text })
    } else if matches!(
        t,
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, _)
    ) {
        Ok(DateExprs {
            parsed: cast(ident(name), DataType::Date32),
            text: ident(name),
        })
    } else {
        Err(SourceError::WrongType {
            source_id: decl.id.clone(),
            path: first_file.to_path_buf(),
            position: None,
            column: name.to_string(),
            value: format!("values of type {t}"),
            expected: "a date (text YYYY-MM-DD, date or timestamp)".into(),
        })
    }
}

fn date_lit(d: crate::definition::Date) -> Expr {
    lit(ScalarValue::Date32(Some(d.days_since_epoch())))
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Number,
    Bool,
}

fn kind(s: &Scalar) -> Kind {
    match s {
        Scalar::Str(_) => Kind::Text,
        Scalar::Int(_) | Scalar::Float(_) => Kind::Number,
        Scalar::Bool(_) => Kind::Bool,
    }
}

fn scalar_lit(s: &Scalar) -> Expr {
    match s {
        Scalar::Str(v) => lit(v.clone()),
        Scalar::Int(v) => lit(*v as f64),
        Scalar::Float(v) => lit(*v),
        Scalar::Bool(v) => lit(*v),
    }
}

/// Shape checks of a filter that need no data.
pub(crate) fn check_filter(indicator: &str, f: &Filter) -> Result<(), SourceError> {
    let bad = |m: &str| {
        Err(SourceError::Spec(format!(
            "indicator `{indicator}`: filter `{f}`: {m}"
        )))
    };
    match (&f.op, &f.value) {
        (op, FilterValue::Many(list)) if op.takes_list() => {
            if list.is_empty() {
                return bad("the list is empty");
            }
            let k = kind(&list[0]);
            if list.iter().any(|s| kind(s) != k) {
                return bad("the list mixes text, numbers and booleans");
            }
            Ok(())
        }
        (op, FilterValue::One(_)) if op.takes_list() => bad("`in` / `not_in` take a list"),
        (_, FilterValue::Many(_)) => bad("only `in` / `not_in` take a list"),
        (FilterOp::Contains, FilterValue::One(s)) if kind(s) != Kind::Text => {
            bad("`contains` takes text")
        }
        (
            FilterOp::Lt | FilterOp::LtEq | FilterOp::Gt | FilterOp::GtEq,
            FilterValue::One(Scalar::Bool(_)),
        ) => bad("booleans cannot be ordered"),
        _ => Ok(()),
    }
}

/// A filter as a predicate that is never NULL (a NULL comparison fails the filter).
fn filter_expr(f: &Filter, t: &DataType) -> Option<Expr> {
    let operand = |k: Kind| -> Option<Expr> {
        match k {
            Kind::Text => Some(text_expr(&f.column, t)),
            Kind::Number => float_expr(&f.column, t),
            Kind::Bool => Some(if matches!(t, DataType::Boolean) {
                ident(&f.column)
            } else {
                try_cast(text_expr(&f.column, t), DataType::Boolean)
            }),
        }
    };
    let e = match (&f.op, &f.value) {
        (FilterOp::In | FilterOp::NotIn, FilterValue::Many(list)) => {
            let x = operand(kind(&list[0]))?;
            x.in_list(
                list.iter().map(scalar_lit).collect(),
                f.op == FilterOp::NotIn,
            )
        }
        (FilterOp::Contains, FilterValue::One(Scalar::Str(s))) => {
            contains(operand(Kind::Text)?, lit(s.clone()))
        }
        (op, FilterValue::One(v)) => {
            let x = operand(kind(v))?;
            let y = scalar_lit(v);
            match op {
                FilterOp::Eq => x.eq(y),
                FilterOp::NotEq => x.not_eq(y),
                FilterOp::Lt => x.lt(y),
                FilterOp::LtEq => x.lt_eq(y),
                FilterOp::Gt => x.gt(y),
                FilterOp::GtEq => x.gt_eq(y),
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(coalesce(vec![e, lit(false)]))
}

/// Values (only for cities with records) and counts of one indicator.
pub(crate) struct DeclResult {
    pub values: BTreeMap<String, f64>,
    pub provenance: IndicatorProvenance,
}

enum MeasureCols {
    Count,
    Distinct(usize),
    SumMean { sum: usize, n: usize, mean: bool },
}

struct Layout {
    id: String,
    kind: &'static str,
    filters: Vec<(String, usize)>,
    no_date: Option<usize>,
    after: Option<usize>,
    before: Option<usize>,
    used: usize,
    measure: MeasureCols,
}

/// The predicate selecting the records a declarative indicator aggregates
/// (filters, cut-off, window), over a source view.
pub(crate) fn selection_expr(
    decl: &SourceDecl,
    first_file: &Path,
    view: &DataFrame,
    ind: &RecordIndicator,
) -> Result<Expr, SourceError> {
    let mut sel = lit(true);
    for f in &ind.filters {
        let t = view
            .schema()
            .fields()
            .iter()
            .find(|x| x.name() == &f.column)
            .map(|x| x.data_type().clone())
            .expect("column checked when the source was read");
        let p = filter_expr(f, &t).ok_or_else(|| SourceError::WrongType {
            source_id: decl.id.clone(),
            path: first_file.to_path_buf(),
            position: None,
            column: f.column.clone(),
            value: format!("values of type {t}"),
            expected: "comparable with the filter's value".into(),
        })?;
        sel = sel.and(p);
    }
    if let Some(cutoff) = ind.cutoff {
        sel = sel.and(col(RECORD_DATE).lt_eq(date_lit(cutoff)));
        if let Some(w) = ind.window_days {
            let start = crate::definition::Date::from_days_since_epoch(
                cutoff.days_since_epoch() - w as i32,
            );
            sel = sel.and(col(RECORD_DATE).gt(date_lit(start)));
        }
    }
    Ok(sel)
}

/// The aggregates of the declarative indicators of one source, and where each
/// indicator's figures are among the output columns.
pub(crate) struct AggPlan {
    /// `count(*)` first, then every indicator's conditional counts and sums; output
    /// column `i + 1` (after the group column) is `aggs[i]`.
    pub aggs: Vec<Expr>,
    layouts: Vec<Layout>,
    numeric_checks: Vec<(String, usize)>,
}

/// Computes every declarative indicator of one source in a single aggregate query
/// over the source view, grouped by city code.
pub(crate) async fn run_declarative(
    decl: &SourceDecl,
    files: &SourceFiles,
    view: &DataFrame,
    indicators: &[(&String, &RecordIndicator)],
    timeout: Duration,
) -> Result<Vec<(String, DeclResult)>, SourceError> {
    let what = format!("indicators on source `{}`", decl.id);
    let plan = plan_aggregates(decl, files, view.schema(), indicators)?;
    let df = view
        .clone()
        .aggregate(vec![col(CITY_CODE)], plan.aggs.clone())
        .map_err(|e| SourceError::engine(&what, e))?;
    let batches = collect(df, &what, timeout).await?;
    finish(decl, files, plan, &batches, None)
}

/// The aggregates computing `indicators` over rows with the source's columns and
/// `record_date`, whatever they are grouped by.
pub(crate) fn plan_aggregates(
    decl: &SourceDecl,
    files: &SourceFiles,
    schema: &datafusion::common::DFSchema,
    indicators: &[(&String, &RecordIndicator)],
) -> Result<AggPlan, SourceError> {
    let first_file = &files.provenance[0].path;
    let type_of = |name: &str| -> DataType {
        schema
            .fields()
            .iter()
            .find(|f| f.name() == name)
            .map(|f| f.data_type().clone())
            .expect("column checked when the source was read")
    };
    let wrong_type = |column: &str, t: &DataType, expected: &str| SourceError::WrongType {
        source_id: decl.id.clone(),
        path: first_file.clone(),
        position: None,
        column: column.to_string(),
        value: format!("values of type {t}"),
        expected: expected.to_string(),
    };

    let mut aggs: Vec<Expr> = vec![count_all()];
    let mut push = |e: Expr| -> usize {
        let i = aggs.len();
        aggs.push(e.alias(format!("a{i}")));
        i + 1 // output column (after the group column)
    };
    let when1 = |cond: Expr| when(cond, lit(1i64)).end().expect("case");

    // Numeric columns whose cells must all parse.
    let mut numeric_checks: Vec<(String, usize)> = Vec::new();
    let mut layouts = Vec::new();
    for (id, ind) in indicators {
        let mut pass = lit(true);
        let mut filters = Vec::new();
        for f in &ind.filters {
            let t = type_of(&f.column);
            let Some(p) = filter_expr(f, &t) else {
                return Err(wrong_type(
                    &f.column,
                    &t,
                    "comparable with the filter's value",
                ));
            };
            let value_kind = match &f.value {
                FilterValue::One(v) => kind(v),
                FilterValue::Many(list) => kind(&list[0]),
            };
            if value_kind == Kind::Number && !numeric_checks.iter().any(|(c, _)| c == &f.column) {
                let (n, nonempty) = number_expr(&f.column, &t)
                    .ok_or_else(|| wrong_type(&f.column, &t, "a number"))?;
                let i = push(count(when1(nonempty.and(n.is_null()))));
                numeric_checks.push((f.column.clone(), i));
            }
            let i = push(count(when1(pass.clone().and(p.clone().not()))));
            filters.push((f.to_string(), i));
            pass = pass.and(p);
        }
        let (mut no_date, mut after, mut before) = (None, None, None);
        let mut sel = pass.clone();
        if let Some(cutoff) = ind.cutoff {
            let d = col(RECORD_DATE);
            no_date = Some(push(count(when1(pass.clone().and(d.clone().is_null())))));
            after = Some(push(count(when1(
                pass.clone().and(d.clone().gt(date_lit(cutoff))),
            ))));
            sel = sel.and(d.clone().lt_eq(date_lit(cutoff)));
            if let Some(w) = ind.window_days {
                let start = crate::definition::Date::from_days_since_epoch(
                    cutoff.days_since_epoch() - w as i32,
                );
                before = Some(push(count(when1(
                    sel.clone().and(d.clone().lt_eq(date_lit(start))),
                ))));
                sel = sel.and(d.gt(date_lit(start)));
            }
        }
        let used = push(count(when1(sel.clone())));
        let measure = match ind.measure.as_ref().expect("declarative") {
            Measure::Count => MeasureCols::Count,
            Measure::CountDistinct(c) => {
                let t = type_of(c);
                let v = if is_string(&t) {
                    text_expr(c, &t)
                } else {
                    ident(c)
                };
                MeasureCols::Distinct(push(count_distinct(
                    when(sel.clone(), v).end().expect("case"),
                )))
            }
            Measure::Sum(c) | Measure::Mean(c) => {
                let t = type_of(c);
                let (v, nonempty) =
                    number_expr(c, &t).ok_or_else(|| wrong_type(c, &t, "a number"))?;
                if !numeric_checks.iter().any(|(n, _)| n == c) {
                    let i = push(count(when1(nonempty.and(v.clone().is_null()))));
                    numeric_checks.push((c.clone(), i));
                }
                let vs = when(sel.clone(), v).end().expect("case");
                let sum_i = push(sum(vs.clone()));
                let n_i = push(count(vs));
                MeasureCols::SumMean {
                    sum: sum_i,
                    n: n_i,
                    mean: matches!(ind.measure, Some(Measure::Mean(_))),
                }
            }
        };
        let kind = match ind.measure.as_ref().expect("declarative") {
            Measure::Count => "count",
            Measure::CountDistinct(_) => "count_distinct",
            Measure::Sum(_) => "sum",
            Measure::Mean(_) => "mean",
        };
        layouts.push(Layout {
            id: (*id).clone(),
            kind,
            filters,
            no_date,
            after,
            before,
            used,
            measure,
        });
    }

    Ok(AggPlan {
        aggs,
        layouts,
        numeric_checks,
    })
}

/// The indicators' values and counts from the aggregate's batches. Column 0 is the
/// city code, or (with `mapping`) a city string: rows of strings the mapping does not
/// hold are left out, those of strings mapping to one code are added up.
pub(crate) fn finish(
    decl: &SourceDecl,
    files: &SourceFiles,
    plan: AggPlan,
    batches: &[datafusion::arrow::record_batch::RecordBatch],
    mapping: Option<&HashMap<String, String>>,
) -> Result<Vec<(String, DeclResult)>, SourceError> {
    let what = format!("indicators on source `{}`", decl.id);
    let AggPlan {
        aggs,
        layouts,
        numeric_checks,
    } = plan;
    // Totals of each aggregate column over cities, and per-city values.
    let ncols = aggs.len() + 1;
    let mut totals = vec![0u64; ncols];
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut cities: Vec<String> = Vec::new();
    let mut ints: Vec<Vec<i64>> = vec![Vec::new(); ncols];
    let mut decs: BTreeMap<usize, Vec<i128>> = BTreeMap::new();
    let sum_cols: Vec<usize> = layouts
        .iter()
        .filter_map(|l| match l.measure {
            MeasureCols::SumMean { sum, .. } => Some(sum),
            _ => None,
        })
        .collect();
    for c in &sum_cols {
        decs.insert(*c, Vec::new());
    }
    for b in batches {
        let group = as_strings(b.column(0), &what)?;
        // The row of each batch row in `cities`, or None when it is left out.
        let mut slot: Vec<Option<usize>> = Vec::with_capacity(b.num_rows());
        for i in 0..b.num_rows() {
            let code = if group.is_null(i) {
                None
            } else {
                let g = group.value(i);
                match mapping {
                    None => Some(g),
                    Some(m) => m.get(g).map(String::as_str),
                }
            };
            slot.push(code.map(|code| {
                *index.entry(code.to_string()).or_insert_with(|| {
                    cities.push(code.to_string());
                    for v in ints.iter_mut() {
                        v.push(0);
                    }
                    for v in decs.values_mut() {
                        v.push(0);
                    }
                    cities.len() - 1
                })
            }));
        }
        for (c, v_ints) in ints.iter_mut().enumerate().skip(1) {
            if c >= b.num_columns() {
                break;
            }
            if sum_cols.contains(&c) {
                let d = as_decimal(b.column(c), &what)?;
                let v = decs.get_mut(&c).expect("sum column");
                for (i, s) in slot.iter().enumerate() {
                    if let Some(r) = s {
                        if !d.is_null(i) {
                            v[*r] += d.value(i);
                        }
                    }
                }
            } else {
                let a = as_i64(b.column(c), &what)?;
                for (i, s) in slot.iter().enumerate() {
                    if let Some(r) = s {
                        let x = if a.is_null(i) { 0 } else { a.value(i) };
                        v_ints[*r] += x;
                        totals[c] += x as u64;
                    }
                }
            }
        }
    }
    for (column, i) in &numeric_checks {
        if totals[*i] > 0 {
            return Err(
                locate::bad_value(decl, files, column, &locate::Check::Number).unwrap_or_else(
                    || {
                        SourceError::engine(
                            &what,
                            format!("{} values of `{column}` are not numbers", totals[*i]),
                        )
                    },
                ),
            );
        }
    }
    let rows_in = totals.get(1).copied().unwrap_or(0);

    let mut out = Vec::new();
    for l in layouts {
        let get = |i: Option<usize>| i.map(|i| totals[i]).unwrap_or(0);
        let mut values = BTreeMap::new();
        for (r, city) in cities.iter().enumerate() {
            let used = ints[l.used][r];
            let v = match l.measure {
                MeasureCols::Count => used as f64,
                MeasureCols::Distinct(i) => ints[i][r] as f64,
                MeasureCols::SumMean { sum, n, mean } => {
                    let s = decs[&sum][r] as f64 / DECIMAL_SCALE;
                    let n = ints[n][r];
                    if mean {
                        if n == 0 {
                            0.0
                        } else {
                            s / n as f64
                        }
                    } else {
                        s
                    }
                }
            };
            // A city whose records were all filtered out is a city without records.
            if used > 0 {
                values.insert(city.clone(), v);
            }
        }
        let provenance = IndicatorProvenance {
            indicator: l.id.clone(),
            source: decl.id.clone(),
            kind: l.kind.to_string(),
            rows_in,
            removed_by_filter: l
                .filters
                .iter()
                .map(|(f, i)| FilterCount {
                    filter: f.clone(),
                    removed: totals[*i],
                })
                .collect(),
            removed_without_date: get(l.no_date),
            removed_after_cutoff: get(l.after),
            removed_before_window: get(l.before),
            rows_used: totals[l.used],
            cities_without_records: 0,
            cities_not_covered: 0,
        };
        out.push((l.id, DeclResult { values, provenance }));
    }
    Ok(out)
}
