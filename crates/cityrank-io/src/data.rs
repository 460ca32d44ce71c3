//! Loading the units and indicator tables named by a spec.
//!
//! Strict on purpose: a malformed row, a text where a number belongs, a duplicate id or a unit
//! the spec does not know stops the load with the file and line, because each of these silently
//! changes a ranking if let through. Missing values are allowed and kept as missing.

use crate::error::Error;
use crate::limits::excerpt;
use crate::spec::LoadedSpec;
use crate::table::Table;
use cityrank_core::framework::suggest;
use cityrank_core::spec::{DataDecl, UnknownUnits};
use cityrank_core::{BuildError, Dataset, Location, Unit};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

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

#[derive(Clone, Debug)]
pub struct LoadedData {
    pub dataset: Dataset,
    pub inputs: Vec<InputFile>,
    pub skipped: Vec<SkippedRow>,
    /// Where each present value came from: (unit, indicator) -> (file, line).
    pub origin: HashMap<(String, String), (PathBuf, usize)>,
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
                    Some((file, line)) => err
                        .at(file, Some(*line))
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

fn column(headers: &[String], name: &str, path: &Path, what: &str) -> Result<usize, Error> {
    headers.iter().position(|h| h == name).ok_or_else(|| {
        let known: Vec<&str> = headers.iter().map(String::as_str).collect();
        Error::new(
            format!("there is no column `{name}` ({what})"),
            suggest(name, &known, "column"),
        )
        .at(path, Some(1))
        .field(name)
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
    let path = spec.resolve(&decl.file);
    let mut table = Table::open(&path)?;
    let headers = table.headers.clone();
    let id_col = column(&headers, &decl.id, &path, "units.id")?;
    let name_col = column(&headers, &decl.name, &path, "units.name")?;
    let zh_col = decl
        .name_zh
        .as_ref()
        .map(|c| column(&headers, c, &path, "units.name_zh"))
        .transpose()?;
    let group_cols = decl
        .groups
        .iter()
        .map(|g| column(&headers, g, &path, "units.groups").map(|c| (g.clone(), c)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut units = Vec::new();
    while let Some(row) = table.next_row() {
        let (line, rec) = row?;
        let line = &line;
        let id = rec[id_col].trim().to_string();
        if id.is_empty() {
            return Err(Error::new("empty unit id", "give every unit an id")
                .at(&path, Some(*line))
                .field(&decl.id));
        }
        if let Some(first) = seen.insert(id.clone(), *line) {
            return Err(Error::new(
                format!(
                    "unit id `{}` appears twice (first on line {first})",
                    excerpt(&id)
                ),
                "every unit needs its own id; remove or renumber the duplicate",
            )
            .at(&path, Some(*line))
            .field(&decl.id));
        }
        units.push(Unit {
            id,
            name: rec[name_col].trim().to_string(),
            name_zh: zh_col
                .map(|c| rec[c].trim().to_string())
                .filter(|s| !s.is_empty()),
            groups: group_cols
                .iter()
                .map(|(g, c)| (g.clone(), rec[*c].trim().to_string()))
                .collect(),
        });
    }
    if units.is_empty() {
        return Err(
            Error::new("the units file lists no units", "add one row per unit").at(&path, None),
        );
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

fn load_table(
    spec: &LoadedSpec,
    decl: &DataDecl,
    out: &mut LoadedData,
    supplied: &mut BTreeMap<String, PathBuf>,
) -> Result<(), Error> {
    let path = spec.resolve(&decl.file);
    let mut table = Table::open(&path)?;
    let headers = table.headers.clone();
    let key = column(&headers, &decl.key, &path, "data.key")?;
    let (cols, node_cols) =
        split_node_columns(spec, indicator_columns(spec, decl, &headers, &path)?);
    for (id, _) in cols.iter().chain(&node_cols) {
        if let Some(other) = supplied.insert(id.clone(), path.clone()) {
            return Err(Error::new(
                format!(
                    "indicator `{id}` has data in two files (also {})",
                    other.display()
                ),
                "keep each indicator in one file",
            )
            .at(&path, Some(1))
            .field(id));
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    while let Some(row) = table.next_row() {
        let (line, rec) = row?;
        let line = &line;
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
            return Err(Error::new(format!("unit `{}` is not in the units file", excerpt(&unit)), format!("{}; or set `unknown_units = \"ignore\"` on this [[data]] entry to skip such rows", suggest(&unit, &known, "unit")))
                .at(&path, Some(*line))
                .field(&decl.key));
        };
        if let Some(first) = seen.insert(unit.clone(), *line) {
            return Err(Error::new(
                format!(
                    "unit `{}` has two rows (first on line {first})",
                    excerpt(&unit)
                ),
                "keep one row per unit",
            )
            .at(&path, Some(*line))
            .field(&decl.key));
        }
        for (id, c) in &cols {
            let j = out
                .dataset
                .indicators
                .iter()
                .position(|x| x == id)
                .expect("checked");
            let v = parse_cell(&rec[*c], decl).map_err(|m| {
                Error::new(
                    m,
                    "write a plain number, or leave the cell empty if the value is missing",
                )
                .at(&path, Some(*line))
                .field(&headers[*c])
            })?;
            out.dataset.values.set(i, j, v);
            if !v.is_nan() {
                out.origin
                    .insert((unit.clone(), id.clone()), (path.clone(), *line));
            }
        }
        for (id, c) in &node_cols {
            let v = parse_cell(&rec[*c], decl).map_err(|m| {
                Error::new(
                    m,
                    "write the published score as a plain number, or leave the cell empty where none is published",
                )
                .at(&path, Some(*line))
                .field(&headers[*c])
            })?;
            published_column(&mut out.dataset, id)[i] = v;
            if !v.is_nan() {
                out.origin
                    .insert((unit.clone(), id.clone()), (path.clone(), *line));
            }
        }
    }
    if let Some(u) = out.dataset.units.iter().find(|u| !seen.contains_key(&u.id)) {
        return Err(Error::new(
            format!("unit `{}` ({}) has no row in this file", u.id, u.name),
            "add a row for it, with empty cells where values are missing, or remove it from the units file",
        )
        .at(&path, None));
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

/// Separates the columns mapped to aggregate nodes (published scores) from the indicators'.
fn split_node_columns(
    spec: &LoadedSpec,
    cols: Vec<(String, usize)>,
) -> (Vec<(String, usize)>, Vec<(String, usize)>) {
    let fw = &spec.framework;
    cols.into_iter()
        .partition(|(id, _)| fw.find(id).is_some_and(|k| k < fw.n_indicators))
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

/// Which indicator (or, mapped in `columns`, which aggregate node) each column holds.
fn indicator_columns(
    spec: &LoadedSpec,
    decl: &DataDecl,
    headers: &[String],
    path: &Path,
) -> Result<Vec<(String, usize)>, Error> {
    let ids: Vec<&str> = spec.framework.indicator_ids().collect();
    let all: Vec<&str> = spec.framework.nodes.iter().map(|n| n.id.as_str()).collect();
    if !decl.columns.is_empty() {
        return decl
            .columns
            .iter()
            .map(|(id, col)| {
                if !all.contains(&id.as_str()) {
                    return Err(Error::new(
                        format!("`columns` maps `{id}`, which is neither an indicator nor a node"),
                        suggest(id, &all, "indicator or node"),
                    )
                    .at(&spec.path, None)
                    .field(id));
                }
                column(headers, col, path, "data.columns").map(|c| (id.clone(), c))
            })
            .collect();
    }
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    for (c, h) in headers.iter().enumerate() {
        if h == &decl.key {
            continue;
        }
        if !ids.contains(&h.as_str()) {
            return Err(Error::new(
                format!("column `{}` is not an indicator of the spec", excerpt(h)),
                format!(
                    "{}; or map columns explicitly with `columns`",
                    suggest(h, &ids, "indicator")
                ),
            )
            .at(path, Some(1))
            .field(h));
        }
        if seen.insert(h.clone(), c).is_some() {
            return Err(Error::new(
                format!("column `{}` appears twice in the header", excerpt(h)),
                "keep one column per indicator",
            )
            .at(path, Some(1))
            .field(h));
        }
        out.push((h.clone(), c));
    }
    Ok(out)
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
