//! Loading the units and indicator tables named by a spec.
//!
//! Strict on purpose: a malformed row, a text where a number belongs, a duplicate id or a unit
//! the spec does not know stops the load with the file and line, because each of these silently
//! changes a ranking if let through. Missing values are allowed and kept as missing.

use crate::error::Error;
use crate::input::InputTable;
use crate::limits::excerpt;
use crate::spec::LoadedSpec;
use cityrank_core::framework::suggest;
use cityrank_core::spec::{DataDecl, UnknownUnits};
use cityrank_core::{BuildError, Dataset, Location, Unit, UnitInfo};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// One input file as the manifest records it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct InputFile {
    /// Path relative to the spec's folder, as written in the spec.
    pub path: String,
    pub role: String,
    pub sha256: String,
    pub bytes: usize,
    pub rows: usize,
}

/// A row that was read but not used, so that nothing disappears without a count.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SkippedRow {
    pub file: String,
    pub line: usize,
    pub unit: String,
    pub reason: String,
}

/// The cell a value was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Origin {
    pub file: PathBuf,
    /// The worksheet and column letters, for a spreadsheet.
    pub sheet: Option<String>,
    pub column: Option<String>,
    /// The line, or the spreadsheet row.
    pub line: usize,
}

impl Origin {
    fn locate(&self, e: Error) -> Error {
        let mut e = e.at(&self.file, Some(self.line));
        e.sheet = self.sheet.clone();
        e.column = self.column.clone();
        e
    }
}

#[derive(Clone, Debug)]
pub struct LoadedData {
    pub dataset: Dataset,
    pub inputs: Vec<InputFile>,
    pub skipped: Vec<SkippedRow>,
    /// Where each present value came from: (unit, indicator) -> its cell.
    pub origin: HashMap<(String, String), Origin>,
    pub missing_cells: usize,
    /// Accounts from earlier stages (e.g. the provenance of record sources), copied into the
    /// manifest under their names.
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl LoadedData {
    /// Turns a core error about a cell or column into one that names the file and line.
    pub fn locate(&self, spec: &LoadedSpec, e: BuildError) -> Error {
        let err = Error::new(e.message.clone(), e.hint.clone());
        match &e.location {
            Location::Cell { unit, indicator } => {
                match self.origin.get(&(unit.clone(), indicator.clone())) {
                    Some(origin) => origin
                        .locate(err)
                        .field(format!("{indicator} (unit {unit})")),
                    None => err.field(format!("{indicator} (unit {unit})")),
                }
            }
            Location::Column(id) | Location::Indicator(id) => err
                .at(&spec.path, crate::spec::find_id_line(&spec.text, id))
                .field(format!("indicator {id}")),
            Location::Node(id) => err
                .at(&spec.path, crate::spec::find_id_line(&spec.text, id))
                .field(format!("node {id}")),
            Location::Field(k) => err
                .at(&spec.path, crate::spec::find_key_line(&spec.text, k))
                .field(k.clone()),
            Location::Nowhere => err,
        }
    }
}

fn column(table: &InputTable, name: &str, what: &str) -> Result<usize, Error> {
    table.headers.iter().position(|h| h == name).ok_or_else(|| {
        let known: Vec<&str> = table.headers.iter().map(String::as_str).collect();
        let e = Error::new(
            format!("there is no column `{name}` ({what})"),
            suggest(name, &known, "column"),
        )
        .field(name);
        table.error(e, Some(table.header_line), None)
    })
}

/// Indicator values computed elsewhere (from raw records): indicator -> unit -> value, `None`
/// for a unit the source does not cover.
pub type ExternalValues = BTreeMap<String, BTreeMap<String, Option<f64>>>;

pub fn load_data(spec: &LoadedSpec) -> Result<LoadedData, Error> {
    load_data_with(spec, None)
}

/// Loads the units and tables, and takes the values of record-based indicators from `external`.
pub fn load_data_with(
    spec: &LoadedSpec,
    external: Option<&ExternalValues>,
) -> Result<LoadedData, Error> {
    let (units, units_input) = load_units(spec)?;
    check_top(spec, units.len())?;
    let fw = &spec.framework;
    let ids: Vec<String> = fw.indicator_ids().map(str::to_string).collect();
    let mut out = LoadedData {
        dataset: Dataset::new(units, ids.clone()),
        inputs: vec![units_input],
        skipped: Vec::new(),
        origin: HashMap::new(),
        missing_cells: 0,
        extra: BTreeMap::new(),
    };
    if let Some(i) = spec
        .spec
        .indicators
        .iter()
        .find(|i| i.records.is_some() && i.denominator.is_some())
    {
        return Err(Error::new(
            format!("indicator `{}` is computed from records and also has a `denominator`", i.id),
            "a denominator divides a column of a [[data]] file; compute the rate in the [indicator.records] table instead, or remove `denominator`",
        )
        .at(&spec.path, crate::spec::find_id_line(&spec.text, &i.id))
        .field(format!("indicator {}", i.id)));
    }
    let mut supplied: BTreeMap<String, PathBuf> = BTreeMap::new();
    for decl in &spec.spec.data {
        load_table(spec, decl, &mut out, &mut supplied)?;
    }
    for (id, values) in external.into_iter().flatten() {
        fill_external(spec, id, values, &mut out, &mut supplied)?;
    }
    if let Some(id) = ids.iter().find(|id| !supplied.contains_key(*id)) {
        let records = spec
            .spec
            .indicators
            .iter()
            .any(|i| &i.id == id && i.records.is_some());
        if records {
            return Err(Error::new(
                format!("indicator `{id}` is computed from records, but no record values were given"),
                "build it with the cityrank command, which runs the [[source]] sections through the SQL engine",
            )
            .at(&spec.path, crate::spec::find_id_line(&spec.text, id)));
        }
        return Err(Error::new(
            format!("indicator `{id}` has no data: no [[data]] file has a column for it"),
            "add a column with its id to a data file, or map it with `columns = { id = \"column\" }`",
        )
        .at(&spec.path, crate::spec::find_id_line(&spec.text, id)));
    }
    // A cell whose indicator does not apply to the unit is not missing (a rule that names
    // an unknown unit is reported by the build).
    let ds = &out.dataset;
    let applicable = cityrank_core::steps::applicable::Applicable::new(fw, &ds.units, &ds.values)
        .unwrap_or_else(|_| cityrank_core::steps::applicable::Applicable::all(ds.n_units()));
    out.missing_cells = (0..ds.indicators.len())
        .flat_map(|j| (0..ds.n_units()).map(move |i| (i, j)))
        .filter(|&(i, j)| ds.values.get(i, j).is_nan() && applicable.applies(i, j))
        .count();
    Ok(out)
}

/// A headline table longer than the units assessed has no meaning (and a huge `top` would
/// overflow the counts that use it).
fn check_top(spec: &LoadedSpec, units: usize) -> Result<(), Error> {
    let top = spec.spec.publish.top;
    if top <= units {
        return Ok(());
    }
    Err(Error::new(
        format!("top = {top}, but the units file lists only {units} units"),
        format!("give at most {units}, or 0 for all ranked units"),
    )
    .at(&spec.path, crate::spec::find_key_line(&spec.text, "top"))
    .field("publish.top"))
}

/// Reads the units file named by the spec.
pub fn load_units(spec: &LoadedSpec) -> Result<(Vec<Unit>, InputFile), Error> {
    let decl = &spec.spec.units;
    let (_, mut table) = spec.open_table(&decl.file, decl.sheet.as_ref(), "units")?;
    let id_col = column(&table, &decl.id, "units.id")?;
    let name_col = column(&table, &decl.name, "units.name")?;
    let zh_col = decl
        .name_zh
        .as_ref()
        .map(|c| column(&table, c, "units.name_zh"))
        .transpose()?;
    let group_cols = decl
        .groups
        .iter()
        .map(|g| column(&table, g, "units.groups").map(|c| (g.clone(), c)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut units = Vec::new();
    while let Some(row) = table.next_row() {
        let (line, rec) = row?;
        let line = &line;
        let at = |e: Error| table.error(e.field(&decl.id), Some(*line), Some(id_col));
        let id = rec[id_col].trim().to_string();
        if id.is_empty() {
            return Err(at(Error::new("empty unit id", "give every unit an id")));
        }
        if let Some(first) = seen.insert(id.clone(), *line) {
            return Err(at(Error::new(
                format!(
                    "unit id `{id}` appears twice (first on {} {first})",
                    table.row_word()
                ),
                "every unit needs its own id; remove or renumber the duplicate",
            )));
        }
        units.push(Unit::from(UnitInfo {
            id,
            name: rec[name_col].trim().to_string(),
            name_zh: zh_col
                .map(|c| rec[c].trim().to_string())
                .filter(|s| !s.is_empty()),
            groups: group_cols
                .iter()
                .map(|(g, c)| (g.clone(), rec[*c].trim().to_string()))
                .collect(),
        }));
    }
    if units.is_empty() {
        let e = Error::new("the units file lists no units", "add one row per unit");
        return Err(table.error(e, None, None));
    }
    let d = table.finish()?;
    let input = InputFile {
        path: decl.file.clone(),
        role: "units".into(),
        sha256: d.sha256,
        bytes: d.bytes,
        rows: d.rows,
    };
    Ok((units, input))
}

/// One indicator's column in a table, and the column of its denominator if it has one.
struct IndicatorColumn {
    id: String,
    column: usize,
    denominator: Option<(String, usize)>,
}

fn load_table(
    spec: &LoadedSpec,
    decl: &DataDecl,
    out: &mut LoadedData,
    supplied: &mut BTreeMap<String, PathBuf>,
) -> Result<(), Error> {
    let (path, mut table) = spec.open_table(&decl.file, decl.sheet.as_ref(), "data")?;
    let key = column(&table, &decl.key, "data.key")?;
    let fw = &spec.framework;
    let (cols, node_cols): (Vec<_>, Vec<_>) = indicator_columns(spec, decl, &table)?
        .into_iter()
        .partition(|ic| fw.find(&ic.id).is_some_and(|k| k < fw.n_indicators));
    for ic in cols.iter().chain(&node_cols) {
        if let Some(other) = supplied.insert(ic.id.clone(), path.clone()) {
            let e = Error::new(
                format!(
                    "indicator `{}` has data in two files (also {})",
                    ic.id,
                    other.display()
                ),
                "keep each indicator in one file",
            )
            .field(&ic.id);
            return Err(table.error(e, Some(table.header_line), Some(ic.column)));
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut undivided = Vec::new();
    while let Some(row) = table.next_row() {
        let (line, rec) = row?;
        let line = &line;
        let at = |e: Error, c: usize| table.error(e, Some(*line), Some(c));
        let unit = rec[key].trim().to_string();
        let Some(i) = out.dataset.unit_index(&unit) else {
            if decl.unknown_units == UnknownUnits::Ignore {
                out.skipped.push(SkippedRow {
                    file: decl.file.clone(),
                    line: *line,
                    unit,
                    reason: "not among the units assessed".into(),
                });
                continue;
            }
            let known: Vec<&str> = out.dataset.units.iter().map(|u| u.id.as_str()).collect();
            let e = Error::new(format!("unit `{}` is not in the units file", excerpt(&unit)), format!("{}; or set `unknown_units = \"ignore\"` on this [[data]] entry to skip such rows", suggest(&unit, &known, "unit")));
            return Err(at(e.field(&decl.key), key));
        };
        if let Some(first) = seen.insert(unit.clone(), *line) {
            let e = Error::new(
                format!(
                    "unit `{unit}` has two rows (first on {} {first})",
                    table.row_word()
                ),
                "keep one row per unit",
            );
            return Err(at(e.field(&decl.key), key));
        }
        for ic in &cols {
            let j = out
                .dataset
                .indicators
                .iter()
                .position(|x| *x == ic.id)
                .expect("checked");
            let cell = |c: usize| {
                parse_cell(&rec[c], decl).map_err(|m| {
                    let e = Error::new(
                        m,
                        "write a plain number, or leave the cell empty if the value is missing",
                    );
                    at(e.field(&table.headers[c]), c)
                })
            };
            let mut v = cell(ic.column)?;
            if let Some((name, c)) = &ic.denominator {
                v = match divide(v, cell(*c)?, &ic.id, name).map_err(|e| at(e, *c))? {
                    Some(v) => v,
                    None => {
                        undivided.push(serde_json::json!({
                            "file": decl.file, "line": line, "unit": unit,
                            "indicator": ic.id, "denominator": name,
                        }));
                        f64::NAN
                    }
                };
            }
            out.dataset.values.set(i, j, v);
            if !v.is_nan() {
                let origin = Origin {
                    file: path.clone(),
                    sheet: table.place.sheet.clone(),
                    column: table.column_letters(ic.column),
                    line: *line,
                };
                out.origin.insert((unit.clone(), ic.id.clone()), origin);
            }
        }
        for ic in &node_cols {
            let v = parse_cell(&rec[ic.column], decl).map_err(|m| {
                let e = Error::new(
                    m,
                    "write the published score as a plain number, or leave the cell empty where none is published",
                );
                at(e.field(&table.headers[ic.column]), ic.column)
            })?;
            published_column(&mut out.dataset, &ic.id)[i] = v;
            if !v.is_nan() {
                let origin = Origin {
                    file: path.clone(),
                    sheet: table.place.sheet.clone(),
                    column: table.column_letters(ic.column),
                    line: *line,
                };
                out.origin.insert((unit.clone(), ic.id.clone()), origin);
            }
        }
    }
    if let Some(u) = out.dataset.units.iter().find(|u| !seen.contains_key(&u.id)) {
        let e = Error::new(
            format!("unit `{}` ({}) has no row in this file", u.id, u.name),
            "add a row for it, with empty cells where values are missing, or remove it from the units file",
        );
        return Err(table.error(e, None, None));
    }
    if !undivided.is_empty() {
        // Listed in the manifest: values left missing because their denominator is.
        let list = out
            .extra
            .entry("missing_denominators".into())
            .or_insert_with(|| serde_json::Value::Array(Vec::new()));
        if let serde_json::Value::Array(a) = list {
            a.extend(undivided);
        }
    }
    let d = table.finish()?;
    out.inputs.push(InputFile {
        path: decl.file.clone(),
        role: "data".into(),
        sha256: d.sha256,
        bytes: d.bytes,
        rows: d.rows,
    });
    Ok(())
}

/// The published scores of node `id`, added (all missing) on first use.
fn published_column<'a>(ds: &'a mut Dataset, id: &str) -> &'a mut Vec<f64> {
    let n = ds.n_units();
    let k = match ds.published.iter().position(|p| p.node == id) {
        Some(k) => k,
        None => {
            ds.published.push(cityrank_core::data::Published {
                node: id.to_string(),
                values: vec![f64::NAN; n],
            });
            ds.published.len() - 1
        }
    };
    &mut ds.published[k].values
}

/// A value divided by its denominator. A missing value stays missing, and so does a value whose
/// denominator is missing (as in COINr's `Denominate`; `None` tells the caller to record it); a
/// zero denominator is refused, since the rate is undefined.
fn divide(v: f64, d: f64, id: &str, name: &str) -> Result<Option<f64>, Error> {
    if v.is_nan() {
        return Ok(Some(v));
    }
    if d.is_nan() {
        return Ok(None);
    }
    if d == 0.0 {
        return Err(Error::new(
            format!("the denominator `{name}` of indicator `{id}` is zero here, so its value cannot be divided"),
            format!("give the right `{name}` for this unit, or leave `{id}` empty (missing) for it"),
        )
        .field(name));
    }
    Ok(Some(v / d))
}

/// The denominator columns named by the spec's indicators.
fn denominators(spec: &LoadedSpec) -> Vec<&str> {
    let mut d: Vec<&str> = spec
        .spec
        .indicators
        .iter()
        .filter_map(|i| i.denominator.as_deref())
        .collect();
    d.sort_unstable();
    d.dedup();
    d
}

/// Which indicator (or, mapped in `columns`, which aggregate node) each column holds, with
/// the column of an indicator's denominator.
fn indicator_columns(
    spec: &LoadedSpec,
    decl: &DataDecl,
    table: &InputTable,
) -> Result<Vec<IndicatorColumn>, Error> {
    let ids: Vec<&str> = spec.framework.indicator_ids().collect();
    let all: Vec<&str> = spec.framework.nodes.iter().map(|n| n.id.as_str()).collect();
    let mut out = Vec::new();
    if !decl.columns.is_empty() {
        for (id, col) in &decl.columns {
            if !all.contains(&id.as_str()) {
                return Err(Error::new(
                    format!("`columns` maps `{id}`, which is neither an indicator nor a node"),
                    suggest(id, &all, "indicator or node"),
                )
                .at(&spec.path, None)
                .field(id));
            }
            let column = column(table, col, "data.columns")?;
            out.push((id.clone(), column));
        }
    } else {
        let denominators = denominators(spec);
        let mut seen = HashMap::new();
        for (c, h) in table.headers.iter().enumerate() {
            let denominator_only = denominators.contains(&h.as_str()) && !ids.contains(&h.as_str());
            if h == &decl.key || denominator_only {
                continue;
            }
            let at = |e: Error| table.error(e.field(excerpt(h)), Some(table.header_line), Some(c));
            if !ids.contains(&h.as_str()) {
                return Err(at(Error::new(
                    format!("column `{}` is not an indicator of the spec", excerpt(h)),
                    format!(
                        "{}; or map columns explicitly with `columns`",
                        suggest(h, &ids, "indicator")
                    ),
                )));
            }
            if seen.insert(h.clone(), c).is_some() {
                return Err(at(Error::new(
                    format!("column `{}` appears twice in the header", excerpt(h)),
                    "keep one column per indicator",
                )));
            }
            out.push((h.clone(), c));
        }
    }
    out.into_iter()
        .map(|(id, column)| {
            let denominator = denominator_of(spec, &id)
                .map(|name| {
                    let what = format!("the denominator of indicator `{id}`");
                    self::column(table, name, &what).map(|c| (name.to_string(), c))
                })
                .transpose()?;
            Ok(IndicatorColumn {
                id,
                column,
                denominator,
            })
        })
        .collect()
}

fn denominator_of<'a>(spec: &'a LoadedSpec, id: &str) -> Option<&'a str> {
    spec.spec
        .indicators
        .iter()
        .find(|i| i.id == id)
        .and_then(|i| i.denominator.as_deref())
}

fn parse_cell(cell: &str, decl: &DataDecl) -> Result<f64, String> {
    let t = cell.trim();
    if t.is_empty() || decl.missing.iter().any(|m| m == t) {
        return Ok(f64::NAN);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!(
            "`{}` is not a finite number (NaN and infinity are not data)",
            excerpt(t)
        )),
        Err(_) => Err(format!("`{}` is not a number", excerpt(t))),
    }
}

/// Takes one record-based indicator's values; units absent from `values` are missing.
fn fill_external(
    spec: &LoadedSpec,
    id: &str,
    values: &BTreeMap<String, Option<f64>>,
    out: &mut LoadedData,
    supplied: &mut BTreeMap<String, PathBuf>,
) -> Result<(), Error> {
    let Some(j) = out.dataset.indicators.iter().position(|x| x == id) else {
        return Err(Error::new(
            format!(
                "record values were computed for `{id}`, which is not an indicator of the spec"
            ),
            "define it as an [[indicator]] with a [indicator.records] table",
        )
        .at(&spec.path, None));
    };
    if let Some(other) = supplied.insert(id.to_string(), spec.path.clone()) {
        return Err(Error::new(
            format!(
                "indicator `{id}` has both records and a column in {}",
                other.display()
            ),
            "keep one: remove the [indicator.records] table or the column",
        )
        .at(&spec.path, crate::spec::find_id_line(&spec.text, id)));
    }
    for (i, u) in out.dataset.units.iter().enumerate() {
        let v = values.get(&u.id).copied().flatten().unwrap_or(f64::NAN);
        out.dataset.values.set(i, j, v);
    }
    Ok(())
}
